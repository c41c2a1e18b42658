"""Extractors for the text formats (PDF, HTML, DOCX, plain text, Markdown) and the dispatcher.

Corpus checks read every pdf/html/docx/txt/md file listed in corpus/SOURCES-MANIFEST.tsv.
Error cases use small files generated here: hand-written PDFs (text, image-only, RC4-encrypted,
two columns written in zig-zag order, 50,000 pages, a Flate bomb), DOCX packages and bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from ingest.clean import clean_text, control_chars, find_running_lines, nfkc, reorder_visual_line
from ingest.errors import (
    EncryptedSourceError,
    NoTextLayerError,
    SourceParseError,
    UnsafeSourceError,
)
from ingest.extract import FORMATS, extract, sniff_format
from ingest.formats.docx import extract_docx
from ingest.formats.html import extract_html
from ingest.formats.pdf import MAX_PAGES, check_inflation, extract_pdf
from ingest.formats.text import extract_md, extract_txt

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
TEXT_FORMATS = {"pdf", "html", "docx", "txt", "md"}


def _manifest_files() -> list[tuple[str, str]]:
    with open(CORPUS / "SOURCES-MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return sorted((r["path"], r["format"]) for r in rows if r["format"] in TEXT_FORMATS)


CORPUS_FILES = _manifest_files()

# Strings a reader must find, as whole lines (^...$ regexes) or substrings.
EXPECTED: dict[str, list[str]] = {
    "che/che-strafgesetzbuch-sr311.0-de.pdf": [
        r"(?m)^Art\. 260ter\b",
        r"(?m)^Art\. 260quinquies\b",
        r"(?m)^Finanzierung des Terrorismus$",
        r"(?m)^\[\^349\]: ",  # Fedlex footnotes become Markdown footnotes
        "Terrorismusfinanzierung lediglich in Kauf",  # de-hyphenated across a line end
    ],
    "are/are-federal-law-7-2014-combating-terrorism-crimes-ar.pdf": [
        "الإرهاب",  # lam-alef ligature in logical order
        "مكافحة الجرائم الإرهابية",  # word gaps restored
        r"(?m)^المادة \(1\)$",
    ],
    "are/are-federal-law-7-2014-combating-terrorism-crimes-en.pdf": ["terrorist"],
    "jpn/jpn-act-67-2002-punishment-financing-public-intimidation-ja.pdf": [
        r"(?m)^第一条 この法律において",
        "外国の政府若しくは地方公共団体又は条約",  # wrapped CJK lines joined without spaces
    ],
    "jpn/jpn-act-124-2014-international-terrorist-asset-freezing-ja.pdf": [
        r"(?m)^第一条 この法律は",
        "国際連合安全保障理事会決議第千三百七十三号",
    ],
    "usa/usc-18-2339A-2024.pdf": [r"(?m)^§ 2339A\. Providing material support to terrorists$"],
    "usa/usc-18-2339B-2024.pdf": [r"(?m)^§ 2339B\. Providing material support or resources"],
    "usa/usc-18-2339C-2024.pdf": [r"(?m)^§ 2339C\. Prohibitions against the financing"],
    "lka/lka-suppression-of-terrorist-bombings-act-11-1999.pdf": [
        r"(?m)^3\. \(1\) Any person who unlawfully and intentionally",
        r"(?m)^Short title and date of operation\.$",
    ],
    "sgp/sgp-terrorism-suppression-of-financing-act-2002.pdf": [r"(?m)^PART 3$"],
    "gbr/gbr-terrorism-act-2000-revised-text.txt": [
        r"(?m)^15 Fund-raising\.$",
        "An Act to make provision about terrorism; and to make temporary provision for "
        "Northern Ireland",
    ],
    "rus/rus-criminal-code-ugolovnyi-kodeks-102041891.html": [
        r"(?m)^Статья 205\. Террористический акт$",
        r"(?m)^Статья 205¹\. Содействие террористической деятельности$",
        "№ 77-ФЗ",
    ],
    "intl/un-1999-convention-suppression-financing-terrorism-en.html": [
        r"(?m)^Article 2$",
        r"(?m)^1\. “Funds” means assets of every kind",
    ],
    "aus/aus-charter-of-the-united-nations-act-1945-comp15.docx": [
        r"(?m)^## Part 1—Preliminary$",
        r"(?m)^##### 1 Short title$",
        r"(?m)^\(a\) proscribing persons or entities;$",
    ],
    "aus/aus-aml-ctf-act-2006-comp-2026-07-01.docx": [r"(?m)^##### 1 Short title$"],
    "est/est-karistusseadustik-184411.md": [r"(?m)^##### § 237¹\. Terroristlik ühendus$"],
    "deu/deu-strafgesetzbuch-stgb.md": [r"(?m)^#+ § 89a\b"],
    "nld/nld-wetboek-van-strafrecht-BWBR0001854.md": [r"(?m)^## Wet van 3 maart 1881$"],
    "kor/kor-terror-prevention-act-enforcement-decree-excerpt.md": [
        r"(?m)^2\. 「지방공기업법」",  # an escaped "2\." on a wrapped line stays its own line
    ],
}
EXPECTED_TITLES = {
    "cze/cze-zakon-40-2009-trestni-zakonik.md": "Zákon trestní zákoník",
    "deu/deu-strafgesetzbuch-stgb.md": "Strafgesetzbuch",
}
_LEFTOVER_MARKUP = re.compile(r"\*\*|\]\(https?:|</?(?:sup|sub|span|p|div|br)\b|\ufffe|\x02|\ue000")


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, object]:
    return {path: extract((CORPUS / "raw" / path).read_bytes(), fmt) for path, fmt in CORPUS_FILES}


def test_manifest_lists_every_text_format_file():
    counts = {fmt: sum(1 for _, f in CORPUS_FILES if f == fmt) for fmt in TEXT_FORMATS}
    assert counts == {"pdf": 19, "html": 2, "docx": 2, "txt": 1, "md": 54}


@pytest.mark.slow  # the whole corpus: ~15 s on an idle 2-core machine
@pytest.mark.parametrize("path", [p for p, _ in CORPUS_FILES])
def test_corpus_file_extracts_clean_text(path, corpus_texts):
    result = corpus_texts[path]
    raw_size = (CORPUS / "raw" / path).stat().st_size
    assert len(result.text) > 1000, "text is trivially short"
    if path.endswith((".md", ".txt", ".html")):
        assert len(result.text.encode("utf-8")) > 0.2 * raw_size, "most of the text went missing"
    assert not _LEFTOVER_MARKUP.search(result.text), _LEFTOVER_MARKUP.search(result.text)
    assert "\n\n\n" not in result.text
    assert result.text.count("\ufffd") < 5
    for pattern in EXPECTED.get(path, []):
        assert re.search(pattern, result.text), f"{pattern!r} not found"
    if path in EXPECTED_TITLES:
        assert result.title == EXPECTED_TITLES[path]
    if path.endswith(".pdf"):
        assert result.pages and result.pages > 0


@pytest.mark.slow
def test_running_headers_and_page_numbers_are_gone(corpus_texts):
    che = corpus_texts["che/che-strafgesetzbuch-sr311.0-de.pdf"].text
    assert not re.search(r"(?m)^\d+ / 198$", che)
    assert not re.search(r"(?m)^Schweizerisches Strafgesetzbuch$", che)
    usc = corpus_texts["usa/usc-18-2339B-2024.pdf"].text
    assert "TITLE 18—CRIMES AND CRIMINAL PROCEDURE" not in usc


# --- PDF files built by hand ---------------------------------------------------------------


def _pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _text_pdf(pages: list[list[tuple[float, float, str]]], size: int = 11) -> bytes:
    """A PDF whose pages show (x, y, text) lines in Helvetica, in the order given."""
    n = len(pages)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n)).encode()
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n))
    font_ref = 3 + 2 * n
    for i, lines in enumerate(pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font_ref)
        )
        ops = b"".join(
            b"BT /F1 %d Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, text.encode("latin-1"))
            for x, y, text in lines
        )
        objects.append(_stream(ops))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objects)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """Standard security handler, revision 2 (RC4, 40 bits), PDF 1.7 §7.6.3 algorithms 2-4."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    owner_key = hashlib.md5((owner + pad)[:32]).digest()[:5]
    o_entry = _rc4(owner_key, (user + pad)[:32])
    file_id = b"0123456789abcdef"
    perms = -44
    key = hashlib.md5((user + pad)[:32] + o_entry + struct.pack("<i", perms) + file_id).digest()[:5]
    u_entry = _rc4(key, pad)
    content = b"BT /F1 12 Tf 72 720 Td (Secret text) Tj ET"
    object_key = hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\x00\x00").digest()[:10]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(_rc4(object_key, content)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (o_entry.hex().encode(), u_entry.hex().encode(), perms),
    ]
    ident = file_id.hex().encode()
    return _pdf(objects, b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (ident, ident))


