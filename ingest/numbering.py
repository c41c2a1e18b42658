"""Provision numbers and eIds (design.md §2), shared by the structured extractors and the segmenter.

Pure functions only. ``normalise_number`` turns a printed label ("Article 83.02", "§ 129a",
"Статья 205¹", "第百二十条之一", "المادة الأولى") into the stored ``number``; ``make_eid`` builds
Akoma Ntoso style eIds (``part_II__sec_15__subsec_1``) and keeps them unique in a document.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from ingest.records import STRUCTURAL_KINDS

# kind -> eId prefix (Akoma Ntoso naming convention, with a few common extras).
EID_PREFIXES: dict[str, str] = {
    "book": "book",
    "part": "part",
    "subpart": "subpart",
    "title": "title",
    "subtitle": "subtitle",
    "chapter": "chp",
    "subchapter": "subchp",
    "division": "dvs",
    "subdivision": "subdvs",
    "section": "sec",
    "subsection": "subsec",
    "article": "art",
    "paragraph": "para",
    "subparagraph": "subpara",
    "clause": "clause",
    "point": "point",
    "item": "item",
    "rule": "rule",
    "schedule": "sched",
    "annex": "annex",
    "preamble": "preamble",
}
CONTAINER_KINDS = STRUCTURAL_KINDS | {"schedule", "annex", "preamble"}
DUP_MARK = "__dup"

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# A dot already printed before the superscript ("79.¹ pants", Latvian) is not doubled.
_SUPERSCRIPT_RUN = re.compile(r"\.?\s*([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_SUP_TAG = re.compile(r"\.?\s*<sup>\s*([^<]*?)\s*</sup>", re.IGNORECASE)
_CARET = re.compile(r"\.?\s*\^\s*\{?\s*(\w+)\s*\}?")

# Designation words, matched as whole words (optionally with a dot) and removed. Keep the
# lists data-like: one string per language family.
_DESIGNATIONS = " ".join(
    [
        # English
        "section sections sec secs s ss article articles art arts paragraph paragraphs para paras"
        " subsection subsec clause cl rule rules r reg regulation regulations chapter chap ch"
        " part pt title book division div subdivision schedule sched sch annex annexure"
        " appendix item regulation no nr",
        # French, Spanish, Portuguese, Italian, Romanian, Catalan
        "article chapitre titre livre partie annexe alinéa artículo articulo capítulo capitulo"
        " título titulo libro sección seccion parte anexo artigo capítulo livro secção"
        " articolo capo titolo allegato articolul articolului capitolul secțiunea secţiunea"
        " titlul cartea núm nº n° no",
        # Germanic, Nordic, Dutch
        "artikel abschnitt teil kapitel titel buch anlage absatz abs hoofdstuk afdeling"
        " kap kapittel kapitlet stk gr grein kafli afsnit luku pykälä momentti mom",
        # Slavic, Baltic, Hungarian, Greek, Turkish, Georgian, Albanian
        "статья статті стаття ст чл член члан глава раздел розділ часть частина поглавље"
        " article člen člena članak clanak poglavje poglavlje oddelek art"
        " straipsnis skyrius skirsnis dalis pants nodaļa paragrahv peatükk"
        " fejezet alcím cím pont bekezdés άρθρο αρθρο κεφάλαιο μέρος madde bölüm kısım"
        " მუხლი თავი კარი neni kreu",
        # Semitic, Persian, South Asian, South-East Asian
        "المادة المادّة مادة ماده الماده الفصل فصل البند بند الباب باب القسم الجزء"
        " סעיף פרק סימן חלק תוספת ধারা অধ্যায় तफसील धारा अध्याय دفعہ"
        " มาตรา หมวด មាត្រា ជំពូក điều chương pasal bab seksyen bahagian kifungu sehemu",
    ]
).split()
_DESIGNATION_RE = re.compile(
    r"(?<!\w)(?:"
    + "|".join(re.escape(w) for w in sorted(set(_DESIGNATIONS), key=len, reverse=True))
    + r")\.?(?![^\W\d_])",
    re.IGNORECASE,
)
# Symbols that designate a provision wherever they stand ("§ 12", "1 §", "№ 5").
_SYMBOLS_RE = re.compile(r"§+|¶|№|#")

_CJK_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CJK_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CJK_NUM = r"[〇零一二两兩三四五六七八九十拾百佰千仟万萬0-9]+"
_CJK_LABEL = re.compile(
    rf"^[第제]?\s*({_CJK_NUM})((?:\s*[-－]\s*[0-9]+)*)\s*[条條章節节編编款項项部篇目則则조장절편관]?"
    rf"((?:\s*[之の의]\s*{_CJK_NUM})*)\s*$"
)
_CJK_SUB = re.compile(rf"[之の의\-－]\s*({_CJK_NUM})")

_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,4}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")

_WORD_NUMBERS = {
    "first": 1, "one": 1, "premier": 1, "première": 1, "premiere": 1, "1er": 1, "1re": 1,
    "second": 2, "two": 2, "third": 3, "three": 3, "fourth": 4, "four": 4, "fifth": 5,
    "five": 5, "sixth": 6, "six": 6, "seventh": 7, "seven": 7, "eighth": 8, "eight": 8,
    "ninth": 9, "nine": 9, "tenth": 10, "ten": 10,
}  # fmt: skip

# Arabic ordinals (feminine for مادة, masculine for فصل), keyed after removing "ال" and "و".
_AR_UNITS = {
    "اول": 1, "اولى": 1, "حادي": 1, "حادية": 1, "ثاني": 2, "ثانية": 2, "ثالث": 3, "ثالثة": 3,
    "رابع": 4, "رابعة": 4, "خامس": 5, "خامسة": 5, "سادس": 6, "سادسة": 6, "سابع": 7,
    "سابعة": 7, "ثامن": 8, "ثامنة": 8, "تاسع": 9, "تاسعة": 9, "عاشر": 10, "عاشرة": 10,
}  # fmt: skip
_AR_TENS = {
    "عشر": 10, "عشرة": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30,
    "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60,
    "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "مائة": 100, "مئة": 100, "مائتين": 200, "مئتين": 200, "مائتان": 200,
}  # fmt: skip
_AR_BIS = re.compile(r"\s*مكرر[اًا]?(?=\W|\d|$)")
_LAM_ALEF_SWAP = re.compile(r"(?<![\u0600-\u06ff])ا([أإآ])ل")
_AR_DIACRITICS = re.compile(r"[\u064b-\u0652\u0640]")


def cjk_to_int(text: str) -> int:
    """Convert a CJK numeral (一百二十, 百二十, 三千零五, or ASCII digits) to an integer.

    Raises:
        ValueError: when ``text`` holds a character that is not a CJK numeral or digit.
    """
    if text.isascii() and text.isdigit():
        return int(text)
    total = section = digit = 0
    for char in text:
        if char in _CJK_DIGITS:
            digit = _CJK_DIGITS[char]
        elif char.isascii() and char.isdigit():
            digit = digit * 10 + int(char)
        elif char in _CJK_UNITS:
            section += (digit or 1) * _CJK_UNITS[char]
            digit = 0
        elif char in "万萬":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            raise ValueError(f"not a CJK numeral: {text!r}")
    return total + section + digit


def _cjk_number(label: str) -> str | None:
    match = _CJK_LABEL.match(label)
    if not match or not re.search(
        r"[第제条條章節节編编款項项之の의〇零一二两兩三四五六七八九十百千]", label
    ):
        return None
    parts = [str(cjk_to_int(match.group(1)))]
    parts += [str(cjk_to_int(sub)) for sub in _CJK_SUB.findall(match.group(2) + match.group(3))]
    return "-".join(parts)


def arabic_ordinal_to_int(text: str) -> int | None:
    """Read an Arabic ordinal such as "الأولى", "التاسعة والأربعون", "الحادية عشرة".

    Returns None unless every word is a known ordinal part (the reading must be certain).
    """
    text = _AR_DIACRITICS.sub("", text)
    text = _LAM_ALEF_SWAP.sub(r"ال\1", text)  # PDF extraction writes "الأول" as "األول"
    text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")
    words = [w for w in re.split(r"\s+", text.strip()) if w and w != "بعد"]
    if not words:
        return None
    total = 0
    for word in words:
        stem = word[1:] if word.startswith("و") and len(word) > 3 else word
        stem = stem[2:] if stem.startswith("ال") else stem
        if stem in _AR_UNITS:
            total += _AR_UNITS[stem]
        elif stem in _AR_TENS:
            total += _AR_TENS[stem]
        else:
            return None
    return total


def _ascii_digits(text: str) -> str:
    """Map every Unicode decimal digit (Arabic-Indic, Bengali, Devanagari, Thai...) to ASCII."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.digit(c))
        if c.isdigit() and not c.isascii() and unicodedata.category(c) == "Nd"
        else c
        for c in text
    )


