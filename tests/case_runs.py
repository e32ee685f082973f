"""The shared cases (``../shared/data/cases/``, ``open-cases/``) in one crawl per spider.

Each case folder holds saved pages (or an archive) and ``expected.json``; its README says to
run it alone (``scrapy crawl SPIDER -a source=FOLDER -s NEWSCRAWL_STATE=``). Here every case of
one spider is copied, folder and all, into one source folder and crawled once, in process: a
page gives the same outcome whatever else the source holds (the run's state is in memory, and
no two cases share a story id), so each case is still checked by its own expected values,
field by field; the run's counts are checked as the cases' counts summed, and the rejects of a
case's saved pages by the folder they name.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.in_process import InProcessRun, crawl_here


@dataclass(frozen=True)
class Case:
    """One case folder: its expected articles, its run counts and the spider that reads it."""

    folder: Path
    articles: list[dict[str, Any]]
    counts: dict[str, int]
    spider: str = "menafn"
    no_rejects: bool = False

    @property
    def name(self) -> str:
        return self.folder.name

    @classmethod
    def read(cls, folder: Path) -> Case:
        """A case as its README defines ``expected.json``: one article, or ``{"articles",
        "run", "spider", "no_rejects"}``."""
        data: dict[str, Any] = json.loads((folder / "expected.json").read_text("utf-8"))
        if "articles" not in data:
            return cls(folder, [data], {"written": 1})
        counts, rejects = data.get("run", {}), data.get("no_rejects", False)
        return cls(folder, data["articles"], counts, data.get("spider", "menafn"), rejects)


@dataclass
class CasesRun:
    """The one crawl of several cases."""

    run: InProcessRun
    source: Path  # the folder of the cases' folders
    written: dict[str, dict[str, Any]]  # story id -> article

    def rejects_of(self, case: Case) -> list[dict[str, Any]]:
        """The rejects lines of ``case``'s saved pages (an archive's records name their URL)."""
        folder = (self.source / case.name).resolve().as_uri() + "/"
        return [r for r in self.run.rejects() if r["url"].startswith(folder)]


def crawl_cases(cases: list[Case], spider: str, tmp: Path) -> CasesRun:
    """Every case of ``spider`` in one offline crawl, its state in memory."""
    mine = [case for case in cases if case.spider == spider]
    ids = [article["id"] for case in mine for article in case.articles]
    assert len(ids) == len(set(ids)), "two cases share a story id: they need crawls of their own"
    source = tmp / "source"
    for case in mine:
        shutil.copytree(case.folder, source / case.name)
    run = crawl_here(tmp / "out", "-a", f"source={source}", state="", spider=spider)
    assert run.status == 0, run.stderr[-2000:]
    return CasesRun(run, source, {a["id"]: a for a in run.articles()})


def summed_counts(cases: list[Case]) -> dict[str, int]:
    """The run counts of one crawl of ``cases``: each count any case names, summed (a case
    that does not name a count adds none of it)."""
    names = {name for case in cases for name in case.counts}
    return {name: sum(case.counts.get(name, 0) for case in cases) for name in names}
