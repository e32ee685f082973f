"""RunAddon: plugs the run's components into Scrapy's standard slots, in one place.

An add-on (Scrapy's way to configure a set of components) rather than ``ITEM_PIPELINES`` in
``settings.py``: a user's ``-s ITEM_PIPELINES={...}`` then adds stages to the run's instead of
silently replacing them (a run without its write stage would write nothing).
"""

from __future__ import annotations

from scrapy.extensions.feedexport import FeedExporter
from scrapy.settings import BaseSettings

from newscrawl.run.extension import RunExtension
from newscrawl.run.feeds import RunFeedExporter
from newscrawl.run.health import HealthPipeline
from newscrawl.run.seen_filter import SeenStoriesMiddleware
from newscrawl.run.stages import RejectsPipeline, ValidationPipeline
from newscrawl.run.write import ClusterPipeline, WritePipeline

# The item pipeline: what a page's item goes through, in this order. A user's stage at any
# other number runs between them (below 120 it sees rejects too); the line is written once
# an article has passed every stage.
STAGES = {
    ValidationPipeline: 100,  # an article that breaks the schema becomes a Reject
    HealthPipeline: 110,  # every story page counted: article or reject
    RejectsPipeline: 120,  # Rejects to the rejects file; only articles go on
    WritePipeline: 200,  # the story claimed (a duplicate dropped); written at item_scraped
    ClusterPipeline: 250,  # cluster_id: the story's first article seen
}


class RunAddon:
    """The run: its extension (opened last, after the other extensions, so a crawl that
    cannot start fails before the run begins), its pipeline stages, the spider middleware that
    skips seen stories, and the feed exporter that exports the run's file."""

    def update_settings(self, settings: BaseSettings) -> None:
        settings.set_in_component_priority_dict("EXTENSIONS", RunExtension, 1000)
        settings.set_in_component_priority_dict("EXTENSIONS", FeedExporter, None)
        settings.set_in_component_priority_dict("EXTENSIONS", RunFeedExporter, 0)
        settings.set_in_component_priority_dict("SPIDER_MIDDLEWARES", SeenStoriesMiddleware, 950)
        for stage, order in STAGES.items():
            settings.set_in_component_priority_dict("ITEM_PIPELINES", stage, order)
