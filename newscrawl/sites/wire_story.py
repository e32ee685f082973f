"""What press-release wires share in a release's text: the wire dateline, the release's
paragraphs and furniture (contacts, ``SOURCE``), the legends before the dateline, and URL
rules whose story paths hold their id. (Their printed ET stamps are read by
``extraction/agreement.py``, on the wire's clock.)"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from newscrawl.extraction.legends import find_dateline, is_correction, notes_before
from newscrawl.extraction.tables import keep_tables_whole
from newscrawl.site import Ref

# "CITY, Date /PRNewswire/ --", "CITY--(Marketwired - Date) -", "CITY, Date (GLOBE NEWSWIRE) --",
# "CITY--(BUSINESS WIRE)--": the place and date, the wire's mark, then a dash.
WIRE_DATELINE = re.compile(
    r"^(?P<dateline>[^\n]{0,150}?"
    r"(?:/(?:PRNewswire|PR Newswire|CNW|USNewswire)\b[^/\n]{0,40}/"
    r"|\((?:GLOBE NEWSWIRE|Marketwired?|BUSINESS WIRE|ACCESSWIRE|ACCESS Newswire)\b[^)\n]{0,40}\))"
    r"(?:\s*(?:--|-|\u2013|\u2014))?)(?:\s+|$)",
    re.IGNORECASE,
)
_SOURCE_LINE = re.compile(r"^SOURCE:?\s+(?P<issuer>\S.{0,100})$")
_CONTACT_LABEL = re.compile(
    r"^(?:(?:media|press|investor|investors|ir|company|news|analyst)\s+)*"
    r"(?:contacts?|enquiries|inquiries)(?:\s+information)?\s*:",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\(?\d{1,4}\)?[\s.-]\d{2,4}[\s.-]\d{3,4}")
_FURNITURE_LINE = re.compile(
    r"^(?:Continue Reading"
    r"|(?:Photo|Photos|Logo|Video|Multimedia|Image)\s*[-:\u2013]\s*https?://\S+"
    r"|View original content.{0,60}https?://\S+"
    r"|Related Links?)$",
    re.IGNORECASE,
)
_ENDS_LINE = re.compile(r"[.!?:;\"'\u201d\u2019)\]|]$")  # a sentence's end, or a table row's
_CONTACT_WORDS = 12  # a contact line is a name, a company, an address, a phone or an e-mail


def path_ref(url: str, pattern: re.Pattern[str]) -> Ref | None:
    """(id, path) of a URL whose path ``pattern`` matches (groups ``id`` and ``path``), else
    None: the URL rule of a wire whose story paths hold their id."""
    match = pattern.match(urlsplit(url.strip()).path)
    return (match["id"], match["path"]) if match else None


def split_wire_dateline(
    text: str, pattern: re.Pattern[str] = WIRE_DATELINE
) -> tuple[str | None, str]:
    """Split a wire's dateline (``pattern``: its group ``dateline``) off the front of a
    release's first paragraph.

    >>> split_wire_dateline("SAN FRANCISCO, CA--(Marketwired - April 06, 2016) - Segment, the")
    ('SAN FRANCISCO, CA--(Marketwired - April 06, 2016) -', 'Segment, the')
    >>> split_wire_dateline("PALO ALTO, Calif., April 25, 2016 /PRNewswire/ -- HackerRank, a")
    ('PALO ALTO, Calif., April 25, 2016 /PRNewswire/ --', 'HackerRank, a')
    >>> split_wire_dateline("OSLO, Norway, May 01, 2024 (GLOBE NEWSWIRE) -- Acme ASA said")
    ('OSLO, Norway, May 01, 2024 (GLOBE NEWSWIRE) --', 'Acme ASA said')
    >>> split_wire_dateline("TORONTO, Jan. 5, 2024 /CNW/ - Acme Inc.")
    ('TORONTO, Jan. 5, 2024 /CNW/ -', 'Acme Inc.')
    >>> split_wire_dateline("Acme said revenue rose.")
    (None, 'Acme said revenue rose.')
    """
    match = pattern.match(text)
    if not match:
        return None, text
    return match.group("dateline").strip(), text[match.end() :]


def release_paragraphs(text: str) -> list[str]:
    """Paragraphs of a release: blocks and ``<br>`` lines, a line that runs on into a
    lowercase word joined to it, a Markdown table's rows one paragraph.

    >>> release_paragraphs("About Segment\\nSegment is a platform\\nthat helps.\\n\\nNext.")
    ['About Segment', 'Segment is a platform that helps.', 'Next.']
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = keep_tables_whole([" ".join(line.split()) for line in block.split("\n")])
        for line in filter(None, lines):
            if paragraphs and line[0].islower() and not _ENDS_LINE.search(paragraphs[-1]):
                paragraphs[-1] = f"{paragraphs[-1]} {line}"
            else:
                paragraphs.append(line)
    return paragraphs


