"""Spider arguments every wire spider takes (`source`, `base_url`, `since`, `until`, `reextract`),
checked up front."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.saved import is_archive, page_kind

ARGUMENTS = frozenset({"source", "base_url", "since", "until", "reextract"})
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
REEXTRACT = {"yes": True, "no": False}  # -a reextract=yes: write again the stories seen before
# What a source URL may name: one WARC file, or a listing of them (Common Crawl's warc.paths.gz).
SOURCE_URL_NAMES = (".warc.gz", ".warc", ".paths.gz", ".paths")


class BadArgument(ValueError):
    """A spider argument the user got wrong (exit status 2)."""


def parse_base_url(value: str) -> str:
    """``scheme://host[:port]`` of a site root, or BadArgument.

    >>> parse_base_url("http://127.0.0.1:8000/")
    'http://127.0.0.1:8000'
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadArgument(f"invalid base_url {value!r}: expected http(s)://host[:port]")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise BadArgument(f"invalid base_url {value!r}: give the site root, without a path")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise BadArgument(f"invalid base_url {value!r}: bad port") from None
    return f"{parts.scheme}://{parts.netloc}"


def parse_since(value: str) -> date:
    return _parse_day("since", value)


def parse_until(value: str) -> date:
    """The last day of a window, on the site's clock (included), as ``since`` is its first.

    >>> parse_until("2024-01-31")
    datetime.date(2024, 1, 31)
    """
    return _parse_day("until", value)


def _parse_day(name: str, value: str) -> date:
    """A day as the README writes it, ``YYYY-MM-DD`` only: Python 3.11 also reads
    ``20250101`` and ``2025-W01-1``, which the README does not promise (FRESH-USER-2 G8).

    >>> _parse_day("since", "2025-01-01")
    datetime.date(2025, 1, 1)
    >>> _parse_day("since", "20250101")
    Traceback (most recent call last):
    newscrawl.spiders.arguments.BadArgument: invalid since '20250101': expected YYYY-MM-DD
    """
    try:
        if not _DAY.fullmatch(value.strip()):
            raise ValueError(value)
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadArgument(f"invalid {name} {value!r}: expected YYYY-MM-DD") from None


def parse_reextract(value: str, source: str | None) -> bool:
    """Whether a run writes again the stories its source holds that were written before (a
    re-extraction, after a parser fix), or BadArgument. Only a source is ever re-extracted: a
    live crawl never rewrites a story.

    >>> parse_reextract("yes", "output/menafn/archive"), parse_reextract("no", None)
    (True, False)
    """
    wanted = REEXTRACT.get(value.strip().lower())
    if wanted is None:
        raise BadArgument(f"invalid reextract {value!r}: expected yes or no")
    if wanted and not (source or "").strip():
        raise BadArgument(
            "reextract=yes re-extracts a source: give it -a source= (an archive, saved pages, or "
            "a folder of them); a live crawl never rewrites a story"
        )
    return wanted


def is_source_url(value: str) -> bool:
    """Whether a ``source`` names a file on the web rather than a path.

    >>> is_source_url("https://data.commoncrawl.org/crawl-data/CC-NEWS/2024/01/warc.paths.gz")
    True
    >>> is_source_url("output/menafn/archive")
    False
    """
    return value.strip().lower().startswith(("http://", "https://"))


def parse_source_url(value: str) -> str:
    """An ``http(s)://`` URL of one WARC file or of a listing of them, or BadArgument.

    >>> parse_source_url("http://127.0.0.1:8000/CC-NEWS-20240101001442-00031.warc.gz")
    'http://127.0.0.1:8000/CC-NEWS-20240101001442-00031.warc.gz'
    """
    url = value.strip()
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise BadArgument(f"invalid source {value!r}: bad port") from None
    if not parts.hostname:
        raise BadArgument(f"invalid source {value!r}: no host")
    if not parts.path.lower().endswith(SOURCE_URL_NAMES):
        raise BadArgument(
            f"invalid source {value!r}: a URL must name a .warc.gz or .warc file, or a "
            "warc.paths.gz listing of them"
        )
    return url


def check_arguments(kwargs: dict[str, Any], known: frozenset[str] = ARGUMENTS) -> None:
    """Raise BadArgument for an unknown name or a bad value, before anything runs."""
    unknown = sorted(set(kwargs) - known)
    if unknown:
        names = ", ".join(sorted(known))
        raise BadArgument(f"unknown spider argument {unknown[0]!r} (known: {names})")
    if kwargs.get("source") is not None:
        check_source(str(kwargs["source"]))
        if kwargs.get("base_url"):
            raise BadArgument("source reads saved pages and archives: it takes no base_url")
    if kwargs.get("base_url") is not None:
        parse_base_url(kwargs["base_url"])
    if kwargs.get("reextract") is not None:
        parse_reextract(str(kwargs["reextract"]), kwargs.get("source"))
    since = parse_since(kwargs["since"]) if kwargs.get("since") is not None else None
    until = parse_until(kwargs["until"]) if kwargs.get("until") is not None else None
    if since and until and until < since:
        raise BadArgument(f"until {until} is before since {since}: the window is empty")


def check_source(value: str) -> None:
    """A source that exists (a path) or can be asked for (a URL), or BadArgument."""
    if not value.strip():
        raise BadArgument("source is empty: give a saved page, an archive or a folder of them")
    if is_source_url(value):
        parse_source_url(value)
    elif not Path(value).exists():
        raise BadArgument(f"source not found: {value}")
    elif not holds_a_page(Path(value)):
        raise BadArgument(
            f"source holds no page: {value} (saved pages are .txt, .html, .htm, .gz, .warc,"
            " .warc.gz files; empty files, dangling links and hidden files do not count)"
        )


def holds_a_page(source: Path) -> bool:
    """Whether ``source`` is a saved page or archive, or a folder with at least one in it (as
    ``saved_page_paths`` walks it: hidden files and dangling links left out). Pages are known
    by their names, in a folder and alone alike; an empty file holds none (a download that
    failed, a month's archive not written yet: FRESH-USER-2), and alone it is bad usage.

    >>> package = Path(__file__).parents[1]
    >>> holds_a_page(package / "samples" / "menafn"), holds_a_page(package / "schema")
    (True, False)
    >>> holds_a_page(next((package / "schema").iterdir()))  # one file that is not a page
    False
    """
    if source.is_file():
        candidates: Iterable[Path] = [source]
    else:
        candidates = (
            path
            for path in source.rglob("*")
            if not any(part.startswith(".") for part in path.relative_to(source).parts)
            and path.is_file()
        )
    return any(is_page(path) and path.stat().st_size > 0 for path in candidates)


def is_page(path: Path) -> bool:
    """A saved page or an archive, by its name (``saved.py``)."""
    return bool(page_kind(path) or is_archive(path))
