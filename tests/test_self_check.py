"""Articles that check themselves, end to end: a crawl of releases whose metadata contradicts
the printed stamp or the text's language writes the printed stamp's time and the text's
language, and its `health` counts each contradiction (issue 16, point 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES
from tests.in_process import crawl_here

CASES = ("metadata-midnight-placeholder", "metadata-zone-read-as-utc", "spanish-release")


def test_contradicting_metadata_loses_to_the_page_and_is_counted(tmp_path: Path) -> None:
    source = tmp_path / "pages"
    source.mkdir()
    for case in CASES:
        shutil.copy(FIXTURES.parent / "prnewswire" / case / "page.html", source / f"{case}.html")
    run = crawl_here(tmp_path / "out", "-a", f"source={source}", state="", spider="prnewswire")
    assert run.status == 0, run.stderr[-2000:]
    written = {a["id"]: a for a in run.articles()}  # each checked against itself on reading
    assert written["prnewswire:302479902"]["published_at"] == "2025-06-10T20:05:00+00:00"
    assert written["prnewswire:302388145"]["published_at"] == "2025-03-04T14:15:00+00:00"
    assert written["prnewswire:302580114"]["language"] == "es"
    assert run.last()["health"]["disagreements"] == {
        "language": 1, "published_hours": 1, "published_placeholder": 1,
    }  # fmt: skip
