"""bytes -> ExtractedText, dispatching on the declared format after checking the bytes match it."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from ingest.errors import SourceParseError
from ingest.records import ExtractedText

FORMATS = ("pdf", "html", "docx", "txt", "md", "xml", "json")
_ALIASES = {"htm": "html", "xhtml": "html", "markdown": "md", "text": "txt", "jsonl": "json"}
# What the bytes may be for each declared format (see ``detect_kind``).
_ACCEPTS = {
    "pdf": {"pdf"},
    "docx": {"docx"},
    "html": {"html", "xml", "text"},
    "xml": {"xml", "html"},
    "json": {"json"},
    "txt": {"text", "html", "xml", "json"},
    "md": {"text", "html", "xml", "json"},
}
_KIND_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word (.docx) document",
    "zip": "a ZIP archive",
    "ole": "an old binary Office file (.doc/.xls) or an encrypted Office file",
    "image": "an image",
    "gzip": "a gzip archive",
    "binary": "binary data",
    "html": "HTML",
    "xml": "XML",
    "json": "JSON",
    "text": "plain text",
}
_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
    (b"II*\x00", "image"),
    (b"MM\x00*", "image"),
    (b"\x1f\x8b", "gzip"),
)
_HTML_HINT = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<p[\s>]|<div[\s>]", re.I
)


def normalize_format(fmt: str) -> str:
    """Lower-case a declared format, drop a leading dot and map aliases ("htm" -> "html").

    Raises:
        SourceParseError: The format is not one of ``FORMATS``; the message lists them.
    """
    name = fmt.strip().lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in FORMATS:
        raise SourceParseError(f"unknown format {fmt!r}; valid formats: {', '.join(FORMATS)}")
    return name


def detect_kind(data: bytes) -> str:
    """Classify bytes by their content: pdf, docx, zip, ole, image, gzip, binary, html, xml,
    json or text."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "zip" and b"word/document.xml" in data:
                return "docx"
            return kind
    head = data[:4096]
    boms = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"))
    for bom, encoding in (*boms, (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode("utf-8")
            break
    else:
        if b"\x00" in head:
            return "binary"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls > max(2, len(head) // 100):
        return "binary"
    stripped = head.lstrip()
    # Declarations first: JSON and XML may quote HTML inside.
    if stripped.startswith(b"<?xml"):
        return "xml"
    if stripped[:1] in (b"{", b"["):
        return "json"
    if _HTML_HINT.search(head):
        return "html"
    if re.match(rb"<[A-Za-z_][\w:.-]*[\s>/]", stripped):
        return "xml"
    return "text"


def sniff_format(data: bytes, declared: str) -> str:
    """Check that ``data`` really is what ``declared`` says, and return the normalised format.

    Args:
        data: The file's bytes.
        declared: The format from the manifest or the file extension.

    Returns:
        The declared format, normalised (``"htm"`` -> ``"html"``).

    Raises:
        SourceParseError: Unknown format, empty file, or bytes of another kind (a PDF named
            .html, binary data named .pdf, ...); the message names both.
    """
    fmt = normalize_format(declared)
    if not data or not data.strip():
        raise SourceParseError(f"the {fmt} file is empty (0 bytes of content)")
    kind = detect_kind(data)
    if kind not in _ACCEPTS[fmt]:
        raise SourceParseError(
            f"the file is declared {fmt} but its bytes are {_KIND_NAMES[kind]}: fix the "
            "manifest format or replace the file"
        )
    return fmt


def _extractor(fmt: str) -> Callable[[bytes], ExtractedText]:
    # Imported lazily: each format pulls in its own libraries, and xml/json_law are written
    # in parallel by another engineer.
    if fmt == "pdf":
        from ingest.formats.pdf import extract_pdf

        return extract_pdf
    if fmt == "html":
        from ingest.formats.html import extract_html

        return extract_html
    if fmt == "docx":
        from ingest.formats.docx import extract_docx

        return extract_docx
    if fmt in ("txt", "md"):
        from ingest.formats import text

        return text.extract_txt if fmt == "txt" else text.extract_md
    if fmt == "xml":
        from ingest.formats.xml import extract_xml

        return extract_xml
    from ingest.formats.json_law import extract_json_law

    return extract_json_law


def extract(data: bytes, fmt: str) -> ExtractedText:
    """Extract text (or structured provisions) from a source file.

    Args:
        data: The file's bytes.
        fmt: Its declared format: one of ``FORMATS`` (aliases such as "htm" accepted).

    Returns:
        The extractor's ``ExtractedText``.

    Raises:
        SourceParseError: (or a subclass) when the format is unknown, the bytes do not match
            it, or the file cannot be read; the message says what to do next.
    """
    return _extractor(sniff_format(data, fmt))(data)
