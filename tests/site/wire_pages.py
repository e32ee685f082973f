"""Pages of the local wire sites: release pages made from the real saved pages, listings, feeds.

A release page is the real page in `tests/fixtures/<wire>/` (GlobeNewswire's 2016 Segment
release, PR Newswire's HackerRank release) with the release's own values put where the wire
puts them: title, stamps, issuer, canonical link, JSON-LD, body (with the wire's furniture:
contact blocks, `SOURCE` line, tracking pixel), and its links to other releases pointed at
other releases of the site. Listings follow the markup scrapers of these sites read
(GlobeNewswire's newsroom `li.row .mainLink a`, PR Newswire's `.arabiclistingcards` cards and
`ul.pagination`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from typing import cast

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from newscrawl.sites.globenewswire import globenewswire_ref
from newscrawl.sites.prnewswire import prnewswire_ref

from .release_meta import OWN_VALUES, description, summary
from .releases import HOSTS, Release, slugify

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TEMPLATES = {
    "globenewswire": FIXTURES / "globenewswire" / "marketwired-segment-2016" / "page.html",
    "prnewswire": FIXTURES / "prnewswire" / "hackerrank-2016" / "page.html",
}
NAMES = {"globenewswire": "GlobeNewswire", "prnewswire": "PR Newswire"}
RULES = {"globenewswire": globenewswire_ref, "prnewswire": prnewswire_ref}


@functools.cache
def template(wire: str) -> bytes:
    return TEMPLATES[wire].read_bytes()


def select(root: HtmlElement, query: str) -> list[HtmlElement]:
    """The elements a CSS query matches; the template must have them (a changed fixture
    fails here, not in a crawl)."""
    found = cast("list[HtmlElement]", CSSSelector(query, translator="html")(root))  # CSS: elements
    if not found:
        raise LookupError(f"{query!r} not in the template")
    return found


def set_content(root: HtmlElement, query: str, value: str, attribute: str = "content") -> None:
    for element in select(root, query):
        element.set(attribute, value)


def set_text(element: HtmlElement, text: str) -> None:
    """Replace an element's text, keeping its attributes (and dropping its children)."""
    for child in list(element):
        element.remove(child)
    element.text = text


def fill(container: HtmlElement, html: str) -> None:
    """Replace a container's content with the elements of an HTML fragment."""
    set_text(container, "\n")
    for element in lxml.html.fragments_fromstring(html):
        container.append(element)


def contact(release: Release) -> str:
    name = release.organization.split()[0].lower()
    return (
        f"<p><b>MEDIA CONTACT:<br></b>Jo Rivera<br>Harbor Lane PR<br>"
        f'<a href="mailto:{name}@harborlane.example">{name}@harborlane.example</a><br>'
        f"+1 212-555-{int(release.id) % 10000:04d}</p>"
    )


def story_paragraphs(release: Release) -> str:
    """The release's paragraphs after the first, its About heading marked as the wires do."""
    parts = []
    for paragraph in release.paragraphs[1:]:
        about = paragraph.startswith("About ") and len(paragraph.split()) <= 8
        parts.append(
            f"<p><b>{escape(paragraph)}</b></p>" if about else f"<p>{escape(paragraph)}</p>"
        )
    return "".join(parts)


# -- GlobeNewswire ---------------------------------------------------------------------------
def globenewswire_body(release: Release) -> str:
    local, lead = release.local, escape(release.paragraphs[0])
    if release.style == "marketwired":
        first = (
            f'<p><span class="mw_region">{escape(release.city)}</span>'
            f"<span>--(Marketwired - {local:%B %d, %Y}) - </span>{lead}</p>"
        )
    else:
        first = f"<p>{escape(release.dateline)} {lead}</p>"
    return f"{first}{story_paragraphs(release)}<p>Contact Information: </p>{contact(release)}"


