"""Every open case (`../shared/data/open-cases/`), crawled as their README says (``scrapy crawl
SPIDER -a source=FOLDER -s NEWSCRAWL_STATE=``, the cases of one spider in one crawl:
tests/case_runs.py) and compared field by field, with its `checks`, its run counts and
`no_rejects`: a wire release with a naive metadata time, a results table, a legend before the
dateline (issue 16 points 2 and 3), an archive another tool wrote (point 5; other archives of
that kind are in ``test_warc_kinds.py``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.case_runs import Case, CasesRun, crawl_cases, summed_counts
from tests.conftest import ROOT

pytestmark = pytest.mark.xdist_group("open_cases")  # one worker: its module fixture is made once

OPEN_CASES = ROOT.parent / "shared" / "data" / "open-cases"
CASES = [Case.read(p.parent) for p in sorted(OPEN_CASES.glob("*/expected.json"))]
SPIDERS = sorted({case.spider for case in CASES})
NOT_FIELDS = {"note", "checks"}


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


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CasesRun]:
    """One crawl per spider, made when a test first asks for that spider's."""
    return {}


def crawl_of(spider: str, crawls: dict[str, CasesRun], tmp: pytest.TempPathFactory) -> CasesRun:
    if spider not in crawls:
        crawls[spider] = crawl_cases(CASES, spider, tmp.mktemp(spider))
    return crawls[spider]


@pytest.mark.skipif(not CASES, reason=f"no open cases at {OPEN_CASES}")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_open_case_gives_its_expected_values(
    case: Case, crawls: dict[str, CasesRun], tmp_path_factory: pytest.TempPathFactory
) -> None:
    crawled = crawl_of(case.spider, crawls, tmp_path_factory)
    for expected in case.articles:
        article = crawled.written.get(expected["id"])
        assert article is not None, f"{case.name}: {expected['id']} not written"
        for field, value in expected.items():
            if field not in NOT_FIELDS:
                assert article[field] == value, f"{case.name} {field}"
        assert check_values(article, expected.get("checks", {})) == []
    if case.no_rejects:
        assert crawled.rejects_of(case) == []


@pytest.mark.skipif(not CASES, reason=f"no open cases at {OPEN_CASES}")
@pytest.mark.parametrize("spider", SPIDERS)
def test_each_crawl_wrote_exactly_its_cases_articles_and_counts(
    spider: str, crawls: dict[str, CasesRun], tmp_path_factory: pytest.TempPathFactory
) -> None:
    crawled = crawl_of(spider, crawls, tmp_path_factory)
    mine = [case for case in CASES if case.spider == spider]
    assert sorted(crawled.written) == sorted(a["id"] for c in mine for a in c.articles)
    line = crawled.run.last()
    for name, value in summed_counts(mine).items():
        assert line[name] == value, name
    if all(case.no_rejects for case in mine):
        assert crawled.run.rejects() == []


def test_the_checks_fail_where_they_should() -> None:
    article = {"body": "Revenue\n\n412.6\n\n| A | B |", "title": "T"}
    checks = {
        "contains": {"body": ["EBITDA"]},
        "lacks": {"title": ["T"]},
        "paragraph_has_all": [["Revenue", "412.6"]],
        "no_paragraph_matching": [r"[+-]?[0-9][0-9.,]*%?"],
    }
    assert len(check_values(article, checks)) == 4
