"""An article checked against itself: do its fields agree (issue 16, point 2)?

``inconsistencies`` is a pure function of one written article (a dict of its JSON line, or
an ``Article``) and its site's clock. It runs on every golden fixture and on the output of
every end-to-end crawl in the test suite, so a rule that lets a field contradict another
cannot pass unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime, tzinfo
from typing import Any

from newscrawl.extraction.agreement import read_stamp
from newscrawl.extraction.charset import has_mojibake
from newscrawl.extraction.language import identify
from newscrawl.extraction.tables import is_table

# A paragraph that is one figure or a table's label alone: a table read cell by cell.
_LONE_FIGURE = re.compile(r"^[(+\-\u2212]?[$\u20ac\u00a3\u00a5]?\d[\d.,]*%?\)?$")


def inconsistencies(article: Mapping[str, Any] | Any, clock: tzinfo) -> list[str]:
    """What in an article contradicts itself, one line each; [] for a sound article.

    >>> from newscrawl.dates import zone
    >>> ny = zone("America/New_York")
    >>> good = {"published_at": "2025-11-05T13:30:00+00:00", "published_text": "05 Nov, 2025, "
    ...         "08:30 ET", "language": "en", "title": "Acme", "body": "Acme opened a plant."}
    >>> inconsistencies(good, ny)
    []
    >>> inconsistencies({**good, "published_at": "2025-11-05T08:30:00+00:00"}, ny)[0][:60]
    'published_at 2025-11-05T08:30:00+00:00 is not published_text'
    >>> inconsistencies({**good, "body": "Revenue\\n\\n412.6", "language": "eng"}, ny)
    ["language 'eng' is not ISO 639-1", "body paragraph '412.6' is a table cell on its own"]
    """
    fields = _fields(article)
    return [
        *_published_problems(fields, clock),
        *_language_problems(fields),
        *_text_problems(fields),
    ]


def _fields(article: Mapping[str, Any] | Any) -> Mapping[str, Any]:
    if isinstance(article, Mapping):
        return article
    fields: dict[str, Any] = asdict(article)
    return fields


def _published_problems(fields: Mapping[str, Any], clock: tzinfo) -> list[str]:
    """``published_at`` is ``published_text`` read in the site's clock, to its precision."""
    text, at = fields.get("published_text"), fields.get("published_at")
    if text is None:
        return []
    printed = read_stamp(text, clock)
    if printed is None:
        return [f"published_text {text!r} is not a stamp"]
    if at is not None and not printed.agrees(datetime.fromisoformat(at)):
        read = printed.moment.astimezone(datetime.fromisoformat(at).tzinfo).isoformat()
        return [
            f"published_at {at} is not published_text {text!r} read in the site's clock ({read})"
        ]
    return []


def _language_problems(fields: Mapping[str, Any]) -> list[str]:
    """``language`` is two letters, and the text's own where the text is clear about it."""
    language = fields.get("language")
    if language is None:
        return []
    if not re.fullmatch(r"[a-z]{2}", language):
        return [f"language {language!r} is not ISO 639-1"]
    found = identify(f"{fields.get('title') or ''}\n\n{fields.get('body') or ''}")
    if found and found != language:
        return [f"language {language!r} but the text is {found!r}"]
    return []


def _text_problems(fields: Mapping[str, Any]) -> list[str]:
    """No mojibake; no table read cell by cell; a paragraph of several lines is a table."""
    problems = [
        f"{name} shows mojibake"
        for name in ("title", "body", "dateline", "organization")
        if fields.get(name) and has_mojibake(fields[name])
    ]
    for paragraph in (fields.get("body") or "").split("\n\n"):
        if _LONE_FIGURE.match(paragraph):
            problems.append(f"body paragraph {paragraph!r} is a table cell on its own")
        elif "\n" in paragraph and not is_table(paragraph):
            problems.append(f"body paragraph {paragraph[:40]!r} has line breaks and no table")
    return problems
