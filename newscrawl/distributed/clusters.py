"""RedisClusterIndex: the cross-source cluster state of ``newscrawl.clusters``, in Redis.

Every worker looks candidates up in, and adds its articles to, one index:
``newscrawl:cluster:members`` (hash: story id → JSON of its cluster id, signature, features,
bands, run, order) and one sorted set per LSH band key, ``newscrawl:cluster:band:<key>``
(story ids by order added, newest first). A run's members are listed in
``newscrawl:run:<run>:members``: a rolled-back run takes them away (``forget``). The scheme
that made them is ``newscrawl:cluster:scheme`` (``newscrawl.clusters.scheme``).

Members are visible to other workers at once, before their run commits; an article linked to
a story whose run is then rolled back keeps that story's id as its ``cluster_id``, and the
next run writes that story under the same id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext

import orjson
import redis

from newscrawl.clusters import Fingerprint, Member
from newscrawl.clusters.scheme import LEGACY
from newscrawl.distributed import key

MEMBERS, ORDER = key("cluster", "members"), key("cluster", "order")
SCHEME_KEY = key("cluster", "scheme")


def band_key(band: int | str) -> str:
    return key("cluster", "band", band)


class RedisClusterIndex:
    """ClusterIndex in Redis, shared by every worker (see the module's docstring).

    ``guard`` wraps every call: the seen store's, so a Redis failure stops the worker and
    raises ``StoreUnavailable`` here as it does there (never a raw ``redis`` error).
    """

    def __init__(
        self, server: redis.Redis, guard: Callable[[], AbstractContextManager[None]]
    ) -> None:
        self.server = server
        self.guard = guard

    def candidates(self, bands: Sequence[int], limit: int) -> list[Member]:
        """Members sharing at least one band key, newest first, at most ``limit``."""
        with self.guard():
            return self._candidates(bands, limit)

    def _candidates(self, bands: Sequence[int], limit: int) -> list[Member]:
        with self.server.pipeline(transaction=False) as pipe:
            for band in bands:
                pipe.zrevrange(band_key(band), 0, limit - 1, withscores=True)
            found = {member: score for rows in pipe.execute() for member, score in rows}
        newest = sorted(found, key=lambda m: found[m], reverse=True)[:limit]
        if not newest:
            return []
        records = self.server.hmget(MEMBERS, newest)
        return [
            Member(
                story_id=story.decode(),
                cluster_id=data["cluster_id"],
                signature=bytes.fromhex(data["signature"]),
                features=bytes.fromhex(data["features"]),
            )
            for story, raw in zip(newest, records, strict=True)
            if raw is not None and (data := orjson.loads(raw))
        ]

    def add(self, story_id: str, cluster_id: str, fingerprint: Fingerprint, run: str) -> None:
        """Record an article, its story and its fingerprint under ``run``."""
        with self.guard():
            self._add(story_id, cluster_id, fingerprint, run)

    def _add(self, story_id: str, cluster_id: str, fingerprint: Fingerprint, run: str) -> None:
        order = self.server.incr(ORDER)
        record = {
            "cluster_id": cluster_id,
            "signature": fingerprint.signature.hex(),
            "features": fingerprint.features.hex(),
            "bands": list(fingerprint.bands),
            "run": run,
        }
        with self.server.pipeline(transaction=True) as pipe:
            pipe.hset(MEMBERS, story_id, orjson.dumps(record))
            for band in fingerprint.bands:
                pipe.zadd(band_key(band), {story_id: order})
            pipe.sadd(key("run", run, "members"), story_id)
            pipe.execute()

    def story_cluster(self, story_id: str) -> str | None:
        """The cluster the article was added to, or None."""
        with self.guard():
            raw = self.server.hget(MEMBERS, story_id)
        return None if raw is None else str(orjson.loads(raw)["cluster_id"])

    def assigning(self) -> AbstractContextManager[None]:
        """Not one step here: two workers linking copies of one story at the same moment may
        both start a cluster (a lock per look-up would cost two more round trips)."""
        return nullcontext()

    def forget(self, run: str) -> None:
        """Take a rolled-back run's members away."""
        found = self.server.smembers(key("run", run, "members"))
        for story_id in (m.decode() if isinstance(m, bytes) else m for m in found):
            self.forget_member(story_id, run, unlist=False)  # the whole list goes next
        self.server.delete(key("run", run, "members"))

    def forget_member(self, story_id: str, run: str, *, unlist: bool = True) -> None:
        """Take one member of ``run`` away (its article will not be written); ``unlist``:
        also from the run's list of members."""
        raw = self.server.hget(MEMBERS, story_id)
        if raw is None or orjson.loads(raw)["run"] != run:
            return  # another run's since
        with self.server.pipeline(transaction=True) as pipe:
            for band in orjson.loads(raw)["bands"]:
                pipe.zrem(band_key(band), story_id)
            pipe.hdel(MEMBERS, story_id)
            if unlist:
                pipe.srem(key("run", run, "members"), story_id)
            pipe.execute()

    def recorded_scheme(self) -> str | None:
        """The scheme of the index; ``LEGACY`` for members without a record; None when empty."""
        with self.guard(), self.server.pipeline(transaction=True) as pipe:
            # one MULTI: read apart, another worker could record the scheme and add members
            # between the two reads, and this one would take them for a legacy index
            pipe.get(SCHEME_KEY)
            pipe.hlen(MEMBERS)
            recorded, members = pipe.execute()
        if recorded is not None:
            return str(recorded.decode() if isinstance(recorded, bytes) else recorded)
        return LEGACY if members else None

    def record_scheme(self, scheme: str) -> None:
        with self.guard():
            self.server.set(SCHEME_KEY, scheme)

    def clear(self) -> None:
        """Every member, band and run list of the index gone (its scheme record stays)."""
        with self.guard():
            doomed = [MEMBERS, ORDER]
            doomed += self.server.scan_iter(match=band_key("*"), count=1000)
            doomed += self.server.scan_iter(match=key("run", "*", "members"), count=1000)
            for start in range(0, len(doomed), 1000):
                self.server.delete(*doomed[start : start + 1000])
