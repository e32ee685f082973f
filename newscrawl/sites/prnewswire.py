"""PR Newswire release pages."""

from __future__ import annotations

from newscrawl.sites.menafn.urls import Ref
from newscrawl.sites.wire import WireReleasePage
from newscrawl.sites.wire_urls import PRNEWSWIRE_HOST, prnewswire_ref


class PrnewswirePage(WireReleasePage):
    """A PR Newswire release: ``header.release-header``, ``section.release-body``."""

    SOURCE = "prnewswire"
    PROVIDER = "PR Newswire"
    HOST = PRNEWSWIRE_HOST
    TITLE_SELECTORS = ("header.release-header h1", "div.detail-headline h1")
    BODY_SELECTORS = (
        "section.release-body",
        "div.release-body",
        "div.col-lg-10.col-lg-offset-1",
    )
    STAMP_SELECTORS = ("header.release-header p.mb-no", "p.mb-no")
    # "News provided by" and the issuer's newsroom link (/news/<org>/) right after it.
    ISSUER_SELECTORS = (
        'header.release-header a[href*="/news/"] strong',
        'p.meta + a[href*="/news/"]',
    )

    def release_ref(self, url: str) -> Ref | None:
        return prnewswire_ref(url)

    def published_values(self) -> list[str]:
        """JSON-LD ``datePublished`` and ``meta[name=date]`` (with an offset) before the
        printed ET stamp; ``dateModified`` is a later edit, never the publication."""
        return [*self.ld_values("datePublished"), *self.meta_values("date"),
                *super().published_values()]  # fmt: skip
