"""Legends and editor's notes before a wire dateline (extraction/legends.py, corrections.py)."""

from __future__ import annotations

import re

import pytest

from newscrawl.extraction.corrections import corrected_release
from newscrawl.extraction.legends import find_dateline, is_correction, is_legend, notes_before
from newscrawl.sites.prnewswire import prnewswire_ref
from newscrawl.sites.wire_story import split_wire_dateline

DATELINE = "TORONTO, Nov. 20, 2025 /CNW/ -"
STORY = "Aurora Ridge Gold Corp. (TSX: ARG) announced today a financing."


@pytest.mark.parametrize(
    "before",
    [
        ["/NOT FOR DISTRIBUTION TO U.S. NEWSWIRE SERVICES OR FOR DISSEMINATION IN THE UNITED "
         "STATES/"],
        ["CORRECTION -- Aurora Ridge Gold Corp.", "In the news release issued earlier today, the "
         "closing date should read December 9. The complete, corrected release follows:"],
        ["/ Editor's note / This release replaces the version issued at 7:00 ET."],
        ["FOR IMMEDIATE RELEASE", "NOT FOR RELEASE, PUBLICATION OR DISTRIBUTION IN WHOLE OR IN "
         "PART IN OR INTO AUSTRALIA, CANADA OR JAPAN"],
        ["Editors' Note: Photos of the site are available on request."],
        ["Editor\u2019s Note: This release was updated to add a conference call number."],
        ["EDITOR'S NOTE -- An earlier version misstated the record date."],
        ["EMBARGOED UNTIL 8:00 A.M. ET"],
    ],
)  # fmt: skip
def test_the_dateline_is_found_after_legends_and_notes(before: list[str]) -> None:
    paragraphs = [*before, f"{DATELINE} {STORY}", "The offering closes in December."]
    index, dateline, rest = find_dateline(paragraphs, split_wire_dateline)
    assert (index, dateline, rest) == (len(before), DATELINE, STORY)
    own, notes = notes_before(paragraphs[:index])
    assert (own, notes) == ([], before)


def test_a_legend_on_the_datelines_own_line_is_not_part_of_the_dateline() -> None:
    legend = "/THIS NEWS RELEASE IS NOT FOR DISTRIBUTION TO UNITED STATES NEWSWIRE SERVICES/"
    line = f"{legend} {DATELINE} {STORY}"
    assert find_dateline(["FOR IMMEDIATE RELEASE", line], split_wire_dateline) == (
        1,
        DATELINE,
        STORY,
    )


def test_the_authors_own_lines_before_the_dateline_stay() -> None:
    own, notes = notes_before(["Revenue up 12%; guidance raised", "/NOT FOR U.S. DISTRIBUTION/"])
    assert (own, notes) == (["Revenue up 12%; guidance raised"], ["/NOT FOR U.S. DISTRIBUTION/"])
    assert not is_legend("Acme Corrects Course With New Strategy? No: a headline-like line")


def test_a_dateline_quoted_deep_in_a_release_is_not_its_dateline() -> None:
    paragraphs = ["A paragraph of the story."] * 8 + [f"{DATELINE} {STORY}"]
    assert find_dateline(paragraphs, split_wire_dateline) == (-1, None, "")


def test_a_correction_links_to_the_release_it_replaces() -> None:
    def release_id(url: str) -> str | None:
        ref = prnewswire_ref(url)
        return f"prnewswire:{ref[0]}" if ref else None

    notes = ["In the news release, Acme Reports, issued 29-Oct-2025, the backlog should read…"]
    assert is_correction(notes, "CORRECTION -- Acme Reports Record Orders")
    links = [
        "https://www.prnewswire.com/news/acme/",
        "https://www.prnewswire.com/news-releases/acme-reports-record-orders-302597310.html",
    ]
    assert corrected_release(notes, links, release_id, "prnewswire:302598877") == (
        "prnewswire:302597310"
    )
    printed = [f"{notes[0]} (https://www.prnewswire.com/news-releases/acme-302597311.html)."]
    assert corrected_release(printed, [], release_id, None) == "prnewswire:302597311"
    assert corrected_release(notes, links[:1], release_id, None) is None
    assert not is_correction(["/NOT FOR DISTRIBUTION IN THE U.S./"], "Acme Raises $25 Million")
    assert re.search("302597310", links[1])
