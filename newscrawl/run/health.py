"""Run health and drift alarms: what a run's story pages gave, and whether the site changed.

Nobody here can see menafn.com's live markup, so the crawler watches itself. Each run records,
for its story pages: which extraction layer gave each body, how often each field was found,
and what was rejected and why. Against the recent runs of the same kind (live or offline) it
raises an alarm when the site's own selectors give a much smaller share of bodies (the layout
changed), when a field's coverage falls sharply, or when most story pages are rejected.

Spidermon (the Scrapy ecosystem's monitor) was considered: its field coverage is what
``coverage`` gives here, but its checks see one job's stats, while these alarms compare a run
with the runs before it in ``runs.jsonl`` and end in the exit status; it would add a layer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newscrawl.dates import local_date, tracking_date
from newscrawl.items import Article, Reject
from newscrawl.witness import WitnessTally

FIELDS = (
    "title",
    "published_at",
    "dateline",
    "provider",
    "body",
    "summary",
    "image_url",
    "tags",
    "category",
    "tracking_id",
)
LAYERS = ("site", "json_ld", "meta", "generic", "text")  # in the order pages try them
HTML_LAYERS = LAYERS[:4]


@dataclass(frozen=True)
class Thresholds:
    """When to raise an alarm (the ``NEWSCRAWL_HEALTH_*``/``NEWSCRAWL_ALARM_*`` settings)."""

    min_pages: int = 20  # fewer story pages: chance alone moves a 60% field to 40%
    recent_runs: int = 5  # how many earlier runs of the same kind make the baseline
    layout_drop: float = 0.5  # site selectors' share of bodies falls below half the baseline
    coverage_drop: float = 0.3  # a field found on 30 points fewer of the pages than before
    rejected_share: float = 0.5  # half or more of the story pages rejected


def thresholds(settings: BaseSettings) -> Thresholds:
    """The alarm thresholds from the ``NEWSCRAWL_HEALTH_*`` and ``NEWSCRAWL_ALARM_*`` settings."""
    return Thresholds(
        min_pages=settings.getint("NEWSCRAWL_HEALTH_MIN_PAGES"),
        recent_runs=settings.getint("NEWSCRAWL_HEALTH_RECENT_RUNS"),
        layout_drop=settings.getfloat("NEWSCRAWL_ALARM_LAYOUT_DROP"),
        coverage_drop=settings.getfloat("NEWSCRAWL_ALARM_COVERAGE_DROP"),
        rejected_share=settings.getfloat("NEWSCRAWL_ALARM_REJECTED_SHARE"),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


class RunHealth:
    """Counts one run's story pages as they come: articles (by field and layer) and rejects."""

    def __init__(self, local: tzinfo | None = None) -> None:
        self.local = local
        self.articles = 0
        self.found: Counter[str] = Counter()
        self.layers: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.date_mismatch = 0
        self.disagreements: Counter[str] = Counter()  # a page's values contradicting each other
        self.witnesses = WitnessTally()  # sitemap, feed and listing dates against the page's

    def article(self, article: Article) -> None:
        """One story page that gave a valid article (written or a duplicate)."""
        self.articles += 1
        self.found.update(name for name in FIELDS if getattr(article, name))
        if article.body_layer:
            self.layers[article.body_layer] += 1
        self.disagreements.update(article.disagreements)
        self.witnesses.add(article.published_at, article.witness, self.local)
        if self.local and article.published_at and article.tracking_id:
            issued = tracking_date(article.tracking_id)
            if issued and issued != local_date(article.published_at, self.local):
                self.date_mismatch += 1

    def rejected(self, reason: str) -> None:
        """One story page (or item) that could not become a valid article."""
        self.reasons[reason] += 1

    def to_dict(self, mode: str) -> dict[str, Any]:
        """The run's ``health`` in ``runs.jsonl``: shares are 0–1, rounded to 3 places."""
        rejected = sum(self.reasons.values())
        html = sum(self.layers[name] for name in HTML_LAYERS)
        return {
            "mode": mode,
            "story_pages": self.articles + rejected,
            "articles": self.articles,
            "rejected": rejected,
            "rejected_share": _share(rejected, self.articles + rejected),
            "rejected_reasons": dict(self.reasons.most_common()),
            "layers": {name: self.layers[name] for name in LAYERS},
            "site_share": _share(self.layers["site"], html),
            "coverage": {name: _share(self.found[name], self.articles) for name in FIELDS},
            "stamp_date_mismatch": self.date_mismatch,
            "disagreements": dict(sorted(self.disagreements.items())),
            "witnesses": self.witnesses.to_dict(),
        }


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _percent(value: float) -> str:
    return f"{value:.0%}"


