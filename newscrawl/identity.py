"""Who the crawler says it is: the User-Agent names newscrawl, its home page and the operator."""

from __future__ import annotations

import re

from scrapy.exceptions import UsageError

HOME_PAGE = "https://github.com/newscrawl/newscrawl"
_COMMENT_TEXT = re.compile(r"[ !-'*-:<-\[\]-~]*")  # printable ASCII but ( ) ; \ (RFC 9110 ctext)
CONTACT_RULE = "printable ASCII without ( ) ; or \\"  # what a contact must be


def fits_a_comment(contact: str) -> bool:
    """Whether ``contact`` can go in the User-Agent's comment as it is (RFC 9110 ctext, no
    nested comment, no escape), spaces around it aside.

    >>> fits_a_comment(" crawl-ops@example.org "), fits_a_comment("a;b")
    (True, False)
    """
    return bool(_COMMENT_TEXT.fullmatch(contact.strip()))


def user_agent(version: str, contact: str = "") -> str:
    """``newscrawl/<version> (+<home page>[; contact: <contact>])``. ``contact`` is the
    operator's e-mail address or web page (``NEWSCRAWL_CONTACT``), so a site's owner can reach
    whoever runs the crawl; UsageError (exit status 2) names the setting if it cannot go in a
    header comment.

    >>> user_agent("0.3.0")
    'newscrawl/0.3.0 (+https://github.com/newscrawl/newscrawl)'
    >>> user_agent("0.3.0", " crawl-ops@example.org ")
    'newscrawl/0.3.0 (+https://github.com/newscrawl/newscrawl; contact: crawl-ops@example.org)'
    >>> user_agent("0.3.0", "me (at) example")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scrapy.exceptions.UsageError: NEWSCRAWL_CONTACT must be printable ASCII ...: 'me (at) example'
    """
    contact = contact.strip()
    if not fits_a_comment(contact):
        raise UsageError(f"NEWSCRAWL_CONTACT must be {CONTACT_RULE}: {contact!r}", print_help=False)
    comment = f"+{HOME_PAGE}; contact: {contact}" if contact else f"+{HOME_PAGE}"
    return f"newscrawl/{version} ({comment})"
