"""A good citizen on the local test sites: who we say we are, and the wires' known live faults
(``../shared/research/discovery-sitemaps.md``): a redirect to a trailing-slash URL that is 404,
and a 200 "Access Denied" page with (next to) nothing in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FAST
from tests.in_process import crawl_here
from tests.site import Fault, MenafnSite, synthetic_stories
from tests.site.releases import synthetic_releases
from tests.site.wires import WireSite

pytestmark = pytest.mark.slow

FEED = "/rss/news-releases-list.rss"
LISTING = "/tb_news.aspx?tb_html=tb_us"
AKAMAI = (  # the shape of the CDN's block page: a heading, a line, a reference; no title
    b"<HTML><HEAD>\n</HEAD><BODY>\n<H1>Access Denied</H1>\nYou don't have permission to access"
    b' "http://www.prnewswire.com/" on this server.<P>\nReference #18.5e3c1160\n</BODY></HTML>'
)


def slash_redirect(base_url: str, path: str) -> Fault:
    """The first request answers 301 to the same URL with a slash added (a URL that is 404)."""
    plain, _, query = path.partition("?")
    target = f"{base_url}{plain}/" + (f"?{query}" if query else "")
    return Fault(statuses=[301], headers={"Location": target})


def test_a_feed_redirected_to_a_missing_slash_url_is_asked_again(out: Path) -> None:
    releases = synthetic_releases("prnewswire", 5)
    with WireSite("prnewswire", releases) as site:
        site.faults[FEED] = slash_redirect(site.base_url, FEED)
        run = crawl_here(
            out, "-a", f"base_url={site.base_url}", *FAST, "-s", "NEWSCRAWL_LISTING_PATHS=",
            spider="prnewswire",
        )  # fmt: skip
        asked = [(r.path, r.status) for r in site.requests if r.path.startswith(FEED)]
    assert run.status == 0, run.stderr[-3000:]
    assert asked == [(FEED, 301), (FEED + "/", 404), (FEED, 200)]
    assert sorted(a["id"] for a in run.articles()) == sorted(f"prnewswire:{r.id}" for r in releases)


def test_a_listing_redirected_to_a_missing_slash_url_is_asked_again_and_we_say_who_we_are(
    out: Path,
) -> None:
    stories = synthetic_stories(3)
    with MenafnSite(stories) as site:
        site.faults[LISTING] = slash_redirect(site.base_url, LISTING)
        listing = ("-s", f"NEWSCRAWL_LISTING_PATHS={LISTING}")
        run = crawl_here(
            out, "-a", f"base_url={site.base_url}", *FAST, *listing,
            "-s", "NEWSCRAWL_CONTACT=crawl-ops@example.org",
        )  # fmt: skip
        requests = site.requests
    assert run.status == 0, run.stderr[-3000:]
    asked = [r.status for r in requests if r.path.startswith(LISTING.split("?")[0])]
    assert asked[:3] == [301, 404, 200]
    assert len(run.articles()) == 3
    agents = {r.user_agent for r in requests}
    assert agents == {
        "newscrawl/0.3.0 (+https://github.com/newscrawl/newscrawl; contact: crawl-ops@example.org)"
    }


@pytest.mark.parametrize("page", [b"", AKAMAI], ids=["empty", "access-denied"])
def test_a_wire_answering_200_access_denied_pages_ends_the_run_as_blocked(
    out: Path, page: bytes
) -> None:
    with WireSite("prnewswire", synthetic_releases("prnewswire", 30)) as site:
        site.faults["/"] = Fault(body_override=page)
        run = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST, spider="prnewswire")
    assert run.status == 1
    line = run.last()
    assert (line["finish_reason"], line["written"]) == ("blocked", 0)


def test_menafn_answering_empty_200_pages_ends_the_run_as_blocked(out: Path) -> None:
    with MenafnSite(synthetic_stories(30)) as site:
        site.faults["/"] = Fault(body_override=b"")
        run = crawl_here(out, "-a", f"base_url={site.base_url}", *FAST)
    assert run.status == 1
    assert run.last()["finish_reason"] == "blocked"
