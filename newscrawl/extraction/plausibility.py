"""Is this the story? Checks run before an article is written, so page chrome never is.

A page that gives site furniture as its body (a copyright line, the legal disclaimer, a menu,
a "no longer available" notice) or that is not the story asked for (a redirect to the home
page, a section listing, another story) is rejected with the reason; its id stays unseen, so a
later run asks for it again. The rules are about kinds of text, not about particular pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from newscrawl.items import Article
from newscrawl.processors import collapse_whitespace, has_mojibake
from newscrawl.site import RefRule

MIN_STORY_WORDS = 12  # a wire story has at least one real sentence: "X said on Monday that…"
MIN_SENTENCE_WORDS = 8  # a menu item, a label or a button has fewer
NOTICE_MAX_WORDS = 40  # a notice is a line or two; a story may quote such words

# Lines that are site furniture wherever they stand (their page's footer, a paywall box).
_FURNITURE = re.compile(
    r"^(?:(?:copyright\s*)?(?:©|\(c\))\s*.{0,160}"
    r"|copyright\s+\d{4}\b.{0,160}"
    r"|.{0,160}all rights reserved\.?.{0,80}"
    r"|legal disclaimer\s*:?.*"
    r"|.{0,40}provides the information .as is. without warranty.*)$",
    re.IGNORECASE,
)
# A subscription prompt where the story stops: what is above it is a teaser, not the story.
_PAYWALL = re.compile(
    r"^.{0,80}(?:continues for .{0,20}subscribers|subscribe (?:now )?to (?:read|continue)"
    r"|sign in (?:or subscribe )?to (?:read|continue)|for subscribers only).*$",
    re.IGNORECASE,
)
# "This story is no longer available", "Error! We're sorry, but the page you were looking for
# doesn't exist": the page names itself (this page, the story) and says it is not there.
_NOTICE = re.compile(
    r"\b(?:this|the|that|requested|your)\s+(?:page|story|article|content|item|link|url"
    r"|news(?: item| story)?|post)s?\b"
    r".{0,60}?\b(?:no longer|(?:has|have) been (?:removed|deleted|withdrawn|taken down"
    r"|unpublished|archived)|(?:could|can)(?:\s*not|n.t) be (?:found|loaded|displayed)"
    r"|(?:was|were|is) not found|does(?:n.t| not) exist|(?:is|are) (?:not |un)available"
    r"|(?:has|have) expired)"
    r"|\b(?:we|I)\s+(?:could|can)(?:\s*not|n.t)\s+(?:find|locate|load)\b"
    r"|\bsomething went wrong\b|\b(?:was|were|is|has been) withdrawn\b"
    r"|^\W*(?:404|page not found|not found|access denied)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,}")
# English function words of three letters or more: sharing one proves nothing.
_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "that",
        "this",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "its",
        "into",
        "over",
        "after",
        "about",
        "his",
        "her",
        "their",
        "will",
        "not",
        "but",
        "all",
        "any",
        "can",
        "our",
        "out",
        "who",
        "new",
        "says",
        "said",
    ]
)


def is_furniture(paragraph: str) -> bool:
    """A footer line, the disclaimer or a paywall prompt: never story text.

    >>> is_furniture("Copyright © 2000 – 2025 MENAFN. All rights reserved.")
    True
    >>> is_furniture("© MENAFN 2025. All rights reserved. Terms of use.")
    True
    >>> is_furniture("The company said its copyright claim was filed in 2024.")
    False
    """
    return bool(_FURNITURE.match(paragraph.strip()))


def is_paywall(paragraph: str) -> bool:
    """A subscription prompt ("This story continues for subscribers. Sign in to read…")."""
    return bool(_PAYWALL.match(paragraph.strip()))


def body_problem(paragraphs: list[str], dateline: str | None = None) -> str | None:
    """Why a cleaned body is not a story (None when it may be one). A story under a wire
    dateline is a story however short (an 11-word KUNA flash), and however it words things.

    >>> body_problem(["This story is no longer available."])
    'not a story: a notice (This story is no longer available.)'
    >>> body_problem(["Home", "News", "Markets", "About us"])
    'not a story: no sentence in the body (Home / News / Markets / About us)'
    >>> body_problem(["KUWAIT -- The Kuwaiti dinar was stable against the US dollar on Thursday."])
    >>> body_problem(["KUWAIT -- Stocks rose on Sunday."], "(MENAFN- Kuwait News Agency (KUNA))")
    """
    if not paragraphs:
        return "no body"
    if dateline:
        return None
    text = " ".join(paragraphs)
    words = len(text.split())
    sample = " / ".join(paragraphs)[:120]
    if words <= NOTICE_MAX_WORDS and _NOTICE.search(text):
        return f"not a story: a notice ({sample})"
    if words < MIN_STORY_WORDS or max(len(p.split()) for p in paragraphs) < MIN_SENTENCE_WORDS:
        return f"not a story: no sentence in the body ({sample})"
    return None


def content_words(text: str) -> set[str]:
    """Lower-cased words of three letters or more, function words left out, a possessive or
    plural ``s`` taken off (``Kuwait's``, ``Kuwaits`` and ``Kuwait`` are one word).

    >>> sorted(content_words("Lavrov, Kim Discuss Issues For Kuwait\u2019s Wonsan Talks"))
    ['discus', 'issue', 'kim', 'kuwait', 'lavrov', 'talk', 'wonsan']
    """
    words = {w.lower() for w in _WORD.findall(re.sub(r"['\u2019]s\b", "", text))} - _STOP
    return {w[:-1] if len(w) > 4 and w.endswith("s") else w for w in words}


def names_its_title(title: str | None, text: str) -> bool:
    """Whether a story's text names what its title names: at least one in three of the
    title's words (and one at least). A page's story does; a site's blurb, which shares a
    stray business word with any headline, does not.

    >>> names_its_title("Today In Kuwait's History", "KUWAIT, July 19 (KUNA) -- 1954 -- ...")
    True
    >>> names_its_title("Gold Prices Rebound As Markets Eye Qatar",
    ...                 "MENAFN is a news provider delivering market data.")
    False
    """
    wanted = content_words(title or "")
    if not wanted:
        return True
    return len(wanted & content_words(text)) >= max(1, len(wanted) // 3)


def normalise(text: str) -> str:
    """Text compared as words only: case, spacing and punctuation do not matter.

    >>> normalise("  MENAFN is a Leading\\nprovider. ")
    'menafn is a leading provider'
    """
    return " ".join(re.findall(r"\w+", text.casefold()))


def is_site_text(paragraphs: list[str], site_texts: Iterable[str]) -> bool:
    """Whether every paragraph of a body stands in the site's chrome (``site_texts``: the texts
    of the page's header, footer, menus and side boxes, and of blocks that other pages of the
    site show too): such a body is the site talking, not a story.

    >>> is_site_text(["MENAFN is a leading provider."], ["About us MENAFN is a leading provider"])
    True
    >>> is_site_text(["MENAFN is a leading provider.", "Oil rose 2% on Monday."],
    ...              ["About us MENAFN is a leading provider"])
    False
    """
    chrome = [normalise(t) for t in site_texts]
    body = [normalise(p) for p in paragraphs]
    return bool(body) and all(any(p and p in text for text in chrome) for p in body)


def identity_problem(
    requested_id: str, page_urls: Iterable[str], tracking_id: str | None, ref: RefRule
) -> str | None:
    """Why a page is not the story asked for: its canonical link or tracking stamp names
    another story id (``ref``: the site's URL rule).

    >>> def ref(url): return (url.rsplit("/", 1)[1], "") if url[-1].isdigit() else None
    >>> identity_problem("1109793603", ["https://news.example/s/1109000001"], None, ref)
    'not the requested story (the page is story 1109000001)'
    >>> identity_problem("1109793603", [], "MENAFN13072025000045015839ID1109793603", ref) is None
    True
    """
    for url in page_urls:
        found = ref(url)
        if found and found[0] != requested_id:
            return f"not the requested story (the page is story {found[0]})"
    if tracking_id and not tracking_id.endswith(f"ID{requested_id}"):
        return f"not the requested story (its tracking stamp is {tracking_id})"
    return None


def landed_elsewhere(requested_id: str, final_url: str, ref: RefRule) -> str | None:
    """Why a fetched page is not the story: a redirect took us to another page (``ref``: the
    site's URL rule).

    >>> def ref(url): return (url.rsplit("/", 1)[1], "") if url[-1].isdigit() else None
    >>> landed_elsewhere("1109793603", "https://news.example/", ref)
    'redirected away from the story (landed on https://news.example/)'
    >>> landed_elsewhere("1109793603", "https://news.example/s/1109793603", ref) is None
    True
    """
    found = ref(final_url)
    if found is None or found[0] != requested_id:
        return f"redirected away from the story (landed on {collapse_whitespace(final_url)})"
    return None


def unvouched_fallback(
    title: str | None, dateline: str | None, body: str, marked: Callable[[str], object]
) -> str | None:
    """Why a body from a generic layer is not trusted: it has no mark of a wire story (no
    dateline, nothing ``marked`` finds in it: the site's own marks, such as a tracking stamp)
    and names nothing the title names. Either mark alone is enough to keep it: 8 of 43 stored
    MENAFN pages print no dateline (menafn-site.md §4).

    >>> def stamped(text): return "STAMP-" in text
    >>> unvouched_fallback("Qatar Opens Unit", None, "The site is a news provider.", stamped)[:24]
    'not a story: no dateline'
    >>> unvouched_fallback("Qatar Opens Unit", None, "Doha opened. STAMP-1109", stamped)
    >>> unvouched_fallback("Qatar Opens Unit", "(MENAFN- The Peninsula)", "Doha opened.", stamped)
    """
    if dateline or marked(body):
        return None
    if names_its_title(title, body):
        return None
    return f"not a story: no dateline, no title word in the body ({body[:120]})"


def text_problem(article: Article) -> str | None:
    """Why an article's text cannot be trusted (bytes lost in decoding, mojibake), if so."""
    for name in ("title", "body"):
        value = getattr(article, name)
        if value and has_mojibake(value):
            return f"undecodable text in {name}"
    return None


def split_problem(problem: str) -> tuple[str, str]:
    """A problem as a rejects line's short ``reason`` and its ``detail``.

    >>> split_problem("not a story: a notice (This story is no longer available.)")
    ('not a story: a notice', 'This story is no longer available.')
    >>> split_problem("no body")
    ('no body', '')
    """
    reason, _, detail = problem.partition(" (")
    if not detail.endswith(")"):
        return problem, ""
    return reason, detail[:-1]
