"""Run: what one run's components share (its name, folder, seen store and files, its failures),
and opening it: lock, layout, recovery and a name, before anything else is written."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from scrapy.crawler import Crawler

from newscrawl.run.files import (
    RUN_STAMP,
    JsonLinesPart,
    PartFile,
    listed_runs,
    make_folder,
    run_name,
)
from newscrawl.run.layout import MANIFEST, articles_file, migrate, rejects_file, state_file
from newscrawl.run.lock import StateLock
from newscrawl.run.recovery import recover_runs
from newscrawl.run.seen import STARTED, SeenStore, open_store

logger = logging.getLogger(__name__)

SOURCE_NAME = re.compile(r"[a-z0-9_]+")  # a spider name names a folder: no "..", no "/"


class ArchivePart(Protocol):
    """A file the run keeps beside its articles (the WARC archive, ``archive.py``): finished
    (fsynced, renamed) before the article file, removed with a run rolled back."""

    file: PartFile

    def finish(self) -> bool: ...
    def abandon(self) -> None: ...


@dataclass
class Run:
    """One run, as its components share it. ``state`` follows the commit protocol
    (``commit.py``); ``failures`` make the run exit 1 and are named in ``runs.jsonl``."""

    source: str
    folder: Path
    name: str
    started: datetime
    store: SeenStore
    lock: StateLock | None
    articles: JsonLinesPart = field(init=False)
    rejects: JsonLinesPart = field(init=False)
    archive: ArchivePart | None = None
    failures: list[str] = field(default_factory=list)
    # The stories written before that a re-extraction claimed again and that are still on their
    # way through the item pipelines (so its memory stays flat): id -> the run that wrote it.
    rewriting: dict[str, str] = field(default_factory=dict)
    state: str = STARTED

    def __post_init__(self) -> None:
        self.articles = JsonLinesPart(articles_file(self.folder, self.name))
        self.rejects = JsonLinesPart(rejects_file(self.folder, self.name))

    @property
    def key(self) -> str:
        """The run as the seen store names it: ``menafn/20261128T031202Z``."""
        return f"{self.source}/{self.name}"

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST

    def fail(self, why: str) -> None:
        """Record a failure of the run (exit status 1, ``failures`` in ``runs.jsonl``)."""
        self.failures.append(why)

    def output_failed(self, error: Exception, what: str = "output") -> None:
        """A run file (or the state: ``what``) could not be written: the run fails, said once
        per error. The crawl goes on (a disk may get space again; closing a spider mid-item
        can hang Scrapy 2.19 when the items come from ``start()``): what is written whole is
        still committed."""
        why = f"{what} could not be written: {error}"
        if why not in self.failures:
            logger.error("%s", why)
            self.fail(why)

    def add_archive(self, part: ArchivePart) -> None:
        """Register the run's WARC part with the commit protocol."""
        self.archive = part

    def close(self) -> None:
        """Close the store and give the lock back: the end of the run."""
        self.store.close()
        if self.lock is not None:
            self.lock.release()


def open_run(crawler: Crawler) -> Run:
    """Open the run of ``crawler``'s spider: a shared store reached first, then the lock
    (``StateLocked``), the folder moved out of the 0.1 layout, the spider's unfinished runs
    settled (``recovery.py``) and the run recorded as ``started`` under a free name.
    Raises OSError when the output or the state cannot be written."""
    source = crawler.spidercls.name
    if not SOURCE_NAME.fullmatch(source):
        raise ValueError(f"spider name {source!r} cannot name an output folder")
    output = Path(crawler.settings["NEWSCRAWL_OUTPUT_DIR"])
    folder = output / source
    state_path = state_file(output, crawler.settings.get("NEWSCRAWL_STATE"))
    shared = bool(crawler.settings.get("NEWSCRAWL_REDIS_URL"))
    store = open_store(crawler, folder, state_path) if shared else None  # unreachable: no write
    lock = StateLock(state_path, source) if state_path else None
    if lock is not None:
        lock.acquire()
    try:
        make_folder(folder)
        migrate(folder)  # a 0.1 folder's files first: its runs' names and recovery need them
        store = store or open_store(crawler, folder, state_path)
        recover_runs(store, source, folder)
        with (folder / MANIFEST).open("ab"):  # it must take the run's line: else fail now
            pass
        started = datetime.now(UTC).replace(microsecond=0)
        name = begin_run(store, folder, source, started)
    except BaseException:
        if store is not None:
            store.close()
        if lock is not None:
            lock.release()
        raise
    return Run(source, folder, name, started, store, lock)


def begin_run(store: SeenStore, folder: Path, source: str, started: datetime) -> str:
    """Record a new run of ``source`` as ``started`` under the first free name (files, the
    store's runs and ``runs.jsonl`` all count); its name."""
    known = store.run_names(source) | listed_runs(folder / MANIFEST, started.strftime(RUN_STAMP))
    while True:
        name = run_name(folder, started, known)
        # The absolute final name: a state shared by several output folders can find it.
        if store.begin_run(f"{source}/{name}", str(articles_file(folder, name).resolve())):
            return name
        known.add(name)  # another worker took the name a moment ago
