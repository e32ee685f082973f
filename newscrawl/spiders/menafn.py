"""MenafnSpider: menafn.com, by its site definition (``newscrawl/sites/menafn/``)."""

from newscrawl.sites.menafn import MENAFN
from newscrawl.spiders.base import SiteSpider


class MenafnSpider(SiteSpider):
    """menafn.com: section listings (and optional feeds), then only never-seen stories."""

    site = MENAFN
