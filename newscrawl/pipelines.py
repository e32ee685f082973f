"""Item pipelines: validate against the schema, drop duplicates, link stories, write lines."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Self

import jsonschema_rs
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.clusters import cluster_of, fingerprint, story_text
from newscrawl.extensions import RunLedger
from newscrawl.items import ARTICLE_FIELDS, SCHEMA_VERSION
from newscrawl.state import StoreUnavailable


def load_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The machine-readable contract, ``newscrawl/schema/article-v<version>.schema.json``.

    The current version validates what is written; older ones stay for reading old files.
    """
    name = f"schema/article-v{version}.schema.json"
    text = resources.files("newscrawl").joinpath(name).read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def describe(error: Any) -> str:
    """A schema error as a short reason: ``no title``, ``bad published_at: ...``."""
    field = ".".join(str(p) for p in error.instance_path) or "article"
    if error.instance is None:
        return f"no {field}"
    return f"bad {field}: {error.message[:200]}"


class _LedgerPipeline:
    def __init__(self, ledger: RunLedger) -> None:
        self.ledger = ledger

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ledger = crawler.get_extension(RunLedger)
        if ledger is None:
            raise NotConfigured("the RunLedger extension is off")
        return cls(ledger)


class ValidationPipeline(_LedgerPipeline):
    """An item that breaks the schema goes to the rejects file with the reason; the run goes on."""

    def __init__(self, ledger: RunLedger) -> None:
        super().__init__(ledger)
        # jsonschema-rs: the same draft 2020-12 rules, ~100x faster than the pure-Python
        # library (which the tests still use to check what was written).
        self.validator = jsonschema_rs.Draft202012Validator(load_schema())

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        record = {name: adapter.get(name) for name in ARTICLE_FIELDS}
        if self.validator.is_valid(record):
            return item
        errors = sorted(self.validator.iter_errors(record), key=lambda e: list(e.instance_path))
        reasons = "; ".join(dict.fromkeys(describe(e) for e in errors))
        url = adapter.get("fetched_from") or record.get("url") or "?"
        self.ledger.reject(url, reasons.split(";")[0], reasons, record)
        raise DropItem(f"rejected {url}: {reasons}", log_level="DEBUG")


class HealthPipeline(_LedgerPipeline):
    """Counts every valid article, duplicate or new, in the run's health (fields, layers)."""

    def process_item(self, item: Any) -> Any:
        self.ledger.health.article(item)
        return item


class DuplicatesPipeline(_LedgerPipeline):
    """One story id, or one content hash within a source, is written once ever (across runs
    sharing a state). The same text on another source is kept: ``ClusterPipeline`` links it.
    The store claims both atomically, so workers sharing a store never both write a story."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        story_id, content_hash = adapter["id"], adapter["content_hash"]
        try:
            new = self.ledger.store.claim(story_id, content_hash, self.ledger.key)
        except StoreUnavailable as exc:  # the run is stopping; the story stays unseen
            self.ledger.count("errors")
            raise DropItem(f"{story_id} not written: {exc}", log_level="WARNING") from None
        if not new:
            self.ledger.count("duplicates")
            raise DropItem(f"duplicate {story_id} ({adapter['url']})", log_level="DEBUG")
        return item


class ClusterPipeline(_LedgerPipeline):
    """Links an article to the first article seen, from any source, that carries its story
    (``cluster_id``; ``newscrawl.clusters``). Its cluster rows are written with its story's
    seen-store row, so a rolled-back run takes both away."""

    def __init__(self, ledger: RunLedger) -> None:
        super().__init__(ledger)
        self.index = ledger.store.cluster_index()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        new = adapter.get("fingerprint")  # computed where the page was parsed, if it was
        if new is None:
            new = fingerprint(story_text(adapter.get("dateline"), adapter["body"]))
        try:
            cluster = cluster_of(self.index, adapter["id"], new, self.ledger.key)
        except StoreUnavailable as exc:  # as DuplicatesPipeline: the run is stopping
            self.ledger.count("errors")
            raise DropItem(f"{adapter['id']} not written: {exc}", log_level="WARNING") from None
        adapter["cluster_id"] = cluster
        if cluster != adapter["id"]:
            self.ledger.count("linked")
        return item


class JsonLinesPipeline(_LedgerPipeline):
    """Writes each article to the run's JSON lines, keys in schema order."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        self.ledger.write({name: adapter[name] for name in ARTICLE_FIELDS})
        return item
