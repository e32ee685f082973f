"""The shared fault cases (`../shared/data/cases/`), each crawled as its README says, golden.

Each folder holds saved pages and `expected.json` (one article, or `{"articles", "run"}`);
`scrapy crawl menafn -a source=FOLDER -s NEWSCRAWL_STATE=` must give exactly those values.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, crawl

CASES_DIR = ROOT.parent / "shared" / "data" / "cases"
CASES = sorted(p.parent for p in CASES_DIR.glob("*/expected.json"))


def expected_of(case: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text("utf-8"))
    if "articles" in data:
        return data["articles"], data.get("run", {})
    return [data], {"written": 1}


@pytest.mark.skipif(not CASES, reason=f"no shared cases at {CASES_DIR}")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shared_case_gives_its_expected_values(case: Path, tmp_path: Path) -> None:
    articles, counts = expected_of(case)
    run = crawl(tmp_path / "out", "-a", f"source={case}", state="")
    assert run.status == 0, run.stderr[-2000:]
    written = {a["id"]: a for a in run.articles()}
    assert sorted(written) == sorted(a["id"] for a in articles)
    for expected in articles:
        article = written[expected["id"]]
        for field, value in expected.items():
            assert article[field] == value, f"{case.name} {expected['id']} {field}"
    line = run.last()
    for name, value in counts.items():
        assert line[name] == value, name
