"""Reading container labels found in JSON law collections ("Part I", "CAPÍTULO III",
"I. Fejezet", "XXVI SKYRIUS ...", "Capitolul I - Dispoziții generale | Secţiunea 1 - ...",
"第 一 章 總則", "الباب الأول :أحكام زجرية") into kind, number, label and heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.formats.provision_builder import ProvisionBuilder
from ingest.numbering import normalise_number

# Designation word -> container kind. Matched case-insensitively at a word boundary.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "book": ("book", "livre", "libro", "cartea", "buch", "knjiga", "книга", "الكتاب", "編", "编"),
    "part": (
        "part", "partie", "parte", "μέρος", "μερος", "teil", "dalis", "kısım", "kisim",
        "الجزء", "deo", "део", "част", "частина", "חלק",
    ),
    "title": ("title", "titre", "título", "titulo", "titlul", "titolo", "titel", "الباب"),
    "chapter": (
        "chapter", "chapitre", "capítulo", "capitulo", "capitolul", "capitolo", "kapitel",
        "kapittel", "fejezet", "skyrius", "poglavje", "poglavlje", "глава", "розділ", "თავი",
        "অধ্যায়", "hoofdstuk", "luku", "kap", "bölüm", "bolum", "κεφάλαιο", "κεφαλαιο", "章",
        "chương", "bab", "פרק", "الفصل", "كتاب",
    ),
    "division": (
        "division", "section", "sección", "seccion", "secţiunea", "secțiunea", "sectiunea",
        "skirsnis", "oddelek", "odjeljak", "abschnitt", "alcím", "odsek", "одсек", "раздел",
        "الفرع", "القسم", "節", "节", "סימן",
    ),
}  # fmt: skip
_WORD_KIND = {w: kind for kind, words in _KIND_WORDS.items() for w in words}
_WORDS = "|".join(re.escape(w) for w in sorted(_WORD_KIND, key=len, reverse=True))
_NUM = r"(?:[0-9]+[a-zA-Z]?(?:\.[0-9]+)?|[IVXLCDMΙΧ]+(?:\s?bis)?|[ivxlcdm]+)"
_RANKS = {"schedule": 0, "book": 0, "part": 1, "title": 2, "chapter": 3, "division": 4}

_WORD_FIRST = re.compile(
    rf"^(?P<word>{_WORDS})\.?\s*:?\s*(?:a\s+)?(?P<num>{_NUM}|[\u0600-\u06ff]+(?:\s+مكرر)?)"
    rf"(?:-a)?(?=[\s.:\-–—,]|$)\s*[.:\-–—]?\s*(?P<heading>.*)$",
    re.IGNORECASE,
)
_NUMBER_FIRST = re.compile(
    rf"^(?P<num>{_NUM}|[^\s:.]+)\.?\s+(?P<word>{_WORDS})(?=[\s.:\-–—]|$)\.?\s*[:.\-–—]?\s*"
    r"(?P<heading>.*)$",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(rf"^(?P<num>{_NUM})(?:\.\s*|\s+|$)(?P<heading>.*)$")
_CJK = re.compile(
    r"^第\s*(?P<num>[\s〇零一二三四五六七八九十百千0-9]+?)\s*(?P<word>[編编章節节款])\s*(?P<heading>.*)$"
)


@dataclass(frozen=True)
class ContainerLabel:
    """One level of a container heading read from a label string."""

    kind: str
    number: str | None
    label: str
    heading: str | None

    @property
    def rank(self) -> int:
        return _RANKS.get(self.kind, 3)


def _greek_roman(number: str) -> str:
    """Greek typists write roman numerals with Greek capitals (ΜΕΡΟΣ ΙΙ): map Ι->I, Χ->X."""
    return number.translate(str.maketrans("ΙΧ", "IX"))


def _one(piece: str) -> ContainerLabel:
    piece = re.sub(r"\s+", " ", piece).strip()
    cjk = _CJK.match(piece)
    if cjk:
        kind = _WORD_KIND.get(cjk.group("word"), "chapter")
        label = piece[: cjk.start("heading")].strip()
        return ContainerLabel(kind, normalise_number(label) or None, label, cjk["heading"] or None)
    for pattern in (_WORD_FIRST, _NUMBER_FIRST):
        match = pattern.match(piece)
        if match:
            kind = _WORD_KIND.get(match.group("word").lower().rstrip("."), "chapter")
            number = normalise_number(_greek_roman(match.group("num"))) or None
            label = piece[: match.start("heading")].strip(" :.-–—")
            heading = match.group("heading").strip(" :.-–—") or None
            return ContainerLabel(kind, number, label, heading)
    bare = _BARE_NUMBER.match(piece)
    if bare:
        label = bare.group("num")
        return ContainerLabel("chapter", normalise_number(label), label, bare["heading"] or None)
    return ContainerLabel("chapter", None, "", piece or None)


def parse_container_label(text: str) -> list[ContainerLabel]:
    """Split a container label into levels, outermost first.

    "Capitolul I - X | Secţiunea 1 - Y" and "Chapter VI, Part VI" give two levels; a string
    with no recognisable designation or number gives one level with ``number`` None and the
    whole string as heading.

    Args:
        text: the label as found in the source.

    Returns:
        The levels, outermost first (never empty for a non-empty string).
    """
    pieces = [p for p in (x.strip() for x in text.split(" | ")) if p]
    levels: list[ContainerLabel] = []
    for piece in pieces:
        parts = re.split(rf",\s+(?=(?:{_WORDS})\b)", piece, flags=re.IGNORECASE)
        levels += [_one(part) for part in parts]
    return levels


class ContainerTracker:
    """Tracks the open containers; reuses an open one when the same label comes again."""

    def __init__(self, builder: ProvisionBuilder) -> None:
        self.builder = builder
        self.stack: list[tuple[ContainerLabel, str]] = []

    def enter(self, levels: list[ContainerLabel]) -> None:
        """Open the container path ``levels`` (outermost first), reusing open ones."""
        if not levels:
            return
        same = [i for i, (open_, _) in enumerate(self.stack) if open_ == levels[0]]
        if same:
            index = same[-1]
        else:  # close everything from the first open level of equal or lower rank
            ranks = [open_.rank for open_, _ in self.stack]
            cut = next((i for i, r in enumerate(ranks) if r >= levels[0].rank), len(ranks))
            del self.stack[cut:]
            index = self._open(levels[0])
        for level in levels[1:]:
            if index + 1 < len(self.stack) and self.stack[index + 1][0] == level:
                index += 1
                continue
            del self.stack[index + 1 :]
            index = self._open(level)
        del self.stack[index + 1 :]

    def _open(self, level: ContainerLabel) -> int:
        eid = self.builder.add(
            level.kind,
            level.number,
            label=level.label or None,
            heading=level.heading,
            parent_eid=self.parent(),
            eid_parent=self.prefix(),
        )
        self.stack.append((level, eid))
        return len(self.stack) - 1

    def parent(self) -> str | None:
        return self.stack[-1][1] if self.stack else None

    def prefix(self) -> str | None:
        return next((eid for level, eid in reversed(self.stack) if level.number), None)


def _capitals_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and len(line) <= 150 and not any(c.islower() for c in letters)


def _designation(line: str) -> ContainerLabel | None:
    """The container that a line consisting only of "TÍTULO II" / "CAPÍTULO I" opens."""
    match = _WORD_FIRST.match(line.strip())
    if not match or match.group("heading").strip():
        return None
    return parse_container_label(line.strip())[0]


def trailing_containers(text: str) -> tuple[str, list[ContainerLabel]]:
    """Split off the container headings a scraper glued to the end of the previous provision.

    "...del GAFI.\\nTÍTULO II\\nINSTITUCIONALIDAD\\nCAPÍTULO I\\nJUNTA DE POLÍTICA" gives the text
    up to "del GAFI." and the levels TÍTULO II "INSTITUCIONALIDAD", CAPÍTULO I "JUNTA DE
    POLÍTICA" (outermost first). Only a run of capitals lines at the very end qualifies.
    """
    lines = text.rstrip().split("\n")
    start = len(lines)
    while start > 0 and _capitals_line(lines[start - 1].strip()):
        start -= 1
    first = next((i for i in range(start, len(lines)) if _designation(lines[i])), None)
    if first is None:
        return text, []
    levels: list[ContainerLabel] = []
    for line in lines[first:]:
        level = _designation(line)
        if level:
            levels.append(level)
        else:
            last = levels[-1]
            heading = " ".join(filter(None, [last.heading, line.strip()]))
            levels[-1] = ContainerLabel(last.kind, last.number, last.label, heading)
    return "\n".join(lines[:first]).rstrip(), levels


def place_trailing_containers(
    texts: list[str], chapters: list[list[ContainerLabel] | None]
) -> tuple[list[str], list[list[ContainerLabel] | None]]:
    """Move container headings glued to the end of a provision ("TÍTULO II\\nINSTITUCIONALIDAD")
    to the containers of the provisions that follow, when the innermost one is the container
    they name; levels the records left out (a TÍTULO above their CAPÍTULO) are added.

    Args:
        texts: the provision texts, in document order.
        chapters: the container path each provision's record names (outermost first).

    Returns:
        New lists of texts and container paths (the arguments are not changed).
    """
    texts, chapters = list(texts), list(chapters)
    for index in range(len(texts) - 1):
        text, levels = trailing_containers(texts[index])
        original = chapters[index + 1]
        if not levels or not original:
            continue
        inner = original[-1]
        if (levels[-1].kind, levels[-1].number) != (inner.kind, inner.number):
            continue
        outer = [level for level in original[:-1] if level.rank < levels[0].rank]
        last = levels[-1]
        merged = [*outer, *levels[:-1], replace(last, heading=last.heading or inner.heading)]
        texts[index] = text
        for following in range(index + 1, len(chapters)):
            if chapters[following] != original:
                break
            chapters[following] = merged
    return texts, chapters
