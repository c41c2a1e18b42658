"""Unit tests of the segmenter on small texts: one numbering style per row, then the cases that
must not produce provisions (cross-references, tables of contents, numbered paragraphs)."""

from __future__ import annotations

import pytest

from ingest.records import ProvisionDraft
from ingest.segment import segment


def _units(drafts: list[ProvisionDraft]) -> list[tuple[str, str | None, str | None]]:
    """(kind, number, heading) of the citable units, in order."""
    skip = {"preamble", "book", "part", "title", "chapter", "division", "subdivision"}
    return [(d.kind, d.number, d.heading) for d in drafts if d.kind not in skip | {"schedule"}]


def _by_number(drafts: list[ProvisionDraft], number: str) -> ProvisionDraft:
    found = [d for d in drafts if d.number == number and d.kind not in ("part", "chapter")]
    assert found, f"no provision numbered {number!r} in {[d.eid for d in drafts]}"
    return found[0]


# (id, text, language, country, expected [(kind, number, heading)], label of the first unit)
STYLES = [
    (
        "uk-bare-number",
        "PART III\nTERRORIST PROPERTY\n15 Fund-raising.\n(1) A person commits an offence if he—\n"
        "(a) invites another to provide money, and\n(b) intends that it should be used.\n"
        "16 Use and possession.\n(1) A person commits an offence if he uses money.\n",
        "en",
        "GBR",
        [("section", "15", "Fund-raising"), ("section", "16", "Use and possession")],
        "s. 15",
    ),
    (
        "uk-number-then-heading-line",
        "14\nTerrorist property.\n(1) In this Act terrorist property means money.\n15\n"
        "Fund-raising.\n(1) A person commits an offence if he invites another to provide money.\n"
        "16\nUse and possession.\n(1) A person commits an offence if he uses money.\n",
        "en",
        "GBR",
        [
            ("section", "14", "Terrorist property"),
            ("section", "15", "Fund-raising"),
            ("section", "16", "Use and possession"),
        ],
        "s. 14",
    ),
    (
        "section-word",
        "Section 1. Short title\nThis Act may be cited as the Act.\n"
        "Section 2. Definitions\nIn this Act, terrorism means an act.\n",
        "en",
        None,
        [("section", "1", "Short title"), ("section", "2", "Definitions")],
        "Section 1",
    ),
    (
        "canada-decimal",
        "Section 83.01\nThe following definitions apply in this Part of the Act.\nSection 83.02\n"
        "Every one who provides property is guilty of an offence.\nSection 83.03\n"
        "Every one who collects property is guilty of an offence.\n",
        "en",
        "CAN",
        [("section", "83.01", None), ("section", "83.02", None), ("section", "83.03", None)],
        "Section 83.01",
    ),
    (
        "french-code",
        "## Chapitre Ier : Des actes de terrorisme\n\n##### Article 421-1\n\n"
        "Constituent des actes de terrorisme les infractions suivantes.\n\n"
        "##### Article 421-2-2\n\nConstitue également un acte de terrorisme le fait de financer.\n",
        "fr",
        "FRA",
        [("article", "421-1", None), ("article", "421-2-2", None)],
        "Article 421-1",
    ),
    (
        "swiss-latin-suffixes",
        "Art. 260ter\nKriminelle und terroristische Organisationen\n"
        "1 Mit Freiheitsstrafe wird bestraft, wer sich an einer Organisation beteiligt.\n"
        "Art. 260quater\nGefährdung der öffentlichen Sicherheit mit Waffen\n"
        "Wer jemandem Schusswaffen verkauft, wird bestraft.\n"
        "Art. 260quinquies\nFinanzierung des Terrorismus\n"
        "1 Wer in der Absicht, ein Gewaltverbrechen zu finanzieren, Vermögenswerte sammelt.\n"
        "Art. 260sexies\nAnwerbung, Ausbildung und Reisen\n1 Mit Freiheitsstrafe wird bestraft.\n",
        "de",
        "CHE",
        [
            ("article", "260ter", "Kriminelle und terroristische Organisationen"),
            ("article", "260quater", "Gefährdung der öffentlichen Sicherheit mit Waffen"),
            ("article", "260quinquies", "Finanzierung des Terrorismus"),
            ("article", "260sexies", "Anwerbung, Ausbildung und Reisen"),
        ],
        "Art. 260ter",
    ),
    (
        "german-paragraph-sign",
        "##### § 89a Vorbereitung einer schweren staatsgefährdenden Gewalttat\n\n"
        "(1) Wer eine schwere staatsgefährdende Gewalttat vorbereitet, wird bestraft.\n\n"
        "##### § 89c Terrorismusfinanzierung\n\n(1) Wer Vermögenswerte sammelt, wird bestraft.\n\n"
        "##### § 129a Bildung terroristischer Vereinigungen\n\n(1) Wer eine Vereinigung gründet.\n",
        "de",
        "DEU",
        [
            ("paragraph", "89a", "Vorbereitung einer schweren staatsgefährdenden Gewalttat"),
            ("paragraph", "89c", "Terrorismusfinanzierung"),
            ("paragraph", "129a", "Bildung terroristischer Vereinigungen"),
        ],
        "§ 89a",
    ),
    (
        "article-bis",
        "Article 3\nThe Parties shall cooperate.\nArticle 3 bis\nThe Parties shall exchange "
        "information.\nArticle 4\nThis Convention enters into force.\n",
        "en",
        None,
        [("article", "3", None), ("article", "3bis", None), ("article", "4", None)],
        "Article 3",
    ),
    (
        "spanish-articulo",
        "Artículo 571.\nA los efectos de este Código se considerarán organizaciones terroristas.\n"
        "Artículo 572.\n1. Quienes promovieran una organización terrorista serán castigados.\n"
        "Artículo 573 bis.\n1. Los delitos de terrorismo serán castigados.\n",
        "es",
        "ESP",
        [("article", "571", None), ("article", "572", None), ("article", "573bis", None)],
        "Artículo 571",
    ),
    (
        "russian-superscript",
        "Статья 205. Террористический акт\n1. Совершение взрыва наказывается лишением свободы.\n"
        "Статья 205¹. Содействие террористической деятельности\n"
        "1. Склонение лица в совершение преступления наказывается.\n",
        "ru",
        "RUS",
        [
            ("article", "205", "Террористический акт"),
            ("article", "205.1", "Содействие террористической деятельности"),
        ],
        "Статья 205",
    ),
    (
        "chinese-numerals",
        "第一百二十条 组织、领导恐怖活动组织的，处十年以上有期徒刑。\n"
        "第一百二十条之一 资助恐怖活动组织的，处五年以下有期徒刑。\n"
        "第一百二十一条 以暴力劫持航空器的，处十年以上有期徒刑。\n",
        "zh",
        "CHN",
        [("article", "120", None), ("article", "120-1", None), ("article", "121", None)],
        "第一百二十条",
    ),
    (
        "japanese-captions",
        "(定義)\n第一条 この法律において公衆等脅迫目的の犯罪行為とは、次に掲げる行為をいう。\n"
        "(資金等の提供)\n第二条 資金を提供した者は、十年以下の懲役に処する。\n",
        "ja",
        "JPN",
        [("article", "1", "定義"), ("article", "2", "資金等の提供")],
        "第一条",
    ),
    (
        "korean-jo",
        "제1조 (목적) 이 영은 테러방지법에서 위임된 사항을 규정한다.\n"
        "제2조 (관계기관의 범위) 관계기관이란 다음 기관을 말한다.\n",
        "ko",
        "KOR",
        [("article", "1", "목적"), ("article", "2", "관계기관의 범위")],
        "제1조",
    ),
    (
        "arabic-madda",
        "المادة (1)\nفي تطبيق أحكام هذا القانون يكون للكلمات المعاني المبينة.\n"
        "المادة (2)\nتسري أحكام هذا القانون على الجرائم المنصوص عليها فيه.\n",
        "ar",
        "ARE",
        [("article", "1", None), ("article", "2", None)],
        "المادة 1",
    ),
    (
        "croatian-clanak",
        "Članak 97.\nTko s ciljem ozbiljnog zastrašivanja stanovništva počini djelo.\n"
        "Članak 98.\nTko osigura ili prikupi sredstva kaznit će se.\n",
        "hr",
        "HRV",
        [("article", "97", None), ("article", "98", None)],
        "Članak 97",
    ),
    (
        "slovak-clanok",
        "Článok 1\nTento zákon upravuje ochranu pred financovaním terorizmu.\n"
        "Článok 2\nTento zákon nadobúda účinnosť dňom vyhlásenia.\n",
        "sk",
        "SVK",
        [("article", "1", None), ("article", "2", None)],
        "Článok 1",
    ),
    (
        "czech-paragraph",
        "##### § 311\n\n#### Teroristický útok\n\n(1) Kdo v úmyslu poškodit ústavní zřízení spáchá "
        "čin, bude potrestán.\n\n##### § 312\n\n#### Teror\n\n(1) Kdo v úmyslu poškodit zřízení "
        "usmrtí jiného, bude potrestán.\n",
        "cs",
        "CZE",
        [("paragraph", "311", "Teroristický útok"), ("paragraph", "312", "Teror")],
        "§ 311",
    ),
    (
        "dutch-artikel",
        "### Artikel 83\n\nOnder terroristisch misdrijf wordt verstaan elk misdrijf.\n\n"
        "### Artikel 83a\n\nOnder terroristisch oogmerk wordt verstaan het oogmerk.\n",
        "nl",
        "NLD",
        [("article", "83", None), ("article", "83a", None)],
        "Artikel 83",
    ),
    (
        "nordic-number-then-sign",
        "1 § Denna lag gäller straff för terroristbrott.\n"
        "2 § För terroristbrott döms till fängelse.\n3 § För försök döms till ansvar.\n",
        "sv",
        "SWE",
        [("paragraph", "1", None), ("paragraph", "2", None), ("paragraph", "3", None)],
        "1 §",
    ),
    (
        "irish-dash",
        "6.—(1) A person is guilty of a terrorist offence if the person commits an act.\n"
        "(2) A person guilty of an offence is liable to imprisonment.\n"
        "7.—(1) A person who attempts to commit an offence is guilty of an offence.\n",
        "en",
        "IRL",
        [("section", "6", None), ("section", "7", None)],
        "s. 6",
    ),
    (
        "us-code",
        "§ 2339A. Providing material support to terrorists\n(a) Offense.—Whoever provides "
        "material support shall be fined.\n§ 2339B. Providing material support or resources to "
        "designated foreign terrorist organizations\n(a) Prohibited activities.—Whoever "
        "knowingly provides material support shall be fined.\n",
        "en",
        "USA",
        [
            ("section", "2339a", "Providing material support to terrorists"),
            (
                "section",
                "2339b",
                "Providing material support or resources to designated foreign "
                "terrorist organizations",
            ),
        ],
        "§ 2339A",
    ),
    (
        "italian-hyphen-bis",
        "Art. 270-bis.\nAssociazioni con finalità di terrorismo.\n\nChiunque promuove associazioni "
        "che si propongono atti di violenza è punito con la reclusione.\n\nArt. 270-ter.\n"
        "Assistenza agli associati.\n\nChiunque dà rifugio a taluna delle persone è punito.\n",
        "it",
        "ITA",
        [
            ("article", "270-bis", "Associazioni con finalità di terrorismo"),
            ("article", "270-ter", "Assistenza agli associati"),
        ],
        "Art. 270-bis",
    ),
    (
        "catalan-article",
        "##### Article 1. Objecte\n\nAquesta llei té per objecte prevenir el blanqueig.\n\n"
        "##### Article 2. Àmbit d’aplicació\n\nAquesta llei s’aplica a les entitats.\n",
        "ca",
        "AND",
        [("article", "1", "Objecte"), ("article", "2", "Àmbit d’aplicació")],
        "Article 1",
    ),
    (
        "greek-arthro",
        "##### Άρθρο 187\n\nΕγκληματική οργάνωση\n\n1. Όποιος συγκροτεί οργάνωση τιμωρείται.\n\n"
        "##### Άρθρο 187Α\n\nΤρομοκρατικές πράξεις\n\n1. Όποιος τελεί κακούργημα τιμωρείται.\n",
        "el",
        "GRC",
        [("article", "187", "Εγκληματική οργάνωση"), ("article", "187α", "Τρομοκρατικές πράξεις")],
        "Άρθρο 187",
    ),
    (
        "estonian-superscript",
        "##### § 237. Terroritegu\n\n(1) Terroriakti toimepanemise eest karistatakse.\n\n"
        "##### § 237¹. Terroristlik ühendus\n\n(1) Terroristliku ühenduse eest karistatakse.\n",
        "et",
        "EST",
        [("paragraph", "237", "Terroritegu"), ("paragraph", "237.1", "Terroristlik ühendus")],
        "§ 237",
    ),
    (
        "polish-art",
        "##### Art. 1.\n\nUstawa określa zasady prowadzenia działań antyterrorystycznych.\n\n"
        "##### Art. 2.\n\nIlekroć w ustawie jest mowa o zdarzeniu.\n",
        "pl",
        "POL",
        [("article", "1", None), ("article", "2", None)],
        "Art. 1",
    ),
    (
        "latvian-pants",
        "79.¹ pants. Terorisms\n(1) Par spridzināšanu soda ar mūža ieslodzījumu.\n"
        "79.² pants. Terorisma finansēšana\n(1) Par terorisma finansēšanu soda.\n",
        "lv",
        "LVA",
        [("article", "79.1", "Terorisms"), ("article", "79.2", "Terorisma finansēšana")],
        "79.1 pants",
    ),
]


