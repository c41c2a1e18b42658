"""Turn one pdfium text page into positioned lines (the geometry half of the PDF extractor).

pdfium gives the page text in content-stream order with a generated CR LF wherever the
baseline moves. Asking it for every character's box is slow (~5 µs a call), so a line's box
comes from its first, middle and last characters only; per-character calls are made for digit
runs (superscript check) and on right-to-left pages, which need glyph-level repair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.clean import fix_rtl_brackets, is_rtl

SUP_OPEN, SUP_CLOSE = "\ue000", "\ue001"  # brackets a superscript digit run until it is resolved
_SUP_RATIO = 0.82  # a digit run set this much smaller than its line is a superscript
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_DIGIT_RUN = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """One visual line of a page. Coordinates are PDF points, origin at the bottom left."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    page: int
    rtl: bool = False

    @property
    def height(self) -> float:
        return self.y1 - self.y0


class _Chars:
    """Thin accessor for pdfium's per-character data of one text page."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self.tp = textpage
        self._rect = pdfium_c.FS_RECTF()

    def box(self, i: int) -> tuple[float, float, float, float]:
        pdfium_c.FPDFText_GetLooseCharBox(self.tp, i, self._rect)
        r = self._rect
        return (r.left, r.bottom, r.right, r.top)

    def size(self, i: int) -> float:
        _, bottom, _, top = self.box(i)
        return top - bottom

    def tight_box(self, i: int) -> tuple[float, float, float, float]:
        return self.tp.get_charbox(i)  # (left, bottom, right, top)


def page_lines(page: pdfium.PdfPage, page_no: int) -> list[Line]:
    """Return the non-blank visual lines of ``page`` in pdfium's order.

    Args:
        page: An open pdfium page.
        page_no: Its 0-based index, stored on each line.

    Returns:
        Lines with boxes; fragments pdfium split off the same baseline (superscripts) are merged
        back, superscript digit runs are wrapped in ``SUP_OPEN``/``SUP_CLOSE``.
    """
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    if len(text) != textpage.count_chars():
        # Characters outside the BMP break the index mapping: keep the text, drop geometry.
        return [
            Line(t.strip(), 0, 0, 0, 0, 0, page_no, is_rtl(t))
            for t in text.split("\r\n")
            if t.strip()
        ]
    chars = _Chars(textpage)
    rtl_page = is_rtl(text)
    lines: list[Line] = []
    pieces: list[tuple[str, int]] = []
    start = 0
    for raw in text.split("\r\n"):
        if raw.strip():
            build = _rtl_line if rtl_page else _ltr_line
            lines.append(build(chars, raw, start, page_no))
            pieces.append((raw, start))
        start += len(raw) + 2
    if not rtl_page:
        lines = _split_wide_gaps(chars, lines, pieces, page_no)
    lines = merge_fragments(lines)
    if rtl_page:
        lines = [replace(ln, text=fix_rtl_brackets(ln.text)) for ln in lines]
    return lines


def _split_wide_gaps(
    chars: _Chars, lines: list[Line], pieces: list[tuple[str, int]], page_no: int
) -> list[Line]:
    """Split a short small-type line where a gap of more than two type sizes parts its words.

    pdfium puts text on one baseline into one line even when it stands in two margins: the
    last line of one marginal note and the first of the next ("inactment. “Confirmation" in a
    Sri Lankan amending act). The second piece must start where another line of the page
    starts (a column edge): a justified note spreads its words ("between        Sri") but
    not to an edge. Only short lines in type smaller than the page's main text are measured
    (a few character boxes each), so the cost stays negligible.
    """
    weight: dict[float, int] = {}
    for ln in lines:
        weight[round(ln.size, 1)] = weight.get(round(ln.size, 1), 0) + len(ln.text)
    if not weight:
        return lines
    main = max(weight, key=lambda k: weight[k])
    starts = [ln.x0 for ln in lines]
    out: list[Line] = []
    for ln, (raw, start) in zip(lines, pieces, strict=True):
        if not ln.size or ln.size >= 0.95 * main or len(raw.strip()) > 40 or SUP_OPEN in ln.text:
            out.append(ln)
            continue
        cut = 0
        for m in re.finditer(r"\S\s+(?=\S)", raw):
            left, right = chars.box(start + m.start()), chars.box(start + m.end())
            column = sum(abs(x - right[0]) < 1 for x in starts) >= 1
            if right[0] - left[2] > 2 * ln.size and column:
                out.append(_ltr_line(chars, raw[cut : m.start() + 1], start + cut, page_no))
                cut = m.end()
        out.append(ln if cut == 0 else _ltr_line(chars, raw[cut:], start + cut, page_no))
    return out


def _extent(chars: _Chars, raw: str, start: int) -> tuple[int, int, list[tuple]]:
    first = start + len(raw) - len(raw.lstrip())
    last = start + len(raw.rstrip()) - 1
    boxes = [chars.box(i) for i in {first, (first + last) // 2, last}]
    return first, last, boxes


def _ltr_line(chars: _Chars, raw: str, start: int, page_no: int) -> Line:
    first, _, boxes = _extent(chars, raw, start)
    ref = max(boxes, key=lambda b: b[3] - b[1])
    size = ref[3] - ref[1]
    stripped = raw.strip()
    offset = first - start
    pieces: list[str] = []
    pos = 0
    for m in _DIGIT_RUN.finditer(stripped):
        base = start + offset
        if not _superscript(chars.box(base + m.end() - 1), ref):
            continue
        # The run ends small; a footnote mark can follow a normal number ("1918" + "3").
        cut = m.start()
        while cut < m.end() - 1 and not _superscript(chars.box(base + cut), ref):
            cut += 1
        pieces += [stripped[pos:cut], SUP_OPEN, stripped[cut : m.end()], SUP_CLOSE]
        pos = m.end()
    pieces.append(stripped[pos:])
    return Line(
        "".join(pieces),
        min(b[0] for b in boxes),
        max(b[2] for b in boxes),
        min(b[1] for b in boxes),
        max(b[3] for b in boxes),
        size,
        page_no,
    )


def _superscript(box: tuple, ref: tuple) -> bool:
    """Smaller than the line's text and raised: the middle of its box sits above the middle of
    the reference box (smaller type on the same baseline sits below it)."""
    size, ref_size = box[3] - box[1], ref[3] - ref[1]
    return size < _SUP_RATIO * ref_size and (box[1] + box[3]) > (ref[1] + ref[3]) + 0.1 * ref_size


def _rtl_line(chars: _Chars, raw: str, start: int, page_no: int) -> Line:
    """Rebuild a right-to-left line character by character.

    pdfium reorders visually stored Arabic into logical order but (1) reverses the characters
    of a ligature glyph (lam-alef "لإ" comes out "إل"), which all share one box, and (2) drops
    word spaces that the PDF expresses only as a gap. Both are repaired here.
    """
    idx = [start + k for k, ch in enumerate(raw) if not ch.isspace() or ch == " "]
    while idx and raw[idx[0] - start] == " ":
        idx.pop(0)
    while idx and raw[idx[-1] - start] == " ":
        idx.pop()
    boxes = {i: chars.tight_box(i) for i in idx}
    sizes = [chars.size(i) for i in idx if raw[i - start] != " "]
    size = max(sizes) if sizes else 0.0
    out: list[str] = []
    k = 0
    while k < len(idx):
        group = [idx[k]]
        while (
            k + len(group) < len(idx)
            and boxes[idx[k + len(group)]] == boxes[idx[k]]
            and raw[idx[k] - start] != " "
        ):
            group.append(idx[k + len(group)])
        letters = [raw[i - start] for i in group]
        if len(group) > 1 and all(_RTL.match(ch) for ch in letters):
            letters.reverse()
        if (
            out
            and out[-1] != " "
            and letters[0] != " "
            and _gap(boxes, idx[k - 1], group[0]) > 0.2 * size
        ):
            out.append(" ")
        out.extend(letters)
        k += len(group)
    text = "".join(out)
    xs = [v for i in idx for v in (boxes[i][0], boxes[i][2])]
    ys = [v for i in idx for v in (boxes[i][1], boxes[i][3])]
    return Line(text, min(xs), max(xs), min(ys), max(ys), size, page_no, rtl=is_rtl(text))


def _gap(boxes: dict, prev: int, cur: int) -> float:
    """Horizontal white space between two consecutive characters, whichever way they run."""
    p, c = boxes[prev], boxes[cur]
    return max(p[0] - c[2], c[0] - p[2])


def merge_fragments(lines: list[Line]) -> list[Line]:
    """Merge pieces pdfium split off one baseline (superscripts, raised "bis", footnote marks)."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and _same_visual_line(prev, line):
            out[-1] = _join_fragment(prev, line)
        else:
            out.append(line)
    return out


