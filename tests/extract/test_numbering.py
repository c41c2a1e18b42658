"""Table-driven tests of ingest.numbering (design.md §2 numbers and eIds)."""

import pytest

from ingest.numbering import (
    EidAllocator,
    arabic_ordinal_to_int,
    cjk_to_int,
    make_eid,
    normalise_number,
)

NUMBER_CASES = [
    # bare numbers and English designations
    ("15", "15"),
    ("15.", "15"),
    ("83.02", "83.02"),
    ("Section 15", "15"),
    ("s. 15", "15"),
    ("SECTION 83.01", "83.01"),
    ("Article 83.02", "83.02"),
    ("sec1", "1"),
    ("s22", "22"),
    ("Section 21B", "21b"),
    ("Part II", "ii"),
    ("PART IV", "iv"),
    ("First Schedule", "1"),
    ("Schedule", ""),
    ("Rule 3", "3"),
    ("para. 129a", "129a"),
    ("(1)", "1"),
    ("(a)", "a"),
    ("a)", "a"),
    ("(iv)", "iv"),
    ("s. 15(1)", "15(1)"),
    # Romance languages
    ("Article 421-2-2", "421-2-2"),
    ("Art. 260quinquies", "260quinquies"),
    ("Article 3 bis", "3bis"),
    ("ARTÍCULO 69 bis", "69bis"),
    ("130 Bis", "130bis"),
    ("Artículo 1º", "1"),
    ("Art. 2º", "2"),
    ("Artículo 3°", "3"),
    ("Article 1er", "1"),
    ("Article premier", "1"),
    ("Articolul 32^1", "32.1"),
    ("art32bis", "32bis"),
    ("Artículo único", "único"),
    ("CAPÍTULO III", "iii"),
    ("TÍTULO I", "i"),
    # Germanic / Nordic / Hungarian / Baltic / Slovene
    ("§ 129a", "129a"),
    ("§ 136 a", "136a"),
    ("1 §", "1"),
    ("4 a §", "4a"),
    ("34 a luku", "34a"),
    ("318/A. §", "318/a"),
    ("6/A", "6/a"),
    ("100. gr. a", "100a"),
    ("Artikel 140a", "140a"),
    ("174 straipsnis", "174"),
    ("70.a", "70.a"),
    ("5 a", "5a"),
    # superscripts
    ("Статья 205¹", "205.1"),
    ("§ 237³", "237.3"),
    ("205<sup>1</sup>", "205.1"),
    ("Статья 205<SUP>12</SUP>", "205.12"),
    ("331^2", "331.2"),
    ("მუხლი 331^2", "331.2"),
    ("224^{1}", "224.1"),
    ("79.¹ pants", "79.1"),  # Latvian prints the dot before the superscript
    ("79.<sup>2</sup> pants", "79.2"),
    # Cyrillic, Greek, Turkish, Georgian
    ("Статья 205.1", "205.1"),
    ("Стаття 11-1", "11-1"),
    ("Чл. 1.", "1"),
    ("Члан 391а", "391а"),
    ("Άρθρο 1", "1"),
    ("Madde 8/A", "8/a"),
    ("madde1", "1"),
    ("მუხლი 224", "224"),
    # CJK
    ("第一百二十条", "120"),
    ("第百二十条之一", "120-1"),
    ("第 3 條", "3"),
    ("第3條", "3"),
    ("第 5-1 條", "5-1"),  # Taiwan MOJ
    ("第十条", "10"),
    ("第二十一條之二", "21-2"),
    ("第三条の二", "3-2"),
    ("제3조의2", "3-2"),
    ("第一章", "1"),
    ("第三編", "3"),
    ("一百零五", "105"),
    ("Article 3", "3"),
    # Arabic, Hebrew, Bengali, Persian, Thai
    ("المادة 3", "3"),
    ("المادة (3)", "3"),
    ("مادة 32مكررا", "32bis"),
    ("المادة ٣", "3"),
    ("المادة الأولى", "1"),
    ("المادة التاسعة والأربعون", "49"),
    ("المادة الحادية عشرة", "11"),
    ("الفصل الأول", "1"),
    ("الباب األول مكرر", "1bis"),  # PDF lam-alef swap + bis
    ("المادة األولى", "1"),
    ("פרק א׳", "א"),
    ("סימן ב׳:", "ב"),
    ("الفصل 218-1", "218-1"),
    ("סעיף 5", "5"),
    ("ধারা ৬", "6"),
    ("ماده ۱۲", "12"),
    ("มาตรา ๓", "3"),
    # nothing numeric left
    ("", ""),
    ("Preamble", "preamble"),
]