def fill_globenewswire(root: HtmlElement, release: Release) -> None:
    utc, local = release.published, release.local
    set_text(select(root, "h1.article-headline")[0], release.title)
    (time,) = select(root, "span.article-published time")
    time.set("datetime", f"{utc:%Y-%m-%dT%H:%M:%SZ}")
    time.text = f"{local:%B %d, %Y %H:%M} ET"
    (issuer,) = select(root, "span.article-source a")
    issuer.text = release.organization
    issuer.set("href", f"/en/search/organization/{slugify(release.organization)}")
    us_day = f"{utc.month}/{utc.day}/{utc.year}"
    set_content(root, "meta[property='og:article:published_time']",
                f"{us_day} {int(utc.strftime('%I'))}:{utc:%M:%S %p}")  # fmt: skip
    set_content(root, "meta[name='DC.date.issued']", us_day)
    set_content(root, "meta[name=keywords]", release.organization)
    fill(select(root, "#main-body-container")[0], globenewswire_body(release))
    json_ld = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "id": release.canonical_url},
        "Headline": release.title, "DatePublished": us_day, "DateModified": us_day,
        "inLanguage": "en", "author": {"@type": "Person", "name": release.organization},
        "Description": summary(release),
    }  # fmt: skip
    select(root, "script[type='application/ld+json']")[0].text = json.dumps(json_ld)


# -- PR Newswire -----------------------------------------------------------------------------
def prnewswire_body(release: Release) -> str:
    local = release.local
    mark = "/CNW/ -" if release.style == "cnw" else "/PRNewswire/ --"
    first = (
        f'<p><span class="xn-location">{escape(release.city)}</span>, <span class="xn-chron">'
        f"{local:%B} {local.day}, {local.year}</span> {mark} {escape(release.paragraphs[0])}</p>"
    )
    return (
        f"{first}{story_paragraphs(release)}{contact(release)}"
        f"<p>View original content:{release.canonical_url}</p>"
        f"<p>SOURCE {escape(release.organization)}</p>"
        f'<img alt="" src="https://rt.prnewswire.com/rt.gif?NewsItemId={release.id}&amp;'
        f'Transmission_Id={local:%Y%m%d%H%M}&amp;DateId={local:%Y%m%d}" style="border:0px;">'
    )


def fill_prnewswire(root: HtmlElement, release: Release) -> None:
    local = release.local
    set_text(select(root, "header.release-header h1")[0], release.title)
    set_text(select(root, "header.release-header p.subtitle")[0], summary(release))
    set_text(select(root, "p.mb-no")[0], f"{local:%d %b, %Y, %H:%M} ET")
    (issuer,) = select(root, "header.release-header a[href*='/news/']")
    issuer.set("href", f"https://www.prnewswire.com/news/{slugify(release.organization).lower()}/")
    set_text(select(issuer, "strong")[0], release.organization)
    set_content(root, "meta[name=date]", local.isoformat())
    fill(select(root, "section.release-body div.col-sm-10")[0], prnewswire_body(release))
    json_ld = {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "mainEntityOfPage": {"@id": release.canonical_url}, "headline": release.title,
        "datePublished": local.isoformat(),
        "dateModified": (local + timedelta(days=2, hours=3)).isoformat(),  # a later edit
        "description": f"/PRNewswire/ -- {summary(release)}",
    }  # fmt: skip
    select(root, "script[type='application/ld+json']")[0].text = json.dumps(json_ld)


FILL: dict[str, Callable[[HtmlElement, Release], None]] = {
    "globenewswire": fill_globenewswire,
    "prnewswire": fill_prnewswire,
}


def relink(root: HtmlElement, release: Release, others: Sequence[Release]) -> None:
    """Links to the template's own release go to this release (keeping a language prefix or
    fragment); links to other releases go to other releases of the site."""
    rule = RULES[release.wire]
    own = rule(select(root, "link[rel=canonical]")[0].get("href"))
    for n, anchor in enumerate(root.iter("a")):
        href = anchor.get("href") or ""
        found = rule(href)
        if found is None:
            continue
        if own and found[0] == own[0]:
            anchor.set("href", href.replace(own[1], release.path))
        elif others:
            anchor.set("href", others[n % len(others)].canonical_url)


def render_release(release: Release, others: Sequence[Release] = ()) -> str:
    """The release page in the wire's real markup."""
    root = lxml.html.document_fromstring(template(release.wire))
    old_path = (RULES[release.wire](select(root, "link[rel=canonical]")[0].get("href")) or "")[1]
    relink(root, release, others)
    set_text(select(root, "title")[0], release.title)
    set_content(root, "link[rel=canonical]", release.canonical_url, "href")
    set_content(root, "meta[property='og:url']", release.canonical_url)
    set_content(root, "meta[property='og:title']", release.title)
    set_content(root, "meta[name=description]", description(release))
    set_content(root, "meta[property='og:description']", description(release))
    set_content(root, "meta[name=author]", release.organization)
    values = {"description": description(release), "title": release.title,
              "organization": release.organization}  # fmt: skip
    for query, attribute, name in OWN_VALUES[release.wire]:
        set_content(root, query, values[name], attribute)
    FILL[release.wire](root, release)
    page: str = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    return page.replace(old_path, release.path)  # the URL in scripts and hidden fields


