"""Settling runs a kill interrupted, at the next start: forward if their file is complete (or
their claims were committed), else back. The commit protocol is in ``extensions.py``."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.feeds import PART, append_manifest, fsync_dir, listed_runs
from newscrawl.layout import (
    MANIFEST,
    archive_file,
    articles_file,
    listed_name,
    migrate,
    rejects_file,
    source_folder,
)
from newscrawl.state import SeenStore

logger = logging.getLogger(__name__)

COUNTS = ("pages", "written", "duplicates", "rejected", "errors", "skipped_seen")


def recover_runs(store: SeenStore, source: str) -> None:
    """Settle ``source``'s runs that a kill interrupted: forward if their file is complete,
    else back. Only the caller's own spider: its lock says none of them is running."""
    for key, file, state in store.unfinished_runs():
        if not key.startswith(f"{source}/"):
            continue
        name = key.split("/", 1)[1]
        folder = source_folder(source, Path(file))  # absolute: maybe another output folder
        migrate(folder)  # a run that 0.1 left unfinished: its folder may be untouched yet
        final = articles_file(folder, name)
        archive = archive_file(folder, name)
        (final.parent / f"{final.name}.new{PART}").unlink(missing_ok=True)  # a scratch copy
        part = final.with_name(final.name + PART)
        if state == "committed" and not final.exists() and part.exists():
            part.rename(final)  # committed: its .part is complete and already filtered
            fsync_dir(final.parent)
        if not final.exists():
            for leftover in folder.glob(f"*/{name}.*{PART}"):  # articles/, rejects/, archive/
                leftover.unlink()
            archive.unlink(missing_ok=True)  # renamed before the file: undone with the run
            store.forget_run(key)
            if state == "started":
                logger.warning("rolled back run %s that did not finish: its stories are new", key)
            else:
                logger.error("run %s was %s but its file %s is gone", key, state, final)
            continue
        store.set_run_state(key, "done")
        rejects = rejects_file(folder, name)
        settle_rejects(rejects)
        manifest = folder / MANIFEST
        if name not in listed_runs(manifest):
            append_manifest(manifest, interrupted_record(name, final, rejects, archive))
        store.set_run_state(key, "listed")
        logger.warning("rolled forward run %s whose file was complete", key)


def settle_rejects(path: Path) -> None:
    """Keep the complete lines of a killed run's rejects file, under its final name."""
    part = path.with_name(path.name + PART)
    if not part.exists():
        return
    data = part.read_bytes()
    complete = data[: data.rfind(b"\n") + 1]
    if complete:
        part.write_bytes(complete)
        part.rename(path)
    else:
        part.unlink()


def interrupted_record(name: str, final: Path, rejects: Path, archive: Path) -> dict[str, Any]:
    """The runs.jsonl line of a run that was killed after its file was complete."""
    data = final.read_bytes()
    started = datetime.strptime(name.split("_")[0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return {
        "run": name,
        "started_at": started.isoformat(),
        "finished_at": None,
        "finish_reason": "interrupted",
        "exit_status": 1,
        "file": listed_name(final),
        "sha256": hashlib.sha256(data).hexdigest(),
        **dict.fromkeys(COUNTS),
        "written": data.count(b"\n"),
        "rejects_file": listed_name(rejects) if rejects.exists() else None,
        **found_archive(archive),
        "failures": ["the run was killed after its file was complete"],
        "health": None,
        "alarms": [],
    }


def found_archive(path: Path) -> dict[str, Any]:
    """``archive`` and ``archive_sha256`` of a killed run (its archive, if any, was renamed
    before its file was)."""
    if not path.exists():
        return {"archive": None, "archive_sha256": None}
    with path.open("rb") as archive:
        digest = hashlib.file_digest(archive, "sha256").hexdigest()
    return {"archive": listed_name(path), "archive_sha256": digest}
