"""Spider arguments every wire spider takes (`source`, `base_url`, `since`), checked up front."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.saved import is_archive, page_kind

ARGUMENTS = frozenset({"source", "base_url", "since"})


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
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadArgument(f"invalid since {value!r}: expected YYYY-MM-DD") from None


def check_arguments(kwargs: dict[str, Any], known: frozenset[str] = ARGUMENTS) -> None:
    """Raise BadArgument for an unknown name or a bad value, before anything runs."""
    unknown = sorted(set(kwargs) - known)
    if unknown:
        names = ", ".join(sorted(known))
        raise BadArgument(f"unknown spider argument {unknown[0]!r} (known: {names})")
    if kwargs.get("source") is not None:
        if not str(kwargs["source"]).strip():
            raise BadArgument("source is empty: give a saved page or a folder of them")
        if not Path(kwargs["source"]).exists():
            raise BadArgument(f"source not found: {kwargs['source']}")
        if not holds_a_page(Path(kwargs["source"])):
            raise BadArgument(
                f"source holds no page: {kwargs['source']} (saved pages are .txt, .html, .htm"
                ", .gz, .warc, .warc.gz files; dangling links and hidden files do not count)"
            )
        if kwargs.get("base_url") or kwargs.get("since"):
            raise BadArgument("source reads saved pages: it takes no base_url or since")
    if kwargs.get("base_url") is not None:
        parse_base_url(kwargs["base_url"])
    if kwargs.get("since") is not None:
        parse_since(kwargs["since"])


def holds_a_page(source: Path) -> bool:
    """Whether ``source`` is a file, or a folder with at least one saved page or archive in it
    (as ``saved_page_paths`` walks it: hidden files and dangling links left out).

    >>> package = Path(__file__).parents[1]
    >>> holds_a_page(package / "samples" / "menafn"), holds_a_page(package / "schema")
    (True, False)
    """
    if source.is_file():
        return True
    for path in source.rglob("*"):
        hidden = any(part.startswith(".") for part in path.relative_to(source).parts)
        if not hidden and path.is_file() and (page_kind(path) or is_archive(path)):
            return True
    return False