def _superscripts_to_dots(text: str) -> str:
    text = _SUP_TAG.sub(lambda m: "." + m.group(1), text)
    text = _SUPERSCRIPT_RUN.sub(lambda m: "." + m.group(1).translate(_SUPERSCRIPTS), text)
    return _CARET.sub(lambda m: "." + m.group(1), text)


def _strip_wrapping(text: str) -> str:
    """Drop punctuation around the number: "(3)" -> "3", "15." -> "15", "1°" -> "1"."""
    previous = None
    while previous != text:
        previous = text
        text = text.strip().strip(".:;,-–—_°º*׳״'\u200f\u200e\u200b")
        for left, right in ("()", "[]", "{}", "«»", '""'):
            if text.startswith(left) and text.endswith(right) and text.count(left) == 1:
                text = text[1:-1]
        if text.endswith(")") and "(" not in text:
            text = text[:-1]  # "a)" list marker
        if text.startswith("(") and ")" not in text:
            text = text[1:]
    return text


def normalise_number(label: str) -> str:
    """Return the provision number of a printed label, per design.md §2.

    Strips designation words and symbols (Section, Art., §, Статья, المادة, 第..条), turns
    superscripts into a dot (205¹, ``331^2``, ``<sup>1</sup>`` -> ``205.1``), CJK numerals
    into Arabic digits (第百二十条之一 -> ``120-1``), Arabic ordinals into digits
    (المادة الأولى -> ``1``), every script's digits into ASCII, then lower-cases and removes
    spaces. Returns "" when nothing of a number is left.

    Args:
        label: a heading label as printed, or a bare number.

    Returns:
        The number used for exact lookups, e.g. ``83.02``, ``129a``, ``3bis``, ``421-2-2``.
    """
    text = unicodedata.normalize("NFC", label or "")
    text = _superscripts_to_dots(text)
    text = re.sub(r"(?<=\d)\s*[ºª°]", "", text)  # "2º", "1ª": NFKC would make them letters
    text = unicodedata.normalize("NFKC", text)
    text = _ascii_digits(text).replace("\u00a0", " ").strip()
    cjk = _cjk_number(re.sub(r"\s+", "", text))
    if cjk is not None:
        return cjk
    text = _SYMBOLS_RE.sub(" ", text)
    text = _DESIGNATION_RE.sub(" ", text)
    bis = "bis" if _AR_BIS.search(text) else ""
    text = _AR_BIS.sub(" ", text)
    ordinal = arabic_ordinal_to_int(text) if re.search(r"[\u0600-\u06ff]", text) else None
    if ordinal is not None:
        return f"{ordinal}{bis}"
    text += bis
    text = re.sub(r"\.(?=\s)", "", text)  # "100. gr. a" -> "100 a"; "83.02" keeps its dot
    text = _strip_wrapping(text)
    text = re.sub(r"\s+", "", text).lower()
    text = _strip_wrapping(text)
    if text in _WORD_NUMBERS:
        return str(_WORD_NUMBERS[text])
    ordinal_suffix = re.fullmatch(r"(\d+)(?:er|re)", text)  # French "1er", "1re"
    return ordinal_suffix.group(1) if ordinal_suffix else text


