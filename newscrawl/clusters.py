"""Cross-source story clusters: MinHash of the normalised story text, LSH bands, strict checks.

Two articles carry the same story when the MinHash estimate of the Jaccard similarity of their
word 4-shingles is at least ``SIMILARITY`` and the numbers of one are all found in the other
(templated bulletins of different days differ in dates, prices and temperatures: precision
before recall). Candidates come from LSH: an article is looked up by ``BANDS`` keys, one per
band of ``ROWS`` signature values, and only articles that share a key are compared.

The parameters below are part of the stored state (signatures and band keys are kept across
runs): changing any of them needs a new state, like the content hash's normalisation.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import numpy as np

NUM_PERM = 128  # signature length: the estimate's standard error is about 0.04 at 0.6
SEED = 1
SCHEME = "affine32"  # datasketch >= 2: uint32 values
SHINGLE_WORDS = 4
# LSH on the first 104 values: a pair at 0.6 shares a band 97% of the time, at 0.7 99.9%; an
# unrelated pair at 0.03 (common phrases) 0.002%.
BANDS, ROWS = 26, 4
SIMILARITY = 0.6  # estimated Jaccard of the shingles above which two texts may be one story
MIN_WORDS = 8  # shorter texts say too little to be linked to anything
MAX_CANDIDATES = 500  # articles compared per look-up (templated bulletins pile up in one band)
_WORD = re.compile(r"\w+")
# Headings of a release's boilerplate tail (About <issuer>, contacts, safe-harbour text).
_BOILERPLATE = re.compile(
    r"^(?:About\s+\S|Forward[- ]Looking Statements?|Safe Harbou?r|Cautionary (?:Note|Statement)"
    r"|(?:(?:Media|Press|Investor|Investors|IR)\s+)*(?:Contacts?|Enquiries|Inquiries)\b)",
    re.IGNORECASE,
)
_HEADING_WORDS = 10
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Fingerprint:
    """What the cluster state keeps of one article: signature, numbers and LSH band keys."""

    signature: bytes  # the low byte of each of the NUM_PERM values (b-bit MinHash, b = 8)
    numbers: frozenset[str]
    bands: tuple[int, ...]  # BANDS signed 64-bit keys


@dataclass(frozen=True)
class Member:
    """An article already in the cluster state, as a look-up returns it."""

    story_id: str
    cluster_id: str
    signature: bytes
    numbers: frozenset[str]


class ClusterIndex(Protocol):
    """The shared cluster state (SQLite now, Redis later); rows of a run stay with its stories:
    they are committed with them and rolled back with them (``SeenStore.forget_run``)."""

    def candidates(self, bands: Sequence[int], limit: int) -> list[Member]:
        """Members sharing at least one band key, newest first (a copy follows its original
        soon), at most ``limit``."""
        ...

    def add(self, story_id: str, cluster_id: str, fingerprint: Fingerprint, run: str) -> None:
        """Record an article, its story and its fingerprint under ``run``."""
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


def words(text: str) -> list[str]:
    """Normalised words: NFKC, case-folded, punctuation and quote styles gone.

    >>> words("PALO ALTO, Calif. \u2014 \u201cHackerRank\u2019s\u201d  platform")
    ['palo', 'alto', 'calif', 'hackerrank', 's', 'platform']
    """
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def numbers(text: str) -> frozenset[str]:
    """The numbers a text states, thousands separators dropped.

    >>> sorted(numbers("4,200 jars at $3.1 billion on April 05, 2016, 10:00 a.m."))
    ['0', '10', '2016', '3.1', '4200', '5']
    """
    found = (n.replace(",", "") for n in _NUMBER.findall(unicodedata.normalize("NFKC", text)))
    return frozenset(n.lstrip("0") or "0" for n in found)


@cache
def _minhash() -> tuple[Any, np.ndarray]:
    """datasketch's MinHash class and its permutations for our seed, made once.

    Imported on the first article, not at start-up: datasketch imports scipy (for an LSH
    parameter search we do not use), about a second of CPU that runs writing nothing new
    (the usual cron run) should not pay.
    """
    from datasketch import MinHash

    permutations: np.ndarray = MinHash(NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return MinHash, permutations


def signature(tokens: Sequence[str]) -> bytes:
    """The MinHash signature of the word shingles of ``tokens`` (datasketch), as
    ``NUM_PERM`` little-endian uint32 values."""
    minhash_class, permutations = _minhash()
    minhash = minhash_class(NUM_PERM, seed=SEED, permutations=permutations, scheme=SCHEME)
    size = min(SHINGLE_WORDS, len(tokens))
    shingles = {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}
    minhash.update_batch([s.encode() for s in shingles])
    values: bytes = minhash.hashvalues.astype("<u4").tobytes()
    return values


@cache
def _band_multipliers() -> np.ndarray:
    """Fixed odd 64-bit multipliers, one per band row (from blake2b: stable across versions)."""
    digests = (hashlib.blake2b(f"newscrawl band row {i}".encode(), digest_size=8).digest()
               for i in range(BANDS * ROWS))  # fmt: skip
    values = [int.from_bytes(d, "little") | 1 for d in digests]
    return np.array(values, dtype=np.uint64).reshape(BANDS, ROWS)


def band_keys(signature: bytes) -> tuple[int, ...]:
    """One signed 64-bit key per LSH band: a multiply-add hash of the band's ``ROWS`` values
    (its own multipliers per band, so equal values in two bands give two keys), then a
    splitmix64 finaliser."""
    rows = np.frombuffer(signature, dtype="<u4")[: BANDS * ROWS].reshape(BANDS, ROWS)
    keys = (rows.astype(np.uint64) * _band_multipliers()).sum(axis=1, dtype=np.uint64)
    keys ^= keys >> np.uint64(30)
    keys *= np.uint64(0xBF58476D1CE4E5B9)
    keys ^= keys >> np.uint64(27)
    return tuple(keys.view(np.int64).tolist())


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of a story's text; None for a text too short to be recognised."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return None
    full = signature(tokens)
    low_bytes = np.frombuffer(full, dtype="<u4").astype(np.uint8).tobytes()
    return Fingerprint(low_bytes, numbers(text), band_keys(full))


def similarity(a: bytes, b: bytes) -> float:
    """The estimate of the Jaccard similarity from two 8-bit MinHash signatures.

    Two low bytes also agree by chance (1 in 256) where the values differ, so the share of
    equal bytes ``m`` gives ``(m - 1/256) / (1 - 1/256)`` (Li and König, b-bit minwise
    hashing, 2010); it is kept stored at a quarter of the full signature's size.

    >>> similarity(bytes(range(128)), bytes(range(128))), similarity(bytes(128), bytes([1]) * 128)
    (1.0, 0.0)
    """
    left, right = np.frombuffer(a, dtype=np.uint8), np.frombuffer(b, dtype=np.uint8)
    share = float(np.count_nonzero(left == right)) / len(left)
    return max(0.0, (share - 1 / 256) / (1 - 1 / 256))


def same_story(new: Fingerprint, old: Member) -> float | None:
    """The similarity of two articles if they carry the same story, else None.

    The numbers of the article with fewer of them must all be in the other: a copy may lose a
    contact block or gain a paragraph, but a bulletin of another day changes its figures.
    """
    fewer, more = sorted((new.numbers, old.numbers), key=len)
    if not fewer <= more:
        return None
    score = similarity(new.signature, old.signature)
    return score if score >= SIMILARITY else None


def assign_cluster(index: ClusterIndex, story_id: str, text: str, run: str) -> str:
    """The cluster of a new article: the best-matching earlier article's cluster, else its own
    id. The article is added to ``index`` (a text too short to recognise is not)."""
    return cluster_of(index, story_id, fingerprint(text), run)


def cluster_of(index: ClusterIndex, story_id: str, new: Fingerprint | None, run: str) -> str:
    """``assign_cluster`` for a fingerprint already computed (where the page was parsed)."""
    if new is None:
        return story_id
    best_score, cluster = 0.0, story_id
    with index.assigning():
        for member in index.candidates(new.bands, MAX_CANDIDATES):
            score = same_story(new, member)
            if score is not None and score > best_score:
                best_score, cluster = score, member.cluster_id
        index.add(story_id, cluster, new, run)
    return cluster
