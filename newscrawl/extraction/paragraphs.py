"""Paragraph rules shared by every page kind: re-split story text sensibly, never lose words."""

from __future__ import annotations

import re

from newscrawl.dates import looks_like_timestamp
from newscrawl.extraction.tables import is_table_line, keep_tables_whole

_SENTENCE_END = re.compile(r"(?:[.!?:;\"'\u201d\u2019)\]]|--|\u2014|\u2013)$")
_GLUED_HINT = re.compile(r"[a-z][.!?][A-Z][a-z]")  # cheap test before the exact one
_GLUED = re.compile(r"([A-Za-z]*[a-z]{2})([.!?])(?=[A-Z][a-z])")
# Titles and abbreviations before a capital are not the end of a paragraph.
_ABBREVIATIONS = frozenset(
    {
        "mrs", "mr", "ms", "dr", "st", "jr", "sr", "no", "gen", "col", "lt", "sgt", "prof",
        "rev", "gov", "sen", "rep", "capt", "cmdr", "maj", "inc", "ltd", "co", "corp", "www",
        "vs",
    }
)  # fmt: skip
_FRAGMENT_WORDS = 3


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _continues(line: str, following: str, heading: re.Pattern[str] | None) -> bool:
    """Whether a line break between two lines falls inside a sentence (never after a stamp,
    never before a line ``heading`` matches, the site's dateline: those are header lines, not
    a sentence's words)."""
    if _ends_sentence(line) or looks_like_timestamp(line):
        return False
    if heading is not None and heading.match(following):
        return False
    if is_table_line(line.rsplit("\n", 1)[-1]) or is_table_line(following):
        return False  # a table's rows are lines of their own
    return following[:1].islower() or len(line.split()) <= _FRAGMENT_WORDS


def join_broken_lines(lines: list[str], heading: re.Pattern[str] | None = None) -> list[str]:
    """Join lines that a hard line break cut inside a sentence (``heading``: lines that start
    a story's header, such as its dateline, which are never joined onto the line before).

    >>> join_broken_lines(["Prime Minister", "Jaafar Hassan said in", "that the Council met.",
    ...                    "In addition, he left."])
    ['Prime Minister Jaafar Hassan said in that the Council met.', 'In addition, he left.']
    >>> join_broken_lines(["KUWAIT, July 19 (KUNA) --", "1954 -- A decree."])
    ['KUWAIT, July 19 (KUNA) --', '1954 -- A decree.']
    """
    joined: list[str] = []
    for line in lines:
        if joined and _continues(joined[-1], line, heading):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def split_glued(paragraph: str) -> list[str]:
    """Split paragraphs that a page glued together without any space.

    >>> split_glued("said in its daily update.The weather will be hot.")
    ['said in its daily update.', 'The weather will be hot.']
    >>> split_glued("Mr.Smith and Mrs.Jones paid USD 1.5 at www.Example.")
    ['Mr.Smith and Mrs.Jones paid USD 1.5 at www.Example.']
    """
    if not _GLUED_HINT.search(paragraph):
        return [paragraph]
    parts: list[str] = []
    start = 0
    for match in _GLUED.finditer(paragraph):
        if match.group(1).lower() not in _ABBREVIATIONS:
            parts.append(paragraph[start : match.end()])
            start = match.end()
    return [*parts, paragraph[start:]]


def paragraphs_from_text(text: str, heading: re.Pattern[str] | None = None) -> list[str]:
    """Paragraphs of plain story text: blank lines always separate, line breaks usually do
    (``heading``: as in ``join_broken_lines``).

    >>> paragraphs_from_text("One line\\nwrapped here.\\n\\n\\nSaid two.Three is glued.")
    ['One line wrapped here.', 'Said two.', 'Three is glued.']
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = keep_tables_whole([" ".join(line.split()) for line in block.split("\n")])
        for paragraph in join_broken_lines([line for line in lines if line], heading):
            paragraphs.extend([paragraph] if "\n" in paragraph else split_glued(paragraph))
    return paragraphs


def drop_repeats(paragraphs: list[str]) -> list[str]:
    """Keep each paragraph once: MENAFN pages repeat paragraphs next to each other and further
    down (``menafn-site-2.md`` C2). A lead the page repeats later is kept at its later place,
    where the story tells it.

    >>> drop_repeats(["Lead.", "KUWAIT -- Text.", "Lead.", "Lead.", "End."])
    ['KUWAIT -- Text.', 'Lead.', 'End.']
    >>> drop_repeats(["One.", "Two.", "Three.", "Two.", "Three.", "Four."])
    ['One.', 'Two.', 'Three.', 'Four.']
    """
    if len(paragraphs) > 1 and paragraphs[0] in paragraphs[2:] and paragraphs[1] != paragraphs[0]:
        paragraphs = paragraphs[1:]
    return list(dict.fromkeys(paragraphs))


_RELATED = re.compile(
    r"(?:^|(?<=[.!?\u201d\"]\s))\s*(?:read\s+(?:also|more)|also\s+read|see\s+also"
    r"|related(?:\s+(?:story|stories|news|articles?))?)\s*(?::|-|\u2013|\u2014)\s*(.*)$",
    re.IGNORECASE,
)
_HEADLINE_WORDS = 25


def _is_headline(line: str) -> bool:
    return 0 < len(line.split()) <= _HEADLINE_WORDS and not line.rstrip().endswith(".")


def drop_related_links(paragraphs: list[str]) -> list[str]:
    """Remove "Read also:"-style links with the headline they introduce: on the same line, on
    the next line, or after the marker glued to the end of a paragraph.

    >>> drop_related_links(["Oil rose.", "Also Read - Gold Steadies", "Brent fell."])
    ['Oil rose.', 'Brent fell.']
    >>> drop_related_links(["Oil rose. Read also:", "Gold Steadies In Asia", "Brent fell."])
    ['Oil rose.', 'Brent fell.']
    >>> drop_related_links(["Related:", "Gold Steadies In Asia", "Brent fell."])
    ['Brent fell.']
    """
    kept: list[str] = []
    drop_headline = False
    for paragraph in paragraphs:
        if drop_headline and _is_headline(paragraph):
            drop_headline = False
            continue
        drop_headline = False
        match = _RELATED.search(paragraph)
        if match is None:
            kept.append(paragraph)
            continue
        before = paragraph[: match.start()].strip()
        drop_headline = not match.group(1).strip()
        if before:
            kept.append(before)
    return kept
