"""Structured extractors (Justice Canada XML, Akoma Ntoso, Finlex, JSON law collections)
tested on the real corpus files, plus the security and error cases."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from ingest.errors import SourceParseError, UnsafeSourceError
from ingest.formats.json_cleanup import dedupe_repeats, split_notes, trailing_heading
from ingest.formats.json_containers import parse_container_label
from ingest.formats.json_law import extract_json_law
from ingest.formats.xml import extract_xml, sniff_schema
from ingest.formats.xml_support import parse_xml_safely
from ingest.records import ExtractedText, ProvisionDraft

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"
STRUCTURED = sorted(p for p in RAW.glob("*/*") if p.suffix in {".xml", ".json"})
CITABLE = {"section", "article", "paragraph", "rule", "subsection"}
# Provisions whose whole content in the source is the bare label ("20. §"): repealed sections
# the njt.hu scrape kept as empty shells. Anything else empty is an extraction bug.
KNOWN_EMPTY = {
    "hun-2017-evi-liii-torveny-penzmosas-terrorizmus-finanszirozasa-hu.json": 20,
    "hun-btk-2012-evi-c-torveny-buntetokonyv-hu.json": 10,
}


@cache
def extract(relative: str) -> ExtractedText:
    path = RAW / relative
    data = path.read_bytes()
    return extract_xml(data) if path.suffix == ".xml" else extract_json_law(data)


def by_number(relative: str) -> dict[str, ProvisionDraft]:
    found: dict[str, ProvisionDraft] = {}
    for provision in extract(relative).provisions:
        if provision.number is not None:
            found.setdefault(provision.number, provision)
    return found


# ---- every structured corpus file -------------------------------------------------------


def test_the_corpus_has_the_structured_files_of_the_manifest() -> None:
    assert len([p for p in STRUCTURED if p.suffix == ".xml"]) == 12
    assert len([p for p in STRUCTURED if p.suffix == ".json"]) == 54


@pytest.mark.parametrize("path", STRUCTURED, ids=lambda p: p.name)
def test_every_structured_file_extracts_clean_provisions(path: Path) -> None:
    result = extract(str(path.relative_to(RAW)))
    provisions = result.provisions
    assert provisions, "no provision extracted"
    eids = [p.eid for p in provisions]
    assert len(eids) == len(set(eids)), "duplicate eIds"
    citable = [p for p in provisions if p.kind in CITABLE]
    assert citable, "no citable provision"
    assert all(p.number for p in citable), "a citable provision has no number"
    empty = [p.number for p in citable if not (p.text.strip() or p.heading or p.notes)]
    assert len(empty) == KNOWN_EMPTY.get(path.name, 0), empty
    earlier: set[str] = set()
    for provision in provisions:
        assert provision.parent_eid is None or provision.parent_eid in earlier
        assert provision.number is None or provision.number == provision.number.lower().strip()
        assert " " not in (provision.number or "")
        earlier.add(provision.eid)
    assert result.title
    assert len(result.text) > 200


# ---- Justice Canada XML ------------------------------------------------------------------

ATA_EN = "can/can-anti-terrorism-act-sc2001-c41-en.xml"
ATA_FR = "can/can-loi-antiterroriste-lc2001-c41-fr.xml"
# As printed: 83.1 and 83.2 follow 83.09 and 83.19 (Canadian decimal numbering).
INSERTED = [f"83.0{n}" for n in range(1, 10)] + ["83.1"] + [f"83.{n}" for n in range(11, 20)]
INSERTED += ["83.2"] + [f"83.{n}" for n in range(21, 30)] + ["83.3", "83.31", "83.32", "83.33"]


@pytest.mark.parametrize("relative", [ATA_EN, ATA_FR])
def test_anti_terrorism_act_yields_the_inserted_criminal_code_sections(relative: str) -> None:
    numbers = [p.number for p in extract(relative).provisions if (p.number or "").startswith("83.")]
    assert numbers == INSERTED


def test_inserted_sections_carry_marginal_notes_as_headings_en() -> None:
    s8302 = by_number(ATA_EN)["83.02"]
    assert s8302.heading == "Providing or collecting property for certain activities"
    assert s8302.label == "s. 83.02"
    assert s8302.eid == "part_1__sec_4__part_II.1__sec_83.02"
    assert s8302.parent_eid == "part_1__sec_4__part_II.1"
    assert "(a) an act or omission that constitutes an offence" in s8302.text
    assert s8302.language == "en"
    assert by_number(ATA_EN)["83.18"].heading == "Participation in activity of terrorist group"


def test_inserted_sections_in_the_french_version() -> None:
    s8302 = by_number(ATA_FR)["83.02"]
    assert s8302.heading == "Fournir ou réunir des biens en vue de certains actes"
    assert s8302.label == "art. 83.02"
    assert s8302.language == "fr"


def test_amending_section_keeps_its_own_words_and_cites_the_amended_act_in_notes() -> None:
    provisions = {p.eid: p for p in extract(ATA_EN).provisions}
    inserting = provisions["part_1__sec_4"]
    assert inserting.text == "The Act is amended by adding the following after section 83:"
    citing = provisions["part_1__sec_2"]
    assert citing.heading is None and citing.notes.startswith("R.S., c. 27 (1st Supp.)")
    part = provisions["part_1"]
    assert (part.kind, part.label, part.heading, part.text) == (
        "part",
        "PART 1",
        "CRIMINAL CODE",
        "",
    )
    assert provisions["preamble"].text.startswith("WHEREAS Canadians")


@pytest.mark.parametrize(
    ("relative", "numbers"),
    [
        ("can/can-combating-terrorism-act-sc2013-c9-en.xml", ["83.181", "83.191", "83.201"]),
        ("can/can-nuclear-terrorism-act-sc2013-c13-en.xml", ["82.2", "82.3", "82.7"]),
        ("can/can-loi-sur-le-terrorisme-nucleaire-lc2013-c13-fr.xml", ["82.3", "82.6"]),
    ],
)
def test_later_amending_acts_yield_their_inserted_sections(
    relative: str, numbers: list[str]
) -> None:
    found = by_number(relative)
    assert all(found[n].kind == "section" and found[n].heading for n in numbers)


def test_regulation_sections_lists_notes_and_schedule() -> None:
    entities = by_number("can/can-regulations-establishing-list-of-entities-SOR-2002-284-en.xml")
    assert entities["1"].heading == "List"
    assert "Al Qaida (also known among other names as Al Jihad" in entities["1"].text
    assert "SOR/2002-434, s. 1" in entities["1"].notes
    un_regs = extract(
        "can/can-regs-implementing-un-resolutions-suppression-terrorism-SOR-2001-360-en.xml"
    )
    schedule = next(p for p in un_regs.provisions if p.kind == "schedule")
    assert "1 Khalid Shaikh Mohammed" in schedule.text.split("\n")
    assert (
        by_number(
            "can/can-regs-implementing-un-resolutions-suppression-terrorism-SOR-2001-360-en.xml"
        )["3"].heading
        == "Providing or Collecting Funds"
    )


# ---- Finlex and Akoma Ntoso ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "language", "heading_4a", "chapter_label"),
    [
        ("fin/fin-laki-1370-2007-rikoslain-34a-luvun-muuttamisesta-fi.xml", "fi",
         "Koulutuksen antaminen terrorismirikoksen tekemistä varten", "34 a luku"),
        ("fin/fin-lag-1370-2007-andring-34a-kap-strafflagen-sv.xml", "sv",
         "Meddelande av utbildning för ett terroristbrott", "34 a kap"),
    ],
)  # fmt: skip
def test_finlex_chapter_and_sections(relative, language, heading_4a, chapter_label) -> None:
    result = extract(relative)
    assert sniff_schema(parse_xml_safely((RAW / relative).read_bytes())) == "finlex"
    sections = [p for p in result.provisions if p.kind == "section"]
    assert [p.number for p in sections] == ["1", "4", "4a", "4b"]
    assert [p.label for p in sections][:3] == ["1 §", "4 §", "4 a §"]
    assert sections[2].heading == heading_4a
    assert sections[2].eid == "chp_34a__sec_4a" and sections[2].language == language
    chapter = next(p for p in result.provisions if p.kind == "chapter")
    assert (chapter.number, chapter.label, chapter.text) == ("34a", chapter_label, "")
    assert "1) " in sections[0].text or "1)" in sections[0].text
    assert "valtioneuvoston asetuksella" in result.text or "statsrådet" in result.text


def test_israeli_akn_sections_chapters_and_signs() -> None:
    relative = "isr/isr-counter-terrorism-law-5776-2016-akn-he.xml"
    found = by_number(relative)
    sections = [p for p in extract(relative).provisions if p.kind == "section"]
    assert len(sections) == 104  # 1-101, 40א, 70א, 70ב
    assert found["24"].heading == "גילוי הזדהות עם ארגון טרור והסתה לטרור"
    assert found["24"].parent_eid == "chp_ג__dvs_א"
    assert found["40א"].eid == "chp_ג__dvs_ב__sec_40א"
    assert found["א"].kind == "chapter" and found["א"].heading == "מטרה ופרשנות"
    assert found["24"].language == "he"
    schedule = next(p for p in extract(relative).provisions if p.kind == "schedule")
    assert "אפגניסטן" in schedule.text


def test_israeli_ordinance_keeps_repeal_markers_and_continuation_points() -> None:
    found = by_number("isr/isr-prevention-of-terrorism-ordinance-33-5708-1948-akn-he.xml")
    assert "(א) (בוטל);" in found["4"].text.split("\n")
    assert "”חבר בארגון טרוריסטי“ פירושו" in found["1"].text  # unnumbered point joins s. 1
    assert found["12"].text == "(בוטל)."


# ---- JSON collections ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "number", "label", "heading"),
    [
        ("gha/gha-anti-terrorism-act-2008-act-762.json", "2", "s. 2", "Terrorist act"),
        ("zmb/zmb-anti-terrorism-and-non-proliferation-act-2018-act-6.json", "21a", "s. 21a",
         "Theft of chemical, biological, radiological or nuclear materials"),
        ("geo/geo-criminal-code-1999-matsne-16426-ka.json", "331.2", "მუხლი 331^2",
         "ტერორისტული აქტის ხელშეშლისათვის ზომების მიუღებლობა"),
        ("geo/geo-criminal-code-1999-matsne-16426-ka.json", "331.1", "მუხლი 331 1",
         "ტერორიზმის დაფინანსება, ტერორისტული საქმიანობის სხვაგვარი მატერიალური მხარდაჭერა ან "
         "რესურსებით უზრუნველყოფა"),
        ("srb/srb-krivicni-zakonik-2005-sr.json", "391", "Члан 391", "Тероризам"),
        ("srb/srb-krivicni-zakonik-2005-sr.json", "391б", "Члан 391б",
         "Врбовање и обучавање за вршење терористичких дела"),
        ("hun/hun-btk-2012-evi-c-torveny-buntetokonyv-hu.json", "318/a", "318/A. §", None),
        ("ltu/ltu-baudziamasis-kodeksas-viii-1968-lt.json", "250.1", "2501 straipsnis",
         "Teroristinių nusikaltimų kurstymas"),
        ("nor/nor-straffeloven-LOV-2005-05-20-28-nb.json", "136a", "§ 136 a",
         "Straff for deltakelse mv. i en terrororganisasjon"),
        ("dnk/dnk-straffeloven-lbk-2025-1294-da.json", "114a", "§ 114 a", None),
        ("svn/svn-kazenski-zakonik-kz-1-2008-sl.json", "108.a", "Art. 108.a",
         "Potovanje v tujino z namenom terorizma"),
        ("rou/rou-legea-535-2004-prevenirea-combaterea-terorismului-ro.json", "33.1",
         "Articolul 33^1", None),
        ("cri/cri-ley-8204-estupefacientes-legitimacion-capitales-financiamiento-terrorismo-es.json",
         "69bis", "ARTÍCULO 69 bis", None),
        ("ecu/ecu-ley-organica-prevencion-lavado-activos-financiacion-delitos-2024-es.json", "1",
         "Artículo 1", "Objeto"),
        ("gtm/gtm-codigo-penal-decreto-17-73-es.json", "2", "ARTICULO 2", "EXTRACTIVIDAD"),
        ("pak/pak-anti-terrorism-act-1997-xxvii.json", "21c", "Section 21C", "Training"),
        ("swe/swe-lag-2010-299-offentlig-uppmaning-rekrytering-utbildning-terroristbrott-repealed.json",
         "5b", "s. 5b", "Resa"),
        ("isl/isl-almenn-hegningarlog-19-1940-is.json", "100a", "100. gr. a", None),
        ("isl/isl-log-140-2018-peningathvaetti-fjarmognun-hrydjuverka-is.json", "1", "Art. 1",
         "Markmið"),
        ("sau/sau-nizam-mukafahat-jaraim-al-irhab-wa-tamwilih-2017-ar.json", "49",
         "المادة التاسعة والأربعون", None),
        ("egy/egy-law-149-2021-amending-anti-terrorism-law-94-2015-ar.json", "32bis",
         "مادة 32مكررا", None),
        ("mar/mar-loi-03-03-lutte-contre-le-terrorisme-2003-ar.json", "218-1",
         "المادة 1-218", None),
        ("bgd/bgd-sontras-birodhi-ain-2009-anti-terrorism-act-bn.json", "23ক", "s. 23ক",
         "তদন্তকালীন সন্ত্রাসী সম্পত্তি জব্দ বা ক্রোকের বিশেষ বিধান"),
        ("ukr/ukr-zakon-pro-borotbu-z-teroryzmom-638-IV-2003.json", "24-1", "Стаття 24-1",
         "Відповідальність терористичної організації (групи)"),
        ("twn/twn-counter-terrorism-financing-act-I0030047-en.json", "3", "Article 3", None),
        ("twn/twn-counter-terrorism-financing-act-I0030047-zh.json", "3", "第 3 條", None),
        ("bra/bra-lei-13260-2016-antiterrorismo-pt.json", "2", "Art. 2º", None),
    ],
)  # fmt: skip
def test_json_provision_numbers_labels_and_headings(relative, number, label, heading) -> None:
    provision = by_number(relative)[number]
    assert (provision.label, provision.heading) == (label, heading)
    assert provision.text.strip()


def test_ghana_duplicated_list_items_are_removed_once() -> None:
    found = by_number("gha/gha-anti-terrorism-act-2008-act-762.json")
    assert found["1"].text == "A person shall not engage in a terrorist act."
    assert found["2"].text.count("causes serious damage to property;") == 1
    assert found["2"].text.count("toxic chemicals;") == 1


def test_uganda_schedule_paragraphs_get_their_own_container() -> None:
    provisions = extract("uga/uga-anti-terrorism-act-2002-act-14.json").provisions
    schedule = next(p for p in provisions if p.kind == "schedule")
    paragraphs = [p for p in provisions if p.parent_eid == schedule.eid]
    assert [p.number for p in paragraphs] == [str(n) for n in range(1, 14)]
    assert all(p.kind == "paragraph" and p.label.startswith("para. ") for p in paragraphs)


def test_containers_from_json_chapter_fields() -> None:
    rou = {
        p.eid: p
        for p in extract(
            "rou/rou-legea-129-2019-spalarea-banilor-finantarea-terorismului-ro.json"
        ).provisions
    }
    assert rou["chp_I"].heading == "Dispoziții generale"
    assert rou["chp_I__dvs_1__art_1"].parent_eid == "chp_I__dvs_1"
    zwe = {
        p.eid: p
        for p in extract("zwe/zwe-criminal-law-codification-and-reform-act-ch9-23.json").provisions
    }
    assert zwe["chp_II__part_I"].parent_eid == "chp_II"
    geo = by_number("geo/geo-criminal-code-1999-matsne-16426-ka.json")
    assert geo["323"].eid == "art_323"  # its chapter has no number: no "chp__dup" in the eId
    assert not geo["323"].text.startswith("Normal")  # Word style sheet residue dropped


def test_editorial_notes_leave_the_text() -> None:
    ltu = by_number("ltu/ltu-baudziamasis-kodeksas-viii-1968-lt.json")["2"]
    assert ltu.notes.startswith("Straipsnio pakeitimai:") and "pakeitimai" not in ltu.text
    nor = by_number("nor/nor-straffeloven-LOV-2005-05-20-28-nb.json")["131"]
    assert "Tilføyd ved lov" in nor.notes and "Tilføyd ved lov" not in nor.text
    # Lovdata's footnote mark after a title ("Hvitvasking\u200b1") is not part of the heading
    laundering = by_number("nor/nor-straffeloven-LOV-2005-05-20-28-nb.json")["337"]
    assert laundering.heading == "Hvitvasking" and "Tilføyd ved lov" in laundering.notes
    rou = by_number("rou/rou-legea-535-2004-prevenirea-combaterea-terorismului-ro.json")["2"]
    assert rou.text == "Abrogat." and rou.notes.startswith("(la 13-04-2019")
    # The Hungarian Criminal Code's endnotes (64,000 characters) used to end its section 340
    hun = by_number("hun/hun-btk-2012-evi-c-torveny-buntetokonyv-hu.json")["340"]
    assert hun.text.endswith("hasonló jellegű bűncselekmény") and len(hun.text) < 2000
    assert hun.notes.startswith("1 A törvényt az Országgyűlés a 2012. június 25-i ülésnapján")


@pytest.mark.parametrize(
    ("relative", "number", "heading", "text_start"),
    [
        # The scraper's "title" is the first printed line of the article; the real heading is
        # the capitals line glued to the end of the previous article.
        ("gtm/gtm-codigo-penal-decreto-17-73-es.json", "5", "EXTRATERRITORIALIDAD DE LA LEY PENAL",
         "Este Código también se aplicará:\n1o. Por delito cometido en el extranjero"),
        ("gtm/gtm-codigo-penal-decreto-17-73-es.json", "8", "EXTRADICIÓN",
         "La extradición sólo podrá intentarse u otorgarse por delitos comunes.\nCuando"),
        ("gtm/gtm-codigo-penal-decreto-17-73-es.json", "123", "HOMICIDIO",
         "Comete homicidio quien diere muerte a alguna persona."),
        ("ecu/ecu-ley-organica-prevencion-lavado-activos-financiacion-delitos-2024-es.json", "11",
         "Atribuciones y responsabilidades de la o el Presidente del CONCLAFT",
         "El Presidente del CONCLAFT tiene las siguientes atribuciones"),
        # the title ends where the line broke, on "y": the text, not a heading; and the record's
        # U+0097 (a Windows-1252 em dash read as Latin-1) is not left before it
        ("cri/cri-ley-8204-estupefacientes-legitimacion-capitales-financiamiento-terrorismo-es.json",
         "121", None, "La Unidad de Registros y Consultas estructurará y custodiará un registro"),
        ("cri/cri-ley-8204-estupefacientes-legitimacion-capitales-financiamiento-terrorismo-es.json",
         "2", None, "El comercio, el expendio, la industrialización, la fabricación"),
        ("cri/cri-codigo-penal-ley-4573-es.json", "61", None,
         "Al acordar la condena de ejecución condicional, el Juez podrá imponer"),
    ],
)  # fmt: skip
def test_a_title_copying_the_first_printed_line_stays_in_the_text(
    relative: str, number: str, heading: str | None, text_start: str
) -> None:
    provision = by_number(relative)[number]
    assert provision.heading == heading
    assert provision.text.startswith(text_start), provision.text[:200]


def test_container_headings_glued_to_the_previous_article_open_their_containers() -> None:
    ecuador = "ecu/ecu-ley-organica-prevencion-lavado-activos-financiacion-delitos-2024-es.json"
    provisions = extract(ecuador).provisions
    headings = {p.eid: p.heading for p in provisions if p.kind in ("title", "chapter", "division")}
    # the records name only the innermost container: the TÍTULO levels came from the text
    assert headings["title_II"] == "INSTITUCIONALIDAD"
    assert headings["title_II__chp_III__dvs_II"] == "DIRECTOR GENERAL"
    assert len([eid for eid in headings if eid.count("__") == 0]) == 7  # TÍTULO I to VII
    article_4, article_5 = by_number(ecuador)["4"], by_number(ecuador)["5"]
    assert article_4.text.endswith("Grupo de Acción Financiera Internacional-GAFI.")
    assert article_5.parent_eid == "title_II__chp_I"
    # and the gazette's page furniture ("Página 4 de 71", "10", "Registro Oficial - ...") is gone
    assert not any(re.search(r"Página \d+ de \d+|Suplemento Nº 610", p.text) for p in provisions)
    guatemala = "gtm/gtm-codigo-penal-decreto-17-73-es.json"
    assert by_number(guatemala)["22"].text.endswith("por mero accidente.")
    titles = {p.eid: p.heading for p in extract(guatemala).provisions if p.kind == "title"}
    assert titles["title_III"] == "DE LAS CAUSAS QUE EXIMEN DE RESPONSABILIDAD PENAL"


def test_certification_note_before_the_articles_is_a_preamble() -> None:
    provisions = extract(
        "ecu/ecu-ley-organica-prevencion-lavado-activos-financiacion-delitos-2024-es.json"
    ).provisions
    assert provisions[0].kind == "preamble" and provisions[0].number is None


def test_taiwan_chinese_and_english_articles_match() -> None:
    zh = by_number("twn/twn-counter-terrorism-financing-act-I0030047-zh.json")
    en = by_number("twn/twn-counter-terrorism-financing-act-I0030047-en.json")
    assert set(zh) == set(en) and "5-1" in zh
    assert zh["8"].text.startswith("明知他人有實行下列犯罪之一")


def test_moj_chapter_entries_become_chapters() -> None:
    data = {
        "法規名稱": "測試法",
        "法規內容": [
            {"編章節": "第 一 章 總則"},
            {"條號": "第 1 條", "條文內容": "本法之主管機關為法務部。"},
            {"條號": "第 120-1 條", "條文內容": "第二條。"},
        ],
    }
    provisions = extract_json_law(json.dumps(data).encode()).provisions
    assert [(p.eid, p.kind, p.number) for p in provisions] == [
        ("chp_1", "chapter", "1"),
        ("chp_1__art_1", "article", "1"),
        ("chp_1__art_120-1", "article", "120-1"),
    ]
    assert provisions[0].heading == "總則"


def test_planalto_articles_and_preamble() -> None:
    result = extract("bra/bra-lei-13260-2016-antiterrorismo-pt.json")
    articles = [p for p in result.provisions if p.kind == "article"]
    assert [p.number for p in articles] == [str(n) for n in range(1, 21)]
    assert result.provisions[0].kind == "preamble"
    assert "§ 1º São atos de terrorismo:" in articles[1].text.split("\n")
    assert "Brasília, 16 de março de 2016" in result.text


# ---- helpers ---------------------------------------------------------------------------------


def test_dedupe_repeats_only_removes_adjacent_exact_runs() -> None:
    text = "causes harm to a person; causes harm to a person; and damage"
    assert dedupe_repeats(text) == ("causes harm to a person; and damage", 1)
    assert dedupe_repeats("a b c d e f")[1] == 0
    assert dedupe_repeats("the Minister may, the Minister shall")[1] == 0


def test_split_notes_and_trailing_heading() -> None:
    text, notes = split_notes(
        "Text.\nL. 99/2002, 2. gr.\nMore (la 01-04-2023, Articolul 27 abrogat)"
    )
    assert text == "Text.\nMore" and notes == [
        "L. 99/2002, 2. gr.",
        "(la 01-04-2023, Articolul 27 abrogat)",
    ]
    assert trailing_heading("döms till fängelse. Lag (2018:1313). Resa") == (
        "döms till fängelse. Lag (2018:1313).",
        "Resa",
    )
    assert trailing_heading("text\nEXTRACTIVIDAD") == ("text", "EXTRACTIVIDAD")
    assert trailing_heading("text ends here.")[1] is None


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Part I", [("part", "i", "Part I", None)]),
        ("Chapter III: MEASURES", [("chapter", "iii", "Chapter III", "MEASURES")]),
        ("I. Fejezet", [("chapter", "i", "I. Fejezet", None)]),
        ("XXVI SKYRIUS NUSIKALTIMAI", [("chapter", "xxvi", "XXVI SKYRIUS", "NUSIKALTIMAI")]),
        ("ΜΕΡΟΣ ΙΙ ΑΔΙΚΗΜΑΤΑ", [("part", "ii", "ΜΕΡΟΣ ΙΙ", "ΑΔΙΚΗΜΑΤΑ")]),
        ("Chapter II, Part I",
         [("chapter", "ii", "Chapter II", None), ("part", "i", "Part I", None)]),
        ("Capitolul I - Dispoziții | Secţiunea a 2-a - Definiții",
         [("chapter", "i", "Capitolul I", "Dispoziții"),
          ("division", "2", "Secţiunea a 2-a", "Definiții")]),
        ("الباب األول مكرر :اإلرهاب", [("title", "1bis", "الباب األول مكرر", "اإلرهاب")]),
        ("第 一 章 總則", [("chapter", "1", "第 一 章", "總則")]),
        ("Ek Maddeler", [("chapter", None, "", "Ek Maddeler")]),
    ],
)  # fmt: skip
def test_parse_container_label(label: str, expected: list[tuple]) -> None:
    got = [(x.kind, x.number, x.label, x.heading) for x in parse_container_label(label)]
    assert got == expected


# ---- security and errors ---------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Bill><Body><Section><Label>1</Label><Text>&lol9;</Text></Section></Body></Bill>"""


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(UnsafeSourceError, match="entity expansion"):
        extract_xml(BILLION_LAUGHS)


