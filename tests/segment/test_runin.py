"""Run-in division headings (the next Part / Chapter / Title glued to the end of a provision):
one real excerpt from the corpus per pattern, and a near-miss that must keep its text."""

from __future__ import annotations

import pytest

from ingest.records import ProvisionDraft
from ingest.segment import segment
from ingest.segment_containers import container_candidate
from ingest.segment_runin import find_run_ins, split_run_in_headings

# (id, text ending with a run-in, kept text end, [(kind, number, heading)])
RUN_INS = [
    (
        "is-kafli",  # isl/isl-almenn-hegningarlog-19-1940-is.json, 105. gr.
        "Mál út af brotum, sem í 99. og 101. gr. getur, skal því aðeins höfða, að [ráðherra] "
        "hafi lagt svo fyrir, og sæta þau öll [meðferð sakamála].\n"
        "XII. kafli. Brot gegn valdstjórninni.",
        "[meðferð sakamála].",
        [("chapter", "XII", "Brot gegn valdstjórninni")],
    ),
    (
        "ar-far-colon",  # qat/qat-law-20-2019-aml-cft-ar.json, article 68
        "ويتولى مكتب الحجز والمصادرة بالنيابة العامة إدارة الأموال المصادرة والتصرف فيها وفقاً "
        "للإجراءات المنصوص عليها في هذا القانون، ما لم ينص اتفاق مبرم مع الدولة الطالبة على "
        "خلاف ذلك.\nالفرع الثالث: تسليم المجرمين",
        "على خلاف ذلك.",
        [("subdivision", "3", "تسليم المجرمين")],
    ),
    (
        "ar-two-headings",  # qat/qat-law-20-2019-aml-cft-ar.json, article 57
        "وللنائب العام إلغاء أمر المنع أو تعديله، ما لم يكن الأمر قد صدر من المحكمة.\n"
        "الفصل العاشر: التعاون الدولي\nالفرع الأول: المبادئ العامة",
        "من المحكمة.",
        [("chapter", "10", "التعاون الدولي"), ("subdivision", "1", "المبادئ العامة")],
    ),
    (
        "en-part-dash-after-semicolon",  # uga/uga-anti-terrorism-act-2002-act-14.json, s. 2
        '" terrorist organisation " means an organisation specified in the Second Schedule; '
        '" vessel " includes every description of vessel or ship used in navigation; '
        "Part II – General",
        "used in navigation;",
        [("part", "II", "General")],
    ),
    (
        "en-part-then-chapter",  # lso/lso-prevention-and-suppression-of-terrorism-act-2018, s. 3
        "(vii) on board or against an aircraft or ship registered in Lesotho or a ship or an "
        "aircraft flying the flag of Lesotho. Part II – Offences Chapter 1 Terrorist acts and "
        "offences associated or connected with terrorist acts",
        "flying the flag of Lesotho.",
        [
            ("part", "II", "Offences"),
            (
                "chapter",
                "1",
                "Terrorist acts and offences associated or connected with terrorist acts",
            ),
        ],
    ),
    (
        "en-amendment-note-then-part",  # tza/tza-anti-money-laundering-act-2006-cap423.json
        "the consolidated group supervision or monitoring. [Act No. 1 of 2012 s. 17] "
        "Part V – Financial provisions",
        "[Act No. 1 of 2012 s. 17]",
        [("part", "V", "Financial provisions")],
    ),
    (
        "es-title-line-then-name",  # gtm/gtm-codigo-penal-decreto-17-73-es.json, artículo 9
        "Las disposiciones de este Código se aplicarán a todas las materias de\nnaturaleza "
        "penal, reguladas por otras leyes, en cuanto éstas, implícita o expresamente, no\n"
        "dispusieren lo contrario.\nTITULO II\nDEL DELITO",
        "dispusieren lo contrario.",
        [("title", "II", "DEL DELITO")],
    ),
    (
        "es-blank-lines",  # cri/cri-ley-8204-...-es.json, artículo 94
        "los bienes, productos o instrumentos. \n \n \n \n \n TÍTULO VI \n \n \n Destrucción de "
        "Plantaciones y Drogas Ilícitas \n \n CAPÍTULO ÚNICO",
        "los bienes, productos o instrumentos.",
        [
            ("title", "VI", "Destrucción de Plantaciones y Drogas Ilícitas"),
            ("chapter", "único", None),
        ],
    ),
    (
        "en-repeated-heading",  # zwe/zwe-criminal-law-codification-and-reform-act-ch9-23, s. 18
        "and any reference to an accused person shall be construed accordingly. "
        "Chapter III – Crimes against the State Chapter III Crimes against the State",
        "construed accordingly.",
        [("chapter", "III", "Crimes against the State")],
    ),
]


