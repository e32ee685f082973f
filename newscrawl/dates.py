"""Timestamps as pages print them, read into UTC; MENAFN's naive stamps are US Eastern time.

Why Eastern and not GMT (``../shared/research/menafn-clock.md``): a PR Newswire release sent at
10:59 UTC shows on MENAFN stamped 07:01:26; a Conversation article published at 16:00 UTC shows
as 15:09:02; a KUNA briefing of Saturday's news "until 00:00 GMT" is stamped 7:09:34 PM that
Saturday. Only a clock five (winter) or four (summer) hours behind UTC fits them all.

Local times that a daylight-saving change makes ambiguous (the repeated hour in November) are
read as the first of the two instants (daylight time); times it skips (the lost hour in March)
are read with the offset in force before the change, so 02:30 on that day is 07:30 UTC. This is
Python's ``fold=0`` rule (PEP 495), applied on purpose and the same way every time.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from email.utils import parsedate_to_datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MENAFN_ZONE = "America/New_York"  # default of the MENAFN_TIMEZONE setting
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # MENAFN started in the 1990s
FUTURE_TOLERANCE = timedelta(days=1)

# Every form MENAFN prints: 24-hour ISO-like, and US month/day with AM/PM, seconds optional.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}[ T]")
_ONE_DIGIT_HOUR = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d:)")
_US_DAY = re.compile(r"\d{1,2}/\d{1,2}/\d{4} ")
_US_FORMATS = {1: "%m/%d/%Y %I:%M %p", 2: "%m/%d/%Y %I:%M:%S %p"}  # by the count of ":"
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_STAMP_SHAPE = re.compile(
    r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}[ T]+\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?"
    r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|GMT|UTC|[+-]\d{2}:?\d{2}))?$"
)
_BANNER = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s+\d{1,2}:\d{2})\s+GMT$"
)
_TRACKING_DATE = re.compile(r"MENAFN(\d{2})(\d{2})(\d{4})\d{12}ID\d+")


class UnknownZone(ValueError):
    """A time zone name the zone database does not know."""


@cache
def zone(name: str) -> tzinfo:
    """The IANA zone ``name`` (``tzdata`` supplies the database where the system has none).

    >>> zone("America/New_York").key
    'America/New_York'
    """
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(f"unknown time zone {name!r} (expected e.g. America/New_York)") from None


@functools.lru_cache(maxsize=4096)
def read_timestamp(value: str) -> datetime | None:
    """A full timestamp as printed: aware when it states its offset, naive when it does not.

    None for a date alone, an impossible date or anything that is not a timestamp. (Cached:
    a page's stamp is checked, chosen and then read, the same string each time.)

    >>> read_timestamp("12/30/2024 8:05 PM")
    datetime.datetime(2024, 12, 30, 20, 5)
    >>> read_timestamp("1/3/2025 12:41:07 AM")
    datetime.datetime(2025, 1, 3, 0, 41, 7)
    >>> read_timestamp("2025-07-13 4:11:24")
    datetime.datetime(2025, 7, 13, 4, 11, 24)
    >>> read_timestamp("2025-11-24T06:30:00Z").tzinfo is not None
    True
    >>> [read_timestamp(v) for v in ("0000-00-00 00:00:00", "2025-07-13", "soon")]
    [None, None, None]
    """
    text = " ".join(value.split())
    if not _CLOCK.search(text):  # a date alone is not a timestamp
        return None
    try:
        if _ISO_DAY.match(text):  # 2025-07-13 04:11[:24][+03:00], also with a T or 4:11
            return datetime.fromisoformat(_ONE_DIGIT_HOUR.sub(r"\1T0\2", text.replace(" ", "T", 1)))
        if _US_DAY.match(text):  # 12/28/2024 7:09[:34] PM
            return datetime.strptime(text, _US_FORMATS[text.count(":")])
        return parsedate_to_datetime(text)  # RFC 2822 (feeds): "Tue, 04 Jul 2025 07:07:34 GMT"
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def has_offset(value: str) -> bool:
    """Whether a timestamp states its own offset (``Z``, ``+03:00``, ``GMT``).

    >>> has_offset("2025-03-10T18:45:00+03:00"), has_offset("2025-07-13 04:11:24")
    (True, False)
    """
    moment = read_timestamp(value)
    return moment is not None and moment.tzinfo is not None


def to_utc(moment: datetime, local: tzinfo = UTC) -> str | None:
    """ISO 8601 in UTC, seconds precision; a naive ``moment`` is read in ``local`` (fold=0).

    >>> to_utc(datetime(2025, 7, 13, 4, 11, 24), zone("America/New_York"))
    '2025-07-13T08:11:24+00:00'
    >>> to_utc(datetime(2025, 11, 2, 1, 30), zone("America/New_York"))  # twice that night
    '2025-11-02T05:30:00+00:00'
    >>> to_utc(datetime(2025, 3, 9, 2, 30), zone("America/New_York"))  # skipped that night
    '2025-03-09T07:30:00+00:00'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local, fold=0)
    moment = moment.astimezone(UTC)
    if moment < EARLIEST:
        return None
    return moment.replace(microsecond=0).isoformat()