@pytest.mark.parametrize(
    ("text", "language", "country", "expected", "label"),
    [row[1:] for row in STYLES],
    ids=[row[0] for row in STYLES],
)
def test_numbering_styles(
    text: str, language: str, country: str | None, expected: list, label: str
) -> None:
    drafts = segment(text, language=language, country=country)
    assert _units(drafts) == expected
    assert next(d for d in drafts if d.kind == expected[0][0]).label == label


def test_uk_schedule_paragraphs_are_their_own_branch() -> None:
    text = (
        "1 Short title.\nThis Act may be cited as the Terrorism Act.\n2 Interpretation.\n"
        "In this Act terrorism has the meaning given.\nSCHEDULE 2\nPROSCRIBED ORGANISATIONS\n"
        "1\nThe Commission shall consist of members.\n"
        "2\nThe Lord Chancellor may appoint officers.\n"
    )
    drafts = segment(text, language="en", country="GBR")
    eids = [d.eid for d in drafts]
    assert eids == ["sec_1", "sec_2", "sched_2", "sched_2__para_1", "sched_2__para_2"]
    assert drafts[2].heading == "PROSCRIBED ORGANISATIONS"
    assert drafts[3].parent_eid == "sched_2"


def test_uk_annotations_go_to_notes() -> None:
    text = (
        "Textual Amendments\nF1 Words inserted by Terrorism Act 2006 (c. 11), s. 34\n"
        "1 Terrorism: interpretation.\n(1) In this Act terrorism means the use of action "
        "designed to influence the government [F1or an international organisation].\n"
        "Textual Amendments\nF1 Words in s. 1(1)(b) inserted (13.4.2006) by Terrorism Act 2006\n"
        "Modifications etc. (not altering text)\nC6 S. 1 applied (19.2.2001) by S.I. 2001/192\n"
        "2 Temporary legislation.\n(1) The following shall cease to have effect.\n"
    )
    first = _by_number(segment(text, language="en", country="GBR"), "1")
    assert first.heading == "Terrorism: interpretation"
    assert "F1" not in first.text and "C6" not in first.text
    assert "[or an international organisation]" in first.text
    assert "F1 Words in s. 1(1)(b)" in first.notes and "C6 S. 1 applied" in first.notes


