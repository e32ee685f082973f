"""MinHash of a text's word shingles, LSH band keys, and the similarity estimate.

Each distinct word 4-shingle is hashed once with xxHash (XXH3, 64 bits); permutation ``i`` of
the signature is the multiply-shift hash ``(a_i * h + b_i) mod 2**64 >> 32`` (Dietzfelbinger
et al., 1997), ``a_i`` odd, and the signature keeps each permutation's minimum over the
shingles: one numpy expression for all ``NUM_PERM`` permutations at once. The parameters here
are part of the stored cluster state (``SCHEME`` in ``newscrawl.clusters.scheme``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

import numpy as np
import xxhash

NUM_PERM = 128  # signature length: the estimate's standard error is about 0.04 at 0.6
SHINGLE_WORDS = 4
# LSH on the first 104 values: a pair at 0.6 shares a band 97% of the time, at 0.7 99.9%; an
# unrelated pair at 0.03 (common phrases) 0.002%.
BANDS, ROWS = 26, 4


def _seeded_uint64(label: str, count: int) -> np.ndarray:
    """``count`` fixed 64-bit values from blake2b (stable across numpy and Python versions)."""
    digests = (hashlib.blake2b(f"{label} {i}".encode(), digest_size=8).digest()
               for i in range(count))  # fmt: skip
    return np.array([int.from_bytes(d, "little") for d in digests], dtype=np.uint64)


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The multipliers (odd) and addends of the ``NUM_PERM`` multiply-shift permutations."""
    multipliers = _seeded_uint64("newscrawl minhash multiplier", NUM_PERM) | np.uint64(1)
    return multipliers, _seeded_uint64("newscrawl minhash addend", NUM_PERM)


def shingle_hashes(tokens: Sequence[str]) -> np.ndarray:
    """The XXH3-64 hashes of the distinct word shingles of ``tokens`` (fewer words than a
    shingle: the whole text is the one shingle).

    >>> len(shingle_hashes("a b c d a b c d".split()))  # 'a b c d', 'b c d a', 'c d a b', 'd a b c'
    4
    """
    size = min(SHINGLE_WORDS, len(tokens))
    shingles = {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}
    hashes = (xxhash.xxh3_64_intdigest(s.encode()) for s in shingles)
    return np.fromiter(hashes, dtype=np.uint64, count=len(shingles))


def signature(tokens: Sequence[str]) -> bytes:
    """The MinHash signature of the word shingles of ``tokens``: ``NUM_PERM`` little-endian
    uint32 values, each the high half of the least multiply-shift hash of any shingle."""
    multipliers, addends = _permutations()
    values = np.multiply.outer(multipliers, shingle_hashes(tokens))  # wraps mod 2**64
    values += addends[:, None]
    lowest: np.ndarray = values.min(axis=1) >> np.uint64(32)
    return lowest.astype("<u4").tobytes()


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


def low_bytes(signature: bytes) -> bytes:
    """The low byte of each value: the 8-bit signature the state keeps (b-bit MinHash)."""
    return np.frombuffer(signature, dtype="<u4").astype(np.uint8).tobytes()


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
