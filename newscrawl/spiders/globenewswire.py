"""GlobenewswireSpider: globenewswire.com, by its site definition (``sites/globenewswire.py``)."""

from newscrawl.sites.globenewswire import GLOBENEWSWIRE
from newscrawl.spiders.base import SiteSpider


class GlobenewswireSpider(SiteSpider):
    """globenewswire.com: the newsroom listing and two RSS feeds, then only new releases."""

    site = GLOBENEWSWIRE
