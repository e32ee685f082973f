"""MENAFN's mobile API answers (``getsection``), read as a feed: a list of story records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newscrawl.site import FeedRecord


def api_records(answer: Any) -> Iterator[FeedRecord]:
    """The story records of a mobile API answer: ``link``, ``newsid`` and ``newsdate`` of each
    record (anything else in the list is skipped).

    >>> list(api_records([{"newsid": 1109000002, "newsdate": "2025-07-14T01:00:00"}, "x"]))
    [FeedRecord(url='', story_id='1109000002', published='2025-07-14 01:00:00')]
    """
    for record in answer if isinstance(answer, list) else []:
        if isinstance(record, dict):
            yield FeedRecord(
                url=str(record.get("link") or ""),
                story_id=str(record.get("newsid") or ""),
                published=str(record.get("newsdate") or "").replace("T", " "),
            )
