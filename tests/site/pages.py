"""HTML pages of the local MENAFN-like site: story pages, listings, error pages.

The story page follows the markup evidenced in the research notes (section 3): ids such as
`ContentPlaceHolder1_div_story`, `img#ImgNews`, `h1.main-entry-title`, `span.entry-date`.
Listing entries are `.entry-title > a`; their hrefs cycle through the link forms seen in the
wild (relative, `http://www.menafn.com/...?src=RSS`, `https://menafn.com/...?Social=on`,
absolute on this host with `?src=RSS`), while `div.img-wrapper > a` always holds the relative
`/<id>/<slug>` link.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from urllib.parse import urlencode

from .furniture import footer, head_scripts, navigation, style_block
from .stories import Story

PAGE_SIZE = 20
_DISCLAIMER = (
    '<p><b>Legal Disclaimer:</b><br/> <a href="https://menafn.com/">MENAFN</a> provides the '
    "information “as is” without warranty of any kind. We do not accept any responsibility or "
    "liability for the accuracy, content, images, videos, licenses, completeness, legality, or "
    "reliability of the information contained in this article. If you have any complaints or "
    "copyright issues related to this article, kindly contact the provider above.</p>"
)


# Site text on every page, outside any furniture element: a fallback extractor's bait.
_ABOUT = (
    '<div class="site-about"><p>MENAFN is a leading financial news and information provider for'
    " the Middle East and North Africa, delivering business news, press releases and market data"
    " to professionals since 2000.</p></div>"
)


def _date(story: Story) -> str:
    """The stamp as MENAFN prints it: naive, on its US-Eastern clock."""
    return f"{story.local_published:%Y-%m-%d %H:%M:%S}"


def _summary(story: Story, limit: int = 200) -> str:
    text = story.paragraphs[0]
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def _image_url(story: Story) -> str:
    path = story.image or "/updates/pr/Menafn_News_Images/local_media_248.jpg"
    return f"https://menafn.com{path}"


def _page(title: str, head_extra: str, main: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head_extra}\n{style_block()}\n{head_scripts()}\n"
        f'</head>\n<body>\n{navigation()}\n<div class="container main">\n{main}\n</div>\n'
        f"{_ABOUT}\n{footer()}\n</body>\n</html>\n"
    )


def _article_head(story: Story) -> str:
    summary = escape(_summary(story))
    title = escape(story.title)
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "datePublished": story.published.isoformat(),
            "url": story.canonical_url,
            "image": [_image_url(story)],
            "publisher": {"@type": "Organization", "name": "MENAFN"},
        },
        ensure_ascii=False,
    ).replace("</", "<\\/")
    return (
        f'<meta name="description" content="{summary}">\n'
        f'<meta name="keywords" content="{escape(", ".join(story.tags))}">\n'
        f'<link rel="canonical" href="{story.canonical_url}">\n'
        f'<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:description" content="{summary}">\n'
        f'<meta property="og:url" content="{story.canonical_url}">\n'
        f'<meta property="og:image" content="{_image_url(story)}">\n'
        f'<meta property="og:site_name" content="MENAFN">\n'
        f'<meta name="twitter:card" content="summary_large_image">\n'
        f'<meta name="twitter:title" content="{title}">\n'
        f'<script type="application/ld+json">{json_ld}</script>'
    )


def _share_links(story: Story) -> str:
    url = story.canonical_url
    targets = {
        "facebook": f"https://www.facebook.com/sharer/sharer.php?u={url}",
        "twitter": f"https://twitter.com/intent/tweet?url={url}",
        "linkedin": f"https://www.linkedin.com/shareArticle?mini=true&amp;url={url}",
        "whatsapp": f"https://api.whatsapp.com/send?text={url}",
    }
    return "".join(
        f'<a href="{href}" target="_blank" class="share-{name}" '
        f'rel="nofollow"><i class="fa fa-{name}"></i></a>'
        for name, href in targets.items()
    )


def _body(story: Story) -> str:
    paragraphs = [escape(p, quote=False) for p in story.paragraphs]
    paragraphs[0] = f"{escape(story.dateline)} {paragraphs[0]}"
    if story.provider and "KUNA" in story.provider and "(end)" not in story.body:
        paragraphs[-1] += " (end)"
        paragraphs.append("gta")
    paragraphs.append(story.tracking_id)
    return "\n".join(f"<p>{p}</p>" for p in paragraphs)


def _link_list(stories: Sequence[Story]) -> str:
    return "\n".join(f'<li><a href="{s.path}">{escape(s.title)}</a></li>' for s in stories)


def render_article(story: Story, market: Sequence[Story] = (), more: Sequence[Story] = ()) -> str:
    """A full story page (about 80 KB) with right-column 'Market Research'/'More Stories'."""
    title = escape(story.title)
    image = (
        (
            f'<a href="{_image_url(story)}" id="ContentPlaceHolder1_img_link">'
            f'<img id="ImgNews" class="img-responsive" alt="{title}" title="{title}" '
            f'src="{_image_url(story)}"/></a>'
        )
        if story.image
        else ""
    )
    provider = escape(story.provider or "MENAFN")
    logo = (
        f'<a id="ContentPlaceHolder1_a_logo_anchor" href="https://menafn.com/">'
        f'<img src="https://menafn.com/updates/provider/{provider.replace(" ", "_")}.jpg" '
        f'id="ContentPlaceHolder1_img_logo_anchor" alt="{provider}" '
        f'title="{provider}"/></a>'
    )
    tags = " ".join(f'<a href="/qn_tags.aspx?tag={escape(t)}">{escape(t)}</a>' for t in story.tags)
    main = f"""<div class='Style403' style='display:none'>403</div>
