"""The second witness: what a sitemap, a feed or a listing card says of a story before its page
is read, carried to the page's article and compared with it.

A witness never overrides the page: ``published_at`` stays the page's (news sitemaps are known
to be off by a zone's offset: Yoast/wpseo-news#227, Automattic/jetpack#36217), and their
disagreement is counted in the run's ``health`` with its size. Only fields the page leaves empty
are filled from it: ``tickers`` from ``news:stock_tickers``, ``tags`` from ``news:keywords``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from newscrawl.dates import read_timestamp
from newscrawl.extraction.exchanges import listings
from newscrawl.items import Article

AGREE_SECONDS = 60  # a witness printed to the minute agrees with a page's stamp in seconds


@dataclass(frozen=True)
class Witness:
    """``source``: ``sitemap``, ``feed`` or ``listing``; ``published``: ISO 8601 in UTC, or a
    day (``YYYY-MM-DD``, on the site's clock) where only the day is given, or None."""

    source: str
    published: str | None = None
    tickers: tuple[str, ...] = ()  # EXCHANGE:SYMBOL (newscrawl.extraction.exchanges)
    keywords: tuple[str, ...] = ()

    def to_meta(self) -> dict[str, Any]:
        """JSON-safe (a shared queue stores request meta as JSON)."""
        return {"source": self.source, "published": self.published,
                "tickers": list(self.tickers), "keywords": list(self.keywords)}  # fmt: skip

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> Witness:
        return cls(meta["source"], meta.get("published"), tuple(meta.get("tickers") or ()),
                   tuple(meta.get("keywords") or ()))  # fmt: skip


def printed_moment(stamp: str | None, clock: tzinfo) -> str | None:
    """A printed stamp as a witness's ``published``: UTC for a full timestamp (a naive one on
    the site's clock), the day for a date alone, None for anything else.

    >>> from zoneinfo import ZoneInfo
    >>> eastern = ZoneInfo("America/New_York")
    >>> printed_moment("2025-04-30T22:00:00-04:00", eastern), printed_moment("2025-04-30", eastern)
    ('2025-05-01T02:00:00+00:00', '2025-04-30')
    >>> printed_moment("2025-07-13 04:11:24", eastern), printed_moment("soon", eastern)
    ('2025-07-13T08:11:24+00:00', None)
    """
    if not stamp:
        return None
    moment = read_timestamp(stamp)
    if moment is None:
        try:
            return date.fromisoformat(stamp.strip()[:10]).isoformat()
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=clock, fold=0)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def sitemap_witness(
    published: str | None, tickers: str | None, keywords: str | None, clock: tzinfo
) -> Witness:
    """A news sitemap entry's witness: its ``news:publication_date``, ``news:stock_tickers``
    (normalised) and ``news:keywords`` (comma-separated)."""
    words = [word.strip() for word in (keywords or "").split(",")]
    return Witness(
        "sitemap",
        printed_moment(published, clock),
        tuple(listings(tickers or "")),
        tuple(dict.fromkeys(word for word in words if word)),
    )


def fill_from_witness(article: Article, witness: Witness) -> None:
    """Give the article its witness (for the run's health) and the tickers and tags its page
    left empty; never anything the page gave."""
    article.witness = witness
    if not article.tickers and witness.tickers:
        article.tickers = list(witness.tickers)
    if not article.tags and witness.keywords:
        article.tags = list(witness.keywords)


class WitnessTally:
    """Per kind of witness: pages compared, agreeing, and the disagreements by their size."""

    def __init__(self) -> None:
        self.compared: Counter[str] = Counter()
        self.agree: Counter[str] = Counter()
        self.page_has_none: Counter[str] = Counter()
        self.off_hours: dict[str, Counter[str]] = {}
        self.off_days: dict[str, Counter[str]] = {}

    def add(self, published_at: str | None, witness: Witness | None, clock: tzinfo | None) -> None:
        """One article and its witness (None: nothing to compare)."""
        if witness is None or witness.published is None:
            return
        kind = witness.source
        if published_at is None:
            self.page_has_none[kind] += 1
            return
        self.compared[kind] += 1
        page = datetime.fromisoformat(published_at)
        if "T" not in witness.published:  # a day alone: compared on the site's clock
            day = page.astimezone(clock or UTC).date()
            days = (date.fromisoformat(witness.published) - day).days
            self._count(kind, self.off_days, days, days == 0)
            return
        seconds = (datetime.fromisoformat(witness.published) - page).total_seconds()
        self._count(kind, self.off_hours, round(seconds / 3600), abs(seconds) < AGREE_SECONDS)

    def _count(self, kind: str, sizes: dict[str, Counter[str]], size: int, agrees: bool) -> None:
        if agrees:
            self.agree[kind] += 1
        else:
            sizes.setdefault(kind, Counter())[f"{size:+d}"] += 1

    def to_dict(self) -> dict[str, Any]:
        """``{kind: {compared, agree, off_hours, off_days, page_has_none}}``: ``off_hours``
        counts disagreements by the witness's time minus the page's, in whole hours (``-4``:
        four hours earlier; ``+0``: under half an hour but more than a minute); ``off_days`` the
        same in days, for witnesses that give a day alone."""
        kinds = sorted({*self.compared, *self.page_has_none})
        return {
            kind: {
                "compared": self.compared[kind],
                "agree": self.agree[kind],
                "off_hours": dict(sorted(self.off_hours.get(kind, Counter()).items())),
                "off_days": dict(sorted(self.off_days.get(kind, Counter()).items())),
                "page_has_none": self.page_has_none[kind],
            }
            for kind in kinds
        }
