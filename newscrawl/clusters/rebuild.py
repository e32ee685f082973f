"""Refill a cluster index from the articles already written (no page is fetched again).

The runs listed in each source's ``runs.jsonl`` are read in the order they started (runs of
several spiders sharing a state interleave by their start time), their articles in file order;
each article is assigned a cluster as a run would assign it (``place``), under its own run, so
a later roll-back still finds its rows; a story written again by a later run (a re-extraction)
keeps the cluster it got first, as the re-extraction kept it (``kept_cluster``). What the index
now says may differ from the ``cluster_id`` an article was written with (the new scheme no
longer links two templated stories, or links a copy the old one missed): such articles are
counted, never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from newscrawl.clusters import ClusterIndex, fingerprint, place, story_text
from newscrawl.clusters.scheme import SCHEME

MANIFEST = "runs.jsonl"


@dataclass
class Rebuilt:
    """What a rebuild read and found."""

    runs: int = 0
    articles: int = 0
    linked: int = 0  # articles that joined an earlier article's story
    changed: int = 0  # articles whose cluster now differs from the one written
    sources: set[str] = field(default_factory=set)

    def summary(self) -> str:
        """One line for the user.

        >>> Rebuilt(2, 10, 3, 1, {"menafn"}).summary()  # doctest: +ELLIPSIS
        'cluster index rebuilt (v2: ...): 10 articles of 2 runs (menafn), 3 linked to an ...'
        """
        return (
            f"cluster index rebuilt ({SCHEME}): {self.articles} articles of {self.runs} runs "
            f"({', '.join(sorted(self.sources)) or 'none'}), {self.linked} linked to an earlier "
            f"story; {self.changed} written with another cluster_id than the new index gives"
        )


def source_folders(output_dir: Path) -> list[Path]:
    """The source folders of an output folder: those with a ``runs.jsonl``."""
    return sorted(path.parent for path in output_dir.glob(f"*/{MANIFEST}"))


def listed_runs(output_dir: Path) -> list[tuple[str, str, Path]]:
    """``(started_at, run key, articles file)`` of every run listed in the output folder,
    oldest first. Raises ``ValueError`` naming a listed file that is missing."""
    found = []
    for folder in source_folders(output_dir):
        for line in (folder / MANIFEST).read_bytes().splitlines():
            if not line.strip():
                continue
            record = orjson.loads(line)
            path = output_dir / record["file"]
            if not path.is_file():
                raise ValueError(f"{folder / MANIFEST} lists {record['file']}, which is missing")
            found.append((record["started_at"], f"{folder.name}/{record['run']}", path))
    return sorted(found)


def articles(path: Path) -> Iterator[dict[str, Any]]:
    """The articles of one run's JSON lines file, in the order written; ``ValueError`` names
    the file and line of one that is not a JSON object."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                article = orjson.loads(line)
            except orjson.JSONDecodeError:
                article = None
            if not isinstance(article, dict) or "id" not in article or "body" not in article:
                raise ValueError(f"{path}:{number}: not an article line")
            yield article


def refill(index: ClusterIndex, runs: list[tuple[str, str, Path]]) -> Rebuilt:
    """Assign the articles of ``runs`` (``listed_runs``, read before anything is emptied) to
    ``index`` (emptied by the caller), in order; the caller records ``SCHEME`` after."""
    rebuilt = Rebuilt()
    for _, run, path in runs:
        rebuilt.runs += 1
        rebuilt.sources.add(run.split("/", 1)[0])
        for article in articles(path):
            found = fingerprint(story_text(article.get("dateline"), article["body"]))
            cluster = index.story_cluster(article["id"])  # re-extracted: it keeps its cluster
            if cluster is None:
                cluster = place(index, article["id"], found, run) if found else article["id"]
            rebuilt.articles += 1
            rebuilt.linked += cluster != article["id"]
            rebuilt.changed += cluster != article.get("cluster_id", article["id"])
    return rebuilt