def test_eurlex_markers_go_to_notes_of_the_provision_they_mark() -> None:
    text = (
        "►M1 Directive (EU) 2018/843 of the European Parliament and of the Council L 156 43\n"
        "►M2 Regulation (EU) 2023/1113 of the European Parliament L 150 1\n"
        "▼B\nArticle 1\n1. This Directive aims to prevent money laundering.\n"
        "2. ►M2 Member States shall report to the Commission ◄ every year.\n"
        "▼M1\nArticle 2\n1. This Directive applies to obliged entities.\n"
        "▼M1 __________\n▼B\n3. Member States may extend it.\n"
        "▼B\nArticle 3\n1. Definitions apply.\n"
    )
    drafts = {d.number: d for d in segment(text, language="en", country="EUU") if d.number}
    first, second, third = drafts["1"], drafts["2"], drafts["3"]
    assert "2. Member States shall report to the Commission every year." in first.text
    assert first.notes == "M2 text replaced by Regulation (EU) 2023/1113 (EUR-Lex marker)"
    assert not any(c in d.text for d in (first, second, third) for c in "▼►◄")
    assert second.notes.splitlines() == [
        "M1 text inserted or replaced by Directive (EU) 2018/843 (EUR-Lex marker)",
        "M1 text deleted by Directive (EU) 2018/843 (EUR-Lex marker)",
    ]
    assert third.notes == ""


