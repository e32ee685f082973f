"""Common Crawl's CC-NEWS as a source: WARC files of thousands of sites, by URL or through a
month's ``warc.paths.gz`` listing, streamed from a loopback server (``tests/ccnews_site.py``);
only the spider's hosts and the window are kept, the rest counted.
"""

from __future__ import annotations

import logging
import random
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from newscrawl.spiders.arguments import BadArgument, check_arguments
from newscrawl.warc.records import STATS, BadRecord, Entry
from newscrawl.warc.sources import in_window_paths, remote_readers
from newscrawl.window import Window
from tests.ccnews_site import (
    ArchiveServer,
    ccnews_file,
    file_name,
    listing,
    menafn_answer,
    story_published,
)
from tests.in_process import crawl_here
from tests.site.stories import Story
from tests.warc_files import Exchange, bodies, menafn_scope, reasons, stories

EASTERN = ZoneInfo("America/New_York")
NOV = "crawl-data/CC-NEWS/2025/11/warc.paths.gz"
OCT = "crawl-data/CC-NEWS/2025/10/warc.paths.gz"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def others(count: int, fetched: datetime) -> list[Exchange]:
    """Answers of other sites (a CC-NEWS file is mostly those)."""
    hosts = ("www.example.com", "news.example.org", "m.menafn.com", "menafn.com.evil.example")
    answers = [a for host in hosts for a in stories(count, host, fetched)]
    return [Exchange(a.url, a.body, fetched + timedelta(seconds=i)) for i, a in enumerate(answers)]


class Backfill:
    """Two months of CC-NEWS files around a window of one day, 2025-11-01 (US Eastern):

    - started Oct 31 12:00 UTC (October's listing): A, published Oct 31 23:50 ET and fetched
      before the window opens; B, published Nov 1 00:10 ET: the window's first story;
    - Nov 1 12:00: C and D (www.menafn.com), published that morning; E cut short at the
      file's end (the file ends inside its record);
    - Nov 1 18:00: listed, but not there (404);
    - Nov 2 12:00: F, published Nov 1 23:00 ET, fetched the next day; G, published Nov 2;
      the connection is lost halfway through the file once;
    - Nov 4 12:00: started more than a day after the window: not fetched.
    """

    def __init__(self) -> None:
        self.a, self.b = story_published(at(1, 3, 50)), story_published(at(1, 4, 10))
        self.c, self.d, self.e = (story_published(at(1, h)) for h in (14, 15, 16))
        self.f, self.g = story_published(at(2, 4)), story_published(at(2, 13))
        self.late = story_published(at(4, 13))
        starts = (at(31, 12, month=10), at(1, 12), at(1, 18), at(2, 12), at(4, 12))
        oct31, nov1, nov1b, nov2, nov4 = (file_name(t, n) for n, t in enumerate(starts, 1))
        self.fetched = [oct31, nov1, nov1b, nov2]  # in the window: what a backfill asks for
        self.cut = {nov2: 0}
        # (story, when CC-NEWS fetched it, host) per file
        a, b = (self.a, at(1, 3, 55), "menafn.com"), (self.b, at(1, 4, 20), "menafn.com")
        c, d = (self.c, at(1, 14, 30), "menafn.com"), (self.d, at(1, 15, 30), "www.menafn.com")
        e, f = (self.e, at(1, 16, 30), "menafn.com"), (self.f, at(2, 12, 30), "menafn.com")
        g, late = (self.g, at(2, 14), "menafn.com"), (self.late, at(4, 14), "menafn.com")
        self.written = [b, c, d, f]  # (the others are outside the window, or cut)
        cut_short = file_of([c, d, e], at(1, 12))
        self.files = {
            oct31: file_of([a, b], at(1, 3)),
            nov1: cut_short[: len(cut_short) - 2000],
            nov2: file_of([f, g], at(2, 12)),
            nov4: file_of([late], at(4, 12)),
            OCT: listing([oct31]),
            NOV: listing([nov1, nov1b, nov2, nov4]),
        }
        self.cut[nov2] = len(self.files[nov2]) // 2

    def server(self, ranges: bool = True) -> ArchiveServer:
        return ArchiveServer(dict(self.files), cut=dict(self.cut), ranges=ranges)


def file_of(ours: list[tuple[Story, datetime, str]], started: datetime) -> bytes:
    """A CC-NEWS file of our stories among other sites' answers, in fetch order."""
    answers = [menafn_answer(story, fetched, host) for story, fetched, host in ours]
    return ccnews_file(sorted([*answers, *others(3, started)], key=lambda answer: answer.when))


def reader_crawler(**settings: object) -> Crawler:
    crawler = get_crawler(settings_dict={"NEWSCRAWL_RETRY_BACKOFF": 0, **settings})
    crawler.stats.open_spider()
    return crawler


