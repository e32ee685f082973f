"""MENAFN (menafn.com): the site definition; its URL rules, story rules and page classes are
the modules beside it."""

from newscrawl.dates import zone
from newscrawl.site import Site
from newscrawl.sites.menafn.api import api_records
from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.sites.menafn.text import MenafnTextPage
from newscrawl.sites.menafn.urls import ROOT, canonical_url, saved_page_ref, story_path, story_ref

MENAFN = Site(
    name="menafn",
    label="MENAFN",
    provider="MENAFN",
    root=ROOT,
    hosts=frozenset({"menafn.com", "www.menafn.com"}),
    story_ref=story_ref,
    saved_ref=saved_page_ref,
    id_digits=9,  # story ids have 9 to 12 digits
    # Naive stamps are US Eastern (menafn-clock.md); the MENAFN_TIMEZONE setting may say other.
    clock=zone("America/New_York"),
    clock_setting="MENAFN_TIMEZONE",
    page=MenafnPage,
    text_page=MenafnTextPage,
    story_path=story_path,
    canonical=canonical_url,
    # The section listings, newest stories first (menafn-site notes §2a); no feed is known to
    # work (wire-services.md §3.4): NEWSCRAWL_FEED_PATHS adds one, or the mobile API.
    listings=(
        "/tb_news.aspx?tb_html=tb_us&tb_title=United%20States%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_europe&tb_title=Europe%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_arab&tb_title=Arab%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_asia&tb_title=Asia%20-%20Latest%20News",
        "/tb_news.aspx?tb_html=tb_politics&tb_title=Politics%20-%20Latest%20News",
        "/qn_news_sections.aspx?src=s",
    ),
    json_feed=api_records,
)