def test_subsections_stay_in_the_text_with_line_breaks() -> None:
    text = (
        "Article 2\n1. Any person commits an offence if that person provides funds with the "
        "intention that they should be used:\n(a) to commit an act; or\n"
        "(b) to cause death.\n2. It shall not be necessary that the funds were used.\n"
        "Article 3\nThis Convention shall not apply.\n"
    )
    drafts = segment(text, language="en")
    assert _units(drafts) == [("article", "2", None), ("article", "3", None)]
    assert drafts[0].text.split("\n") == [
        "1. Any person commits an offence if that person provides funds with the intention "
        "that they should be used:",
        "(a) to commit an act; or",
        "(b) to cause death.",
        "2. It shall not be necessary that the funds were used.",
    ]


def test_preamble_and_container_tree() -> None:
    text = (
        "# Code pénal\n\nLe Parlement a adopté la loi dont la teneur suit, promulguée ce jour.\n\n"
        "### Livre IV : Des crimes et délits contre la nation\n\n"
        "#### Titre II : Du terrorisme\n\n#### Chapitre Ier : Des actes de terrorisme\n\n"
        "##### Article 421-1\n\nConstituent des actes de terrorisme les infractions.\n\n"
        "#### Chapitre II : Dispositions particulières\n\n##### Article 422-1\n\n"
        "Toute personne qui a tenté de commettre un acte de terrorisme est exempte de peine.\n"
    )
    drafts = {d.eid: d for d in segment(text, language="fr", country="FRA")}
    assert drafts["preamble"].kind == "preamble"
    assert "Le Parlement a adopté" in drafts["preamble"].text
    article = drafts["book_IV__title_II__chp_I__art_421-1"]
    assert article.parent_eid == "book_IV__title_II__chp_I"
    assert drafts["book_IV__title_II__chp_I"].heading == "Des actes de terrorisme"
    assert drafts["book_IV__title_II__chp_II__art_422-1"].number == "422-1"


