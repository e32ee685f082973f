"""Settings checked before a run starts, ours and the Scrapy ones a run depends on: a value
that cannot be used is exit status 2 and one line naming the setting, before anything is
written (Scrapy itself would fail later with a bare ValueError, or never finish: a live run
with ``CONCURRENT_REQUESTS_PER_DOMAIN=0`` waits for ever)."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from scrapy.settings import BaseSettings

from newscrawl.identity import CONTACT_RULE, fits_a_comment
from newscrawl.run.writable import feed_path


@dataclass(frozen=True)
class Number:
    """A whole number (``int``) or a number (``float``) within bounds (None: no bound);
    ``above``: a bound the value must exceed."""

    kind: type[int] | type[float]
    lowest: float | None = None
    highest: float | None = None
    above: float | None = None

    def expected(self) -> str:
        """What the value should be, for the error line."""
        noun = "a whole number" if self.kind is int else "a number"
        bounds = [
            *([f"more than {self.above:g}"] if self.above is not None else []),
            *([f"at least {self.lowest:g}"] if self.lowest is not None else []),
            *([f"at most {self.highest:g}"] if self.highest is not None else []),
        ]
        if not bounds:
            return f"expected {noun}"
        return f"expected {noun}{'' if self.above is not None else ' of'} {' and '.join(bounds)}"

    def accepts(self, number: float) -> bool:
        """Within the bounds, and finite: ``nan`` passes every comparison (a delay of nan is no
        delay) and ``inf`` waits for ever (FRESH-USER-2 G6)."""
        return math.isfinite(number) and not (
            (self.above is not None and number <= self.above)
            or (self.lowest is not None and number < self.lowest)
            or (self.highest is not None and number > self.highest)
        )


# Fractions are shares of pages (0-1).
RULES: dict[str, Number] = {
    "NEWSCRAWL_MAX_LISTING_PAGES": Number(int, 1),
    "NEWSCRAWL_BACKFILL_MAX_PAGES": Number(int, 1),
    "NEWSCRAWL_PROGRESS_INTERVAL": Number(float, 0.1),
    "NEWSCRAWL_DISCOVERY_DEPTH": Number(int, 1),
    "NEWSCRAWL_RETRY_BACKOFF": Number(float, 0),
    "NEWSCRAWL_RETRY_AFTER_MAX": Number(float, 0),
    "NEWSCRAWL_BLOCKED_STREAK": Number(int, 0),
    "NEWSCRAWL_BLOCKED_RATIO": Number(float, 0, 1),
    "NEWSCRAWL_BLOCKED_MIN_RESPONSES": Number(int, 1),
    "NEWSCRAWL_HEALTH_MIN_PAGES": Number(int, 1),
    "NEWSCRAWL_HEALTH_RECENT_RUNS": Number(int, 0),
    "NEWSCRAWL_ALARM_LAYOUT_DROP": Number(float, 0, 1),
    "NEWSCRAWL_ALARM_COVERAGE_DROP": Number(float, 0, 1),
    "NEWSCRAWL_ALARM_REJECTED_SHARE": Number(float, 0, 1),
    "NEWSCRAWL_OFFLINE_PROCESSES": Number(int, 0),  # 0: one per core
    "NEWSCRAWL_REDIS_LEASE": Number(float, above=0),
    # Scrapy's own, as a run uses them
    "CONCURRENT_REQUESTS": Number(int, 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": Number(int, 1),  # 0 would never send a request
    "CONCURRENT_ITEMS": Number(int, 1),
    "DOWNLOAD_DELAY": Number(float, 0),
    "DOWNLOAD_TIMEOUT": Number(float, above=0),
    "DOWNLOAD_MAXSIZE": Number(int, 0),
    "DOWNLOAD_WARNSIZE": Number(int, 0),
    "RETRY_TIMES": Number(int, 0),
    "AUTOTHROTTLE_START_DELAY": Number(float, 0),
    "AUTOTHROTTLE_MAX_DELAY": Number(float, 0),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": Number(float, above=0),
    "CLOSESPIDER_TIMEOUT": Number(float, 0),
    "CLOSESPIDER_ITEMCOUNT": Number(int, 0),
    "CLOSESPIDER_PAGECOUNT": Number(int, 0),
    "CLOSESPIDER_ERRORCOUNT": Number(int, 0),
}
SWITCHES = (  # on/off: 1/0, true/false, True/False (Scrapy's getbool)
    "NEWSCRAWL_ARCHIVE",
    "NEWSCRAWL_TABLE",
    "NEWSCRAWL_PROGRESS",
    "ROBOTSTXT_OBEY",
    "AUTOTHROTTLE_ENABLED",
    "RETRY_ENABLED",
    "COOKIES_ENABLED",
)
PATHS = ("NEWSCRAWL_OUTPUT_DIR",)  # where files go: never empty (not the working folder)
CONTACTS = ("NEWSCRAWL_CONTACT", "NEWSCRAWL_CONTACT_URL")  # in the User-Agent (identity.py)
LOG_LEVELS = "CRITICAL, ERROR, WARNING, INFO or DEBUG"


def check_value(name: str, value: object) -> None:
    """Raise ValueError naming the setting when ``value`` breaks its rule in RULES.

    >>> check_value("NEWSCRAWL_BLOCKED_RATIO", "0.5")
    >>> check_value("NEWSCRAWL_DISCOVERY_DEPTH", "-1")
    Traceback (most recent call last):
    ...
    ValueError: invalid NEWSCRAWL_DISCOVERY_DEPTH '-1': expected a whole number of at least 1
    >>> check_value("DOWNLOAD_TIMEOUT", "0")
    Traceback (most recent call last):
    ...
    ValueError: invalid DOWNLOAD_TIMEOUT '0': expected a number more than 0
    """
    rule = RULES[name]
    try:
        number = rule.kind(str(value).strip())
    except ValueError:
        number = None
    if number is None or not rule.accepts(number):
        raise ValueError(f"invalid {name} {value!r}: {rule.expected()}")


def check_settings(settings: BaseSettings) -> None:
    """Every rule against the run's settings (defaults included); ValueError names the first
    setting that breaks one.

    >>> check_settings(BaseSettings({"NEWSCRAWL_ARCHIVE": "maybe"}))
    Traceback (most recent call last):
    ...
    ValueError: invalid NEWSCRAWL_ARCHIVE 'maybe': expected 1 or 0 (true or false)
    """
    for name in RULES:
        if settings.get(name) is not None:
            check_value(name, settings.get(name))
    for name in SWITCHES:
        try:
            settings.getbool(name)
        except ValueError:
            raise ValueError(
                f"invalid {name} {settings.get(name)!r}: expected 1 or 0 (true or false)"
            ) from None
    for name in PATHS:
        if name in settings and not str(settings.get(name) or "").strip():
            raise ValueError(f"invalid {name} {settings.get(name)!r}: give a folder")
    for name in CONTACTS:
        if not fits_a_comment(str(settings.get(name) or "")):
            raise ValueError(f"invalid {name} {settings.get(name)!r}: expected {CONTACT_RULE}")
    check_log_level(settings.get("LOG_LEVEL"))
    check_feeds(settings)


def check_log_level(level: object) -> None:
    """A ``LOG_LEVEL`` (``-L``) Python's logging knows, checked before Scrapy sets up its log
    (which would raise a bare ValueError): a level's name in capitals, or its number as an int.

    >>> check_log_level("INFO"), check_log_level(20)
    (None, None)
    >>> check_log_level("loud")
    Traceback (most recent call last):
    ...
    ValueError: invalid LOG_LEVEL 'loud': expected CRITICAL, ERROR, WARNING, INFO or DEBUG
    """
    if isinstance(level, int) or level in logging.getLevelNamesMapping():
        return
    raise ValueError(f"invalid LOG_LEVEL {level!r}: expected {LOG_LEVELS}")


def check_feeds(settings: BaseSettings) -> None:
    """``-o FILE.parquet`` onto a non-empty file: Scrapy's ``-o`` appends, and a Parquet file
    cannot be appended to (``-O`` overwrites)."""
    for uri, options in settings.getdict("FEEDS").items():
        path = feed_path(str(uri), settings)
        if path is None or options.get("format") != "parquet" or options.get("overwrite"):
            continue
        if path.is_file() and path.stat().st_size:
            raise ValueError(
                f"{uri} is not empty and a Parquet file cannot be appended to: "
                "use -O to overwrite it"
            )
