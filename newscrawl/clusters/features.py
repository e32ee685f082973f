"""What tells stories of one template apart: the names and figures a text states, and where.

Templated copy (a daily price bulletin, an agency's condemnation statements, an issuer's
results) shares most of its words; two stories of a template differ where the template has a
slot: the place attacked, the price, the quarter's revenue, the person named. A *feature* is a
run of capitalised words and numbers (``Kandahar Province``, ``USD 52.62``, ``March 22``, ``Jane
Doe``) and its *slots* are the two words before it and the two after it, within its sentence or
clause; the clause itself is a slot too, named by its first three words that are no feature and
filled by all its features (an event rewritten with its place, ``terrorist attack in Kandahar``
as ``suicide bombing in Peshawar``, changes the words around the place, not the clause's
start). Two texts **agree** when, in every slot both of them fill, the words that fill it in
one are all among those that fill it in the other. A copy only gains or loses text (another
site's furniture, a trimmed contact block, a paragraph added), which adds or takes away slots
and never fills a shared one otherwise; a story of the same template fills the same slot with
another name or figure.

A text's slots are kept as sorted 32-bit values: 20 bits of the slot's hash (its kind and
words), 12 bits of one word that fills it: a slot holds the set of its features' words, so ``1
March`` is ``March 1``, and a heading that a site ran into the next paragraph (``Peninsula
Gold`` for ``Peninsula``, then ``Gold``) still agrees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence

import numpy as np
import xxhash

SLOT_WORDS = 2  # words on each side that name a slot
HEAD_WORDS = 3  # words that are no feature, from a clause's start, that name the clause's slot
# A filled slot is kept in 32 bits: 20 of the slot's hash, 12 of the word's. Only slots one text
# has and the other lacks can collide to a false conflict (a copy has few: about 10 x 10 / 2**20,
# 1e-4 of comparisons); two templated stories' differing words must collide in every slot they
# fill otherwise to look alike (4096**-k for k such slots, k >= 2 for a changed place).
SLOT_BITS, VALUE_BITS = 20, 12
# Clause boundaries: a slot never reaches across one. Commas, apostrophes, currency and
# percent signs are inside a clause; parentheses and slashes set off wire names and tickers; a
# dash with a space beside it sets off a dateline or a clause, a dash between two words or
# figures joins them as a hyphen does (``Karameh–Trebil``, ``6–8``: sites change one for
# the other).
_DASH = "[-\u2010\u2011\u2013\u2014]+"  # hyphen-minus, hyphen, non-breaking hyphen, en, em
_TOKEN = re.compile(
    rf"(\d+(?:[.,]\d+)*)|(\w+)|[.!?;:()\[\]{{}}/\"“”«»\n]|(?<=\s){_DASH}|{_DASH}(?=\s)"
)
# Function words, capitalised where a sentence or a headline has them, name nothing: not features.
_FUNCTION_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "but", "by", "for", "from", "he", "her", "his", "if", "in",
     "it", "its", "on", "or", "our", "she", "that", "the", "their", "these", "they", "this",
     "those", "to", "we", "while", "with")
)  # fmt: skip
Clause = list[tuple[str, bool]]  # (normalised word or number, whether it is part of a feature)


def clauses(text: str) -> list[Clause]:
    """The text's clauses: its words between boundaries, case-folded, numbers without
    thousands separators or leading zeros, each marked whether it belongs to a feature.

    >>> clauses("Acme rose 4,200 (05). It")  # doctest: +NORMALIZE_WHITESPACE
    [[('acme', True), ('rose', False), ('4200', True)], [('5', True)], [('it', False)]]
    """
    found: list[Clause] = []
    clause: Clause = []
    for number, word in _TOKEN.findall(unicodedata.normalize("NFKC", text)):
        if number:
            clause.append((number.replace(",", "").lstrip("0") or "0", True))
        elif word:
            folded = word.casefold()
            clause.append((folded, word[0].isupper() and folded not in _FUNCTION_WORDS))
        elif clause:
            found.append(clause)
            clause = []
    if clause:
        found.append(clause)
    return found


def slots(clause: Clause) -> Iterator[tuple[str, list[str]]]:
    """``(slot, words)``: for each feature run of a clause that has ``SLOT_WORDS`` words before
    it (slot ``<words``) or after it (slot ``>words``), the run's words; and for a clause with
    ``HEAD_WORDS`` words that are no feature, all its feature words in the slot its first
    such words name (``^words``), wherever in the clause the features stand.

    >>> list(slots(clauses("an attack in Kandahar Province, southern Afghanistan")[0]))
    ... # doctest: +NORMALIZE_WHITESPACE
    [('<attack in', ['kandahar', 'province']), ('>southern afghanistan', ['kandahar', 'province']),
     ('<province southern', ['afghanistan']),
     ('^an attack in', ['kandahar', 'province', 'afghanistan'])]
    """
    words = [word for word, _ in clause]
    marks = [feature for _, feature in clause]
    start, size = 0, len(clause)
    while start < size:
        if not marks[start]:
            start += 1
            continue
        end = start + 1
        while end < size and marks[end]:
            end += 1
        run = words[start:end]
        if start >= SLOT_WORDS:
            yield "<" + " ".join(words[start - SLOT_WORDS : start]), run
        if end + SLOT_WORDS <= size:
            yield ">" + " ".join(words[end : end + SLOT_WORDS]), run
        start = end
    head = [word for word, feature in clause if not feature][:HEAD_WORDS]
    named = [word for word, feature in clause if feature]
    if len(head) == HEAD_WORDS and named:
        yield "^" + " ".join(head), named


def features(found: Sequence[Clause]) -> bytes:
    """The filled slots of a text's ``clauses``, packed: sorted little-endian uint32, each a
    slot's hash and the hash of one word that fills it."""
    hash64 = xxhash.xxh3_64_intdigest
    values: set[int] = set()
    word_bits: dict[str, int] = {}  # a word fills a few slots: hashed once
    for clause in found:
        for slot, run in slots(clause):
            slot_bits = hash64(slot.encode()) >> (64 - SLOT_BITS) << VALUE_BITS
            for word in run:
                bits = word_bits.get(word)
                if bits is None:
                    bits = word_bits[word] = hash64(word.encode()) >> (64 - VALUE_BITS)
                values.add(slot_bits | bits)
    return np.array(sorted(values), dtype="<u4").tobytes()


