"""End to end: `scrapy crawl globenewswire|prnewswire` on their local sites and on saved pages."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

from newscrawl.items import load_schema
from tests.conftest import DEFAULT_STATE, FAST, FIXTURES, Run, crawl
from tests.in_process import crawl_here, scrapy_here
from tests.site import MenafnSite, synthetic_stories
from tests.site.release_meta import description
from tests.site.releases import Release, synthetic_releases
from tests.site.wires import LISTINGS, WireSite

pytestmark = pytest.mark.slow

WIRES = ("globenewswire", "prnewswire")
PROVIDERS = {"globenewswire": "GlobeNewswire", "prnewswire": "PR Newswire"}
VALIDATOR = Draft202012Validator(load_schema())


@pytest.fixture(params=WIRES)
def wire(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


def crawl_site(out: Path, site: WireSite, *args: str) -> Run:
    return crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, *args, spider=site.wire)


def release_paths(site: WireSite) -> list[str]:
    return sorted(urlsplit(r.path).path for r in site.article_requests())


def assert_articles_are(run: Run, releases: list[Release], described: bool = True) -> None:
    """The run wrote exactly these releases, each with the facts its page shows (its own
    description as ``summary`` where the page has one, ``described``)."""
    wire = run.spider
    by_id = {f"{wire}:{r.id}": r for r in releases}
    articles = run.articles()
    assert sorted(a["id"] for a in articles) == sorted(by_id)
    for article in articles:
        release = by_id[article["id"]]
        assert not list(VALIDATOR.iter_errors(article))
        assert (article["source"], article["provider"]) == (wire, PROVIDERS[wire])
        assert article["url"] == release.canonical_url  # the wire's, not the test site's
        assert article["title"] == release.title
        assert article["published_at"] == release.published.isoformat()
        assert article["dateline"] == release.dateline
        assert article["organization"] == release.organization
        assert article["body"] == release.body  # no contact block, SOURCE line or pixel
        assert article["summary"] == (description(release) if described else None)


def cron_runs(out: Path, site: WireSite) -> Run:
    """Run 1 finds every release through the listing's pages and the feeds; run 2 asks for
    nothing; run 3 finds new releases through the feeds alone. Returns run 1."""
    first = crawl_site(out, site)
    assert first.status == 0, first.stderr[-3000:]
    assert_articles_are(first, site.releases)
    assert release_paths(site) == sorted(r.path for r in site.releases)  # each once
    listed = [r.path for r in site.requests if r.path.startswith(LISTINGS[site.wire])]
    assert len(listed) == 2  # 30 releases, 25 a page: the next page was followed

    site.clear_requests()
    second = crawl_site(out, site)
    assert second.status == 0
    assert release_paths(site) == []  # zero refetch
    assert second.articles() == []
    assert second.last()["skipped_seen"] >= 25  # the listing's first page, and the feeds
    listed = [r.path for r in site.requests if r.path.startswith(LISTINGS[site.wire])]
    assert len(listed) == 1  # its stories were all known: a quiet run reads one page

    site.clear_requests()
    new = site.add_synthetic(3)
    third = crawl_site(out, site, "-s", "NEWSCRAWL_LISTING_PATHS=")  # the feeds alone
    assert third.status == 0, third.stderr[-3000:]
    assert_articles_are(third, new)
    assert release_paths(site) == sorted(r.path for r in new)
    return first


def test_globenewswire_cron_runs_fetch_each_release_once(out: Path) -> None:
    """The three cron runs; then, after a redesign, new releases are written from the
    fallbacks and the run raises the layout alarm (exit status 3)."""
    with WireSite("globenewswire", synthetic_releases("globenewswire", 30)) as site:
        cron_runs(out, site)
        site.layout = "redesigned"
        redesigned = site.add_synthetic(3)
        fourth = crawl_site(out, site, "-s", "NEWSCRAWL_HEALTH_MIN_PAGES=3")
    assert fourth.status == 3, fourth.stderr[-3000:]
    assert_articles_are(fourth, redesigned, described=False)  # the redesign has no description
    line = fourth.last()
    assert line["health"]["layers"]["meta"] == 3
    assert any(alarm.startswith("layout changed") for alarm in line["alarms"])
    assert "newscrawl: alarm: layout changed" in fourth.stderr


def test_prnewswire_cron_runs_fetch_each_release_once(out: Path, tmp_path: Path) -> None:
    """The three cron runs; then run 1's archive re-extracts, with the site gone, to run 1's
    articles, byte for byte."""
    with WireSite("prnewswire", synthetic_releases("prnewswire", 30)) as site:
        first = cron_runs(out, site)
    archive = out / first.last()["archive"]
    assert first.last()["archive"] == f"prnewswire/archive/{first.last()['run']}.warc.gz"
    again = crawl_here(tmp_path / "again", "-a", f"source={archive}", state="", spider="prnewswire")
    assert again.status == 0, again.stderr[-3000:]
    assert (again.out / again.last()["file"]).read_bytes() == (
        out / first.last()["file"]
    ).read_bytes()


def test_saved_pages_give_their_expected_articles(out: Path, tmp_path: Path, wire: str) -> None:
    """The golden fixture folder, offline: every page (named `page.html`, so its id comes
    from its canonical link) gives its reviewed expected.json; the notes are skipped; a
    MENAFN page among them is rejected as not the wire's, never written."""
    folder = tmp_path / wire
    shutil.copytree(FIXTURES.parent / wire, folder)
    shutil.copy(next(FIXTURES.glob("html-*/page.html")), folder / "menafn-page.html")
    run = crawl_here(out, "-a", f"source={folder}", spider=wire)
    assert run.status == 0, run.stderr[-3000:]
    written = {a["id"]: a for a in run.articles()}
    cases = sorted(folder.glob("*/expected.json"))
    assert len(written) == len(cases) >= 3
    for case in cases:
        expected = json.loads(case.read_text("utf-8"))
        article = written[expected["id"]]
        assert {k: article[k] for k in expected} == expected, case.parent.name
    (reject,) = run.rejects()
    assert reject["reason"] == f"not a {PROVIDERS[wire]} page"
    assert run.last()["health"]["mode"] == "offline"


def test_scrapy_list_shows_the_three_spiders() -> None:
    listed = scrapy_here("list")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["globenewswire", "menafn", "prnewswire"]


def test_two_spiders_share_one_state_at_the_same_time(out: Path) -> None:
    """One lock per spider (CONTRACT §1): menafn's live run and prnewswire's offline run write
    into one output folder and one state together; neither waits for nor rolls back the other."""
    with MenafnSite(synthetic_stories(20)) as site:
        site.response_delay = 0.1  # the live run lasts while the other one runs
        with ThreadPoolExecutor(2) as pool:
            live = pool.submit(
                crawl, out, "-a", f"base_url={site.base_url}", *FAST, state=DEFAULT_STATE
            )
            offline = pool.submit(
                crawl, out, "-a", f"source={FIXTURES.parent / 'prnewswire'}",
                state=DEFAULT_STATE, spider="prnewswire",
            )  # fmt: skip
            menafn, prnewswire = live.result(), offline.result()
    assert (menafn.status, prnewswire.status) == (0, 0), menafn.stderr[-1500:]
    assert len(menafn.articles()) == 20
    assert len(prnewswire.articles()) == len(
        list((FIXTURES.parent / "prnewswire").glob("*/page.html"))
    )
    assert "rolled back" not in menafn.stderr + prnewswire.stderr
