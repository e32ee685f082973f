"""The publication time a page's values agree on (extraction/agreement.py)."""

from __future__ import annotations

import pytest

from newscrawl.dates import zone
from newscrawl.extraction.agreement import agree, read_stamp

NY = zone("America/New_York")


@pytest.mark.parametrize(
    ("printed", "structured", "at", "disagreement"),
    [
        # a naive metadata time is the site's clock, never UTC (winter and summer)
        ("05 Nov, 2025, 08:30 ET", ["2025-11-05T08:30:00"], "2025-11-05T13:30:00+00:00", None),
        ("19 Aug, 2024, 17:45 ET", ["2024-08-19T17:45:00"], "2024-08-19T21:45:00+00:00", None),
        # metadata a whole number of hours off (a zone read wrong): the printed stamp wins
        ("04 Mar, 2025, 09:15 ET", ["2025-03-04T09:15:00Z"], "2025-03-04T14:15:00+00:00", "hours"),
        ("Aug 19, 2024, 17:45 ET", ["2024-08-19T17:45:00+00:00"], "2024-08-19T21:45:00+00:00",
         "hours"),
        # a date alone or a midnight stand-in is never the time
        ("10 Jun, 2025, 16:05 ET", ["2025-06-10", "2025-06-10T00:00:00-04:00"],
         "2025-06-10T20:05:00+00:00", "placeholder"),
        # an offset that agrees to the stamp's minute gives its seconds
        ("25 Apr, 2016, 03:39 ET", ["2016-04-25T03:39:41-04:00"], "2016-04-25T07:39:41+00:00",
         None),
        ("April 06, 2016 12:00 ET", ["2016-04-06T16:00:00Z"], "2016-04-06T16:00:00+00:00", None),
        # minutes apart (not a zone): the printed stamp, counted as other
        ("April 06, 2016 12:00 ET", ["2016-04-06T16:07:00Z"], "2016-04-06T16:00:00+00:00",
         "other"),
        # MENAFN's printed forms, in the site clock
        ("12/28/2024 7:09:34 PM", [], "2024-12-29T00:09:34+00:00", None),
        ("2025-03-10 18:45:00+03:00", ["2025-03-10T18:45:00+03:00"], "2025-03-10T15:45:00+00:00",
         None),
    ],
)  # fmt: skip
def test_the_printed_stamp_is_the_reference(
    printed: str, structured: list[str], at: str, disagreement: str | None
) -> None:
    published = agree([printed], structured, NY)
    assert (published.at, published.text, published.disagreement) == (at, printed, disagreement)


def test_a_page_without_a_printed_stamp_takes_its_metadata_and_prints_no_text() -> None:
    assert agree([], ["2025-06-01T14:30:00+00:00"], NY).at == "2025-06-01T14:30:00+00:00"
    naive = agree([], ["2025-11-05T08:30:00"], NY)  # naive: the site's clock
    assert (naive.at, naive.text) == ("2025-11-05T13:30:00+00:00", None)
    assert agree([], ["2025-11-05"], NY).at is None  # a date alone is no time
    assert agree(["not a stamp"], [], NY).at is None


def test_a_printed_date_alone_takes_a_time_of_that_day() -> None:
    assert agree(["Nov. 5, 2025"], ["2025-11-05T08:30:00-05:00"], NY).at == (
        "2025-11-05T13:30:00+00:00"
    )
    assert agree(["Nov. 5, 2025"], ["2025-11-06T08:30:00-05:00"], NY).at is None
    assert agree(["Nov. 5, 2025"], [], NY).text == "Nov. 5, 2025"


def test_stamps_in_the_forms_wires_print() -> None:
    forms = ["Nov 5, 2025 8:30 AM ET", "November 05, 2025 08:30 ET", "05 Nov, 2025, 08:30 ET",
             "Nov. 05, 2025 08:30 ET", "2025-11-05 08:30", "11/5/2025 8:30 AM"]  # fmt: skip
    moments = {read_stamp(form, NY).moment.isoformat() for form in forms}  # type: ignore[union-attr]
    assert moments == {"2025-11-05T08:30:00-05:00"}
    gmt = read_stamp("05 Nov, 2025, 13:30 GMT", NY)
    assert gmt is not None
    assert gmt.moment.isoformat() == "2025-11-05T13:30:00+00:00"
