"""Page furniture shared by every page: styles, navigation, scripts and footer.

Built once; it gives pages the weight of the real site (an article is about 75 KB).

>>> 20_000 < len(style_block()) < 40_000
True
"""

from __future__ import annotations

import json
from functools import cache
from html import escape

from .stories import SECTIONS

_COUNTRY_CODES = (
    "SA",
    "AE",
    "BH",
    "QA",
    "KW",
    "JO",
    "OM",
    "EG",
    "LB",
    "IQ",
    "PS",
    "SY",
    "TN",
    "DZ",
    "MA",
    "YE",
    "US",
    "GB",
    "DE",
    "FR",
    "IN",
    "CN",
    "JP",
    "TR",
)
_MENU = {
    "News": [
        "Business",
        "Economy",
        "Politics",
        "Technology",
        "Energy",
        "Banking",
        "Stocks",
        "Commodities",
        "Real Estate",
        "Travel",
        "Healthcare",
        "Sports",
        "Entertainment",
    ],
    "Markets": [
        "Market Research",
        "Stocks Quotes",
        "Currency Converter",
        "Commodities",
        "Indices",
        "Funds",
        "Bonds",
        "Forex",
        "Crypto",
    ],
    "Press Releases": ["Latest", "Business", "Technology", "Healthcare", "Submit a Release"],
    "Research": ["Latest Research", "Company Reports", "Country Reports", "Sector Reports"],
    "Events": ["Calendar", "Conferences", "Exhibitions", "Webinars"],
}


@cache
def style_block() -> str:
    """A large inline stylesheet, like the site's bundled CSS."""
    rules = [
        ":root{--menafn-blue:#003a70;--menafn-red:#c8102e;--gap:12px}",
        "body{font-family:Arial,Helvetica,sans-serif;margin:0;color:#222}",
    ]
    for i in range(200):
        rules.append(
            f".m-{i},.menafn-block-{i} > .inner{{margin:{i % 17}px {i % 11}px;padding:{i % 7}px;"
            f"color:#{(i * 2654435761) % 0xFFFFFF:06x};border-bottom:1px solid #e{i % 10}e{i % 10}e"
            f"{i % 10};font-size:{12 + i % 9}px}}"
        )
    rules.append(".Style403{font-size:120px;color:#c8102e;text-align:center}")
    return '<style type="text/css">\n' + "\n".join(rules) + "\n</style>"


@cache
def head_scripts() -> str:
    """Tag-manager and ad-slot configuration scripts (inert here)."""
    slots = [
        {
            "slot": f"/21709587/menafn_{name}_{i}",
            "sizes": [[728, 90], [300, 250]],
            "targeting": {"pos": i, "section": name, "lang": "en"},
        }
        for name in ("home", "story", "listing", "pr", "market")
        for i in range(24)
    ]
    config = json.dumps({"adSlots": slots, "lazyLoad": True, "refresh": 60}, indent=1)
    return (
        '<script type="text/javascript">\nwindow.dataLayer = window.dataLayer || [];\n'
        "function gtag(){dataLayer.push(arguments);}\ngtag('js', new Date());\n"
        "gtag('config', 'G-MENAFN0000');\n</script>\n"
        f'<script type="text/javascript">\nvar menafnAdConfig = {config};\n'
        "function menafnDefineSlots(cfg){ for (var i = 0; i < cfg.adSlots.length; i++) {"
        " var s = cfg.adSlots[i]; if (!s) { continue; } } }\n"
        "menafnDefineSlots(menafnAdConfig);\n</script>"
    )


@cache
def navigation() -> str:
    """Top bar and mega menu, with the section listings and country pages."""
    items = []
    for key, name in SECTIONS.items():
        items.append(
            f'<li><a href="/tb_news.aspx?tb_html={key}&amp;tb_title='
            f'{escape(name).replace(" ", "%20")}%20-%20Latest%20News">{name}</a></li>'
        )
    items.append('<li><a href="/qn_news_sections.aspx?src=s">All Sections</a></li>')
    for code in _COUNTRY_CODES:
        items.append(
            f'<li><a href="/qn_country.aspx?country={code}&amp;src=header">{code}</a></li>'
        )
    for group, entries in _MENU.items():
        sub = "".join(
            f'<li class="dropdown-item"><a href="/qn_{group[:4].lower()}.aspx?'
            f'sub={escape(e).replace(" ", "+")}" title="{escape(e)} - MENAFN">'
            f"{escape(e)}</a></li>"
            for e in entries
        )
        items.append(
            f'<li class="dropdown"><a class="dropdown-toggle" href="#">{group}'
            f'</a><ul class="dropdown-menu mega">{sub}</ul></li>'
        )
    return (
        '<header class="site-header"><div class="top-bar"><span class="banner-date">'
        'Tuesday, 02 January 2024 12:17 GMT</span> <a href="/ar/" lang="ar">عربي</a> '
        '<a href="/login.aspx">Login</a></div>\n<nav class="navbar navbar-default">'
        '<a class="navbar-brand" href="/"><img src="https://menafn.com/images/logo.png" '
        'alt="MENAFN"></a>\n<ul class="nav navbar-nav">' + "\n".join(items) + "</ul></nav>"
        "</header>"
    )


@cache
def footer() -> str:
    """Footer with link columns, newsletter form and the tracking/consent scripts."""
    columns = []
    for group, entries in _MENU.items():
        links = "".join(
            f'<li><a href="/footer/{group[:3].lower()}/{i}">{escape(e)}</a></li>'
            for i, e in enumerate(entries)
        )
        columns.append(f'<div class="col-md-2"><h4>{group}</h4><ul>{links}</ul></div>')
    consent = "\n".join(
        f"  consent.register('vendor_{i}', {{purposes: [1, 2, {i % 10}], "
        f"legitimateInterest: {str(i % 2 == 0).lower()}}});"
        for i in range(120)
    )
    return (
        '<footer class="site-footer"><div class="row">' + "".join(columns) + "</div>\n"
        '<form class="newsletter" action="/newsletter.aspx" method="post">'
        '<label>Newsletter</label><input type="email" name="email"></form>\n'
        '<p class="copyright">Copyright © 1996-2025 MENAFN. All rights reserved.</p>'
        '</footer>\n<script type="text/javascript">\n(function(consent){\n'
        + consent
        + "\n})(window.menafnConsent || {register: function(){}});\n</script>"
    )
