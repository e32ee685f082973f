"""Timestamps: every form MENAFN prints, read on its US-Eastern clock, into UTC."""

from __future__ import annotations

from datetime import date

import pytest

from newscrawl import dates as d

CRAWLED_AT = "2026-11-28T00:00:00+00:00"
EASTERN = d.zone("America/New_York")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-07-13 04:11:24", "2025-07-13T08:11:24+00:00"),  # the sample: EDT, UTC-4
        (" 2025-07-13 04:11:24 ", "2025-07-13T08:11:24+00:00"),
        ("2025-07-13 04:11", "2025-07-13T08:11:00+00:00"),  # no seconds
        ("12/28/2024 7:09:34 PM", "2024-12-29T00:09:34+00:00"),  # EST, UTC-5: the KUNA briefing
        ("1/2/2024 7:09:34 AM", "2024-01-02T12:09:34+00:00"),
        ("12/30/2024 8:05 PM", "2024-12-31T01:05:00+00:00"),  # no seconds, PM
        ("12/28/2024 12:00:00 AM", "2024-12-28T05:00:00+00:00"),  # 12 AM is midnight
        ("12/28/2024 12:00:00 PM", "2024-12-28T17:00:00+00:00"),  # 12 PM is noon
        ("1/3/2025 12:41:07 AM", "2025-01-03T05:41:07+00:00"),
        ("1/5/2025 12:08:51 PM", "2025-01-05T17:08:51+00:00"),
        ("2025-07-13T04:11:24", "2025-07-13T08:11:24+00:00"),  # naive ISO: the site's clock
        ("2025-07-13T04:11:24Z", "2025-07-13T04:11:24+00:00"),  # an offset wins
        ("2025-03-10T18:45:00+03:00", "2025-03-10T15:45:00+00:00"),
        ("2025-03-10 18:45:00+03:00", "2025-03-10T15:45:00+00:00"),
        ("2025-01-01T01:00:00+03:00", "2024-12-31T22:00:00+00:00"),  # crosses a year
        ("2025-07-13T04:11:24.987654+00:00", "2025-07-13T04:11:24+00:00"),  # seconds precision
        ("Tue, 04 Jul 2025 07:07:34 GMT", "2025-07-04T07:07:34+00:00"),  # RFC 2822
        ("Fri, 04 Jul 2025 07:07:34 +0300", "2025-07-04T04:07:34+00:00"),
        ("2025-11-02 01:30:00", "2025-11-02T05:30:00+00:00"),  # the hour DST repeats: EDT
        ("2025-11-02 00:59:59", "2025-11-02T04:59:59+00:00"),
        ("2025-11-02 02:00:00", "2025-11-02T07:00:00+00:00"),  # after the change: EST
        ("2025-03-09 02:30:00", "2025-03-09T07:30:00+00:00"),  # the hour DST skips: EST offset
        ("2025-03-09 03:00:00", "2025-03-09T07:00:00+00:00"),
        ("0000-00-00 00:00:00", None),
        ("2025-02-30 10:00:00", None),  # no such day
        ("2025-07-13 25:00:00", None),
        ("13/45/2024 9:05 PM", None),
        ("1989-12-30 23:59:59", None),  # before MENAFN existed
        ("2025-07-13", None),  # a date alone is not a timestamp
        ("13 July 2025", None),
        ("10:00", None),
        ("soon 10:00", None),
        ("garbage", None),
        ("", None),
    ],
)
def test_parse_datetime_on_the_eastern_clock(value: str, expected: str | None) -> None:
    assert d.parse_datetime(value, EASTERN) == expected


def test_another_zone_can_be_configured() -> None:
    assert d.parse_datetime("2025-07-13 04:11:24", d.zone("UTC")) == "2025-07-13T04:11:24+00:00"
    assert d.parse_datetime("2025-07-13 04:11:24", d.zone("Asia/Kuwait")) == (
        "2025-07-13T01:11:24+00:00"
    )


