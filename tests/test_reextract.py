"""End to end: a live run's WARC archive, and re-extracting it with the site gone."""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.in_process import crawl_here
from tests.site import Fault, MenafnSite, synthetic_stories
from tests.site.pages import render_article
from tests.test_archive import MIRROR, foreign_archive, stories_archive

pytestmark = pytest.mark.slow

FAST = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1")  # fmt: skip
IN_MEMORY = ""  # NEWSCRAWL_STATE: this run only


def answers(path: Path) -> list[tuple[str, int]]:
    """(target URI, HTTP status) of every response record of an archive."""
    with path.open("rb") as file:
        return [
            (r.rec_headers["WARC-Target-URI"], int(r.http_headers.get_statuscode()))
            for r in ArchiveIterator(file, check_digests="raise")
            if r.rec_type == "response"
        ]


def test_re_extracting_a_live_run_gives_the_same_articles(tmp_path: Path) -> None:
    stories = synthetic_stories(60)
    site = MenafnSite(stories, compress=True)  # gzip in chunked encoding, as IIS serves pages
    site.faults[stories[5].path] = Fault(body_override=b"<html><body><p>shell</p></body></html>")
    site.faults[stories[9].path] = Fault(statuses=[503])  # retried, then fine
    with site:
        live = crawl_here(tmp_path / "live", "-a", f"base_url={site.base_url}", *FAST)
        base_url = site.base_url
        fetched = [(base_url + r.path, r.status) for r in site.article_requests()]
    assert live.status == 0, live.stderr[-3000:]
    line = live.last()
    archive = live.out / line["archive"]
    assert line["archive"] == f"menafn/archive/{line['run']}.warc.gz"
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == line["archive_sha256"]
    assert sorted(answers(archive)) == sorted(fetched)  # every story answer, the 503 too
    assert len(live.articles()) == 59
    assert [r["url"] for r in live.rejects()] == [base_url + stories[5].path]  # the shell

    again = crawl_here(
        tmp_path / "again", "-a", f"source={archive}", state=IN_MEMORY
    )  # site stopped
    assert again.status == 0, again.stderr[-3000:]
    written = again.out / again.last()["file"]
    assert written.read_bytes() == (live.out / line["file"]).read_bytes()
    assert [(r["url"], r["reason"]) for r in again.rejects()] == [
        (r["url"], r["reason"]) for r in live.rejects()
    ]
    assert again.last()["archive"] is None  # re-extraction fetches nothing, archives nothing


def test_the_archive_can_be_turned_off(tmp_path: Path) -> None:
    with MenafnSite(synthetic_stories(10)) as site:
        run = crawl_here(
            tmp_path, "-a", f"base_url={site.base_url}", *FAST, "-s", "NEWSCRAWL_ARCHIVE=0"
        )
    assert run.status == 0, run.stderr[-3000:]
    assert len(run.articles()) == 10
    assert (run.last()["archive"], run.last()["archive_sha256"]) == (None, None)
    assert not (run.folder / "archive").exists()


def test_an_archive_that_cannot_be_written_fails_the_run_but_loses_no_article(
    tmp_path: Path,
) -> None:
    (tmp_path / "menafn").mkdir(parents=True)
    (tmp_path / "menafn" / "archive").write_text("a file where the archive folder goes\n")
    with MenafnSite(synthetic_stories(10)) as site:
        run = crawl_here(tmp_path, "-a", f"base_url={site.base_url}", *FAST)
    assert run.status == 1, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    line = run.last()
    assert len(run.articles()) == 10
    assert line["archive"] is None
    assert any(f.startswith("archive could not be written") for f in line["failures"])


def test_a_folder_of_bad_archives_gets_one_line_per_problem(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    stories_archive(source / "a-good.warc.gz", 3)
    data = (source / "a-good.warc.gz").read_bytes()
    (source / "b-truncated.warc.gz").write_bytes(data[: len(data) * 2 // 3])
    (source / "c-not-a-warc.warc.gz").write_bytes(gzip.compress(b"just some text\n"))
    foreign_archive(source / "d-heritrix.warc.gz")  # its story is a's first: a duplicate
    story_url = f"{MIRROR}{synthetic_stories(3)[1].path}".encode()
    listing = gzip.decompress(data).replace(story_url, f"{MIRROR}/tb_news.aspx?page=2".encode())
    (source / "e-listing.warc").write_bytes(listing)
    saved = synthetic_stories(10)[-1]
    (source / f"{saved.id}-saved.html").write_text(render_article(saved), encoding="utf-8")
    run = crawl_here(tmp_path / "out", "-a", f"source={source}", state=IN_MEMORY)
    assert run.status == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    reasons = {r["reason"]: r for r in run.rejects()}
    assert reasons.keys() - {"truncated record", "truncated WARC file"} == {
        "not a WARC file",  # c
    }, run.rejects()
    assert len(reasons) == 2  # b: one line, whichever way its cut falls
    assert reasons["not a WARC file"]["url"] == (source / "c-not-a-warc.warc.gz").as_uri()
    ids = sorted(a["id"] for a in run.articles())
    assert ids == sorted(f"menafn:{s.id}" for s in [*synthetic_stories(3), saved])
    assert run.last()["rejected"] == 2
    # d's DNS record and e's listing page are no story answers: counted, one line per file
    assert "skipped: not HTTP 1, resource 1, metadata 1, HTTP 404 1" in run.stderr
    assert re.search(r"e-listing.warc: 7 records, 2 story answers; skipped: request 3, "
                     r"warcinfo 1, not a story URL 1", run.stderr), run.stderr[-3000:]  # fmt: skip


def test_a_single_archive_file_is_a_source(tmp_path: Path) -> None:
    archive = tmp_path / "one.warc.gz"
    stories_archive(archive, 2, encoded=True)
    copy = tmp_path / "copy" / "one.warc.gz"
    copy.parent.mkdir()
    shutil.copy(archive, copy)
    first = crawl_here(tmp_path / "a", "-a", f"source={archive}", state=IN_MEMORY)
    second = crawl_here(tmp_path / "b", "-a", f"source={copy.parent}", state=IN_MEMORY)
    assert first.status == second.status == 0, first.stderr[-2000:]
    assert [a["crawled_at"] for a in first.articles()] == [
        "2026-11-28T03:12:02+00:00",
        "2026-11-28T03:12:03+00:00",
    ]  # the WARC-Date of each record: re-extraction is reproducible
    assert (first.out / first.last()["file"]).read_bytes() == (
        second.out / second.last()["file"]
    ).read_bytes()
