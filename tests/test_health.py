"""Run health (coverage, layers, rejects) and the alarms it raises against recent runs."""

from __future__ import annotations

from typing import Any

import pytest

from newscrawl.dates import zone
from newscrawl.items import Article
from newscrawl.run.health import FIELDS, LAYERS, RunHealth, Thresholds, alarms, baseline

LIMITS = Thresholds(min_pages=5, recent_runs=3, layout_drop=0.5, coverage_drop=0.3)


def article(layer: str = "site", **fields: Any) -> Article:
    values: dict[str, Any] = {
        "title": "T",
        "body": "B",
        "dateline": "(MENAFN)",
        "provider": "MENAFN",
        "published_at": "2025-07-13T08:11:24+00:00",
        "tracking_id": "MENAFN13072025000045015839ID1109793603",
    }
    values.update(fields)
    return Article(body_layer=layer, **values)


def health_of(
    articles: list[Article], rejects: tuple[str, ...] | list[str] = (), mode: str = "live"
) -> dict[str, Any]:
    health = RunHealth(zone("America/New_York"))
    for item in articles:
        health.article(item)
    for reason in rejects:
        health.rejected(reason)
    return health.to_dict(mode)


def test_health_counts_fields_layers_and_rejects() -> None:
    health = health_of(
        [article(), article(), article("generic", dateline=None, tags=["x"])], ["no body"]
    )
    assert health["story_pages"] == 4
    assert (health["articles"], health["rejected"], health["rejected_share"]) == (3, 1, 0.25)
    assert health["rejected_reasons"] == {"no body": 1}
    assert health["layers"] == {"site": 2, "json_ld": 0, "meta": 0, "generic": 1, "text": 0}
    assert health["site_share"] == 0.667
    assert health["coverage"]["dateline"] == 0.667
    assert health["coverage"]["tags"] == 0.333
    assert health["coverage"]["summary"] == 0.0
    assert set(health["coverage"]) == set(FIELDS)
    assert set(health["layers"]) == set(LAYERS)


def test_text_renderings_say_nothing_about_the_site_selectors() -> None:
    health = health_of([article("text")] * 6)
    assert health["site_share"] is None
    assert alarms(health, [health_of([article()] * 6)], LIMITS) == []


def test_stamps_whose_eastern_date_disagrees_with_the_tracking_id_are_counted() -> None:
    same_day = article(published_at="2025-07-14T03:59:59+00:00")  # 23:59:59 EDT on the 13th
    next_day = article(published_at="2025-07-14T04:00:00+00:00")  # 00:00 EDT on the 14th
    assert health_of([same_day])["stamp_date_mismatch"] == 0
    assert health_of([next_day])["stamp_date_mismatch"] == 1


def test_values_a_page_contradicted_itself_with_are_counted() -> None:
    hours = article(disagreements=["published_hours"])
    both = article(disagreements=["published_placeholder", "language"])
    health = health_of([hours, both, article()])
    assert health["disagreements"] == {
        "language": 1, "published_hours": 1, "published_placeholder": 1,
    }  # fmt: skip
    assert health_of([article()])["disagreements"] == {}


def test_a_layout_change_raises_an_alarm() -> None:
    recent = [health_of([article()] * 10)] * 3
    changed = health_of([article("generic")] * 10)
    assert alarms(changed, recent, LIMITS) == [
        "layout changed: the site selectors gave 0% of bodies (recent runs: 100%)"
    ]
    assert alarms(health_of([article()] * 10), recent, LIMITS) == []


def test_a_field_whose_coverage_falls_sharply_raises_an_alarm() -> None:
    recent = [health_of([article()] * 10)] * 3
    lost = health_of([article(published_at=None)] * 8 + [article()] * 2)
    assert alarms(lost, recent, LIMITS) == [
        "coverage of published_at fell to 20% (recent runs: 100%)"
    ]
    slight = health_of([article(published_at=None)] * 2 + [article()] * 8)
    assert alarms(slight, recent, LIMITS) == []


def test_most_pages_rejected_raises_an_alarm_even_without_history() -> None:
    health = health_of([], ["no body"] * 6)
    assert alarms(health, [], LIMITS) == ["most story pages were rejected: 100% of 6 (no body: 6)"]
    assert alarms(health_of([article()] * 5, ["no body"] * 4), [], LIMITS) == []


def test_small_runs_raise_no_drift_alarm() -> None:
    recent = [health_of([article()] * 10)] * 3
    assert alarms(health_of([article("generic")] * 4), recent, LIMITS) == []
    assert alarms(health_of([], ["no body"] * 4), recent, LIMITS) == []


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([], 0),
        ([{"health": None}, {"run": "x"}], 0),  # killed runs and 0.1-era lines
        ([{"health": {"mode": "offline", "story_pages": 10}}], 0),  # another kind of run
        ([{"health": {"mode": "live", "story_pages": 2}}], 0),  # too few pages
        ([{"health": {"mode": "live", "story_pages": 10}}] * 5, 3),  # the last three
    ],
)
def test_the_baseline_is_recent_runs_of_the_same_kind(
    history: list[dict[str, Any]], expected: int
) -> None:
    assert len(baseline(history, "live", LIMITS)) == expected


def test_by_default_a_handful_of_pages_raises_no_alarm() -> None:
    # A cron run with 5 new stories, 2 of them tagged: chance, not a site change.
    recent = [health_of([article(tags=["x"])] * 30)] * 3
    few = health_of([article(tags=["x"])] * 2 + [article()] * 3)
    assert alarms(few, recent, Thresholds()) == []
    many = health_of([article(tags=["x"])] * 8 + [article()] * 12)
    assert alarms(many, recent, Thresholds()) == [
        "coverage of tags fell to 40% (recent runs: 100%)"
    ]


def test_the_baseline_is_the_newest_runs_and_history_comes_newest_first() -> None:
    """``runs.jsonl`` is read from its end (files.newest_lines): the first lines given are
    the newest, and the baseline keeps the last ``recent_runs`` of them, oldest first."""
    history = [{"health": {"mode": "live", "story_pages": pages}} for pages in range(25, 19, -1)]
    assert [h["story_pages"] for h in baseline(history, "live", LIMITS)] == [23, 24, 25]
