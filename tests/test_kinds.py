"""Pages of every kind issue 8 names, written by a tester who had not seen the code.

`tests/kinds/<kind>/` holds saved pages and `expected.json`: `articles` (each written
with exactly these values), `rejected` (each rejected, never written: page chrome, notices,
redirects, teasers) and `duplicates` (the same story again under another id: dropped). One
crawl reads them all, as a user would: `scrapy crawl menafn -a source=tests/kinds`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, Run
from tests.in_process import crawl_here

pytestmark = pytest.mark.xdist_group("kinds")  # one worker: its module fixture is made once

KINDS = ROOT / "tests" / "kinds"
FOLDERS = sorted(p.parent for p in KINDS.glob("*/expected.json"))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("kinds") / "output"
    done = crawl_here(out, "-a", f"source={KINDS}", state="")
    assert done.status in {0, 3}, done.stderr[-2000:]
    return done


def expected(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((folder / "expected.json").read_text("utf-8"))
    return data


def story_id(line: dict[str, Any]) -> str:
    return str(line.get("id") or "").split(":")[-1] or Path(str(line["url"])).name.split("-")[0]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_each_kind_gives_exactly_its_expected_outcome(run: Run, folder: Path) -> None:
    written = {a["id"]: a for a in run.articles()}
    rejected = {story_id(line) for line in run.rejects()}
    want = expected(folder)
    for article in want.get("articles", []):
        got = written.get(article["id"])
        assert got is not None, f"{article['id']} not written"
        for field, value in article.items():
            assert got[field] == value, f"{article['id']} {field}"
    for line in want.get("rejected", []):
        assert line["id"] not in written, f"{line['id']} written: {line['reject']}"
        assert line["id"].split(":")[-1] in rejected, f"{line['id']} not in the rejects"
    for duplicate in want.get("duplicates", []):
        assert duplicate not in written


def test_every_page_is_accounted_for(run: Run) -> None:
    line = run.last()
    pages = [p for p in KINDS.rglob("*") if p.is_file() and p.name != "expected.json"]
    assert line["pages"] == len(pages)
    assert line["pages"] == line["written"] + line["duplicates"] + line["rejected"]


def test_a_rejects_line_carries_what_the_page_gave(run: Run) -> None:
    judged = [line for line in run.rejects() if line["reason"].startswith("not a story")]
    assert judged
    for line in judged:
        assert {"url", "reason", "detail", "at", "id", "title"} <= set(line), line["url"]