def test_an_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(d.UnknownZone, match="unknown time zone 'Mars/Olympus'"):
        d.zone("Mars/Olympus")


def test_zone_database_comes_with_the_project() -> None:
    # tzdata is a dependency, so a machine without /usr/share/zoneinfo still knows the zone.
    import tzdata  # noqa: F401

    assert d.zone("America/New_York").utcoffset(None) is None  # a real zone, not fixed


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("12/30/2024 8:05 PM", True),
        ("2025-07-13 04:11:24", True),
        ("2025-07-13T04:11:24+03:00", True),
        ("13/45/2024 99:05 PM", True),  # the shape of a stamp, even one that does not parse
        ("1954 -- A decree was issued", False),
        ("Amman, Dec. 30 (Petra) -- The Council met at 10:00.", False),
        ("", False),
    ],
)
def test_looks_like_timestamp(line: str, expected: bool) -> None:
    assert d.looks_like_timestamp(line) is expected


@pytest.mark.parametrize(
    ("tracking_id", "expected"),
    [
        ("MENAFN13072025000045015839ID1109793603", date(2025, 7, 13)),
        ("MENAFN05092023000071011013ID1107006744", date(2023, 9, 5)),
        ("MENAFN31022025000071011013ID1107006744", None),  # no such day
        ("not a stamp", None),
    ],
)
def test_tracking_date(tracking_id: str, expected: date | None) -> None:
    assert d.tracking_date(tracking_id) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Tuesday, 02 January 2024 12:17 GMT", "2024-01-02T12:17:00+00:00"),
        ("  Tuesday,  02 January 2024 12:17 GMT ", "2024-01-02T12:17:00+00:00"),
        ("Sunday, 5 May 2024 0:05 GMT", "2024-05-05T00:05:00+00:00"),
        ("Tuesday, 31 February 2024 12:17 GMT", None),  # looks like a banner, no such day
        ("Tuesday, 02 January 2024 12:17", None),  # no GMT
        ("tuesday, 02 January 2024 12:17 GMT", None),
        ("Tuesday, 02 Jan 2024 12:17 GMT", None),  # month abbreviated
        ("2024-01-02", None),
        ("", None),
    ],
)
def test_parse_banner_date(value: str, expected: str | None) -> None:
    assert d.parse_banner_date(value) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tuesday, 02 January 2024 12:17 GMT", True),
        ("  Tuesday, 02 January 2024 12:17 GMT  ", True),
        ("Tuesday, 31 February 2024 12:17 GMT", True),  # shape only
        ("Tuesday talks", False),
        ("Tuesday, 02 January 2024 12:17 GMT and more", False),
        ("Lavrov, North Korean Leader Discuss Bilateral Issues in Wonsan", False),
        ("", False),
    ],
)
def test_is_banner(line: str, expected: bool) -> None:
    assert d.is_banner(line) is expected


@pytest.mark.parametrize(
    ("published_at", "expected"),
    [
        ("2025-07-13T04:11:24+00:00", "2025-07-13T04:11:24+00:00"),
        ("2026-11-28T00:00:00+00:00", "2026-11-28T00:00:00+00:00"),  # the crawl instant
        ("2026-11-29T00:00:00+00:00", "2026-11-29T00:00:00+00:00"),  # one day of tolerance
        ("2026-11-29T00:00:01+00:00", None),
        ("2031-01-01T00:00:00+00:00", None),
        ("2026-11-29T02:00:00+03:00", "2026-11-29T02:00:00+03:00"),  # 23:00 UTC: kept
        (None, None),
    ],
)
def test_not_after(published_at: str | None, expected: str | None) -> None:
    assert d.not_after(published_at, CRAWLED_AT) == expected


def test_not_after_accepts_a_z_crawl_time() -> None:
    assert d.not_after("2026-11-30T00:00:00+00:00", "2026-11-28T00:00:00Z") is None
    assert d.not_after("2026-11-28T12:00:00+00:00", "2026-11-28T00:00:00Z") == (
        "2026-11-28T12:00:00+00:00"
    )
