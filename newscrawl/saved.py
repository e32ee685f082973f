"""Pages on disk: which files are saved pages or WARC archives, and reading a saved page safely
(size, gzip, text). WARC archives are read by ``newscrawl/warc/``."""

from __future__ import annotations

import codecs
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newscrawl.extraction.decoding import UndecodableText, decode_text

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
PAGE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES


class UnreadablePage(Exception):
    """A saved page that cannot become an article; ``reason`` is short, ``detail`` says why."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SavedPage:
    path: Path
    kind: str  # "text" or "html"
    data: bytes

    @property
    def stem(self) -> str:
        """The file name without its page and ``.gz`` suffixes: ``<id>[-<slug>]``."""
        return self.path.name.removesuffix(".gz").rsplit(".", 1)[0]

    def text(self) -> str:
        """The page as text, decoded by the rule HTML pages are (``decoding.decode_text``:
        UTF-8, else windows-1252, else the code page charset-normalizer names); a page none
        of them reads is ``undecodable text``, never guessed at."""
        try:
            return decode_text(self.data)
        except UndecodableText as exc:
            raise UnreadablePage("undecodable text", str(exc)) from None


def page_kind(path: Path) -> str | None:
    """``text``, ``html`` or None (not a saved page) from the file name.

    >>> page_kind(Path("1109-x.txt.gz")), page_kind(Path("a.HTM")), page_kind(Path("r.json"))
    ('text', 'html', None)
    """
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    return "text" if last in TEXT_SUFFIXES else "html" if last in HTML_SUFFIXES else None


def saved_page_paths(source: Path) -> Iterator[Path]:
    """The page files of a file or folder (recursively, sorted, hidden files left out)."""
    if source.is_file():
        yield source
        return
    for path in sorted(source.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(source).parts)
        if path.is_file() and not hidden:
            yield path


def read_saved_page(path: Path, max_bytes: int) -> SavedPage:
    """Read one page, refusing what is not one (empty, binary, too large, bad gzip)."""
    kind = page_kind(path)
    if kind is None:
        raise UnreadablePage("not a saved page", "expected .txt, .html or .htm, maybe .gz")
    try:
        with path.open("rb") as raw:
            data = raw.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise UnreadablePage("too large", f"more than {max_bytes} bytes")
            if path.suffix.lower() == ".gz":
                data = _gunzip(data, max_bytes)
    except OSError as exc:
        raise UnreadablePage("unreadable file", exc.strerror or str(exc)) from None
    if len(data) > max_bytes:
        raise UnreadablePage("too large", f"more than {max_bytes} bytes")
    if not data.strip():
        raise UnreadablePage("empty file")
    data = narrowed(data)
    if b"\x00" in data[:8192]:
        raise UnreadablePage("binary file", "NUL bytes where text was expected")
    return SavedPage(path, kind, data)


# Byte order marks of the wide encodings, UTF-32's first: its little-endian mark begins as
# UTF-16's does.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def narrowed(data: bytes) -> bytes:
    """A page saved in UTF-16 or UTF-32 with its byte order mark (as Windows tools save
    "Unicode" text), as UTF-8; other bytes as they are. Its NUL bytes are not a binary file's
    (FRESH-USER-2 G8); one that its mark's encoding does not read is ``undecodable text``.

    >>> narrowed("Kim’s".encode("utf-16")).decode(), narrowed(b"plain")
    ('Kim’s', b'plain')
    """
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).encode("utf-8")
            except UnicodeDecodeError as exc:
                detail = f"not {codec.upper()} though its byte order mark says so: {exc.reason}"
                raise UnreadablePage("undecodable text", detail) from None
    return data


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress at most ``max_bytes + 1`` bytes, so a gzip bomb costs bounded memory."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise UnreadablePage("bad gzip file", str(exc)) from None
    if not inflater.eof and len(out) <= max_bytes:
        raise UnreadablePage("bad gzip file", "truncated")
    return out


# -- WARC archives (read by newscrawl/warc/) -------------------------------------------------------
def is_archive(path: Path) -> bool:
    """A WARC file, by its name.

    >>> [is_archive(Path(name)) for name in ("20261128T031202Z.warc.gz", "a.WARC", "a.gz")]
    [True, True, False]
    """
    return path.name.lower().endswith((".warc", ".warc.gz"))


__all__ = [
    "SavedPage",
    "UnreadablePage",
    "is_archive",
    "read_saved_page",
    "saved_page_paths",
]
