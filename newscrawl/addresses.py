"""AddressGuard: requests go to public web addresses only, checked on every hop."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from typing import Any, Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

_CACHE_SIZE = 1024


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback, link-local…).

    >>> [is_public(a) for a in ("93.184.216.34", "10.1.2.3", "169.254.169.254", "::1", "fc00::1")]
    [True, False, False, False, False]
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


class AddressGuardMiddleware:
    """Refuses non-http(s) URLs, and hosts resolving to private, loopback or link-local addresses.

    Redirects come back through here, so every hop is checked against the address it resolves
    to. The one way in to a private host: ``NEWSCRAWL_PRIVATE_HOSTS`` (``host:port`` entries),
    and the ``base_url`` a user explicitly points a spider at (its ``private_hosts``).
    """

    def __init__(self, crawler: Crawler, allowed: frozenset[str]) -> None:
        self.crawler = crawler
        self.allowed = allowed
        self.resolved: dict[tuple[str, int], list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        hosts = frozenset(h.lower() for h in crawler.settings.getlist("NEWSCRAWL_PRIVATE_HOSTS"))
        return cls(crawler, hosts)

    def allowed_hosts(self) -> frozenset[str]:
        spider_hosts: set[str] = getattr(self.crawler.spider, "private_hosts", set())
        return self.allowed | frozenset(spider_hosts)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in {"http", "https"}:
            self.refuse(request, f"{parts.scheme}: URLs are not fetched")
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if f"{host}:{port}" in self.allowed_hosts():
            return
        for address in await self.addresses(host, port):
            if not is_public(address):
                self.refuse(request, f"{host} is a non-public address ({address})")

    async def addresses(self, host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        key = (host, port)
        if key not in self.resolved:
            loop = asyncio.get_running_loop()
            try:
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except OSError:
                return []  # the download itself will fail, and say so
            if len(self.resolved) >= _CACHE_SIZE:
                self.resolved.clear()
            self.resolved[key] = sorted({str(info[4][0]) for info in infos})
        return self.resolved[key]

    def refuse(self, request: Request, why: str) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value("newscrawl/refused_requests")
        logger.warning("refused %s: %s", request.url, why)
        raise IgnoreRequest(f"refused: {why}")
