"""ArticleLoader: raw page values in, one clean Article out (first value found wins)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any, ClassVar

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from newscrawl import __version__
from newscrawl import processors as p
from newscrawl.dates import not_after, parse_banner_date, read_timestamp, to_utc
from newscrawl.items import Article


def unique(values: list[str]) -> list[str]:
    """Keep the first of equal values, in order.

    >>> unique(["Oil", "Gold", "Oil"])
    ['Oil', 'Gold']
    """
    return list(dict.fromkeys(values))


def parse_published(value: str, loader_context: Mapping[str, Any]) -> str | None:
    """A publication stamp in UTC; one without an offset is read in the site's clock (the
    loader context's ``zone``), and is None where the loader knows no clock: a naive time is
    never guessed to be UTC (schema v3)."""
    moment = read_timestamp(value)
    local = loader_context.get("zone")
    if moment is None or (moment.tzinfo is None and local is None):
        return None
    return to_utc(moment, local or UTC)


EXTRACTED_BY = f"newscrawl {__version__}"  # v3: tells a re-extraction's rows from the first


class ArticleLoader(ItemLoader):
    """Site values go in first and generic fallbacks after, so the site's value wins."""

    default_item_class = Article
    default_output_processor = TakeFirst()

    title_in = MapCompose(p.clean_text)
    published_at_in = MapCompose(parse_published)
    published_text_in = MapCompose(p.clean_text)
    page_date_in = MapCompose(parse_banner_date)
    dateline_in = MapCompose(p.clean_text)
    provider_in = MapCompose(p.clean_text)
    organization_in = MapCompose(p.clean_text)
    body_in = MapCompose(p.clean_body)
    summary_in = MapCompose(p.clean_text)
    image_url_in = MapCompose(p.absolute_http_url, p.no_placeholder_image)
    tags_in = MapCompose(p.clean_text)
    tags_out = Identity()
    tickers_in = MapCompose(p.clean_text)
    tickers_out = Identity()
    category_in = MapCompose(p.clean_text)
    language_in = MapCompose(p.normalise_language)
    tracking_id_in = MapCompose(p.clean_text)  # a site's page finds its stamp

    # itemloaders looks processors up per value (attribute, then the item's field metadata,
    # which for dataclasses walks dataclasses.fields()); they are fixed per class, so cache.
    _processors: ClassVar[dict[tuple[type, str, str], Any]] = {}

    def _cached(self, kind: str, field_name: str, look_up: Callable[[str], Any]) -> Any:
        key = (type(self), kind, field_name)
        if key not in self._processors:
            self._processors[key] = look_up(field_name)
        return self._processors[key]

    def get_input_processor(self, field_name: str) -> Any:
        return self._cached("in", field_name, super().get_input_processor)

    def get_output_processor(self, field_name: str) -> Any:
        return self._cached("out", field_name, super().get_output_processor)

    def load_item(self) -> Any:
        """Fill the fields derived from others: id by hash, counts, hash, no future dates, and
        the article's own id as its cluster (``ClusterPipeline`` links it to an earlier one)."""
        article: Article = super().load_item()
        article.tags = unique(article.tags or [])
        article.tickers = unique(article.tickers or [])
        article.extracted_by = EXTRACTED_BY
        if article.crawled_at:
            article.published_at = not_after(article.published_at, article.crawled_at)
        if article.title and article.body:
            article.word_count = p.word_count(article.body)
            article.content_hash = p.content_hash(article.title, article.body)
            if article.id is None and article.source:
                article.id = f"{article.source}:h{article.content_hash[7:23]}"
        article.cluster_id = article.id  # its own story until the cluster step links it
        return article