<div class="error-block" style="display:none"><h2>Sorry!!</h2>
<p>Error! We're sorry, but the page you were looking for doesn't exist.</p></div>
<div id="HiddenMainDiv" class="row">
<div id="ContentPlaceHolder1_div_story" class="col-sm-9">
{image}
<h1 class="main-entry-title classfont38">{title}</h1>
<p id="ContentPlaceHolder1_author_section"></p>
<div class="entry-blog-meta mt-0"><p class="author"><a href="#" rel="author">Date</a></p>
<span class="entry-date">{_date(story)}</span></div>
<div id="ContentPlaceHolder1_social_edg" class="share-links">{_share_links(story)}</div>
<div class="entry-summary tit" id="ContentPlaceHolder1_div_story_body">
{_body(story)}
</div>
{logo}
{_DISCLAIMER}
<div class="post-meta-info">
<p>Tags <span id="ContentPlaceHolder1_lbl_hashtags">{tags}</span></p>
<p>Comments <span class="leave-reply">No comment</span></p>
<p>Category <span id="ContentPlaceHolder1_lblb_cats">{escape(story.category or "")}</span></p>
<p>Date <time class="entry-date"><span id="ContentPlaceHolder1_lbl_date_story">{_date(story)}\
</span></time></p>
</div>
</div>
<div id="ContentPlaceHolder1_Rightcol" class="col-sm-3">
<h3 class="widget-title">Market Research</h3>
<ul class="popular-news-list">
{_link_list(market)}
</ul>
<h3 class="widget-title">More Stories</h3>
<ul class="popular-news-list more-stories">
{_link_list(more)}
</ul>
<h3 class="widget-title">Newsletter</h3><p>Get the latest news in your inbox.</p>
</div>
</div>"""
    return _page(f"{story.title} | MENAFN.COM", _article_head(story), main)


def _open_graph(story: Story) -> str:
    title, summary = escape(story.title), escape(_summary(story))
    return (
        f'<link rel="canonical" href="{story.canonical_url}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:description" content="{summary}">\n'
        f'<meta property="og:image" content="{_image_url(story)}">'
    )


def render_article_redesigned(story: Story, more: Sequence[Story] = ()) -> str:
    """A story page in a markup none of MENAFN's selectors know, without JSON-LD: the text is
    one `<div>` of lines separated by `<br><br>` (as on the redesign seen in the wild)."""
    lines = [escape(p, quote=False) for p in story.paragraphs]
    lines[0] = f"{escape(story.dateline)} {lines[0]}"
    lines.append(story.tracking_id)
    main = f"""<div class="page-cols">