def _same_visual_line(a: Line, b: Line) -> bool:
    if a.size == 0 or b.size == 0:
        return False
    overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
    if overlap < 0.3 * min(a.height, b.height):
        return False
    gap = (a.x0 - b.x1) if a.rtl else (b.x0 - a.x1)
    return -1.0 <= gap <= 1.5 * max(a.size, b.size)


def _join_fragment(a: Line, b: Line) -> Line:
    gap = (a.x0 - b.x1) if a.rtl else (b.x0 - a.x1)
    small, big = sorted((a, b), key=lambda line: line.size)
    b_text = b.text
    if b_text.isdigit() and _superscript((b.x0, b.y0, b.x1, b.y1), (a.x0, a.y0, a.x1, a.y1)):
        b_text = SUP_OPEN + b_text + SUP_CLOSE
    elif a.text.isdigit() and _superscript((a.x0, a.y0, a.x1, a.y1), (b.x0, b.y0, b.x1, b.y1)):
        a = replace(a, text=SUP_OPEN + a.text + SUP_CLOSE)
    sep = " " if gap > 0.25 * small.size and not b_text.startswith(SUP_OPEN) else ""
    return Line(
        a.text + sep + b_text,
        min(a.x0, b.x0),
        max(a.x1, b.x1),
        min(a.y0, b.y0),
        max(a.y1, b.y1),
        big.size,
        a.page,
        a.rtl,
    )


