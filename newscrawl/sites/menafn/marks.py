"""MENAFN's marks on a story: the source dateline ``(MENAFN- Provider)`` and the provider it
names, and the tracking stamp ``MENAFN<DDMMYYYY><12 digits>ID<story id>`` under the story."""

from __future__ import annotations

import re

from newscrawl.processors import collapse_whitespace

_TRACKING_ID = re.compile(r"MENAFN\d{20}ID\d{6,12}")
_DATELINE_START = re.compile(r"\s*(\(\s*)?MENAFN\s*(?=[-\u2013)])")
_DATELINE_MAX = 120  # a provider name is short; a longer match is story text
# A line that starts a MENAFN dateline: never the rest of the sentence on the line before.
DATELINE_HEAD = re.compile(r"\(?\s*MENAFN\b")


def split_dateline(text: str) -> tuple[str | None, str]:
    """Split MENAFN's source dateline off the front of a story (balanced parentheses).

    >>> split_dateline("(MENAFN- Kuwait News Agency (KUNA)) KUWAIT, Dec 17 (KUNA) -- Boursa")
    ('(MENAFN- Kuwait News Agency (KUNA))', 'KUWAIT, Dec 17 (KUNA) -- Boursa')
    >>> split_dateline("MENAFN - Jordan Times) AMMAN - Chairman")
    ('MENAFN - Jordan Times)', 'AMMAN - Chairman')
    >>> split_dateline("(MENAFN - The Conversation)Data is")
    ('(MENAFN - The Conversation)', 'Data is')
    >>> split_dateline("MENAFN provides the information")
    (None, 'MENAFN provides the information')
    """
    match = _DATELINE_START.match(text)
    if not match:
        return None, text
    depth = 1  # a missing "(" still needs its ")"
    start = len(text) - len(text.lstrip())
    for index in range(match.end(), min(len(text), match.end() + _DATELINE_MAX)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return text[start : index + 1], text[index + 1 :].lstrip()
    return None, text


def provider_from_dateline(dateline: str) -> str | None:
    """Who wrote the story, from its dateline: MENAFN itself or the syndicated provider.

    >>> provider_from_dateline("(MENAFN- Kuwait News Agency (KUNA))")
    'Kuwait News Agency (KUNA)'
    >>> provider_from_dateline("(MENAFN)"), provider_from_dateline("MENAFN - Jordan Times)")
    ('MENAFN', 'Jordan Times')
    """
    inner = dateline.strip().removeprefix("(").removesuffix(")").strip()
    name = re.sub(r"^MENAFN\s*[-\u2013]?\s*", "", inner)
    return collapse_whitespace(name) or "MENAFN"


def find_tracking_id(value: str) -> str | None:
    """MENAFN's tracking stamp ``MENAFN<DDMMYYYY><12 digits>ID<story id>`` if present.

    >>> find_tracking_id("text MENAFN05092023000071011013ID1107006744 more")
    'MENAFN05092023000071011013ID1107006744'
    """
    match = _TRACKING_ID.search(value)
    return match.group(0) if match else None


def has_story_mark(text: str) -> bool:
    """Whether a text carries a mark of a MENAFN story: its dateline first, or a tracking stamp.

    >>> has_story_mark("(MENAFN) Oil rose."), has_story_mark("MENAFN is a news provider.")
    (True, False)
    """
    return bool(find_tracking_id(text) or split_dateline(text)[0])
