"""WARC files over HTTP(S), streamed: a CC-NEWS file is about 1 GB, read as it arrives.

Scrapy's downloader does not stream: it keeps a whole body in memory and gives up past
``DOWNLOAD_MAXSIZE`` (10 MB); its ``bytes_received`` signal sees the chunks but cannot free
them. So the files are read with urllib3 (the HTTP client under requests, already installed
with trafilatura), one connection at a time, with the run's User-Agent and timeout. Every hop
of a redirect is checked as AddressGuardMiddleware checks a crawl's: a private or loopback
address only for a host the user named (the source URL's own, ``NEWSCRAWL_PRIVATE_HOSTS``). A
download cut short is resumed where it stopped (``Range``), ``RETRY_TIMES`` times.
"""

from __future__ import annotations

import logging
import socket
import zlib
from dataclasses import dataclass
from typing import Self
from urllib.parse import urljoin, urlsplit

import urllib3
from scrapy.crawler import Crawler
from urllib3.exceptions import HTTPError, ProtocolError

from newscrawl.addresses import is_public
from newscrawl.warc.members import StreamCut

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 20  # as Scrapy's REDIRECT_MAX_TIMES
RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchFailed(Exception):
    """A URL that gave no file: an HTTP error status, a refused address, no connection."""


def host_port(url: str) -> str:
    """``host:port`` of a URL, as ``NEWSCRAWL_PRIVATE_HOSTS`` names hosts.

    >>> host_port("http://127.0.0.1:8000/x.warc.gz"), host_port("https://Data.Example.org/x")
    ('127.0.0.1:8000', 'data.example.org:443')
    """
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


@dataclass
class Client:
    """Fetches files for one run: ``private`` lists the ``host:port`` entries that may resolve
    to a non-public address (the user named them)."""

    pool: urllib3.PoolManager
    private: frozenset[str]
    retries: int

    @classmethod
    def from_crawler(cls, crawler: Crawler, source_url: str) -> Self:
        """A client with the run's User-Agent, ``DOWNLOAD_TIMEOUT``, ``RETRY_TIMES`` and
        ``NEWSCRAWL_RETRY_BACKOFF``; the source URL's host is consented to."""
        settings = crawler.settings
        retries = settings.getint("RETRY_TIMES")
        retry = urllib3.Retry(
            total=retries, redirect=False, status_forcelist=RETRY_STATUSES,
            backoff_factor=settings.getfloat("NEWSCRAWL_RETRY_BACKOFF"), raise_on_status=False,
        )  # fmt: skip
        headers = {"User-Agent": str(settings["USER_AGENT"]), "Accept-Encoding": "identity"}
        timeout = urllib3.Timeout(connect=settings.getfloat("DOWNLOAD_TIMEOUT"),
                                  read=settings.getfloat("DOWNLOAD_TIMEOUT"))  # fmt: skip
        pool = urllib3.PoolManager(headers=headers, retries=retry, timeout=timeout)
        named = {h.lower() for h in settings.getlist("NEWSCRAWL_PRIVATE_HOSTS")}
        return cls(pool, frozenset({*named, host_port(source_url)}), retries)

    def open(self, url: str, start: int = 0) -> urllib3.BaseHTTPResponse:
        """The answer to ``url`` (from byte ``start``: a 206), its body not yet read; redirects
        followed, each hop checked. Raises FetchFailed."""
        headers = {"Range": f"bytes={start}-"} if start else {}
        for _ in range(MAX_REDIRECTS + 1):
            self.check_address(url)
            try:
                answer = self.pool.request(
                    "GET", url, headers=headers, redirect=False, preload_content=False
                )
            except HTTPError as exc:
                raise FetchFailed(f"{url}: {_reason(exc)}") from None
            location = answer.get_redirect_location()
            if not location:
                return _checked(answer, url, start)
            answer.release_conn()
            url = urljoin(url, location)
        raise FetchFailed(f"{url}: more than {MAX_REDIRECTS} redirects")

    def get(self, url: str, max_bytes: int) -> bytes:
        """A small file whole (a listing), gunzipped where it is gzip; at most ``max_bytes``."""
        answer = self.open(url)
        try:
            data = answer.read(max_bytes + 1)
        except HTTPError as exc:
            raise FetchFailed(f"{url}: {_reason(exc)}") from None
        finally:
            answer.release_conn()
        if len(data) > max_bytes:
            raise FetchFailed(f"{url}: more than {max_bytes} bytes")
        if data.startswith(b"\x1f\x8b"):
            inflater = zlib.decompressobj(31)
            try:
                data = inflater.decompress(data, max_bytes + 1)
            except zlib.error as exc:
                raise FetchFailed(f"{url}: bad gzip data: {exc}") from None
            if len(data) > max_bytes or not inflater.eof:
                raise FetchFailed(f"{url}: more than {max_bytes} bytes, or cut short")
        return data

    def check_address(self, url: str) -> None:
        """Refuse a URL that is not http(s), or whose host resolves to a non-public address
        and was not named by the user."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchFailed(f"{url}: only http(s) URLs are fetched")
        if host_port(url) in self.private:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise FetchFailed(f"{url}: {parts.hostname} does not resolve ({exc})") from None
        for info in infos:
            if not is_public(str(info[4][0])):
                raise FetchFailed(f"refused {url}: {parts.hostname} is a non-public address")


class RemoteFile:
    """The body of one URL as a stream, resumed from where it stopped when the connection is
    lost (``Range``), at most ``client.retries`` times; then StreamCut."""

    def __init__(self, client: Client, url: str) -> None:
        self.client = client
        self.url = url
        self.answer = client.open(url)
        self.position = 0
        self.resumed = 0

    def read(self, size: int = -1, /) -> bytes:
        while True:
            try:
                data: bytes = self.answer.read(None if size < 0 else size)
            except (HTTPError, OSError) as exc:
                self.resume(exc)
                continue
            self.position += len(data)
            return data

    def resume(self, exc: Exception) -> None:
        self.answer.release_conn()
        coded = self.answer.headers.get("Content-Encoding", "identity").lower() != "identity"
        if self.resumed >= self.client.retries or coded:  # a range of coded bytes: not ours
            raise StreamCut(f"the connection was lost at byte {self.position}: {_reason(exc)}")
        self.resumed += 1
        logger.info("resuming %s at byte %d (%s)", self.url, self.position, _reason(exc))
        try:
            self.answer = self.client.open(self.url, start=self.position)
        except FetchFailed as failed:
            raise StreamCut(f"lost at byte {self.position}, not resumed: {failed}") from None

    def close(self) -> None:
        self.answer.release_conn()


def _checked(answer: urllib3.BaseHTTPResponse, url: str, start: int) -> urllib3.BaseHTTPResponse:
    if answer.status >= 300 or (start and answer.status != 206):
        answer.release_conn()
        why = f"HTTP {answer.status}" + (" to a range request" if start else "")
        raise FetchFailed(f"{url}: {why}")
    if start and not (answer.headers.get("Content-Range") or "").startswith(f"bytes {start}-"):
        answer.release_conn()
        raise FetchFailed(f"{url}: the server sent another range than asked for")
    return answer


def _reason(exc: Exception) -> str:
    """What went wrong, in a few words: the last error a MaxRetryError holds, the message of a
    ProtocolError (without the exception it wraps)."""
    inner = getattr(exc, "reason", None) or exc
    words = inner.args[0] if isinstance(inner, ProtocolError) and inner.args else inner
    return str(words)[:200]