# --- page structure: margin notes, footnotes, paragraphs ----------------------------------------

_FOOTNOTE_START = re.compile(f"^{SUP_OPEN}?(\\d{{1,4}}){SUP_CLOSE}?\\s+(\\S.*)$")
_SUP_RUN = re.compile(f"{SUP_OPEN}(\\d+){SUP_CLOSE}")
_SMALL = 0.92  # a line this much smaller than the body text is a note (margin or foot)


@dataclass(frozen=True)
class Block:
    """A line placed on the page: ``kind`` is "body", "margin" (marginal heading) or "note"."""

    line: Line
    kind: str = "body"


def body_size(pages: list[list[Line]]) -> float:
    """The font size that carries most characters of the document (its body text)."""
    weight: dict[float, int] = {}
    for line in (line for page in pages for line in page):
        key = round(line.size * 2) / 2
        weight[key] = weight.get(key, 0) + len(line.text)
    return max(weight, key=lambda k: weight[k]) if weight else 0.0


def structure_page(
    lines: list[Line], body: float, page_width: float
) -> tuple[list[Block], dict[str, str]]:
    """Place marginal headings next to the text they label and pull footnotes out.

    Args:
        lines: The page's lines in pdfium order, running headers and footers already removed.
        body: The document's body font size.
        page_width: Page width in points.

    Returns:
        The page's blocks in reading order, and its footnotes by number.
    """
    if not lines or body == 0 or lines[0].size == 0:
        return [Block(line) for line in lines], {}
    main = [ln for ln in lines if ln.size >= _SMALL * body]
    if not main:
        return [Block(line) for line in lines], {}
    margin = _margin_lines(lines, main, body, page_width)
    notes, note_lines = _footnotes(lines, main, margin, body)
    rest = [ln for ln in lines if id(ln) not in margin and id(ln) not in note_lines]
    return _place_margin(rest, [ln for ln in lines if id(ln) in margin]), notes


