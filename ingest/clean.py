"""Composable text-cleaning steps shared by the text-format extractors.

Steps are pure ``str -> str`` functions looked up by name, so an extractor states its recipe as
data: ``clean_text(text, steps=("line_endings", "nfkc", "dehyphenate", "whitespace"))``.
Page-level helpers (running header/footer removal) and the RTL reordering helpers live here too
because more than one extractor needs them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from bidi import get_display

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)

# Characters NFKC would fold into something that changes a provision's number:
# "205¹" must not become "2051" (design §2: superscripts map to "205.1"), the ordinal
# indicators of "Artículo 1º" / "Art. 2ª" must not become "1o" / "2a", the circled paragraph
# numbers of Korean and Japanese law (①) must not become plain digits, nor "№" become "No".
_NFKC_PROTECTED = re.compile(f"[{SUPERSCRIPT_DIGITS}ºª№\u2460-\u2473]+")

# pdfium marks the hyphen it removed at a line break with U+FFFE (older builds: U+0002);
# U+00AD is the soft hyphen proper. All three mean "join the word halves".
_SOFT_HYPHEN_BREAK = re.compile("[\u00ad\ufffe\x02][ \t]*(?:\r?\n[ \t]*)?")
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_A-ZÀ-ÞА-Я])")
_C1 = re.compile("[\x80-\x9f]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\ufeff\ufffe\uffff]")
_BLANK_RUNS = re.compile(r"\n(?:[ \t]*\n){2,}")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
_RTL_CHAR = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def to_superscript(digits: str) -> str:
    """Return ``digits`` written with Unicode superscript digits ("1" -> "¹")."""
    return digits.translate(_TO_SUPERSCRIPT)


def nfkc(text: str) -> str:
    """NFKC-normalise ``text`` but keep superscript digits and ordinal indicators as they are."""
    out: list[str] = []
    pos = 0
    for match in _NFKC_PROTECTED.finditer(text):
        out.append(unicodedata.normalize("NFKC", text[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(unicodedata.normalize("NFKC", text[pos:]))
    return "".join(out)


_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


def line_endings(text: str) -> str:
    """Turn CR LF, lone CR, form feeds and Unicode line/paragraph separators into LF."""
    return re.sub("\r\n?|[\f\v\u2028\u2029\x85]", "\n", text)


def soft_hyphens(text: str) -> str:
    """Join words split by a marked (soft) hyphen, including across a line break."""
    return _SOFT_HYPHEN_BREAK.sub("", text)


def dehyphenate(text: str) -> str:
    """Join marked soft hyphens, then ``word-\\nword`` splits where a lower-case letter follows.

    A hyphen before a capital (``Anti-\\nTerrorism``) or a digit is kept: it is usually real.
    """
    return _LINE_END_HYPHEN.sub("", soft_hyphens(text))


def _windows_1252(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match.group())]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: no character in cp1252
        return ""


def control_chars(text: str) -> str:
    """Drop control and invisible characters (keeps tab and newline), and the placeholders
    pdfminer writes for glyphs it could not map to Unicode ("(cid:20)"): they carry no text.

    C1 controls (U+0080-U+009F) never occur in legal text; they are Windows-1252 punctuation
    decoded as Latin-1 (U+0097 for "—" after "Artículo 2.", U+0093/U+0094 for quotes), so they
    are read as such rather than dropped.
    """
    text = _C1.sub(_windows_1252, text)
    return _UNMAPPED_GLYPH.sub("", _CONTROL.sub("", text))


def whitespace(text: str) -> str:
    """Collapse runs of spaces inside lines (indentation kept) and strip line ends."""
    lines = (_INNER_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))
    return "\n".join(lines)


def blank_lines(text: str) -> str:
    """Collapse runs of blank lines into one and trim the text's ends."""
    return _BLANK_RUNS.sub("\n\n", text).strip("\n")


