"""Which records of a WARC file are the spider's story answers, and why the others are not.

An archive another tool wrote (Heritrix, wget, Common Crawl's CC-NEWS: thousands of sites in a
file) holds the site's answers among everyone else's; only those on the site's own hosts, at
one of its story URLs, fetched no earlier than the window opens, are read. An archive newscrawl
wrote for this spider holds nothing else, whatever host it was crawled from (a mirror, the local
test site): its ``warcinfo`` record says so. Every other record is skipped and counted by reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders

ANSWER = "response"
REVISIT = "revisit"
OTHER_HOST = "other host"
NOT_A_STORY = "not a story URL"
BEFORE_WINDOW = "fetched before the window"


@dataclass
class Scope:
    """The spider's part of an archive: its ``name``, ``hosts`` (lower case) and story URL rule
    ``is_story``; ``opens``, the window's start (UTC), if there is one. ``seen`` collects the
    payload digests and URLs of the story answers read, so that revisit records (which repeat
    an earlier record's payload) can be told from revisits of records not in the source."""

    name: str
    hosts: frozenset[str]
    is_story: Callable[[str], bool]
    opens: datetime | None = None
    seen: set[str] = field(default_factory=set)

    def owns(self, warcinfo: bytes) -> bool:
        """Whether a ``warcinfo`` record's fields say newscrawl wrote the file for this spider.

        >>> scope = Scope("menafn", frozenset(), bool)
        >>> scope.owns(b"software: newscrawl/0.3.0 (Scrapy 2.19)\\r\\nisPartOf: menafn/2026\\r\\n")
        True
        >>> scope.owns(b"software: newscrawl/0.3.0\\r\\nisPartOf: prnewswire/2026\\r\\n")
        False
        >>> scope.owns(b"software: Wget/1.21.3\\r\\n")
        False
        """
        fields = dict(_field(line) for line in warcinfo.decode("utf-8", "replace").splitlines())
        part_of = fields.get("ispartof", f"{self.name}/")
        return fields.get("software", "").startswith("newscrawl/") and part_of.startswith(
            f"{self.name}/"
        )

    def skip_reason(self, head: StatusAndHeaders, owned: bool) -> str | None:
        """Why a record is not one of the spider's story answers (None: it may be one; its HTTP
        status and body decide). ``owned``: the file is newscrawl's, for this spider.

        >>> scope = Scope("menafn", frozenset({"menafn.com"}), lambda url: "/11" in url)
        >>> def head(kind, url):
        ...     return StatusAndHeaders("", [("WARC-Type", kind), ("WARC-Target-URI", url)])
        >>> scope.skip_reason(head("response", "https://menafn.com/1100000000/x"), False)
        >>> scope.skip_reason(head("response", "https://example.com/1100000000/x"), False)
        'other host'
        >>> scope.skip_reason(head("request", "https://menafn.com/1100000000/x"), False)
        'request'
        >>> scope.skip_reason(head("response", "dns:menafn.com"), False)
        'not HTTP'
        """
        kind = head.get_header("WARC-Type") or "unknown"
        url = head.get_header("WARC-Target-URI") or ""
        if kind not in {ANSWER, REVISIT}:
            return kind
        if not url.startswith(("http://", "https://")):
            return "not HTTP"
        if not owned and (urlsplit(url).hostname or "") not in self.hosts:
            return OTHER_HOST
        if not self.is_story(url):
            return NOT_A_STORY
        if kind == REVISIT:
            return self.revisit_reason(head)
        return None

    def revisit_reason(self, head: StatusAndHeaders) -> str:
        """A revisit of one of the spider's stories: of an answer read in this source, or not."""
        refers = [
            head.get_header(name) or ""
            for name in ("WARC-Payload-Digest", "WARC-Refers-To-Target-URI", "WARC-Target-URI")
        ]
        return "revisit" if self.seen.intersection(refers) else "revisit of a record not here"

    def before_window(self, fetched: datetime) -> bool:
        return self.opens is not None and fetched < self.opens

    def read(self, head: StatusAndHeaders) -> None:
        """Note a story answer read, for the revisits that may follow it."""
        for name in ("WARC-Payload-Digest", "WARC-Target-URI"):
            value = head.get_header(name)
            if value:
                self.seen.add(value)


def _field(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name.strip().lower(), value.strip()
