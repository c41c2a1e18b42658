"""Numbering styles of the segmenter: which line starts can open a provision.

Data, mostly: one regular expression per numbering style (``Article 421-2-2``, ``§ 129a``,
``第一百二十条之一``, ``Статья 205¹``, ``15`` ...). ``provision_candidates`` applies them to one
line; container headings (Part, Livre, Глава, 第X章 ...) are ``segment_containers``'; the choice
between candidates (order, tables of contents, dominant style) is ``segment_select``'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.numbering import normalise_number
from ingest.segment_numbers import (
    LATIN_SUFFIXES,
    ORDINAL_WORDS,
)

_SUFFIX_ALT = "quinques|nonies|" + "|".join(sorted(LATIN_SUFFIXES, key=len, reverse=True))
_SUP = r"(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|<sup>\s*\d+\s*</sup>)"
# A provision number as printed: 15, 83.02, 421-2-2, 89a, 17A, 21ZA, 260ter, 3 bis, 270-bis,
# 205¹, 187Α (Greek letter), 1er / 1º / 1<sup>er</sup> (first).
NUM = (
    r"\d+(?:[.\-–/]\d+)*"
    r"(?:(?:<sup>)?(?:er|re|º|°|ª|\.ª|\.º)(?:</sup>)?(?![^\W\d_]))?"
    rf"(?:{_SUP})?"
    rf"(?:\s?[-‑]?\s?(?:{_SUFFIX_ALT})(?![^\W\d_]))?"
    r"(?:[-.]?[A-Za-z]{1,3}(?![^\W\d_])|\s?[Α-Ω](?![^\W\d_]))?"
    rf"(?:{_SUP})?"
    r"(?:[.\-]\d+(?![.\d]*\s*[%€$]))*"
)
ROMAN = r"[IVXLCDM]+"

# Separators between a label and the heading or text that follows on the same line.
_SEP = r"(?:\s*[.:\-–—]+\s*|\s+|$)"

# Designation words of article-like provisions. Case-sensitive on purpose: a lower-case
# "article 5" is a cross-reference inside a sentence, not a provision start.
_ARTICLE_WORDS = [
    "Article",
    "ARTICLE",
    "Articles",
    "Art.",
    "ART.",
    "Art",
    "ARTT.",
    "Artt.",
    "Artikel",
    "ARTIKEL",
    "Artículo",
    "ARTÍCULO",
    "Articulo",
    "ARTICULO",
    "Artigo",
    "ARTIGO",
    "Articolo",
    "ARTICOLO",
    "Article",
    "Článok",
    "ČLÁNOK",
    "Článek",
    "ČLÁNEK",
    "Čl.",
    "Članak",
    "ČLANAK",
    "Člen",
    "ČLEN",
    "Član",
    "ČLAN",
    "Члан",
    "ЧЛАН",
    "Член",
    "ЧЛЕН",
    "Άρθρο",
    "ΆΡΘΡΟ",
    "ΑΡΘΡΟ",
    "Αρθρο",
    "Статья",
    "СТАТЬЯ",
    "Стаття",
    "СТАТТЯ",
    "Artykuł",
    "ARTYKUŁ",
    "Straipsnis",
    "Pasal",
    "PASAL",
    "Madde",
    "MADDE",
    "Artikkel",
    "Artiklan",
    "Artikla",
]
_SECTION_WORDS = [
    "Section",
    "SECTION",
    "Sec.",
    "SEC.",
    "Sect.",
    "Regulation",
    "REGULATION",
    "Reg.",
    "Rule",
    "RULE",
]
_CLAUSE_WORDS = ["Clause", "CLAUSE"]


def alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first so that "Art." never shadows "Artikel"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# style name -> (regex, kind). Every regex is matched at the start of a cleaned line and names
# the groups ``word`` (designation, optional), ``num`` (the number) and ``rest``.
PROVISION_STYLES: dict[str, tuple[re.Pattern[str], str]] = {
    "article": (
        re.compile(
            rf"(?P<word>{alternation(_ARTICLE_WORDS)})\s*\(?\s*(?P<num>{NUM}|{ROMAN}(?![^\W\d_])"
            r"|único|unico|única|unique|premier|Premier|PREMIER|primero|PRIMERO)"
            rf"(?:\s*\)(?=\s|$|[.:]))?(?P<sep>{_SEP})(?P<rest>.*)$"
        ),
        "article",
    ),
    "section": (
        re.compile(
            rf"(?P<word>{alternation(_SECTION_WORDS)})\s*(?P<num>{NUM})(?P<sep>{_SEP})(?P<rest>.*)$"
        ),
        "section",
    ),
    "clause": (
        re.compile(
            rf"(?P<word>{alternation(_CLAUSE_WORDS)})\s*(?P<num>{NUM})(?P<sep>{_SEP})(?P<rest>.*)$"
        ),
        "clause",
    ),
    "para_sign": (
        re.compile(rf"(?P<word>§)(?!§)\s*(?P<num>{NUM})(?P<sep>{_SEP})(?P<rest>.*)$"),
        "paragraph",
    ),
    "sign_after": (
        re.compile(rf"(?P<num>\d+(?:\s?[a-z])?)\s?(?P<word>§)(?!§)(?P<sep>{_SEP})(?P<rest>.*)$"),
        "paragraph",
    ),
    "pants": (
        re.compile(
            rf"(?P<num>\d+(?:\.?\d+)?(?:\.?{_SUP})?)\.?\s*(?P<word>pants)(?P<sep>{_SEP})(?P<rest>.*)$"
        ),
        "article",
    ),
    "cjk": (
        re.compile(
            r"(?P<num>第\s*[〇零一二两三四五六七八九十百千\d]+\s*条"
            r"(?:\s*[之の]\s*[〇零一二两三四五六七八九十百千\d]+)*)"
            r"(?P<sep>[\s\u3000]*)(?P<rest>.*)$"
        ),
        "article",
    ),
    "korean": (
        re.compile(r"(?P<num>제\s*\d+\s*조(?:\s*의\s*\d+)*)(?P<sep>\s*)(?P<rest>.*)$"),
        "article",
    ),
    "arabic": (
        re.compile(
            r"(?P<word>(?:ال|ا)?(?:مل|م)اد[ةه]|مادّة|المادّة)\s*[(\[)\]]?\s*"
            r"(?P<num>[\d٠-٩]+(?:\s*مكرر(?:ا|ًا)?)?)\s*[(\[)\]]?(?P<sep>\s*[.:\-–]?\s*)(?P<rest>.*)$"
        ),
        "article",
    ),
    "spanish_disposition": (
        re.compile(
            r"(?P<word>Disposici[óo]n|DISPOSICI[ÓO]N)\s+(?P<num>(?:adicional|transitoria|"
            r"derogatoria|final|ADICIONAL|TRANSITORIA|DEROGATORIA|FINAL)(?:\s+\w+)?)"
            r"(?P<sep>\s*[.:\-–]+\s*|$)(?P<rest>.*)$"
        ),
        "article",
    ),
    # "15.—(1) ...", "1. Short title." (Irish, Malaysian, Indian, Polish-style "Art. 1." aside).
    "num_dot": (
        re.compile(r"(?P<num>\d{1,4}[A-Z]{0,3})\.(?P<sep>\s*[—–-]+\s*|\s+|$)(?P<rest>.*)$"),
        "section",
    ),
    # legislation.gov.uk prints: "15" alone, or "17A Insurance against payments ...".
    "num_bare": (
        re.compile(r"(?P<num>\d{1,4}[A-Z]{0,3})(?P<sep>\s+|$)(?P<rest>(?:[A-Z“‘\"'(\[][^\n]*)?)$"),
        "section",
    ),
}
WEAK_STYLES = frozenset({"num_dot", "num_bare"})


@dataclass(frozen=True)
class Candidate:
    """One line start that could open a provision or a container."""

    line: int
    style: str  # a PROVISION_STYLES key, or "container"
    kind: str
    label: str  # as printed: "Art. 421-2-2", "§ 129a", "PART II"
    number: str | None  # normalised (design §2)
    rest: str  # what follows the label on the same line
    family: str  # the designation word: numbering restarts when it changes (Article/Artikel)
    sep: str = ""


# A lower-case start: the rest of a line that continues a sentence, not a heading.
LOWER_START = re.compile(r"[a-zà-ÿа-яёіїєґα-ωά-ώšžčřďťňľĺąęłńśźż]")
_SUP_TAG = re.compile(r"<sup>\s*([^<]*?)\s*</sup>", re.IGNORECASE)
_SUP_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def printed_number(raw: str) -> str:
    """The number as a reader would cite it: ``205<sup>1</sup>`` / ``205¹`` -> ``205.1``."""
    raw = _SUP_TAG.sub(lambda m: m.group(1) if m.group(1).isalpha() else "." + m.group(1), raw)
    raw = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "." + m.group().translate(_SUP_DIGITS), raw)
    return re.sub(r"\s+", " ", raw).strip()


def _provision_number(style: str, raw: str) -> str:
    raw = _SUP_TAG.sub(lambda m: m.group(1) if m.group(1).isalpha() else "." + m.group(1), raw)
    raw = _strip_footnote_superscript(raw)
    if style == "article":
        lowered = raw.lower()
        if lowered in ("premier", "primero"):
            return "1"
        if lowered in ("único", "unico", "única", "unique"):
            return "unique"
        raw = re.sub(r"(?<=\d)(?:er|re|\.?[ºª°])$", "", raw)
    if style == "spanish_disposition":
        words = raw.lower().split()
        ordinal = ORDINAL_WORDS.get(words[-1]) if len(words) > 1 else None
        tail = str(ordinal) if ordinal else (words[-1] if len(words) > 1 else "")
        return "-".join(filter(None, [words[0], tail]))
    return normalise_number(raw)


def _strip_footnote_superscript(raw: str) -> str:
    """Superscripts are part of a number ("205¹", "237³") only right after its digits and up to
    20; "66b⁸⁸" and "354⁵⁴⁴" carry a footnote number instead."""
    match = re.search(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)$", raw)
    if not match:
        return raw
    value = int(match.group(1).translate(_SUP_DIGITS))
    before = raw[: match.start()]
    if before.rstrip(".")[-1:].isdigit() and value <= 20:
        return before.rstrip(".") + match.group(1)  # "79.¹" -> "79¹"
    return before


def _provision_candidate(
    index: int, style: str, match: re.Match[str], kind: str
) -> Candidate | None:
    rest = match.group("rest").strip()
    sep = match.group("sep")
    word = match.groupdict().get("word") or ""
    raw_num = match.group("num").strip()
    # "Article 5 of the Convention", "§ 89a Abs. 2": a reference, not a heading.
    reference = LOWER_START.match(rest) or rest.startswith(("Abs.", "Absatz", "Satz", "Nr."))
    if style not in ("cjk", "korean", "arabic") and rest and not sep.strip() and reference:
        return None
    if style in ("num_dot", "num_bare") and rest[:1].islower():
        return None
    number = _provision_number(style, raw_num)
    if not number:
        return None
    if style in ("cjk", "korean"):
        label = re.sub(r"\s+", "", raw_num)
    elif style in ("num_dot", "num_bare"):
        label = raw_num
    elif style in ("sign_after", "pants"):
        label = f"{printed_number(_strip_footnote_superscript(raw_num))} {word}"
    else:
        label = f"{word} {printed_number(_strip_footnote_superscript(raw_num))}"
    return Candidate(index, style, kind, label, number, rest, word.rstrip(".").lower(), sep)


def provision_candidates(index: int, text: str, *, romance: bool) -> list[Candidate]:
    """Every provision style that matches the start of ``text``."""
    found = []
    for style, (pattern, kind) in PROVISION_STYLES.items():
        if style == "section" and romance:
            continue
        match = pattern.match(text)
        if match:
            candidate = _provision_candidate(index, style, match, kind)
            if candidate:
                found.append(candidate)
    return found
