"""A misbehaving site: one crawl over good pages mixed with every fault, then a test per fault.

Each faulty story must end as exactly one of: written right, a rejects line, or a counted
error. Never written wrong, never silently lost. The README's reliability table names these
tests.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import ftfy.bad_codecs  # noqa: F401 - the sloppy-windows-1252 codec browsers decode with
import pytest

from tests.conftest import Run
from tests.in_process import crawl_here
from tests.site import Fault, MenafnSite, Story, synthetic_stories
from tests.site.pages import render_article

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("faults")]  # its fixture: made once

SETTINGS = (
    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "-s", "NEWSCRAWL_RETRY_BACKOFF=0.05", "-s", "RETRY_TIMES=2", "-s", "DOWNLOAD_TIMEOUT=2",
    "-s", "NEWSCRAWL_BLOCKED_STREAK=0", "-s", "DOWNLOAD_MAXSIZE=2000000",
)  # fmt: skip
SOFT_404 = (
    b"<html><body><div class='Style403'>403</div><h2>Error! We're sorry, but the page you "
    b"were looking for doesn't exist.</h2></body></html>"
)
HUGE_PAGE = b"<html><body>" + b"x" * 50_000_000 + b"</body></html>"  # 50 MB
BROKEN_CHUNKED = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"400\r\n<html><body><p>(MENAFN) The story begins" + b" and goes on" * 10 + b"\r\nzz\r\n"
)


def deflate_bomb(size: int = 200 * 2**20) -> bytes:
    """A small deflate stream that inflates to ``size`` zero bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 15)
    chunk = bytes(2**20)
    return b"".join([*(packer.compress(chunk) for _ in range(size // len(chunk))), packer.flush()])


BODY = re.compile(
    r'(<div class="entry-summary tit" id="ContentPlaceHolder1_div_story_body">).*?(</div>)', re.S
)


def page(story: Story) -> str:
    return render_article(story)


def without_story(html: str) -> str:
    return BODY.sub(r"\1\2", html)


@dataclass
class Crawled:
    run: Run
    site: MenafnSite
    stories: dict[str, Story]  # fault name -> story
    written: dict[str, dict[str, Any]]  # story id -> article
    rejected: dict[str, dict[str, Any]]  # story id -> rejects line
    out: Path

    def outcome(self, fault: str) -> str:
        story = self.stories[fault]
        key = f"menafn:{story.id}"
        if key in self.written:
            return "written"
        if key in self.rejected:
            reason: str = self.rejected[key]["reason"]  # a rejects line's reason is a string
            return "rejected: " + reason
        return "not written"

    def requests_for(self, fault: str) -> list[int]:
        path = self.stories[fault].path
        return [r.status for r in self.site.requests if r.path.startswith(path)]


def faults_for(stories: list[Story], base: str) -> dict[str, tuple[Story, Fault]]:
    s = iter(stories)
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=1), usegmt=True)
    table: dict[str, tuple[Story, Fault]] = {}

    def add(name: str, fault_of: Any) -> None:
        story = next(s)
        table[name] = (story, fault_of(story))

    add("5xx_then_200", lambda _: Fault(statuses=[500, 502]))
    add("503_retry_after_date", lambda _: Fault(statuses=[503], headers={"Retry-After": later}))
    add("404", lambda _: Fault(statuses=[404] * 10))
    add("410", lambda _: Fault(statuses=[410] * 10))
    add("hang_after_headers", lambda _: Fault(hang_after_headers=5))
    add("dropped_mid_page", lambda _: Fault(truncate_at=20_000))
    add(
        "cut_in_the_story",
        lambda st: Fault(
            body_override=page(st)[
                : page(st).index("ContentPlaceHolder1_div_story_body") + 300
            ].encode()
        ),
    )
    add(
        "utf8_labelled_latin1",
        lambda st: Fault(
            body_override=page(st).encode(), content_type="text/html; charset=iso-8859-1"
        ),
    )
    add(
        "cp1252_labelled_utf8",
        lambda st: Fault(
            body_override=page(st).encode("cp1252", "xmlcharrefreplace"),
            content_type="text/html; charset=utf-8",
        ),
    )
    add(
        "bom_against_header",
        lambda st: Fault(
            body_override=b"\xef\xbb\xbf" + page(st).encode(),
            content_type="text/html; charset=iso-8859-1",
        ),
    )
    add(
        "invalid_bytes",
        lambda st: Fault(
            body_override=page(st)
            .replace(" memoranda", " memo\udcffranda", 1)
            .encode("utf-8", "surrogateescape")
        ),
    )
    add(
        "mojibake",
        lambda st: Fault(body_override=page(st).encode().decode("sloppy-windows-1252").encode()),
    )
    add(
        "mojibake_lost_bytes",
        lambda st: Fault(body_override=page(st).encode().decode("cp1252", "ignore").encode()),
    )
    add("shell_without_story", lambda st: Fault(body_override=without_story(page(st)).encode()))
    add(
        "visible_403_block",
        lambda st: Fault(
            body_override=without_story(page(st)).replace("display:none", "display:block").encode()
        ),
    )
    add("soft_404", lambda _: Fault(body_override=SOFT_404))
    add("huge_page", lambda _: Fault(body_override=HUGE_PAGE))
    add("gzip_bomb", lambda _: Fault(gzip_bomb=True))
    add(
        "deflate_bomb",
        lambda _: Fault(body_override=deflate_bomb(), headers={"Content-Encoding": "deflate"}),
    )
    add("broken_chunked", lambda _: Fault(raw=BROKEN_CHUNKED))
    add("redirect_chain_25", lambda st: Fault(redirect_to="/hop/1"))
    add("redirect_loop", lambda st: Fault(redirect_to="/loop/a"))
    add("redirect_offsite", lambda _: Fault(redirect_to="http://10.0.0.1/1110000001/x"))
    add("redirect_to_file", lambda _: Fault(redirect_to="file:///etc/passwd"))
    add(
        "future_date",
        lambda st: Fault(
            body_override=page(st)
            .replace(f"{st.local_published:%Y-%m-%d %H:%M:%S}", "2099-01-01 00:00:00")
            .replace(st.published.isoformat(), "2099-01-01T00:00:00+00:00")
            .encode()
        ),
    )
    return table


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    stories = synthetic_stories(60)
    with MenafnSite(stories) as site:
        table = faults_for(stories[:30], site.base_url)
        for story, fault in table.values():
            site.faults[story.path] = fault
        for hop in range(1, 26):
            site.faults[f"/hop/{hop}"] = Fault(redirect_to=f"/hop/{hop + 1}")
        site.faults["/loop/a"] = Fault(redirect_to="/loop/b")
        site.faults["/loop/b"] = Fault(redirect_to="/loop/a")
        out = tmp_path_factory.mktemp("faults") / "output"
        run = crawl_here(out, "-a", f"base_url={site.base_url}", *SETTINGS)
        written = {a["id"]: a for a in run.articles()}
        rejected = {}
        for line in run.rejects():
            match = re.search(r"/(\d{10})/", line["url"])
            if match:
                rejected[f"menafn:{match.group(1)}"] = line
        yield Crawled(run, site, {k: v[0] for k, v in table.items()}, written, rejected, out)


def test_mixed_site_finishes_and_accounts_for_every_page(crawled: Crawled) -> None:
    run = crawled.run
    assert run.status == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    faulty = {f"menafn:{s.id}" for s in crawled.stories.values()}
    good = [s for s in crawled.site.stories if f"menafn:{s.id}" not in faulty]
    for story in good:
        article = crawled.written[f"menafn:{story.id}"]
        assert (article["title"], article["body"]) == (story.title, story.body)
    line = run.last()
    not_written = [f for f in crawled.stories if crawled.outcome(f) == "not written"]
    assert line["errors"] >= len(not_written)  # each one counted
    assert line["written"] + line["rejected"] + line["errors"] >= len(crawled.site.stories)


def assert_written_right(crawled: Crawled, fault: str) -> None:
    story = crawled.stories[fault]
    article = crawled.written.get(f"menafn:{story.id}")
    assert article is not None, crawled.outcome(fault)
    assert (article["title"], article["body"]) == (story.title, story.body)


def test_server_errors_are_retried_and_written_once(crawled: Crawled) -> None:
    assert_written_right(crawled, "5xx_then_200")
    assert crawled.requests_for("5xx_then_200") == [500, 502, 200]


def test_retry_after_as_http_date_is_understood(crawled: Crawled) -> None:
    assert_written_right(crawled, "503_retry_after_date")


@pytest.mark.parametrize("fault", ["404", "410"])
def test_gone_pages_are_not_retried_and_are_counted(crawled: Crawled, fault: str) -> None:
    assert crawled.outcome(fault) == "not written"
    assert crawled.requests_for(fault) == [int(fault)]


@pytest.mark.parametrize("fault", ["hang_after_headers", "dropped_mid_page", "broken_chunked"])
def test_broken_transfers_are_retried_then_given_up(crawled: Crawled, fault: str) -> None:
    assert crawled.outcome(fault) == "not written"
    assert len(crawled.requests_for(fault)) == 3  # RETRY_TIMES=2


def test_a_page_cut_in_the_story_is_retried_then_rejected(crawled: Crawled) -> None:
    assert crawled.outcome("cut_in_the_story") == "rejected: truncated page"
    assert len(crawled.requests_for("cut_in_the_story")) >= 2  # asked again before giving up


@pytest.mark.parametrize(
    "fault", ["utf8_labelled_latin1", "cp1252_labelled_utf8", "bom_against_header"]
)
def test_mislabelled_encodings_are_read_right(crawled: Crawled, fault: str) -> None:
    assert_written_right(crawled, fault)


def test_invalid_bytes_reject_the_page(crawled: Crawled) -> None:
    assert crawled.outcome("invalid_bytes") == "rejected: undecodable text in body"


def test_mojibake_is_repaired(crawled: Crawled) -> None:
    assert_written_right(crawled, "mojibake")


def test_mojibake_that_lost_bytes_is_rejected_never_written_wrong(crawled: Crawled) -> None:
    outcome = crawled.outcome("mojibake_lost_bytes")
    if outcome == "written":  # the story had no character whose bytes were lost
        assert_written_right(crawled, "mojibake_lost_bytes")
    else:
        assert outcome.startswith("rejected: undecodable text")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("shell_without_story", "no body"),  # MENAFN markup, its story block empty
        ("visible_403_block", "soft 404: the site says the page does not exist"),
        ("soft_404", "soft 404: the site says the page does not exist"),
    ],
)
def test_shells_are_rejected_and_left_for_a_later_run(
    crawled: Crawled, fault: str, reason: str
) -> None:
    assert crawled.outcome(fault) == f"rejected: {reason}"


