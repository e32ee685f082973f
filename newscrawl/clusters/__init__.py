"""Cross-source story clusters: MinHash of the normalised story text, LSH bands, strict checks.

Two articles carry the same story when the MinHash estimate of the Jaccard similarity of their
word 4-shingles is at least ``SIMILARITY`` and their features agree: where both texts fill a
slot of their template (the words around a name or a figure), they fill it alike
(``newscrawl.clusters.features``). Templated copy, a daily bulletin or an agency's statements
of one day, shares most of its words but names another place, price or person: precision
before recall. Candidates come from LSH: an article is looked up by ``BANDS`` keys, one per
band of ``ROWS`` signature values, and only articles that share a key are compared.

The parameters are part of the stored state (signatures, features and band keys are kept
across runs): ``SCHEME`` names them, the state records it, and a state of another scheme is
rebuilt from the articles written (``newscrawl.clusters.scheme``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol
from weakref import WeakSet

from newscrawl.clusters.features import agree, clauses, features
from newscrawl.clusters.minhash import band_keys, low_bytes, signature, similarity
from newscrawl.clusters.scheme import SchemeRecord, adopt

SIMILARITY = 0.6  # estimated Jaccard of the shingles above which two texts may be one story
MIN_WORDS = 8  # shorter texts say too little to be linked to anything
MAX_CANDIDATES = 500  # articles compared per look-up (templated bulletins pile up in one band)
# Headings of a release's boilerplate tail (About <issuer>, contacts, safe-harbour text).
_BOILERPLATE = re.compile(
    r"^(?:About\s+\S|Forward[- ]Looking Statements?|Safe Harbou?r|Cautionary (?:Note|Statement)"
    r"|(?:(?:Media|Press|Investor|Investors|IR)\s+)*(?:Contacts?|Enquiries|Inquiries)\b)",
    re.IGNORECASE,
)
_HEADING_WORDS = 10
_ADOPTED: WeakSet[ClusterIndex] = WeakSet()  # indexes whose scheme was checked (cluster_of)


@dataclass(frozen=True)
class Fingerprint:
    """What the cluster state keeps of one article: signature, features and LSH band keys."""

    signature: bytes  # the low byte of each of the NUM_PERM values (b-bit MinHash, b = 8)
    features: bytes  # its filled slots (newscrawl.clusters.features), packed uint64
    bands: tuple[int, ...]  # BANDS signed 64-bit keys


@dataclass(frozen=True)
class Member:
    """An article already in the cluster state, as a look-up returns it."""

    story_id: str
    cluster_id: str
    signature: bytes
    features: bytes


class ClusterIndex(SchemeRecord, Protocol):
    """The shared cluster state (SQLite, or Redis for many workers); rows of a run stay with its
    stories: they are committed with them and rolled back with them (``SeenStore.forget_run``).
    It records the scheme that made its rows (``newscrawl.clusters.scheme``)."""

    def candidates(self, bands: Sequence[int], limit: int) -> list[Member]:
        """Members sharing at least one band key, newest first (a copy follows its original
        soon), at most ``limit``."""
        ...

    def add(self, story_id: str, cluster_id: str, fingerprint: Fingerprint, run: str) -> None:
        """Record an article, its story and its fingerprint under ``run``."""
        ...

    def story_cluster(self, story_id: str) -> str | None:
        """The cluster the article ``story_id`` was added to, or None if it never was."""
        ...

    def assigning(self) -> AbstractContextManager[None]:
        """One article's look-up and add as one step, where the state can make it one: two
        processes sharing it then never both start a cluster for one story."""
        ...


def story_text(dateline: str | None, body: str) -> str:
    """The text a story is recognised by: the dateline (where a wire puts its place and date,
    which MENAFN's copies carry in the body) and the body up to the issuer's boilerplate;
    never the title, which sites rewrite.

    Every release of an issuer ends with the same About section, contact block and
    forward-looking statements: two of its releases would look alike by them alone.

    >>> story_text("OSLO (GLOBE NEWSWIRE) --", "Acme rose.\\n\\nAbout Acme\\n\\nAcme makes.")
    'OSLO (GLOBE NEWSWIRE) -- Acme rose.'
    """
    paragraphs = body.split("\n\n")
    for index, paragraph in enumerate(paragraphs[1:], start=1):
        if _BOILERPLATE.match(paragraph) and len(paragraph.split()) <= _HEADING_WORDS:
            paragraphs = paragraphs[:index]
            break
    text = "\n\n".join(paragraphs)
    return f"{dateline} {text}" if dateline else text


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a story's text; None for a text too short to be recognised.

    One pass reads the text's words (``features.clauses``): the shingles are its words in
    order, the features its names and figures in their slots.
    """
    found = clauses(text)
    tokens = [word for clause in found for word, _ in clause]
    if len(tokens) < MIN_WORDS:
        return None
    full = signature(tokens)
    return Fingerprint(low_bytes(full), features(found), band_keys(full))


def same_story(new: Fingerprint, old: Member) -> float | None:
    """The similarity of two articles if they carry the same story, else None.

    Their features must agree (``features.agree``): a copy may lose a contact block or gain
    a paragraph, but a bulletin of another day changes its figures, and an agency's statement
    on another attack names another place.
    """
    score = similarity(new.signature, old.signature)
    if score < SIMILARITY or not agree(new.features, old.features):
        return None
    return score


def assign_cluster(index: ClusterIndex, story_id: str, text: str, run: str) -> str:
    """The cluster of a new article: the best-matching earlier article's cluster, else its own
    id. The article is added to ``index`` (a text too short to recognise is not)."""
    return cluster_of(index, story_id, fingerprint(text), run)


def cluster_of(index: ClusterIndex, story_id: str, new: Fingerprint | None, run: str) -> str:
    """``assign_cluster`` for a fingerprint already computed (where the page was parsed); the
    index's scheme is checked first (``checked``)."""
    if new is None:
        return story_id
    checked(index)
    return place(index, story_id, new, run)


def checked(index: ClusterIndex) -> None:
    """Check an index's scheme once (``scheme.adopt``): a new one records this version's, so
    no row is ever stored without it; one of another scheme raises ``SchemeMismatch``."""
    if index not in _ADOPTED:
        adopt(index, "the state")
        _ADOPTED.add(index)


def kept_cluster(index: ClusterIndex, story_id: str, new: Fingerprint | None, run: str) -> str:
    """The cluster of an article written before, written again (a re-extraction): the one it
    was added to, whatever its text now looks like, so a parser fix never moves a story to
    another cluster nor splits one. Its row stays as it is (the fingerprint it was linked by,
    kept by the run that wrote it: nothing to put back if this run rolls back). An article
    that never got a row (its text was too short) is its own story, and gets a row now if its
    text is long enough, under ``run``."""
    checked(index)
    with index.assigning():
        cluster = index.story_cluster(story_id)
        if cluster is None and new is not None:
            index.add(story_id, story_id, new, run)
    return cluster or story_id


def place(index: ClusterIndex, story_id: str, new: Fingerprint, run: str) -> str:
    """Look the article up and add it: the cluster of the earlier article it matches best,
    else its own id (``cluster_of`` without the scheme check, for a rebuild)."""
    best_score, cluster = 0.0, story_id
    with index.assigning():
        for member in index.candidates(new.bands, MAX_CANDIDATES):
            score = same_story(new, member)
            if score is not None and score > best_score:
                best_score, cluster = score, member.cluster_id
        index.add(story_id, cluster, new, run)
    return cluster
