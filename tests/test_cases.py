"""The shared fault cases (`../shared/data/cases/`), each giving its expected values, golden.

Each folder holds saved pages and `expected.json` (one article, or `{"articles", "run"}`);
`scrapy crawl menafn -a source=FOLDER -s NEWSCRAWL_STATE=` must give exactly those values.
All of them are read in one crawl (tests/case_runs.py) and checked case by case.
"""

from __future__ import annotations

import pytest

from tests.case_runs import Case, CasesRun, crawl_cases, summed_counts
from tests.conftest import ROOT

CASES_DIR = ROOT.parent / "shared" / "data" / "cases"
CASES = [Case.read(p.parent) for p in sorted(CASES_DIR.glob("*/expected.json"))]
pytestmark = [
    pytest.mark.skipif(not CASES, reason=f"no shared cases at {CASES_DIR}"),
    pytest.mark.xdist_group("cases"),  # one worker: its module fixture is made once
]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> CasesRun:
    return crawl_cases(CASES, "menafn", tmp_path_factory.mktemp("cases"))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shared_case_gives_its_expected_values(case: Case, crawled: CasesRun) -> None:
    for expected in case.articles:
        article = crawled.written.get(expected["id"])
        assert article is not None, f"{case.name}: {expected['id']} not written"
        for field, value in expected.items():
            assert article[field] == value, f"{case.name} {expected['id']} {field}"


def test_the_crawl_wrote_exactly_the_cases_articles_and_counts(crawled: CasesRun) -> None:
    assert sorted(crawled.written) == sorted(a["id"] for c in CASES for a in c.articles)
    line = crawled.run.last()
    for name, value in summed_counts(CASES).items():
        assert line[name] == value, name