@pytest.mark.parametrize(
    "fault", ["huge_page", "gzip_bomb", "deflate_bomb", "redirect_chain_25", "redirect_loop"]
)
def test_oversized_pages_and_endless_redirects_end_as_counted_errors(
    crawled: Crawled, fault: str
) -> None:
    assert crawled.outcome(fault) == "not written"


@pytest.mark.parametrize("fault", ["redirect_offsite", "redirect_to_file"])
def test_redirects_off_the_site_are_refused(crawled: Crawled, fault: str) -> None:
    assert crawled.outcome(fault) == "not written"
    assert not [r for r in crawled.site.requests if "passwd" in r.path]


def test_a_future_date_is_left_null(crawled: Crawled) -> None:
    story = crawled.stories["future_date"]
    article = crawled.written[f"menafn:{story.id}"]
    assert article["published_at"] is None
    assert article["body"] == story.body


def test_rejected_and_failed_pages_are_fetched_again_next_run(crawled: Crawled) -> None:
    """Run last: the site heals, and only the pages that never became articles are asked for."""
    site = crawled.site
    healed = ["shell_without_story", "soft_404", "404", "hang_after_headers", "invalid_bytes"]
    for fault in healed:
        del site.faults[crawled.stories[fault].path]
    site.clear_requests()
    again = crawl_here(crawled.out, "-a", f"base_url={site.base_url}", *SETTINGS)
    assert again.status == 0
    written = {a["id"] for a in again.articles()}
    for fault in healed:
        assert f"menafn:{crawled.stories[fault].id}" in written, fault
    asked = {r.path for r in site.article_requests()}
    assert not asked & {s.path for s in site.stories if f"menafn:{s.id}" in crawled.written}