def test_eids_are_unique_when_numbers_repeat() -> None:
    text = (
        "### Article 1\n\nFor the purposes of this Convention: funds means assets.\n\n"
        "### Article 2\n\nAny person commits an offence if that person provides funds.\n\n"
        "### Artikel 1\n\nVoor de toepassing van dit Verdrag wordt verstaan onder fondsen.\n\n"
        "### Artikel 2\n\nIeder persoon begaat een strafbaar feit.\n"
    )
    drafts = [d for d in segment(text, language="en") if d.kind == "article"]
    assert [d.number for d in drafts] == ["1", "2", "1", "2"]
    assert len({d.eid for d in drafts}) == 4


# --- false positives ---------------------------------------------------------------------------

FALSE_POSITIVES = [
    (
        "cross-reference-in-sentence",
        "Article 1\nThe offences under section 15 and article 421-1 are terrorist offences.\n"
        "Article 2\nA person who commits an offence under Article 1 is liable.\n",
        ["1", "2"],
    ),
    (
        "cross-reference-at-line-start",
        "Article 5\nEach State Party shall adopt measures.\nArticle 6 of this Convention applies "
        "to legal entities.\nArticle 7\nEach State Party shall establish jurisdiction.\n",
        ["5", "7"],
    ),
    (
        "wrapped-lowercase-reference",
        "Article 421-2\nConstitue un acte de terrorisme le fait mentionné à\n"
        "article 421-1 du présent code.\nArticle 421-3\nLe maximum de la peine est relevé.\n",
        ["421-2", "421-3"],
    ),
    (
        "numbered-paragraphs-inside-articles",
        "### Artikel 1\n\n1. Geen feit is strafbaar dan uit kracht van een strafbepaling.\n"
        "2. Bij verandering in de wetgeving worden de gunstigste bepalingen toegepast.\n\n"
        "### Artikel 2\n\n1. De Nederlandse strafwet is toepasselijk op ieder.\n"
        "2. Deze wet is ook toepasselijk op schepen.\n",
        ["1", "2"],
    ),
    (
        "year-at-line-start",
        "12 Support.\n(1) A person commits an offence if he invites support under the Act of\n"
        "2001 for a proscribed organisation.\n13 Uniform.\n(1) A person in a public place "
        "commits an offence.\n",
        ["12", "13"],
    ),
    (
        "german-reference-with-absatz",
        "##### § 129a Bildung terroristischer Vereinigungen\n\n(1) Wer eine Vereinigung gründet\n"
        "§ 129 Absatz 2 gilt entsprechend.\n\n##### § 129b Kriminelle Vereinigungen im Ausland\n\n"
        "(1) Die §§ 129 und 129a gelten auch für Vereinigungen im Ausland.\n",
        ["129a", "129b"],
    ),
]


