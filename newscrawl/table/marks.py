"""The runs a source's ``runs.jsonl`` lists that the table may not hold yet, read from the
table's mark on.

The index keeps a mark per source: the offset in ``runs.jsonl`` before which every listed
run with a file is applied, and the SHA-256 of the bytes before it. A catch-up (one at the
end of every run) parses only the lines after the mark and hashes the ones before: a year of
15-minute runs is 35,000 lines, 46 MB, 0.7 s to parse and 0.05 s to hash. If the bytes before
the mark changed (``runs.jsonl`` rewritten by a layout upgrade or by hand: lines edited,
reordered, cut), every line is read again, as if there were no mark. A run left out (its file
gone or unreadable) holds the mark back, so every catch-up tries it again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from newscrawl.run.files import parsed

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20  # bytes hashed at a time


class Mark(NamedTuple):
    """How far a ``runs.jsonl`` is applied: every listed run before ``offset`` (bytes) is in
    the table, and the bytes before it hash to ``prefix_sha256`` (hex)."""

    offset: int
    prefix_sha256: str


@dataclass(frozen=True)
class ManifestLine:
    """One line of ``runs.jsonl``: its run (``""``: none), its articles file as the line names
    it (None: no file), and the mark after it: the offset it ends at and the SHA-256 of the
    file up to there (None for a last line without its newline: no mark goes past it)."""

    run: str
    file: str | None
    end: int
    digest: str | None


def lines_after(manifest: Path, mark: Mark | None) -> list[ManifestLine]:
    """The lines of ``manifest`` after ``mark`` (every line if None or if the bytes before
    it changed), oldest first; [] for a file that cannot be read. A complete line that is
    not a JSON object is skipped with a warning."""
    try:
        with manifest.open("rb") as file:
            hashed, left = hashlib.sha256(), mark.offset if mark is not None else 0
            while left > 0 and (chunk := file.read(min(left, _CHUNK))):
                hashed.update(chunk)
                left -= len(chunk)
            if mark is None or left or hashed.hexdigest() != mark.prefix_sha256:
                file.seek(0)
                hashed = hashlib.sha256()
            start = file.tell()
            data = file.read()
    except OSError:
        return []
    found = []
    *lines, last = data.split(b"\n")
    for line in lines:
        start += len(line) + 1
        hashed.update(line + b"\n")
        record = parsed(line)
        if not record and line.strip():
            logger.warning("%s: the line ending at byte %d is not a JSON object", manifest, start)
        found.append(manifest_line(record, start, hashed.hexdigest()))
    if record := parsed(last):  # complete but for its newline: listed, never marked
        found.append(manifest_line(record, start + len(last), None))
    return found


def manifest_line(record: dict[str, Any], end: int, digest: str | None) -> ManifestLine:
    """A ``runs.jsonl`` line ({} for one that is not a JSON object) as a ManifestLine."""
    file_name = str(record["file"]) if record.get("file") else None
    return ManifestLine(str(record.get("run") or ""), file_name, end, digest)


def applied_through(lines: list[ManifestLine], missing: Container[str]) -> ManifestLine | None:
    """The last mark (a line with a digest) before the first run that names a file and is
    ``missing`` from the table: where the mark may go (None: it stays)."""
    last = None
    for line in lines:
        if line.run and line.file and line.run in missing:
            break
        if line.digest is not None:
            last = line
    return last
