"""What a release prints before its dateline: distribution legends and editor's notes.

Wires let issuers put lines above the dateline: "/NOT FOR DISTRIBUTION TO U.S. NEWSWIRE
SERVICES…/", "CORRECTION -- …", "/ Editor's note / …", "FOR IMMEDIATE RELEASE". They are
not the dateline and not the story (CONTRACT, "Version 3"), so the dateline is looked for
after them, and they leave the body. Other lines a release may print before its dateline (a
summary's bullets) are the author's text and stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable

LEGEND = re.compile(
    r"^\W*(?:NOT\s+FOR\s+(?:DISTRIBUTION|DISSEMINATION|RELEASE|PUBLICATION)"
    r"|FOR\s+IMMEDIATE\s+RELEASE|EMBARGOED|EMBARGO\b|MEDIA\s+ADVISORY|NEWS\s+RELEASE\b"
    r"|PRESS\s+RELEASE\b|CORRECTION\b|CORRECTED\b|CORRECTING\b|UPDATED?\b|REPEAT\b"
    r"|REGULATED\s+INFORMATION|INSIDE\s+INFORMATION|ATTENTION\b"
    r"|EDITORS?['\u2019]?S?\s*NOTES?\b|NOTE\s+TO\s+(?:EDITORS|READERS)\b"
    r"|THIS\s+(?:NEWS\s+)?RELEASE\s+(?:IS\s+NOT|REPLACES|CORRECTS|SUPERSEDES))",
    re.IGNORECASE,
)
# A legend the issuer wraps in slashes, as Canadian releases do: "/NOT FOR … /".
_SLASHED = re.compile(r"^/[^/]{3,400}/$")
# A note that starts a correction (CORRECTION, Editor's note) runs on until the dateline,
# with explanations such as "In the news release, …, issued 05-Nov-2025 …".
NOTE_START = re.compile(r"^\W*(?:CORRECT|EDITOR|NOTE\s+TO|UPDATE|THIS\s+(?:NEWS\s+)?RELEASE)",
                        re.IGNORECASE)  # fmt: skip
CORRECTION = re.compile(r"\b(?:CORRECT(?:ION|ED|ING)|REPLACES|REPLACING|SUPERSEDES)\b",
                        re.IGNORECASE)  # fmt: skip
MAX_BEFORE = 6  # paragraphs a dateline may follow; a later "CITY, Date /Wire/" is a quote


def is_legend(paragraph: str) -> bool:
    """Whether a paragraph is a legend or editor's note, not the release's own text.

    >>> is_legend("/NOT FOR DISTRIBUTION TO U.S. NEWSWIRE SERVICES OR FOR DISSEMINATION/")
    True
    >>> is_legend("/ Editor's note / This release replaces the one issued at 8:00 a.m. ET.")
    True
    >>> is_legend("CORRECTION -- Acme Inc."), is_legend("Acme corrects its outlook.")
    (True, False)
    """
    return bool(LEGEND.match(paragraph) or _SLASHED.match(paragraph.strip()))


def find_dateline(
    paragraphs: list[str], split: Callable[[str], tuple[str | None, str]]
) -> tuple[int, str | None, str]:
    """(index, dateline, rest of that paragraph) of the first of the first ``MAX_BEFORE + 1``
    paragraphs that opens with a dateline (``split`` splits one off, or gives None), also
    after a legend at that paragraph's start; (-1, None, "") when none does.

    >>> def split(text):
    ...     head, _, rest = text.partition(" /PRNewswire/ -- ")
    ...     return (head + " /PRNewswire/ --", rest) if rest else (None, text)
    >>> find_dateline(["/NOT FOR U.S. WIRES/", "TORONTO /PRNewswire/ -- Acme said."], split)
    (1, 'TORONTO /PRNewswire/ --', 'Acme said.')
    >>> find_dateline(["/NOT FOR U.S. WIRES/ TORONTO /PRNewswire/ -- Acme said."], split)
    (0, 'TORONTO /PRNewswire/ --', 'Acme said.')
    """
    for index, paragraph in enumerate(paragraphs[: MAX_BEFORE + 1]):
        for text in dict.fromkeys((strip_leading_legend(paragraph), paragraph)):
            dateline, rest = split(text)
            if dateline:
                return index, dateline, rest
    return -1, None, ""


def strip_leading_legend(paragraph: str) -> str:
    """A paragraph without a slashed legend printed on its first line before the dateline.

    >>> strip_leading_legend("/NOT FOR DISTRIBUTION IN THE U.S./ TORONTO, Nov. 20 /CNW/ - A")
    'TORONTO, Nov. 20 /CNW/ - A'
    """
    match = re.match(r"^\s*/[^/]{3,400}/\s+(?=\S)", paragraph)
    return paragraph[match.end() :] if match and is_legend(match.group(0).strip()) else paragraph


def notes_before(paragraphs: list[str], correction: bool = False) -> tuple[list[str], list[str]]:
    """(the author's own paragraphs, the legends and notes) among those printed before a
    dateline: a legend, and everything from a note that opens a correction up to the dateline;
    in a ``correction`` (its title says so) everything before the dateline, as PR Newswire's
    "In the news release, …, issued … we are advised …" notes need no marker of their own.

    >>> notes_before(["CORRECTION -- Acme", "In the release issued today, read 5%.", "Bullet"])
    ([], ['CORRECTION -- Acme', 'In the release issued today, read 5%.', 'Bullet'])
    >>> notes_before(["Revenue up 12%", "/NOT FOR U.S. DISTRIBUTION/"])
    (['Revenue up 12%'], ['/NOT FOR U.S. DISTRIBUTION/'])
    >>> notes_before(["In the news release, Acme Reports, issued today, read 5%."], True)
    ([], ['In the news release, Acme Reports, issued today, read 5%.'])
    """
    own: list[str] = []
    notes: list[str] = []
    in_note = correction
    for paragraph in paragraphs:
        in_note = in_note or bool(NOTE_START.match(paragraph))
        (notes if in_note or is_legend(paragraph) else own).append(paragraph)
    return own, notes


def is_correction(notes: list[str], title: str | None = None) -> bool:
    """Whether a release's notes say it corrects or replaces another, or its title opens with
    the legend (``CORRECTION -- …``, ``CORRECTED: …``; "Acme Corrects Its Outlook" is news).

    >>> is_correction(["/ Editor's note / This release replaces the one issued today."])
    True
    >>> is_correction([], "CORRECTION -- Acme Reports"), is_correction([], "Acme Corrects Course")
    (True, False)
    >>> is_correction(["/NOT FOR DISTRIBUTION IN THE U.S./"], "Acme Raises Outlook")
    False
    """
    heading = CORRECTION.match(title.strip()) if title else None
    return bool(heading) or any(CORRECTION.search(text) for text in notes)
