"""A MENAFN spider whose parser breaks on chosen pages, for ``tests/test_offline_pool.py``:
one page makes the parser raise (a bug of ours), one kills the worker process parsing it (what
a crash in a C library or the kernel's OOM killer does). Loaded with
``-s SPIDER_MODULES=tests.failing_spiders``; its site is MENAFN's with this page class, which
the worker processes are given like any site's. And one whose ``start()`` raises."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

from scrapy.http import TextResponse

from newscrawl.site import Ref, Site
from newscrawl.sites.menafn import MENAFN
from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.spiders.base import SiteSpider
from tests.site import synthetic_stories

STORIES = synthetic_stories(30)
RAISES = str(STORIES[17].id)  # its parser raises, in any process
KILLS = str(STORIES[3].id)  # its worker process dies (never the crawler's own process)


class FailingMenafnPage(MenafnPage):
    def __init__(self, response: TextResponse, crawled_at: str, ref: Ref | None, site: Site):
        story_id = ref[0] if ref else ""
        if story_id == KILLS and multiprocessing.parent_process() is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        if story_id == RAISES:
            raise RuntimeError("the parser broke")
        super().__init__(response, crawled_at, ref, site)


class FailingMenafnSpider(SiteSpider):
    site = replace(MENAFN, page=FailingMenafnPage)


class StartFailingSpider(SiteSpider):
    """MENAFN's spider whose ``start()`` raises before it gives anything (a bug of ours)."""

    site = MENAFN
    name = "menafn_start_fails"

    async def start(self) -> AsyncIterator[Any]:
        raise RuntimeError("start() broke")
        yield  # an async generator, as Scrapy's start() is
