"""A Common-Crawl-like file server on 127.0.0.1: CC-NEWS-shaped WARC files and their monthly
``warc.paths.gz`` listings, served from memory with byte ranges (as data.commoncrawl.org
serves them), and faults: a connection lost mid-file, a file that is not there, a redirect.

Run it by hand with ``python -m tests.ccnews_site`` (it serves a small sample and prints its
listing URL).
"""

from __future__ import annotations

import gzip
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

from tests.site.pages import render_article
from tests.site.stories import Story, published_for_id, synthetic_stories
from tests.warc_files import Exchange, ccnews_records, members

_RANGE = re.compile(r"^bytes=(\d+)-$")
REF_ID, REF_TIME = 1109793603, datetime(2025, 7, 13, 4, 11, 24, tzinfo=UTC)


def story_published(moment: datetime) -> Story:
    """A MENAFN story the local site would publish at about ``moment`` (ids rise with time)."""
    story_id = REF_ID + round((moment - REF_TIME).total_seconds() / 19.5)
    story = synthetic_stories(1, start_id=story_id)[0]
    assert abs((published_for_id(story.id) - moment).total_seconds()) < 20
    return story


def menafn_answer(story: Story, fetched: datetime, host: str = "menafn.com") -> Exchange:
    return Exchange(f"https://{host}{story.path}", render_article(story).encode(), fetched)


def ccnews_file(answers: list[Exchange]) -> bytes:
    """A CC-NEWS WARC file (WARC/1.0, one gzip member per record) of these answers."""
    return members(ccnews_records(answers))


def file_name(started: datetime, number: int) -> str:
    """``CC-NEWS-YYYYMMDDhhmmss-NNNNN.warc.gz``, under its month's folder."""
    return f"crawl-data/CC-NEWS/{started:%Y/%m}/CC-NEWS-{started:%Y%m%d%H%M%S}-{number:05d}.warc.gz"


def listing(paths: list[str]) -> bytes:
    """A ``warc.paths.gz``: one path a line, gzip-compressed."""
    return gzip.compress("".join(f"{p}\n" for p in paths).encode(), mtime=0)


@dataclass
class ArchiveServer:
    """Files by path (without the leading ``/``). ``cut``: path -> bytes sent before the
    connection is lost, on the first answer for that path only; ``redirects``: path -> URL."""

    files: dict[str, bytes]
    cut: dict[str, int] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    ranges: bool = True
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, Range header)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> Self:
        handler = type("Handler", (_Handler,), {"site": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    site: ArchiveServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the server keeps its own log."""

    def do_GET(self) -> None:
        path = self.path.lstrip("/")
        asked = self.headers.get("Range", "")
        self.site.requests.append((path, asked))
        if path in self.site.redirects:
            self.send_response(302)
            self.send_header("Location", self.site.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = self.site.files.get(path)
        if data is None:
            self.send_error(404)
            return
        start = int(found[1]) if (found := _RANGE.match(asked)) and self.site.ranges else 0
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes" if self.site.ranges else "none")
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        cut = self.site.cut.pop(path, None)
        if cut is not None:  # the connection is lost after `cut` bytes
            self.wfile.write(data[start:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data[start:])


if __name__ == "__main__":  # pragma: no cover - a sample to try by hand
    import time

    started = datetime(2025, 11, 1, 12, tzinfo=UTC)
    answers = [menafn_answer(story_published(started), started)]
    name = file_name(started, 1)
    files = {
        name: ccnews_file(answers),
        "crawl-data/CC-NEWS/2025/11/warc.paths.gz": listing([name]),
    }
    with ArchiveServer(files) as server:
        print(f"{server.base_url}/crawl-data/CC-NEWS/2025/11/warc.paths.gz", flush=True)
        time.sleep(3600)