@pytest.mark.parametrize(("text", "kept", "expected"), [r[1:] for r in RUN_INS],
                         ids=[r[0] for r in RUN_INS])  # fmt: skip
def test_run_in_is_cut(text: str, kept: str, expected: list) -> None:
    rest, found = find_run_ins(text)
    assert rest.endswith(kept)
    assert [(r.kind, r.number, r.heading) for r in found] == expected


# (id, text that ends with something heading-like but must stay as it is)
NEAR_MISSES = [
    ("reference-mid-sentence", "The court may order proceedings under Part VIII – Mutual Legal "
     "Assistance"),
    ("reference-wrapped", "The Minister may, for the purposes of\nPart VIII – Mutual Legal "
     "Assistance"),
    ("is-reference-line", "Um brot þessi fer samkvæmt\nXII. kafli. Brot gegn valdstjórninni"),
    # mar/mar-code-penal-dahir-1-59-413-ar.json: "... المنصوص عليها في / الفصل .9" (article 9)
    ("ar-reference", "إلـ غاء القانون الجنائي يضع حدا لتنفيذ تدابير الوقاية بالشروط المنصوص عليها"
     " في\nالفصل .9"),
    # mar/mar-loi-03-03-...-ar.json: an amending law inserts "الباب الأول مكرر: الإرهاب"
    ("ar-inserted-by-amendment", "يتمم الجزء الأول من الكتاب الثالث من مجموعة القانون الجنائي"
     " بالباب الأول مكرر التالي:\n\nالباب الأول مكرر :الإرهاب"),
    ("en-inserted-by-amendment", "The Act is amended by adding the following after section "
     "83:\nPart II.1 Terrorism"),
    ("en-sentence-after-part", "The Minister may make rules. Part 2 of this Act applies to "
     "every person in Lesotho."),
    ("en-long-sentence", "It is an offence. Part 3 The Minister may by notice in the Gazette"
     " declare any organisation to be a terrorist organisation for the purposes."),
    # gtm: an article heading in capitals, not a division: no designation word, no number
    ("es-caps-without-designation", "si el hecho no constituye otro delito sancionado con "
     "mayor\npena, será reprimido con prisión de un mes a un año.\nDE LA PIRATERIA"),
    ("en-schedule-reference", "The forms are set out in the Second Schedule.\nSchedule 2"),
    ("only-a-heading", "Chapter 2 Offences"),
]  # fmt: skip


@pytest.mark.parametrize("text", [r[1] for r in NEAR_MISSES], ids=[r[0] for r in NEAR_MISSES])
def test_near_miss_keeps_text(text: str) -> None:
    rest, found = find_run_ins(text)
    assert (rest, found) == (text, [])


def _draft(eid: str, kind: str, number: str | None, text: str = "", parent: str | None = None,
           heading: str | None = None) -> ProvisionDraft:  # fmt: skip
    label = {"part": f"Part {number}", "chapter": f"Chapter {number}"}.get(kind, f"s. {number}")
    return ProvisionDraft(eid, kind, number, label, heading, text, parent)


def test_existing_container_gets_the_heading() -> None:
    """Scraped LII acts keep "Part II" as a container without title, the title glued before."""
    drafts = [
        _draft("part_I", "part", "I"),
        _draft("part_I__sec_2", "section", "2", "In this Act, vessel means a ship. Part II – "
               "General", "part_I"),
        _draft("part_II", "part", "II"),
        _draft("part_II__sec_3", "section", "3", "A person commits an offence.", "part_II"),
    ]  # fmt: skip
    out = split_run_in_headings(drafts, language="en", country="UGA")
    assert [d.eid for d in out] == [d.eid for d in drafts]
    assert out[1].text == "In this Act, vessel means a ship."
    assert out[2].heading == "General"


def test_missing_container_is_created_and_holds_what_follows() -> None:
    """Icelandic greinar scraped without their kaflar: each run-in opens a chapter."""
    drafts = [
        _draft("art_104", "article", "104", "Text of 104."),
        _draft("art_105", "article", "105", "[meðferð sakamála].\nXII. kafli. Brot gegn "
               "valdstjórninni."),
        _draft("art_106", "article", "106", "Hver sem ræðst með ofbeldi ..."),
        _draft("art_107", "article", "107", "Text of 107.\nXIII. kafli. Brot á almannafriði "
               "og allsherjarreglu."),
        _draft("art_108", "article", "108", "Text of 108."),
    ]  # fmt: skip
    out = split_run_in_headings(drafts, language="is", country="ISL")
    summary = [(d.eid, d.kind, d.heading, d.parent_eid) for d in out]
    assert summary == [
        ("art_104", "article", None, None),
        ("art_105", "article", None, None),
        ("chp_XII", "chapter", "Brot gegn valdstjórninni", None),
        ("art_106", "article", None, "chp_XII"),
        ("art_107", "article", None, "chp_XII"),
        ("chp_XIII", "chapter", "Brot á almannafriði og allsherjarreglu", None),
        ("art_108", "article", None, "chp_XIII"),
    ]
    assert out[1].text == "[meðferð sakamála]."
    assert out[2].label == "XII. kafli"


def test_new_chapter_nests_in_existing_part() -> None:
    drafts = [
        _draft("part_I", "part", "I"),
        _draft("part_I__sec_3", "section", "3", "Lesotho. Part II – Offences Chapter 1 "
               "Terrorist acts", "part_I"),
        _draft("part_II", "part", "II"),
        _draft("part_II__sec_4", "section", "4", "Text.", "part_II"),
        _draft("part_II__sec_5", "section", "5", "Text.", "part_II"),
    ]  # fmt: skip
    out = split_run_in_headings(drafts, language="en", country="LSO")
    summary = [(d.eid, d.heading, d.parent_eid) for d in out]
    assert summary == [
        ("part_I", None, None),
        ("part_I__sec_3", None, "part_I"),
        ("part_II", "Offences", None),
        ("part_II__chp_1", "Terrorist acts", "part_II"),
        ("part_II__sec_4", None, "part_II__chp_1"),
        ("part_II__sec_5", None, "part_II__chp_1"),
    ]


def test_headings_out_of_order_are_only_cut() -> None:
    """cri/cri-codigo-penal-ley-4573-es.json keeps a few "SECCIÓN" headings, out of order:
    containers would gather the wrong articles."""
    drafts = [
        _draft("art_130bis", "article", "130bis", "homicidio. \n \n \n SECCIÓN IV \n \n DUELO"),
        _draft("art_131", "article", "131", "(Derogado)."),
        _draft("art_183bis", "article", "183bis", "que procedan. \n \n SECCIÓN III \n \n "
               "SUSTRACCIÓN DE MENOR O INCAPAZ"),
        _draft("art_184", "article", "184", "Text."),
    ]  # fmt: skip
    out = split_run_in_headings(drafts, language="es", country="CRI")
    assert [d.eid for d in out] == [d.eid for d in drafts]
    assert [d.parent_eid for d in out] == [None] * 4
    assert out[0].text == "homicidio." and out[2].text == "que procedan."


ARE_EN = """Article (25)
Whoever establishes a terrorist organization shall be punished by death.
Article (26)
1. It is prohibited to hold any meetings or assemblies anywhere in the State, which include \
terrorist organizations or persons, for terrorist purposes.
2. Whoever participates in such meetings or assemblies, despite of being aware of its reality \
or purposes, shall be punished by life or provisional imprisonment.
Chapter Three
Crimes of Conspiracy to Commit Terrorist Acts
Article (27)
1. A criminal conspiracy shall be deemed to exist where two or more persons agree to commit a \
terrorist crime under Chapter Two of this Law.
"""


def test_english_translation_with_spelled_numbers() -> None:
    """are/are-federal-law-7-2014-combating-terrorism-crimes-en.pdf: "Chapter Three" was not
    read as a container, so its title ended the text of article 26."""
    drafts = segment(ARE_EN, language="en", country="ARE")
    by_eid = {d.eid: d for d in drafts}
    assert by_eid["chp_3"].heading == "Crimes of Conspiracy to Commit Terrorist Acts"
    assert by_eid["chp_3__art_27"].parent_eid == "chp_3"
    assert by_eid["art_26"].text.endswith("life or provisional imprisonment.")
    assert "under Chapter Two of this Law" in by_eid["chp_3__art_27"].text  # a reference stays


