"""Prepare extracted text for the segmenter: one ``Line`` per non-blank line.

Markdown syntax (headings, emphasis, links, footnote marks, front matter) is read as a hint and
removed from the text; editorial annotations (legislation.gov.uk's "Textual Amendments" blocks,
Markdown footnote definitions, Russian "(В редакции ...)" notes, US Code editorial notes) are
marked ``note`` so that they end up in ``ProvisionDraft.notes``, never in the provision text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

_FRONT_MATTER = re.compile(r"\A\s*---\n.*?\n---\s*\n", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|={3,})\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^[^\]]+\]:\s*")
_SUP_DIGITS = re.compile(r"<sup>\s*(\d+)\s*</sup>", re.IGNORECASE)
_SUP_OTHER = re.compile(r"<sup>\s*([^<]*?)\s*</sup>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_STRONG = re.compile(r"\*\*|__")
_EM = re.compile(r"(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])")
_DEFINITION = re.compile(r"^:\s{1,4}")
_IRISH_MARKER = re.compile(r"(?<![\w\[])F\d+\[")
_CARET_NOTE = re.compile(r"(?<=[^\W\d_])\^\d+\b")
_OPENING_QUOTES = "«“„\"'‘‹»"
_TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Line:
    """One non-blank line of the document, cleaned of Markdown syntax."""

    text: str  # what a reader sees, stripped
    md_level: int = 0  # 1-6 on a Markdown heading line
    emphasis: bool = False  # the whole line was bold or italic
    blank_before: bool = False
    note: bool = False  # editorial annotation: goes to notes
    quoted: bool = False  # starts with an opening quote: text being inserted by an amendment
    raw: str = ""  # the line before Markdown cleaning (legislation.gov.uk markers live here)
    indent: int = 0  # leading spaces: centred headings in plain text are indented


def prepare_lines(text: str) -> tuple[list[Line], frozenset[str]]:
    """Split ``text`` into cleaned lines and mark editorial notes.

    Args:
        text: the extractor's plain text (Markdown syntax allowed).

    Returns:
        The lines and the dialects recognised (``ukleg``, ``usc``, ``ru_notes``), which tell
        the later stages which printer's conventions to expect.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _FRONT_MATTER.sub("", text, count=1)
    text = _COMMENT.sub("", text)
    lines: list[Line] = []
    blank = True
    text = _UK_GLUED_HEAD.sub(r"\1\n\2", text)
    text = _GLUED_SUPPLEMENTARY.sub(r"\1\n\2", text)
    for raw in text.split("\n"):
        line = _clean_line(raw, blank)
        if line is None:
            blank = True
            continue
        lines.append(line)
        blank = False
    lines = _drop_running_lines(lines)
    dialects = frozenset(name for name, detect in _DIALECTS.items() if detect(lines))
    for name in sorted(dialects):
        lines = _NOTE_MARKERS[name](lines)
    return lines, dialects


def _clean_line(raw: str, blank_before: bool) -> Line | None:
    if not raw.strip() or _RULE.match(raw) or raw.lstrip().lower().startswith("<meta"):
        return None
    body, level = raw, 0
    heading = _MD_HEADING.match(raw)
    if heading and (heading.group(2) or "").strip():
        level, body = len(heading.group(1)), heading.group(2)
    elif heading:
        return None
    note = bool(_FOOTNOTE_DEF.match(body))
    body = _FOOTNOTE_DEF.sub("", body)
    stripped = body.strip()
    emphasis = len(stripped) > 4 and (
        (stripped.startswith("**") and stripped.rstrip("*").endswith(("**", "**.", ":**")))
        or (stripped.startswith("__") and stripped.endswith("__"))
    )
    body = inline_markdown(body)
    body = _DEFINITION.sub("", body.strip()).strip()
    if not body:
        return None
    quoted = body[0] in _OPENING_QUOTES and body[:1] not in ("'",)
    indent = len(raw) - len(raw.lstrip(" ")) if not level else 0
    return Line(body, level, emphasis, blank_before, note, quoted, raw.strip(), indent)


_TOC_COLUMNS = re.compile(r"^(?:Section|Clause|Article|Regulation|Rule|Paragraph)\s+Page$", re.I)
_RUNNING = re.compile(r"^(?:\d{1,4}\s+\D{3,50}|\D{3,50}\s+\d{1,4})$")


