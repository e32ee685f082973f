"""ArticleLoader: raw page values in, one clean Article out (first value found wins)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any, ClassVar, Self

from itemloaders.common import wrap_loader_context
from itemloaders.processors import Identity, MapCompose, TakeFirst
from itemloaders.utils import arg_to_iter
from scrapy.loader import ItemLoader

from newscrawl import processors as p
from newscrawl.dates import not_after, parse_banner_date, parse_datetime
from newscrawl.items import Article


def unique(values: list[str]) -> list[str]:
    """Keep the first of equal values, in order.

    >>> unique(["Oil", "Gold", "Oil"])
    ['Oil', 'Gold']
    """
    return list(dict.fromkeys(values))


def parse_published(value: str, loader_context: Mapping[str, Any]) -> str | None:
    """A publication stamp in UTC; one without an offset is read in the page's ``zone``
    (the loader context's, UTC when the page names none)."""
    return parse_datetime(value, loader_context.get("zone", UTC))


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
    category_in = MapCompose(p.clean_text)
    language_in = MapCompose(p.normalise_language)
    tracking_id_in = MapCompose(p.find_tracking_id)

    # The processors above are the one place the cleaning rules live; how they are applied is
    # itemloaders' rule, kept exactly. What is cut is its machinery around them, a third of a
    # page's extraction time: per value it looks the processors up (attribute, then the item's
    # field metadata), wraps the loader context per function and per call, and builds an
    # ItemAdapter per item. Here the look-ups are made once per class, and a MapCompose input
    # processor's functions are applied as MapCompose applies them (each function on every
    # value, None dropped, lists flattened, the loader context passed where asked for).
    _processors: ClassVar[dict[tuple[type, str, str], Any]] = {}
    _fields: ClassVar[dict[type, frozenset[str]]] = {}

    def _cached(self, kind: str, field_name: str, look_up: Callable[[str], Any]) -> Any:
        key = (type(self), kind, field_name)
        if key not in self._processors:
            self._processors[key] = look_up(field_name)
        return self._processors[key]

    def get_input_processor(self, field_name: str) -> Any:
        return self._cached("in", field_name, super().get_input_processor)

    def get_output_processor(self, field_name: str) -> Any:
        return self._cached("out", field_name, super().get_output_processor)

    def _steps(self, field_name: str) -> tuple[tuple[Callable[..., Any], bool], ...] | None:
        """A MapCompose input processor's functions, each with whether it takes the loader
        context; None for any other processor (itemloaders then applies it)."""

        def look_up(name: str) -> Any:
            proc = self.get_input_processor(name)
            if type(proc) is not MapCompose or proc.default_loader_context:
                return None
            marker: dict[str, Any] = {}
            return tuple((f, wrap_loader_context(f, marker) is not f) for f in proc.functions)

        steps: tuple[tuple[Callable[..., Any], bool], ...] | None
        steps = self._cached("steps", field_name, look_up)
        return steps

    def add_value(
        self, field_name: str | None, value: Any, *processors: Any, re: Any = None, **kw: Any
    ) -> Self:
        """``ItemLoader.add_value``; a plain value for a field whose input processor is a
        MapCompose is run through its functions here (same values, same order)."""
        steps = self._steps(field_name) if field_name and not (processors or re or kw) else None
        if steps is None or field_name is None:
            return super().add_value(field_name, value, *processors, re=re, **kw)
        if value is None:
            return self
        values = arg_to_iter(value)
        try:
            for function, takes_context in steps:
                results: list[Any] = []
                for item in values:
                    if takes_context:
                        out = function(item, loader_context=self.context)
                    else:
                        out = function(item)
                    if out is not None:
                        results += arg_to_iter(out)
                values = results
        except Exception:  # itemloaders' own path raises its ValueError naming the processor
            super().add_value(field_name, value)
            raise
        if values:
            self._values.setdefault(field_name, []).extend(values)
        return self

    def _load_fields(self) -> Any:
        """``ItemLoader.load_item``: each collected field through its output processor."""
        item = self.item
        if not dataclasses.is_dataclass(item):
            return super().load_item()
        fields = self._fields.get(type(item))
        if fields is None:
            fields = self._fields[type(item)] = frozenset(f.name for f in dataclasses.fields(item))
        for field_name, values in self._values.items():
            proc = self.get_output_processor(field_name)
            if type(proc) is TakeFirst:
                value = next((v for v in values if v is not None and v != ""), None)
            else:
                value = wrap_loader_context(proc, self.context)(values)
            if value is None:
                continue
            if field_name not in fields:  # as ItemAdapter refuses it
                raise KeyError(f"{type(item).__name__} does not support field: {field_name}")
            setattr(item, field_name, value)
        return item

    def load_item(self) -> Any:
        """Fill the fields derived from others: id by hash, counts, hash, no future dates, and
        the article's own id as its cluster (``ClusterPipeline`` links it to an earlier one)."""
        article: Article = self._load_fields()
        article.tags = unique(article.tags or [])
        # A MENAFN dateline names the provider (a logo is only a fallback); a wire's dateline
        # (``PALO ALTO, Calif., April 25, 2016 /PRNewswire/ --``) does not.
        if article.dateline and p.split_dateline(article.dateline)[0]:
            article.provider = p.provider_from_dateline(article.dateline)
        if article.crawled_at:
            article.published_at = not_after(article.published_at, article.crawled_at)
        if article.title and article.body:
            article.word_count = p.word_count(article.body)
            article.content_hash = p.content_hash(article.title, article.body)
            if article.id is None and article.source:
                article.id = f"{article.source}:h{article.content_hash[7:23]}"
        article.cluster_id = article.id  # its own story until the cluster step links it
        return article
