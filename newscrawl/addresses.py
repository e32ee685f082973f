"""The address guard: requests go to public web addresses only, checked where they connect.

Two parts. ``PublicAddressResolver`` is Scrapy's ``TWISTED_DNS_RESOLVER``: the reactor's own
name resolver (getaddrinfo, IPv4 and IPv6), passing on only public addresses, so what is
checked is exactly what each connection is made to, resolved afresh (a name that answers a
public address, then a private one, DNS rebinding, is refused the second time). The
``AddressGuardMiddleware`` refuses what needs no lookup (other schemes, literal non-public
addresses, ``localhost`` names), turns the resolver's refusal into a refused request (not a DNS
failure to retry), and checks ``response.ip_address`` for download handlers that resolve on
their own.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable, Sequence
from typing import Any, Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import (
    IAddress,
    IHostnameResolver,
    IHostResolution,
    IResolutionReceiver,
)
from zope.interface import implementer, provider

logger = logging.getLogger(__name__)

REFUSALS_KEPT = 1024  # hosts whose last refusal the resolver remembers, for the message


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback, link-local…).

    >>> [is_public(a) for a in ("93.184.216.34", "10.1.2.3", "169.254.169.254", "::1", "fc00::1")]
    [True, False, False, False, False]
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return ip.is_global and not ip.is_multicast


def literal_address(host: str) -> str | None:
    """The address a host names without a lookup: an IP literal, or loopback for ``localhost``
    and ``*.localhost`` (RFC 6761 §6.3); None for a name to resolve.

    >>> literal_address("10.0.0.1"), literal_address("app.localhost"), literal_address("a.com")
    ('10.0.0.1', '127.0.0.1', None)
    """
    if host == "localhost" or host.endswith(".localhost"):
        return "127.0.0.1"
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


@implementer(IHostnameResolver)
class PublicAddressResolver:
    """The reactor's name resolver, keeping only public addresses unless ``host:port`` is
    allowed (``NEWSCRAWL_PRIVATE_HOSTS``, a spider's ``base_url``: ``allow``). A name left
    with no address fails as a DNS lookup does; ``refused`` says which ones were ours."""

    def __init__(self, reactor: Any, allowed: Iterable[str] = ()) -> None:
        self.reactor = reactor
        self.lookup: Any = reactor.nameResolver  # an IHostnameResolver (zope: untyped calls)
        self.allowed = {host.lower() for host in allowed}
        self.refused: dict[str, str] = {}  # host -> the non-public address it resolved to

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> Self:
        return cls(reactor, crawler.settings.getlist("NEWSCRAWL_PRIVATE_HOSTS"))

    def install_on_reactor(self) -> None:
        self.lookup = self.reactor.nameResolver
        self.reactor.installNameResolver(self)

    def allow(self, hosts: Iterable[str]) -> None:
        self.allowed.update(host.lower() for host in hosts)

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        """Resolve as the reactor would, then pass on the addresses this host may use."""
        allowed = f"{hostName.lower()}:{portNumber}" in self.allowed
        receiver = (
            resolutionReceiver if allowed else _PublicOnly(self, resolutionReceiver, hostName)
        )
        resolution: IHostResolution = self.lookup.resolveHostName(
            receiver, hostName, portNumber, addressTypes, transportSemantics
        )
        return resolution

    def note_refusal(self, host: str, address: str) -> None:
        if len(self.refused) >= REFUSALS_KEPT:
            self.refused.clear()
        self.refused[host.lower()] = address


@provider(IResolutionReceiver)
class _PublicOnly:
    """Hands on a resolution's public addresses; notes the host if it had another."""

    def __init__(self, resolver: PublicAddressResolver, receiver: Any, host: str) -> None:
        self.resolver = resolver
        self.receiver = receiver
        self.host = host

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: Any) -> None:
        if is_public(address.host):
            self.receiver.addressResolved(address)
        else:
            self.resolver.note_refusal(self.host, address.host)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


class AddressGuardMiddleware:
    """Refuses non-http(s) URLs and non-public addresses, on every hop (redirects come back
    through here). The one way in to a private host: ``NEWSCRAWL_PRIVATE_HOSTS`` (``host:port``
    entries), and the ``base_url`` a user explicitly points a spider at (its ``private_hosts``).

    Placed after RetryMiddleware (555), so its ``process_exception`` sees a refused lookup
    first and Scrapy does not retry it as a DNS failure.
    """

    def __init__(self, crawler: Crawler, allowed: frozenset[str]) -> None:
        self.crawler = crawler
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        hosts = frozenset(h.lower() for h in crawler.settings.getlist("NEWSCRAWL_PRIVATE_HOSTS"))
        guard = cls(crawler, hosts)
        crawler.signals.connect(guard.spider_opened, signal=signals.spider_opened)
        return guard

    def allowed_hosts(self) -> frozenset[str]:
        spider_hosts: set[str] = getattr(self.crawler.spider, "private_hosts", set())
        return self.allowed | frozenset(spider_hosts)

    def spider_opened(self) -> None:
        """Tell the resolver which private hosts this crawl may use; say so if it is not ours."""
        resolver = installed_resolver()
        if isinstance(resolver, PublicAddressResolver):
            resolver.allow(self.allowed_hosts())
        else:
            logger.warning(
                "TWISTED_DNS_RESOLVER is not %s: private addresses are refused only after "
                "the download", PublicAddressResolver.__name__,
            )  # fmt: skip

    async def process_request(self, request: Request, spider: Any = None) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in {"http", "https"}:
            self.refuse(request, f"{parts.scheme}: URLs are not fetched")
        address = literal_address((parts.hostname or "").lower())
        if address is not None:
            self.check(request, address)

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if isinstance(exception, CannotResolveHostError | DNSLookupError):
            resolver = installed_resolver()
            host = (urlparse_cached(request).hostname or "").lower()
            if isinstance(resolver, PublicAddressResolver) and host in resolver.refused:
                self.refuse(request, f"{host} is a non-public address ({resolver.refused[host]})")

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        if response.ip_address is not None:
            self.check(request, str(response.ip_address))
        return response

    def check(self, request: Request, address: str) -> None:
        parts = urlparse_cached(request)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = (parts.hostname or "").lower()
        if not is_public(address) and f"{host}:{port}" not in self.allowed_hosts():
            self.refuse(request, f"{host} is a non-public address ({address})")

    def refuse(self, request: Request, why: str) -> None:
        if self.crawler.stats:
            self.crawler.stats.inc_value("newscrawl/refused_requests")
        logger.warning("refused %s: %s", request.url, why)
        raise IgnoreRequest(f"refused: {why}")


def installed_resolver() -> object:
    """The reactor's name resolver (the one Scrapy installed from ``TWISTED_DNS_RESOLVER``)."""
    from twisted.internet import reactor  # installed by Scrapy before any crawler starts

    return reactor.nameResolver
