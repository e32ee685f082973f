"""RedisSeenStore: the seen store of N workers, so every story is written once across them all.

A story (id and content hash) is *claimed* for a run by an atomic script: refused if either is
committed (``seen:ids``, ``seen:hashes``) or held by another run whose lease is alive (its
``run:<run>:alive`` key, renewed every lease/3 by a heartbeat). A run that dies or stalls past
its lease loses its claims to the first run that asks. At the end the run *commits* its claims
in chunks; each is fenced: kept if still its own, or lapsed and taken by nobody, else returned
as lost (the commit protocol drops those lines from the ``.part`` file before renaming it).
Only then is the run marked ``committed``, and only a run still ``committing`` may be: a worker
finding a dead run stuck mid-commit (at its start) undoes its chunks, and the stalled owner,
fenced out, rolls its file back. A claim the run gives up (``release``) is freed at once.
A commit records each story's writer (its run and a tag of its hash); a story claimed again
(a re-extraction) is held like a claim, and committed only if its writer is still the one it
replaces: the run becomes its writer, and an undo gives it its earlier writer back.
Recovery at start (``newscrawl.run.recovery``) settles this worker's own runs (the runs whose
worker is this host and output folder).

Content hashes are kept per source (``<source> <hash>``), as the SQLite store compares them;
the cluster state is ``distributed.clusters``. Keys: ``newscrawl:seen:ids|hashes`` (sets),
``newscrawl:seen:writers`` (hash: id → run and tag), ``newscrawl:claims`` (hash
``i:<id>``/``h:<hash>`` → run), ``newscrawl:run:<run>`` (hash: state, file, worker) with
``:alive``, ``:claims``, ``:committed``, ``:rewritten``, ``:replaced``;
``newscrawl:runs:open`` (unfinished runs), ``newscrawl:runs:<source>`` (names).
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Self

import redis
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from twisted.internet.task import LoopingCall

from newscrawl.distributed import key
from newscrawl.distributed.clusters import RedisClusterIndex
from newscrawl.distributed.connection import client, lease_ms, redis_lost
from newscrawl.distributed.seen_scripts import SCRIPTS
from newscrawl.run.seen import StoreUnavailable

logger = logging.getLogger(__name__)

CHUNK = 1_000  # claims per commit script: ~7 ms of Redis time each
RUN = key("run", "")  # + run + ':alive' etc.
SEEN_IDS, SEEN_HASHES, CLAIMS = key("seen", "ids"), key("seen", "hashes"), key("claims")
WRITERS = key("seen", "writers")
OPEN = key("runs", "open")
STATES = {"started": "started", "committing": "started", "abandoned": "started"}
UNDONE = ("committed", "claims", "rewritten")  # what an undo of a run reads: gone once committed


class LeaseLost(StoreUnavailable):
    """This run stalled mid-commit past its lease and another worker rolled it back."""


class RedisSeenStore:
    """SeenStore in Redis, shared by every worker of a crawl (see the module's docstring)."""

    def __init__(self, crawler: Crawler, server: redis.Redis, worker: str) -> None:
        self.crawler = crawler
        self.server = server
        self.worker = worker  # whose runs this process settles at start
        self.lease = lease_ms(crawler)
        self.scripts = {name: server.register_script(code) for name, code in SCRIPTS.items()}
        self.pending: list[str] = []  # "id\thash" claimed by this process's run
        self.again: dict[str, str] = {}  # "id\thash" claimed again -> its writer before
        self.runs: list[str] = []  # runs begun here: their leases are renewed
        self.heartbeat: AsyncioLoopingCall | LoopingCall | None = None
        self.clusters = RedisClusterIndex(server, self.guard)

    @classmethod
    def from_crawler(cls, crawler: Crawler, folder: Path) -> Self:
        """Reach Redis now (``RedisUnavailable`` if it does not answer)."""
        return cls(crawler, client(crawler), f"{socket.gethostname()}:{folder.resolve()}")

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """A Redis failure stops the worker and raises StoreUnavailable (LeaseLost: fenced)."""
        try:
            yield
        except redis.ResponseError as exc:
            if "FENCED" not in str(exc):
                raise
            raise LeaseLost("the run's lease lapsed and another worker rolled it back") from None
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)
            raise StoreUnavailable(f"Redis failed: {exc}") from None

    def call(self, script: str, keys: list[str], args: list[Any]) -> Any:
        with self.guard():
            return self.scripts[script](keys=keys, args=args)

    # -- lookups ---------------------------------------------------------------------------
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The ids already committed (SMISMEMBER, 1,000 a round trip)."""
        wanted, found = list(ids), set[str]()
        try:
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                flags = self.server.smismember(SEEN_IDS, chunk)
                found.update(i for i, flag in zip(chunk, flags, strict=True) if flag)
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)  # the worker stops; its requests go nowhere
        return found

    def cluster_index(self) -> RedisClusterIndex:
        return self.clusters

    # -- a run -----------------------------------------------------------------------------
    def claim(self, story_id: str, content_hash: str, run: str) -> bool:
        """Hold a story for ``run``; its content hash is one per source (the id's prefix)."""
        scoped = scoped_hash(story_id, content_hash)
        keys = [SEEN_IDS, SEEN_HASHES, CLAIMS, f"{RUN}{run}:claims"]
        if not self.call("claim", keys, [run, RUN, story_id, scoped]):
            return False
        self.pending.append(f"{story_id}\t{scoped}")
        return True

    def claim_again(self, story_id: str, content_hash: str, run: str) -> str | None:
        """Hold a seen story for ``run`` to write again: the run that wrote it ("" where no
        writer is recorded), or None (``SeenStore.claim_again``)."""
        scoped = scoped_hash(story_id, content_hash)
        keys = [SEEN_IDS, SEEN_HASHES, CLAIMS, f"{RUN}{run}:claims", WRITERS]
        writer = self.call("claim_again", keys, [run, RUN, story_id, scoped])
        if writer is None:
            return None
        self.again[f"{story_id}\t{scoped}"] = text(writer)
        return text(writer).split("\t", 1)[0]

    def release(self, story_id: str, content_hash: str, run: str) -> None:
        """Give back a claim (or a claim again) of ``run`` and its cluster member: the story is
        free at once."""
        scoped = scoped_hash(story_id, content_hash)
        self.call("release", [CLAIMS, f"{RUN}{run}:claims"], [run, story_id, scoped])
        self.again.pop(f"{story_id}\t{scoped}", None)
        with contextlib.suppress(ValueError):
            self.pending.remove(f"{story_id}\t{scoped}")
        with self.guard():
            self.clusters.forget_member(story_id, run)

    def begin_run(self, run: str, file: str) -> bool:
        source, name = run.split("/", 1)
        keys = [f"{RUN}{run}", f"{RUN}{run}:alive", key("runs", source), OPEN]
        if not self.call("begin", keys, [file, self.worker, self.lease, name, run]):
            return False
        self.runs.append(run)
        if self.heartbeat is None:
            self.heartbeat = looping_call(self.beat)
            if self.heartbeat is not None:
                self.heartbeat.start(self.lease / 3000, now=False)
        return True

    def commit(self, run: str) -> set[str]:
        """Commit the run's claims in fenced chunks: the story ids lost to other runs."""
        self.call("move", [f"{RUN}{run}"], ["started", "committing"])
        keys = [SEEN_IDS, SEEN_HASHES, CLAIMS, f"{RUN}{run}:claims", f"{RUN}{run}:committed"]
        lost: set[str] = set()
        for chunk in chunks(self.pending, CHUNK):
            taken = self.call("commit", [*keys, f"{RUN}{run}", WRITERS], [run, RUN, *chunk])
            lost.update(story_id.decode() for story_id in taken)
        keys = [SEEN_HASHES, CLAIMS, f"{RUN}{run}:claims", f"{RUN}{run}", WRITERS]
        again = [f"{entry}\t{writer}" for entry, writer in self.again.items()]
        for chunk in chunks(again, CHUNK):
            done = [f"{RUN}{run}:rewritten", f"{RUN}{run}:replaced"]
            taken = self.call("commit_again", [*keys, *done], [run, RUN, *chunk])
            lost.update(story_id.decode() for story_id in taken)
        return lost

    def set_run_state(self, run: str, state: str) -> None:
        """``committed`` only from ``committing`` (fenced: LeaseLost); ``listed`` forgets it."""
        with self.guard():
            if state == "committed":
                self.scripts["move"](keys=[f"{RUN}{run}"], args=["committing", "committed"])
                self.server.delete(*(f"{RUN}{run}:{part}" for part in UNDONE))
            elif state == "listed":
                self.server.delete(f"{RUN}{run}", f"{RUN}{run}:alive", f"{RUN}{run}:replaced")
                self.server.srem(OPEN, run)
            else:
                self.server.hset(f"{RUN}{run}", "state", state)

    def replaced(self, run: str) -> dict[str, int]:
        with self.guard():
            found = self.server.hgetall(f"{RUN}{run}:replaced")
        return {text(writer): int(count) for writer, count in found.items()}

    def unfinished_runs(self) -> list[tuple[str, str, str]]:
        """(run, file, state) of this worker's runs not yet listed; dead runs stuck
        mid-commit (another worker's) are rolled back on the way."""
        mine = []
        with self.guard():
            found = list(self.open_runs())
        for run, record in found:
            if record.get("worker") == self.worker:
                mine.append((run, record["file"], STATES.get(record["state"], record["state"])))
            elif record["state"] == "committing" and not self.server.exists(f"{RUN}{run}:alive"):
                self.call("undo", self.undo_keys(run), [run, "abandoned"])
                logger.warning("rolled back run %s of %s, dead mid-commit", run, record["worker"])
        return mine

    def open_runs(self) -> Iterator[tuple[str, dict[str, str]]]:
        for member in self.server.smembers(OPEN):
            run = text(member)
            record = {text(k): text(v) for k, v in self.server.hgetall(f"{RUN}{run}").items()}
            if record:
                yield run, record

    def undo_keys(self, run: str) -> list[str]:
        base = f"{RUN}{run}"
        return [base, f"{base}:claims", f"{base}:committed", SEEN_IDS, SEEN_HASHES, CLAIMS,
                WRITERS, f"{base}:rewritten", f"{base}:replaced"]  # fmt: skip

    def run_names(self, source: str) -> set[str]:
        with self.guard():
            return {text(name) for name in self.server.smembers(key("runs", source))}

    def adopt(self, run: str, file: str, stories: Iterable[tuple[str, str]]) -> set[str]:
        """Record one of this worker's runs whose file is final as ``done``, and its stories
        as seen (recovery, where Redis lost them: a restart without its data)."""
        source, name = run.split("/", 1)
        entries = list(stories)
        with self.guard(), self.server.pipeline(transaction=True) as pipe:
            for story_id, content_hash in entries:
                pipe.sadd(SEEN_IDS, story_id)
                pipe.sadd(SEEN_HASHES, scoped_hash(story_id, content_hash))
                pipe.hsetnx(WRITERS, story_id, f"{run}\t{content_hash[-16:]}")
            pipe.hset(f"{RUN}{run}", mapping={"state": "done", "file": file, "worker": self.worker})
            pipe.sadd(OPEN, run)
            pipe.sadd(key("runs", source), name)
            flags = pipe.execute()
        new = flags[: 3 * len(entries) : 3]  # each story's SADD to the seen ids
        return {story_id for (story_id, _), added in zip(entries, new, strict=True) if added}

    def forget_run(self, run: str) -> None:
        """Roll back one of this worker's runs: its claims go, its chunks leave the seen sets."""
        source, name = run.split("/", 1)
        with self.guard():
            self.scripts["undo"](keys=self.undo_keys(run), args=[run, ""])
            self.clusters.forget(run)
            self.server.srem(OPEN, run)
            self.server.srem(key("runs", source), name)

    def beat(self) -> None:
        """Renew the lease of this process's runs (a lapsed one is taken back if untouched)."""
        try:
            with self.server.pipeline(transaction=False) as pipe:
                for run in self.runs:
                    pipe.set(f"{RUN}{run}:alive", 1, px=self.lease)
                pipe.execute()
        except redis.RedisError as exc:
            redis_lost(self.crawler, exc)

    def close(self) -> None:
        """Stop renewing; the claims of an unfinished run are free for others at once."""
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        with contextlib.suppress(redis.RedisError):  # gone: the lease lapses by itself
            self.server.delete(*(f"{RUN}{run}:alive" for run in self.runs))
        self.runs = []


def scoped_hash(story_id: str, content_hash: str) -> str:
    """A content hash within its source (the id's prefix), as the seen sets keep it.

    >>> scoped_hash("menafn:1", "sha256:ab")
    'menafn sha256:ab'
    """
    return f"{story_id.split(':', 1)[0]} {content_hash}"


def looping_call(beat: Any) -> AsyncioLoopingCall | LoopingCall | None:
    """A looping call on the crawl's event loop (asyncio, or the Twisted reactor); None outside
    a crawl (a store opened on its own, as the tests do: no loop runs to renew a lease)."""
    try:
        return create_looping_call(beat)
    except RuntimeError:  # neither a running asyncio loop nor a reactor
        return None


def text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