def _is_contact_line(paragraph: str) -> bool:
    if paragraph.startswith("About "):
        return False
    return (
        "@" in paragraph
        or bool(_PHONE.search(paragraph))
        or len(paragraph.split()) <= _CONTACT_WORDS
    )


def drop_release_furniture(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """A release's own text without the wire's furniture, and the issuer its ``SOURCE`` line
    names: everything from ``SOURCE <issuer>`` on, contact blocks, "Continue Reading",
    multimedia links.

    >>> drop_release_furniture(["Acme rose.", "Media Contact:", "Jo Doe", "jo@acme.com",
    ...                         "About Acme", "Acme makes things.", "SOURCE Acme Inc.", "x"])
    (['Acme rose.', 'About Acme', 'Acme makes things.'], 'Acme Inc.')
    """
    kept: list[str] = []
    in_contact = False
    for paragraph in paragraphs:
        source = _SOURCE_LINE.match(paragraph)
        if source:
            return kept, source.group("issuer").strip()
        if _CONTACT_LABEL.match(paragraph):
            in_contact = True
            continue
        in_contact = in_contact and _is_contact_line(paragraph)
        if not in_contact and not _FURNITURE_LINE.match(paragraph):
            kept.append(paragraph)
    return kept, None


@dataclass(frozen=True)
class Release:
    """A release's text read: its dateline, its own paragraphs (no furniture, no legends), the
    issuer its ``SOURCE`` line names, and the legends and notes printed before the dateline."""

    dateline: str | None
    paragraphs: list[str]
    issuer: str | None
    notes: list[str]


def release_story(
    text: str, dateline_pattern: re.Pattern[str] = WIRE_DATELINE, title: str | None = None
) -> Release:
    """A release's text read (``Release``). The dateline is looked for after the legends and
    notes an issuer may print above it (``extraction/legends.py``); those leave the story.

    >>> release_story("NEW YORK, May 2, 2024 /PRNewswire/ -- Acme rose.\\n\\nSOURCE Acme")
    Release(dateline='NEW YORK, May 2, 2024 /PRNewswire/ --', paragraphs=['Acme rose.'], \
issuer='Acme', notes=[])
    >>> release_story("/NOT FOR U.S. WIRES/\\n\\nTORONTO, Jan. 5 /CNW/ - Acme rose.").notes
    ['/NOT FOR U.S. WIRES/']
    """
    paragraphs = release_paragraphs(text)
    split = partial(split_wire_dateline, pattern=dateline_pattern)
    index, dateline, first = find_dateline(paragraphs, split)
    before, after = paragraphs[: max(index, 0)], paragraphs[index + 1 :]
    own, notes = notes_before(before, correction=is_correction(before, title))
    kept, issuer = drop_release_furniture([*own, *filter(None, [first]), *after])
    return Release(dateline, kept, issuer, notes)
