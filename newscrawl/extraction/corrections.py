"""Which release a correction replaces: the one its note links to or names by its address."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def corrected_release(
    notes: list[str],
    links: Iterable[str],
    release_id: Callable[[str], str | None],
    own_id: str | None,
) -> str | None:
    """The id of the release a correction replaces: the first release address (a link in the
    release, or a URL printed in its notes) that ``release_id`` reads as another release of
    the wire; None when the notes name none (a correction that only says "the release issued
    earlier today" links to nothing).

    >>> def rid(url):
    ...     found = re.search(r"-(\\d{9})\\.html", url)
    ...     return f"prnewswire:{found.group(1)}" if found else None
    >>> notes = ["CORRECTION -- see https://www.prnewswire.com/news-releases/a-302600001.html"]
    >>> corrected_release(notes, [], rid, "prnewswire:302600002")
    'prnewswire:302600001'
    >>> corrected_release(["CORRECTION -- Acme"], ["/news/acme/", "/news-releases/a-302600002.html",
    ...                   "/news-releases/a-302600001.html"], rid, "prnewswire:302600002")
    'prnewswire:302600001'
    >>> corrected_release(["CORRECTION -- Acme"], [], rid, None) is None
    True
    """
    printed = (url.rstrip(".,;:") for note in notes for url in _URL.findall(note))
    for address in (*printed, *links):
        found = release_id(address)
        if found and found != own_id:
            return found
    return None
