"""The publication time a page's own values agree on, with the printed stamp as the reference.

CONTRACT, "Version 3": ``published_text`` is the stamp printed on the page, and
``published_at`` is that stamp read in the site's clock, unless a value with an explicit
offset (JSON-LD, ``meta``, ``time[datetime]``) agrees with it to the stamp's precision, in
which case that value (to the second) is taken. A naive value is read in the site's clock,
never as UTC. Metadata that disagrees with the printed stamp (by whole hours: a zone read
wrong; or a date alone, or a midnight placeholder) loses, and the disagreement is named so
the run's health can count it. A page that prints no stamp gets its time from metadata
(offset as stated, naive in the site's clock) and no ``published_text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from newscrawl.dates import EARLIEST, read_timestamp, zone
from newscrawl.extraction.stamp_words import EASTERN_NAMES, english_stamp

DAY, MINUTE, SECOND = timedelta(days=1), timedelta(minutes=1), timedelta(seconds=1)
# The zone a printed stamp names after its time; none means the site's clock.
_NAMED_ZONES = {"ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
                **dict.fromkeys(EASTERN_NAMES, "America/New_York"),
                "GMT": "UTC", "UTC": "UTC", "Z": "UTC"}  # fmt: skip
_ZONE_SUFFIX = re.compile(rf"\s+({'|'.join(sorted(_NAMED_ZONES.keys() - {'Z'}))})$")
_MONTH_DOT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.")
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
# Month-name stamps as wires print them ("25 Apr, 2016, 03:39 ET", "April 06, 2016 12:00 ET",
# "Nov 5, 2025 8:30 AM ET"), commas and month dots taken off first.
_DAYS = ("%B %d %Y", "%b %d %Y", "%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y")
_TIMES = ("%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M:%S %p")


@dataclass(frozen=True)
class Reading:
    """A stamp read: the instant (aware; for a date alone, the day's start in its zone), its
    precision (``DAY``, ``MINUTE``, ``SECOND``) and whether the stamp stated its zone."""

    moment: datetime
    precision: timedelta
    stated_zone: bool

    def agrees(self, other: datetime) -> bool:
        """Whether ``other`` falls in this stamp's span: its day, minute or second."""
        if self.precision == DAY:
            return other.astimezone(self.moment.tzinfo).date() == self.moment.date()
        return self.moment <= other < self.moment + self.precision


@dataclass(frozen=True)
class Published:
    """What a page's values agree on: ``published_at`` (ISO 8601 UTC or None),
    ``published_text`` (the printed stamp or None) and the disagreement seen, if any
    (``hours``, ``placeholder``, ``other``)."""

    at: str | None
    text: str | None
    disagreement: str | None = None

    def disagreements(self) -> list[str]:
        """The disagreement as an article's ``disagreements`` entry (``published_hours``…).

        >>> Published(None, None, "hours").disagreements(), Published(None, None).disagreements()
        (['published_hours'], [])
        """
        return [f"published_{self.disagreement}"] if self.disagreement else []


def read_stamp(text: str, clock: tzinfo) -> Reading | None:
    """A stamp as a page prints or states it, in English, French, German or Spanish
    (``stamp_words``); a naive one read in ``clock``.

    >>> ny = zone("America/New_York")
    >>> read_stamp("05 Nov, 2025, 08:30 ET", ny).moment.isoformat()
    '2025-11-05T08:30:00-05:00'
    >>> r = read_stamp("2025-11-05T08:30:00", ny)
    >>> r.moment.astimezone(UTC).isoformat(), r.stated_zone
    ('2025-11-05T13:30:00+00:00', False)
    >>> read_stamp("12/28/2024 7:09:34 PM", ny).precision == SECOND
    True
    >>> r = read_stamp("Nov. 5, 2025", ny); r.moment.isoformat(), r.precision == DAY
    ('2025-11-05T00:00:00-05:00', True)
    >>> read_stamp("2025-03-10 18:45:00+03:00", ny).moment.astimezone(UTC).isoformat()
    '2025-03-10T15:45:00+00:00'
    >>> read_stamp("12 nov. 2025 01h30 HE", ny).moment.astimezone(UTC).isoformat()
    '2025-11-12T06:30:00+00:00'
    >>> read_stamp("soon", ny), read_stamp("0000-00-00 00:00:00", ny)
    (None, None)
    """
    line = english_stamp(" ".join(text.split()))  # French, German, Spanish month names
    named = _ZONE_SUFFIX.search(line)
    local = zone(_NAMED_ZONES[named.group(1)]) if named else clock
    bare = line[: named.start()] if named else line
    clock_part = _CLOCK.search(bare)
    precision = (SECOND if clock_part.group(0).count(":") == 2 else MINUTE) if clock_part else DAY
    moment = read_timestamp(bare) if clock_part else None
    if moment is None:
        moment = _read_words(bare, clock_part is not None)
    if moment is None:
        return None
    stated = moment.tzinfo is not None or named is not None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local, fold=0)
    if moment < EARLIEST:
        return None
    return Reading(moment, precision, stated)


