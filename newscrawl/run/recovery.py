"""Settling runs a crash interrupted, at the next start: forward if their file is complete (or
their claims were committed), else back. The commit protocol is in ``commit.py``.

The files win over the state: a run rolled forward has its file's stories recorded as seen
(``adopt``), and a final file of a run newer than any the state knows (the state lost it: an
OS crash took WAL frames a disk had not kept) is adopted the same way, with its cluster rows.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.clusters import fingerprint, story_text
from newscrawl.run.files import (
    PART,
    RUN_NAME,
    RUN_STAMP,
    append_manifest,
    file_names,
    fsync_dir,
    listed_runs,
    parsed,
)
from newscrawl.run.layout import (
    MANIFEST,
    archive_file,
    articles_file,
    listed_name,
    migrate,
    rejects_file,
    source_folder,
)
from newscrawl.run.seen import COMMITTED, LISTED, STARTED, SeenStore

logger = logging.getLogger(__name__)

COUNTS = ("pages", "written", "duplicates", "rejected", "errors", "skipped_seen")
INTERRUPTED = "interrupted"  # the finish_reason of a run a kill stopped, listed by the next start


def recover_runs(store: SeenStore, source: str, folder: Path) -> None:
    """Settle ``source``'s runs that a crash interrupted, then adopt the runs of ``folder``
    the state lost. Only the caller's own spider: its lock says none of them is running."""
    for key, file, state in store.unfinished_runs():
        if not key.startswith(f"{source}/"):
            continue
        name = key.split("/", 1)[1]
        run_folder = source_folder(source, Path(file))  # absolute: maybe another output folder
        migrate(run_folder)  # a run that 0.1 left unfinished: its folder may be untouched yet
        if has_final_file(run_folder, name, state):
            roll_forward(store, key, run_folder)
            logger.warning("rolled forward run %s whose file was complete", key)
            continue
        if state == STARTED:
            list_rolled_back(run_folder, name)  # first: a start that fails here redoes it all
            logger.warning(
                "rolled back run %s that did not finish: its stories are left for this run", key
            )
        else:
            logger.error("run %s was %s but its file is gone", key, state)
        remove_leftovers(run_folder, name)
        store.forget_run(key)
    adopt_lost_runs(store, source, folder)


def list_rolled_back(folder: Path, name: str) -> None:
    """Give a run killed before its file was complete its ``runs.jsonl`` line (once), before
    its leftovers go: ``interrupted``, no file, and how many articles its ``.part`` file held
    (rolled back with it). A folder of another machine's (a shared state) is left alone."""
    manifest = folder / MANIFEST
    if not folder.is_dir() or name in listed_runs(manifest, name):
        return
    final = articles_file(folder, name)
    part = final.with_name(final.name + PART)
    lines = part.read_bytes().count(b"\n") if part.exists() else 0  # complete lines only
    append_manifest(manifest, rolled_back_record(name, lines))


def has_final_file(folder: Path, name: str, state: str) -> bool:
    """Whether the run's article file is final, renaming the ``.part`` of a committed run
    (complete, and already without the lines another worker took)."""
    final = articles_file(folder, name)
    (final.parent / f"{final.name}.new{PART}").unlink(missing_ok=True)  # a scratch copy
    part = final.with_name(final.name + PART)
    if state == COMMITTED and not final.exists() and part.exists():
        part.rename(final)
        fsync_dir(final.parent)
    return final.exists()


def remove_leftovers(folder: Path, name: str) -> None:
    """A run rolled back: its ``.part`` files and its archive (renamed before the article
    file, so undone with the run)."""
    for leftover in folder.glob(f"*/{name}.*{PART}"):  # articles/, rejects/, archive/
        leftover.unlink()
    archive_file(folder, name).unlink(missing_ok=True)


def roll_forward(store: SeenStore, key: str, folder: Path) -> None:
    """A run whose article file is final: its stories seen, its rejects kept, its line in
    ``runs.jsonl`` (once), then listed."""
    name = key.split("/", 1)[1]
    final = articles_file(folder, name)
    adopt(store, key, final)
    rejects = rejects_file(folder, name)
    settle_rejects(rejects)
    manifest = folder / MANIFEST
    if name not in listed_runs(manifest, name):
        record = interrupted_record(name, final, rejects, archive_file(folder, name))
        append_manifest(manifest, record)
    store.set_run_state(key, LISTED)