@pytest.mark.parametrize(("label", "expected"), NUMBER_CASES)
def test_normalise_number(label: str, expected: str) -> None:
    assert normalise_number(label) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("一", 1), ("十", 10), ("十五", 15), ("二十", 20), ("一百二十", 120), ("百二十", 120),
     ("一百零五", 105), ("三千零五", 3005), ("一万二千", 12000), ("42", 42)],
)  # fmt: skip
def test_cjk_to_int(text: str, expected: int) -> None:
    assert cjk_to_int(text) == expected


def test_cjk_to_int_rejects_other_characters() -> None:
    with pytest.raises(ValueError, match="not a CJK numeral"):
        cjk_to_int("十a")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("الأولى", 1), ("الخمسون", 50), ("السادسة والتسعون", 96), ("الثانية عشرة", 12),
     ("الأولى بعد المائة", 101), ("العاشر", 10), ("الإرهاب", None), ("", None)],
)  # fmt: skip
def test_arabic_ordinal_to_int(text: str, expected: int | None) -> None:
    assert arabic_ordinal_to_int(text) == expected


EID_CASES = [
    ("section", "15", None, "sec_15"),
    ("subsection", "1", "part_II__sec_15", "part_II__sec_15__subsec_1"),
    ("part", "ii", None, "part_II"),
    ("chapter", "iv", "part_II", "part_II__chp_IV"),
    ("article", "421-2-2", None, "art_421-2-2"),
    ("paragraph", "129a", None, "para_129a"),
    ("section", "83.02", "part_II.1", "part_II.1__sec_83.02"),
    ("part", "ii.1", "sec_4", "sec_4__part_II.1"),
    ("chapter", "xxxviii", None, "chp_XXXVIII"),
    ("chapter", "civil", None, "chp_civil"),  # a word, not a roman numeral
    ("paragraph", "i", "sec_2", "sec_2__para_i"),  # not a container: no upper-casing
    ("article", "318/a", None, "art_318-a"),
    ("section", "15(1)", None, "sec_15-1"),
    ("article", "391а", None, "art_391а"),
    ("schedule", None, None, "sched"),
    ("schedule", "", "part_1", "part_1__sched"),
    ("preamble", None, None, "preamble"),
    ("book", "1", None, "book_1"),
    ("title", "i", "book_1", "book_1__title_I"),
    ("division", "a", None, "dvs_a"),
    ("subdivision", "2", "dvs_a", "dvs_a__subdvs_2"),
    ("rule", "7", None, "rule_7"),
    ("annex", "1", None, "annex_1"),
    ("article", "with_underscore", None, "art_with-underscore"),
]


@pytest.mark.parametrize(("kind", "number", "parent", "expected"), EID_CASES)
def test_make_eid(kind: str, number: str | None, parent: str | None, expected: str) -> None:
    assert make_eid(kind, number, parent) == expected


def test_make_eid_suffixes_repeated_numbers() -> None:
    taken = {"sec_5"}
    assert make_eid("section", "5", None, taken) == "sec_5__dup2"
    taken |= {"sec_5__dup2"}
    assert make_eid("section", "5", None, taken) == "sec_5__dup3"


def test_make_eid_rejects_unknown_kind_and_lists_known_ones() -> None:
    with pytest.raises(ValueError, match="expected one of .*'article'"):
        make_eid("verse", "1", None)


def test_allocator_keeps_eids_unique_in_a_document() -> None:
    allocator = EidAllocator()
    eids = [allocator.allocate("article", n) for n in ["1", "2", "2", "3", "2"]]
    assert eids == ["art_1", "art_2", "art_2__dup2", "art_3", "art_2__dup3"]
    child = allocator.allocate("paragraph", "1", eids[2])
    assert child == "art_2__dup2__para_1"