@pytest.mark.parametrize(
    ("text", "numbers"),
    [row[1:] for row in FALSE_POSITIVES],
    ids=[row[0] for row in FALSE_POSITIVES],
)
def test_cross_references_do_not_open_provisions(text: str, numbers: list[str]) -> None:
    drafts = segment(text)
    assert [n for _, n, _ in _units(drafts)] == numbers


def test_table_of_contents_is_skipped() -> None:
    text = (
        "PREVENTION OF TERRORISM BILL\n\nARRANGEMENT OF CLAUSES\n\nPart I\n\nPRELIMINARY\n\n"
        "1. Short title and commencement\n\n2. Interpretation\n\nPart II\n\nPOWERS OF ARREST\n\n"
        "3. Arrest\n\n4. Procedure before Magistrate\n\nA BILL intituled an Act to provide for the "
        "prevention of terrorism.\n\nPart I\n\nPRELIMINARY\n\n1. (1) This Act may be cited as the "
        "Prevention of Terrorism Act 2015.\n(2) This Act comes into operation on a date to be "
        "appointed by the Minister.\n\n2. (1) In this Act, unless the context otherwise requires, "
        "Board means the Prevention of Terrorism Board established under section 8.\n\n"
        "Part II\n\nPOWERS OF ARREST\n\n3. (1) A police officer may without a warrant arrest any "
        "person if he has reason to believe that grounds exist.\n\n4. (1) Whenever any person is "
        "taken before a Magistrate, the Magistrate shall remand the person in custody.\n"
    )
    drafts = segment(text, language="en", country="MYS")
    sections = [d for d in drafts if d.kind == "section"]
    assert [d.number for d in sections] == ["1", "2", "3", "4"]
    assert all(d.text for d in sections)
    assert "This Act may be cited" in sections[0].text
    assert len([d for d in drafts if d.kind == "part"]) == 2