def _image_pdf() -> bytes:
    pixels = bytes(range(256)) * 64  # a 128x128 grey ramp
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        _stream(b"q 400 0 0 400 100 200 cm /Im1 Do Q"),
        _stream(
            pixels,
            b"/Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 ",
        ),
    ]
    return _pdf(objects)


def test_text_pdf_paragraphs_headers_and_hyphens():
    words = ["money", "property", "funds"]

    def body(n: int) -> list[tuple[float, float, str]]:
        return [
            (72, 700, f"Section {5 * n}"),
            (
                72,
                686,
                f"A person commits an offence if he invites another to provide {words[n - 1]}",
            ),
            (72, 672, "or other property, and intends that it should be used for the purposes of"),
            (72, 658, "terrorism."),
            (72, 630, f"{5 * n + 1}. Use and possession."),
            (72, 600, f"Closing words about {words[n - 1]} on the page"),
            (72, 586, f"about {words[n - 1]}."),
        ]

    pages = [[(250, 760, "Terrorism Act 2000"), *body(n), (290, 40, str(n))] for n in (1, 2, 3)]
    result = extract_pdf(_text_pdf(pages))
    assert result.pages == 3
    lines = result.text.split("\n")
    assert "Terrorism Act 2000" not in lines  # running header
    assert not any(line.strip().isdigit() for line in lines)  # page numbers
    assert lines[:5] == [
        "Section 5",
        "A person commits an offence if he invites another to provide money or other "
        "property, and intends that it should be used for the purposes of terrorism.",
        "6. Use and possession.",
        "Closing words about money on the page",
        "about money.",
    ]


