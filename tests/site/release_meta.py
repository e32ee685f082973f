"""What a release page says of its release beyond its text: its summary and description as
each wire's metadata gives them, and where the wires' page templates name their own release
(so every release served gets its own values there, never the saved page's)."""

from __future__ import annotations

from .releases import Release


def summary(release: Release) -> str:
    return release.paragraphs[0][:150].rsplit(" ", 1)[0] + "..."


def description(release: Release) -> str:
    """The release's description as its wire's metadata gives it (PR Newswire's starts with
    its own mark, as on the real page): a live crawl's ``summary``."""
    mark = "/PRNewswire/ -- " if release.wire == "prnewswire" else ""
    return mark + summary(release)


# Where each template names its own release beyond what ``render_release`` and the wire's
# ``fill_*`` set (left as they were, every release would carry the template's): (CSS query,
# attribute, which value).
OWN_VALUES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "prnewswire": (
        ("meta[itemprop=description]", "content", "description"),
        ("meta[name='twitter:description']", "content", "description"),
        ("meta#sharingDesc", "content", "description"),
        ("meta[name='twitter:title']", "content", "title"),
        ("meta#sharingTitle", "content", "title"),
        ("meta[name=cf_entity_title]", "value", "title"),
        ("meta[name=keywords]", "content", "organization"),
        ("meta[itemprop=keywords]", "content", "organization"),
    ),
    "globenewswire": (
        ("meta[name=title]", "content", "title"),
        ("meta[name='twitter:title']", "content", "title"),
        ("meta[name='twitter:description']", "content", "description"),
        ("meta[property='og:article:tag']", "content", "organization"),
    ),
}
