"""Text decoded wrong: told apart and read right, or refused (extraction/charset.py)."""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401 - sloppy-windows-1252, as browsers decode

from newscrawl.extraction.charset import has_mojibake, looks_garbled, single_byte_encoding

ARABIC = "رحبت دولة الكويت اليوم الثلاثاء بقرار مجلس الأمن الدولي الداعي إلى ضمان وصول المساعدات. "
RUSSIAN = (
    "Компания сообщила сегодня, что её выручка в третьем квартале выросла на двенадцать процентов. "
)
GREEK = (
    "Η εταιρεία ανακοίνωσε σήμερα αύξηση των εσόδων της κατά δώδεκα τοις εκατό στο τρίτο τρίμηνο. "
)


def test_a_single_byte_page_of_another_script_is_read_in_its_code_page() -> None:
    assert single_byte_encoding(ARABIC.encode("cp1256") * 3) == "cp1256"
    assert single_byte_encoding(RUSSIAN.encode("cp1251") * 3) == "cp1251"
    assert single_byte_encoding(GREEK.encode("cp1253") * 3) in {"cp1253", "iso8859_7"}


def test_latin_pages_stay_windows_1252() -> None:
    french = "L'été dernier, la société a vu ses ventes croître de 12 %. Où va-t-elle ? Déjà là. "
    german = "Die Größe des Büros in Zürich überrascht: „Schön“, sagte Jürgen Müller. "
    for text in (french, german, "He said \u201cKim\u2019s caf\u00e9\u201d is open. "):
        assert single_byte_encoding(text.encode("cp1252") * 3) == "cp1252"
        assert not has_mojibake(text)


def test_mojibake_of_every_script_is_seen() -> None:
    for text in (ARABIC, RUSSIAN, GREEK, "Kim’s “café”"):
        garbled = text.encode("utf-8").decode("sloppy-windows-1252")
        assert has_mojibake(garbled), garbled[:20]
    assert looks_garbled(ARABIC.encode("cp1256").decode("cp1252"))
    assert has_mojibake("lost \ufffd byte")
    assert not has_mojibake("plain ASCII")
