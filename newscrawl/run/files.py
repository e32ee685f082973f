"""A run's output files: written under a ``.part`` name, renamed once complete; ``runs.jsonl``."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import re
from collections.abc import Container, Generator, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import orjson

PART = ".part"
RUN_NAME = re.compile(r"\d{8}T\d{6}Z(?:_\d+)?")  # the run's start in UTC, then _2, _3, …
RUN_STAMP = "%Y%m%dT%H%M%SZ"  # a run name's first part: when it started (strftime, UTC)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(folder: Path) -> None:
    """Create ``folder`` and missing parents, each new entry fsynced in its parent."""
    if folder.is_dir():
        return
    make_folder(folder.parent)
    try:
        folder.mkdir()
    except FileExistsError:
        return
    fsync_dir(folder.parent)


def encode_line(record: dict[str, Any]) -> bytes:
    """One JSON line: UTF-8 as is (no ``\\u`` escapes), keys in the record's order."""
    return orjson.dumps(record) + b"\n"


class PartFile:
    """A file written under ``<name>.part`` and renamed to ``<name>`` once complete.

    ``sha256`` is the hash of the bytes written so far; folders are made on the first write.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.part = path.with_name(path.name + PART)
        self._file: IO[bytes] | None = None
        self.sha256 = hashlib.sha256()
        self.size = 0  # bytes written
        self.done = False  # renamed to its final name

    def _open(self) -> IO[bytes]:
        make_folder(self.part.parent)
        return self.part.open("xb")

    def write_bytes(self, data: bytes) -> None:
        if self._file is None:
            self._file = self._open()
        self._file.write(data)
        self.sha256.update(data)
        self.size += len(data)

    def finish(self, *, keep_empty: bool) -> bool:
        """Flush, fsync and rename; an empty file is only kept when asked. True if renamed."""
        if not self.seal(keep_empty=keep_empty):
            return False
        self.publish()
        return True

    def seal(self, *, keep_empty: bool) -> bool:
        """Flush, fsync and close the ``.part`` file (made empty when asked); False if none."""
        if self._file is None:
            if not keep_empty:
                return False
            self._file = self._open()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return True

    def publish(self) -> None:
        """Give the sealed ``.part`` file its final name, durably."""
        self.part.rename(self.path)
        fsync_dir(self.path.parent)
        self.done = True

    def abandon(self) -> None:
        """Close and remove the ``.part`` file: it never gets its final name. A file that could
        not be written may not close or go away either: that is ignored here."""
        file, self._file = self._file, None
        with contextlib.suppress(OSError):
            if file is not None:
                file.close()
            self.part.unlink(missing_ok=True)


class JsonLinesPart(PartFile):
    """One JSON lines file, written under ``<name>.part`` and renamed to ``<name>`` at the end.

    Each line reaches the OS as it is written (unbuffered), so a write that fails (a full
    disk) fails for that line, which is cut off again: the file holds whole lines only. If the
    cut fails too, the file is ``broken`` and refuses further writes and its seal.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.lines = 0
        self.broken = False

    def _open(self) -> IO[bytes]:
        make_folder(self.part.parent)
        return self.part.open("xb", buffering=0)

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as a line. Raises OSError, with no part of the line kept."""
        if self.broken:
            raise OSError(f"{self.part} was left with a partial line: no more lines go in")
        if self._file is None:
            self._file = self._open()
        line = encode_line(record)
        try:
            written = 0
            while written < len(line):
                written += self._file.write(line[written:]) or 0
        except OSError:
            self._cut()
            raise
        self.sha256.update(line)
        self.size += len(line)
        self.lines += 1

    def _cut(self) -> None:
        """Take a partly written line off the end again (or mark the file broken)."""
        assert self._file is not None
        try:
            os.ftruncate(self._file.fileno(), self.size)
            self._file.seek(self.size)
        except OSError:
            self.broken = True

    def seal(self, *, keep_empty: bool) -> bool:
        if self.broken:
            raise OSError(f"{self.part} was left with a partial line: it cannot be finished")
        return super().seal(keep_empty=keep_empty)

    def drop_ids(self, ids: Container[str]) -> int:
        """Rewrite the sealed ``.part`` file without the records whose ``id`` is in ``ids``.

        The new file replaces the old one by a rename, so a kill leaves one or the other.
        Returns the number of lines dropped; ``sha256`` and ``lines`` follow the new file.
        """
        kept = [
            line
            for line in self.part.read_bytes().splitlines(keepends=True)
            if orjson.loads(line).get("id") not in ids
        ]
        dropped = self.lines - len(kept)
        scratch = self.path.with_name(self.path.name + ".new" + PART)
        with scratch.open("wb") as out:
            out.writelines(kept)
            out.flush()
            os.fsync(out.fileno())
        scratch.rename(self.part)
        fsync_dir(self.part.parent)
        self.sha256 = hashlib.sha256(b"".join(kept))
        self.size = sum(len(line) for line in kept)
        self.lines = len(kept)
        return dropped


def run_name(folder: Path, started: datetime, known: Container[str] = ()) -> str:
    """``YYYYMMDDTHHMMSSZ`` of the start, with ``_2``, ``_3``… when that name is taken by a
    file in ``folder`` or one of its subfolders (``articles/``, ``rejects/``, ``archive/``, a
    0.1 file, a ``.part``) or is ``known`` already (a run of the same state elsewhere)."""
    base = started.strftime(RUN_STAMP)
    taken = {
        found[0]
        for name in file_names(folder, top=True)
        if name.startswith(base) and (found := RUN_NAME.match(name))
    }
    name, n = base, 1
    while name in taken or name in known:
        n += 1
        name = f"{base}_{n}"
    return name


def file_names(folder: Path, *, top: bool) -> Iterator[str]:
    """The names in ``folder``'s subfolders (``articles/``, ``rejects/``, ``archive/``), and
    with ``top`` in ``folder`` itself (0.1 files): one directory read each, at C speed (a
    year of runs is ~70,000 files; ``Path.glob`` matched them in Python, 0.3 s a start)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # no folder yet
        return
    for entry in entries:
        if entry.is_dir():  # a symlinked articles/ on another disk too
            with contextlib.suppress(OSError), os.scandir(entry.path) as inner:
                yield from (sub.name for sub in inner)
        elif top:
            yield entry.name