def baseline(
    history: Iterable[dict[str, Any]], mode: str, limits: Thresholds
) -> list[dict[str, Any]]:
    """The ``health`` of the last ``recent_runs`` runs of the same ``mode`` that had enough
    story pages to say something, oldest first (``history``: ``runs.jsonl`` lines, newest
    first, read no further than needed)."""
    found: list[dict[str, Any]] = []
    for line in history if limits.recent_runs > 0 else ():
        health = line.get("health")
        if (
            isinstance(health, dict)
            and health.get("mode") == mode
            and health.get("story_pages", 0) >= limits.min_pages
        ):
            found.append(health)
            if len(found) == limits.recent_runs:
                break
    return found[::-1]


def alarms(health: dict[str, Any], recent: list[dict[str, Any]], limits: Thresholds) -> list[str]:
    """Short alarm strings for a run's ``health`` against the ``recent`` runs' (``[]``: healthy).

    >>> ok = {"story_pages": 20, "articles": 20, "rejected_share": 0.0, "site_share": 1.0,
    ...       "coverage": {"dateline": 1.0}, "rejected_reasons": {}}
    >>> changed = {**ok, "site_share": 0.0, "coverage": {"dateline": 0.2}}
    >>> alarms(changed, [ok, ok], Thresholds())  # doctest: +NORMALIZE_WHITESPACE
    ['layout changed: the site selectors gave 0% of bodies (recent runs: 100%)',
     'coverage of dateline fell to 20% (recent runs: 100%)']
    >>> alarms(ok, [ok], Thresholds())
    []
    """
    found: list[str] = []
    if health["story_pages"] >= limits.min_pages and (
        (health["rejected_share"] or 0.0) >= limits.rejected_share
    ):
        reasons = ", ".join(f"{r}: {n}" for r, n in list(health["rejected_reasons"].items())[:3])
        found.append(
            f"most story pages were rejected: {_percent(health['rejected_share'])}"
            f" of {health['story_pages']} ({reasons})"
        )
    if health["articles"] < limits.min_pages:
        return found
    was = _mean([h["site_share"] for h in recent if h.get("site_share") is not None])
    now = health.get("site_share")
    if was is not None and now is not None and now < was * (1 - limits.layout_drop):
        found.append(
            f"layout changed: the site selectors gave {_percent(now)} of bodies"
            f" (recent runs: {_percent(was)})"
        )
    for name, now_covered in health["coverage"].items():
        before = [
            h["coverage"][name] for h in recent if h.get("coverage", {}).get(name) is not None
        ]
        was_covered = _mean(before)
        if now_covered is None or was_covered is None:
            continue
        if was_covered - now_covered >= limits.coverage_drop:
            found.append(
                f"coverage of {name} fell to {_percent(now_covered)}"
                f" (recent runs: {_percent(was_covered)})"
            )
    return found


class HealthPipeline:
    """Item pipeline stage: counts every story page in the run's health, a valid article
    (written or a duplicate) or a reject, after validation and before the rejects leave."""

    def __init__(self, crawler: Crawler, limits: Thresholds) -> None:
        self.crawler = crawler
        self.limits = limits
        self.health = RunHealth()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, thresholds(crawler.settings))

    def open_spider(self) -> None:
        self.health.local = getattr(self.crawler.spider, "local", None)  # the site's clock

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Reject):
            self.health.rejected(item.reason)
        elif isinstance(item, Article):
            self.health.article(item)
        return item

    def report(
        self, mode: str, history: Iterable[dict[str, Any]]
    ) -> tuple[dict[str, Any], list[str]]:
        """The run's ``health`` (``mode``: live or offline) and its alarms against the recent
        runs of the same kind in ``history`` (``runs.jsonl`` lines, newest first)."""
        health = self.health.to_dict(mode)
        if health["articles"] < self.limits.min_pages:  # too few to compare: no look back
            return health, alarms(health, [], self.limits)
        return health, alarms(health, baseline(history, mode, self.limits), self.limits)
