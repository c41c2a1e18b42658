"""Container headings of the segmenter: which line starts open a Part, Livre, Abschnitt, Глава,
第X章, Schedule ... rather than a provision.

The container words of each legal tradition, the ordinal forms they take ("PART II", "Erster
Abschnitt", "1. osa", "الفرع الثالث") and ``container_candidate``, which applies them to one line.
Provision numbering styles are ``segment_patterns``'.
"""

from __future__ import annotations

import re

from ingest.numbering import normalise_number
from ingest.segment_numbers import GENERAL_SPECIAL, container_number, german_ordinal, ordinal_value
from ingest.segment_patterns import LOWER_START, Candidate, alternation

# Container word -> kind. Ranks come from the document (order of first appearance), not from
# here: German "Titel" sits below "Abschnitt" in the StGB but above it in the Swiss code.
CONTAINER_WORDS: dict[str, str] = {}
for _kind, _words in {
    "book": "Book BOOK Livre LIVRE Buch BUCH Libro LIBRO Llibre LLIBRE Livro LIVRO Boek BOEK"
    " Kniha KNIHA Księga KSIĘGA Βιβλίο ΒΙΒΛΙΟ Книга КНИГА",
    "part": "Hauptstück Part PART Partie PARTIE Teil TEIL Parte PARTE Deel DEEL Část ČÁST Časť ČASŤ"
    " Część CZĘŚĆ Μέρος ΜΕΡΟΣ Часть ЧАСТЬ osa časť část Bahagian BAHAGIAN",
    "title": "Title TITLE Titre TITRE Titel TITEL Título TÍTULO Titulo TITULO Títol TÍTOL"
    " Titolo TITOLO Tytuł TYTUŁ Hlava HLAVA hlava Τίτλος ΤΙΤΛΟΣ",
    "chapter": "Chapter CHAPTER Chapitre CHAPITRE Kapitel KAPITEL Capítulo CAPÍTULO Capitulo"
    " CAPITULO Capítol CAPÍTOL Capo CAPO Rozdział ROZDZIAŁ Hoofdstuk HOOFDSTUK Глава ГЛАВА"
    " Κεφάλαιο ΚΕΦΑΛΑΙΟ Poglavje POGLAVJE Poglavlje POGLAVLJE Glava GLAVA peatükk nodaļa Nodaļa"
    " Fejezet FEJEZET fejezet kafli KAFLI skyrius SKYRIUS Bab BAB",
    "division": "Division DIVISION Abschnitt ABSCHNITT Sección SECCIÓN Seccion Secció SECCIÓ"
    " Sezione SEZIONE Section SECTION Раздел РАЗДЕЛ Díl DÍL Diel DIEL Oddíl ODDÍL Oddiel"
    " ODDIEL diel oddiel díl oddíl Afdeling AFDELING Paragraaf Oddział ODDZIAŁ Dział DZIAŁ"
    " Τμήμα ΤΜΗΜΑ jagu",
    "subdivision": "Subdivision Unterabschnitt Sous-section SOUS-SECTION Subsección"
    " Subsecció Paragraphe PARAGRAPHE Подраздел Pododdíl jaotis",
    "schedule": "Schedule SCHEDULE Jadual JADUAL",
    "annex": "Annex ANNEX Annexe ANNEXE Anhang ANHANG Anlage ANLAGE Bijlage BIJLAGE Anexo"
    " Παράρτημα ΠΑΡΑΡΤΗΜΑ"
    " ANEXO Allegato ALLEGATO Appendix APPENDIX Załącznik Приложение Příloha Príloha",
}.items():
    for _word in _words.split():
        CONTAINER_WORDS[_word] = _kind
# Words that name a container in some languages and a citable unit in others.
ROMANCE_SECTION = {"Section", "SECTION"}
# Languages (and countries, when the language is unknown) where "Section" is a container
# between Chapter and Article, not a citable unit.
_ROMANCE_LANGUAGES = frozenset({"fr", "es", "ca", "it", "pt", "ro", "gl"})
_ROMANCE_COUNTRIES = frozenset(
    {"FRA", "BEL", "LUX", "MCO", "ESP", "AND", "ITA", "PRT", "ROU", "ARG", "CHL", "COL", "PER"}
    | {"URY", "MEX", "BRA", "SEN", "CIV", "MAR", "TUN", "DZA", "CMR", "HTI", "CHE"}
)


def romance_sections(language: str | None, country: str | None) -> bool:
    """Whether "Section" names a container (French, Spanish... codes) rather than a unit."""
    return (language in _ROMANCE_LANGUAGES) if language else (country in _ROMANCE_COUNTRIES)


# Branches whose numbering restarts: everything under them is its own sequence.
BRANCH_KINDS = frozenset({"schedule", "annex"})

