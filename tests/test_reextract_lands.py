"""Re-extraction that lands (issue 19.2): `-a reextract=yes` writes the stories of a source again,
into the same output, and the table shows the new extraction of exactly those stories.

The crawls run in the test's process (``tests.in_process``), so a page class can be patched to
play a parser fix: every figure of a MENAFN story shifted by one (9 becomes 0), a little change
to its text that a cluster look-up would take for another story."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest
import redis

from newscrawl.clusters import Member, fingerprint, same_story, story_text
from newscrawl.clusters.rebuild import listed_runs, refill
from newscrawl.run.files import JsonLinesPart
from newscrawl.run.seen_sqlite import SqliteSeenStore
from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.sites.menafn.story import Story
from newscrawl.spiders.arguments import BadArgument, check_arguments
from newscrawl.table.update import rebuild
from newscrawl.table.views import DATABASE
from tests.conftest import FIXTURES, SAMPLE, crawl, read_jsonl
from tests.in_process import InProcessRun, crawl_in_process
from tests.site import MenafnSite, synthetic_stories
from tests.site.pages import render_article
from tests.test_archive import stories_archive
from tests.test_clusters import menafn_copy
from tests.test_table import as_line, table_rows

pytestmark = pytest.mark.xdist_group("reextract_lands")  # one worker: its module fixture, once

RELEASE = FIXTURES.parent / "prnewswire" / "hackerrank-2016"
WIRE_ID, COPY_ID = "prnewswire:300256929", "menafn:1109600101"
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "NEWSCRAWL_RETRY_BACKOFF": 0.1}  # fmt: skip
SHIFTED = str.maketrans("0123456789", "1234567890")


def fix_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today's parser: MENAFN stories' figures come out shifted (9 -> 0), the rest as before."""
    original: Callable[[MenafnPage, str | None], tuple[Story, str | None]] = MenafnPage.story

    def story(page: MenafnPage, title: str | None) -> tuple[Story, str | None]:
        found, layer = original(page, title)
        paragraphs = [p.translate(SHIFTED) for p in found.paragraphs]
        return dataclasses.replace(found, paragraphs=paragraphs), layer

    monkeypatch.setattr(MenafnPage, "story", story)


def line(run: InProcessRun) -> dict[str, Any]:
    """The crawl's runs.jsonl line."""
    name = run.stats["newscrawl/run"]
    (found,) = [r for r in read_jsonl(run.folder / "runs.jsonl") if r["run"] == name]
    return found


def lines(run: InProcessRun) -> list[dict[str, Any]]:
    return read_jsonl(run.out / line(run)["file"])


def articles_view(out: Path) -> dict[str, tuple[str, str]]:
    """id -> (body, run) through the DuckDB view."""
    with duckdb.connect(str(out / DATABASE), read_only=True) as db:
        rows = db.execute("SELECT id, body, run FROM articles").fetchall()
    return {i: (body, run) for i, body, run in rows}


