"""Language from the text, cross-checked with the page's declarations (extraction/language.py)."""

from __future__ import annotations

import pytest

from newscrawl.extraction.language import choose_language, identify, iso_639_1, path_language

TEXTS = {
    "fr": "La société a annoncé aujourd'hui une hausse de son chiffre d'affaires de 12 % au "
    "troisième trimestre, portée par la demande en Europe et en Amérique du Nord.",
    "de": "Das Unternehmen hat seinen Umsatz im dritten Quartal um zwölf Prozent gesteigert und "
    "bestätigt die Prognose für das Gesamtjahr, teilte der Vorstand am Donnerstag mit.",
    "es": "La compañía informó hoy que sus ventas crecieron un doce por ciento en el tercer "
    "trimestre gracias a la demanda de sus clientes en México y Centroamérica.",
    "ar": "أعلنت الشركة اليوم ارتفاع إيراداتها بنسبة اثني عشر في المئة خلال الربع الثالث من العام "
    "بدعم من الطلب القوي في أسواق الخليج.",
    "it": "La società ha annunciato oggi che i ricavi del terzo trimestre sono cresciuti del "
    "dodici per cento grazie alla domanda dei clienti in Europa.",
    "pt": "A empresa anunciou hoje que a receita do terceiro trimestre cresceu doze por cento, "
    "impulsionada pela procura dos clientes no Brasil e em Portugal.",
    "ru": "Компания сообщила сегодня, что её выручка в третьем квартале выросла на двенадцать "
    "процентов благодаря спросу со стороны клиентов в Европе.",
}


@pytest.mark.parametrize(("language", "text"), TEXTS.items())
def test_a_release_in_another_language_is_named_by_its_text(language: str, text: str) -> None:
    assert identify(text) == language
    # an English menu, an English og:locale: the text wins
    assert choose_language(text, ["en-US", "en_US"]).language == language


def test_a_text_too_short_to_tell_keeps_the_declaration() -> None:
    assert identify("Q3 2025: EUR 412.6m") is None
    assert choose_language("Q3 2025: EUR 412.6m", ["fr-CA"]).language == "fr"
    assert choose_language("Q3 2025", []).language is None


def test_a_declaration_that_the_text_contradicts_is_counted() -> None:
    assert choose_language(TEXTS["de"], ["en"]).disagrees
    assert not choose_language(TEXTS["de"], ["de-DE"]).disagrees
    assert not choose_language(TEXTS["de"], []).disagrees


def test_declared_values_become_iso_639_1() -> None:
    assert [iso_639_1(v) for v in ("en-GB", "pt_BR", "ZH-hant", "iw", "x-klingon", "eng")] == [
        "en", "pt", "zh", "he", None, None,
    ]  # fmt: skip
    assert path_language("https://www.globenewswire.com/fr/news-release/2025/x.html") == "fr"
    assert path_language("https://www.prnewswire.com/news-releases/acme-302612345.html") is None