_CONTAINER_WORD_ALT = alternation(list(CONTAINER_WORDS))
_GREEK_MARK = r"\s?[΄'’\u0301\u00b4ʹ]"  # "Γ΄", "Γ ́" (a space and a combining acute in PDFs)
_ORD_TOKEN = (
    r"(?:[IVXLCDM]+\b|\d+(?:\.\d+)?[¹²³⁴⁵⁶⁷⁸⁹⁰]*(?:\.?[ºª°]|[A-Za-z]\b)?"
    rf"|[Α-Ω]{{1,2}}{_GREEK_MARK}|[^\W\d_]+)"
)
# "PART II", "Chapitre Ier :", "Глава 24.", "ČÁST PRVNÍ", "Capítulo 2", "Annex", "Schedule 2"
_CONTAINER_WORD_FIRST = re.compile(
    rf"(?P<word>{_CONTAINER_WORD_ALT})(?![^\W\d_])(?:\s+(?P<num>{_ORD_TOKEN}\.?))?"
    r"(?P<sep>\s*[.:\-–—]+\s*|\s+|$)(?P<rest>.*)$"
)
# "Erster Abschnitt", "Allgemeiner Teil" (German ordinal adjectives); "1. osa", "3. jagu",
# "IX1 nodaļa" (Estonian and Latvian put the number first, with a lower-case word).
# "XVII. kafli." (Icelandic), "XXIV. Fejezet" (Hungarian), "XVIII SKYRIUS" (Lithuanian) too.
_LOWER_WORDS = (
    "osa|peatükk|jagu|jaotis|nodaļa|Abschnitt|Hauptstück|Unterabschnitt|Titel|Teil|Kapitel|Buch"
    "|kafli|KAFLI|Fejezet|FEJEZET|fejezet|skyrius|SKYRIUS"
)
_CONTAINER_WORD_LAST = re.compile(
    rf"(?:(?P<num>\d+\.|[IVXLCDM]+\d*\.?)\s*(?P<lword>{_LOWER_WORDS})"
    rf"|(?P<adj>[A-ZÄÖÜÁČĎÉĚÍĽĹŇÓÔŔŘŠŤÚŮÝŽ][^\W\d_]{{3,}})"
    rf"\s+(?P<word>{_CONTAINER_WORD_ALT}))"
    r"(?![a-zà-ÿ])(?P<sep>\s*[:.\-–—]+\s*|\s*|$)(?P<rest>.*)$"
)
# Where a second division heading starts inside a run-in ("Part II – Offences Chapter 1 ..."):
# a designation word with its number, after a space.
HEADING_START = re.compile(
    rf"(?<=\s)(?=(?:{_CONTAINER_WORD_ALT})(?![^\W\d_])\s+{_ORD_TOKEN}(?:[\s.:\-–—]|$))"
)
_CJK_CONTAINER = re.compile(
    r"(?P<num>第\s*[〇零一二两三四五六七八九十百千\d]+\s*)(?P<word>[编編章节節部篇])"
    r"(?P<sep>[\s\u3000]*)(?P<rest>.*)$"
)
_CJK_WORDS = {"编": "book", "編": "book", "部": "part", "篇": "part", "章": "chapter"}
_CJK_WORDS |= {"节": "division", "節": "division", "款": "subdivision"}
_KO_CONTAINER = re.compile(r"(?P<num>제\s*\d+\s*)(?P<word>[편장절관])(?P<sep>\s*)(?P<rest>.*)$")
_KO_WORDS = {"편": "book", "장": "chapter", "절": "division", "관": "subdivision"}
_AR_CONTAINER = re.compile(
    r"(?P<word>(?:ال|ا)?(?:باب|فصل|قسم|كتاب|فرع|جزء))\s+(?P<num>[\w\s]{2,30}?|[\d٠-٩]+)"
    r"(?P<sep>\s*[:.\-–]?\s*)(?P<rest>)$"
)
# "الفرع الثالث: تسليم المجرمين": designation, ordinal, then the title after a colon or dash.
_AR_TITLED = re.compile(
    r"(?P<word>(?:ال|ا)?(?:باب|فصل|قسم|كتاب|فرع|جزء))\s+(?P<num>[^\s:.\-–]+(?:\s+[^\s:.\-–]+)?)"
    r"\s*[:\-–]\s*(?P<rest>\S[^:]{1,150})$"
)
_AR_WORDS = {"باب": "part", "فصل": "chapter", "قسم": "division", "كتاب": "book"}
_AR_WORDS |= {"فرع": "subdivision", "جزء": "part"}
_SUPPLEMENTARY = re.compile(r"(?P<word>附\s*則|附\s*则|부\s*칙)(?P<sep>\s*)(?P<rest>.{0,40})$")

_CONTAINER_NUMBER_OK = re.compile(
    r"^(?:[IVXLCDM]+(?:er|re)?\d*|\d+(?:\.\d+)?[¹²³⁴⁵⁶⁷⁸⁹⁰]*(?:\.?[ºª°]|[A-Za-z])?"
    r"|[Α-Ω]{1,3}\s?[΄'’\u0301\u00b4ʹ]|preliminar|"
    r"PRELIMINAR|preliminare|préliminaire|PRÉLIMINAIRE|único|ÚNICO|unico|UNICO|unique|UNIQUE)\.?$"
)