def render_release_redesigned(release: Release) -> str:
    """The release after a redesign: none of the wire's selectors, no JSON-LD; the text is
    marked as schema.org ``articleBody``."""
    first = f"<p>{escape(release.dateline)} {escape(release.paragraphs[0])}</p>"
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(release.title)} | {NAMES[release.wire]}</title>"
        f'<meta property="og:title" content="{escape(release.title)}">'
        f'<meta name="author" content="{escape(release.organization)}">'
        f'<link rel="canonical" href="{release.canonical_url}">'
        f'<meta name="date" content="{release.local.isoformat()}"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/rss/">RSS</a></nav><main class="release-2026">'
        f'<h1 class="headline-2026">{escape(release.title)}</h1><div itemprop="articleBody">'
        f"{first}{story_paragraphs(release)}{contact(release)}</div></main>"
        f"<footer><p>© 2026 {NAMES[release.wire]}. All rights reserved.</p></footer>"
        f"</body></html>\n"
    )


# -- listings and feeds ----------------------------------------------------------------------
def pages_nav(links: list[tuple[int, str]], extra: str = "") -> str:
    items = "".join(f'<li><a href="{escape(href)}">{n}</a></li>' for n, href in links)
    return f"{items}{extra}"


def render_newsroom(releases: Sequence[Release], pages: int) -> str:
    """GlobeNewswire's newsroom: one page of releases, newest first, and numbered pages."""
    items = "".join(
        f'<li class="row"><div class="pagging-list-item-text-container"><div class="mainLink">'
        f'<a href="{r.path}" title="{escape(r.title)}">{escape(r.title)}</a></div>'
        f'<div class="dataSource"><span>{r.local:%B %d, %Y %H:%M} ET</span> | Source: '
        f'<a href="/en/search/organization/{slugify(r.organization)}">'
        f"{escape(r.organization)}</a></div></div></li>"
        for r in releases
    )
    nav = pages_nav([(n, f"/newsroom?page={n}") for n in range(1, pages + 1)])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><title>Newsroom | GlobeNewswire</title></head>'
        '<body><nav><a href="/">Home</a> <a href="/rss/list">RSS feeds</a></nav>'
        f'<ul class="newsroom-list">{items}</ul>'
        f'<div class="pagination"><ul>{nav}</ul></div></body></html>\n'
    )


def render_release_list(releases: Sequence[Release], page: int, pages: int, size: int) -> str:
    """PR Newswire's list of all releases: cards, and ``ul.pagination`` ending in a next link."""
    cards = "".join(
        f'<div class="row newsCards arabiclistingcards"><div class="card col-view">'
        f'<a class="newsreleaseconsolidatelink display-outline" href="{r.path}">'
        f"<h3><small>{r.local:%H:%M} ET</small>{escape(r.title)}</h3>"
        f'<p class="remove-outline">{escape(summary(r))}</p></a></div></div>'
        for r in releases
    )
    query = "?page={}&pagesize=" + str(size)
    following = f'<li><a href="{query.format(page + 1)}" aria-label="Next">»</a></li>'
    nav = pages_nav(
        [(n, query.format(n)) for n in range(1, pages + 1)], following if page < pages else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><title>News Releases | PR Newswire</title>'
        f'</head><body><div class="container">{cards}</div>'
        f'<nav><ul class="pagination">{nav}</ul></nav></body></html>\n'
    )


def render_feed(wire: str, releases: Sequence[Release]) -> str:
    """An RSS 2.0 feed of the newest releases (links on the wire's own host)."""
    items = "".join(
        f'<item><guid isPermaLink="false">{r.id}</guid><link>{r.canonical_url}</link>'
        f"<title>{escape(r.title)}</title><pubDate>{format_datetime(r.published, True)}"
        f"</pubDate><dc:creator>{escape(r.organization)}</dc:creator></item>"
        for r in releases
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>{NAMES[wire]} - News Releases</title><link>https://{HOSTS[wire]}/</link>"
        f"{items}</channel></rss>\n"
    )


def render_not_found(wire: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html><head><title>Page not found | {NAMES[wire]}</title></head>"
        "<body><h1>Page not found</h1><p>The page you requested could not be found.</p>"
        "</body></html>\n"
    )
