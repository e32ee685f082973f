"""A DNS that answers differently per call, for the address guard's tests.

``ScriptedLookup`` stands where the system resolver stands (the lookup under
``PublicAddressResolver``): each name has a list of answers, one per lookup, the last one
repeated; an empty answer is a failed lookup. Other names go to the real resolver.
``RebindingResolver`` is a ``TWISTED_DNS_RESOLVER`` for a ``scrapy`` process: the guard's
resolver over a script read from the ``TEST_DNS_SCRIPT`` setting (JSON).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.resolver import HostResolution
from twisted.internet.address import IPv4Address

from newscrawl.addresses import PublicAddressResolver


class ScriptedLookup:
    """An IHostnameResolver answering from a script: {name: [[address, …] per lookup]}."""

    def __init__(self, script: dict[str, list[list[str]]], fallback: Any = None) -> None:
        self.script = script
        self.fallback = fallback
        self.calls: dict[str, int] = {}

    def resolveHostName(
        self,
        receiver: Any,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type] | None = None,
        transportSemantics: str = "TCP",
    ) -> Any:
        if hostName not in self.script:
            return self.fallback.resolveHostName(
                receiver, hostName, portNumber, addressTypes, transportSemantics
            )
        answers = self.script[hostName]
        call = self.calls.get(hostName, 0)
        self.calls[hostName] = call + 1
        resolution = HostResolution(hostName)
        receiver.resolutionBegan(resolution)
        for address in answers[min(call, len(answers) - 1)]:
            receiver.addressResolved(IPv4Address("TCP", address, portNumber))
        receiver.resolutionComplete()
        return resolution


class RebindingResolver(PublicAddressResolver):
    """The guard's resolver over ``TEST_DNS_SCRIPT`` instead of the system's."""

    script: dict[str, list[list[str]]]

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        resolver.script = json.loads(crawler.settings["TEST_DNS_SCRIPT"])
        return resolver

    def install_on_reactor(self) -> None:
        super().install_on_reactor()
        self.lookup = ScriptedLookup(self.script, fallback=self.lookup)