def _eid_number(kind: str, number: str) -> str:
    """Make a number safe inside an eId: no spaces, no "_" (the separator), no "/" or "()"."""
    cleaned = re.sub(r"[^\w.\-]+", "-", number.replace("_", "-")).strip("-")
    roman = re.fullmatch(r"([ivxlcdmIVXLCDM]+)((?:[.\-]\w+)*)", cleaned)
    if kind in CONTAINER_KINDS and roman and _ROMAN.match(roman.group(1).lower()):
        return roman.group(1).upper() + roman.group(2)  # part_II, part_II.1 (design.md)
    return cleaned


def make_eid(
    kind: str,
    number: str | None,
    parent_eid: str | None = None,
    taken: Container[str] = (),
) -> str:
    """Build an Akoma Ntoso style eId, e.g. ``part_II__sec_15__subsec_1``, ``art_421-2-2``.

    A provision without a number gets the bare prefix (``preamble``, ``sched``). When
    ``taken`` already holds the eId (a document that repeats a number), ``__dup2``,
    ``__dup3``... is appended; the caller adds the result to its set.

    Args:
        kind: one of ``EID_PREFIXES`` (book, part, title, chapter, section, article...).
        number: the normalised number (``normalise_number``), or None.
        parent_eid: the containing provision's eId, or None at the top level.
        taken: eIds already used in the document.

    Returns:
        An eId that is not in ``taken``.

    Raises:
        ValueError: for an unknown kind (the message lists the known ones).
    """
    try:
        prefix = EID_PREFIXES[kind]
    except KeyError:
        raise ValueError(
            f"unknown provision kind {kind!r}; expected one of {sorted(EID_PREFIXES)}"
        ) from None
    cleaned = _eid_number(kind, number or "")
    own = f"{prefix}_{cleaned}" if cleaned else prefix
    eid = f"{parent_eid}__{own}" if parent_eid else own
    if eid not in taken:
        return eid
    counter = 2
    while f"{eid}{DUP_MARK}{counter}" in taken:
        counter += 1
    return f"{eid}{DUP_MARK}{counter}"


class EidAllocator:
    """Hands out unique eIds for one document (a thin stateful wrapper over ``make_eid``)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def allocate(self, kind: str, number: str | None, parent_eid: str | None = None) -> str:
        """Return a fresh eId for the provision and remember it."""
        eid = make_eid(kind, number, parent_eid, self.taken)
        self.taken.add(eid)
        return eid
