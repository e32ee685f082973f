"""End to end: `scrapy crawl menafn -a source=PATH` over saved pages: in this process
(tests/in_process.py), except what the shell sees of a run (its exit status and its lines:
a finished run, bad usage, a held lock), which a `scrapy crawl` child shows."""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from newscrawl.items import ARTICLE_FIELDS, load_schema
from newscrawl.run.seen_sqlite import SqliteSeenStore
from tests.conftest import FIXTURES, SAMPLE, crawl, read_jsonl
from tests.in_process import crawl_here

VALIDATOR = Draft202012Validator(load_schema())


def test_sample_gives_the_contract_article(out: Path) -> None:
    run = crawl(out, "-a", f"source={SAMPLE}", interpreter=True)  # as the shell starts it
    assert run.status == 0, run.stderr[-2000:]
    (article,) = run.articles()
    assert list(article) == list(ARTICLE_FIELDS)
    assert not list(VALIDATOR.iter_errors(article))
    assert article["id"] == "menafn:1109793603"
    assert article["url"] == (
        "https://menafn.com/1109793603/Lavrov-North-Korean-Leader-Discuss-Bilateral-Issues-in-Wonsan"
    )
    assert article["title"] == "Lavrov, North Korean Leader Discuss Bilateral Issues in Wonsan"
    assert article["published_at"] == "2025-07-13T08:11:24+00:00"  # 04:11:24 EDT
    assert article["page_date"] == "2024-01-02T12:17:00+00:00"
    assert (article["dateline"], article["provider"]) == ("(MENAFN)", "MENAFN")
    assert len(article["body"].split("\n\n")) == 10
    raw = (out / run.last()["file"]).read_bytes()
    assert "Kim’s".encode() in raw
    assert b"\\u" not in raw
    assert run.last()["sha256"] == hashlib.sha256(raw).hexdigest()
    assert "wrote 1 new articles" in run.stdout
    assert str(out) in run.stdout


def test_second_run_writes_nothing_new_and_exits_0(out: Path) -> None:
    first = crawl_here(out, "-a", f"source={SAMPLE}")
    first_file = first.last()["file"]
    second = crawl_here(out, "-a", f"source={SAMPLE}")
    assert (first.status, second.status) == (0, 0)
    line = second.last()
    assert (line["written"], line["duplicates"], line["exit_status"]) == (0, 1, 0)
    assert (out / line["file"]).read_bytes() == b""  # an empty file, still written
    assert line["file"] != first_file  # a new file per run, names in run order
    assert sorted([first_file, line["file"]]) == [first_file, line["file"]]
    assert len(second.manifest()) == 2


def test_all_real_pages_each_give_one_article(out: Path) -> None:
    run = crawl_here(out, "-a", f"source={FIXTURES}")
    assert run.status == 0, run.stderr[-2000:]
    articles = run.articles()
    pages = [p for p in FIXTURES.glob("*/*") if p.suffix in {".txt", ".html"}]
    # the seed and its page-store copy are one story id: written once
    assert len(articles) == len(pages) - 1
    assert run.last()["duplicates"] == 1
    assert run.last()["rejected"] == 0
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids)
    titles = [a["title"] for a in articles]
    assert titles.count("Today In Kuwait's History") == 3  # same title, three stories
    for article in articles:
        assert not list(VALIDATOR.iter_errors(article)), article["id"]