def read_url(crawler: Crawler, url: str, window: Window | None = None) -> list[Entry]:
    window = window or Window()
    scope = menafn_scope(window.opens(EASTERN))
    return [e for reader in remote_readers(crawler, url, scope, window, EASTERN) for e in reader]


def stat(crawler: Crawler, name: str) -> int:
    return int(crawler.stats.get_value(f"{STATS}{name}", 0))


# -- in process ---------------------------------------------------------------------------------
def test_one_warc_file_by_url_is_streamed_not_held(tmp_path: Path) -> None:
    ours = [menafn_answer(story_published(at(1, h)), at(1, h, 30)) for h in range(10, 14)]
    noise = random.Random(0)  # pages that do not compress away: a file of some megabytes
    theirs = [Exchange(a.url, a.body + noise.randbytes(20_000).hex().encode(), a.when)
              for a in others(60, at(1, 9))]  # fmt: skip
    data = ccnews_file(sorted([*ours, *theirs], key=lambda answer: answer.when))
    name = file_name(at(1, 9), 7)
    with ArchiveServer({name: data}) as server:
        crawler = reader_crawler()
        tracemalloc.start()
        entries = read_url(crawler, f"{server.base_url}/{name}")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert bodies(entries) == [a.body for a in ours]
    assert stat(crawler, "other_hosts") == len(theirs)
    assert stat(crawler, "records") == 1 + 3 * (len(ours) + len(theirs))
    assert len(data) > 8 * 2**20 > 4 * peak  # a file of 8 MB (27 inflated), read in < 2 MB


def test_a_listing_and_a_window_choose_the_files_and_every_fault_is_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    backfill = Backfill()
    with backfill.server() as server:
        crawler = reader_crawler()
        caplog.set_level(logging.INFO)
        entries = read_url(
            crawler, f"{server.base_url}/{NOV}", Window(date(2025, 11, 1), date(2025, 11, 1))
        )
        requested = [path for path, _ in server.requests]
        ranges = [asked for _, asked in server.requests if asked]
    assert requested == [OCT, NOV, *backfill.fetched, backfill.fetched[-1]]  # resumed once
    (resumed,) = ranges  # from the last byte read (bytes a lost read held are asked again)
    assert 0 < int(resumed.removeprefix("bytes=").rstrip("-")) <= backfill.cut[backfill.fetched[-1]]
    read = [e.url for e in entries if not isinstance(e, BadRecord)]
    paths = [s.path for s in (backfill.b, backfill.c, backfill.d, backfill.f, backfill.g)]
    assert [url.split("menafn.com")[1] for url in read] == paths  # G: the window is the spider's
    assert reasons(entries).count("truncated WARC file") == 1
    assert stat(crawler, "file_failures") == 1
    assert stat(crawler, "files_outside_window") == 1
    assert crawler.stats.get_value("newscrawl/errors") == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"WARC file 3 of 4 not read: {server.base_url}/{backfill.fetched[2]}: HTTP 404"
    ]


def test_a_connection_lost_for_good_is_one_line_and_the_next_file_is_read() -> None:
    backfill = Backfill()
    with backfill.server(ranges=False) as server:  # no ranges: a cut cannot be resumed
        crawler = reader_crawler()
        entries = read_url(crawler, f"{server.base_url}/{NOV}")
    cut = [e for e in entries if isinstance(e, BadRecord)]
    assert [e.reason for e in cut] == ["truncated WARC file"] * 2  # Nov 1's end, Nov 2's cut
    assert "not resumed" in cut[1].detail
    read = [e.url for e in entries if not isinstance(e, BadRecord)]
    assert read[:2] == [f"https://menafn.com{backfill.c.path}",
                        f"https://www.menafn.com{backfill.d.path}"]  # fmt: skip
    assert read[-1].endswith(backfill.late.path)  # Nov 4's file: read on
    assert stat(crawler, "files") == 3