def test_external_entity_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE Bill [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        "<Bill><Body><Section><Label>1</Label><Text>&xxe;</Text></Section></Body></Bill>"
    ).encode()
    with pytest.raises(UnsafeSourceError, match="external entities") as caught:
        extract_xml(xxe)
    assert "TOP-SECRET-VALUE" not in str(caught.value)


def test_external_parameter_entity_over_the_network_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY % remote SYSTEM '
        b'"http://127.0.0.1:9/evil.dtd"> %remote;]><a>x</a>'
    )
    with pytest.raises(UnsafeSourceError):
        extract_xml(data)


def test_external_dtd_reference_alone_is_not_loaded_and_is_fine() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE Bill PUBLIC "-//Justice Canada//DTD Bill Exchange//EN" '
        b'"http://127.0.0.1:9/BillExchange.dtd"><Bill xml:lang="en"><Body><Section><Label>1.'
        b"</Label><MarginalNote>Short title</MarginalNote><Text>This Act may be cited as the "
        b"Test Act.</Text></Section></Body></Bill>"
    )
    (section,) = extract_xml(data).provisions
    assert (section.eid, section.label, section.heading) == ("sec_1", "s. 1", "Short title")


@pytest.mark.parametrize(
    "data", [b"<Bill><Body></Bill>", b"not xml at all", b"", b"<a>&undefined</a>"]
)
def test_malformed_xml_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(SourceParseError) as caught:
        extract_xml(data)
    assert not isinstance(caught.value, UnsafeSourceError)


