"""Fixtures for the search backends: a small multilingual corpus, an embedded index in a temporary
directory, and an osmem-server process (OpenSearch-compatible, in memory) on a free loopback port.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from osmem_server import OsmemServer

from search_index.base import SearchBackend
from search_index.embedded import EmbeddedBackend
from search_index.opensearch.backend import OpenSearchBackend

BACKENDS = ["embedded", "opensearch"]
# Select or skip the OpenSearch runs with `-m opensearch` / `-m "not opensearch"`.
BACKEND_PARAMS = ["embedded", pytest.param("opensearch", marks=pytest.mark.opensearch)]
REGIONS = {
    "GBR": ("Europe", "Northern Europe"),
    "FRA": ("Europe", "Western Europe"),
    "DEU": ("Europe", "Western Europe"),
    "RUS": ("Europe", "Eastern Europe"),
    "USA": ("Americas", "Northern America"),
    "CAN": ("Americas", "Northern America"),
    "CHN": ("Asia", "Eastern Asia"),
    "ARE": ("Asia", "Western Asia"),
    "EGY": ("Africa", "Northern Africa"),
    "ESP": ("Europe", "Southern Europe"),
    "AUS": ("Oceania", "Australia and New Zealand"),
    "IND": ("Asia", "Southern Asia"),
    "BRA": ("Americas", "South America"),
    "INT": ("", ""),
}
# document id -> (country, language, doc_type, year, status, title, title_en, valid_from)
# fmt: off
DOCUMENTS = {
    "gbr/act/2000/terrorism-act": (
        "GBR", "en", "act", 2000, "official",
        "Terrorism Act 2000",
        "Terrorism Act 2000", "2000-07-20",
    ),
    "gbr/act/2006/terrorism-act": (
        "GBR", "en", "act", 2006, "official",
        "Terrorism Act 2006",
        "Terrorism Act 2006", "2006-03-30",
    ),
    "gbr/bill/2018/counter-terrorism-border-security": (
        "GBR", "en", "bill", 2018, "bill",
        "Counter-Terrorism and Border Security Bill",
        "Counter-Terrorism and Border Security Bill", "2018-06-06",
    ),
    "usa/code/1996/18-usc-113b": (
        "USA", "en", "code", 1996, "official",
        "18 U.S.C. Chapter 113B - Terrorism",
        "18 U.S.C. Chapter 113B - Terrorism", "1996-04-24",
    ),
    "can/code/1985/criminal-code": (
        "CAN", "en", "code", 1985, "official",
        "Criminal Code (R.S.C., 1985, c. C-46)",
        "Criminal Code", "2001-12-24",
    ),
    "can/code/1985/code-criminel": (
        "CAN", "fr", "code", 1985, "official",
        "Code criminel (L.R.C. (1985), ch. C-46)",
        "Criminal Code (French version)", "2001-12-24",
    ),
    "fra/code/1994/code-penal": (
        "FRA", "fr", "code", 1994, "official",
        "Code pénal",
        "Criminal Code", "1996-07-22",
    ),
    "deu/code/1998/stgb": (
        "DEU", "de", "code", 1998, "official",
        "Strafgesetzbuch (StGB)",
        "German Criminal Code", "2009-08-04",
    ),
    "rus/code/1996/uk-rf": (
        "RUS", "ru", "code", 1996, "official",
        "Уголовный кодекс Российской Федерации",
        "Criminal Code of the Russian Federation", "2006-07-27",
    ),
    "chn/law/2015/counter-terrorism-law": (
        "CHN", "zh", "law", 2015, "official",
        "中华人民共和国反恐怖主义法",
        "Counter-Terrorism Law of the People's Republic of China", "2016-01-01",
    ),
    "chn/law/1997/criminal-law": (
        "CHN", "zh", "law", 1997, "official",
        "中华人民共和国刑法",
        "Criminal Law of the PRC", "2001-12-29",
    ),
    "egy/law/2015/anti-terrorism-law": (
        "EGY", "ar", "law", 2015, "extract",
        "قانون مكافحة الإرهاب",
        "Anti-Terrorism Law", "2015-08-15",
    ),
    "are/law/2014/combating-terrorism": (
        "ARE", "ar", "law", 2014, "official",
        "قانون اتحادي في شأن مكافحة الجرائم الإرهابية",
        "Federal Law on Combating Terrorism Offences", "2014-08-20",
    ),
    "are/law/2014/combating-terrorism-en": (
        "ARE", "en", "law", 2014, "official_translation",
        "Federal Law on Combating Terrorism Offences",
        "Federal Law on Combating Terrorism Offences", "2014-08-20",
    ),
    "int/convention/1999/financing-convention": (
        "INT", "en", "convention", 1999, "official",
        "International Convention for the Suppression of the Financing of Terrorism",
        "International Convention for the Suppression of the Financing of Terrorism", "2002-04-10",
    ),
    "int/convention/1997/bombings-convention": (
        "INT", "en", "convention", 1997, "official",
        "International Convention for the Suppression of Terrorist Bombings",
        "International Convention for the Suppression of Terrorist Bombings", "2001-05-23",
    ),
    "int/resolution/2001/unscr-1373": (
        "INT", "en", "resolution", None, "official",
        "Security Council resolution 1373 (2001)",
        "Security Council resolution 1373 (2001)", "2001-09-28",
    ),
    "esp/code/1995/codigo-penal": (
        "ESP", "es", "code", 1995, "official",
        "Código Penal",
        "Criminal Code", "2015-07-01",
    ),
    "aus/act/1995/criminal-code-act": (
        "AUS", "en", "act", 1995, "official",
        "Criminal Code Act 1995",
        "Criminal Code Act 1995", "2003-07-16",
    ),
    "ind/act/1967/uapa": (
        "IND", "en", "act", 1967, "unofficial",
        "Unlawful Activities (Prevention) Act, 1967",
        "Unlawful Activities (Prevention) Act, 1967", "2004-09-21",
    ),
    "bra/law/2016/lei-13260": (
        "BRA", "pt", "law", 2016, "official",
        "Lei nº 13.260, de 16 de março de 2016",
        "Law No. 13,260 of 16 March 2016", "2016-03-17",
    ),
}
# fmt: on
# (document id, eId, label, heading, text, offences, instruments)
# fmt: off
PROVISIONS: list[tuple[str, str, str, str, str, tuple[str, ...], tuple[str, ...]]] = [
    (
        "gbr/act/2000/terrorism-act", "sec_1", "s. 1",
        "Terrorism: interpretation",
        "In this Act \"terrorism\" means the use or threat of action where the use or threat "
        "is designed to influence the government or to intimidate the public, and is made for "
        "the purpose of advancing a political, religious or ideological cause.",
        ("terrorism_definition",), ("UNSCR-1373",),
    ),
    (
        "gbr/act/2000/terrorism-act", "sec_11", "s. 11",
        "Membership",
        "A person commits an offence if he belongs or professes to belong to a proscribed "
        "organisation.",
        ("membership",), (),
    ),
    (
        "gbr/act/2000/terrorism-act", "sec_15", "s. 15",
        "Fund-raising",
        "A person commits an offence if he invites another to provide money or other property, "
        "and intends that it should be used, or has reasonable cause to suspect that it may be "
        "used, for the purposes of terrorism. <Note: amended 2019 & 2020>",
        ("financing",), ("FINANCING-1999", "UNSCR-1373"),
    ),
    (
        "gbr/act/2000/terrorism-act", "sec_54", "s. 54",
        "Weapons training",
        "A person commits an offence if he provides instruction or training in the making or "
        "use of firearms, radioactive material, explosives or chemical, biological or nuclear "
        "weapons.",
        ("training",), (),
    ),
    (
        "gbr/act/2000/terrorism-act", "sec_58", "s. 58",
        "Collection of information",
        "A person commits an offence if he collects or makes a record of information of a kind "
        "likely to be useful to a person committing or preparing an act of terrorism.",
        ("preparation",), (),
    ),
    (
        "gbr/act/2006/terrorism-act", "sec_1", "s. 1",
        "Encouragement of terrorism",
        "This section applies to a statement that is likely to be understood by members of the "
        "public as a direct or indirect encouragement to the commission, preparation or "
        "instigation of acts of terrorism.",
        ("incitement",), ("UNSCR-1624",),
    ),
    (
        "gbr/act/2006/terrorism-act", "sec_5", "s. 5",
        "Preparation of terrorist acts",
        "A person commits an offence if, with the intention of committing acts of terrorism, "
        "he engages in any conduct in preparation for giving effect to his intention.",
        ("preparation",), (),
    ),
    (
        "gbr/act/2006/terrorism-act", "sec_6", "s. 6",
        "Training for terrorism",
        "A person commits an offence if he provides instruction or training for the purposes "
        "of the commission or preparation of acts of terrorism.",
        ("training",), (),
    ),
    (
        "gbr/bill/2018/counter-terrorism-border-security", "clause_3", "cl. 3",
        "Obtaining or viewing material over the internet",
        "A person commits an offence if he views or otherwise accesses by means of the "
        "internet a document or record containing information of a kind likely to be useful to "
        "a person committing or preparing an act of terrorism.",
        ("preparation",), (),
    ),
    (
        "usa/code/1996/18-usc-113b", "sec_2339A", "§ 2339A",
        "Providing material support to terrorists",
        "Whoever provides material support or resources or conceals or disguises the nature, "
        "location, source, or ownership of material support or resources, knowing that they "
        "are to be used in preparation for a violation, shall be fined or imprisoned.",
        ("material_support",), (),
    ),
    (
        "usa/code/1996/18-usc-113b", "sec_2339B", "§ 2339B",
        "Providing material support or resources to designated foreign terrorist organizations",
        "Whoever knowingly provides material support or resources to a foreign terrorist "
        "organization, or attempts or conspires to do so, shall be fined or imprisoned not "
        "more than 20 years.",
        ("material_support", "proscription"), (),
    ),
    (
        "usa/code/1996/18-usc-113b", "sec_2339C", "§ 2339C",
        "Prohibitions against the financing of terrorism",
        "Whoever, in a circumstance described in subsection (b), by any means, directly or "
        "indirectly, unlawfully and willfully provides or collects funds with the intention "
        "that such funds be used, or with the knowledge that such funds are to be used, in "
        "full or in part, in order to carry out an act of terrorism shall be punished.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "usa/code/1996/18-usc-113b", "sec_2332f", "§ 2332f",
        "Bombings of places of public use, government facilities, public transportation systems",
        "Whoever unlawfully delivers, places, discharges, or detonates an explosive or other "
        "lethal device in, into, or against a place of public use shall be punished.",
        ("bombing",), ("BOMBINGS-1997",),
    ),
    (
        "can/code/1985/criminal-code", "sec_83.01", "83.01",
        "Definitions",
        "The following definitions apply in this Part. terrorist activity means an act or "
        "omission committed in whole or in part for a political, religious or ideological "
        "purpose.",
        ("terrorism_definition",), (),
    ),
    (
        "can/code/1985/criminal-code", "sec_83.02", "83.02",
        "Providing or collecting property for certain activities",
        "Every one is guilty of an indictable offence who, directly or indirectly, wilfully "
        "and without lawful justification or excuse, provides or collects property intending "
        "that it be used or knowing that it will be used, in whole or in part, in order to "
        "carry out a terrorist activity.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "can/code/1985/criminal-code", "sec_83.18", "83.18",
        "Participation in activity of terrorist group",
        "Every one who knowingly participates in or contributes to, directly or indirectly, "
        "any activity of a terrorist group for the purpose of enhancing the ability of any "
        "terrorist group to facilitate or carry out a terrorist activity is guilty of an "
        "indictable offence.",
        ("membership",), (),
    ),
    (
        "can/code/1985/code-criminel", "art_83.02", "83.02",
        "Fournir ou réunir des biens en vue de certains actes",
        "Est coupable d'un acte criminel quiconque, directement ou non, fournit ou réunit, "
        "délibérément et sans justification ou excuse légitime, des biens dans l'intention de "
        "les voir utilisés en vue de se livrer à une activité terroriste.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "can/code/1985/code-criminel", "art_83.18", "83.18",
        "Participation à une activité d'un groupe terroriste",
        "Est coupable d'un acte criminel quiconque, sciemment, participe à une activité d'un "
        "groupe terroriste, ou y contribue, directement ou non.",
        ("membership",), (),
    ),
    (
        "fra/code/1994/code-penal", "art_421-1", "Art. 421-1",
        "",
        "Constituent des actes de terrorisme, lorsqu'elles sont intentionnellement en relation "
        "avec une entreprise individuelle ou collective ayant pour but de troubler gravement "
        "l'ordre public par l'intimidation ou la terreur, les infractions suivantes.",
        ("terrorism_definition",), (),
    ),
    (
        "fra/code/1994/code-penal", "art_421-2-1", "Art. 421-2-1",
        "",
        "Constitue également un acte de terrorisme le fait de participer à un groupement formé "
        "ou à une entente établie en vue de la préparation d'un des actes de terrorisme.",
        ("membership", "preparation"), (),
    ),
    (
        "fra/code/1994/code-penal", "art_421-2-2", "Art. 421-2-2",
        "",
        "Constitue également un acte de terrorisme le fait de financer une entreprise "
        "terroriste en fournissant, en réunissant ou en gérant des fonds, des valeurs ou des "
        "biens quelconques ou en donnant des conseils à cette fin.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "fra/code/1994/code-penal", "art_421-2-5", "Art. 421-2-5",
        "",
        "Le fait de provoquer directement à des actes de terrorisme ou de faire publiquement "
        "l'apologie de ces actes est puni de cinq ans d'emprisonnement.",
        ("incitement",), (),
    ),
    (
        "fra/code/1994/code-penal", "art_421-2-6", "Art. 421-2-6",
        "",
        "Constitue un acte de terrorisme le fait de préparer la commission d'une des "
        "infractions mentionnées, dès lors que la préparation est intentionnellement en "
        "relation avec une entreprise individuelle.",
        ("preparation",), (),
    ),
    (
        "deu/code/1998/stgb", "para_89a", "§ 89a",
        "Vorbereitung einer schweren staatsgefährdenden Gewalttat",
        "Wer eine schwere staatsgefährdende Gewalttat vorbereitet, wird mit Freiheitsstrafe "
        "von sechs Monaten bis zu zehn Jahren bestraft.",
        ("preparation", "training"), (),
    ),
    (
        "deu/code/1998/stgb", "para_89c", "§ 89c",
        "Terrorismusfinanzierung",
        "Wer Vermögenswerte sammelt, entgegennimmt oder zur Verfügung stellt mit dem Wissen "
        "oder in der Absicht, dass diese von einer anderen Person zur Begehung einer Straftat "
        "verwendet werden sollen, wird bestraft.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "deu/code/1998/stgb", "para_129a", "§ 129a",
        "Bildung terroristischer Vereinigungen",
        "Wer eine Vereinigung gründet, deren Zwecke oder deren Tätigkeit darauf gerichtet "
        "sind, Mord oder Totschlag zu begehen, oder wer sich an einer solchen Vereinigung als "
        "Mitglied beteiligt, wird mit Freiheitsstrafe bestraft.",
        ("membership",), (),
    ),
    (
        "deu/code/1998/stgb", "para_129b", "§ 129b",
        "Kriminelle und terroristische Vereinigungen im Ausland",
        "Die §§ 129 und 129a gelten auch für Vereinigungen im Ausland.",
        ("membership", "jurisdiction"), (),
    ),
    (
        "rus/code/1996/uk-rf", "art_205", "Статья 205",
        "Террористический акт",
        "Совершение взрыва, поджога или иных действий, устрашающих население и создающих "
        "опасность гибели человека, в целях дестабилизации деятельности органов власти.",
        ("terrorist_act", "bombing"), (),
    ),
    (
        "rus/code/1996/uk-rf", "art_205.1", "Статья 205.1",
        "Содействие террористической деятельности",
        "Склонение, вербовка или иное вовлечение лица в совершение преступления, а равно "
        "финансирование терроризма наказываются лишением свободы.",
        ("recruitment", "financing"), (),
    ),
    (
        "rus/code/1996/uk-rf", "art_205.2", "Статья 205.2",
        "Публичные призывы к осуществлению террористической деятельности",
        "Публичные призывы к осуществлению террористической деятельности, публичное оправдание "
        "терроризма или пропаганда терроризма наказываются штрафом.",
        ("incitement",), (),
    ),
    (
        "rus/code/1996/uk-rf", "art_205.5", "Статья 205.5",
        "Организация деятельности террористической организации",
        "Организация деятельности организации, которая признана террористической, наказывается "
        "лишением свободы.",
        ("membership",), (),
    ),
    (
        "chn/law/2015/counter-terrorism-law", "art_3", "第三条",
        "",
        "本法所称恐怖主义，是指通过暴力、破坏、恐吓等手段，制造社会恐慌、危害公共安全、侵犯人身财产，或者胁迫国家机关、国际组织，以实现其政治、意识形态等目的的主张和行为。",
        ("terrorism_definition",), (),
    ),
    (
        "chn/law/2015/counter-terrorism-law", "art_14", "第十四条",
        "",
        "金融机构和特定非金融机构对国家反恐怖主义工作领导机构的办事机构公告的恐怖活动组织及人员的资金或者其他资产，应当立即予以冻结。",
        ("asset_freezing",), ("UNSCR-1373",),
    ),
    (
        "chn/law/2015/counter-terrorism-law", "art_80", "第八十条",
        "",
        "宣扬恐怖主义、极端主义或者煽动实施恐怖活动、极端主义活动的，由公安机关处十日以上十五日以下拘留。",
        ("incitement",), (),
    ),
    (
        "chn/law/1997/criminal-law", "art_120", "第一百二十条",
        "",
        "组织、领导恐怖活动组织的，处十年以上有期徒刑或者无期徒刑。",
        ("membership",), (),
    ),
    (
        "chn/law/1997/criminal-law", "art_120-1", "第一百二十条之一",
        "",
        "资助恐怖活动组织、实施恐怖活动的个人的，或者资助恐怖活动培训的，处五年以下有期徒刑。",
        ("financing",), (),
    ),
    (
        "egy/law/2015/anti-terrorism-law", "art_2", "المادة 2",
        "",
        "يقصد بالعمل الإرهابي كل استخدام للقوة أو العنف أو التهديد أو الترويع في الداخل أو "
        "الخارج.",
        ("terrorism_definition",), (),
    ),
    (
        "egy/law/2015/anti-terrorism-law", "art_12", "المادة 12",
        "",
        "يعاقب بالسجن المؤبد كل من أنشأ أو أسس أو نظم أو أدار جماعة إرهابية.",
        ("membership",), (),
    ),
    (
        "egy/law/2015/anti-terrorism-law", "art_13", "المادة 13",
        "",
        "يعاقب بالإعدام كل من ارتكب جريمة من جرائم تمويل الإرهاب.",
        ("financing",), (),
    ),
    (
        "are/law/2014/combating-terrorism", "art_29", "المادة 29",
        "",
        "يعاقب بالسجن المؤبد كل من قدم أموالا لتمويل الإرهاب مع علمه بذلك.",
        ("financing",), (),
    ),
    (
        "are/law/2014/combating-terrorism-en", "art_29", "Article 29",
        "",
        "Shall be punished by life imprisonment whoever provides funds for the financing of "
        "terrorism with knowledge thereof.",
        ("financing",), (),
    ),
    (
        "int/convention/1999/financing-convention", "art_2", "Article 2",
        "",
        "Any person commits an offence within the meaning of this Convention if that person by "
        "any means, directly or indirectly, unlawfully and wilfully, provides or collects "
        "funds with the intention that they should be used or in the knowledge that they are "
        "to be used, in full or in part, in order to carry out an act of terrorism.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "int/convention/1999/financing-convention", "art_8", "Article 8",
        "",
        "Each State Party shall take appropriate measures for the identification, detection "
        "and freezing or seizure of any funds used or allocated for the purpose of committing "
        "the offences.",
        ("asset_freezing",), ("FINANCING-1999",),
    ),
    (
        "int/convention/1997/bombings-convention", "art_2", "Article 2",
        "",
        "Any person commits an offence within the meaning of this Convention if that person "
        "unlawfully and intentionally delivers, places, discharges or detonates an explosive "
        "or other lethal device in, into or against a place of public use.",
        ("bombing",), ("BOMBINGS-1997",),
    ),
    (
        "int/resolution/2001/unscr-1373", "para_1", "para. 1",
        "",
        "Decides that all States shall prevent and suppress the financing of terrorist acts "
        "and freeze without delay funds and other financial assets of persons who commit "
        "terrorist acts.",
        ("financing", "asset_freezing"), ("UNSCR-1373",),
    ),
    (
        "int/resolution/2001/unscr-1373", "para_2", "para. 2",
        "",
        "Decides also that all States shall refrain from providing any form of support to "
        "entities or persons involved in terrorist acts, including by suppressing recruitment "
        "of members of terrorist groups.",
        ("material_support", "recruitment"), ("UNSCR-1373",),
    ),
    (
        "esp/code/1995/codigo-penal", "art_572", "Artículo 572",
        "",
        "Quienes promovieran, constituyeran, organizaran o dirigieran una organización o grupo "
        "terrorista serán castigados con las penas de prisión de ocho a quince años.",
        ("membership",), (),
    ),
    (
        "esp/code/1995/codigo-penal", "art_573", "Artículo 573",
        "",
        "Se considerarán delito de terrorismo la comisión de cualquier delito grave contra la "
        "vida o la integridad física, la libertad o el patrimonio, cuando se llevaran a cabo con "
        "la finalidad de subvertir el orden constitucional.",
        ("terrorism_definition",), (),
    ),
    (
        "esp/code/1995/codigo-penal", "art_576", "Artículo 576",
        "",
        "Será castigado con la pena de prisión de cinco a diez años el que, por cualquier medio, "
        "directa o indirectamente, recabe, adquiera, posea, utilice, convierta o transmita bienes "
        "o valores con la intención de que se utilicen para cometer delitos de terrorismo.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "esp/code/1995/codigo-penal", "art_577", "Artículo 577",
        "",
        "Será castigado el que lleve a cabo cualquier acto de colaboración con las actividades o "
        "las finalidades de una organización o grupo terrorista.",
        ("material_support",), (),
    ),
    (
        "esp/code/1995/codigo-penal", "art_578", "Artículo 578",
        "",
        "El enaltecimiento o la justificación públicos de los delitos de terrorismo se castigará "
        "con la pena de prisión de uno a tres años.",
        ("incitement",), ("UNSCR-1624",),
    ),
    (
        "aus/act/1995/criminal-code-act", "sec_101.2", "s. 101.2",
        "Providing or receiving training connected with terrorist acts",
        "A person commits an offence if the person provides or receives training and the "
        "training is connected with preparation for, the engagement of a person in, or "
        "assistance in a terrorist act.",
        ("training",), (),
    ),
    (
        "aus/act/1995/criminal-code-act", "sec_102.3", "s. 102.3",
        "Membership of a terrorist organisation",
        "A person commits an offence if the person intentionally is a member of an organisation "
        "and the organisation is a terrorist organisation.",
        ("membership",), (),
    ),
    (
        "aus/act/1995/criminal-code-act", "sec_103.1", "s. 103.1",
        "Financing terrorism",
        "A person commits an offence if the person provides or collects funds and the person is "
        "reckless as to whether the funds will be used to facilitate or engage in a terrorist act.",
        ("financing",), ("FINANCING-1999",),
    ),
    (
        "ind/act/1967/uapa", "sec_15", "s. 15",
        "Terrorist act",
        "Whoever does any act with intent to threaten the unity, integrity, security or "
        "sovereignty of India by using bombs, dynamite or other explosive substances commits a "
        "terrorist act.",
        ("terrorist_act", "bombing"), (),
    ),
    (
        "ind/act/1967/uapa", "sec_17", "s. 17",
        "Punishment for raising funds for terrorist act",
        "Whoever raises or provides funds or collects funds from any person, knowing that such "
        "funds are likely to be used to commit a terrorist act, shall be punishable with "
        "imprisonment.",
        ("financing",), (),
    ),
    (
        "ind/act/1967/uapa", "sec_18", "s. 18",
        "Punishment for conspiracy",
        "Whoever conspires or attempts to commit, or advocates, abets, advises or incites the "
        "commission of, a terrorist act shall be punishable with imprisonment.",
        ("preparation", "incitement"), (),
    ),
    (
        "bra/law/2016/lei-13260", "art_2", "Art. 2º",
        "",
        "O terrorismo consiste na prática por um ou mais indivíduos dos atos previstos neste "
        "artigo, por razões de xenofobia, discriminação ou preconceito de raça, cor, etnia e "
        "religião.",
        ("terrorism_definition",), (),
    ),
    (
        "bra/law/2016/lei-13260", "art_6", "Art. 6º",
        "",
        "Receber, prover, oferecer, obter, guardar, manter em depósito, solicitar ou investir "
        "recursos, ativos, bens, direitos ou valores para o planejamento, a preparação ou a "
        "execução dos crimes previstos nesta Lei.",
        ("financing",), (),
    ),
]
# fmt: on
OLD_SEC_15 = {
    "id": "gbr/act/2000/terrorism-act/~sec_15@2000-07-20",
    "valid_from": "2000-07-20",
    "valid_to": "2019-04-12",
    "current": False,
    "text": "A person commits an offence if he invites another to provide money or other "
    "property hitherto, and intends that it should be used for the purposes of terrorism.",
}


def build_corpus() -> list[dict[str, Any]]:
    """The search documents: 59 current provisions plus one superseded version."""
    docs = []
    orders: dict[str, int] = {}
    for document_id, eid, label, heading, text, offences, instruments in PROVISIONS:
        country, lang, doc_type, year, status, title, title_en, valid_from = DOCUMENTS[document_id]
        region, subregion = REGIONS[country]
        orders[document_id] = orders.get(document_id, 0) + 1
        number = label.split()[-1] if " " in label else label
        docs.append(
            {
                "id": f"{document_id}/~{eid}",
                "document_id": document_id,
                "version_id": f"{document_id}@{valid_from}",
                "country": country,
                "region": region,
                "subregion": subregion,
                "language": lang,
                "doc_type": doc_type,
                "year": year,
                "status": status,
                "partial": status == "extract",
                "title": title,
                "title_en": title_en,
                "citation": f"{title} ({country}), {label}",
                "kind": eid.split("_")[0],
                "number": number,
                "label": label,
                "heading": heading,
                "text": text,
                "offences": list(offences),
                "instruments": list(instruments),
                "order": orders[document_id],
                "version_date": valid_from,
                "valid_from": valid_from,
                "valid_to": "9999-12-31",
                "current": True,
            }
        )
    current_15 = next(d for d in docs if d["id"] == "gbr/act/2000/terrorism-act/~sec_15")
    current_15["valid_from"] = current_15["version_date"] = "2019-04-12"
    current_15["version_id"] = "gbr/act/2000/terrorism-act@2019-04-12"
    docs.append({**current_15, **OLD_SEC_15, "version_date": "2000-07-20"})
    return docs


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    return build_corpus()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """An osmem-server process on a free loopback port, stopped at the end of the session."""
    # Port 0: the server picks a free port itself and reports it (no race with other processes).
    server = OsmemServer.start(addr="127.0.0.1:0", japanese=False)
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on."""
    return f"http://127.0.0.1:{_free_port()}"


