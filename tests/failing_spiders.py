"""A MENAFN spider whose parser breaks on chosen pages, for ``tests/test_offline_pool.py``:
one page makes the parser raise (a bug of ours), one kills the worker process parsing it (what
a crash in a C library or the kernel's OOM killer does). Loaded with
``-s SPIDER_MODULES=tests.failing_spiders``."""

from __future__ import annotations

import multiprocessing
import os
import signal

from scrapy.http import TextResponse

from newscrawl.sites.menafn.page import MenafnPage
from newscrawl.sites.menafn.urls import Ref
from newscrawl.spiders.menafn import MenafnSpider
from tests.site import synthetic_stories

STORIES = synthetic_stories(30)
RAISES = str(STORIES[17].id)  # its parser raises, in any process
KILLS = str(STORIES[3].id)  # its worker process dies (never the crawler's own process)


class FailingMenafnSpider(MenafnSpider):
    def html_page(self, response: TextResponse, ref: Ref | None) -> MenafnPage:
        story_id = ref[0] if ref else ""
        if story_id == KILLS and multiprocessing.parent_process() is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        if story_id == RAISES:
            raise RuntimeError("the parser broke")
        return super().html_page(response, ref)
