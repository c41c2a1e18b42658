"""Akoma Ntoso (AKN 3.0) documents: hierarchy elements become provisions.

Containers (book, part, title, chapter, division...) carry a heading and no text; citable units
(article, section, rule, and numbered top-level ``point`` elements as the Israeli national
profile uses them for sections) carry their own text with every sub-level joined in. A unit
element that holds other units (the Israeli ``section`` = "סימן" groups sections) is treated
as a container. Side notes in ``heading`` become headings; other ``authorialNote`` and
``wikicomment`` elements (editorial remarks) go to ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pycountry
from lxml import etree

from ingest.formats.provision_builder import ProvisionBuilder, full_text
from ingest.formats.xml_support import collapse, entity_text, inline_text, local_name
from ingest.numbering import normalise_number
from ingest.records import ExtractedText

AKN_NAMESPACES = frozenset(
    {
        "http://docs.oasis-open.org/legaldocml/ns/akn/3.0",
        "http://docs.oasis-open.org/legaldocml/ns/akn/3.0/WD17",
        "http://www.akomantoso.org/2.0",
    }
)
CONTAINERS = {
    "book": "book",
    "part": "part",
    "subpart": "subpart",
    "title": "title",
    "chapter": "chapter",
    "subchapter": "subchapter",
    "division": "division",
    "subdivision": "subdivision",
}
UNITS = {"article": "article", "section": "section", "rule": "rule", "regulation": "rule"}
ATTACHMENTS = {
    "attachment": "annex",
    "annex": "annex",
    "appendix": "schedule",
    "schedule": "schedule",
}
_NOTE_TAGS = frozenset({"authorialNote", "wikicomment", "note", "noteRef", "eol", "eop"})
_SKIP = frozenset({"meta", "num", "heading", "subheading", "conclusions", "components"})
_BLOCKS = frozenset(
    {"p", "content", "intro", "wrapup", "list", "blockList", "item", "point", "paragraph"}
    | {"subparagraph", "subsection", "clause", "subclause", "indent", "alinea", "level"}
    | {"hcontainer", "blockContainer", "block", "table", "tr", "num", "heading", "subheading"}
    | {"section", "article", "tblock", "ul", "ol", "li", "listIntroduction", "listWrapUp"}
    | {"crossHeading", "subtitle", "title", "formula", "longTitle", "container", "div"}
)


@dataclass(frozen=True)
class AknProfile:
    """National variations of Akoma Ntoso that change how elements are read."""

    point_kind: str = "section"  # kind of a numbered top-level point (Israel: סעיף)
    skip_hcontainers: frozenset[str] = frozenset()  # hcontainer @name values to leave out
    skip_classes: frozenset[str] = field(default_factory=lambda: frozenset({"omission"}))


def is_akn(root: etree._Element) -> bool:
    """True when the root is an Akoma Ntoso document."""
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace = tag[1:].split("}", 1)[0] if tag.startswith("{") else ""
    return local_name(root) == "akomaNtoso" or namespace in AKN_NAMESPACES


def _is_marker(element: etree._Element) -> bool:
    """A short printed marker such as "(בוטל)" (repealed) stays in the text; other notes do not."""
    text = inline_text(element)
    return local_name(element) == "wikicomment" and len(text) <= 20 and text.startswith("(")


def _is_empty_separator(element: etree._Element) -> bool:
    """An empty element (no text, no children) other than a bare definition marker."""
    name = local_name(element)
    return bool(name) and name not in {"def", "term"} and not len(element) and not element.text


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if local_name(c) == name]


def _first(element: etree._Element, name: str) -> etree._Element | None:
    found = _children(element, name)
    return found[0] if found else None


class _Reader:
    def __init__(self, builder: ProvisionBuilder, profile: AknProfile) -> None:
        self.builder = builder
        self.profile = profile
        self.title: str | None = None
        self.loose: list[str] = []  # text outside provisions (entry into force, signatures)
        self.last_unit: str | None = None

    # ---- text rendering -------------------------------------------------------------
    def inline(self, element: etree._Element, notes: list[str]) -> str:
        parts: list[str] = [element.text or ""]
        for child in element:
            name = local_name(child)
            if child.tag is etree.Entity:
                parts.append(entity_text(child))
            elif name in _NOTE_TAGS and not _is_marker(child):
                notes.append(inline_text(child))
            elif name == "br" or _is_empty_separator(child):
                parts.append(" ")  # <br/>, <מפריד/> and other empty separators
            elif name:
                parts.append(self.inline(child, notes))
            parts.append(child.tail or "")
        return collapse("".join(parts))

    def render(self, element: etree._Element, notes: list[str]) -> list[str]:
        name = local_name(element)
        if not name or element.get("class") in self.profile.skip_classes:
            return []
        if name in _NOTE_TAGS and not _is_marker(element):
            notes.append(inline_text(element))
            return []
        if name == "hcontainer" and element.get("name") in self.profile.skip_classes:
            return []
        if name == "tr":
            return [" | ".join(self.inline(c, notes) for c in element if local_name(c))]
        if not any(local_name(c) in _BLOCKS for c in element):
            return [self.inline(element, notes)]
        lines: list[str] = []
        for child in element:
            child_name = local_name(child)
            if child_name in {"num", "heading"}:
                continue
            lines += self.render(child, notes)
        heading = _first(element, "heading")
        if heading is not None and inline_text(heading):
            lines.insert(0, inline_text(heading))
        num = inline_text(_first(element, "num"))
        if num and lines:
            lines[0] = f"{num} {lines[0]}"
        elif num:
            lines = [num]
        return [line for line in lines if line]

    # ---- structure ------------------------------------------------------------------
    def holds_units(self, element: etree._Element) -> bool:
        for descendant in element.iterdescendants():
            name = local_name(descendant)
            if name in UNITS or name in CONTAINERS and _first(descendant, "num") is not None:
                return True
            if name == "point" and inline_text(_first(descendant, "heading")):
                return True
        return False

    def heading_of(self, element: etree._Element) -> tuple[str, str | None]:
        """(label, heading) from num/heading/title children; "Part 4: Terror –" splits at ':'."""
        label = inline_text(_first(element, "num")).strip()
        extra = ""
        if ":" in label:
            label, extra = (x.strip() for x in label.split(":", 1))
        heading_el = _first(element, "heading")
        title_el = _first(element, "title")
        heading = inline_text(heading_el) if heading_el is not None else ""
        if not heading and title_el is not None:
            heading = inline_text(title_el)
        heading = " ".join(x for x in (extra, heading) if x).strip()
        return label.rstrip(".:"), heading or None

    def walk(self, element: etree._Element, parent: str | None, prefix: str | None) -> None:
        for child in element:
            self.visit(child, parent, prefix)

    def visit(self, child: etree._Element, parent: str | None, prefix: str | None) -> None:
        name = local_name(child)
        if not name or name in _SKIP or child.get("class") in self.profile.skip_classes:
            return
        if name == "hcontainer" and child.get("name") in self.profile.skip_hcontainers:
            self.loose += self.render(child, [])
            return
        if name == "title" and _first(child, "num") is None and _first(child, "heading") is None:
            self.title = self.title or inline_text(child)
            return
        if name in CONTAINERS or name in UNITS and self.holds_units(child):
            self.container(child, CONTAINERS.get(name, "division"), parent, prefix)
        elif name in UNITS:
            self.unit(child, UNITS[name], parent, prefix)
        elif (
            name == "point"
            and _first(child, "num") is not None
            and inline_text(_first(child, "num"))
        ):
            self.unit(child, self.profile.point_kind, parent, prefix)
        elif name == "point" and self.last_unit:
            notes: list[str] = []  # an unnumbered point continues the previous section
            self.builder.append_text(self.last_unit, "\n".join(self.render(child, notes)))
            for note in notes:
                self.builder.add_note(self.last_unit, note)
        elif name in {"preamble", "formula"}:
            self.preamble(child)
        elif name == "preface":
            self.title = self.title or inline_text(_first_desc(child, "docTitle")) or None
        elif name in ATTACHMENTS:
            self.attachment(child, ATTACHMENTS[name], parent, prefix)
        else:
            self.walk(child, parent, prefix)

    def container(self, element: etree._Element, kind: str, parent, prefix) -> None:
        label, heading = self.heading_of(element)
        number = normalise_number(label) or None
        eid = self.builder.add(
            kind, number, label=label, heading=heading, parent_eid=parent, eid_parent=prefix
        )
        self.walk(element, eid, eid if number else prefix)

    def unit(self, element: etree._Element, kind: str, parent, prefix) -> None:
        label, heading = self.heading_of(element)
        notes: list[str] = []
        lines: list[str] = []
        for child in element:
            if local_name(child) not in {"num", "heading", "title"}:
                lines += self.render(child, notes)
        text = "\n".join(lines)
        if not text.strip() and notes:
            text, notes = "\n".join(notes), []  # e.g. "(בוטל)": the note is all there is
        self.last_unit = self.builder.add(
            kind,
            normalise_number(label) or None,
            label=label,
            heading=heading,
            text=text,
            parent_eid=parent,
            eid_parent=prefix,
            notes=notes,
        )

    def preamble(self, element: etree._Element) -> None:
        notes: list[str] = []
        text = "\n".join(self.render(element, notes))
        if text.strip():
            self.builder.add("preamble", None, label="Preamble", text=text, notes=notes)

    def attachment(self, element: etree._Element, kind: str, parent, prefix) -> None:
        if self.holds_units(element):
            self.container(element, kind, parent, prefix)
            return
        label, heading = self.heading_of(element)
        notes: list[str] = []
        lines: list[str] = []
        for child in element:
            if local_name(child) not in {"num", "heading", "title"}:
                lines += self.render(child, notes)
        self.builder.add(
            kind,
            normalise_number(label) or None,
            label=label or None,
            heading=heading,
            text="\n".join(lines),
            parent_eid=parent,
            eid_parent=prefix,
            notes=notes,
        )


def _first_desc(element: etree._Element, name: str) -> etree._Element | None:
    return next((d for d in element.iterdescendants() if local_name(d) == name), None)


def akn_language(root: etree._Element) -> str | None:
    """ISO 639-1 code of the expression (FRBRlanguage: "heb", "fin", "hebrew"...)."""
    element = _first_desc(root, "FRBRlanguage")
    value = (element.get("language") if element is not None else "") or ""
    if not value:
        return None
    try:
        language = pycountry.languages.lookup(value)
    except LookupError:
        return None
    return getattr(language, "alpha_2", None)


def extract_akn(root: etree._Element, profile: AknProfile | None = None) -> ExtractedText:
    """Extract the provisions of an Akoma Ntoso document.

    Args:
        root: the parsed ``akomaNtoso`` element.
        profile: national variations (see ``AknProfile``); defaults suit most documents.

    Returns:
        ExtractedText with containers, units, preamble and attachments in document order.
    """
    builder = ProvisionBuilder(language=akn_language(root))
    reader = _Reader(builder, profile or AknProfile())
    document = next((c for c in root if local_name(c)), root)
    reader.walk(document, None, None)
    provisions = builder.build()
    title = reader.title or inline_text(_first_desc(root, "docTitle")) or None
    text = full_text(title, provisions) + "\n\n" + "\n".join(reader.loose)
    return ExtractedText(text=text.strip(), provisions=provisions, title=title)
