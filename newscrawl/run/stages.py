"""The first item pipeline stages: what cannot become an article leaves for the rejects file.

``ValidationPipeline`` turns an article that breaks the schema into a ``Reject``;
``RejectsPipeline`` writes every ``Reject`` (the spider's and validation's) to the run's
rejects file and drops it, so later stages, ours and a user's, see valid articles only.
"""

from __future__ import annotations

import logging
from typing import Any, Self

import jsonschema_rs
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.items import ARTICLE_FIELDS, Reject, load_schema
from newscrawl.run.extension import run_of
from newscrawl.run.report import count, utc_now
from newscrawl.run.run import Run

logger = logging.getLogger(__name__)


def describe(error: Any) -> str:
    """A schema error as a short reason: ``no title``, ``bad published_at: ...``."""
    field = ".".join(str(p) for p in error.instance_path) or "article"
    if error.instance is None:
        return f"no {field}"
    return f"bad {field}: {error.message[:200]}"


class ValidationPipeline:
    """An article that breaks the schema becomes a ``Reject`` with the reasons; the run goes
    on. Its fields are checked as they will be written (``ARTICLE_FIELDS``)."""

    def __init__(self) -> None:
        # jsonschema-rs: the same draft 2020-12 rules, ~100x faster than the pure-Python
        # library (which the tests still use to check what was written).
        self.validator = jsonschema_rs.Draft202012Validator(load_schema())

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Reject):
            return item
        adapter = ItemAdapter(item)
        record = {name: adapter.get(name) for name in ARTICLE_FIELDS}
        if self.validator.is_valid(record):
            return item
        errors = sorted(self.validator.iter_errors(record), key=lambda e: list(e.instance_path))
        reasons = "; ".join(dict.fromkeys(describe(e) for e in errors))
        url = adapter.get("fetched_from") or record.get("url") or "?"
        return Reject(url, reasons.split(";")[0], reasons, record)


class RejectsPipeline:
    """Writes each ``Reject`` to the run's rejects file (``rejects/<run>.jsonl``) and drops
    it: one line per page or item that could not become a valid article (CONTRACT §2)."""

    def __init__(self, crawler: Crawler, run: Run) -> None:
        self.stats = crawler.stats
        self.run = run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, run_of(crawler))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Reject):
            return item
        record: dict[str, Any] = {
            "url": item.url, "reason": item.reason, "detail": item.detail, "at": utc_now(),
        }  # fmt: skip
        record.update({k: v for k, v in item.fields.items() if k not in record})
        try:
            self.run.rejects.write(record)
        except OSError as exc:
            count(self.stats, "errors")
            self.run.output_failed(exc)
            raise DropItem(f"rejects line of {item.url} not written", log_level="DEBUG") from None
        count(self.stats, "rejected")
        detail = f" ({item.detail})" if item.detail else ""
        logger.warning("rejected %s: %s%s", item.url, item.reason, detail)
        if item.fails_run:  # our bug, or a dead worker process: looked at, not just counted
            self.run.fail(f"{item.reason}: {item.url}: {item.detail}")
        raise DropItem(f"rejected {item.url}: {item.reason}", log_level="DEBUG")
