"""A killed run never leaves a partial archive under its final name; the next start settles it.
The kills' leftovers are made by hand, so the runs all run in this process."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.site import synthetic_stories
from tests.test_crash_safety import (
    FAST,
    broken_site,
    check_output,
    crawl_site,
    finished_run_with_a_reject,
    manifest,
    set_run_state,
)

pytestmark = pytest.mark.slow


def test_a_kill_between_the_archive_and_the_file_renames_rolls_both_back(tmp_path: Path) -> None:
    out = tmp_path / "output"
    folder = out / "menafn"
    stories = synthetic_stories(6)
    with broken_site(stories) as site:
        run = finished_run_with_a_reject(out, site)
        # SIGKILL after the archive got its final name, before the article file did:
        for kind in ("articles", "rejects"):
            final = folder / kind / f"{run}.jsonl"
            final.rename(final.with_name(final.name + ".part"))
        (folder / "runs.jsonl").write_bytes(b"")
        set_run_state(out, run, "started")
        following = crawl_site(out, site.base_url, *FAST)
        assert following.status == 0, following.stderr[-3000:]
    assert "rolled back run" in following.stderr
    # the killed run is gone, archive and all, and listed as such; the next has it all
    killed, line = manifest(folder)
    assert (killed["run"], killed["finish_reason"]) == (run, "interrupted")
    assert (killed["file"], killed["archive"]) == (None, None)
    assert line["written"] == 5
    assert line["archive"] == f"menafn/archive/{line['run']}.warc.gz"
    check_output(out, {f"menafn:{s.id}" for i, s in enumerate(stories) if i != 2})


def test_a_kill_before_the_runs_line_lists_the_archive(tmp_path: Path) -> None:
    out = tmp_path / "output"
    folder = out / "menafn"
    stories = synthetic_stories(6)
    with broken_site(stories) as site:
        run = finished_run_with_a_reject(out, site)
        archive = folder / "archive" / f"{run}.warc.gz"
        (folder / "runs.jsonl").write_bytes(b"")  # SIGKILL after the renames, before the line
        set_run_state(out, run, "started")
        following = crawl_site(out, site.base_url, *FAST)
        assert following.status == 0, following.stderr[-3000:]
    first = manifest(folder)[0]
    assert (first["run"], first["finish_reason"]) == (run, "interrupted")
    assert first["archive"] == f"menafn/archive/{run}.warc.gz"
    assert first["archive_sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    check_output(out, {f"menafn:{s.id}" for i, s in enumerate(stories) if i != 2})
