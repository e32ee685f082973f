"""The runs a source's ``runs.jsonl`` lists that the table may not hold yet, read from the
table's mark on.

The index keeps a mark per source: the offset in ``runs.jsonl`` before which every listed
run with a file is applied, and the line that ends there. A catch-up (one at the end of every
run) reads only the lines after it: a year of 15-minute runs is 35,000 lines, 48 MB, and 0.7 s
to read whole. If the line before the mark is not the one recorded (``runs.jsonl`` rewritten
by a layout upgrade, replaced, cut), the whole file is read, as if there were no mark. A run
left out (its file gone or unreadable) holds the mark back, so every catch-up tries it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from newscrawl.run.files import parsed


@dataclass(frozen=True)
class Listing:
    """One complete line of ``runs.jsonl``: its run (``""``: none), its articles file as the
    line names it (None: no file), the line's bytes with its newline, the offset it ends at."""

    run: str
    file: str | None
    line: bytes
    end: int


def listings_after(manifest: Path, mark: tuple[int, bytes] | None) -> list[Listing]:
    """The complete lines of ``manifest`` after ``mark`` (``(offset, line)``; every line if
    None or if the mark does not hold), oldest first; [] for a file that cannot be read.
    The bytes after the last newline are a line being written (or half-written by a kill,
    which the next listing drops): not listed yet."""
    try:
        with manifest.open("rb") as file:
            start = mark[0] if mark is not None and holds(file, *mark) else 0
            file.seek(start)
            data = file.read()
    except OSError:
        return []
    listings = []
    for line in data.split(b"\n")[:-1]:
        start += len(line) + 1
        record = parsed(line)
        file_name = str(record["file"]) if record.get("file") else None
        listings.append(Listing(str(record.get("run") or ""), file_name, line + b"\n", start))
    return listings


def holds(file: BinaryIO, offset: int, line: bytes) -> bool:
    """Whether ``line`` (newline included) ends at ``offset`` in ``file`` and starts a line."""
    if offset < len(line):
        return False
    before = b"\n" if offset > len(line) else b""
    file.seek(offset - len(line) - len(before))
    return file.read(len(line) + len(before)) == before + line


def applied_through(listings: list[Listing], applied: Callable[[str], bool]) -> Listing | None:
    """The last of the leading ``listings`` whose runs are all ``applied`` or name no file:
    where the mark may go (None: it stays)."""
    last = None
    for listing in listings:
        if listing.run and listing.file and not applied(listing.run):
            break
        last = listing
    return last
