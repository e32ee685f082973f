"""Article, the one output schema (version 3), and Reject, a rejects line; nothing else defines
field names."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newscrawl.clusters import Fingerprint
    from newscrawl.witness import Witness

SCHEMA_VERSION = 3


@dataclass
class Article:
    """One news story, as written to the JSON lines (keys in this order)."""

    schema_version: int = SCHEMA_VERSION
    id: str | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published_at: str | None = None
    published_text: str | None = None  # v2: the stamp as printed
    page_date: str | None = None
    dateline: str | None = None
    provider: str | None = None
    organization: str | None = None  # v2: a press release's issuer
    tickers: list[str] = field(default_factory=list)  # v3: the issuer's EXCHANGE:SYMBOL listings
    body: str | None = None
    summary: str | None = None
    image_url: str | None = None
    tags: list[str] = field(default_factory=list)
    category: str | None = None
    language: str | None = None
    tracking_id: str | None = None
    word_count: int | None = None
    content_hash: str | None = None
    cluster_id: str | None = None  # v2: the id of the story's first article seen
    corrects: str | None = None  # v3: the id of the release this one corrects or replaces
    crawled_at: str | None = None
    extracted_by: str | None = None  # v3: "newscrawl <version>", set by the loader
    # Where the page was read (a file:// URI, or the URL fetched from a mirror): for rejects
    # lines and logs only, never written as part of the article.
    fetched_from: str | None = field(default=None, metadata={"export": False})
    # Which extraction layer gave the body (site, json_ld, meta, generic, text): run health.
    body_layer: str | None = field(default=None, metadata={"export": False})
    # What the page's values disagreed on (``published_hours``, ``published_placeholder``,
    # ``published_other``, ``language``): counted in the run's health.
    disagreements: list[str] = field(default_factory=list, metadata={"export": False})
    # The story text's cluster fingerprint, where a worker process of an offline run parsed the
    # page (so the crawler's process need not compute it); else ClusterPipeline computes it.
    fingerprint: Fingerprint | None = field(default=None, metadata={"export": False})
    # What a sitemap, a feed or a listing card said of the story before its page was read
    # (newscrawl.witness): compared with the page in the run's health, never written.
    witness: Witness | None = field(default=None, metadata={"export": False})


ARTICLE_FIELDS: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(Article) if f.metadata.get("export", True)
)


@dataclass
class Reject:
    """A page or item that could not become a valid article: one line of the rejects file
    (``{"url", "reason", "detail", "at"}`` and what the page gave, CONTRACT §2). A spider
    yields it like an article; the rejects stage writes it (``newscrawl.run.stages``)."""

    url: str
    reason: str  # short and stable, for counting: "no body", "soft 404", "truncated page"
    detail: str = ""
    fields: dict[str, object] = field(default_factory=dict)  # extracted_fields() of the page
    fails_run: bool = False  # our own bug or a dead worker process: the run fails (exit 1)


def extracted_fields(article: Article) -> dict[str, object]:
    """The fields a page gave, in schema order, without the empty ones: what a rejects line
    carries besides its reason (CONTRACT §2)."""
    values = ((name, getattr(article, name)) for name in ARTICLE_FIELDS)
    return {name: value for name, value in values if value not in (None, "", [])}


def load_schema(version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The machine-readable contract, ``newscrawl/schema/article-v<version>.schema.json``.

    The current version validates what is written; older ones stay for reading old files.
    """
    name = f"schema/article-v{version}.schema.json"
    text = resources.files("newscrawl").joinpath(name).read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema
