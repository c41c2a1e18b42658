"""XML sources: parse safely, recognise the schema, hand over to its extractor.

Recognised: Justice Canada XML (``Bill``, ``Statute``, ``Regulation`` roots), Finlex Akoma Ntoso
(AKN with the Finlex namespace) and other Akoma Ntoso. Any other XML gives its text without
provisions, so the text segmenter can split it.
"""

from __future__ import annotations

from lxml import etree

from ingest.formats.akn import extract_akn, is_akn
from ingest.formats.finlex import extract_finlex, is_finlex
from ingest.formats.justice_canada import ROOT_TAGS, extract_justice_canada
from ingest.formats.xml_support import inline_text, local_name, parse_xml_safely
from ingest.records import ExtractedText

_BLOCK_HINTS = frozenset({"p", "para", "paragraph", "section", "article", "div", "title", "li"})


def sniff_schema(root: etree._Element) -> str:
    """Name the schema of a parsed document: justice_canada, finlex, akn or generic."""
    if local_name(root) in ROOT_TAGS:
        return "justice_canada"
    if is_akn(root):
        return "finlex" if is_finlex(root) else "akn"
    return "generic"


def _generic_text(root: etree._Element) -> str:
    lines: list[str] = []
    for element in root.iter():
        name = local_name(element)
        if name in _BLOCK_HINTS or name.lower() in _BLOCK_HINTS:
            text = inline_text(element)
            if text and not any(local_name(c) in _BLOCK_HINTS for c in element):
                lines.append(text)
    return "\n".join(lines) or inline_text(root)


def extract_xml(data: bytes) -> ExtractedText:
    """Extract an XML legislation file.

    Args:
        data: the raw bytes of the file.

    Returns:
        ExtractedText; structured schemas fill ``provisions``, unknown XML gives text only.

    Raises:
        UnsafeSourceError: the file declares entities (billion laughs, external entities).
        SourceParseError: the file is not well-formed XML.
    """
    root = parse_xml_safely(data)
    schema = sniff_schema(root)
    if schema == "justice_canada":
        return extract_justice_canada(root)
    if schema == "finlex":
        return extract_finlex(root)
    if schema == "akn":
        return extract_akn(root)
    return ExtractedText(
        text=_generic_text(root),
        warnings=(f"unrecognised XML schema (root <{local_name(root)}>): text only",),
    )
