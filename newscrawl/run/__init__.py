"""The run's life, as named Scrapy components with one job each (plugged in by ``addon.py``).

A page from the response to the file: the spider yields an ``Article`` or a ``Reject``
(``items.py``); ``stages.py`` turns an invalid article into a reject and writes the rejects;
``health.py`` counts both; ``write.py`` claims the story in the seen store (``seen.py``,
``seen_sqlite.py``; Redis: ``newscrawl.distributed.seen``), links its cluster, and writes its
line once it has passed every stage; ``commit.py`` makes the file and the claims final
together; ``extension.py`` opens the run (``run.py``: the lock in ``lock.py``, the layout
in ``layout.py``, ``recovery.py``) and closes it, reporting it (``report.py``) in
``runs.jsonl`` (``files.py``). ``seen_filter.py`` keeps seen stories from being requested;
``feeds.py`` gives ``-o`` feeds the run's file; ``checks.py`` refuses bad settings up front.
"""