def _margin_lines(lines: list[Line], main: list[Line], body: float, width: float) -> set[int]:
    # The text column starts where most body characters start (weighted mode of the left edge);
    # a percentile would be pulled out by a preamble set across the margin.
    starts: dict[int, int] = {}
    for ln in main:
        starts[round(ln.x0)] = starts.get(round(ln.x0), 0) + len(ln.text)
    col0 = max(starts, key=lambda x: starts[x]) - 1
    xs1 = sorted(ln.x1 for ln in main)
    col1 = xs1[(len(xs1) * 9) // 10]
    bottom = min(ln.y0 for ln in main)
    return {
        id(ln)
        for ln in lines
        if ln.size < 0.95 * body
        and ln.y1 > bottom  # small print below all text is footnotes, not marginal headings
        and ln.x1 - ln.x0 < 0.3 * width
        and (ln.x1 < col0 - 1 or ln.x0 > col1 + 1 or _beside_indented_text(ln, main))
    }


def _beside_indented_text(line: Line, main: list[Line]) -> bool:
    """A small line set left of an indented block of text, level with it: the marginal note of
    a section quoted by an amending act, whose text is indented into the page's column (Sri
    Lankan acts: "“Application / of the Act." beside "2A. (1) The provisions ...")."""
    level = [ln for ln in main if _overlap(ln, line) > 0.3 * min(ln.height, line.height)]
    if not level or any(ln.x0 < line.x1 + line.size for ln in level):
        return False
    # Close beside it: a short line of one column level with the text of the next is no note.
    return min(ln.x0 for ln in level) - line.x1 < 6 * line.size


def _overlap(a: Line, b: Line) -> float:
    return min(a.y1, b.y1) - max(a.y0, b.y0)


def _footnotes(
    lines: list[Line], main: list[Line], margin: set[int], body: float
) -> tuple[dict[str, str], set[int]]:
    """Small-print lines below all body lines, starting with a number, are footnotes."""
    bottom = min(ln.y0 for ln in main)
    below = [
        ln
        for ln in lines
        if id(ln) not in margin and ln.size < _SMALL * body and ln.y1 <= bottom + 0.5
    ]
    below.sort(key=lambda ln: (-ln.y1, ln.x0))
    notes: dict[str, str] = {}
    used: set[int] = set()
    current: str | None = None
    for ln in below:
        m = _FOOTNOTE_START.match(ln.text)
        if m:
            current = m.group(1)
            notes[current] = m.group(2)
        elif current is None:
            continue  # small print above the first note (a source line) stays in the text
        else:
            notes[current] = join_text(notes[current], ln.text)
        used.add(id(ln))
    # Small print that merely starts with a number ("2020 REVISED EDITION") is no footnote
    # unless the text above carries a superscript mark with one of its numbers.
    marks = {m.group(1) for ln in lines if id(ln) not in used for m in _SUP_RUN.finditer(ln.text)}
    if not marks & set(notes):
        return {}, set()
    return notes, used


def _place_margin(rest: list[Line], margin: list[Line]) -> list[Block]:
    """Insert each marginal heading (its lines joined) before the text line level with it.

    A heading's lines are stacked in one margin at the pitch of small type: a line joins the
    heading above it in the same margin (the two overlap horizontally) when the gap between
    them is less than 0.7 of a type size (boxes of stacked lines may overlap a little; Swiss
    two-level titles are 0.45 apart). A wider gap (0.76 between two Sri Lankan notes) starts
    the next heading; lines of two margins
    (an amending section's note at the right, the note of the section it inserts at the left)
    are never joined.
    """
    groups: list[list[Line]] = []
    for ln in margin:
        group = next((g for g in reversed(groups) if _same_margin(g[-1], ln)), None)
        if group is not None and -0.5 * ln.size <= group[-1].y0 - ln.y1 < 0.7 * ln.size:
            group.append(ln)
        else:
            groups.append([ln])
    blocks = [Block(ln) for ln in rest]
    for group in groups:
        text = group[0].text
        for ln in group[1:]:
            text = join_text(text, ln.text)
        note = Block(replace(group[0], text=text, y0=group[-1].y0), "margin")
        top = group[0].y1 + 0.5 * group[0].size
        at = next((k for k, b in enumerate(blocks) if b.kind == "body" and b.line.y1 <= top), None)
        blocks.insert(len(blocks) if at is None else at, note)
    return blocks


def _same_margin(a: Line, b: Line) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0


def join_text(a: str, b: str) -> str:
    """Join two wrapped pieces of one paragraph: no space between CJK characters or after a
    hyphen or dash, one space otherwise."""
    if not a or not b:
        return a + b
    if a[-1] in "-–—/\ufffe\u00ad" or (_is_cjk(a[-1]) and _is_cjk(b[0])):
        return a + b
    return a + " " + b


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef"


def resolve_superscripts(text: str, footnotes: set[str]) -> str:
    """Turn marked superscript digit runs into final text.

    At the start of a line a small number is a paragraph number (Swiss "¹ Wer ..."): plain
    digits. A number that labels a footnote of the page becomes a Markdown reference ``[^N]``.
    Any other one is superscript numbering ("205¹") kept as Unicode superscript digits, which
    the segmenter maps to "205.1".
    """

    def render(m: re.Match[str]) -> str:
        digits = m.group(1)
        if m.start() == 0:
            return digits
        if digits in footnotes:
            return f"[^{digits}]"
        return digits.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))

    return _SUP_RUN.sub(render, text)
