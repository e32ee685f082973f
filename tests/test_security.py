"""Security: requests stay on public addresses of the site; files stay in the output folder."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.test import get_crawler
from twisted.internet.address import IPv4Address
from twisted.internet.interfaces import IResolutionReceiver

from newscrawl import settings as project_settings
from newscrawl.addresses import AddressGuardMiddleware, PublicAddressResolver
from newscrawl.run.extension import RunExtension
from newscrawl.spiders.menafn import MenafnSpider
from tests import launcher
from tests.conftest import DEFAULT_STATE, ROOT, SAMPLE
from tests.in_process import crawl_here
from tests.rebinding import ScriptedLookup
from tests.site import MenafnSite, synthetic_stories


def guard(private_hosts: tuple[str, ...] = ()) -> AddressGuardMiddleware:
    crawler = get_crawler(MenafnSpider, {"NEWSCRAWL_PRIVATE_HOSTS": list(private_hosts)})
    return AddressGuardMiddleware.from_crawler(crawler)


def check(middleware: AddressGuardMiddleware, url: str) -> None:
    asyncio.run(middleware.process_request(Request(url)))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/1109793603/x",
        "http://127.8.9.10:8080/x",
        "http://10.0.0.1/x",
        "http://172.16.5.4/x",
        "http://172.31.255.1/x",
        "http://192.168.1.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[fc00::1]/x",
        "http://[fd12:3456::1]/x",
        "http://0.0.0.0/x",
        "http://localhost/x",  # a name that resolves to loopback
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(IgnoreRequest, match="refused"):
        check(guard(), url)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://menafn.com/x", "data:text/html,hi"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(IgnoreRequest, match="are not fetched"):
        check(guard(), url)


def test_public_addresses_pass() -> None:
    check(guard(), "http://93.184.216.34/1109793603/x")
    check(guard(), "https://[2606:2800:220:1:248:1893:25c8:1946]/x")


def test_an_explicitly_allowed_local_host_passes_and_only_that_one() -> None:
    middleware = guard(("127.0.0.1:8000",))
    check(middleware, "http://127.0.0.1:8000/1109793603/x")
    with pytest.raises(IgnoreRequest):
        check(middleware, "http://127.0.0.1:8001/1109793603/x")


def test_a_base_url_is_consent_for_its_own_host_only() -> None:
    spider = MenafnSpider(base_url="http://127.0.0.1:8765")
    assert spider.private_hosts == {"127.0.0.1:8765"}
    assert MenafnSpider().private_hosts == set()


def test_no_console_and_no_remote_control() -> None:
    assert project_settings.TELNETCONSOLE_ENABLED is False
    assert project_settings.REMOTE_CONTROL_ENABLED is False
    assert project_settings.EXTENSIONS["scrapy.extensions.telnet.TelnetConsole"] is None
    assert project_settings.EXTENSIONS["scrapy.extensions.remote_control.RemoteControl"] is None


def test_a_spider_name_cannot_climb_out_of_the_output_folder(tmp_path: Path) -> None:
    class Climber(MenafnSpider):
        name = "../../etc"

    crawler = get_crawler(Climber, {"NEWSCRAWL_OUTPUT_DIR": str(tmp_path), "NEWSCRAWL_STATE": ""})
    with pytest.raises(ValueError, match="cannot name an output folder"):
        RunExtension.from_crawler(crawler)
    assert list(tmp_path.iterdir()) == []


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    pages = tmp_path / "deep" / "pages"
    pages.mkdir(parents=True)
    for page in SAMPLE.iterdir():
        shutil.copy(page, pages / page.name)
    (pages / "1109000001-a-title-with-slashes.txt").write_text(
        "Oil / gas: ../../etc/passwd\n\n(MENAFN) Prices of oil/gas rose sharply on Monday as"
        " traders weighed new supply data.\n"
    )
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    run = crawl_here(
        out, "-a", f"source={tmp_path / 'deep' / '..' / 'deep' / 'pages'}", state=DEFAULT_STATE
    )
    assert run.status == 0
    new = set(tmp_path.rglob("*")) - before
    assert new
    assert all(p.is_relative_to(out) for p in new)
    titles = [a["title"] for a in run.articles()]
    assert "Oil / gas: ../../etc/passwd" in titles


def test_other_spiders_and_commands_keep_no_books(tmp_path: Path) -> None:
    from scrapy import Spider

    crawler = get_crawler(Spider, {"NEWSCRAWL_OUTPUT_DIR": str(tmp_path)})
    with pytest.raises(NotConfigured):
        RunExtension.from_crawler(crawler)
    assert list(tmp_path.iterdir()) == []


class Answers:
    """An IResolutionReceiver that keeps the addresses it is handed."""

    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution: object) -> None:
        pass

    def addressResolved(self, address: IPv4Address) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.complete = True


def resolve(resolver: PublicAddressResolver, host: str, port: int = 80) -> list[str]:
    answers = Answers()
    resolver.resolveHostName(cast(IResolutionReceiver, answers), host, port)
    assert answers.complete
    return answers.addresses


def test_the_resolver_checks_every_resolution_so_a_rebound_name_is_refused() -> None:
    script = {
        "rebind.test": [["93.184.216.34"], ["127.0.0.1"]],
        "mixed.test": [["10.0.0.7", "93.184.216.34"]],
    }
    lookup = ScriptedLookup(script)
    resolver = PublicAddressResolver(SimpleNamespace(nameResolver=lookup), ["mixed.test:8080"])
    assert resolve(resolver, "rebind.test") == ["93.184.216.34"]
    assert resolve(resolver, "rebind.test") == []  # the second answer is private: no address
    assert resolver.refused == {"rebind.test": "127.0.0.1"}
    assert resolve(resolver, "mixed.test") == ["93.184.216.34"]  # only the public one is used
    assert resolve(resolver, "mixed.test", 8080) == ["10.0.0.7", "93.184.216.34"]  # consent
    resolver.allow(["rebind.test:8000"])
    assert resolve(resolver, "rebind.test", 8000) == ["127.0.0.1"]


def test_a_name_that_rebinds_to_a_local_server_is_refused_where_it_connects() -> None:
    """The old guard resolved by itself first (here: a failed lookup, let through) and the
    connection resolved again (here: 127.0.0.1, a real server). Now the connection's own
    resolution is checked: refused in one line, not retried, and the server sees nothing."""
    with MenafnSite(synthetic_stories(1)) as site:
        port = site.base_url.rsplit(":", 1)[1]
        script = json.dumps({"rebind.test": [[], ["127.0.0.1"]]})
        _, _, stderr = launcher.run(
            [
                sys.executable, "-m", "scrapy", "fetch", f"http://rebind.test:{port}/",
                "-s", "TWISTED_DNS_RESOLVER=tests.rebinding.RebindingResolver",
                "-s", f"TEST_DNS_SCRIPT={script}", "-s", "NEWSCRAWL_RETRY_BACKOFF=0.1",
            ],
            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
        )  # fmt: skip
        assert site.requests == []
    refused = f"refused http://rebind.test:{port}/: rebind.test is a non-public address (127.0.0.1)"
    assert refused in stderr
    assert "Gave up retrying <GET http://rebind.test" not in stderr