def test_zigzag_two_column_page_is_reread_with_pdfminer():
    left = [f"Left column line {i} of the first column text" for i in range(8)]
    right = [f"Right column line {i} of the second column text" for i in range(8)]
    zigzag = []
    for i in range(8):  # content stream alternates: left line, right line, ...
        zigzag += [(40, 700 - 14 * i, left[i]), (320, 693 - 14 * i, right[i])]
    result = extract_pdf(_text_pdf([zigzag], size=9))
    assert any("re-read with pdfminer" in w for w in result.warnings)
    text = result.text
    assert text.index("Left column line 7") < text.index("Right column line 0")


def test_encrypted_pdf_is_refused_with_advice():
    data = _encrypted_pdf()
    # The fixture is a real encrypted PDF: the right password opens it.
    with pdfium.PdfDocument(data, password="secret") as pdf:
        assert "Secret text" in pdf[0].get_textpage().get_text_range()
    with pytest.raises(EncryptedSourceError, match="password-protected.*re-ingest"):
        extract_pdf(data)


def test_image_only_pdf_needs_ocr():
    with pytest.raises(NoTextLayerError, match="OCR"):
        extract_pdf(_image_pdf())


def test_empty_corrupt_and_truncated_pdfs():
    with pytest.raises(SourceParseError, match="empty"):
        extract_pdf(b"")
    with pytest.raises(SourceParseError, match="damaged"):
        extract_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(SourceParseError, match="not a PDF"):
        extract_pdf(b"\x00\x17garbage" * 100)
    whole = (CORPUS / "raw" / "usa" / "usc-18-2339A-2024.pdf").read_bytes()
    result = extract_pdf(whole[: len(whole) * 2 // 3])  # pdfium recovers what it can
    assert any("truncated" in w for w in result.warnings)


def test_huge_page_count_is_capped():
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"
    first = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    count = 50_000
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(count - 1))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R %s] /Count %d >>" % (kids, count),
        first,
        _stream(b"BT /F1 12 Tf 72 720 Td (A stub with very many empty pages) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + [page] * (count - 1)
    result = extract_pdf(_pdf(objects))
    assert result.pages == count
    assert f"only the first {MAX_PAGES} were read" in " ".join(result.warnings)
    assert "A stub with very many empty pages" in result.text


def test_flate_bomb_is_refused():
    packer = zlib.compressobj(1)
    zeros = b"\x00" * 2**20
    bomb = b"".join(packer.compress(zeros) for _ in range(300)) + packer.flush()  # 300 MiB
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        _stream(bomb, b"/Filter /FlateDecode "),
    ]
    with pytest.raises(UnsafeSourceError, match="compression bomb"):
        extract_pdf(_pdf(objects))
    small = zlib.compress(b" " * 4096)
    check_inflation(b"stream\n" + small, per_stream=8192)  # within bounds: no error
    with pytest.raises(UnsafeSourceError):
        check_inflation(b"stream\n" + small, per_stream=1024)


