"""Conservative repairs of scraped JSON law texts: editorial notes, duplicated runs, misplaced
headings. Every function is pure and keeps the legal text; what it removes goes to notes.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Any

from ingest.clean import control_chars

# Editorial annotations that sit in the text of some scrapes. Each pattern matches text to move
# to ``notes``: whole lines ("line"), from the match to the end ("tail") or inline spans.
_LINE_NOTES = [
    re.compile(r"^(?:L\. \d+/\d{4}, [^\n]*?gr\.\s*)+$"),  # Iceland: "L. 99/2002, 2. gr."
    re.compile(r"^0 (?:Tilføyd|Endret|Opphevet|Overskriften endret)[^\n]*$"),  # Norway (Lovdata)
    re.compile(r"^\*+Службени гласник[^\n]*$"),  # Serbia: "*Службени гласник РС, број 72/2009"
]
_JUNK_LINES = [re.compile(r"^Ficha articulo$")]  # Costa Rica (SCIJ): link text of the web page
# MS Word style sheet pasted into the text (matsne.gov.ge): "Normal 0 false ... MsoNormalTable {}"
_JUNK_BLOCKS = [re.compile(r"Normal\n0\n[\s\S]{0,300}?MsoNormalTable\s*\{[^}]*\}\s*")]
_TAIL_NOTES = [
    # Lithuania (e-tar): "Straipsnio pakeitimai:" and the amendment list after it
    re.compile(
        r"^(?:Straipsnio|Kodeksas|Papildyta|Punkto|Įstatymas|Priedo|Skyriaus)[^\n]{0,60}:\s*$",
        re.M,
    ),
    re.compile(r"History of this document\b"),  # LII pages: version history residue
    # Hungary (njt.hu): the act's numbered endnotes, printed after its last section, start with
    # when Parliament adopted it ("1 A törvényt az Országgyűlés a 2012. június 25-i ülésnapján...")
    re.compile(r"(?<!\S)1 A törvényt az Országgyűlés\b"),
    # Turkey (mevzuat.gov.tr): the tables printed after a law's last article, of the amending
    # acts and their entry into force, and of amendments not incorporated into the law, with
    # the footnotes and the page's script after them
    re.compile(
        r"(?:\d{1,2}/\d{1,2}/\d{4} TARİHLİ VE )?\d+\s*SAYILI KANUNA\s*"
        r"(?:EK VE DEĞİŞİKLİK|İŞLENEMEYEN)"
    ),
]
_INLINE_NOTES = [
    # Romania (legislatie.just.ro): "(la 13-04-2019, Articolul 2 ... a fost abrogat de ...)"
    re.compile(r"\(la \d{2}-\d{2}-\d{4},[^()]*(?:\([^()]*\)[^()]*)*\)"),
    # Costa Rica (SCIJ): "(Así reformado por ...)", "(Nota de Sinalevi: ...)"
    re.compile(r"\((?:Así|Nota de Sinalevi|Nota:)[^()]*(?:\([^()]*\)[^()]*)*\)"),
    # LII consolidations: "[subsection (2) amended by section 3 of Act 2 of 2022 ]"
    re.compile(
        r"\[[^\[\]]{0,200}?\b(?:amended|inserted|substituted|repealed|added|renumbered)"
        r"\s+by\b[^\[\]]*\]"
    ),
]


def split_notes(text: str) -> tuple[str, list[str]]:
    """Move editorial annotations out of ``text``.

    Returns:
        (text without the annotations, the annotations in order of appearance).
    """
    notes: list[str] = []
    for pattern in _JUNK_BLOCKS:
        text = pattern.sub("", text)
    for pattern in _TAIL_NOTES:
        match = pattern.search(text)
        if match:
            notes.append(text[match.start() :].strip())
            text = text[: match.start()]
    kept: list[str] = []
    for line in text.split("\n"):
        if any(p.match(line.strip()) for p in _JUNK_LINES):
            continue
        if any(p.match(line.strip()) for p in _LINE_NOTES):
            notes.append(line.strip())
        else:
            kept.append(line)
    text = "\n".join(kept)
    for pattern in _INLINE_NOTES:
        notes += [m.group(0) for m in pattern.finditer(text)]
        text = pattern.sub(" ", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip(), [n for n in notes if n]


def _repeat_at(
    words: list[str], start: int, grams: dict[tuple[str, ...], list[int]], min_len: int
) -> int:
    """Length of the longest run starting at ``start`` that is repeated right after itself."""
    best = 0
    for later in grams.get(tuple(words[start : start + min_len]), ()):
        length = later - start
        if length < min_len or later + length > len(words):
            continue
        if words[start:later] == words[later : later + length]:
            best = max(best, length)
    return best


def dedupe_repeats(text: str, min_words: int = 4) -> tuple[str, int]:
    """Drop the second copy of runs of >= ``min_words`` words repeated back to back.

    Scrapers that flatten lists sometimes emit every item twice ("causes serious damage to
    property; causes serious damage to property;"). Only exact, adjacent repeats go.

    Returns:
        (the text, the number of runs removed).
    """
    removed = 0
    lines = []
    for line in text.split("\n"):
        words = line.split(" ")
        grams: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for index in range(len(words) - min_words + 1):
            grams[tuple(words[index : index + min_words])].append(index)
        out: list[str] = []
        index = 0
        while index < len(words):
            length = _repeat_at(words, index, grams, min_words) if words[index] else 0
            if length:
                out += words[index : index + length]
                index += 2 * length
                removed += 1
            else:
                out.append(words[index])
                index += 1
        lines.append(" ".join(out))
    return "\n".join(lines), removed


def has_repeat(text: str, min_words: int = 4) -> bool:
    """True when a sentence or clause (ending in . ; :) of >= ``min_words`` words is
    immediately repeated. A cheap test to decide whether a document needs ``dedupe_repeats``."""
    for line in text.split("\n"):
        clauses = [c.strip() for c in re.split(r"(?<=[.;:])\s+", line)]
        for first, second in zip(clauses, clauses[1:], strict=False):
            if first == second and len(first.split()) >= min_words:
                return True
    return False


_TRAILING_CAPS = re.compile(r"\n\s*([^\n\da-z]{3,80})\s*$")
# Turkish scrapes glue the heading without a space and keep its footnote mark
# ("...hazırlanmıştır.Tanımlar", "...suçlarıdır.Terör amacı ile işlenen suçlar [2]"); a bare
# "Ek" or "Geçici" there is the start of the next article's label, not a heading.
_TRAILING_FRAGMENT = re.compile(
    r"(?<=[.;:)\]])\s*(?!(?:Ek|Geçici|GEÇİCİ)$)([A-ZÅÄÖÆØÇĞİŞÜ][^.;:\n\d()\[\]]{1,100}?)(?:\s*\[\d+\])?$"
)


def trailing_heading(text: str) -> tuple[str, str | None]:
    """Split off a heading that a scraper glued to the end of the previous provision.

    "... Lag (2018:1313). Resa" gives ("... Lag (2018:1313).", "Resa"); a last line in capitals
    ("...\\nEXTRACTIVIDAD") gives that line.
    """
    for pattern in (_TRAILING_CAPS, _TRAILING_FRAGMENT):
        match = pattern.search(text)
        if match and re.search(r"[^\W\d_]", match.group(1)):
            fragment = match.group(1).strip()
            if pattern is _TRAILING_CAPS and (
                fragment != fragment.upper() or not any(c.isupper() for c in fragment)
            ):
                continue  # capitals only (scripts without case never qualify)
            return text[: match.start()].rstrip(), fragment
    return text, None


_FIRST_LINE_HEADING = re.compile(r"^([^\n]{2,80}?)\.\s*\n(?=\S)")


def first_line_heading(text: str) -> tuple[str | None, str]:
    """Split "Markmið.\\nMarkmið laga þessara er ..." into ("Markmið", rest)."""
    match = _FIRST_LINE_HEADING.match(text)
    if not match or len(match.group(1).split()) > 10:
        return None, text
    return match.group(1).strip(), text[match.end() :]


# A printed page's furniture left inside a scraped text: "Página 4 de 71", then the page number
# and the gazette's running line ("Registro Oficial - Cuarto Suplemento Nº 610 Lunes 29 ...").
_PAGE_OF = re.compile(r"^(?:Página|Pagina|Page|Seite)\s+\d+\s+(?:de|of|von|din)\s+\d+$", re.I)
_PAGE_MARK_ANYWHERE = re.compile(r"^\s*" + _PAGE_OF.pattern[1:-1] + r"\s*$", re.I | re.M)
_BARE_PAGE_NUMBER = re.compile(r"^\d{1,4}$")


def strip_page_furniture(texts: list[str]) -> tuple[list[str], int]:
    """Remove page furniture from the texts of one document; also how many pages were found.

    A "Página N de M" line goes, with the bare page number next to it and the running lines:
    lines that sit within two lines of a page mark at least three times and mostly there
    (digits aside), wherever they appear. Other texts are returned unchanged.
    """

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip())

    if not any(_PAGE_MARK_ANYWHERE.search(text) for text in texts):
        return list(texts), 0  # most collections: no need to count every line of the document
    split = [text.split("\n") for text in texts]
    counts: dict[str, int] = defaultdict(int)
    near: dict[str, int] = defaultdict(int)
    marked: list[set[int]] = []
    pages = 0
    for lines in split:
        for line in lines:
            counts[key(line)] += 1
        marks = [i for i, line in enumerate(lines) if _PAGE_OF.match(line.strip())]
        pages += len(marks)
        drop = set(marks)
        around = {j for i in marks for j in range(max(0, i - 2), min(len(lines), i + 3))}
        for j in around - drop:
            line = lines[j].strip()
            if _BARE_PAGE_NUMBER.match(line):
                drop.add(j)
            elif len(line) > 15:
                near[key(line)] += 1
        marked.append(drop)
    running = {k for k, n in near.items() if n >= 3 and 2 * n >= counts[k]}
    out = []
    for text, lines, drop in zip(texts, split, marked, strict=True):
        drop |= {j for j, line in enumerate(lines) if key(line) in running}
        out.append("\n".join(x for j, x in enumerate(lines) if j not in drop) if drop else text)
    return out, pages


def clean_value(value: Any) -> str:
    """A record field as text: HTML entities decoded, control characters read or dropped
    (``clean.control_chars``), line ends unified, stripped; "" for a missing field."""
    if value is None:
        return ""
    return control_chars(html.unescape(str(value)).replace("\r\n", "\n")).strip()