def test_bad_files_are_rejected_one_line_each_and_the_rest_written(
    out: Path, tmp_path: Path
) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    good = next((FIXTURES / "seed-1109793603").glob("*.txt"))
    shutil.copy(good, pages / good.name)
    (pages / "1109000001-empty.txt").write_bytes(b"")
    (pages / "1109000002-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    stray = "(MENAFN) Kim\u2019s caf\u00e9 prices rose.".encode() + b" \xe9t\xe9"
    (pages / "1109000003-stray-byte.txt").write_bytes(stray)  # UTF-8 and another code page
    (pages / "notes.txt").write_text("Shopping list\n\nmilk, eggs and bread for the weekend.\n")
    (pages / "1109000004-stamp-only.txt").write_text("MENAFN05092023000071011013ID1109000004\n")
    (pages / "1109000005-broken.txt.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    (pages / "README.md").write_text("not a page, skipped")
    run = crawl_here(out, "-a", f"source={pages}")
    # Six of seven pages rejected, every one with its line; too few pages for an alarm.
    assert run.status == 0, run.stderr[-2000:]
    assert run.last()["alarms"] == []
    assert [a["id"] for a in run.articles()] == ["menafn:1109793603"]
    reasons = {Path(r["url"]).name: r["reason"] for r in run.rejects()}
    assert reasons == {
        "1109000001-empty.txt": "empty file",
        "1109000002-binary.txt": "binary file",
        "1109000003-stray-byte.txt": "undecodable text",
        "notes.txt": "not a MENAFN page",
        "1109000004-stamp-only.txt": "no body",
        "1109000005-broken.txt.gz": "bad gzip file",
    }
    for record in run.rejects():
        assert {"url", "reason", "detail", "at"} <= set(record)
        assert record["url"].startswith("file://")
    assert run.last()["rejected"] == 6
    line = run.last()  # every page file accounted for: written, duplicate or rejected
    assert line["pages"] == line["written"] + line["duplicates"] + line["rejected"] == 7
    assert "Traceback" not in run.stderr


ARABIC_RENDERING = """الدينار الكويتي يتراجع أمام الدولار الأمريكي

2025-07-13 04:11:24
(MENAFN) تراجع سعر صرف الدينار الكويتي، أمام الدولار الأمريكي اليوم الأحد إلى 0.306 دينار.

وقال البنك المركزي في نشرته اليومية إن سعر صرف اليورو استقر عند 0.356 دينار.

وأضاف أن سعر الجنيه الإسترليني ارتفع إلى 0.412 دينار وبقي الين الياباني عند مستواه.
"""


def test_text_renderings_in_windows_code_pages_are_read_right(out: Path, tmp_path: Path) -> None:
    """A text rendering a Windows tool saved (windows-1252: curly quotes as single bytes) and an
    Arabic one in windows-1256 give the articles their UTF-8 copies give (FRESH-USER-1 F9)."""
    seed = next((FIXTURES / "seed-1109793603").glob("*.txt"))
    pages = tmp_path / "code-pages"
    pages.mkdir()
    (pages / seed.name).write_bytes(seed.read_text(encoding="utf-8").encode("cp1252"))
    arabic = pages / "1110433555-Kuwaiti-Dinar-Slips.txt"
    arabic.write_bytes(ARABIC_RENDERING.encode("cp1256"))
    run = crawl_here(out, "-a", f"source={pages}")
    assert run.status == 0, run.stderr[-2000:]
    assert run.rejects() == []
    by_id = {a["id"]: a for a in run.articles()}
    utf8 = crawl_here(tmp_path / "utf8", "-a", f"source={seed}").articles()[0]
    kept = {"crawled_at", "url", "fetched_from", "content_hash"}
    assert {k: v for k, v in by_id["menafn:1109793603"].items() if k not in kept} == {
        k: v for k, v in utf8.items() if k not in kept
    }
    assert "Kim\u2019s" in by_id["menafn:1109793603"]["body"]
    article = by_id["menafn:1110433555"]
    assert article["title"] == "الدينار الكويتي يتراجع أمام الدولار الأمريكي"
    assert article["body"].startswith("تراجع سعر صرف الدينار الكويتي،")  # an Arabic comma: G4
    assert (article["language"], article["published_at"]) == ("ar", "2025-07-13T08:11:24+00:00")


def test_an_arabic_page_with_its_punctuation_is_read_in_its_code_page(
    out: Path, tmp_path: Path
) -> None:
    """FRESH-USER-2 G4: the windows-1256 fixture labelled UTF-8, with one Arabic comma added
    after a word (a UTF-8-shaped pair by chance), was rejected as undecodable."""
    case = FIXTURES / "html-windows-1256-labelled-utf8"
    (page,) = case.glob("*.html")
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    before, after = "الكويت - 18".encode("cp1256"), "الكويت، - 18".encode("cp1256")
    pages = tmp_path / "arabic"
    pages.mkdir()
    (pages / page.name).write_bytes(page.read_bytes().replace(before, after, 1))
    run = crawl_here(out, "-a", f"source={pages}")
    assert run.status == 0, run.stderr[-2000:]
    assert run.rejects() == []
    (article,) = run.articles()
    assert article["title"] == expected["title"]
    assert article["body"] == expected["body"].replace("الكويت - 18", "الكويت، - 18", 1)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_pages_saved_in_utf16_or_utf32_read_as_their_utf8_copies(
    out: Path, tmp_path: Path, codec: str
) -> None:
    """FRESH-USER-2 G8: a page a Windows tool saved as "Unicode" (UTF-16 with its byte order
    mark) was rejected as a binary file for its NUL bytes."""
    text = next((FIXTURES / "seed-1109793603").glob("*.txt"))
    html = next((FIXTURES / "html-aspx-body").glob("*.html"))
    pages = tmp_path / "wide"
    pages.mkdir()
    for page in (text, html):
        content = page.read_text("utf-8")
        bom = "\ufeff" if codec == "utf-16-be" else ""  # utf-16 and utf-32 write their own
        (pages / page.name).write_bytes((bom + content).encode(codec))
    run = crawl_here(out, "-a", f"source={pages}")
    assert run.status == 0, run.stderr[-2000:]
    assert run.rejects() == []
    utf8 = crawl_here(tmp_path / "utf8", "-a", f"source={text}")
    kept = {"crawled_at", "content_hash", "url", "fetched_from"}
    wide = {a["id"]: a for a in run.articles()}
    assert {k: v for k, v in wide["menafn:1109793603"].items() if k not in kept} == {
        k: v for k, v in utf8.articles()[0].items() if k not in kept
    }
    expected = json.loads((html.parent / "expected.json").read_text("utf-8"))
    assert wide[expected["id"]]["body"] == expected["body"]


def test_gzipped_and_html_pages(out: Path, tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    good = next((FIXTURES / "seed-1109793603").glob("*.txt"))
    (pages / f"{good.name}.gz").write_bytes(gzip.compress(good.read_bytes()))
    html = next((FIXTURES / "html-aspx-body").glob("*.html"))
    shutil.copy(html, pages / html.name)
    run = crawl_here(out, "-a", f"source={pages}")
    assert run.status == 0
    assert {a["id"] for a in run.articles()} == {"menafn:1109793603", "menafn:1109760418"}


@pytest.mark.parametrize("name", ["{id}-Cabinet Approves.html", "{id}-copy (1).html"])
def test_a_saved_name_that_is_no_slug_gives_the_titles_url(
    out: Path, tmp_path: Path, name: str
) -> None:
    """FRESH-USER-2 G7: a name a person gave the file (a space, brackets) became the URL's slug,
    and the page was rejected as a bad URL."""
    case = FIXTURES / "html-aspx-body"
    (page,) = case.glob("*.html")
    expected = json.loads((case / "expected.json").read_text("utf-8"))
    pages = tmp_path / "renamed"
    pages.mkdir()
    story = expected["id"].partition(":")[2]
    shutil.copy(page, pages / name.format(id=story))
    run = crawl_here(out, "-a", f"source={pages}")
    assert run.status == 0, run.stderr[-2000:]
    assert run.rejects() == []
    (article,) = run.articles()
    assert article["url"] == expected["url"]


def test_a_missing_source_is_bad_usage_and_writes_nothing(out: Path) -> None:
    run = crawl(out, "-a", "source=/no/such/folder")
    assert run.status == 2
    assert run.stderr.strip() == "newscrawl: source not found: /no/such/folder"
    assert not out.exists()


def test_unknown_argument_and_bad_values_are_bad_usage(out: Path) -> None:
    for args, message in [
        (("-a", "sourec=x"), "unknown spider argument 'sourec'"),
        (("-a", "base_url=ftp://menafn.com"), "invalid base_url"),
        (("-a", "since=yesterday"), "invalid since"),
        (("-a", "since=20250101"), "invalid since '20250101': expected YYYY-MM-DD"),  # G8
        (("-s", "NEWSCRAWL_HEALTH_MIN_PAGES=abc"), "invalid NEWSCRAWL_HEALTH_MIN_PAGES 'abc'"),
        (("-s", "NEWSCRAWL_ALARM_LAYOUT_DROP=2"), "invalid NEWSCRAWL_ALARM_LAYOUT_DROP '2'"),
        (("-s", "NEWSCRAWL_DISCOVERY_DEPTH=-1"), "invalid NEWSCRAWL_DISCOVERY_DEPTH '-1'"),
        (("-s", "NEWSCRAWL_MAX_LISTING_PAGES=x"), "invalid NEWSCRAWL_MAX_LISTING_PAGES 'x'"),
        (("-s", "NEWSCRAWL_OFFLINE_PROCESSES=two"), "invalid NEWSCRAWL_OFFLINE_PROCESSES 'two'"),
        (("-s", "MENAFN_TIMEZONE=Mars/Olympus"), "unknown time zone 'Mars/Olympus'"),
    ]:
        run = crawl_here(out, *args)
        assert run.status == 2, args
        assert len(run.stderr.strip().splitlines()) == 1
        assert message in run.stderr
    assert not out.exists()


def test_a_held_lock_means_exit_75_and_nothing_written(out: Path) -> None:
    state = out / ".state" / "seen.sqlite3"
    state.parent.mkdir(parents=True)
    with Path(f"{state}.menafn.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        run = crawl(out, "-a", f"source={SAMPLE}")
    assert run.status == 75
    (line,) = run.stderr.strip().splitlines()  # one line, before Scrapy logs anything
    assert "another run holds the lock" in line
    assert not (out / "menafn").exists()


def test_in_memory_state_takes_no_lock_and_keeps_nothing(out: Path) -> None:
    for _ in range(2):
        run = crawl_here(out, "-a", f"source={SAMPLE}", state="")
        assert run.status == 0
        assert run.last()["written"] == 1
    assert not (out / ".state").exists()


def test_feed_option_gets_exactly_the_written_articles(out: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    crawl_here(out, "-a", f"source={SAMPLE}")
    run = crawl_here(out, "-a", f"source={FIXTURES}", "-O", f"{feed}:jsonlines")
    assert run.status == 0
    written = run.articles()
    assert read_jsonl(feed) == written
    assert len(written) == run.last()["written"] > 0
    assert "menafn:1109793603" not in {a["id"] for a in written}  # seen by the first run


def test_a_run_killed_before_its_rename_is_rolled_back(out: Path) -> None:
    articles = out / "menafn" / "articles"
    articles.mkdir(parents=True)
    store = SqliteSeenStore(str(out / ".state" / "seen.sqlite3"))
    store.begin_run("menafn/20260101T000000Z", str(articles / "20260101T000000Z.jsonl"))
    store.add("menafn:1109793603", "sha256:" + "0" * 64, "menafn/20260101T000000Z")
    store.close()
    line = json.dumps({"id": "menafn:1109793603"})
    (articles / "20260101T000000Z.jsonl.part").write_text(line + '\n{"half": ')
    run = crawl_here(out, "-a", f"source={SAMPLE}")
    assert run.status == 0
    assert [a["id"] for a in run.articles()] == ["menafn:1109793603"]  # written after all
    assert not list(out.rglob("*.part"))
    assert "rolled back" in run.stderr
    # the killed run is listed (runs.jsonl, and the table's runs view), once
    killed, latest = run.manifest()
    assert killed == {
        "run": "20260101T000000Z", "started_at": "2026-01-01T00:00:00+00:00",
        "finished_at": None, "finish_reason": "interrupted", "exit_status": 1, "mode": None,
        "file": None, "sha256": None, "pages": None, "written": 0, "duplicates": None,
        "rejected": None, "errors": None, "skipped_seen": None, "replaced": {},
        "discovery": None, "rejects_file": None, "archive": None, "archive_sha256": None,
        "failures": ["the run stopped before its file was complete (killed, or it failed and "
                     "could not list itself): rolled back with the 1 articles it had written; "
                     "its stories are left for the next run"],
        "health": None, "alarms": [],
    }  # fmt: skip
    assert latest["run"] == run.stats["newscrawl/run"]
    again = crawl_here(out, "-a", f"source={SAMPLE}")
    assert [line["run"] for line in again.manifest()].count("20260101T000000Z") == 1


def test_a_run_killed_before_it_wrote_anything_is_listed_by_the_next_start(out: Path) -> None:
    """No ``.part`` file at all (killed at its start): still a line, 0 articles rolled back."""
    articles = out / "menafn" / "articles"
    articles.mkdir(parents=True)
    store = SqliteSeenStore(str(out / ".state" / "seen.sqlite3"))
    store.begin_run("menafn/20260101T000000Z_2", str(articles / "20260101T000000Z_2.jsonl"))
    store.close()
    run = crawl_here(out, "-a", f"source={SAMPLE}")
    assert run.status == 0, run.stderr[-2000:]
    killed = run.manifest()[0]
    assert (killed["run"], killed["started_at"], killed["file"]) == (
        "20260101T000000Z_2", "2026-01-01T00:00:00+00:00", None)  # fmt: skip
    assert "rolled back with the 0 articles it had written" in killed["failures"][0]


def test_a_run_killed_after_its_rename_is_rolled_forward(out: Path) -> None:
    articles = out / "menafn" / "articles"
    articles.mkdir(parents=True)
    article = json.dumps({"id": "menafn:1109793603"})
    (articles / "20260101T000000Z.jsonl").write_text(article + "\n")
    (out / "menafn" / "runs.jsonl").write_text('{"run": "2025')  # a half-written line
    store = SqliteSeenStore(str(out / ".state" / "seen.sqlite3"))
    store.begin_run("menafn/20260101T000000Z", str(articles / "20260101T000000Z.jsonl"))
    store.add("menafn:1109793603", "sha256:" + "0" * 64, "menafn/20260101T000000Z")
    store.close()
    run = crawl_here(out, "-a", f"source={SAMPLE}")
    assert run.status == 0
    recovered, latest = run.manifest()
    assert (recovered["run"], recovered["finish_reason"]) == ("20260101T000000Z", "interrupted")
    assert recovered["file"] == "menafn/articles/20260101T000000Z.jsonl"
    assert recovered["written"] == 1
    assert latest["written"] == 0
    assert latest["duplicates"] == 1


def test_two_output_folders_sharing_one_state_get_distinct_runs(tmp_path: Path) -> None:
    state = str(tmp_path / "shared.sqlite3")
    first = crawl_here(tmp_path / "a", "-a", f"source={SAMPLE}", state=state)
    second = crawl_here(tmp_path / "b", "-a", f"source={SAMPLE}", state=state)
    assert (first.status, second.status) == (0, 0), second.stderr[-1000:]
    assert first.last()["written"] == 1
    assert second.last()["duplicates"] == 1  # one state: the story is known


def test_an_offline_run_builds_no_download_handler_but_a_live_run_does() -> None:
    """Offline runs download nothing: no HTTP handler, no retries (Scrapy's TLS stack is
    a quarter of a second of start-up); ``-s`` still wins, and live runs keep them. The
    spider is made as ``scrapy crawl`` makes it: settings not yet frozen."""
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

    from newscrawl.spiders.menafn import MenafnSpider

    def crawler(**arguments: str) -> Crawler:
        made = Crawler(MenafnSpider, Settings({"RETRY_ENABLED": True}))
        MenafnSpider.from_crawler(made, **arguments)
        return made

    offline = crawler(source=str(SAMPLE))
    assert offline.settings.getdict("DOWNLOAD_HANDLERS") == {"http": None, "https": None}
    assert not offline.settings.getbool("RETRY_ENABLED")
    live = crawler()
    assert live.settings.getdict("DOWNLOAD_HANDLERS") == {}
    assert live.settings.getbool("RETRY_ENABLED")
    asked = Crawler(MenafnSpider, Settings())
    asked.settings.set("RETRY_ENABLED", True, priority="cmdline")
    MenafnSpider.from_crawler(asked, source=str(SAMPLE))
    assert asked.settings.getbool("RETRY_ENABLED")