# --- HTML, DOCX, text, Markdown ------------------------------------------------------------


def test_html_blocks_superscripts_and_dropped_elements():
    page = (
        "<html><head><title>Criminal Code of Somewhere</title>"
        "<style>.W9 { vertical-align: super; }</style><script>var x = 1;</script></head>"
        "<body><nav>Home | Laws</nav><h2>Chapter 24</h2>"
        "<p>Статья 205<span class='W9'>1</span>. Содействие</p>"
        "<p>Article 3<sup>2</sup> text<br>next line</p>"
        "<table><tr><td>a</td><td>b</td></tr></table></body></html>"
    ).encode()
    result = extract_html(page)
    assert result.text.split("\n") == [
        "## Chapter 24",
        "Статья 205¹. Содействие",
        "Article 3² text",
        "next line",
        "a | b",
    ]
    assert result.title == "Criminal Code of Somewhere"


def test_html_encoding_from_meta_and_bom():
    latin = '<html><head><meta charset="windows-1251"></head><body><p>Статья 1</p></body></html>'
    assert extract_html(latin.encode("cp1251")).text == "Статья 1"
    utf16 = "\ufeff<html><body><p>Artículo 1º</p></body></html>".encode("utf-16-le")
    assert extract_html(utf16).text == "Artículo 1º"


def _docx(paragraphs: list[tuple[str | None, str]], superscript_run: str = "") -> bytes:
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    if superscript_run:
        para = document.add_paragraph("Article 205")
        para.add_run(superscript_run).font.superscript = True
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Item", "Penalty"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_headings_tables_and_superscripts():
    data = _docx([("Heading 1", "Part 1—Preliminary"), (None, "\t(a)\tfirst item")], "1")
    assert extract_docx(data).text.split("\n") == [
        "# Part 1—Preliminary",
        "(a) first item",
        "Article 205¹",
        "Item | Penalty",
    ]


def test_docx_errors():
    with pytest.raises(SourceParseError, match="empty"):
        extract_docx(b"")
    with pytest.raises(SourceParseError, match="not a ZIP"):
        extract_docx(b"plain words, no package")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(SourceParseError, match="word/document.xml"):
        extract_docx(buffer.getvalue())
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + bytes(64)
    with pytest.raises(EncryptedSourceError):
        extract_docx(ole)


def test_text_decoding_bom_invalid_utf8_and_binary():
    utf16 = "\ufeffSection 1\r\nText with ü\r\n".encode("utf-16-le")
    assert extract_txt(utf16).text == "Section 1\nText with ü"
    broken = "Článek 1\nText ".encode() + b"\xff\xfe" + " více textu\n".encode()
    result = extract_txt(broken)
    assert result.text.startswith("Článek 1\nText \ufffd")
    assert any("invalid UTF-8" in w for w in result.warnings)
    cp1251 = "Статья 1. Террористический акт\n".encode("cp1251") * 20
    assert extract_txt(cp1251).text.startswith("Статья 1. Террористический акт")
    with pytest.raises(SourceParseError, match="not a text file"):
        extract_txt(bytes(range(256)) * 20)
    with pytest.raises(SourceParseError, match="empty"):
        extract_txt(b"")


