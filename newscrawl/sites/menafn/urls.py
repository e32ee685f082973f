"""MENAFN story URLs: story ids, canonical form and slugs (shared by pages and spiders)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

Ref = tuple[str, str]  # (story id, what the site's request URL needs: a slug, or a path)
RefRule = Callable[[str], Ref | None]  # a site's URL rule: the Ref of one of its story URLs

CANONICAL_ROOT = "https://menafn.com"
_STORY_PATH = re.compile(r"^/(\d{9,12})(?:/([^/?#]*))?/?$")
_SAVED_NAME = re.compile(r"^(\d{9,12})(?:-(.+))?$")
_LEGACY_PAGE = re.compile(r"/qn_news_story(?:_s)?\.aspx$", re.IGNORECASE)


def story_ref(url: str) -> Ref | None:
    """(story id, slug) of a MENAFN article URL in any of its forms, else None.

    Current ``/<id>/<slug>`` links with any scheme, host, query or fragment, and the old
    ``qn_news_story_s.aspx?storyid=<id>&title=<slug>`` pages. The old GUID form carries no id.

    >>> story_ref("http://www.menafn.com/1095277951/Kuwait-oil-price?src=RSS")
    ('1095277951', 'Kuwait-oil-price')
    >>> story_ref("https://menafn.com/qn_news_story_s.aspx?storyid=1095168700&title=Abdali-Mall")
    ('1095168700', 'Abdali-Mall')
    >>> story_ref("https://menafn.com/menafn/9c990483-5c0b/BRIEF-Tulsa") is None
    True
    """
    parts = urlsplit(url.strip())
    match = _STORY_PATH.match(parts.path)
    if match:
        return match.group(1), match.group(2) or ""
    if _LEGACY_PAGE.search(parts.path):
        query = {k.lower(): v for k, v in parse_qs(parts.query).items()}
        story_id = query.get("storyid", [""])[0]
        if re.fullmatch(r"\d{9,12}", story_id):
            return story_id, slugify(query.get("title", [""])[0])
    return None


def canonical_url(story_id: str, slug: str) -> str:
    """The one URL of a story: https, bare host, no query.

    >>> canonical_url("1109793603", "Lavrov-North-Korean")
    'https://menafn.com/1109793603/Lavrov-North-Korean'
    """
    return f"{CANONICAL_ROOT}/{story_id}/{slug}" if slug else f"{CANONICAL_ROOT}/{story_id}"


def slugify(title: str) -> str:
    """MENAFN's slug rule: punctuation dropped, words joined with ``-``.

    >>> slugify("Kuwait's oil price: USD 52.62 on 20/11")
    'Kuwaits-oil-price-USD-5262-on-2011'
    """
    words = re.sub(r"[^\w\s-]", "", title).replace("_", " ").replace("-", " ").split()
    return "-".join(words)


def saved_page_ref(stem: str) -> Ref | None:
    """(story id, slug) carried by a saved page's file name ``<id>[-<slug>]``, else None.

    >>> saved_page_ref("1109793603-Lavrov-North-Korean-Leader")
    ('1109793603', 'Lavrov-North-Korean-Leader')
    >>> saved_page_ref("notes-2024") is None
    True
    """
    match = _SAVED_NAME.match(stem)
    return (match.group(1), match.group(2) or "") if match else None
