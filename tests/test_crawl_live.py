"""End to end: `scrapy crawl menafn -a base_url=...` against the local MENAFN-like site."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FAST, FIXTURES, Run
from tests.in_process import crawl_here
from tests.site import Fault, MenafnSite, load_fixture_stories, synthetic_stories
from tests.site.feeds import DIALECTS

FEED_EXPECTED = json.loads((FIXTURES.parent / "feeds" / "expected.json").read_text("utf-8"))


@pytest.fixture
def site() -> Iterator[MenafnSite]:
    with MenafnSite(synthetic_stories(200)) as site:
        yield site


def crawl_site(out: Path, site: MenafnSite, *args: str) -> Run:
    return crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, *args)


def article_paths(site: MenafnSite) -> list[str]:
    return [r.path for r in site.article_requests()]


def test_cron_runs_fetch_each_story_once(out: Path, site: MenafnSite) -> None:
    first = crawl_site(out, site)
    assert first.status == 0, first.stderr[-3000:]
    articles = first.articles()
    assert len(articles) == 200
    assert len({a["id"] for a in articles}) == 200
    stories = {f"menafn:{s.id}": s for s in site.stories}
    for article in articles:
        story = stories[article["id"]]
        assert article["url"] == story.canonical_url  # menafn.com, not the test site
        assert article["title"] == story.title
        assert article["body"] == story.body
        assert article["dateline"] == story.dateline
    assert len(article_paths(site)) == 200

    site.clear_requests()
    second = crawl_site(out, site)
    assert second.status == 0
    assert article_paths(site) == []  # zero refetch
    assert second.articles() == []
    assert second.last()["skipped_seen"] >= 20  # the stories of the first pages
    assert len([r for r in site.requests if ".aspx" in r.path]) == 6  # and no other

    site.clear_requests()
    new = site.add_synthetic(5)
    third = crawl_site(out, site)
    assert third.status == 0
    assert sorted(a["id"] for a in third.articles()) == sorted(f"menafn:{s.id}" for s in new)
    assert sorted(article_paths(site)) == sorted(s.path for s in new)


def test_link_variants_of_one_story_give_one_request(out: Path) -> None:
    (story,) = synthetic_stories(1)
    variants = [
        f"http://www.menafn.com{story.path}?src=RSS",
        f"https://menafn.com{story.path}?Social=on",
        f"{story.path}#comments",
        f"http://menafn.com/{story.id}/Another-Slug",
    ]
    listing = "".join(f'<h3 class="entry-title"><a href="{v}">x</a></h3>' for v in variants)
    with MenafnSite([story]) as site:
        site.faults["/tb_news.aspx"] = Fault(
            body_override=f"<html><body>{listing}</body></html>".encode()
        )
        run = crawl_site(out, site, "-s", "NEWSCRAWL_LISTING_PATHS=/tb_news.aspx?tb_html=tb_us")
        assert run.status == 0
        assert len(site.article_requests()) == 1
        assert [a["id"] for a in run.articles()] == [f"menafn:{story.id}"]


def test_robots_txt_is_obeyed(out: Path) -> None:
    stories = synthetic_stories(30)
    banned = stories[5]
    robots = f"User-agent: *\nDisallow: /{banned.id}/\n"
    with MenafnSite(stories, robots_txt=robots) as site:
        run = crawl_site(out, site)
        assert run.status == 0
        paths = [r.path for r in site.article_requests()]
        assert len(paths) == 29
        assert not [p for p in paths if p.startswith(f"/{banned.id}/")]
        assert f"menafn:{banned.id}" not in {a["id"] for a in run.articles()}


def test_retry_after_holds_back_the_next_request_to_the_host(out: Path) -> None:
    stories = synthetic_stories(6)
    with MenafnSite(stories) as site:
        target = stories[2].path
        site.faults[target] = Fault(statuses=[429], headers={"Retry-After": "1"})
        # One request at a time. (Scrapy 2.19 on asyncio sends a burst from a slot's queue
        # when DOWNLOAD_DELAY is 0, whatever the concurrency; a small delay keeps it to one.)
        one = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "DOWNLOAD_DELAY=0.01")
        run = crawl_site(out, site, *one)
        assert run.status == 0
        log = site.requests
        (hit,) = [i for i, r in enumerate(log) if r.status == 429]
        assert log[hit + 1].time - log[hit].time >= 1.0  # the backoff alone is 0.1 s
        assert len(run.articles()) == 6  # the page came on the retry


def test_a_site_that_forbids_everything_ends_the_run_as_blocked(out: Path) -> None:
    with MenafnSite(synthetic_stories(100)) as site:
        site.faults["/"] = Fault(statuses=[403] * 10_000)
        run = crawl_site(out, site)
        assert run.status == 1
        line = run.last()
        assert (line["finish_reason"], line["exit_status"]) == ("blocked", 1)
        assert "blocked" in run.stdout
        assert len(site.requests) < 30


def test_since_skips_stories_dated_earlier(out: Path, site: MenafnSite) -> None:
    # `since` compares the day the listings print, on the site's (Eastern) clock.
    newest = max(s.local_published for s in site.stories)
    since = newest.date().isoformat()
    run = crawl_site(out, site, "-a", f"since={since}", "-s", "NEWSCRAWL_DISCOVERY_DEPTH=1")
    assert run.status == 0
    written = {a["id"] for a in run.articles()}
    expected = {f"menafn:{s.id}" for s in site.stories if s.local_published.date() >= newest.date()}
    assert written == expected


def test_an_unreachable_site_fails_the_run(out: Path) -> None:
    with MenafnSite([]) as site:
        base = site.base_url
    run = crawl_here(out, "-a", f"base_url={base}", *FAST, "-s", "RETRY_TIMES=0")
    assert run.status == 1
    assert run.last()["errors"] >= 6
    assert "Traceback" not in run.stderr


def test_feeds_of_every_dialect_find_every_story_and_bad_feeds_are_named(out: Path) -> None:
    """Only feeds, no listings: the site's feeds in each dialect, the hand-written feeds of
    tests/fixtures/feeds/ (their stories are the fixture pages'), MENAFN's mobile API, an
    empty feed, a feed that is gone and one that is a web page. Every story is found; the
    empty feeds are warnings naming them, the bad ones name their URL and HTTP status; the run
    does not fail for them."""
    synthetic = synthetic_stories(12)
    stories = load_fixture_stories(FIXTURES) + synthetic
    written = sorted(FIXTURES.parent.glob("feeds/menafn-*.xml"))
    api = ",".join(
        f'{{"newsid": "{s.id}", "link": "https://menafn.com{s.path}", '
        f'"newsdate": "{s.published:%Y-%m-%dT%H:%M:%S}"}}'
        for s in synthetic[:2]
    )
    feeds = [
        *(f"/rss/{dialect}.xml" for dialect in (*DIALECTS, "empty")),
        *(f"/rss/written/{path.name}" for path in written),
        "/mobile/WebAPI/getnews/getsection/MobileEN_Home",
        "/rss/missing.xml",
        "/rss/html",
    ]
    with MenafnSite(stories) as site:
        for path in written:
            site.faults[f"/rss/written/{path.name}"] = Fault(
                body_override=path.read_bytes(), content_type="application/rss+xml"
            )
        site.faults["/mobile/"] = Fault(body_override=f"[{api}]".encode())
        site.faults["/rss/html"] = Fault(body_override=b"<html><body>not a feed</body></html>")
        only_feeds = (
            "-s",
            "NEWSCRAWL_LISTING_PATHS=",
            "-s",
            f"NEWSCRAWL_FEED_PATHS={','.join(feeds)}",
        )
        run = crawl_site(out, site, *only_feeds)
        base = site.base_url
    assert run.status == 0, run.stderr[-2000:]
    assert {a["id"] for a in run.articles()} == {f"menafn:{s.id}" for s in stories}
    for path in written:
        expected = FEED_EXPECTED[path.name]
        assert (
            f"feed {base}/rss/written/{path.name}: {expected['entries']} items"
            f" ({expected['dialect']}), {len(expected['links'])} story links"
        ) in run.stderr
    assert f"feed is empty: {base}/rss/empty.xml: 0 items (rss20)" in run.stderr
    assert f"feed is empty: {base}/rss/written/menafn-empty-rss20.xml: 0 items" in run.stderr
    assert f"feed failed: {base}/rss/missing.xml: HTTP 404" in run.stderr
    assert f"feed failed: {base}/rss/html: HTTP 200, not a feed" in run.stderr
    stats = dumped_stats(run.stderr)
    assert stats["newscrawl/discovery/feeds"] == len(feeds) - 2
    assert stats["newscrawl/discovery/feeds_empty"] == 2
    assert stats["newscrawl/discovery/feed_failures"] == 2
    assert "newscrawl/discovery/listing_pages" not in stats


def dumped_stats(log: str) -> dict[str, int]:
    """The counts Scrapy dumps at the end of a run's log."""
    dump = log[log.rindex("Dumping Scrapy stats:") :]
    return {key: int(n) for key, n in re.findall(r"'([^']+)': (\d+)", dump[: dump.index("}")])}


@pytest.mark.parametrize("status", [403, 404])
def test_a_robots_txt_that_is_forbidden_or_missing_means_no_rules(out: Path, status: int) -> None:
    stories = synthetic_stories(5)
    with MenafnSite(stories) as site:
        site.faults["/robots.txt"] = Fault(statuses=[status] * 10)
        run = crawl_site(out, site)
        assert run.status == 0
        assert len(run.articles()) == 5


def test_a_robots_txt_answering_5xx_defers_the_host_and_says_so(out: Path) -> None:
    stories = synthetic_stories(5)
    with MenafnSite(stories) as site:
        site.faults["/robots.txt"] = Fault(statuses=[503] * 50)
        run = crawl_site(out, site, "-s", "RETRY_TIMES=1")
        assert run.status == 1
        assert site.article_requests() == []
        assert run.articles() == []
        assert "robots.txt answered 5xx" in " ".join(run.last()["failures"])
        assert "host deferred" in run.stderr


def test_a_name_that_does_not_resolve_is_retried_then_given_up(out: Path) -> None:
    """DNS failure. The host name is malformed (a label starting with '-'), so the system
    resolver fails at once and no query leaves the machine."""
    run = crawl_here(
        out, "-a", "base_url=http://-bad-.invalid:8000", *FAST,
        "-s", "RETRY_TIMES=1", "-s", "NEWSCRAWL_LISTING_PATHS=/tb_news.aspx?tb_html=tb_us",
    )  # fmt: skip
    assert run.status == 1
    assert run.last()["errors"] == 1
    assert "DNS lookup failed" in run.stderr
    assert "Traceback" not in run.stderr


def test_challenge_pages_end_the_run_as_blocked(out: Path) -> None:
    challenge = b"<html><head><title>Just a moment...</title></head><body>Checking</body></html>"
    with MenafnSite(synthetic_stories(50)) as site:
        site.faults["/"] = Fault(body_override=challenge)
        run = crawl_site(out, site)
        assert run.status == 1
        assert run.last()["finish_reason"] == "blocked"
        assert len(site.requests) < 30
