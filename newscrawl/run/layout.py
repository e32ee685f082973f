"""Where a source's files live (CONTRACT §2), and moving a version-0.1 folder into that layout.

``<output>/<source>/`` holds ``articles/<run>.jsonl``, ``rejects/<run>.jsonl`` (only when
something was rejected) and ``runs.jsonl``; other folders (``archive/``) and files may sit beside
them, and nothing here assumes they do not. Version 0.1 wrote ``<source>/<run>.jsonl`` and
``<source>/<run>.rejects.jsonl`` (``.part`` while written) straight into the source folder.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

from newscrawl.run.files import PART, RUN_NAME, encode_line, fsync_dir, make_folder, parsed

logger = logging.getLogger(__name__)

ARTICLES, REJECTS, ARCHIVE, MANIFEST = "articles", "rejects", "archive", "runs.jsonl"
OLD_FILE = re.compile(  # version 0.1: <run>.jsonl, <run>.rejects.jsonl, either + .part
    rf"(?P<run>{RUN_NAME.pattern})(?P<rejects>\.rejects)?\.jsonl(?P<part>\.part)?"
)


def state_file(output_dir: Path, setting: str | None) -> str:
    """The seen store's path: ``NEWSCRAWL_STATE`` as given ("" keeps it in memory), else
    beside the output, ``<output>/.state/newscrawl.sqlite3`` (CONTRACT §1).

    >>> state_file(Path("out"), None), state_file(Path("out"), "")
    ('out/.state/newscrawl.sqlite3', '')
    """
    return str(output_dir / ".state" / "newscrawl.sqlite3") if setting is None else setting


def articles_file(folder: Path, run: str) -> Path:
    """``<source>/articles/<run>.jsonl`` of the source folder ``folder``."""
    return folder / ARTICLES / f"{run}.jsonl"


def rejects_file(folder: Path, run: str) -> Path:
    """``<source>/rejects/<run>.jsonl`` of the source folder ``folder``."""
    return folder / REJECTS / f"{run}.jsonl"


def archive_file(folder: Path, run: str) -> Path:
    """``<source>/archive/<run>.warc.gz`` of the source folder ``folder`` (live runs' WARC)."""
    return folder / ARCHIVE / f"{run}.warc.gz"


def listed_name(path: Path) -> str:
    """A run file as ``runs.jsonl`` names it, relative to the output folder:
    ``menafn/articles/20261128T031202Z.jsonl``."""
    return "/".join(path.parts[-3:])


def source_folder(source: str, file: Path) -> Path:
    """The source folder of a run's article file as a state recorded it (either layout).

    >>> source_folder("menafn", Path("/o/menafn/articles/20260101T000000Z.jsonl"))
    PosixPath('/o/menafn')
    >>> source_folder("menafn", Path("/o/menafn/20260101T000000Z.jsonl"))  # version 0.1
    PosixPath('/o/menafn')
    """
    if file.parent.name == ARTICLES and file.parent.parent.name == source:
        return file.parent.parent
    return file.parent


def new_name(old: Path) -> Path | None:
    """Where a file of the 0.1 layout goes now, or None if ``old`` is not one.

    >>> new_name(Path("menafn/20260101T000000Z_2.rejects.jsonl.part"))
    PosixPath('menafn/rejects/20260101T000000Z_2.jsonl.part')
    >>> new_name(Path("menafn/runs.jsonl")) is None
    True
    """
    found = OLD_FILE.fullmatch(old.name)
    if not found:
        return None
    subfolder = REJECTS if found["rejects"] else ARTICLES
    return old.parent / subfolder / f"{found['run']}.jsonl{found['part'] or ''}"


def migrate(folder: Path) -> int:
    """Move a source folder's 0.1-layout files into ``articles/`` and ``rejects/``; how many.

    Nothing is lost, and a crash at any point is mended by running it again:
    1. each old file gets its new name as a second hard link (a new name that is another file
       already is left alone, and so is the old file, with a warning);
    2. ``runs.jsonl`` is rewritten so its ``file``/``rejects_file`` name the new paths (temp
       file, fsync, rename, folder fsync);
    3. the old names are removed (or, where the file system has no hard links, the files are
       renamed now, so only there ``runs.jsonl`` names a new path for a moment before it exists).
    An old name stays until its step 3, so a second run redoes whatever a crash left undone.
    """
    olds = sorted(p for p in folder.glob("*.jsonl*") if new_name(p) and p.is_file())
    moves = {old: new for old in olds if (new := new_name(old)) and is_free(old, new)}
    if not moves:
        return 0
    for old, new in moves.items():
        make_folder(new.parent)
        with contextlib.suppress(OSError):  # linked by a run a crash cut short, or no links
            os.link(old, new)
    for subfolder in {new.parent for new in moves.values()}:
        fsync_dir(subfolder)
    relist(folder / MANIFEST, {v01_listed_name(o): listed_name(n) for o, n in moves.items()})
    for old, new in moves.items():
        if new.exists() and new.samefile(old):
            old.unlink()
        else:
            old.replace(new)
    fsync_dir(folder)
    logger.info("moved %d files of the 0.1 layout in %s into its subfolders", len(moves), folder)
    return len(moves)


def v01_listed_name(path: Path) -> str:
    """A run file of the 0.1 layout as its ``runs.jsonl`` named it: ``menafn/<run>.jsonl``."""
    return "/".join(path.parts[-2:])


def is_free(old: Path, new: Path) -> bool:
    """True if ``old`` may take the name ``new``: nothing is there, or ``old`` itself."""
    if not new.exists() or new.samefile(old):
        return True
    logger.warning("left %s where it is: %s exists and is another file", old, new)
    return False


def relist(manifest: Path, renamed: dict[str, str]) -> None:
    """Rewrite ``runs.jsonl`` atomically with its ``file``/``rejects_file`` names renamed.

    Lines that need no change (and a half-written last line) are kept byte for byte.
    """
    if not manifest.exists():
        return
    lines = manifest.read_bytes().split(b"\n")
    changed = [renamed_line(line, renamed) for line in lines]
    if changed == lines:
        return
    temp = manifest.with_name(manifest.name + PART)
    with temp.open("wb") as out:
        out.write(b"\n".join(changed))
        out.flush()
        os.fsync(out.fileno())
    temp.replace(manifest)
    fsync_dir(manifest.parent)


def renamed_line(line: bytes, renamed: dict[str, str]) -> bytes:
    """One ``runs.jsonl`` line with its file names renamed; unchanged if none is."""
    record = parsed(line)
    keys = [k for k in ("file", "rejects_file") if record.get(k) in renamed]
    if not keys:
        return line
    record.update({k: renamed[record[k]] for k in keys})
    return encode_line(record).rstrip(b"\n")
