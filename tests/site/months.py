"""Months of stories for backfill tests and benchmarks: each local site with stories from 1 March
to the end of May 2025 (US Eastern), and stories on purpose at the edges of April, where a
sitemap cut on UTC months and a site clock on US Eastern time disagree:

- 30 April 23:30 ET (1 May 03:30 UTC): April's, listed in GlobeNewswire's May sitemap;
- 1 May 00:30 ET: May's;
- 31 March 23:00 ET (1 April 03:00 UTC): March's, listed in GlobeNewswire's April sitemap;
- 1 April 00:10 ET: April's.

    site = month_site("globenewswire", per_month=40)
    april = stories_of(site, "2025-04")   # the ids a backfill of April must write
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .menafn import MenafnSite
from .releases import release_id_for, synthetic_release, synthetic_releases
from .server import LocalSite
from .stories import id_for, synthetic_stories
from .wires import WireSite

EASTERN = ZoneInfo("America/New_York")
FIRST = datetime(2025, 3, 1, tzinfo=EASTERN)
LAST = datetime(2025, 5, 31, 23, 59, tzinfo=EASTERN)
EDGES = (
    datetime(2025, 4, 30, 23, 30, tzinfo=EASTERN),
    datetime(2025, 5, 1, 0, 30, tzinfo=EASTERN),
    datetime(2025, 3, 31, 23, 0, tzinfo=EASTERN),
    datetime(2025, 4, 1, 0, 10, tzinfo=EASTERN),
)
MONTHS = 3
SPIDERS = ("menafn", "globenewswire", "prnewswire")


def month_site(spider: str, per_month: int = 30) -> LocalSite:
    """The spider's local site (not started) with ``per_month`` stories a month for three
    months, and the four edge stories."""
    count = per_month * MONTHS
    seconds = (LAST - FIRST).total_seconds()
    if spider == "menafn":
        step = max(2, int(2 * seconds / count / 19.5))  # ids are 19.5 s apart
        stories = synthetic_stories(count, id_for(FIRST), seed=1, step=step)
        edge_stories = [synthetic_stories(1, id_for(edge), seed=2)[0] for edge in EDGES]
        taken = {s.id for s in edge_stories}
        return MenafnSite([*(s for s in stories if s.id not in taken), *edge_stories])
    step = max(2, int(2 * seconds / count / 180))  # release ids are 3 minutes apart
    releases = synthetic_releases(spider, count, release_id_for(spider, FIRST), seed=1, step=step)
    rng = random.Random(spider)
    edges = [
        synthetic_release(spider, release_id_for(spider, edge), edge.astimezone(UTC), rng)
        for edge in EDGES
    ]
    edge_ids = {r.id for r in edges}
    return WireSite(spider, [*(r for r in releases if r.id not in edge_ids), *edges])


def stories_of(site: LocalSite, month: str) -> list[str]:
    """The ids (``<spider>:<id>``) of the site's stories published in ``month`` (``YYYY-MM``)
    on the site's clock, US Eastern: what a backfill of that month must write."""
    if isinstance(site, MenafnSite):
        stories = site.stories
        return sorted(f"menafn:{s.id}" for s in stories if f"{s.local_published:%Y-%m}" == month)
    assert isinstance(site, WireSite)
    return sorted(f"{site.wire}:{r.id}" for r in site.releases if f"{r.local:%Y-%m}" == month)
