"""PrnewswireSpider: prnewswire.com, by its site definition (``sites/prnewswire.py``)."""

from newscrawl.sites.prnewswire import PRNEWSWIRE
from newscrawl.spiders.base import SiteSpider


class PrnewswireSpider(SiteSpider):
    """prnewswire.com: the news release list and its RSS feed, then only new releases."""

    site = PRNEWSWIRE