def parse_datetime(value: str, local: tzinfo = UTC) -> str | None:
    """A full timestamp as ISO 8601 in UTC; a stamp without offset is read in ``local``.

    >>> parse_datetime("2025-07-13 04:11:24", zone("America/New_York"))
    '2025-07-13T08:11:24+00:00'
    >>> parse_datetime("12/28/2024 7:09:34 PM", zone("America/New_York"))
    '2024-12-29T00:09:34+00:00'
    >>> parse_datetime("2025-03-10T18:45:00+03:00", zone("America/New_York"))
    '2025-03-10T15:45:00+00:00'
    >>> parse_datetime("Tue, 04 Jul 2025 07:07:34 GMT")
    '2025-07-04T07:07:34+00:00'
    """
    moment = read_timestamp(value)
    return to_utc(moment, local) if moment else None


def looks_like_timestamp(line: str) -> bool:
    """Whether a line is shaped like a date-and-time stamp, whether or not it is a valid one.

    A header line of this shape is never story text, even when it does not parse.

    >>> looks_like_timestamp("12/30/2024 8:05 PM"), looks_like_timestamp("13/45/2024 99:05 PM")
    (True, True)
    >>> looks_like_timestamp("1954 -- A decree was issued at 10:00")
    False
    """
    return bool(_STAMP_SHAPE.match(" ".join(line.split())))


def parse_banner_date(value: str) -> str | None:
    """MENAFN's site banner (a stale page stamp, never the publication time) in UTC; it says GMT.

    >>> parse_banner_date("Tuesday, 02 January 2024 12:17 GMT")
    '2024-01-02T12:17:00+00:00'
    >>> parse_banner_date("2024-01-02") is None
    True
    """
    match = _BANNER.match(value.strip())
    if not match:
        return None
    try:
        return to_utc(datetime.strptime(match.group(1), "%d %B %Y %H:%M"))
    except ValueError:
        return None


def is_banner(line: str) -> bool:
    """Whether a line is MENAFN's site banner.

    >>> is_banner("Tuesday, 02 January 2024 12:17 GMT"), is_banner("Tuesday talks")
    (True, False)
    """
    return bool(_BANNER.match(line.strip()))


def not_after(published_at: str | None, crawled_at: str) -> str | None:
    """Drop a publication time that lies in the future of the crawl (a wrong clock or typo).

    >>> not_after("2031-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00") is None
    True
    >>> not_after("2025-07-13T04:11:24+00:00", "2026-01-01T00:00:00+00:00")
    '2025-07-13T04:11:24+00:00'
    """
    if published_at is None:
        return None
    limit = datetime.fromisoformat(crawled_at) + FUTURE_TOLERANCE
    return published_at if datetime.fromisoformat(published_at) <= limit else None


def tracking_date(tracking_id: str) -> date | None:
    """The day in MENAFN's tracking stamp ``MENAFN<DDMMYYYY>…ID<story id>``: the day the story
    id was issued, on MENAFN's clock (``menafn-site-2.md`` C4).

    >>> tracking_date("MENAFN13072025000045015839ID1109793603")
    datetime.date(2025, 7, 13)
    >>> tracking_date("MENAFN99992025000045015839ID1") is None
    True
    """
    match = _TRACKING_DATE.fullmatch(tracking_id)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def local_date(published_at: str, local: tzinfo) -> date:
    """The calendar day of a UTC time on the ``local`` clock.

    >>> local_date("2024-12-29T00:09:34+00:00", zone("America/New_York"))
    datetime.date(2024, 12, 28)
    """
    return datetime.fromisoformat(published_at).astimezone(local).date()