def append_manifest(path: Path, record: dict[str, Any]) -> None:
    """Append one line to ``runs.jsonl``, first dropping a line a killed run left half-written
    (a last line that is a whole JSON object without its newline, as an editor may save it,
    gets its newline instead)."""
    with path.open("ab+") as manifest:
        size = manifest.seek(0, os.SEEK_END)
        if size:
            manifest.seek(max(0, size - 1))
            if manifest.read(1) != b"\n":
                data = path.read_bytes()
                if parsed(data[data.rfind(b"\n") + 1 :]):
                    manifest.write(b"\n")
                else:
                    manifest.truncate(data.rfind(b"\n") + 1)
        manifest.write(encode_line(record))
        manifest.flush()
        os.fsync(manifest.fileno())


def parsed(line: bytes) -> dict[str, Any]:
    """One JSON line as a dict; {} for a line that is not one. A UTF-8 byte order mark before
    it (an editor's, on a file's first line) is passed over.

    >>> parsed(b'{"id": "menafn:1"}'), parsed(b"not json"), parsed(codecs.BOM_UTF8 + b'{"id": 1}')
    ({'id': 'menafn:1'}, {}, {'id': 1})
    """
    try:
        record = orjson.loads(line.removeprefix(codecs.BOM_UTF8))
    except orjson.JSONDecodeError:
        return {}
    return record if isinstance(record, dict) else {}


def newest_lines(path: Path, block: int = 1 << 16) -> Generator[dict[str, Any], None, None]:
    """The readable lines of ``runs.jsonl``, newest first, read from its end ``block`` bytes
    at a time (none from a file that cannot be read). Health, the last cron run and the
    coverage alarm need only the newest runs: with a year of 15-minute runs (35,000 lines,
    46 MB) they cost a block or two instead of the whole file (0.6-0.9 s each, every run).
    """
    try:
        manifest = path.open("rb")
    except OSError:
        return
    with manifest:
        end = manifest.seek(0, os.SEEK_END)
        carry = b""  # the end of a line whose start lies in an earlier block
        while end > 0:
            start = max(0, end - block)
            manifest.seek(start)
            pieces = (manifest.read(end - start) + carry).split(b"\n")
            carry, end = (pieces.pop(0) if start else b""), start
            for record in map(parsed, reversed(pieces)):
                if record:
                    yield record


def listed_runs(path: Path, prefix: str = "") -> set[str]:
    """Run names in ``runs.jsonl`` (lines that are whole JSON objects) that start with
    ``prefix``: only the lines holding it are parsed (a run's name is a plain JSON string), so
    checking one name in a year of runs is a scan of the bytes, 0.06 s instead of 0.7 s for
    46 MB."""
    try:
        data = path.read_bytes()
    except OSError:
        return set()
    wanted = prefix.encode()
    lines = (parsed(line) for line in data.split(b"\n") if wanted in line)
    return {
        name for line in lines if "run" in line and (name := str(line["run"])).startswith(prefix)
    }
