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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newscrawl.run.files import parsed

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20  # bytes hashed at a time


@dataclass(frozen=True)
class Listing:
    """One line of ``runs.jsonl``: its run (``""``: none), its articles file as the line names
    it (None: no file), and the mark after it: the offset it ends at and the SHA-256 of the
    file up to there (None for a last line without its newline: no mark goes past it)."""

    run: str
    file: str | None
    end: int
    digest: str | None


def listings_after(manifest: Path, mark: tuple[int, str] | None) -> list[Listing]:
    """The lines of ``manifest`` after ``mark`` (``(offset, SHA-256 of the bytes before it)``;
    every line if None or if those bytes changed), oldest first; [] for a file that cannot be
    read. A complete line that is not a JSON object is skipped with a warning."""
    try:
        with manifest.open("rb") as file:
            hashed, left = hashlib.sha256(), mark[0] if mark is not None else 0
            while left > 0 and (chunk := file.read(min(left, _CHUNK))):
                hashed.update(chunk)
                left -= len(chunk)
            if mark is None or left or hashed.hexdigest() != mark[1]:
                file.seek(0)
                hashed = hashlib.sha256()
            start = file.tell()
            data = file.read()
    except OSError:
        return []
    listings = []
    *lines, last = data.split(b"\n")
    for line in lines:
        start += len(line) + 1
        hashed.update(line + b"\n")
        record = parsed(line)
        if not record and line.strip():
            logger.warning("%s: the line ending at byte %d is not a JSON object", manifest, start)
        listings.append(listing(record, start, hashed.hexdigest()))
    if record := parsed(last):  # complete but for its newline: listed, never marked
        listings.append(listing(record, start + len(last), None))
    return listings


def listing(record: dict[str, Any], end: int, digest: str | None) -> Listing:
    """A ``runs.jsonl`` line ({} for one that is not a JSON object) as a Listing."""
    file_name = str(record["file"]) if record.get("file") else None
    return Listing(str(record.get("run") or ""), file_name, end, digest)


def applied_through(listings: list[Listing], applied: Callable[[str], bool]) -> Listing | None:
    """The last mark (a listing with a digest) before the first run that names a file and is
    not ``applied``: where the mark may go (None: it stays)."""
    last = None
    for listing in listings:
        if listing.run and listing.file and not applied(listing.run):
            break
        if listing.digest is not None:
            last = listing
    return last
