"""Every open case (`../shared/data/open-cases/`), crawled as their README says (``scrapy crawl
SPIDER -a source=FOLDER -s NEWSCRAWL_STATE=``) and compared field by field, with its `checks`,
its run counts and `no_rejects`: a wire release with a naive metadata time, a results table, a
legend before the dateline (issue 16 points 2 and 3), an archive another tool wrote (point 5;
other archives of that kind are in ``test_warc_kinds.py``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, crawl

OPEN_CASES = ROOT.parent / "shared" / "data" / "open-cases"
CASES = sorted(p.parent.name for p in OPEN_CASES.glob("*/expected.json"))


def check_values(article: dict[str, Any], checks: dict[str, Any]) -> list[str]:
    """What in an article breaks a case's ``checks`` (see the cases' README), one line each."""
    paragraphs = article["body"].split("\n\n")
    failed = [
        f"{field} lacks {text!r}"
        for field, texts in checks.get("contains", {}).items()
        for text in texts
        if text not in (article[field] or "")
    ]
    failed += [
        f"{field} holds {text!r}"
        for field, texts in checks.get("lacks", {}).items()
        for text in texts
        if text in (article[field] or "")
    ]
    failed += [
        f"no paragraph holds all of {row}"
        for row in checks.get("paragraph_has_all", [])
        if not any(all(cell in p for cell in row) for p in paragraphs)
    ]
    failed += [
        f"a paragraph is only {pattern!r}: {p!r}"
        for pattern in checks.get("no_paragraph_matching", [])
        for p in paragraphs
        if re.fullmatch(pattern, p)
    ]
    return failed


@pytest.mark.skipif(not CASES, reason=f"no open cases at {OPEN_CASES}")
@pytest.mark.parametrize("name", CASES)
def test_open_case_gives_its_expected_values(name: str, tmp_path: Path) -> None:
    case = OPEN_CASES / name
    data: dict[str, Any] = json.loads((case / "expected.json").read_text("utf-8"))
    run = crawl(tmp_path / "out", "-a", f"source={case}", state="", spider=data["spider"])
    assert run.status == 0, run.stderr[-2000:]
    written = {a["id"]: a for a in run.articles()}
    assert sorted(written) == sorted(a["id"] for a in data["articles"])
    for expected in data["articles"]:
        article = written[expected["id"]]
        for field, value in expected.items():
            if field not in {"note", "checks"}:
                assert article[field] == value, f"{name} {field}"
        assert check_values(article, expected.get("checks", {})) == []
    for count, value in data.get("run", {}).items():
        assert run.last()[count] == value, count
    if data.get("no_rejects"):
        assert run.rejects() == []


def test_the_checks_fail_where_they_should() -> None:
    article = {"body": "Revenue\n\n412.6\n\n| A | B |", "title": "T"}
    checks = {
        "contains": {"body": ["EBITDA"]},
        "lacks": {"title": ["T"]},
        "paragraph_has_all": [["Revenue", "412.6"]],
        "no_paragraph_matching": [r"[+-]?[0-9][0-9.,]*%?"],
    }
    assert len(check_values(article, checks)) == 4