def test_unknown_xml_gives_text_and_a_warning() -> None:
    result = extract_xml(b"<doc><p>First paragraph.</p><p>Second.</p></doc>")
    assert result.provisions == () and result.text == "First paragraph.\nSecond."
    assert "unrecognised XML schema" in result.warnings[0]


@pytest.mark.parametrize("data", [b'{"provisions": [', b"\xff\xfe{", b"[1, 2"])
def test_malformed_json_is_a_parse_error(data: bytes) -> None:
    with pytest.raises(SourceParseError, match="malformed JSON"):
        extract_json_law(data)


def test_unknown_json_schema_names_the_expected_keys() -> None:
    with pytest.raises(SourceParseError) as caught:
        extract_json_law(b'{"articles": [], "name": "x"}')
    message = str(caught.value)
    assert "'provisions'" in message and "'法規內容'" in message and "'conteudo'" in message
    assert "articles" in message


def test_empty_provision_list_is_a_parse_error() -> None:
    with pytest.raises(SourceParseError, match="empty"):
        extract_json_law(b'{"provisions": []}')


def test_arabic_ocr_artefacts_do_not_crash_and_keep_text() -> None:
    result = extract("egy/egy-law-149-2021-amending-anti-terrorism-law-94-2015-ar.json")
    assert "قانون مكافحة الإرهاب" in result.text
    assert len([p for p in result.provisions if p.kind == "article"]) == 6


def test_sections_printed_inside_the_previous_section_are_their_own_provisions() -> None:
    # The Pakistan Code prints substituted sections inside the one before them ("1\n[6.
    # Terrorism.___ ..."): the definition of terrorism was hidden in s. 5.
    ata = by_number("pak/pak-anti-terrorism-act-1997-xxvii.json")
    assert ata["6"].heading == "Terrorism"
    assert ata["6"].text.startswith("(1) In this Act, “terrorism” means the use or threat")
    assert "“terrorism” means" not in ata["5"].text
    assert (ata["7"].heading, ata["11b"].heading) == (
        "Punishment for acts of terrorism",
        "Proscription of organizations",
    )
    assert ata["11eeeee"].label == "Section 11EEEEE"
    # a cross-reference or a number outside the gap never opens a section
    assert "8" in ata and ata["8"].heading.startswith("Prohibition of acts intended")
    # Turkey's Anti-Terror Law glues articles, heading and all, to the end of the previous one
    # ("...md.)Terör suçlusuMadde2 – Birinci maddede ...")
    tmk = by_number("tur/tur-terorle-mucadele-kanunu-3713.json")
    assert (tmk["2"].heading, tmk["3"].heading) == ("Terör suçlusu", "Terör suçları")
    assert tmk["2"].label == "Madde 2" and "Terör suçlusu" not in tmk["1"].text
    assert tmk["3"].text.startswith("(Değişik: 29/6/2006-5532/2 md.)26/9/2004 tarihli")


def test_turkish_supplementary_and_provisional_articles_have_their_own_numbers() -> None:
    """Law 3713's Ek and Geçici articles were a stub row ("Geçici Madde 1 - Madde 1 –") plus a
    second "Madde 1" colliding with article 1; three had no stub at all."""
    provisions = extract("tur/tur-terorle-mucadele-kanunu-3713.json").provisions
    tmk = {p.number: p for p in provisions if p.number}
    assert tmk["1"].text.startswith("(Değişikbirinci fıkra: 15/7/2003-4928/20 md.) Terör;")
    assert (tmk["e1"].label, tmk["g1"].label, tmk["g5"].label) == (
        "Ek Madde 1",
        "Geçici Madde 1",
        "Geçici Madde 5",  # no stub: its place after Geçici 4 tells
    )
    assert tmk["g1"].text.startswith("8/4/1991 tarihine kadar işlenensuçlar sebebiyle;")
    assert tmk["g6"].text.startswith("Özel infaz kurumu") and tmk["g6"].heading is None
    numbers = [p.number for p in provisions if p.kind == "article"]
    assert len(numbers) == len(set(numbers))  # no "__dup" article left
    assert [n for n in numbers if n[0] in "eg"] == [f"e{i}" for i in range(1, 5)] + [
        f"g{i}" for i in range(1, 20)
    ]
    # the closing articles printed inside the last provisional one are their own again
    assert (tmk["23"].heading, tmk["25"].heading) == ("Yürürlükten kaldırılan hükümler", "Yürütme")
    # printed after art. 22 in chapter 4; the provisional ones make chapter 5 (see below)
    chapter = {p.eid: p.heading for p in provisions if p.kind == "chapter"}
    assert chapter[tmk["e1"].parent_eid] == chapter[tmk["22"].parent_eid] == "Çeşitli Hükümler"
    assert chapter[tmk["g19"].parent_eid] == chapter[tmk["g1"].parent_eid] == "Geçici Hükümler"


def test_turkish_chapter_headings_glued_in_the_text_become_chapters() -> None:
    """Law 3713 prints "İKİNCİ BÖLÜM Yargılama Usulleri" and the next article's heading glued
    to the end of the article before ("...hükmolunur.İKİNCİBÖLÜMYargılama UsulleriGörev ve
    ..."); the scrape's own "chapter" field was a piece of article 19."""
    provisions = extract("tur/tur-terorle-mucadele-kanunu-3713.json").provisions
    tmk = {p.number: p for p in provisions if p.number}
    chapters = [p for p in provisions if p.kind == "chapter"]
    assert [c.heading for c in chapters] == [
        "Yargılama Usulleri",
        "Cezaların İnfazı",
        "Çeşitli Hükümler",
        "Geçici Hükümler",
    ]
    assert not any("BÖLÜM" in (p.heading or "") + p.text for p in provisions)
    heading_of = {c.eid: c.heading for c in chapters}
    members = {
        "Yargılama Usulleri": ["9", "10", "15"],
        "Cezaların İnfazı": ["16", "17", "18"],
        "Çeşitli Hükümler": ["19", "20/a", "22", "e4"],
        "Geçici Hükümler": ["g1", "g19", "23", "25"],
    }
    for title, numbers in members.items():
        assert [heading_of.get(tmk[n].parent_eid) for n in numbers] == [title] * len(numbers)
    assert tmk["8/b"].parent_eid is None  # no BİRİNCİ BÖLÜM heading in the scrape
    assert tmk["8/b"].text.endswith("güvenlik tedbirlerine hükmolunur.")
    assert tmk["e4"].text.endswith("rayiç değeritespit edilerek sahibine ödenir.")
    # the next article's own heading, cut from the chapter title at "HükümlerÖdüllendirme"
    assert (tmk["9"].heading, tmk["16"].heading, tmk["19"].heading) == (
        "Görev ve yargı çevresinin belirlenmesi",
        "Cezaların infazı ve tutukluların muhafazası",
        "Ödüllendirme",
    )
    assert (tmk["16"].label, tmk["19"].label) == ("Madde 16", "Madde 19")
    assert tmk["19"].text.startswith("(Değişik:18/10/2018-7148/28 md.)İşlenişine")
    assert (tmk["19"].eid, tmk["g1"].eid) == ("art_19", "art_g1")  # eIds as before
    # each article's own heading, glued after the end of the article before it
    assert tmk["3"].text.endswith("terör suçlarıdır.")
    assert (tmk["4"].heading, tmk["8/a"].heading, tmk["20"].heading) == (
        "Terör amacı ile işlenen suçlar",
        "Nitelikli hal",
        "Koruma tedbirleri",
    )


def test_turkish_financing_law_chapters_and_closing_tables() -> None:
    """Law 6415 has the same glued chapter headings; the tables printed after its last article
    (amending acts and their entry into force) and the page's script are notes, not text."""
    provisions = extract("tur/tur-terorizmin-finansmaninin-onlenmesi-hakkinda-kanun-6415.json")
    law = {p.number: p for p in provisions.provisions if p.number}
    chapters = {p.eid: p.heading for p in provisions.provisions if p.kind == "chapter"}
    assert list(chapters.values()) == [
        "Terörizmin Finansmanı Suçu",
        "Malvarlığının Dondurulması",
        "Çeşitli ve Son Hükümler",
    ]
    assert [chapters.get(law[n].parent_eid) for n in ("3", "5", "16")] == list(chapters.values())
    assert law["21"].text == "(1) Bu Kanun hükümlerini Bakanlar Kuruluyürütür."
    assert law["21"].notes.startswith("6415 SAYILI KANUNA EK VE DEĞİŞİKLİK")
    assert "BÖLÜM" not in law["15"].text
    # each article's own heading, glued after the end of the article before it
    assert (law["2"].heading, law["4"].heading) == ("Tanımlar", "Terörizmin finansmanı suçu")
    assert law["3"].text.endswith("suç olarak düzenlenen fiiller.")
    # the provisional article had no stub: "GEÇİCİ" glued after art. 19, then a bare "Madde 1"
    assert (law["g1"].label, law["g1"].heading) == (
        "Geçici Madde 1",
        "Mevcut kararların uygulanması",
    )
    assert law["1"].text.startswith("(1) Bu Kanun, terör") and law["19"].text.endswith("konulur.")


def test_page_furniture_goes_and_repeated_legal_lines_stay() -> None:
    from ingest.formats.json_cleanup import strip_page_furniture

    footer = "Registro Oficial - Cuarto Suplemento Nº 610 Lunes 29"
    refrain = "proliferación de armas de destrucción masiva;"  # legal text that repeats
    texts = [
        f"a;\n{refrain}\nPágina 1 de 3\n7\n{footer}\nb",
        f"c\nPágina 2 de 3\n8\n{footer}\nd\n{refrain}",
        f"e\nPágina 3 de 3\n9\n{footer}\nf\n{refrain}\n{refrain}\n{footer}",
        "no page mark here",
    ]
    cleaned, pages = strip_page_furniture(texts)
    assert pages == 3
    assert cleaned == [
        f"a;\n{refrain}\nb",
        f"c\nd\n{refrain}",
        f"e\nf\n{refrain}\n{refrain}",
        "no page mark here",
    ]
