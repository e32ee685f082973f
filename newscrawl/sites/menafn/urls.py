"""MENAFN story URLs: story ids, the path to ask for, canonical form, slugs, saved-file names."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from newscrawl.extraction.plausibility import content_words
from newscrawl.site import Ref

ROOT = "https://menafn.com"
TITLE_WORDS_MIN_SHARE = 1 / 3  # of the link's slug words a requested story's title has
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


def story_path(story_id: str, slug: str) -> str:
    """Where a story is asked for, whatever form its link had (``?src=RSS``, ``www.``, the old
    ``.aspx`` page): one form, so one request.

    >>> story_path("1109793603", "Lavrov-North-Korean"), story_path("1109000002", "")
    ('/1109793603/Lavrov-North-Korean', '/1109000002/')
    """
    return f"/{story_id}/{slug}"


def canonical_url(story_id: str, slug: str) -> str:
    """The one URL of a story: https, bare host, no query.

    >>> canonical_url("1109793603", "Lavrov-North-Korean")
    'https://menafn.com/1109793603/Lavrov-North-Korean'
    """
    return f"{ROOT}/{story_id}/{slug}" if slug else f"{ROOT}/{story_id}"


def slugify(title: str) -> str:
    """MENAFN's slug rule: punctuation dropped, words joined with ``-``.

    >>> slugify("Kuwait's oil price: USD 52.62 on 20/11")
    'Kuwaits-oil-price-USD-5262-on-2011'
    """
    words = re.sub(r"[^\w\s-]", "", title).replace("_", " ").replace("-", " ").split()
    return "-".join(words)


def saved_page_ref(stem: str) -> Ref | None:
    """(story id, slug) carried by a saved page's file name ``<id>[-<slug>]``, else None. A
    tail that is no slug (a space, punctuation: a name a person or a browser gave the file)
    gives no slug, so the URL's is made from the title, as MENAFN makes it (FRESH-USER-2 G7:
    ``…/1110006413/Cabinet Approves`` was rejected as a bad URL).

    >>> saved_page_ref("1109793603-Lavrov-North-Korean-Leader")
    ('1109793603', 'Lavrov-North-Korean-Leader')
    >>> saved_page_ref("1110006413-Cabinet Approves (1)"), saved_page_ref("notes-2024") is None
    (('1110006413', ''), True)
    """
    match = _SAVED_NAME.match(stem)
    if match is None:
        return None
    slug = match.group(2) or ""
    return match.group(1), slug if slugify(slug) == slug else ""


def title_fits_slug(title: str, slug: str) -> bool:
    """Whether a page's title is the headline its link's slug was made from (MENAFN makes
    slugs from headlines, ``slugify``); an empty slug says nothing.

    >>> title_fits_slug("Kuwait Dinar Steady Against Dollar - Euro Slips",
    ...                 "Kuwait-Dinar-Steady-Against-Dollar-Euro-Slips")
    True
    >>> title_fits_slug("Arab - Latest News", "Kuwait-Dinar-Steady-Against-Dollar-Euro-Slips")
    False
    """
    wanted = content_words(slug.replace("-", " "))
    if not wanted:
        return True
    have = content_words(slugify(title).replace("-", " "))
    return len(wanted & have) >= TITLE_WORDS_MIN_SHARE * len(wanted)