def _drop_running_lines(lines: list[Line]) -> list[Line]:
    """Drop page headers and footers left in the text ("Prevention of Terrorism 5", "4 Bill"):
    short lines with a page number at one end that recur, with varying numbers, on many pages."""
    keys: dict[str, list[str]] = {}
    for line in lines:
        if _RUNNING.match(line.text) and not line.md_level and not _is_head(line.text):
            keys.setdefault(re.sub(r"\d+", "#", line.text), []).append(line.text)
    # A page number varies ("Bill 4", "Bill 5"); a chapter number repeats ("Cap. 575").
    running = {key for key, seen in keys.items() if len(set(seen)) >= 4 or len(seen) >= 5}
    return [
        line
        for line in lines
        if re.sub(r"\d+", "#", line.text) not in running and not _TOC_COLUMNS.match(line.text)
    ]


def _is_head(text: str) -> bool:
    # Imported here: the patterns module is the segmenter's, this one only prepares lines.
    from ingest.segment_containers import container_candidate
    from ingest.segment_patterns import provision_candidates

    return bool(
        container_candidate(0, text, romance=True) or provision_candidates(0, text, romance=False)
    )


_MARKUP = re.compile(r"[\[*_<&\\^]|F\d")


def inline_markdown(text: str) -> str:
    """Remove inline Markdown/HTML syntax: links, emphasis, footnote marks, tags, escapes."""
    if not _MARKUP.search(text):
        return re.sub(r"[ \t]+", " ", text.replace("\u00a0", " "))
    text = _LINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    text = _SUP_DIGITS.sub(lambda m: m.group(1).translate(_TO_SUPERSCRIPT), text)
    text = _SUP_OTHER.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _STRONG.sub("", text)
    text = _EM.sub(r"\1", text)
    text = _ESCAPE.sub(r"\1", text)
    text = _IRISH_MARKER.sub("[", text)  # "F3[(1)] In this Part" (Irish amendment markers)
    text = _CARET_NOTE.sub("", text)  # "on combating terrorism^2," (footnote reference)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"[ \t]+", " ", text)


def match_text(line: Line) -> str:
    """The line as the numbering patterns see it: without opening quotes or list bullets."""
    return line.text.lstrip(_OPENING_QUOTES + " -–•*").strip()


# --- legislation.gov.uk (UK revised texts) ---------------------------------------------------

# "...罰金に処する。附 則 抄": supplementary provisions glued to the last article by the PDF layout.
_GLUED_SUPPLEMENTARY = re.compile(
    r"(?m)(。)[ \t\u3000]*(附[ \t\u3000]*則(?:[ \t\u3000]*抄)?)[ \t]*$"
)
# "(w) [F13843D Search of premises ...": the end of an annotation glued to the next section.
_UK_GLUED_HEAD = re.compile(
    r"(?m)^(\([a-z0-9]{1,4}\))[ \t]+((?:\[F\d{3,}[A-Z]{0,3}[ \t]+[A-Z]|(?:\[F\d+)?SCHEDULE \d).*)$"
)
_UK_NOTE_HEADERS = re.compile(
    r"^(?:Textual Amendments|Modifications etc\. \(not altering text\)|Commencement Information"
    r"|Marginal Citations|Extent Information|Editorial Information|Subordinate Legislation Made"
    r"|Annotations:?|Amendments \(Textual\)|Modifications and Amendments)$"
)
_UK_TAIL = re.compile(r"^Changes and effects yet to be applied|^Changes to legislation:")
_UK_MARKER = re.compile(r"^[FCIMEXP]\d+(?:\s+\S.*)?$")
_UK_DOTS = re.compile(r"^(?:\.\s*){3,}$")
_UK_HEADISH = re.compile(r"^\[?\s*(?:F\d+)?\d{1,3}[A-Z]{0,3}(?:\s+[A-Z\[“(].*)?$|^\[\s*$|^\[F\d")
_UK_STRUCTURE = re.compile(r"^(?:PART|SCHEDULE|CHAPTER|S C H E D U L E S)\b")


def _uk_detect(lines: list[Line]) -> bool:
    return sum(1 for line in lines if _UK_NOTE_HEADERS.match(line.text)) >= 2


