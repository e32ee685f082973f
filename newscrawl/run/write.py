"""The write stage: claim, cluster and write are one unit, so a story is written or asked again
whatever fails.

``WritePipeline`` claims each article's story in the seen store (a duplicate is dropped
there); ``ClusterPipeline`` links it to its story's first article. Its line goes into the
run's file only once the article has passed every stage, ours and any a user added with
``ITEM_PIPELINES`` (Scrapy's ``item_scraped``, when feed exports receive items too). An
article that fails (``item_error``) or is dropped (``item_dropped``) after its claim, or whose
line cannot be written, gives the claim and its cluster row back: it stays unseen and the
next run asks for it again. A run ends with no claim it did not write (``close_spider``).

A re-extraction (``-a reextract=yes``) claims the stories written before again
(``SeenStore.claim_again``): their lines are written once more, and they keep their cluster.
"""

from __future__ import annotations

import logging
from typing import Any, Self

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newscrawl.clusters import cluster_of, fingerprint, kept_cluster, story_text
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.run.extension import run_of
from newscrawl.run.report import TO_WRITE, count
from newscrawl.run.run import Run
from newscrawl.run.seen import STORE_ERRORS, StoreUnavailable

logger = logging.getLogger(__name__)


class WritePipeline:
    """One story id, or one content hash within a source, is written once ever (across runs
    and workers sharing a store): claimed here, written at ``item_scraped``, given back on
    failure (see the module's docstring).

    A re-extraction (``again``: the spider's ``reextract``) writes a story written before once
    more: claimed again, not counted as a duplicate, and noted in ``Run.rewriting`` until it
    is written or given back."""

    def __init__(self, crawler: Crawler, run: Run, again: bool = False) -> None:
        self.stats = crawler.stats
        self.run = run
        self.again = again
        self.claims: dict[str, tuple[Any, str]] = {}  # story id -> (its item, content hash)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        stage = cls(crawler, run_of(crawler), bool(getattr(crawler.spider, "reextract", False)))
        crawler.signals.connect(stage.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(stage.item_failed, signal=signals.item_error)
        crawler.signals.connect(stage.item_failed, signal=signals.item_dropped)
        return stage

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        story_id, content_hash = adapter["id"], adapter["content_hash"]
        try:
            new = self.claim(story_id, content_hash)
        except STORE_ERRORS as exc:  # the story stays unseen, maybe new: for the next run
            store_failed(self.stats, self.run, exc)
            count(self.stats, TO_WRITE)
            raise DropItem(f"{story_id} not claimed: {exc}", log_level="DEBUG") from None
        if not new:
            count(self.stats, "duplicates")
            raise DropItem(f"duplicate {story_id} ({adapter['url']})", log_level="DEBUG")
        count(self.stats, TO_WRITE)
        self.claims[story_id] = (item, content_hash)
        return item

    def claim(self, story_id: str, content_hash: str) -> bool:
        """Hold the story for the run: a new one, or (a re-extraction) one written before,
        whose earlier run goes into ``Run.rewriting``. False for a duplicate."""
        store, run = self.run.store, self.run.key
        earlier = store.claim_again(story_id, content_hash, run) if self.again else None
        if earlier is None:
            return store.claim(story_id, content_hash, run)
        self.run.rewriting[story_id] = earlier
        return True

    def item_scraped(self, item: Any) -> None:
        """The article passed every stage: its line goes into the run's file."""
        adapter = ItemAdapter(item)
        story_id = str(adapter.get("id"))
        claim = self.claims.pop(story_id, None)
        if claim is None:
            return  # not an article this stage claimed
        try:
            self.run.articles.write({name: adapter[name] for name in ARTICLE_FIELDS})
        except OSError as exc:
            self.give_back(story_id, claim[1])
            count(self.stats, "errors")
            self.run.output_failed(exc)
            return
        self.run.rewriting.pop(story_id, None)  # the store counts what the run replaced
        count(self.stats, "written")

    def item_failed(self, item: Any) -> None:
        """An article raised or was dropped after its claim: the claim goes back."""
        story_id = str(ItemAdapter(item).get("id"))
        claim = self.claims.get(story_id)
        if claim is not None and claim[0] is item:  # not a duplicate of a claimed story
            del self.claims[story_id]
            self.give_back(story_id, claim[1])

    def give_back(self, story_id: str, content_hash: str) -> None:
        self.run.rewriting.pop(story_id, None)
        try:
            self.run.store.release(story_id, content_hash, self.run.key)
        except STORE_ERRORS:  # a store gone takes the claim with it (its lease lapses)
            return
        logger.info("%s was not written: it stays unseen, for the next run", story_id)

    def close_spider(self) -> None:
        """Claims of articles that never came out of the pipeline (none, normally) go back
        before the run commits: a claim without its line would be a story lost."""
        for story_id, (_, content_hash) in list(self.claims.items()):
            self.give_back(story_id, content_hash)
        self.claims.clear()


def store_failed(stats: StatsCollector, run: Run, error: Exception) -> None:
    """The seen store failed an article: an error (the story stays unseen). Redis gone stops
    the worker and says so once; an SQLite file that cannot be written fails the run."""
    count(stats, "errors")
    if not isinstance(error, StoreUnavailable):
        run.output_failed(error, "the state")


class ClusterPipeline:
    """Links an article to the first article seen, from any source, that carries its story
    (``cluster_id``; ``newscrawl.clusters``). Its cluster rows are written with its story's
    claim: released with it, committed with it, rolled back with it. A story written again (a
    re-extraction) keeps its cluster (``kept_cluster``)."""

    def __init__(self, crawler: Crawler, run: Run) -> None:
        self.stats = crawler.stats
        self.run = run
        self.index = run.store.cluster_index()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, run_of(crawler))

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        new = adapter.get("fingerprint")  # computed where the page was parsed, if it was
        if new is None:
            new = fingerprint(story_text(adapter.get("dateline"), adapter["body"]))
        assign = kept_cluster if adapter["id"] in self.run.rewriting else cluster_of
        try:
            cluster = assign(self.index, adapter["id"], new, self.run.key)
        except STORE_ERRORS as exc:  # as in WritePipeline
            store_failed(self.stats, self.run, exc)
            raise DropItem(f"{adapter['id']} not linked: {exc}", log_level="DEBUG") from None
        adapter["cluster_id"] = cluster
        if cluster != adapter["id"]:
            count(self.stats, "linked")
        return item