# Line starts that open a new block (provision number, list label, heading word, bullet, note):
# a wrapped line beginning so is never joined to the line before it.
_MONTH = r"(?:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|d[ei][cz])\w*\s+\d"
BLOCK_START = re.compile(
    rf"""^(?:
      [\(\[]?\d+[A-Za-z]{{0,3}}[.):\]]?(?:\s|$)(?!{_MONTH})  # 15. (1) 3A, not "4. November 1950"
     |\((?:[a-zA-Z]{{1,4}}|\d+[a-zA-Z]?)\)                  # (a) (iv) (2a)
     |[a-zA-Z][.)]\s|[IVXLC]+[.)]?\s                         # a. b) IV.
     |(?:art(?:icle|ículo|icolo|igo|ikel)?\b\.?|section\b|sec\.|§|chapter\b|part\b|title\b
        |schedule\b|annex\b|book\b|division\b|rule\b|regulation\b|paragraph\b|kapitel\b
        |titel\b|teil\b|abschnitt\b|buch\b|статья|глава|раздел|المادة|الباب|الفصل)
     |第[一二三四五六七八九十百千〇\d]+[条章節編款項]|제\s*\d+\s*[조장절관편]
     |[一二三四五六七八九十]+\s|[イロハニホヘトチリヌルヲ]\s|（[^）]{{1,30}}）\s*$
     |[\u2460-\u2473]|[-−‐•▪*–—]\s|\||\[\^|\ue000            # ① bullets table-rows notes
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_LABEL_ONLY = re.compile(
    r"^(?:\(?\d{1,4}[A-Z]{0,3}\)?\.?|\([a-z]{1,4}\)|\([A-Z]{1,2}\)|[A-Z]{1,2}\d{1,4})$"
)


def label_lines(text: str) -> str:
    """Join a line holding only a label ("15", "(a)", "C7") to the text line after it.

    Text taken from PDFs often sets the number in its own column: "15" / "Fund-raising.".
    """
    lines = text.split("\n")
    out: list[str] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        nxt = lines[k + 1].strip() if k + 1 < len(lines) else ""
        if _LABEL_ONLY.match(line.strip()) and nxt and not _LABEL_ONLY.match(nxt):
            out.append(f"{line.strip()} {nxt}")
            k += 2
        else:
            out.append(line)
            k += 1
    return "\n".join(out)


def unwrap_lines(text: str) -> str:
    """Join soft-wrapped lines: a long line ending in a space, followed by a plain line.

    Text exported from PDFs keeps the space of the wrap ("for \nNorthern Ireland"); a line
    broken where the author broke it has no trailing space.
    """
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (
            prev[-1:] in (" ", "\t")
            and len(prev.strip()) >= 40
            and line.strip()
            and not BLOCK_START.match(line.strip())
        ):
            out[-1] = prev.rstrip() + " " + line.lstrip()  # keep its own trailing-space mark
        else:
            out.append(line)
    return "\n".join(out)


STEPS: dict[str, Callable[[str], str]] = {
    "line_endings": line_endings,
    "control_chars": control_chars,
    "nfkc": nfkc,
    "soft_hyphens": soft_hyphens,
    "dehyphenate": dehyphenate,
    "whitespace": whitespace,
    "blank_lines": blank_lines,
    "unwrap_lines": unwrap_lines,
    "label_lines": label_lines,
}

DEFAULT_STEPS = ("line_endings", "control_chars", "nfkc", "whitespace", "blank_lines")


def clean_text(text: str, steps: Iterable[str] = DEFAULT_STEPS) -> str:
    """Apply the named cleaning steps in order.

    Args:
        text: The text to clean.
        steps: Names from ``STEPS``, applied left to right.

    Returns:
        The cleaned text.

    Raises:
        ValueError: A step name is unknown; the message lists the valid ones.
    """
    steps = tuple(steps)
    unknown = [name for name in steps if name not in STEPS]
    if unknown:
        raise ValueError(f"unknown cleaning step(s) {unknown}; valid steps: {', '.join(STEPS)}")
    for name in steps:
        text = STEPS[name](text)
    return text


# --- running headers and footers -------------------------------------------------------------

_PAGE_NUMBER_LINE = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:[A-Z]{1,2}\d?[-–]?)?\d{1,4}(?:\s*[-–/]\s*\d{1,4})?\s*[-–—)\]]?$"
    r"|^(?:page|seite|página|pagina|стр\.?|страница)\s+\d+(?:\s*(?:of|von|de|из|/)\s*\d+)?$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_NUMBER_TOKEN = re.compile(r"\d+[A-Z]?")
# A page header/footer naming its page ("Page 605 TITLE 18 ... § 2339B"), at the very edge.
_PAGE_LABEL = re.compile(r"^(?:page|seite|página|pagina)\s+\d+\b|\b(?:page|seite)\s+\d+$", re.I)


def _header_key(line: str) -> str:
    # Numbers (with a letter suffix: "11A", "3A-2") are masked, and word order is ignored so
    # that odd and even pages' variants ("2 Title" / "Title 3") meet.
    return " ".join(sorted(_NUMBER_TOKEN.sub("#", line).casefold().split()))


def _page_numbered(members: Sequence[tuple[int, str]], strict: bool) -> bool:
    """True when the lines differ only in a number that follows the pages.

    ``strict``: the number must grow exactly with the page index (a page number, "3 / 198").
    Otherwise it may merely never fall, as running section labels do ("Section 2 Cap. 575").
    """
    fields = [[int(d) for d in _DIGITS.findall(text)] for _, text in members]
    if len({len(f) for f in fields}) != 1 or not fields[0]:
        return False
    pages = [page for page, _ in members]
    for j in range(len(fields[0])):
        column = [f[j] for f in fields]
        if len(set(column)) == 1:
            continue
        if strict:
            return len({n - p for n, p in zip(column, pages, strict=True)}) == 1
        return all(a <= b for a, b in zip(column, column[1:], strict=False))
    return True


def find_running_lines(
    pages: Sequence[Sequence[str]], edge: int = 3, min_share: float = 0.4
) -> set[tuple[int, int]]:
    """Find running headers/footers and page numbers among each page's edge lines.

    A line among the first or last ``edge`` lines of a page is "running" when it is a bare page
    number or a "Page N" label, or when the same words (numbers masked) stand at the edge of at
    least ``min_share`` of the pages (2 pages at least) and either read identically, or differ
    only in numbers that never fall from page to page, or recur on 1.5 x ``min_share`` of the
    pages whatever their numbers. Headings such as "Art. 5" at the top of a page do not recur
    on that many pages.

    Args:
        pages: The lines of each page, in reading order; edge lines are taken from both ends.
        edge: How many lines at each end of a page are candidates.
        min_share: Share of pages a repeated line must appear on.

    Returns:
        ``(page index, line index)`` pairs to drop.
    """
    groups: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    drop: set[tuple[int, int]] = set()
    for p, lines in enumerate(pages):
        idx = [i for i, line in enumerate(lines) if line.strip()]
        for i in dict.fromkeys(idx[:edge] + idx[-edge:]):
            text = lines[i].strip()
            outermost = i in (idx[0], idx[-1])
            if _PAGE_NUMBER_LINE.match(text) or (
                outermost and len(text) < 100 and _PAGE_LABEL.search(text)
            ):
                drop.add((p, i))
            else:
                groups[_header_key(text)].append((p, i, text))
    needed = max(2, round(min_share * len(pages)))
    for key, members in groups.items():
        page_ids = {p for p, _, _ in members}
        if len(page_ids) < needed:
            continue
        first: dict[int, str] = {}
        for p, _, t in members:
            first.setdefault(p, t)
        # A bare heading ("Art. 7") qualifies only as an exact page number: a law with one
        # article per page would otherwise lose them all. A longer line ("Section 2 Cap. 575")
        # may qualify by frequency or by numbers that never fall.
        bare = len(key.split()) < 3 and bool(BLOCK_START.match(members[0][2]))
        frequent = not bare and len(page_ids) >= 1.5 * min_share * len(pages)
        if (
            len({t for _, _, t in members}) == 1
            or frequent
            or _page_numbered(sorted(first.items()), strict=bare)
        ):
            drop.update((p, i) for p, i, _ in members)
    return drop


def strip_running_lines(pages: Sequence[Sequence[str]], edge: int = 3) -> list[list[str]]:
    """Return the pages without their running headers, footers and page numbers."""
    drop = find_running_lines(pages, edge=edge)
    return [
        [line for i, line in enumerate(lines) if (p, i) not in drop]
        for p, lines in enumerate(pages)
    ]


# --- right-to-left text ----------------------------------------------------------------------


def is_rtl(text: str, share: float = 0.5) -> bool:
    """True when at least ``share`` of the letters of ``text`` are Arabic or Hebrew."""
    if not _RTL_CHAR.search(text):
        return False
    letters = sum(1 for ch in text if ch.isalpha())
    return letters > 0 and len(_RTL_CHAR.findall(text)) / letters >= share


_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")


def mirror_brackets(text: str) -> str:
    """Swap paired brackets, as a right-to-left run printed in visual order needs."""
    return text.translate(_MIRROR)


def _opens_before_closing(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return True


def fix_rtl_brackets(text: str) -> str:
    """Mirror the brackets of a logical-order RTL line when they read ``)x(``.

    Producers differ: some paint the mirrored glyph (so the text holds ``(``), others store the
    glyph as seen (``)``). Only a line whose brackets close before they open, and open before
    they close once mirrored, is changed.
    """
    if _opens_before_closing(text):
        return text
    mirrored = mirror_brackets(text)
    return mirrored if _opens_before_closing(mirrored) else text


def reorder_visual_line(line: str) -> str:
    """Turn one line stored in visual (left-to-right display) order into logical order.

    Some PDF producers (and pdfminer) give Arabic lines as they are painted, left to right.
    Running the Unicode bidi algorithm over such a line reverses its right-to-left runs back
    while keeping embedded numbers and Latin words left to right. Lines without RTL letters are
    returned as they are.
    """
    if not _RTL_CHAR.search(line):
        return line
    # python-bidi reverses the runs but does not mirror brackets: repair pairs reading ")x(".
    return fix_rtl_brackets(get_display(line, base_dir="R"))
