"""Our settings checked before a run starts: a bad value is exit status 2 and one line."""

from __future__ import annotations

from scrapy.settings import BaseSettings

# name: (kind, lowest, highest); None is no bound. Fractions are shares of pages (0-1).
RULES: dict[str, tuple[type, float | None, float | None]] = {
    "NEWSCRAWL_MAX_LISTING_PAGES": (int, 1, None),
    "NEWSCRAWL_BACKFILL_MAX_PAGES": (int, 1, None),
    "NEWSCRAWL_PROGRESS_INTERVAL": (float, 0.1, None),
    "NEWSCRAWL_DISCOVERY_DEPTH": (int, 1, None),
    "NEWSCRAWL_RETRY_BACKOFF": (float, 0, None),
    "NEWSCRAWL_RETRY_AFTER_MAX": (float, 0, None),
    "NEWSCRAWL_BLOCKED_STREAK": (int, 0, None),
    "NEWSCRAWL_BLOCKED_RATIO": (float, 0, 1),
    "NEWSCRAWL_BLOCKED_MIN_RESPONSES": (int, 1, None),
    "NEWSCRAWL_HEALTH_MIN_PAGES": (int, 1, None),
    "NEWSCRAWL_HEALTH_RECENT_RUNS": (int, 0, None),
    "NEWSCRAWL_ALARM_LAYOUT_DROP": (float, 0, 1),
    "NEWSCRAWL_ALARM_COVERAGE_DROP": (float, 0, 1),
    "NEWSCRAWL_ALARM_REJECTED_SHARE": (float, 0, 1),
    "NEWSCRAWL_OFFLINE_PROCESSES": (int, 0, None),  # 0: one per core
}


def check_value(name: str, value: object) -> None:
    """Raise ValueError naming the setting when ``value`` breaks its rule.

    >>> check_value("NEWSCRAWL_BLOCKED_RATIO", "0.5")
    >>> check_value("NEWSCRAWL_DISCOVERY_DEPTH", "-1")
    Traceback (most recent call last):
    ...
    ValueError: invalid NEWSCRAWL_DISCOVERY_DEPTH '-1': expected a whole number of at least 1
    """
    kind, lowest, highest = RULES[name]
    noun = "a whole number" if kind is int else "a number"
    bounds = [
        *([f"at least {lowest:g}"] if lowest is not None else []),
        *([f"at most {highest:g}"] if highest is not None else []),
    ]
    expected = f"expected {noun}{' of ' + ' and '.join(bounds) if bounds else ''}"
    try:
        number = kind(str(value).strip())
    except ValueError:
        raise ValueError(f"invalid {name} {value!r}: {expected}") from None
    if (lowest is not None and number < lowest) or (highest is not None and number > highest):
        raise ValueError(f"invalid {name} {value!r}: {expected}")


def check_settings(settings: BaseSettings) -> None:
    """Every rule in RULES against the run's settings (defaults included)."""
    for name in RULES:
        if settings.get(name) is not None:
            check_value(name, settings.get(name))
