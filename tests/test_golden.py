"""Golden fixtures: each saved page gives exactly its reviewed expected.json, field by field,
read as an offline run reads a saved page (newscrawl/spiders/reading.py PageReader, by its
site's definition: the saved-file-name rule for its id, the encoding its bytes show)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from jsonschema import Draft202012Validator

from newscrawl.extraction.consistency import inconsistencies
from newscrawl.items import ARTICLE_FIELDS, Article, load_schema
from newscrawl.processors import content_hash, word_count
from newscrawl.saved import page_kind
from newscrawl.settings import DOWNLOAD_MAXSIZE
from newscrawl.site import Site
from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.prnewswire import PRNEWSWIRE
from newscrawl.spiders.reading import PageReader, SavedFile
from tests.conftest import FIXTURES

pytestmark = pytest.mark.xdist_group("golden")  # one worker: its module fixture is made once

# Every site's fixtures: tests/fixtures/<site>/<case>/expected.json.
CASES = sorted(p.parent for p in FIXTURES.parent.glob("*/*/expected.json"))
MENAFN_CASES = [c for c in CASES if c.parent.name == "menafn"]
SITES: dict[str, Site] = {site.name: site for site in (MENAFN, GLOBENEWSWIRE, PRNEWSWIRE)}
WIRES = ("globenewswire", "prnewswire")
VALIDATOR = Draft202012Validator(load_schema())
# Not in expected.json: unknown in advance, or computed from other fields (checked below).
DERIVED = {
    "schema_version", "source", "crawled_at", "word_count", "content_hash", "cluster_id",
    "extracted_by",
}  # fmt: skip


def page_file(case: Path) -> Path:
    (page,) = [p for p in case.iterdir() if page_kind(p)]
    return page


def parse(page: Path) -> Article:
    """The page's article, as an offline run of its site's spider reads the saved page: the
    same reader, the same unit (its ``file://`` URI), the run's largest page size."""
    reader = PageReader(SITES[page.parent.parent.name], DOWNLOAD_MAXSIZE)
    outcome = reader.outcome(SavedFile(page, page.resolve().as_uri()))
    assert isinstance(outcome, Article), outcome  # a Reject names its reason
    return outcome


class Golden(NamedTuple):
    folder: Path
    article: Article
    read_from: datetime  # when the read began and ended: its crawled_at is in between
    read_to: datetime


def expected(case: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((case / "expected.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="module", params=CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def case(request: pytest.FixtureRequest) -> Golden:
    before = datetime.now(UTC).replace(microsecond=0)
    article = parse(page_file(request.param))
    return Golden(request.param, article, before, datetime.now(UTC))


def test_there_are_fixtures_of_both_kinds() -> None:
    kinds = {page_kind(page_file(c)) for c in MENAFN_CASES}
    assert kinds == {"text", "html"}
    assert len(MENAFN_CASES) >= 30


def test_every_site_has_fixtures() -> None:
    sites = {c.parent.name for c in CASES}
    assert sites == set(SITES)
    for site in WIRES:
        assert len([c for c in CASES if c.parent.name == site]) >= 3, site


@pytest.mark.parametrize(
    "field",
    [f for f in ARTICLE_FIELDS if f not in DERIVED],
)
def test_field_matches_expected(case: Golden, field: str) -> None:
    folder, article, _, _ = case
    assert getattr(article, field) == expected(folder)[field]


def test_expected_file_names_every_field(case: Golden) -> None:
    folder = case.folder
    assert set(expected(folder)) == set(ARTICLE_FIELDS) - DERIVED


def test_derived_fields_and_schema(case: Golden) -> None:
    folder, article, _, _ = case
    assert article.title
    assert article.body
    assert article.word_count == word_count(article.body)
    assert article.content_hash == content_hash(article.title, article.body)
    assert article.cluster_id == article.id  # a page alone is its own story
    assert article.source == folder.parent.name
    assert article.crawled_at is not None
    read_at = datetime.fromisoformat(article.crawled_at)  # when the page was read, UTC seconds
    assert article.crawled_at == read_at.astimezone(UTC).isoformat(timespec="seconds")
    assert case.read_from <= read_at <= case.read_to
    record = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    errors = list(VALIDATOR.iter_errors(record))
    assert not errors, errors[0].message


def test_the_article_agrees_with_itself(case: Golden) -> None:
    """Issue 16 point 2, on every fixture: the article a page gives, and its reviewed values,
    contradict themselves nowhere (``extraction/consistency.py``), on the site's clock."""
    folder, article, _, _ = case
    clock = SITES[folder.parent.name].clock
    assert inconsistencies(article, clock) == []
    assert inconsistencies(expected(folder), clock) == []


def test_expected_values_are_not_empty_where_the_page_has_them(
    case: Golden,
) -> None:
    folder = case.folder
    text = page_file(folder).read_bytes().decode("utf-8", errors="replace")
    values = expected(folder)
    assert values["title"]
    assert values["body"]
    assert values["id"]
    assert values["url"]
    if "MENAFN" in text and ("(MENAFN" in text or "MENAFN -" in text):
        assert values["dateline"]
        assert values["provider"]
    if "Tuesday, 02 January 2024 12:17 GMT" in text:
        assert values["page_date"] == "2024-01-02T12:17:00+00:00"
    if folder.parent.name in WIRES:  # a release names its wire, issuer, dateline and time
        assert values["provider"]
        assert values["organization"]
        assert values["dateline"]
        assert values["published_at"]
        assert values["published_text"]
    else:
        assert values["organization"] is None  # news stories have no issuer


def test_the_real_wire_pages_give_the_facts_read_from_them() -> None:
    """The facts in ../shared/data/external/README.md."""
    root = FIXTURES.parent
    gnw = parse(root / "globenewswire" / "marketwired-segment-2016" / "page.html")
    assert gnw.id == "globenewswire:1300478"
    assert gnw.title == "Segment Launches Sources to Unify Siloed Customer Data in Minutes"
    assert gnw.published_at == "2016-04-06T16:00:00+00:00"
    assert gnw.organization == "Segment"
    assert gnw.dateline == "SAN FRANCISCO, CA--(Marketwired - April 06, 2016) -"
    assert gnw.body
    assert gnw.body.startswith("Segment, the customer data platform, today released")
    assert "bateman-group.com" not in gnw.body
    prn = parse(root / "prnewswire" / "hackerrank-2016" / "page.html")
    assert prn.id == "prnewswire:300256929"
    assert prn.title == (
        "HackerRank & Cybermedia Technologies Partner to Help Close the STEM Skills Gap in "
        "Federal Government"
    )
    assert prn.published_at == "2016-04-25T07:39:00+00:00"  # 03:39-04:00; not dateModified
    assert prn.organization == "HackerRank"
    assert prn.dateline == "PALO ALTO, Calif., April 25, 2016 /PRNewswire/ --"
    assert prn.body
    assert prn.body.startswith("HackerRank, a platform that ranks engineers")
    assert "SOURCE" not in prn.body
    assert "MEDIA CONTACT" not in prn.body


def test_sample_page_matches_the_contract() -> None:
    page = next((FIXTURES / "seed-1109793603").glob("*.txt"))
    article = parse(page)
    assert article.title == "Lavrov, North Korean Leader Discuss Bilateral Issues in Wonsan"
    assert article.published_at == "2025-07-13T08:11:24+00:00"  # 04:11:24 EDT
    assert article.page_date == "2024-01-02T12:17:00+00:00"
    assert (article.dateline, article.provider) == ("(MENAFN)", "MENAFN")
    assert article.body is not None
    paragraphs = article.body.split("\n\n")
    assert len(paragraphs) == 10
    assert paragraphs[0].startswith("Russian Foreign Minister Sergey Lavrov met with North Korean")
    assert paragraphs[-1].endswith(
        "Lavrov was to deliver a message from President Putin directly to Kim."
    )
    text = page.read_text("utf-8")
    original = text[text.index("(MENAFN)") :].strip()
    assert f"{article.dateline} {article.body}" == original


def test_recurring_titles_are_different_stories() -> None:
    kuwait = [parse(page_file(c)) for c in CASES if "Today-In-Kuwait" in c.name]
    assert len(kuwait) >= 3
    assert len({a.id for a in kuwait}) == len(kuwait)
    assert len({a.content_hash for a in kuwait}) == len(kuwait)