BackendFactory = Callable[[str], SearchBackend]


def _factory(
    tmp_factory: Callable[[], Path], opensearch_url: Callable[[], str]
) -> tuple[BackendFactory, list[SearchBackend]]:
    made: list[SearchBackend] = []

    def make(kind: str) -> SearchBackend:
        backend: SearchBackend
        if kind == "embedded":
            backend = EmbeddedBackend(tmp_factory())
        else:
            alias = f"ctlex-test-{uuid.uuid4().hex[:10]}"
            backend = OpenSearchBackend(opensearch_url(), index_name=alias, test_mapping=True)
        made.append(backend)
        return backend

    return make, made


def _cleanup(made: list[SearchBackend]) -> None:
    for backend in made:
        if isinstance(backend, OpenSearchBackend):
            backend.client.indices.delete(index=f"{backend.alias}-*", ignore_unavailable=True)
        backend.close()


@pytest.fixture
def make_backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackendFactory]:
    """Create empty backends of a kind; OpenSearch ones get their own alias, removed after."""
    make, made = _factory(
        lambda: tmp_path_factory.mktemp("index"),
        lambda: request.getfixturevalue("opensearch_url"),
    )
    yield make
    _cleanup(made)


class LoadedBackends(dict):  # type: ignore[type-arg]
    """Backends holding the corpus, built on first use (so that embedded-only runs never
    start osmem-server)."""

    def __init__(self, make: BackendFactory, corpus: list[dict[str, Any]]) -> None:
        super().__init__()
        self.make, self.corpus = make, corpus

    def __missing__(self, kind: str) -> SearchBackend:
        backend = self.make(kind)
        backend.replace_all(self.corpus)
        backend.refresh()
        self[kind] = backend
        return backend


@pytest.fixture(scope="module")
def loaded_backends(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, corpus
) -> Iterator[LoadedBackends]:  # type: ignore[no-untyped-def]
    """Both backends holding the corpus (shared by the read-only tests of a module)."""
    make, made = _factory(
        lambda: tmp_path_factory.mktemp("index"),
        lambda: request.getfixturevalue("opensearch_url"),
    )
    yield LoadedBackends(make, corpus)
    _cleanup(made)


@pytest.fixture(params=BACKEND_PARAMS)
def loaded(request: pytest.FixtureRequest, loaded_backends) -> SearchBackend:  # type: ignore[no-untyped-def]
    """Each backend in turn, holding the corpus."""
    return loaded_backends[request.param]
