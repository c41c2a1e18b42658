"""Safe XML parsing and text helpers shared by the structured XML extractors.

The parser never expands entities, never loads a DTD and never touches the network. A document
that declares entities in its internal DTD subset (the billion-laughs and external-entity
attacks both need one) is refused with ``UnsafeSourceError``: legislation XML has no use for them.
"""

from __future__ import annotations

import html.entities
import re

from lxml import etree

from ingest.errors import SourceParseError, UnsafeSourceError

_SPACES = re.compile(r"\s+")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _refuse_declared_entities(tree: etree._ElementTree) -> None:
    dtd = tree.docinfo.internalDTD
    if dtd is None:
        return
    entities = list(dtd.iterentities())
    if not entities:
        return
    external = [e.name for e in entities if e.system_url]
    if external:
        raise UnsafeSourceError(
            f"XML declares external entities ({', '.join(external[:5])}): refused, because "
            "resolving them would read local files or the network. Remove the DOCTYPE "
            "entity declarations from the file."
        )
    names = ", ".join(e.name for e in entities[:5])
    raise UnsafeSourceError(
        f"XML declares internal entities ({names}): refused, because entity expansion can "
        "explode memory (billion laughs). Remove the DOCTYPE entity declarations from the file."
    )


def parse_xml_safely(data: bytes) -> etree._Element:
    """Parse XML bytes without entity expansion, DTD loading or network access.

    Args:
        data: the raw file (a UTF-8 BOM is accepted).

    Returns:
        The root element.

    Raises:
        UnsafeSourceError: the document declares entities (billion laughs, XXE).
        SourceParseError: the bytes are not well-formed XML.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise SourceParseError("XML file is empty: re-download the source file.")
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        if "entity" in message.lower() and ("loop" in message.lower() or "amplif" in message):
            raise UnsafeSourceError(f"XML entity expansion refused: {message}") from exc
        raise SourceParseError(
            f"malformed XML ({message}): the file is truncated or not XML; re-download it."
        ) from exc
    _refuse_declared_entities(tree)
    return tree.getroot()


def local_name(element: etree._Element) -> str:
    """Tag name without namespace ("" for comments, entities and processing instructions)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def entity_text(element: etree._Element) -> str:
    """Text of an unresolved entity reference: known HTML names become characters, others vanish."""
    name = (element.text or "").strip("&;")
    code = html.entities.name2codepoint.get(name)
    return chr(code) if code else ""


def collapse(text: str) -> str:
    """Collapse runs of whitespace into single spaces and strip the ends."""
    return _SPACES.sub(" ", text).strip()


def inline_text(element: etree._Element | None, skip: frozenset[str] = frozenset()) -> str:
    """All text inside ``element`` (not its tail), whitespace collapsed.

    Args:
        element: the element, or None (gives "").
        skip: local names of descendants to leave out (with their content, not their tail).
    """
    if element is None:
        return ""
    parts: list[str] = []
    _gather(element, skip, parts, top=True)
    return collapse("".join(parts))


def _gather(element: etree._Element, skip: frozenset[str], parts: list[str], top: bool) -> None:
    if element.tag is etree.Entity:
        parts.append(entity_text(element))
    elif isinstance(element.tag, str) and (top or local_name(element) not in skip):
        parts.append(element.text or "")
        for child in element:
            _gather(child, skip, parts, top=False)
            parts.append(child.tail or "")
        return
    # skipped element: its tail is appended by the caller


def join_lines(lines: list[str]) -> str:
    """Join non-empty lines with newlines."""
    return "\n".join(line for line in (collapse(x) for x in lines) if line)