def _uk_mark(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    in_block = tail = False
    for i, line in enumerate(lines):
        text = line.text
        following = lines[i + 1].text if i + 1 < len(lines) else ""
        if tail or _UK_TAIL.match(text):
            tail = True
            out.append(replace(line, note=True))
            continue
        if _UK_NOTE_HEADERS.match(text):
            in_block = True
            out.append(replace(line, note=True))
            continue
        if in_block and _uk_note_continues(text, following, out[-1].text if out else ""):
            out.append(replace(line, note=True))
            continue
        in_block = False
        out.append(line)
    return out


def _uk_title(text: str) -> bool:
    return (
        0 < len(text) <= 90
        and text[:1].isupper()
        and not re.search(r"\d", text)
        and not text.startswith(("S. ", "Ss. ", "Sch. ", "Words", "Word ", "Act "))
    )


def _uk_note_continues(text: str, following: str, previous: str) -> bool:
    """Inside an annotation block: is this line still part of the annotations?"""
    if _UK_MARKER.match(text):
        # "F10324 / . . . ." or "X123 Forfeiture: terrorist property offences" is a section
        # number glued to its marker, not an annotation: annotation text nearly always
        # carries a date or a number.
        glued = re.match(r"^[FX]\d{2,}[A-Z]{0,3}(?:\s+(.*))?$", text)
        title = (glued.group(1) or following) if glued else ""
        return not (_UK_DOTS.match(following) or (glued and _uk_title(title)))
    if _UK_STRUCTURE.match(text) or text.startswith("["):
        return False
    if _UK_HEADISH.match(text) and not re.match(r"^\d{4}\b", text):
        # "art.\n2" (an annotation wrapped before its last number) vs "16\nUse and possession."
        return bool(re.match(r"^\d+$", text)) and (
            bool(_UK_MARKER.match(following)) or not following[:1].isupper()
        )
    # A cross-heading ("Offences", "Seizure of terrorist cash") ends the block: short, no
    # digits, no final punctuation. Annotation text nearly always carries a date or a number.
    return not (
        len(text) <= 90
        and not re.search(r"\d", text)
        and text[:1].isupper()
        and not text.endswith((".", ",", ";", ")"))
        and not previous.endswith(("(", "by", "of", "and", "the", "in"))
    )


# --- other printers ---------------------------------------------------------------------------

_USC_HEADERS = re.compile(r"^(?:Editorial\s+Notes|Statutory\s+Notes\s+and\s+Related\s+\w+)$")
_USC_CREDIT = re.compile(r"^\((?:Added\s+)?(?:Pub\.\s*L\.|June|July|Aug|Sept|Oct|Nov|Dec|Jan)")
_RU_NOTE = re.compile(
    r"^\((?:В редакции|Наименование в редакции|Статья дополнена|Дополнение|Часть|Пункт|"
    r"Утратил|Утратила|Абзац|Примечание|Дополнен|Изменения|Исключ|Подпункт|Текст|"
    r"Федеральн|Статья (?:в редакции|утратила|введена))"
)


def _usc_detect(lines: list[Line]) -> bool:
    return any(_USC_HEADERS.match(line.text) for line in lines)


def _usc_mark(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    in_notes = in_credit = False
    for line in lines:
        if re.match(r"^§\s*\d", line.text):
            in_notes = False
        if _USC_HEADERS.match(line.text):
            in_notes = True
        if _USC_CREDIT.match(line.text):
            in_credit = True
        out.append(replace(line, note=True) if in_notes or in_credit else line)
        if in_credit and line.text.rstrip().endswith(")"):
            in_credit = False
    return out


def _ru_detect(lines: list[Line]) -> bool:
    return sum(1 for line in lines[:4000] if _RU_NOTE.match(line.text)) >= 3


def _ru_mark(lines: list[Line]) -> list[Line]:
    """Russian editorial notes: "(В редакции Федерального закона от ... № ...)" paragraphs."""
    out: list[Line] = []
    depth = 0
    for line in lines:
        if depth == 0 and not _RU_NOTE.match(line.text):
            out.append(line)
            continue
        out.append(replace(line, note=True))
        depth += line.text.count("(") - line.text.count(")")
        if depth <= 0 or line.text.rstrip().endswith(")"):
            depth = 0
    return out


# EUR-Lex consolidated texts: "▼B" (basic act), "▼M1" (amending act M1), "▼C1" (corrigendum),
# "▼A1" (accession act) on their own line before the text they apply to, "▼M1 __________" for
# deleted text, and "►M2 ... ◄" around text an act replaced inside a line. The front matter's
# table names the acts ("►M1 Directive (EU) 2018/843 of the European Parliament ...").
_EURLEX_MARK = re.compile(r"^▼([BMCA]\d*)(\s+_{3,})?$")
_EURLEX_TRAILING = re.compile(r"\s+▼([BMCA]\d*)$")
_EURLEX_INLINE = re.compile(r"►([BMCA]\d*)\s*|\s*◄")
_EURLEX_ACT = re.compile(
    r"►([MCA]\d+)\s+((?:Directive|Regulation|Decision)\s+\((?:EU|EC|EEC)\)\s+(?:No\s+)?\d+/\d+)"
)


def _eurlex_detect(lines: list[Line]) -> bool:
    return sum(1 for line in lines if _EURLEX_MARK.match(line.text)) >= 3


def _eurlex_mark(lines: list[Line]) -> list[Line]:
    """Markers out of the text; which act amended a provision (or deleted text) into its notes."""
    acts = {m.group(1): m.group(2) for line in lines for m in _EURLEX_ACT.finditer(line.text)}

    def note(line: Line, code: str, what: str) -> Line:
        act = acts.get(code, "an act listed in the consolidation")
        return replace(
            line, text=f"{code} {what} by {act} (EUR-Lex marker)", note=True, blank_before=True
        )

    # A marker applies to the text after it, which may start the next provision: its note goes
    # after the next line of text, so that it lands in that line's provision.
    out: list[Line] = []
    pending: list[Line] = []
    for line in lines:
        if _EURLEX_ACT.search(line.text) and "◄" not in line.text:
            out.append(line)  # the table of amending acts stays as printed
            continue
        if mark := _EURLEX_MARK.match(line.text):
            if mark.group(1) != "B":  # the basic act's own text needs no note
                # the deletion rule "__________" is Markdown emphasis to the line cleaner
                deleted = mark.group(2) or re.search(r"_{3,}", line.raw)
                what = "text deleted" if deleted else "text inserted or replaced"
                pending.append(note(line, mark.group(1), what))
            continue
        codes = [m.group(1) for m in _EURLEX_INLINE.finditer(line.text) if m.group(1)]
        trailing = _EURLEX_TRAILING.search(line.text)
        text = _EURLEX_TRAILING.sub("", line.text)
        if codes or "◄" in text:
            text = re.sub(r" {2,}", " ", _EURLEX_INLINE.sub(" ", text)).strip()
        out.append(replace(line, text=text) if text != line.text else line)
        out.extend(pending)
        out.extend(
            note(line, code, "text replaced") for code in dict.fromkeys(codes) if code != "B"
        )
        pending = []
        if trailing and trailing.group(1) != "B":
            pending.append(note(line, trailing.group(1), "text inserted or replaced"))
    return out + pending


_DIALECTS: dict[str, Callable[[list[Line]], bool]] = {
    "ukleg": _uk_detect,
    "usc": _usc_detect,
    "ru_notes": _ru_detect,
    "eurlex": _eurlex_detect,
}
_NOTE_MARKERS: dict[str, Callable[[list[Line]], list[Line]]] = {
    "ukleg": _uk_mark,
    "usc": _usc_mark,
    "ru_notes": _ru_mark,
    "eurlex": _eurlex_mark,
}

# Inline legislation.gov.uk markers: "[F1or an international" -> "[or an international",
# "the M1Prevention of Terrorism" -> "the Prevention of Terrorism", "F27(2) . . ." -> "(2) . . .".
_UK_INLINE = (
    (re.compile(r"\[F\d+\s?"), "["),
    (re.compile(r"^F\d+(?=[(\[“\s.])"), ""),
    (re.compile(r"(?<![\w/])[MEX]\d+(?=[A-Z])"), ""),
)


def strip_uk_markers(text: str) -> str:
    """Remove legislation.gov.uk's amendment (F), marginal (M) and extent (E) markers."""
    for pattern, replacement in _UK_INLINE:
        text = pattern.sub(replacement, text)
    return text