def linked(article: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether a cluster look-up would take two articles for one story."""
    new, old = (fingerprint(story_text(a["dateline"], a["body"])) for a in (article, other))
    assert new is not None
    assert old is not None
    member = Member(other["id"], other["id"], old.signature, old.features)
    return same_story(new, member) is not None


def unread(articles: Any, saved_id: str) -> Any:
    """Articles (a list, or a dict by id) without the crawled_at of the saved page's story."""
    if isinstance(articles, dict):
        return dict(zip(articles, unread(list(articles.values()), saved_id), strict=True))
    return [{**a, "crawled_at": None} if a["id"] == saved_id else a for a in articles]


def without_run(rows: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i: as_line(row) for i, row in rows.items()}


@dataclasses.dataclass
class Crawls:
    """An output with a PR Newswire release (``wire``) and a live MENAFN run (``live``: its copy
    of the release, six stories), and a ``source`` folder to re-extract: the live run's archive,
    a story the state never had, and a page of one of the stories under another id (a
    content-hash duplicate)."""

    out: Path
    wire: InProcessRun
    live: InProcessRun
    source: Path
    new_id: str  # the story the state never had


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Crawls:
    out = tmp_path_factory.mktemp("built") / "output"
    wire = crawl_in_process(out, "prnewswire", source=str(RELEASE / "page.html"))
    assert wire.status == 0
    release = json.loads((RELEASE / "expected.json").read_text("utf-8"))
    stories = synthetic_stories(7)
    with MenafnSite([menafn_copy(release, 1109600101), *stories[:6]]) as site:
        live = crawl_in_process(out, settings=FAST, base_url=site.base_url)
    assert live.status == 0
    assert {a["id"]: a["cluster_id"] for a in lines(live)}[COPY_ID] == WIRE_ID
    source = out.parent / "source"
    source.mkdir()
    shutil.copy(out / line(live)["archive"], source / "a-live.warc.gz")
    (source / f"b-{stories[6].id}-new.html").write_text(render_article(stories[6]), "utf-8")
    twin = dataclasses.replace(stories[2], id=1110999999)  # stories[2]'s text, another id
    (source / f"c-{twin.id}-{twin.slug}.html").write_text(render_article(twin), "utf-8")
    return Crawls(out, wire, live, source, f"menafn:{stories[6].id}")


@pytest.fixture
def crawled(built: Crawls, tmp_path: Path) -> Crawls:
    """A copy of ``built`` of the test's own (made once per module: its crawls take a second)."""
    copy = tmp_path / "copy"
    shutil.copytree(built.out.parent, copy, symlinks=True)
    out = copy / built.out.name
    wire, live = (dataclasses.replace(c, out=out) for c in (built.wire, built.live))
    return Crawls(out, wire, live, copy / built.source.name, built.new_id)


def test_a_re_extraction_lands_in_the_table_and_a_second_one_changes_nothing(
    crawled: Crawls, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, live, source = crawled.out, crawled.live, crawled.source
    fix_parser(monkeypatch)
    before = {a["id"]: a for a in lines(live)}
    live_file = out / line(live)["file"]

    first = crawl_in_process(out, source=str(source), reextract="yes")
    assert first.status == 0
    record = line(first)
    assert record["mode"] == "reextract"
    assert record["replaced"] == {live.stats["newscrawl/run"]: 7}  # the live run's stories
    assert (record["written"], record["duplicates"]) == (8, 1)  # and the new one; the twin
    new = {a["id"]: a for a in lines(first)}
    assert set(new) == {*before, crawled.new_id}
    for story_id, old in before.items():
        assert new[story_id]["body"] == old["body"].translate(SHIFTED)
        assert new[story_id]["content_hash"] != old["content_hash"]
        assert new[story_id]["crawled_at"] == old["crawled_at"]  # the archive's WARC-Date
        assert new[story_id]["cluster_id"] == old["cluster_id"]
    assert new[COPY_ID]["cluster_id"] == WIRE_ID  # kept, though a look-up would not link it:
    (release,) = lines(crawled.wire)
    assert not linked(new[COPY_ID], release)
    assert hashlib.sha256(live_file.read_bytes()).hexdigest() == line(live)["sha256"]  # as it was

    rows = table_rows(out)
    assert {i for i, r in rows.items() if r["run"] == record["run"]} == set(new)
    assert rows[WIRE_ID]["run"] == line(crawled.wire)["run"]  # another source's: untouched
    assert without_run({i: rows[i] for i in new}) == new
    assert articles_view(out) == {i: (r["body"], r["run"]) for i, r in rows.items()}

    second = crawl_in_process(out, source=str(source), reextract="yes")
    assert second.status == 0
    assert line(second)["replaced"] == {record["run"]: 8}
    # The same lines: a saved page's crawled_at is when it is read (no WARC-Date), the rest as is
    assert unread(lines(second), crawled.new_id) == unread(lines(first), crawled.new_id)
    assert unread(without_run(table_rows(out)), crawled.new_id) == unread(
        without_run(rows), crawled.new_id
    )  # the same articles, once each

    # without the argument: nothing new, as before
    plain = crawl_in_process(out, source=str(source))
    assert (line(plain)["mode"], line(plain)["written"], line(plain)["duplicates"]) == (
        "offline", 0, 9)  # fmt: skip
    assert line(plain)["replaced"] == {}

    after = table_rows(out)
    assert rebuild(out) == len(after)  # the table from the JSON lines agrees
    assert table_rows(out) == after
    # The cluster index rebuilt from the articles agrees too: the copy stays with the release.
    # (The runs started within one second, and started_at has whole seconds: the wire's first.)
    runs = sorted(listed_runs(out), key=lambda r: (r[0], not r[1].startswith("prnewswire/")))
    assert refill(SqliteSeenStore("").cluster_index(), runs).changed == 0


def test_a_re_extraction_rolled_back_leaves_the_earlier_rows_and_the_table(
    crawled: Crawls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state fails after the stories were committed, before the run is: it rolls back."""
    out, live = crawled.out, crawled.live
    fix_parser(monkeypatch)
    table = table_rows(out)
    set_state = SqliteSeenStore.set_run_state

    def failing(store: SqliteSeenStore, run: str, state: str) -> None:
        if state == "committed":
            raise sqlite3.OperationalError("disk I/O error")
        set_state(store, run, state)

    monkeypatch.setattr(SqliteSeenStore, "set_run_state", failing)
    failed = crawl_in_process(out, source=str(crawled.source), reextract="yes")
    assert failed.status == 1
    record = line(failed)
    assert (record["file"], record["replaced"]) == (None, {})
    assert record["failures"] == [
        "the state could not be written: disk I/O error: 8 articles left for the next run"
    ]
    assert not list((out / "menafn" / "articles").glob("*.part"))
    assert table_rows(out) == table  # the earlier rows, untouched

    monkeypatch.setattr(SqliteSeenStore, "set_run_state", set_state)
    again = crawl_in_process(out, source=str(crawled.source), reextract="yes")
    assert line(again)["replaced"] == {line(live)["run"]: 7}  # the live run's stories again
    assert line(again)["written"] == 8


def test_a_re_extraction_killed_after_its_commit_is_rolled_forward_by_the_next_run(
    crawled: Crawls, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Committed, its file not yet renamed (as a kill there leaves it): the next run finishes
    it, and the table takes its rows."""
    out = crawled.out
    fix_parser(monkeypatch)
    publish = JsonLinesPart.publish

    def cut(part: JsonLinesPart) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(JsonLinesPart, "publish", cut)
    cut_short = crawl_in_process(out, source=str(crawled.source), reextract="yes")
    assert cut_short.status == 1
    monkeypatch.setattr(JsonLinesPart, "publish", publish)
    name = cut_short.stats["newscrawl/run"]
    after = crawl_in_process(out, source=str(crawled.source))  # rolls it forward, then reads
    assert after.status == 0
    recovered = {r["run"]: r for r in read_jsonl(out / "menafn" / "runs.jsonl")}[name]
    assert (recovered["finish_reason"], recovered["mode"], recovered["written"]) == (
        "interrupted", None, 8)  # fmt: skip
    rows = table_rows(out)
    assert {i for i, r in rows.items() if r["run"] == name} == {
        a["id"] for a in read_jsonl(out / recovered["file"])
    }
    assert (line(after)["written"], line(after)["duplicates"]) == (0, 9)
    later = crawl_in_process(out, source=str(crawled.source), reextract="yes")
    assert line(later)["replaced"] == {name: 8}  # its stories are the recovered run's


def test_a_re_extraction_through_redis_lands_and_a_second_one_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redis_url: str
) -> None:
    server = redis.Redis.from_url(redis_url, decode_responses=True)
    server.flushdb()
    distributed = {"NEWSCRAWL_REDIS_URL": redis_url,
                   "SCHEDULER": "scrapy.core.scheduler.Scheduler"}  # offline: no queue # fmt: skip
    out, archive = tmp_path / "output", tmp_path / "archive.warc.gz"
    stories_archive(archive, 4)
    first = crawl_in_process(out, settings=distributed, source=str(archive))
    assert line(first)["written"] == 4
    fix_parser(monkeypatch)
    again = crawl_in_process(out, settings=distributed, source=str(archive), reextract="yes")
    assert again.status == 0
    assert line(again)["replaced"] == {line(first)["run"]: 4}
    bodies = {a["id"]: a["body"] for a in lines(first)}
    assert {a["id"]: a["body"] for a in lines(again)} == {
        i: body.translate(SHIFTED) for i, body in bodies.items()
    }
    writers = {str(w).split("\t")[0] for w in server.hvals("newscrawl:seen:writers")}
    assert writers == {f"menafn/{line(again)['run']}"}  # the re-extraction wrote them last
    assert {i: r["body"] for i, r in table_rows(out).items()} == {
        i: body.translate(SHIFTED) for i, body in bodies.items()
    }

    second = crawl_in_process(out, settings=distributed, source=str(archive), reextract="yes")
    assert line(second)["replaced"] == {line(again)["run"]: 4}
    assert (out / line(second)["file"]).read_bytes() == (out / line(again)["file"]).read_bytes()
    plain = crawl_in_process(out, settings=distributed, source=str(archive))
    assert (line(plain)["written"], line(plain)["duplicates"]) == (0, 4)


# -- asking for it ------------------------------------------------------------------------------
def test_reextract_is_yes_or_no_and_only_beside_a_source() -> None:
    check_arguments({"reextract": "yes", "source": str(SAMPLE)})
    check_arguments({"reextract": "No", "source": str(SAMPLE)})
    check_arguments({"reextract": "no"})  # a live crawl that says it rewrites nothing
    for arguments, message in [
        ({"reextract": "yes"}, "reextract=yes re-extracts a source: give it -a source="),
        ({"reextract": "yes", "source": " "}, "source is empty"),
        ({"reextract": "true", "source": str(SAMPLE)}, "invalid reextract 'true': expected yes or"),
    ]:
        with pytest.raises(BadArgument, match=message):
            check_arguments(arguments)


@pytest.mark.slow
def test_reextract_without_a_source_is_bad_usage(out: Path) -> None:
    run = crawl(out, "-a", "reextract=yes")
    assert run.status == 2
    (said,) = run.stderr.strip().splitlines()
    assert "a live crawl never rewrites a story" in said
    assert not out.exists()
