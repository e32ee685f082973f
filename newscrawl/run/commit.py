"""The commit protocol: a run's files and its seen-store rows become final together, so that
a kill -9 or a power loss at any moment loses no story and writes none twice.

A run's states, in the seen store (``runs``; Redis: ``newscrawl:run:<run>``):

``started``
    ``begin_run``, before anything is written. Each story is claimed as it comes (a pending
    claim), its line written to ``articles/<run>.jsonl.part`` once it passed every stage.
``committed``
    1. the ``.part`` file is flushed and fsynced;
    2. the claims are committed (the stories are seen); a shared store may answer that some
       were taken by another worker meanwhile: their lines leave the ``.part`` file;
    3. the WARC part (if any) is fsynced and renamed to its final name;
    4. the state becomes ``committed``;
    5. the article file is renamed to its final name, and its folder fsynced.
``done``
    the rejects file is finished; the articles table (``newscrawl.table``) takes the run's
    lines, and any listed run of the source it does not hold yet (``update_table``); then
    ``runs.jsonl`` gets the run's line (appended and fsynced), and the state becomes ``listed``.
    A table that cannot be updated fails the run (exit status 1, named in its line); its files
    stay final, and the next run (or ``scrapy table``) catches up: the table is derived from
    the listed files, never the other way round.

The next start settles every run of the spider that a kill left unfinished
(``recovery.py``): forward when its final file exists or it was ``committed`` (rename its
``.part``, list it with its archive), else back (forget its claims, delete its ``.part`` files
and its archive). A run that cannot commit in its own process (its output cannot be written,
its Redis went away) is rolled back at once (``roll_back``): no file of it becomes final, its
stories stay unseen, and the next run writes them.

Durability: the ``.part`` files and renames are fsynced (files, then folders); the SQLite
store commits every state change with synchronous=FULL, which makes the claims before it
durable too (``seen_sqlite.py``). So whatever an OS crash keeps of the WAL, a final article
file always has a state of at least ``committed``, whose claims are all there: recovery rolls
it forward, never back. What it may lose after ``committed`` (``done``, ``listed``) recovery
redoes; a run still ``started`` is rolled back whole, whatever of its claims survived.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable

from newscrawl.run.run import Run
from newscrawl.run.seen import COMMITTED, DONE, STORE_ERRORS, StoreUnavailable

logger = logging.getLogger(__name__)

# How a run ends in its own process (``settle``): its article file final, or rolled back, or
# committed but not renamed (the next start renames and lists it).
PUBLISHED, ROLLED_BACK, UNSETTLED = "published", "rolled back", "unsettled"


def commit(run: Run, dropped: Callable[[int], None]) -> None:
    """Steps 1 to 5: seal the articles, commit the claims (``dropped`` is told how many lines
    left the file for another worker's), finish the archive, mark ``committed``, rename.

    Raises OSError (a file could not be written) or StoreUnavailable; ``run.state`` says
    whether the run got as far as ``committed``.
    """
    run.articles.seal(keep_empty=True)
    lost = run.store.commit(run.key)
    if lost:
        count = run.articles.drop_ids(lost)
        dropped(count)
        logger.warning(
            "%d stories were taken over by another worker while this one stalled: "
            "their lines were left out", count,
        )  # fmt: skip
    if run.archive is not None:
        run.archive.finish()  # before the articles: a final article file has its archive
    run.store.set_run_state(run.key, COMMITTED)
    run.state = COMMITTED
    run.articles.publish()


def settle(run: Run, dropped: Callable[[int], None], left: Callable[[], int]) -> str:
    """Commit the run, or roll it back when it cannot be committed: ``PUBLISHED``,
    ``ROLLED_BACK`` or ``UNSETTLED``. ``left``: how many stories the run would have written
    (``report.TO_WRITE``: those whose lines are in its ``.part`` file, and those it could not
    write or claim), which a roll-back leaves for the next run, for its failure line."""
    try:
        commit(run, dropped)
    except (OSError, StoreUnavailable, sqlite3.Error) as exc:
        if run.state == COMMITTED:  # only the rename failed: the next start finishes it
            run.fail(f"the article file could not be renamed ({exc}): the next run finishes it")
            return UNSETTLED
        what = failure(exc)
        why = f"{what}: {left()} articles left for the next run"
        logger.error("%s", why)
        run.failures = [f for f in run.failures if f != what]  # said once, with its count
        run.fail(why)
        roll_back(run, forget=not isinstance(exc, StoreUnavailable))
        return ROLLED_BACK
    finish_rejects(run)
    with contextlib.suppress(*STORE_ERRORS):  # lost, it is redone at the next start
        run.store.set_run_state(run.key, DONE)
    run.state = DONE
    return PUBLISHED


def update_table(run: Run) -> None:
    """Bring the output's articles table up to date with a published run (``table/update.py``:
    idempotent, so a crash before the run is listed only makes the next update redo it). A
    failure is the run's: one line, exit status 1."""
    from newscrawl.table.columns import TableError  # pyarrow: only runs that publish
    from newscrawl.table.update import apply_run

    try:
        apply_run(run.folder.parent, run.source, run.name, run.articles.path)
    except (TableError, OSError) as exc:
        why = f"table not updated: {exc}; `scrapy table` (or the next run) catches up"
        logger.error("%s", why)
        run.fail(why)


def failure(error: Exception) -> str:
    """What a commit that failed says: which of the output or the state, and why."""
    if isinstance(error, OSError):
        return f"output could not be written: {error}"
    if isinstance(error, sqlite3.Error):
        return f"the state could not be written: {error}"
    return str(error)  # Redis gone, or the lease lost: its message says so


def roll_back(run: Run, *, forget: bool) -> None:
    """Undo a run that cannot commit: its ``.part`` article file and archive go, and (where
    its store can still be reached, ``forget``) its claims, so its stories are new again. A
    store that is gone lets its claims lapse; the next start of this worker rolls it back."""
    run.articles.abandon()
    if run.archive is not None:  # its answers are fetched again, and archived, next run
        run.archive.abandon()
        if run.archive.file.done:  # renamed already (step 3): undone with the run
            run.archive.file.path.unlink(missing_ok=True)
        run.archive = None
    if forget:
        with contextlib.suppress(*STORE_ERRORS):
            run.store.forget_run(run.key)
    finish_rejects(run)


def finish_rejects(run: Run) -> None:
    """The rejects file under its final name (only if something was rejected); a failure is
    the run's, and leaves the ``.part`` for the next start."""
    try:
        run.rejects.finish(keep_empty=False)
    except OSError as exc:
        run.fail(f"the rejects file could not be written: {exc}")
