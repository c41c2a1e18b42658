"""PDF -> text, one line per paragraph or heading.

Engine choice, per page, measured on the page itself:

* pypdfium2 is the default (~700 pages/s). It reads text in content-stream order, which is the
  reading order for almost every legislative PDF, and marks the hyphens it removed at line
  ends (U+FFFE), which makes de-hyphenation exact.
* pdfminer.six (~30 pages/s) re-extracts a page only when pdfium's order is measurably broken:
  the page has two columns (at least 5 lines wholly left and 5 wholly right of the middle)
  and pdfium's line sequence switches between the columns more than 4 times (a correct
  two-column read switches once). None of the 19 corpus PDFs triggers it; the US Code's two
  columns switch once per page.
* Right-to-left pages (Arabic) stay with pdfium, whose bidi pass already gives logical order;
  its two defects there (reversed ligature glyphs, missing word gaps) are repaired per character
  in ``pdf_layout``. pdfminer would give visual order and would need a bidi pass per line.

Then: running headers, footers and page numbers are dropped (``clean.find_running_lines``);
marginal headings are put before the line they stand level with; footnotes become Markdown
footnotes (``[^12]: text``, referenced as ``[^12]``) after the paragraph that runs across the
page end; wrapped lines are joined into paragraphs; NFKC keeps superscript digits.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ingest.clean import BLOCK_START, clean_text, find_running_lines, reorder_visual_line
from ingest.errors import (
    EncryptedSourceError,
    NoTextLayerError,
    SourceParseError,
    UnsafeSourceError,
)
from ingest.formats.pdf_layout import (
    Block,
    Line,
    body_size,
    join_text,
    page_lines,
    resolve_superscripts,
    structure_page,
)
from ingest.records import ExtractedText

MAX_PAGES = 5000  # pages read per document; more is reported, not read
MAX_STREAM_INFLATED = 256 * 2**20  # one Flate stream may not inflate beyond this
MAX_TOTAL_INFLATED = 2 * 2**30
_CLEAN_STEPS = ("line_endings", "soft_hyphens", "control_chars", "nfkc", "whitespace")


def extract_pdf(data: bytes) -> ExtractedText:
    """Extract the text of a PDF.

    Args:
        data: The file's bytes.

    Returns:
        ``ExtractedText`` with one paragraph or heading per line, ``pages`` set, and warnings
        for truncated files, capped page counts, pages without text or re-read with pdfminer.

    Raises:
        EncryptedSourceError: The PDF needs a password.
        NoTextLayerError: No page has a text layer (scanned images): it needs OCR.
        UnsafeSourceError: A compressed stream inflates beyond the memory bound.
        SourceParseError: The bytes are empty, not a PDF, or too damaged to open.
    """
    if not data:
        raise SourceParseError("the PDF file is empty (0 bytes): re-download or re-export it")
    if b"%PDF-" not in data[:1024]:
        raise SourceParseError("not a PDF: the file does not start with a %PDF- header")
    check_inflation(data)
    warnings: list[str] = []
    if b"%%EOF" not in data[-2048:]:
        warnings.append(
            "the PDF has no %%EOF marker: it is probably truncated; text may be missing"
        )
    pdf = _open(data)
    try:
        total = len(pdf)
        pages, widths = _read_pages(pdf, data, min(total, MAX_PAGES), warnings)
    finally:
        pdf.close()
    if total > MAX_PAGES:
        warnings.append(f"the PDF has {total} pages; only the first {MAX_PAGES} were read")
    _check_text_layer(pages, total, warnings)
    text = _assemble(pages, widths)
    return ExtractedText(text=clean_text(text, _CLEAN_STEPS), pages=total, warnings=tuple(warnings))


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise EncryptedSourceError(
                "the PDF is password-protected: ask the publisher for an unprotected copy or "
                "decrypt it, then re-ingest"
            ) from exc
        raise SourceParseError(f"the PDF is damaged and cannot be opened ({exc})") from exc


def check_inflation(
    data: bytes, per_stream: int = MAX_STREAM_INFLATED, total_limit: int = MAX_TOTAL_INFLATED
) -> None:
    """Refuse compression bombs before pdfium inflates them.

    pdfium inflates content streams without a size limit (a 2 MB file holding 2 GB of Flate
    data took 3 GB of memory and 7 s). Every zlib stream is inflated here in bounded chunks,
    counting output only.

    Args:
        data: The PDF's bytes.
        per_stream: Most bytes one stream may inflate to.
        total_limit: Most bytes all streams together may inflate to.

    Raises:
        UnsafeSourceError: A stream inflates beyond ``per_stream`` or all together beyond
            ``total_limit``.
    """
    total = 0
    for match in re.finditer(rb"stream\r?\n", data):
        inflater = zlib.decompressobj()
        produced = 0
        pos = match.end()
        try:
            while not inflater.eof and pos < len(data):
                chunk = inflater.unconsumed_tail or data[pos : pos + 65536]
                if not inflater.unconsumed_tail:
                    pos += 65536
                produced += len(inflater.decompress(chunk, 4 * 2**20))
                if produced > per_stream or total + produced > total_limit:
                    raise UnsafeSourceError(
                        "the PDF holds compressed data that inflates to more than "
                        f"{min(per_stream, total_limit) // 2**20} MiB (a compression bomb?); "
                        "refused"
                    )
        except zlib.error:
            pass  # not a Flate stream (images, encrypted data): pdfium does not inflate these
        total += produced


def _read_pages(
    pdf: pdfium.PdfDocument, data: bytes, count: int, warnings: list[str]
) -> tuple[list[list[Line]], list[float]]:
    pages: list[list[Line]] = []
    widths: list[float] = []
    reread: list[int] = []
    for i in range(count):
        try:
            page = pdf[i]
            widths.append(page.get_width())
            lines = page_lines(page, i)
            page.close()
        except pdfium.PdfiumError as exc:
            warnings.append(f"page {i + 1} could not be read ({exc})")
            pages.append([])
            continue
        sides = column_sides(lines, widths[-1])
        if sides.count("L") < 5 or sides.count("R") < 5:
            lines = reading_order(lines)  # one column: top to bottom is the reading order
        elif sum(a != b for a, b in zip(sides, sides[1:], strict=False)) > 4:
            lines = _pdfminer_page(data, i)
            reread.append(i + 1)
        pages.append(lines)
    if reread:
        warnings.append(f"pages {_ranges(reread)} re-read with pdfminer (two-column order)")
    return pages, widths


def column_sides(lines: list[Line], width: float) -> list[str]:
    """The sequence of column sides ("L"/"R") of the lines lying wholly in one page half.

    A page is two-column when both sides have 5 lines or more. A correct read of such a page
    switches sides once; more than 4 switches means pdfium zig-zags across the columns.
    """
    mid = width / 2
    return [
        "L" if ln.x1 < mid + 5 else "R"
        for ln in lines
        if ln.x1 - ln.x0 > 0.15 * width and (ln.x1 < mid + 5 or ln.x0 > mid - 5)
    ]


def reading_order(lines: list[Line]) -> list[Line]:
    """Sort one-column lines top to bottom; lines sharing a baseline band go by direction.

    pdfium follows the content stream, in which some producers write a title block or the
    footer last or first (e-Gov's Japanese PDFs put the top-of-page block at the end).
    """
    if not lines or not lines[0].size:
        return lines
    ordered = sorted(lines, key=lambda ln: -ln.y1)
    for k in range(1, len(ordered)):  # insertion pass: same band -> by x
        j = k
        while (
            j > 0 and _same_band(ordered[j - 1], ordered[j]) and _before(ordered[j], ordered[j - 1])
        ):
            ordered[j - 1], ordered[j] = ordered[j], ordered[j - 1]
            j -= 1
    return _merge_labels(ordered)


def _merge_labels(lines: list[Line]) -> list[Line]:
    """Join a short number label ("1.", "(a)", "Art. 5") to the text set level with it."""
    out: list[Line] = []
    for ln in lines:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(prev.text) <= 12
            and BLOCK_START.match(prev.text)
            and abs(prev.size - ln.size) <= 0.1 * ln.size  # not a small marginal note
            and ln.x0 - prev.x1 < 6 * ln.size
            and _same_band(prev, ln)
            and _before(prev, ln)
        ):
            out[-1] = replace(
                ln, text=f"{prev.text} {ln.text}", x0=min(prev.x0, ln.x0), x1=max(prev.x1, ln.x1)
            )
        else:
            out.append(ln)
    return out


def _same_band(a: Line, b: Line) -> bool:
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.height, b.height)


def _before(a: Line, b: Line) -> bool:
    return a.x0 > b.x0 if a.rtl else a.x0 < b.x0


def _pdfminer_page(data: bytes, index: int) -> list[Line]:
    """Re-read one page with pdfminer's layout analysis: one line per text box (paragraph)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextBox

    lines: list[Line] = []
    for layout in extract_pages(io.BytesIO(data), page_numbers=[index], laparams=LAParams()):
        for box in layout:
            if isinstance(box, LTTextBox):
                text = ""
                for row in box.get_text().splitlines():
                    text = join_text(text, reorder_visual_line(row.strip()))
                if text:
                    lines.append(Line(text, box.x0, box.x1, box.y0, box.y1, 0.0, index))
    return lines


def _check_text_layer(pages: list[list[Line]], total: int, warnings: list[str]) -> None:
    # A page number or a stamp is not a text layer: a page needs 10 visible characters.
    has_text = [sum(len("".join(ln.text.split())) for ln in page) >= 10 for page in pages]
    if not any(has_text):
        raise NoTextLayerError(
            f"the PDF ({total} pages) has no text layer: it is scanned images and needs OCR "
            "before it can be ingested"
        )
    empty = [i + 1 for i, ok in enumerate(has_text) if not ok]
    if empty:
        warnings.append(f"pages {_ranges(empty)} have no text layer (scanned or blank): OCR needed")


def _ranges(numbers: list[int]) -> str:
    out: list[str] = []
    for n in numbers:
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _assemble(pages: list[list[Line]], widths: list[float]) -> str:
    """Drop running lines, structure each page, join wrapped lines into paragraphs."""
    pages = _drop_running(pages)
    body = body_size(pages)
    paragraphs: list[str] = []
    pending_notes: list[str] = []
    prev: Block | None = None
    prev_edge: float | None = None
    for lines, width in zip(pages, widths, strict=True):
        blocks, notes = structure_page(lines, body, width)
        edges = _right_edges(blocks, width)
        for block in blocks:
            text = resolve_superscripts(block.line.text, set(notes))
            if prev is not None and _continues(prev, block, prev_edge):
                paragraphs[-1] = join_text(paragraphs[-1], text)
            else:
                paragraphs.extend(pending_notes)
                pending_notes = []
                paragraphs.append(text)
            prev, prev_edge = block, edges.get(id(block.line))
        # Notes wait until the paragraph running over the page end is complete.
        pending_notes += [
            f"[^{n}]: {resolve_superscripts(t, set(notes))}" for n, t in notes.items()
        ]
    paragraphs.extend(pending_notes)
    return "\n".join(paragraphs)


def _drop_running(pages: list[list[Line]]) -> list[list[Line]]:
    # Header/footer candidates are the top and bottom lines by position, not by pdfium order
    # (some producers write the footer first).
    ordered = [
        sorted(page, key=lambda ln: -ln.y1) if page and page[0].size else page for page in pages
    ]
    drop = find_running_lines([[ln.text for ln in page] for page in ordered])
    dropped = {id(ordered[p][i]) for p, i in drop}
    return [[ln for ln in page if id(ln) not in dropped] for page in pages]


def _right_edges(blocks: list[Block], width: float) -> dict[int, float]:
    """For each body line, where a full line of its column ends (where it starts, for RTL).

    The edge is a high percentile of the line ends in the line's column: the whole page, or
    its half when the page has two columns (``column_sides``).
    """
    body = [b.line for b in blocks if b.kind == "body" and b.line.size]
    mid = width / 2
    halves = {
        "L": [ln for ln in body if ln.x1 < mid + 5],
        "R": [ln for ln in body if ln.x0 > mid - 5],
    }
    two_columns = len(halves["L"]) >= 5 and len(halves["R"]) >= 5
    edges: dict[int, float] = {}
    for ln in body:
        side = "L" if ln.x1 < mid + 5 else "R" if ln.x0 > mid - 5 else ""
        column = halves[side] if two_columns and side else body
        if ln.rtl:
            starts = sorted(p.x0 for p in column)
            edges[id(ln)] = starts[len(starts) // 10]
        else:
            ends = sorted(p.x1 for p in column)
            edges[id(ln)] = ends[(len(ends) * 9) // 10]
    return edges


def _continues(prev: Block, block: Block, edge: float | None) -> bool:
    """True when ``block`` is the next wrapped line of the paragraph that ``prev`` ends."""
    a, b = prev.line, block.line
    if prev.kind != "body" or block.kind != "body" or edge is None or not a.size or not b.size:
        return False
    if BLOCK_START.match(b.text) or abs(a.size - b.size) > 0.12 * a.size:
        return False
    if "...." in a.text or "…" in a.text:  # a table-of-contents line with a dot leader
        return False
    full = (a.x0 <= edge + 2.5 * a.size) if a.rtl else (a.x1 >= edge - 2.5 * a.size)
    if not full:
        return False
    if a.page == b.page:
        # Loose boxes of consecutive lines may touch or overlap a little.
        return b.y1 < a.y1 and -0.5 * a.size <= a.y0 - b.y1 < 0.9 * a.size
    return b.page == a.page + 1