def test_only_the_host_named_in_the_source_may_be_private() -> None:
    name = file_name(at(1, 12), 1)
    data = ccnews_file([menafn_answer(story_published(at(1, 11)), at(1, 12))])
    with ArchiveServer({name: data}) as server:
        port = server.base_url.rsplit(":", 1)[1]
        elsewhere = f"http://localhost:{port}/{name}"  # the same server, under a name not given
        server.files["list.paths"] = f"{elsewhere}\n{name}\n".encode()
        server.redirects["moved.warc.gz"] = elsewhere
        crawler = reader_crawler()
        assert len(read_url(crawler, f"{server.base_url}/list.paths")) == 1
        assert read_url(crawler, f"{server.base_url}/moved.warc.gz") == []
        assert stat(crawler, "file_failures") == 2
        allowed = reader_crawler(NEWSCRAWL_PRIVATE_HOSTS=[f"localhost:{port}"])
        assert len(read_url(allowed, f"{server.base_url}/moved.warc.gz")) == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"source": "http://127.0.0.1:1/notes.txt"}, "a URL must name a .warc.gz or .warc"),
        ({"source": "https:///x.warc.gz"}, "no host"),
        ({"since": "2025-11-02", "until": "2025-11-01"}, "is before since"),
        ({"until": "2025-13-01"}, "invalid until"),
        ({"source": "http://h/a.warc.gz", "base_url": "http://h"}, "takes no base_url"),
    ],
)
def test_bad_sources_and_windows_are_bad_usage(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(BadArgument, match=message):
        check_arguments(arguments)


def test_a_url_source_and_a_window_are_good_usage() -> None:
    check_arguments({"source": f"https://data.commoncrawl.org/{NOV}", "since": "2025-11-01",
                     "until": "2025-11-01"})  # fmt: skip


# -- end to end ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_backfill_from_cc_news_writes_the_windows_stories_once(tmp_path: Path) -> None:
    backfill = Backfill()
    window = ("-a", "since=2025-11-01", "-a", "until=2025-11-01", "-s", "NEWSCRAWL_RETRY_BACKOFF=0")
    with backfill.server() as server:
        source = f"source={server.base_url}/{NOV}"
        run = crawl_here(tmp_path, "-a", source, *window)
        first, articles, rejects = run.last(), run.articles(), run.rejects()
        server.cut.update(backfill.cut)
        again = crawl_here(tmp_path, "-a", source, *window)
    assert run.status == 0, run.stderr[-3000:]
    assert [a["id"] for a in articles] == [f"menafn:{s.id}" for s, _, _ in backfill.written]
    assert [a["crawled_at"] for a in articles] == [t.isoformat() for _, t, _ in backfill.written]
    assert [a["url"] for a in articles] == [
        f"https://menafn.com{s.path}" for s, _, _ in backfill.written
    ]
    assert [(r["reason"], r["url"]) for r in rejects] == [
        ("truncated WARC file", f"https://menafn.com{backfill.e.path}")  # the record it ends in
    ]
    assert (first["written"], first["rejected"], first["errors"]) == (4, 1, 1)
    assert first["failures"] == []  # one file of four missing: counted, not a failed run
    assert "WARC file 3 of 4 not read" in run.stderr
    assert "'newscrawl/discovery/outside_window': 1," in run.stderr  # G, published Nov 2
    assert "skipped seen 0, outside the window 1); finished" in run.summary  # said, not lost
    assert (
        "skipped: request 14, metadata 14, other host 12, warcinfo 1, fetched before" in run.stderr
    )
    assert again.status == 0, again.stderr[-3000:]
    assert (again.last()["written"], again.last()["duplicates"]) == (0, 4)


@pytest.mark.slow
def test_a_source_of_which_nothing_can_be_read_fails_the_run(tmp_path: Path) -> None:
    with ArchiveServer({NOV: listing([file_name(at(1, 12), 1)])}) as server:
        run = crawl_here(tmp_path, "-a", f"source={server.base_url}/{NOV}",
                    "-s", "NEWSCRAWL_RETRY_BACKOFF=0")  # fmt: skip
    assert run.status == 1, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert run.last()["failures"] == ["no WARC file of the source could be read (1 failed)"]


def test_downloaded_cc_news_files_outside_the_window_are_not_read(tmp_path: Path) -> None:
    """A folder of a month's files: the window picks them by name, as from a listing."""
    started = [at(29, 12, month=10), at(30, 12, month=10), at(31, 12, month=10)]
    started += [at(day, 12) for day in range(1, 6)]
    names = [Path(file_name(moment, n)).name for n, moment in enumerate(started)]
    paths = [tmp_path / name for name in [*names, "notes.txt", "other.warc.gz"]]
    crawler = reader_crawler()
    window = Window(date(2025, 11, 1), date(2025, 11, 2))
    kept = [p.name for p in in_window_paths(crawler, paths, window, EASTERN)]
    assert kept == [names[2], names[3], names[4], names[5], "notes.txt", "other.warc.gz"]
    assert stat(crawler, "files_outside_window") == 4


def test_a_cc_news_name_that_holds_no_time_is_read_not_a_crash(tmp_path: Path) -> None:
    """FRESH-USER-2 G5: a file misnamed by hand (month 13, minute 99) stopped the whole run
    with a traceback; it is a file whose start is not known, read whatever the window."""
    good = Path(file_name(at(1, 12), 1)).name
    paths = [tmp_path / name for name in (good, "CC-NEWS-20251307203530-00003.warc.gz",
                                          "CC-NEWS-20251101209999-00004.warc.gz")]  # fmt: skip
    crawler = reader_crawler()
    window = Window(date(2025, 11, 1), date(2025, 11, 2))
    kept = [p.name for p in in_window_paths(crawler, paths, window, EASTERN)]
    assert kept == [p.name for p in paths]
