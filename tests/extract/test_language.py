"""Language detection: the per-provision language decides the stemmer, the tag rules and the
language facet, so a neighbour or an upper-case title must not change it."""

from __future__ import annotations

import pytest

from ingest.language import detect_language

RU_TITLES = (
    "УГОЛОВНЫЙ КОДЕКС РОССИЙСКОЙ ФЕДЕРАЦИИ. ОБЩАЯ ЧАСТЬ. РАЗДЕЛ I. УГОЛОВНЫЙ ЗАКОН. "
    "ГЛАВА 1. ЗАДАЧИ И ПРИНЦИПЫ УГОЛОВНОГО КОДЕКСА РОССИЙСКОЙ ФЕДЕРАЦИИ. ГЛАВА 2. ДЕЙСТВИЕ "
    "УГОЛОВНОГО ЗАКОНА ВО ВРЕМЕНИ И В ПРОСТРАНСТВЕ. РАЗДЕЛ II. ПРЕСТУПЛЕНИЕ."
)


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        # Spanish closing formula in capitals once came out as Portuguese
        (
            "DADA EN LA SALA DE SESIONES DEL CONGRESO ARGENTINO, EN BUENOS AIRES, A LOS "
            "VEINTIDOS DIAS DEL MES DE DICIEMBRE DEL AÑO DOS MIL ONCE.",
            "es",
            "es",
        ),
        # an Australian amendment history table once came out as Portuguese
        (
            "s 3 | am No 8, 2010; No 130, 2017 s 4 | am No 60, 2011; No 130, 2017; No 133, "
            "2020; No 110, 2024 s 5 | am No 52, 2007; No 154, 2007; No 45, 2008; No 92, 2008",
            "en",
            "en",
        ),
        # Dutch treaty text in a bilingual (en/nl) document: Dutch, not Afrikaans
        (
            "1. Dit Verdrag treedt in werking op de dertigste dag volgende op de datum van "
            "nederlegging van de tweeëntwintigste akte van bekrachtiging of toetreding bij de "
            "Secretaris-Generaal van de Verenigde Naties.",
            "en",
            "nl",
        ),
        # the Russian Criminal Code's opening titles read as Bulgarian; the manifest settles it
        (RU_TITLES, "ru", "ru"),
        # a real change of language is still found
        (
            "La présente loi s'applique aux infractions terroristes commises sur le territoire "
            "de la République et aux actes de financement du terrorisme.",
            "en",
            "fr",
        ),
    ],
)
def test_detected_language(text: str, hint: str, expected: str) -> None:
    assert detect_language(text, hint).language == expected