def agree(a: bytes, b: bytes) -> bool:
    """Whether two texts' slots agree: in each slot both fill, the words that fill it in one
    are all among the other's (a copy adds or drops slots; a story of the same template
    refills one).

    >>> def agree_texts(a: str, b: str) -> bool:
    ...     return agree(features(clauses(a)), features(clauses(b)))
    >>> agree_texts("the attack in Kandahar, Afghanistan.", "the attack in Peshawar.")
    False
    >>> agree_texts("an attack in Kandahar.", "Editor's note. an attack in Kandahar.")
    True
    """
    left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    shift = np.uint32(VALUE_BITS)
    left_slots, right_slots = left >> shift, right >> shift
    shared = np.intersect1d(left_slots, right_slots, assume_unique=False)
    if not len(shared):
        return True
    left, right = left[np.isin(left_slots, shared)], right[np.isin(right_slots, shared)]
    left_extra = _slots_with_extra(left, right, shared)
    right_extra = _slots_with_extra(right, left, shared)
    return not np.any(left_extra & right_extra)


def _slots_with_extra(mine: np.ndarray, theirs: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """For each of the ``shared`` slots, whether ``mine`` fills it with a feature ``theirs``
    lacks."""
    extra = ~np.isin(mine, theirs, assume_unique=True)
    where = np.searchsorted(shared, mine >> np.uint32(VALUE_BITS))
    return np.bincount(where, weights=extra, minlength=len(shared)) > 0
