"""The cluster scheme recorded in the state, the refusal of another scheme, and the rebuild."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path

import pytest
import redis
from scrapy.settings import Settings

from newscrawl.clusters import assign_cluster
from newscrawl.clusters.scheme import LEGACY, SCHEME, UNFINISHED, SchemeMismatch
from newscrawl.commands.clusters import check_scheme, rebuild_redis, rebuild_sqlite
from newscrawl.distributed.clusters import SCHEME_KEY, RedisClusterIndex
from newscrawl.run.lock import StateLock, StateLocked
from newscrawl.run.seen_sqlite import SqliteSeenStore
from tests.conftest import FIXTURES, ROOT
from tests.in_process import crawl_here, scrapy_here

WEATHER = next(FIXTURES.glob("1109527582-*/*.txt"))
RUN = "menafn/20260101T000000Z"


def copy_of(text: str) -> str:
    return text.replace("said in its daily update.", "said in its daily update on Friday.")


def test_a_new_state_records_the_scheme_with_its_first_article() -> None:
    store = SqliteSeenStore("")
    index = store.cluster_index()
    assert index.recorded_scheme() is None
    assign_cluster(index, "menafn:1", WEATHER.read_text("utf-8"), RUN)
    assert index.recorded_scheme() == SCHEME


def test_rows_without_a_record_are_the_legacy_scheme_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite3"
    store = SqliteSeenStore(str(path))
    assign_cluster(store.cluster_index(), "menafn:1", WEATHER.read_text("utf-8"), RUN)
    store.db.execute("DROP TABLE cluster_scheme")  # as a 0.2 state has it
    store.close()
    settings = Settings({"NEWSCRAWL_OUTPUT_DIR": str(tmp_path), "NEWSCRAWL_STATE": str(path)})
    with pytest.raises(SchemeMismatch) as caught:
        check_scheme(settings)
    message = str(caught.value)
    assert LEGACY in message
    assert SCHEME in message
    assert "scrapy clusters rebuild" in message
    with pytest.raises(SchemeMismatch):  # and nothing adds to it in-process either
        assign_cluster(SqliteSeenStore(str(path)).cluster_index(), "menafn:2", "a b c " * 9, RUN)


@pytest.mark.slow
def test_another_schemes_state_refuses_the_run_until_rebuilt(tmp_path: Path) -> None:
    """Run 1 writes the weather bulletin; the state is then made an older scheme's: run 2 exits
    2 with one line naming both schemes and writes nothing; `scrapy clusters rebuild` refills
    the index from run 1's articles; run 2 then links its copy to run 1's story."""
    out, text = tmp_path / "output", WEATHER.read_text("utf-8")
    state = out / ".state" / "seen.sqlite3"
    first = crawl_here(out, "-a", f"source={WEATHER}")
    assert first.status == 0, first.stderr
    with sqlite3.connect(state) as db:
        db.execute("DROP TABLE cluster_scheme")
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / "1109600001-Hot-Weather-Copy.txt").write_text(copy_of(text), "utf-8")
    refused = crawl_here(out, "-a", f"source={folder}")
    assert refused.status == 2
    assert refused.stderr.count("\n") == 1
    assert LEGACY in refused.stderr
    assert SCHEME in refused.stderr
    assert len((out / "menafn" / "runs.jsonl").read_text("utf-8").splitlines()) == 1

    settings = ("-s", f"NEWSCRAWL_OUTPUT_DIR={out}", "-s", f"NEWSCRAWL_STATE={state}")
    rebuilt = scrapy_here("clusters", "rebuild", *settings)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "1 articles of 1 runs (menafn)" in rebuilt.stdout

    second = crawl_here(out, "-a", f"source={folder}")
    assert second.status == 0, second.stderr
    (copy,) = second.articles()
    assert copy["cluster_id"] == "menafn:1109527582"
    assert scrapy_here("clusters", "rebuild", "--nonsense", *settings).returncode == 2


def written(out: Path, articles: list[dict[str, str]], run: str = "20260101T000000Z") -> None:
    """An output folder as runs leave it: one listed run of ``menafn`` with these articles."""
    folder = out / "menafn" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{run}.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    line = {"run": run, "started_at": "2026-01-01T00:00:00+00:00",
            "file": f"menafn/articles/{run}.jsonl"}  # fmt: skip
    with (out / "menafn" / "runs.jsonl").open("a") as manifest:
        manifest.write(json.dumps(line) + "\n")


def article(story_id: str, text: str, cluster: str | None = None) -> dict[str, str]:
    return {"id": story_id, "dateline": "", "body": text, "cluster_id": cluster or story_id}


def test_a_rebuild_counts_articles_the_new_scheme_links_otherwise(tmp_path: Path) -> None:
    """Two statements of one template were written as one story by an older scheme: the rebuilt
    index keeps them apart and says that one written cluster_id differs."""
    kandahar = (
        "KUWAIT, March 22 (KUNA) -- The Ministry of Foreign Affairs expressed Saturday the State "
        "of Kuwait's strong condemnation of the terrorist attack in Kandahar Province, southern "
        "Afghanistan, which caused the injury and death of a number of innocent civilians."
    )
    peshawar = kandahar.replace("Kandahar Province, southern Afghanistan", "Peshawar, Pakistan")
    written(tmp_path, [article("menafn:1", kandahar), article("menafn:2", peshawar, "menafn:1")])
    path = str(tmp_path / "seen.sqlite3")
    rebuilt = rebuild_sqlite(path, tmp_path)
    assert (rebuilt.articles, rebuilt.linked, rebuilt.changed) == (2, 0, 1)
    store = SqliteSeenStore(path)
    assert store.cluster_index().recorded_scheme() == SCHEME
    rows = store.db.execute("SELECT story, cluster, run FROM cluster_members ORDER BY story")
    assert rows.fetchall() == [("menafn:1", "menafn:1", RUN), ("menafn:2", "menafn:2", RUN)]


V02_CLUSTER_TABLES = """
CREATE TABLE cluster_members (member INTEGER PRIMARY KEY, story TEXT NOT NULL,
    cluster TEXT NOT NULL, signature BLOB NOT NULL, numbers TEXT NOT NULL, run TEXT NOT NULL);