def test_markdown_rendering():
    source = (
        '---\ntitle: "Trestní zákoník"\nlast_updated: 2026-01-01\n---\n\n'
        "# Trestní zákoník\n\n##### § 237<sup>1</sup>. **Teroristlik** ühendus\n\n"
        "See [section 5](https://example.org/5) and __this__.\n"
        "15\\. Not a list\n\n1. A numbered item\n2. Another\n\n"
        "Text with a note[^1].\n\n[^1]: The note.\n\n\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    )
    result = extract_md(source.encode())
    assert result.title == "Trestní zákoník"
    assert result.text.split("\n") == [
        "# Trestní zákoník",
        "",
        "##### § 237¹. Teroristlik ühendus",
        "",
        "See section 5 and this.",
        "15. Not a list",
        "",
        "1. A numbered item",
        "2. Another",
        "",
        "Text with a note[^1].",
        "",
        "[^1]: The note.",
        "",
        "a | b",
        "1 | 2",
    ]


# --- cleaning helpers ----------------------------------------------------------------------


def test_nfkc_keeps_superscripts_ordinals_and_circled_numbers():
    assert nfkc("Статья 205¹ ﬁnal Artículo 1º ① № ＡＢ") == "Статья 205¹ final Artículo 1º ① № AB"


def test_clean_text_steps_by_name():
    assert (
        clean_text(
            "a\r\nter\ufffe\nrorism  x\n\n\n\nb",
            ("line_endings", "soft_hyphens", "whitespace", "blank_lines"),
        )
        == "a\nterrorism x\n\nb"
    )
    with pytest.raises(ValueError, match="valid steps: line_endings"):
        clean_text("x", ("nfkc", "no_such_step"))


def test_running_lines_keep_article_headings():
    pages = [["Code 2000", f"Art. {3 * p + 1}", "text", f"- {p + 1} -"] for p in range(6)]
    drop = find_running_lines(pages)
    assert {(p, 0) for p in range(6)} <= drop and {(p, 3) for p in range(6)} <= drop
    assert not any(i == 1 for _, i in drop)


def test_visual_order_arabic_line():
    # pdfminer gives Arabic as painted, left to right: "( 2 ) ةداملا" reads "المادة (2)".
    assert reorder_visual_line("(2) ةداملا") == "المادة (2)"


# --- dispatcher ----------------------------------------------------------------------------


def test_every_corpus_file_matches_its_declared_format():
    with open(CORPUS / "SOURCES-MANIFEST.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:  # all formats, xml and json included (BOMs, HTML quoted inside JSON)
        assert sniff_format((CORPUS / "raw" / row["path"]).read_bytes(), row["format"])


def test_extract_dispatches_and_rejects_mismatches():
    pdf = _text_pdf([[(72, 700, "Article 1 Scope")]])
    assert extract(pdf, ".PDF").text == "Article 1 Scope"
    assert extract(b"<html><body><p>Article 2</p></body></html>", "htm").text == "Article 2"
    with pytest.raises(SourceParseError, match="declared html but its bytes are a PDF"):
        extract(pdf, "html")
    with pytest.raises(SourceParseError, match="declared pdf but its bytes are HTML"):
        extract(b"<!DOCTYPE html><html><body>x</body></html>", "pdf")
    with pytest.raises(SourceParseError, match="declared pdf but its bytes are binary data"):
        sniff_format(bytes(range(256)) * 8, "pdf")
    with pytest.raises(SourceParseError, match="declared html but its bytes are binary"):
        sniff_format(b"\x01\x02\x03\x00" * 300, "html")
    with pytest.raises(SourceParseError, match="valid formats: " + ", ".join(FORMATS)):
        extract(b"x", "rtf")
    with pytest.raises(SourceParseError, match="empty"):
        extract(b"", "md")


def test_greek_annexes_are_their_own_branch_and_unmapped_glyphs_are_dropped():
    """Law 4557/2018 ends with ΠΑΡΑΡΤΗΜΑ Ι (a Greek capital iota as the roman one) and
    ΠΑΡΑΡΤΗΜΑ II; its art. 67 reproduces a property table whose PDF font had no Unicode map."""
    from ingest.segment import segment

    extracted = extract_md(
        (CORPUS / "raw" / "grc" / "grc-n-4557-2018-aml-cft-fek-a-139-2018-el.md").read_bytes()
    )
    assert "(cid:" not in extracted.text
    drafts = {d.eid: d for d in segment(extracted.text, language="el", country="GRC")}
    assert drafts["annex_I"].label == "ΠΑΡΑΡΤΗΜΑ Ι" and drafts["annex_I"].number == "I"
    assert drafts["annex_II"].kind == "annex"
    article_67 = drafts["part_2__chp_2__art_67"]
    assert len(article_67.text) < 20_000  # was 203,845 characters with both annexes inside
    assert "2015/849" not in article_67.text  # the annex I heading cites the directive
    assert clean_text("a (cid:20)(cid:3)b") == "a b"


def test_c1_controls_are_read_as_windows_1252_punctuation() -> None:
    """U+0080-U+009F never occur in legal text: they are cp1252 bytes decoded as Latin-1 (the
    Costa Rican law 8204 records print "ARTÍCULO 2. \x97El comercio")."""
    assert (
        control_chars("ARTÍCULO 2. \x97El \x93comercio\x94\u200b") == "ARTÍCULO 2. —El “comercio”"
    )
    assert control_chars("a\x81b\x07c") == "abc"  # no cp1252 character: dropped as before