def test_japanese_table_of_contents_is_skipped() -> None:
    text = (
        "目次\n第一章 総則(第一条・第二条)\n第二章 公告及び指定(第三条)\n附則\n"
        "第一章 総則\n(目的)\n"
        "第一条 この法律は、国際的なテロリズムの行為を防止することを目的とする。\n"
        "(国の責務)\n第二条 国は、措置が適正に行われることを確保するものとする。\n"
        "第二章 公告及び指定\n(公告)\n"
        "第三条 国家公安委員会は、遅滞なく、官報により公告するものとする。\n"
    )
    drafts = segment(text, language="ja", country="JPN")
    chapters = [d for d in drafts if d.kind == "chapter"]
    assert [(d.eid, d.heading) for d in chapters] == [("chp_1", "総則"), ("chp_2", "公告及び指定")]
    assert [(d.number, d.heading, d.parent_eid) for d in drafts if d.kind == "article"] == [
        ("1", "目的", "chp_1"),
        ("2", "国の責務", "chp_1"),
        ("3", "公告", "chp_2"),
    ]


def test_no_text_gives_no_provisions() -> None:
    assert segment("") == []
    assert segment("   \n\n  ") == []


def test_text_without_numbering_is_one_preamble() -> None:
    drafts = segment(
        "Whoever commits a terrorist act shall be punished with death.\n", language="en"
    )
    assert [(d.eid, d.kind) for d in drafts] == [("preamble", "preamble")]


# Sri Lankan gazette layout after PDF extraction: each marginal note stands on the line before
# its section and usually ends with a full stop.
_MARGINAL_NOTES = (
    "BE it enacted by the Parliament of the Democratic Socialist Republic of Sri Lanka "
    "as follows:–\n"
    "Short title and date of operation.\n"
    "1. This Act may be cited as the Suppression of Terrorist Bombings Act, No. 11 of 1999.\n"
    "Convention States.\n"
    "2. The Minister may, by Order published in the Gazette, certify the States which are "
    "parties to the Convention.\n"
    "Rights of certain persons arrested for offences under this Act.\n"
    "5. Where a person who is not a citizen of Sri Lanka is arrested, such person shall be "
    "entitled -\n(a) to communicate without delay with a representative; and\n(b)\n"
    "Minister to notify requesting country, of measures taken against persons for whose "
    "extradition request is made.\n"
    "6. Where a request is made for the extradition of any person, the Minister shall notify "
    "the requesting State.\n"
    "Replacement of section 10 of the principal enactment\n"
    "7. Section 10 of the principal enactment is hereby repealed and the following section is "
    "substituted therefor:-\n“An Order made under section 9 shall be final.”.\n"
)


def test_marginal_notes_before_the_section_are_its_headings() -> None:
    drafts = segment(_MARGINAL_NOTES, language="en", country="LKA")
    assert _units(drafts) == [
        ("section", "1", "Short title and date of operation"),
        ("section", "2", "Convention States"),
        ("section", "5", "Rights of certain persons arrested for offences under this Act"),
        (
            "section",
            "6",
            "Minister to notify requesting country, of measures taken against persons for "
            "whose extradition request is made",
        ),
        ("section", "7", "Replacement of section 10 of the principal enactment"),
    ]
    assert _by_number(drafts, "5").text.endswith("(b)")
    assert drafts[0].text.endswith("as follows:–")


def test_last_sentence_before_a_section_is_not_its_heading() -> None:
    # Sections end with sentences; without a document-wide habit of notes before the heads,
    # a last line ending with a full stop stays in the text it ends.
    text = (
        "1. This Act may be cited as the Example Act.\n"
        "2. The Minister may make regulations.\n"
        "Regulations made under this section shall be published.\n"
        "3. The regulations shall be laid before Parliament.\n"
    )
    drafts = segment(text, language="en", country="LKA")
    assert [d.heading for d in drafts if d.kind == "section"] == [None, None, None]
    assert _by_number(drafts, "2").text.endswith("shall be published.")
