"""Printed stamps in the languages the wires publish in: French, German and Spanish month names
and clock forms (``12 novembre 2025 01:30 ET``, ``12 nov. 2025 01h30 HE``, ``12. November
2025 01:30 ET``, ``12 de noviembre de 2025 01:30 ET``) as the English ones the stamp formats
read (``agreement.read_stamp``).

A table per language, not dateparser (installed with trafilatura's htmldate): measured here,
dateparser costs 60 ms to import and 90 ms for its first French stamp, then about 1.7 ms a
stamp, and reads neither ``01h30`` nor ``HE``; these tables cost microseconds. No word names
two different months in these languages (``mar`` is March in English and Spanish alike), so a
stamp is read by every table at once: a page's declared language is often its menu's, not
its release's (a French release under ``<html lang="en">``).
"""

from __future__ import annotations

import re

MONTHS: dict[str, dict[str, int]] = {
    "fr": {
        "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2,
        "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7,
        "août": 8, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
        "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    },
    "de": {
        "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3,
        "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7,
        "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
        "okt": 10, "november": 11, "nov": 11, "dezember": 12, "dez": 12,
    },
    "es": {
        "enero": 1, "ene": 1, "febrero": 2, "feb": 2, "marzo": 3, "mar": 3, "abril": 4,
        "abr": 4, "mayo": 5, "may": 5, "junio": 6, "jun": 6, "julio": 7, "jul": 7, "agosto": 8,
        "ago": 8, "septiembre": 9, "setiembre": 9, "sept": 9, "sep": 9, "set": 9,
        "octubre": 10, "oct": 10, "noviembre": 11, "nov": 11, "diciembre": 12, "dic": 12,
    },
}  # fmt: skip
MONTH_WORDS = {word: month for table in MONTHS.values() for word, month in table.items()}
ENGLISH = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Words between a stamp's parts: "12 de noviembre de 2025", "à 01:30", "um 01:30 Uhr".
FILLERS = frozenset({"de", "del", "à", "a", "las", "la", "um", "uhr", "h"})
# The clock's names after the time: heure de l'Est (normale, avancée), as ET.
EASTERN_NAMES = ("HE", "HNE", "HAE")
_H_CLOCK = re.compile(r"\b(\d{1,2}) ?h ?(\d{2})\b")  # 01h30, 1 h 30
_DAY_DOT = re.compile(r"^\d{1,2}\.$")  # German "12." before the month


def english_stamp(text: str) -> str:
    """A stamp with its foreign month names and clock forms in English; other text unchanged
    (a stamp no format reads stays unread: nothing is guessed).

    >>> english_stamp("12 novembre 2025 01:30 ET"), english_stamp("12 nov. 2025 01h30 HE")
    ('12 Nov 2025 01:30 ET', '12 Nov 2025 01:30 HE')
    >>> english_stamp("12. März 2025, 01:30 Uhr ET")
    '12 Mar 2025, 01:30 ET'
    >>> english_stamp("12 de noviembre de 2025 01:30 ET"), english_stamp("2025-11-12T01:30:00")
    ('12 Nov 2025 01:30 ET', '2025-11-12T01:30:00')
    """
    words = _H_CLOCK.sub(r"\1:\2", text).split()
    if not any(_bare(word) in MONTH_WORDS for word in words):
        return text
    kept = []
    for word in words:
        bare, comma = _bare(word), "," if word.endswith(",") else ""
        if bare in MONTH_WORDS:
            kept.append(ENGLISH[MONTH_WORDS[bare] - 1] + comma)
        elif _DAY_DOT.match(word):
            kept.append(word[:-1])
        elif bare not in FILLERS:
            kept.append(word)
    return " ".join(kept)


def _bare(word: str) -> str:
    """A word without its trailing comma and abbreviation dot, in lower case."""
    return word.rstrip(",").rstrip(".").lower()
