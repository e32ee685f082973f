"""End to end: the site changes under the crawler, and the crawler says so (exit status 3)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run
from tests.in_process import crawl_here
from tests.site import Fault, MenafnSite, Story, synthetic_stories
from tests.site.pages import render_notice

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1",
        "-s", "NEWSCRAWL_DISCOVERY_DEPTH=1")  # fmt: skip


def crawl_site(out: Path, site: MenafnSite) -> Run:
    return crawl_here(out, "-a", f"base_url={site.base_url}", *FAST)


def assert_written_right(run: Run, stories: list[Story]) -> None:
    """Every story written, each field as the site published it."""
    written = {a["id"]: a for a in run.articles()}
    assert sorted(written) == sorted(f"menafn:{s.id}" for s in stories)
    for story in stories:
        article = written[f"menafn:{story.id}"]
        assert article["title"] == story.title
        assert article["body"] == story.body
        assert article["dateline"] == story.dateline
        assert article["provider"] == (story.provider or "MENAFN")
        assert article["published_at"] == story.published.isoformat()  # Eastern stamp, in UTC
        assert article["tracking_id"] == story.tracking_id


def test_a_redesign_and_a_scripted_site_raise_alarms(out: Path) -> None:
    with MenafnSite(synthetic_stories(20)) as site:
        first = crawl_site(out, site)
        assert first.status == 0, first.stderr[-2000:]
        assert first.last()["alarms"] == []
        assert first.last()["health"]["layers"]["site"] == 20
        assert_written_right(first, site.stories)

        site.layout = "redesigned"  # no MENAFN selectors, no JSON-LD, <br>-separated text
        redesigned = site.add_synthetic(20)
        second = crawl_site(out, site)
        assert second.status == 3, second.stderr[-2000:]
        assert_written_right(second, redesigned)  # right, from the fallbacks
        line = second.last()
        assert line["exit_status"] == 3
        assert line["health"]["layers"]["generic"] == 20
        assert line["alarms"][0].startswith("layout changed: the site selectors gave 0% of bodies")
        assert "newscrawl: alarm: layout changed" in second.stderr
        assert "alarms: layout changed" in second.stdout  # the summary line

        site.layout = "scripted"  # the story is no longer in the HTML
        scripted = site.add_synthetic(20)
        third = crawl_site(out, site)
        assert third.status == 3, third.stderr[-2000:]
        assert third.articles() == []
        line = third.last()
        assert (line["written"], line["rejected"]) == (0, 20)
        assert {r["url"].split("/")[3] for r in third.rejects()} == {str(s.id) for s in scripted}
        assert any(a.startswith("most story pages were rejected") for a in line["alarms"])

        site.layout = "evidenced"  # the site heals: only the rejected stories are asked again
        site.clear_requests()
        fourth = crawl_site(out, site)
        assert fourth.status == 0, fourth.stderr[-2000:]
        assert_written_right(fourth, scripted)
        assert sorted(r.path for r in site.article_requests()) == sorted(s.path for s in scripted)


def test_a_story_moved_to_the_home_page_or_gone_is_counted_and_asked_again(out: Path) -> None:
    with MenafnSite(synthetic_stories(12)) as site:
        moved, gone = site.stories[2], site.stories[5]
        site.faults[moved.path] = Fault(redirect_to="/")
        site.faults[gone.path] = Fault(body_override=render_notice().encode())
        first = crawl_site(out, site)
        assert first.status == 0, first.stderr[-2000:]
        written = {a["id"] for a in first.articles()}
        assert f"menafn:{moved.id}" not in written
        assert f"menafn:{gone.id}" not in written
        assert len(written) == 10
        reasons = {r["url"].split("/")[3]: r["reason"] for r in first.rejects()}
        assert reasons == {
            "": "redirected away from the story",  # the URL it landed on: the home page
            str(gone.id): "not a story: a notice",
        }
        assert first.last()["rejected"] == 2

        del site.faults[moved.path], site.faults[gone.path]
        site.clear_requests()
        second = crawl_site(out, site)
        assert_written_right(second, [moved, gone])
        assert sorted(r.path for r in site.article_requests()) == sorted([moved.path, gone.path])