def adopt(store: SeenStore, key: str, final: Path) -> None:
    """Record the stories of a final article file as seen, and the cluster rows of those the
    store did not hold: the file is what readers have, whatever the state kept."""
    records = [r for r in map(parsed, final.read_bytes().splitlines()) if r.get("id")]
    stories = [(str(r["id"]), str(r.get("content_hash") or "")) for r in records]
    added = store.adopt(key, str(final.resolve()), stories)
    index = store.cluster_index() if added else None
    for record in (r for r in records if r["id"] in added):
        found = fingerprint(story_text(record.get("dateline"), record.get("body") or ""))
        if index is not None and found is not None:
            index.add(record["id"], record.get("cluster_id") or record["id"], found, key)
    if added:
        logger.warning("%s: %d stories of its file were missing from the state", key, len(added))


def adopt_lost_runs(store: SeenStore, source: str, folder: Path) -> None:
    """Roll forward the runs of ``folder`` newer than any run the state knows whose article
    file is final, and roll back the others' leftovers: runs the state lost. A state that
    knows no run of ``source`` is new (or in memory): it starts afresh, as asked."""
    known = store.run_names(source)
    if not known:
        return
    newest = max(known)
    lost = {
        found[0]
        for name in file_names(folder, top=False)
        if (found := RUN_NAME.match(name)) and found[0] > newest and found[0] not in known
    }
    for name in sorted(lost):
        key = f"{source}/{name}"
        if articles_file(folder, name).exists():
            logger.warning("run %s has a final file but the state had lost it: adopted", key)
            roll_forward(store, key, folder)
        else:
            remove_leftovers(folder, name)


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


def started_at(name: str) -> str:
    """When a run started, from its name (``20261128T031202Z``, maybe ``_2``), ISO 8601."""
    started = datetime.strptime(name.split("_")[0], RUN_STAMP).replace(tzinfo=UTC)
    return started.isoformat()


def killed_record(name: str, failure: str, **found: Any) -> dict[str, Any]:
    """The runs.jsonl line of a run a kill interrupted, listed by the next start: what no
    process is left to know is null (``mode``, the counts, ``health``); ``found``: what its
    files show (``file``, ``sha256``, ``written``, ``replaced``, ``rejects_file``, archive)."""
    record: dict[str, Any] = {
        "run": name,
        "started_at": started_at(name),
        "finished_at": None,
        "finish_reason": INTERRUPTED,
        "exit_status": 1,  # as a run that failed: ``exit_status != 0`` finds it
        "mode": None,
        "file": None,
        "sha256": None,
        **dict.fromkeys(COUNTS),
        "written": 0,
        "replaced": None,
        "discovery": None,
        "rejects_file": None,
        "archive": None,
        "archive_sha256": None,
        "failures": [failure],
        "health": None,
        "alarms": [],
    }
    record.update(found)
    return record


def rolled_back_record(name: str, lines: int) -> dict[str, Any]:
    """The runs.jsonl line of a run killed before its file was complete, rolled back by the
    next start: no file, its counts unknown (``lines``: the articles it had written)."""
    failure = (
        "the run stopped before its file was complete (killed, or it failed and could not "
        f"list itself): rolled back with the {lines} articles it had written; its stories are "
        "left for the next run"
    )
    return killed_record(name, failure, replaced={})


def interrupted_record(name: str, final: Path, rejects: Path, archive: Path) -> dict[str, Any]:
    """The runs.jsonl line of a run that was killed after its file was complete."""
    data = final.read_bytes()
    return killed_record(
        name,
        "the run was killed after its file was complete",
        file=listed_name(final),
        sha256=hashlib.sha256(data).hexdigest(),
        written=data.count(b"\n"),
        rejects_file=listed_name(rejects) if rejects.exists() else None,
        **found_archive(archive),
    )


def found_archive(path: Path) -> dict[str, Any]:
    """``archive`` and ``archive_sha256`` of a killed run (its archive, if any, was renamed
    before its file was)."""
    if not path.exists():
        return {"archive": None, "archive_sha256": None}
    with path.open("rb") as archive:
        digest = hashlib.file_digest(archive, "sha256").hexdigest()
    return {"archive": listed_name(path), "archive_sha256": digest}
