"""What press-release wires share: the wire dateline, the release's furniture, ET stamps."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cached_property, partial
from typing import ClassVar
from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse

from newscrawl.dates import parse_datetime, to_utc, zone
from newscrawl.extraction.page import HtmlArticlePage, document_base, first_found
from newscrawl.extraction.plausibility import (
    body_problem,
    identity_problem,
    is_site_text,
    landed_elsewhere,
    text_problem,
    unvouched_fallback,
)
from newscrawl.extraction.text import element_text
from newscrawl.extraction.tree import canonical_links
from newscrawl.items import Article
from newscrawl.loaders import ArticleLoader
from newscrawl.processors import clean_text
from newscrawl.site import Ref, Site

EASTERN = zone("America/New_York")  # the wires print "ET": US Eastern, DST included
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
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")
_CONTACT_WORDS = 12  # a contact line is a name, a company, an address, a phone or an e-mail
_ET_FORMATS = ("%B %d %Y %H:%M", "%b %d %Y %H:%M", "%d %b %Y %H:%M", "%d %B %Y %H:%M")


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


def parse_eastern(text: str) -> str | None:
    """A wire's printed stamp in US Eastern time (``ET``) as ISO 8601 in UTC.

    >>> parse_eastern("April 06, 2016 12:00 ET")
    '2016-04-06T16:00:00+00:00'
    >>> parse_eastern("25 Apr, 2016, 03:39 ET")
    '2016-04-25T07:39:00+00:00'
    >>> parse_eastern("Jan 05, 2024, 08:30 ET"), parse_eastern("April 06, 2016")
    ('2024-01-05T13:30:00+00:00', None)
    """
    stamp = re.sub(r"\s+(?:ET|EST|EDT)$", "", " ".join(text.replace(",", " ").split()))
    for fmt in _ET_FORMATS:
        try:
            return to_utc(datetime.strptime(stamp, fmt), EASTERN)
        except ValueError:
            continue
    return None


def release_paragraphs(text: str) -> list[str]:
    """Paragraphs of a release: blocks and ``<br>`` lines, a line that runs on into a
    lowercase word joined to it.

    >>> release_paragraphs("About Segment\\nSegment is a platform\\nthat helps.\\n\\nNext.")
    ['About Segment', 'Segment is a platform that helps.', 'Next.']
    """
    paragraphs: list[str] = []
    for block in re.split(r"\n[^\S\n]*\n", text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        for line in filter(None, lines):
            if paragraphs and line[0].islower() and not _SENTENCE_END.search(paragraphs[-1]):
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


def release_story(
    text: str, dateline_pattern: re.Pattern[str] = WIRE_DATELINE
) -> tuple[str | None, list[str], str | None]:
    """(wire dateline, paragraphs without furniture, issuer of the SOURCE line) of a
    release's text.

    >>> release_story("NEW YORK, May 2, 2024 /PRNewswire/ -- Acme rose.\\n\\nSOURCE Acme")
    ('NEW YORK, May 2, 2024 /PRNewswire/ --', ['Acme rose.'], 'Acme')
    """
    paragraphs = release_paragraphs(text)
    if not paragraphs:
        return None, [], None
    dateline, first = split_wire_dateline(paragraphs[0], dateline_pattern)
    paragraphs, issuer = drop_release_furniture(
        [first, *paragraphs[1:]] if first else paragraphs[1:]
    )
    return dateline, paragraphs, issuer


class WireReleasePage(HtmlArticlePage):
    """A press release page of a wire: site selectors in subclasses, shared rules here; who
    the wire is (its name, provider, URL rule, canonical URLs) comes from its ``Site``."""

    TITLE_SELECTORS: ClassVar[tuple[str, ...]]
    BODY_SELECTORS: ClassVar[tuple[str, ...]]
    STAMP_SELECTORS: ClassVar[tuple[str, ...]]  # the stamp the page prints
    ISSUER_SELECTORS: ClassVar[tuple[str, ...]]
    DATELINE: ClassVar[re.Pattern[str]] = WIRE_DATELINE  # the datelines the wire prints

    def __init__(self, response: TextResponse, crawled_at: str, ref: Ref | None, site: Site):
        super().__init__(response)
        self.crawled_at = crawled_at
        self.site = site
        self.known_id = ref[0] if ref else None  # the release asked for (a link, a file name)
        self.layer: str | None = None  # which layer gave the body, once to_article() ran

    @cached_property
    def ref(self) -> tuple[str, str] | None:
        """(release id, URL): the id asked for, else the one of the URL read, else the one the
        page's canonical link or ``og:url`` names; the URL the page states for that id (on the
        wire's own host), else the URL read."""
        page_base = document_base(self.root, self.response.url)
        links = [*canonical_links(self.root), *self.meta_values("og:url")]
        stated = [self.site.story_ref(urljoin(page_base, url.strip())) for url in links]
        read = self.site.story_ref(self.response.url)
        story_id = self.known_id or next((ref[0] for ref in (read, *stated) if ref), None)
        if story_id is None:
            return None
        path = next((ref[1] for ref in (*stated, read) if ref and ref[0] == story_id), None)
        url = self.site.canonical_url(story_id, path) if path else self.response.url
        return story_id, url

    @cached_property
    def base_url(self) -> str:
        """Relative links resolve against the release's own address, also on a saved page."""
        ref = self.ref
        return document_base(self.root, ref[1] if ref else self.response.url)

    def first_text(self, queries: tuple[str, ...]) -> list[str]:
        return first_found(*(partial(self.css_text, q) for q in queries), valid=clean_text)

    def layer_texts(self) -> list[tuple[str, Callable[[], str | None]]]:
        """(layer, text source) pairs in the order they are tried; each computed when reached:
        the site's selectors, then the shared fallbacks of ``pages/base.py``."""
        site = [el for query in self.BODY_SELECTORS for el in self.css(query)]
        return [
            *(("site", partial(element_text, el)) for el in site),
            ("json_ld", self.json_ld_text),
            ("meta", self.microdata_text),
            ("generic", self.generic_text),
        ]

    def published_values(self) -> list[str]:
        """Publication times best first; subclasses put the site's own sources in front."""
        return [*self.published(), *map(str, filter(None, map(parse_eastern, self.stamps())))]

    def stamps(self) -> list[str]:
        return self.first_text(self.STAMP_SELECTORS)

    def images(self) -> list[str]:
        """The release's image; the issuer's logo (GlobeNewswire's ``/news-release/logo/``,
        ``…_Logo.jpg``) is not one."""
        return [url for url in super().images() if "/logo/" not in url.lower()]

    def issuers(self) -> list[str]:
        return [*self.first_text(self.ISSUER_SELECTORS), *self.meta_values("author")]

    def is_site_page(self, article: Article) -> bool:
        """Whether this is one of the wire's release pages at all: its URL or canonical link is
        a release's, or the wire's own selectors found the release."""
        return self.ref is not None or self.layer == "site"

    def opens_with_dateline(self, text: str) -> bool:
        """Whether a text opens with the wire's dateline, the mark of its releases."""
        return split_wire_dateline(text, self.DATELINE)[0] is not None

    def problem(self, article: Article) -> str | None:
        """Why this page gives no trustworthy article: not the release asked for (a redirect,
        a canonical link naming another release), a notice or chrome for a body, a body from a
        generic layer with no mark of a release, or broken text. The surest reason first."""
        requested = self.known_id
        if requested and self.response.url.startswith(("http://", "https://")):
            landed = landed_elsewhere(requested, self.response.url, self.site.story_ref)
            if landed:
                return landed
        if requested:
            wrong = identity_problem(requested, self.urls(), None, self.site.story_ref)
            if wrong:
                return wrong
        paragraphs = article.body.split("\n\n") if article.body else []
        found = body_problem(paragraphs, article.dateline)
        if not found and self.layer in {"meta", "generic"}:
            if is_site_text(paragraphs, self.chrome_texts()):
                sample = " / ".join(paragraphs)[:120]
                return f"not a story: the body is the site's own text ({sample})"
            found = unvouched_fallback(
                article.title, article.dateline, article.body or "", self.opens_with_dateline
            )
        return found or text_problem(article)

    def to_article(self) -> Article:
        loader = ArticleLoader()
        ref = self.ref
        if ref:
            loader.add_value("id", f"{self.site.name}:{ref[0]}")
            loader.add_value("url", ref[1])
        loader.add_value("url", self.response.url)
        loader.add_value("fetched_from", self.response.url)
        loader.add_value("source", self.site.name)
        loader.add_value("crawled_at", self.crawled_at)
        loader.add_value("title", first_found(partial(self.first_text, self.TITLE_SELECTORS),
                                              self.titles, valid=clean_text))  # fmt: skip
        self.add_story(loader)
        times = [v for v in self.published_values() if parse_datetime(v)]
        loader.add_value("published_at", times)
        loader.add_value("published_text", [*self.stamps(), *times[:1]])
        loader.add_value("provider", self.site.provider)
        loader.add_value("summary", self.summaries())
        loader.add_value("image_url", self.images())
        loader.add_value("tags", self.tags())
        loader.add_value("category", self.categories())
        loader.add_value("language", self.languages())
        article: Article = loader.load_item()
        return article

    def add_story(self, loader: ArticleLoader) -> None:
        """The dateline, the body without furniture, the issuer (the site's own first), and
        the layer that gave the body (run health)."""
        source_line = None
        for layer, source in self.layer_texts():
            dateline, paragraphs, source_line = release_story(source() or "", self.DATELINE)
            if paragraphs:
                loader.add_value("dateline", dateline)
                loader.add_value("body", "\n\n".join(paragraphs))
                loader.add_value("body_layer", layer)
                self.layer = layer
                break
        loader.add_value("organization", [*self.issuers(), *filter(None, [source_line])])
