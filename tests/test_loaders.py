"""ArticleLoader: processors name real fields; site values win; derived fields are filled."""

from __future__ import annotations

import re

from newscrawl.dates import zone
from newscrawl.items import ARTICLE_FIELDS, Article
from newscrawl.loaders import ArticleLoader

CRAWLED_AT = "2026-11-28T00:00:00+00:00"


def processor_fields(loader: type[ArticleLoader]) -> set[str]:
    """The fields a loader class names processors for (``<field>_in``, ``<field>_out``)."""
    names = [n for n in dir(loader) if re.fullmatch(r"[a-z_]+_(in|out)", n)]
    return {n.rsplit("_", 1)[0] for n in names} - {"default_input", "default_output"}


def test_every_processor_attribute_names_a_real_field() -> None:
    fields = processor_fields(ArticleLoader)
    assert fields, "the loader has processors"
    assert fields <= set(ARTICLE_FIELDS), fields - set(ARTICLE_FIELDS)


def test_a_typo_in_a_processor_name_is_caught() -> None:
    """The check above, on a loader with a misspelt processor: it names the misspelling."""

    class Typo(ArticleLoader):
        titel_in = ArticleLoader.title_in

    assert processor_fields(Typo) - set(ARTICLE_FIELDS) == {"titel"}


def test_schema_order_is_the_contract_order() -> None:
    assert ARTICLE_FIELDS == (
        "schema_version", "id", "source", "url", "title", "published_at", "published_text",
        "page_date", "dateline", "provider", "organization", "tickers", "body", "summary",
        "image_url", "tags", "category", "language", "tracking_id", "word_count",
        "content_hash", "cluster_id", "corrects", "crawled_at", "extracted_by",
    )  # fmt: skip


def load(**values: object) -> Article:
    loader = ArticleLoader()
    loader.add_value("source", "menafn")
    loader.add_value("crawled_at", CRAWLED_AT)
    for name, value in values.items():
        loader.add_value(name, value)
    article: Article = loader.load_item()
    return article


def test_first_value_wins_and_values_are_cleaned() -> None:
    article = load(title=[" Site&nbsp;title ", "Fallback title"], body="One.\n\n\n\nTwo.")
    assert article.title == "Site title"
    assert article.body == "One.\n\nTwo."
    assert article.word_count == 2
    assert article.content_hash is not None
    assert article.content_hash.startswith("sha256:")


def test_story_without_id_gets_a_hash_id() -> None:
    article = load(title="T", body="Body text.")
    assert article.content_hash is not None
    assert article.id == f"menafn:h{article.content_hash[7:23]}"


def test_the_loader_keeps_the_provider_it_is_given() -> None:
    """Which provider a dateline names is a site's rule (MENAFN's: ``sites/menafn/story.py``),
    not the loader's."""
    article = load(provider="Logo Name", dateline="(MENAFN- The Peninsula)", title="T", body="B")
    assert article.provider == "Logo Name"


def test_published_text_is_the_stamp_as_printed() -> None:
    article = load(published_at="12/28/2024 7:09:34 PM", published_text=" 12/28/2024  7:09:34 PM")
    assert article.published_text == "12/28/2024 7:09:34 PM"
    assert load().published_text is None


def test_an_article_is_its_own_cluster_until_linked() -> None:
    article = load(id="menafn:1109793603", title="T", body="B")
    assert article.cluster_id == "menafn:1109793603"
    hashed = load(title="T", body="B")
    assert hashed.cluster_id == hashed.id


def test_unparseable_or_future_dates_are_null_not_guessed() -> None:
    assert load(published_at="0000-00-00 00:00:00").published_at is None
    assert load(published_at="2031-01-01T00:00:00Z").published_at is None
    assert load(published_at=["garbage", "2025-07-13T04:11:24Z"]).published_at == (
        "2025-07-13T04:11:24+00:00"
    )


def test_a_naive_time_is_read_in_the_site_clock_and_never_guessed_to_be_utc() -> None:
    assert load(published_at="2025-07-13 04:11:24").published_at is None  # no clock given
    loader = ArticleLoader(zone=zone("America/New_York"))
    loader.add_value("published_at", "2025-07-13 04:11:24")
    assert loader.load_item().published_at == "2025-07-13T08:11:24+00:00"


def test_tags_keep_order_without_repeats() -> None:
    assert load(tags=["Oil", " Gold ", "Oil", ""]).tags == ["Oil", "Gold"]


def test_missing_values_stay_null() -> None:
    article = load()
    assert (article.title, article.body, article.word_count, article.id) == (None,) * 4
    assert article.tags == []