def _read_words(text: str, timed: bool) -> datetime | None:
    """A month-name stamp (``25 Apr, 2016, 03:39``, ``Nov. 5, 2025``), naive."""
    words = " ".join(_MONTH_DOT.sub(r"\1", text).replace(",", " ").split())
    words = words.replace("Sept ", "Sep ")
    formats = [f"{day} {time}" for day in _DAYS for time in _TIMES] if timed else list(_DAYS)
    for fmt in formats:
        try:
            return datetime.strptime(words, fmt)
        except ValueError:
            continue
    return None


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC to the second.

    >>> utc_text(datetime(2025, 11, 5, 8, 30, 17, 5, tzinfo=zone("America/New_York")))
    '2025-11-05T13:30:17+00:00'
    """
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def is_placeholder(reading: Reading, printed: Reading) -> bool:
    """Whether a metadata value is a date alone or a midnight stand-in beside a printed time.

    >>> ny = zone("America/New_York")
    >>> p = read_stamp("10 Jun, 2025, 16:05 ET", ny)
    >>> is_placeholder(read_stamp("2025-06-10T00:00:00-04:00", ny), p)
    True
    >>> is_placeholder(read_stamp("2025-06-10T16:05:00-04:00", ny), p)
    False
    """
    if reading.precision == DAY:
        return True
    local = reading.moment.timetz()
    return (local.hour, local.minute, local.second) == (0, 0, 0) and not printed.agrees(
        reading.moment
    )


def disagreement(reading: Reading, printed: Reading) -> str:
    """How a metadata value disagrees with the printed stamp: ``placeholder``, ``hours``
    (a whole number of hours apart: a zone read wrong) or ``other``."""
    if is_placeholder(reading, printed):
        return "placeholder"
    apart = abs(reading.moment - printed.moment)
    return "hours" if apart % timedelta(hours=1) < printed.precision else "other"


def agree(printed: list[str], structured: list[str], clock: tzinfo) -> Published:
    """``published_at`` and ``published_text`` from the stamps a page prints (best first)
    and the values its metadata states (best first).

    >>> ny = zone("America/New_York")
    >>> agree(["05 Nov, 2025, 08:30 ET"], ["2025-11-05T08:30:00"], ny)
    Published(at='2025-11-05T13:30:00+00:00', text='05 Nov, 2025, 08:30 ET', disagreement=None)
    >>> agree(["Aug 19, 2024, 17:45 ET"], ["2024-08-19T17:45:00+00:00"], ny)
    Published(at='2024-08-19T21:45:00+00:00', text='Aug 19, 2024, 17:45 ET', disagreement='hours')
    >>> agree(["10 Jun, 2025, 16:05 ET"], ["2025-06-10", "2025-06-10T16:05:31-04:00"], ny).at
    '2025-06-10T20:05:31+00:00'
    >>> agree(["10 Jun, 2025, 16:05 ET"], ["2025-06-10T00:00:00-04:00"], ny).disagreement
    'placeholder'
    >>> agree([], ["2025-06-01T14:30:00+00:00"], ny)
    Published(at='2025-06-01T14:30:00+00:00', text=None, disagreement=None)
    >>> agree(["June 1, 2025"], ["2025-06-01T14:30:00+00:00"], ny).at
    '2025-06-01T14:30:00+00:00'
    """
    readings = [(value, read_stamp(value, clock)) for value in printed]
    found = [(value, reading) for value, reading in readings if reading]
    stated = [reading for reading in (read_stamp(v, clock) for v in structured) if reading]
    if not found:
        timed = [r for r in stated if r.precision != DAY]
        return Published(utc_text(timed[0].moment) if timed else None, None)
    text, reference = found[0]
    seen: str | None = None
    for reading in stated:
        if reading.precision != DAY and reference.agrees(reading.moment):
            if reading.stated_zone and reading.precision <= reference.precision:
                return Published(utc_text(reading.moment), text, seen)
            if reference.precision == DAY:
                return Published(utc_text(reading.moment), text, seen)
        elif seen is None and reference.precision != DAY:
            seen = disagreement(reading, reference)
    at = utc_text(reference.moment) if reference.precision != DAY else None
    return Published(at, text, seen)