<div class="col-main">
<div class="crumbs"><a href="/">Home</a> &rsaquo; <a href="/qn_news_sections.aspx">News</a></div>
<h1 class="headline">{escape(story.title)}</h1>
<div class="byline-row"><span class="date-published">{_date(story)}</span></div>
<div class="story-text">{"<br><br>".join(lines)}</div>
<div class="legal">{_DISCLAIMER}</div>
</div>
<div class="col-side"><h3>Most Read</h3><ul>{_link_list(more)}</ul></div>
</div>
<div class="bottom-note"><p>&copy; MENAFN 2025. All rights reserved.</p></div>"""
    return _page(f"{story.title} | MENAFN.COM", _open_graph(story), main)


def render_article_scripted(story: Story) -> str:
    """A story page whose story is not in the HTML: scripts fetch and render it."""
    main = f"""<div id="story-root" data-story="{story.id}"></div>
<script>fetch('/api/story/{story.id}').then(r => r.json()).then(renderStory);</script>
<noscript>Please enable JavaScript to read this story.</noscript>"""
    return _page(f"{story.title} | MENAFN.COM", _open_graph(story), main)


def render_notice(text: str = "This story is no longer available.") -> str:
    """A 200 page in MENAFN's markup whose story container holds a notice, not a story."""
    main = f"""<div id="HiddenMainDiv" class="row">
<div id="ContentPlaceHolder1_div_story" class="col-sm-9">
<h1 class="main-entry-title classfont38"></h1>
<div class="entry-summary tit" id="ContentPlaceHolder1_div_story_body"><p>{escape(text)}</p></div>
{_DISCLAIMER}
</div></div>"""
    return _page("MENAFN.COM", "", main)


def render_home(stories: Sequence[Story]) -> str:
    """The home page: headlines and teasers of the newest stories."""
    entries = "\n".join(
        f'<div class="news-item"><h3 class="entry-title"><a href="{s.path}">{escape(s.title)}'
        f'</a></h3><p class="entry-summary">{escape(_summary(s))}</p></div>'
        for s in stories[:PAGE_SIZE]
    )
    main = f'<h1 class="section-title">Latest News</h1>\n<div class="news-list">{entries}</div>'
    return _page("MENAFN - Middle East North Africa Financial Network", "", main)


def _entry_href(story: Story, position: int, base_url: str) -> str:
    variant = position % 6
    if variant == 3:
        return f"http://www.menafn.com/{story.id}/{story.slug}?src=RSS"
    if variant == 4:
        return f"https://menafn.com/{story.id}/{story.slug}?Social=on"
    if variant == 5:
        return f"{base_url}/{story.id}/{story.slug}?src=RSS"
    return story.path


def render_listing(
    heading: str,
    path: str,
    params: dict[str, str],
    stories: Sequence[Story],
    page: int,
    base_url: str,
) -> str:
    """One page of a listing; `stories` is the whole listing, newest first."""
    start = (page - 1) * PAGE_SIZE
    entries = []
    for position, story in enumerate(stories[start : start + PAGE_SIZE], start):
        href = escape(_entry_href(story, position, base_url))
        entries.append(
            f'<div class="col-sm-6 news-item">\n<div class="img-wrapper"><a href="'
            f'{story.path}"><img src="{_image_url(story)}" alt="{escape(story.title)}">'
            f'</a></div>\n<h3 class="entry-title"><a href="{href}">'
            f'{escape(story.title)}</a></h3>\n<span class="entry-date">'
            f'{_date(story)}</span>\n<p class="entry-summary">{escape(_summary(story))}</p>\n'
            "</div>"
        )

    def page_href(number: int) -> str:
        return escape(f"{path}?{urlencode({**params, 'page': str(number)})}")

    paging = []
    if page > 1:
        paging.append(f'<a class="prev" href="{page_href(page - 1)}">Previous</a>')
    if start + PAGE_SIZE < len(stories):
        paging.append(f'<a class="next" href="{page_href(page + 1)}">Next</a>')
    main = (
        f'<h1 class="section-title">{escape(heading)}</h1>\n<div class="row news-list">\n'
        + "\n".join(entries)
        + f'\n</div>\n<div class="pagination">{"".join(paging)}</div>'
    )
    return _page(f"{heading} | MENAFN.COM", '<meta name="robots" content="index,follow">', main)


def render_error(status: int, message: str = "") -> str:
    """A small error page (not a full page: errors are cheap)."""
    text = message or "Error! We're sorry, but the page you were looking for doesn't exist."
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{status}'
        f"</title></head>\n<body><div class='Style403'>{status}</div><h2>Sorry!!</h2>"
        f"<p>{escape(text)}</p></body></html>\n"
    )