EU_SECTIONS = """CHAPTER I
GENERAL PROVISIONS
SECTION 1
Subject-matter, scope and definitions
Article 1
1. This Directive aims to prevent the use of the Union's financial system for the purposes of \
money laundering and terrorist financing.
Article 2
1. This Directive shall apply to the following obliged entities.
SECTION 2
Risk assessment
Article 3
1. The Commission shall conduct an assessment of the risks of money laundering.
2. For the purposes of Section 2 of Chapter I, Member States shall cooperate.
Article 4
1. Member States shall take appropriate steps to identify the risks.
2. Member States shall keep the assessment up to date.
Article 5
1. Member States may adopt stricter provisions.
"""


def test_section_groups_articles_in_an_english_directive() -> None:
    """intl/eu-directive-2015-849-...-en.pdf: with Articles as units, "SECTION 2" groups them."""
    drafts = segment(EU_SECTIONS, language="en", country="EUU")
    summary = [(d.eid, d.heading) for d in drafts]
    assert summary == [
        ("chp_I", "GENERAL PROVISIONS"),
        ("chp_I__dvs_1", "Subject-matter, scope and definitions"),
        ("chp_I__dvs_1__art_1", None),
        ("chp_I__dvs_1__art_2", None),
        ("chp_I__dvs_2", "Risk assessment"),
        ("chp_I__dvs_2__art_3", None),
        ("chp_I__dvs_2__art_4", None),
        ("chp_I__dvs_2__art_5", None),
    ]
    assert drafts[3].text.endswith("obliged entities.")


def test_english_act_keeps_sections_as_units() -> None:
    text = (
        "Section 1. Short title\nThis Act may be cited as the Act.\n"
        "Section 2. Definitions\nIn this Act, terrorism means an act.\n"
    )
    assert [(d.kind, d.number) for d in segment(text, language="en")] == [
        ("section", "1"),
        ("section", "2"),
    ]


# (id, heading line, kind, number) — container lines the segmenter did not read before
CONTAINER_LINES = [
    ("el-numeral-with-combining-accent", "ΚΕΦΑΛΑΙΟ Γ \u0301", "chapter", "3"),
    ("el-capital-ordinal-without-accent", "ΜΕΡΟΣ ΠΡΩΤΟ", "part", "1"),
    ("ru-superscript-chapter", "ГЛАВА 15¹. КОНФИСКАЦИЯ ИМУЩЕСТВА", "chapter", "15.1"),
    ("ms-bahagian", "Bahagian II", "part", "II"),
    ("en-spelled-number", "Chapter Three", "chapter", "3"),
    ("is-number-first", "XVII. kafli. Skjalafals og önnur brot.", "chapter", "XVII"),
    ("lt-number-first", "VIII SKYRIUS", "chapter", "VIII"),
    ("ar-titled", "الفصل الثاني: غسل الأموال وتمويل الإرهاب", "chapter", "2"),
]


@pytest.mark.parametrize(("line", "kind", "number"), [r[1:] for r in CONTAINER_LINES],
                         ids=[r[0] for r in CONTAINER_LINES])  # fmt: skip
def test_container_line(line: str, kind: str, number: str) -> None:
    candidate = container_candidate(0, line, romance=False)
    assert candidate is not None
    assert (candidate.kind, candidate.number) == (kind, number)


def test_reference_lines_are_no_containers() -> None:
    for line in ("Chapter three of this Act applies", "الفصل 5 من هذا القانون", "Part one, and"):
        assert container_candidate(0, line, romance=False) is None, line


def test_created_title_goes_into_created_book() -> None:
    """gtm/gtm-codigo-penal-decreto-17-73-es.json, artículo 479: "LIBRO TERCERO / DE LAS FALTAS
    / TITULO UNICO / DE LAS DISPOSICIONES GENERALES" where the source has titles, no books."""
    drafts = [
        _draft("title_XV", "title", "XV"),
        _draft("title_XV__art_479", "article", "479", "que se cometan.\nLIBRO TERCERO\nDE LAS "
               "FALTAS\nTITULO UNICO\nDE LAS DISPOSICIONES GENERALES", "title_XV"),
        _draft("title_XV__art_480", "article", "480", "Text.", "title_XV"),
    ]  # fmt: skip
    out = split_run_in_headings(drafts, language="es", country="GTM")
    summary = [(d.eid, d.kind, d.heading, d.parent_eid) for d in out]
    assert summary == [
        ("title_XV", "title", None, None),
        ("title_XV__art_479", "article", None, "title_XV"),
        ("book_3", "book", "DE LAS FALTAS", None),
        ("book_3__title_unico", "title", "DE LAS DISPOSICIONES GENERALES", "book_3"),
        ("title_XV__art_480", "article", None, "book_3__title_unico"),
    ]