def container_candidate(index: int, text: str, *, romance: bool) -> Candidate | None:
    """The container (Part, Livre, Глава, 第X章, Schedule ...) that ``text`` opens, if any."""
    if len(text) > 220:
        return None
    for pattern, table in ((_CJK_CONTAINER, _CJK_WORDS), (_KO_CONTAINER, _KO_WORDS)):
        match = pattern.match(text)
        if match and (
            len(match.group("rest")) > 40 or re.search("[,，。;；]", match.group("rest"))
        ):
            return None  # "第一款中关于..." is a wrapped reference, not a heading
        if match:
            number = container_number(re.sub(r"[第제\s]", "", match.group("num")))
            kind = table[match.group("word")]
            label = re.sub(r"\s+", "", match.group("num") + match.group("word"))
            return Candidate(index, "container", kind, label, number, match.group("rest"), kind)
    match = _SUPPLEMENTARY.match(text)
    if match:
        return Candidate(index, "container", "annex", match.group("word"), None, "", "annex")
    match = _AR_CONTAINER.match(text)
    if match:
        stem = re.sub(r"^(?:ال|ا)", "", match.group("word"))
        number = normalise_number(match.group(0)) or normalise_number(match.group("num"))
        if not number.isdigit():
            number = normalise_number(match.group("num"))  # "فرع" is no designation word there
        if number and (number.isdigit()):
            label = match.group(0).strip()
            return Candidate(index, "container", _AR_WORDS[stem], label, number, "", stem)
        return None
    match = _AR_TITLED.match(text)
    if match:
        stem = re.sub(r"^(?:ال|ا)", "", match.group("word"))
        number = normalise_number(match.group("num"))
        if re.fullmatch(r"\d+(?:bis)?", number):
            label = f"{match.group('word')} {match.group('num')}"
            rest = match.group("rest").strip()
            return Candidate(index, "container", _AR_WORDS[stem], label, number, rest, stem)
        return None
    return _latin_container(index, text, romance=romance)


_GREEK_ROMAN = str.maketrans("ΙΧ", "IX")
_CONTINUED = re.compile(r"^[—–-]?\s*\(?(?:continued|suite|Fortsetzung)\)?\.?$", re.IGNORECASE)


def _latin_container(index: int, text: str, *, romance: bool) -> Candidate | None:
    text = re.sub(r"^The\s+(?=Schedule|SCHEDULE|Annex|ANNEX|Appendix)", "", text)
    for pattern in (_CONTAINER_WORD_FIRST, _CONTAINER_WORD_LAST):
        match = pattern.match(text)
        if not match:
            continue
        word = match.group("word") or match.group("lword")
        if word in ROMANCE_SECTION and not romance:
            continue
        kind = CONTAINER_WORDS[word]
        printed = (match.group("num") or match.groupdict().get("adj") or "").strip()
        token = printed  # Greek capitals typed as roman numerals (ΜΕΡΟΣ ΙΙ) read as I, X
        if re.fullmatch(r"[ΙΧ]+\.?", printed):
            token = printed.translate(_GREEK_ROMAN)
        if match.groupdict().get("adj") and not _ordinal_adjective(token):
            continue  # "PRVÁ HLAVA", "Erster Titel" yes; "TRESTNÉ ČINY HLAVA" no
        rest = match.group("rest").strip()
        if (
            rest
            and not match.group("sep").strip()
            and (LOWER_START.match(rest) or rest[0] in ",;)(/")
            and not (kind in BRANCH_KINDS and re.match(r"^[(\[]Sections?\s+\d", rest))
        ):
            return None  # "Part 2 of this Act applies ...", "Schedule 2, even though ..."
            # (but "SCHEDULE (Sections 6,7,8 and 10)" names the sections that refer to it)
        if pattern is _CONTAINER_WORD_FIRST:
            if not token and (kind not in BRANCH_KINDS or rest[:1].isdigit()):
                return None
            if token and not _container_token_ok(token):
                if kind not in BRANCH_KINDS:
                    return None
                rest, token = f"{token} {rest}".strip(), ""
                printed = ""
        if kind in BRANCH_KINDS and (len(rest) > 100 or _CONTINUED.match(rest)):
            return None  # a sentence that mentions a schedule, or "FIRST SCHEDULE—continued"
        number = container_number(token)
        label = f"{word} {printed}" if pattern is _CONTAINER_WORD_FIRST else f"{printed} {word}"
        label = label.strip().rstrip(".:")
        return Candidate(index, "container", kind, label, number, rest, word.lower())
    return None


def _ordinal_adjective(token: str) -> bool:
    lower = token.lower()
    return (
        ordinal_value(lower) is not None
        or lower in GENERAL_SPECIAL
        or german_ordinal(lower) is not None
        or bool(re.fullmatch(r"[A-ZÄÖÜ][a-zäöüß]+(?:er|es|e)", token))
    )


def _container_token_ok(token: str) -> bool:
    if _CONTAINER_NUMBER_OK.match(token):
        return True
    lower = token.lower().rstrip(".")
    return ordinal_value(lower) is not None or german_ordinal(lower) is not None