CREATE INDEX cluster_members_by_run ON cluster_members (run);
CREATE TABLE cluster_bands (band INTEGER NOT NULL, member INTEGER NOT NULL,
    PRIMARY KEY (band, member)) WITHOUT ROWID;
INSERT INTO cluster_members VALUES (1, 'menafn:1', 'menafn:1', x'00', '9 2025', 'menafn/old');
INSERT INTO cluster_bands VALUES (42, 1);
"""


def test_a_02_state_is_rebuilt_into_this_versions_tables(tmp_path: Path) -> None:
    """A state as newscrawl 0.2 made it (cluster rows with numbers, no scheme record)."""
    path = tmp_path / "seen.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(V02_CLUSTER_TABLES)
    text = WEATHER.read_text("utf-8")
    written(tmp_path, [article("menafn:1", text), article("menafn:2", copy_of(text))])
    assert SqliteSeenStore(str(path)).cluster_index().recorded_scheme() == LEGACY
    rebuilt = rebuild_sqlite(str(path), tmp_path)
    assert (rebuilt.articles, rebuilt.linked, rebuilt.changed) == (2, 1, 1)
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(cluster_members)")]
        assert "features" in columns
        assert db.execute("SELECT count(*) FROM cluster_bands WHERE band = 42").fetchone() == (0,)
        assert db.execute("SELECT story, cluster FROM cluster_members").fetchall() == [
            ("menafn:1", "menafn:1"), ("menafn:2", "menafn:1")]  # fmt: skip


def test_a_rebuild_that_stops_half_way_leaves_no_index_a_crawl_would_use(tmp_path: Path) -> None:
    """A damaged articles line stops the rebuild with its file and line; the state then says
    so to every crawl (``UNFINISHED``) instead of offering an empty or partial index."""
    written(tmp_path, [article("menafn:1", WEATHER.read_text("utf-8"))])
    with (tmp_path / "menafn" / "articles" / "20260101T000000Z.jsonl").open("a") as lines:
        lines.write('{"id": "menafn:2", "bo\n')
    path = str(tmp_path / "seen.sqlite3")
    with pytest.raises(ValueError, match=r"20260101T000000Z.jsonl:2: not an article line"):
        rebuild_sqlite(path, tmp_path)
    assert SqliteSeenStore(path).cluster_index().recorded_scheme() == UNFINISHED
    settings = Settings({"NEWSCRAWL_OUTPUT_DIR": str(tmp_path), "NEWSCRAWL_STATE": path})
    with pytest.raises(SchemeMismatch, match="an unfinished rebuild"):
        check_scheme(settings)


def test_a_rebuild_waits_for_no_crawl(tmp_path: Path) -> None:
    written(tmp_path, [article("menafn:1", WEATHER.read_text("utf-8"))])
    path = str(tmp_path / "seen.sqlite3")
    crawling = StateLock(path, "menafn")
    crawling.acquire()
    with pytest.raises(StateLocked):
        rebuild_sqlite(path, tmp_path)
    crawling.release()


def test_the_redis_index_records_refuses_and_rebuilds(redis_url: str, tmp_path: Path) -> None:
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    text = WEATHER.read_text("utf-8")
    written(tmp_path, [article("menafn:1", text), article("menafn:2", copy_of(text))])
    settings = Settings({"NEWSCRAWL_REDIS_URL": redis_url})
    server.hset("newscrawl:cluster:members", "menafn:0", "{}")  # a 0.2 index: no record
    with pytest.raises(SchemeMismatch, match="Redis"):
        check_scheme(settings)
    server.set(SCHEME_KEY, UNFINISHED)  # a rebuild that stopped half-way
    with pytest.raises(SchemeMismatch, match="unfinished"):
        check_scheme(settings)
    rebuilt = rebuild_redis(redis_url, tmp_path)
    assert (rebuilt.articles, rebuilt.linked) == (2, 1)
    assert server.get(SCHEME_KEY) == SCHEME.encode()
    assert server.hexists("newscrawl:cluster:members", "menafn:0") == 0
    check_scheme(settings)


def test_no_scipy_at_start_up() -> None:
    """datasketch imported scipy (0.5-0.9 s a process) for an LSH search we never used: a run
    now fingerprints its articles with numpy and xxhash alone."""
    code = (
        "import sys, newscrawl.run.stages, newscrawl.spiders.offline\n"
        "from newscrawl.clusters import fingerprint\n"
        "assert fingerprint('one two three four five six seven eight nine') is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'datasketch')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)  # fmt: skip
    assert done.stdout.strip() == "[]"


class _RacedRedis(redis.Redis):
    """A client whose first plain GET is followed at once by another worker's first article
    (the scheme recorded, then a member added), as two workers starting together can do."""

    raced = False
    url = ""

    def get(self, name: str) -> object:  # type: ignore[override]
        value = super().get(name)
        if not self.raced:
            self.raced = True
            other = RedisClusterIndex(redis.Redis.from_url(self.url), nullcontext)
            other.record_scheme(SCHEME)
            other.server.hset("newscrawl:cluster:members", "menafn:9", "{}")
        return value


def test_a_worker_starting_beside_another_does_not_see_a_legacy_index(redis_url: str) -> None:
    """CI, 2026-12-07: a distributed worker read the scheme (none yet), another recorded it
    and added its first article, and the first then counted members without a record."""
    redis.Redis.from_url(redis_url).flushdb()
    raced = _RacedRedis.from_url(redis_url)
    assert isinstance(raced, _RacedRedis)
    raced.url = redis_url
    index = RedisClusterIndex(raced, nullcontext)
    assert index.recorded_scheme() in (None, SCHEME)
