"""Justice Canada XML (annual statutes "Bill Exchange", consolidated Acts and LIMS regulations).

Sections become provisions, including the sections an amending Act inserts into another Act
(they sit inside ``AmendedText``): Criminal Code ss. 83.01-83.33 inserted by the Anti-terrorism
Act come out as provisions numbered ``83.01``... under the amending section that inserts them.
Marginal notes become headings; a marginal note of an amending section that only cites the
amended enactment ("1997, c. 23, s. 4") and historical notes go to ``notes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ingest.formats.provision_builder import ProvisionBuilder, full_text
from ingest.formats.xml_support import collapse, inline_text, local_name
from ingest.numbering import normalise_number
from ingest.records import ExtractedText

ROOT_TAGS = frozenset({"Bill", "Statute", "Regulation"})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Inline markup: rendered inside the line of its parent.
_INLINE = frozenset(
    {"Emphasis", "XRefExternal", "XRefInternal", "DefinedTermEn", "DefinedTermFr", "Language"}
    | {"DefinitionRef", "Sup", "Sub", "FootnoteRef", "Repealed", "Fraction", "Numerator"}
    | {"Denominator", "Leader", "LeaderRightJustified", "Superscript", "Subscript", "Date"}
    | {"YYYY", "MM", "DD", "AmendmentCitation", "Line", "CommentInline"}
)
# Never part of a provision's text.
_SKIP = frozenset(
    {"Label", "MarginalNote", "HistoricalNote", "RunningHead", "Footnote", "FootnoteRef"}
    | {"RecentAmendments", "Identification", "ReaderNote"}
)
_NOT_IN_TEXT = frozenset({"FootnoteRef", "Footnote"})
_CITATION = re.compile(r"\b(1[89]\d\d|20\d\d|R\.S\.|L\.R\.|Bill|Projet de loi|SOR/|DORS/)")


def _label(element: etree._Element) -> str:
    return inline_text(element.find("Label"))


def _historical_note(note: etree._Element) -> str:
    items = [inline_text(i) for i in note if local_name(i) == "HistoricalNoteSubItem"]
    return "; ".join(i for i in items if i) or inline_text(note)


def _is_citation(note: str) -> bool:
    """True for marginal notes that only cite the amended enactment ("1997, c. 23, s. 4")."""
    return (
        bool(_CITATION.search(note))
        and bool(re.search(r"\b(c|ch|s|art|par)\.", note))
        or (note.lstrip().startswith("—"))
    )


def _render(element: etree._Element, exclude: frozenset[etree._Element]) -> list[str]:
    """Render a block element as lines of text (labels joined to their first line)."""
    tag = local_name(element)
    if tag in _SKIP or element in exclude or not tag:
        return []
    if tag == "row":
        cells = [inline_text(c, _NOT_IN_TEXT) for c in element if local_name(c)]
        return [" | ".join(c for c in cells if c)]
    if all(local_name(c) in _INLINE or not local_name(c) for c in element):
        return [inline_text(element, _NOT_IN_TEXT)]
    lines: list[str] = []
    if tag in {"Subsection", "Paragraph", "Subparagraph", "Clause"}:
        lines += [inline_text(m, _NOT_IN_TEXT) for m in element.findall("MarginalNote")]
    body: list[str] = []
    if (element.text or "").strip():
        body.append(collapse(element.text or ""))
    for child in element:
        body += _render(child, exclude)
    label = _label(element)
    if label and body:
        body[0] = f"{label} {body[0]}"
    elif label:
        body = [label]
    return [line for line in lines + body if line]


def _own_amended_texts(section: etree._Element) -> Iterator[etree._Element]:
    """AmendedText elements of this section that are not inside a nested (inserted) section."""
    for amended in section.iter("AmendedText"):
        owner = next((a for a in amended.iterancestors("Section")), None)
        if owner is section:
            yield amended


def _inserting(amended: etree._Element) -> bool:
    return any(local_name(c) == "Section" for c in amended)


class _Walker:
    def __init__(self, builder: ProvisionBuilder, designation: str) -> None:
        self.builder = builder
        self.designation = designation

    def walk(self, elements: list[etree._Element], parent_eid: str | None) -> None:
        """Walk sibling elements; labelled headings open containers for the sections after them."""
        containers: list[tuple[int, str]] = []
        pending: str | None = None
        for element in elements:
            tag = local_name(element)
            if tag == "Heading":
                label = _label(element)
                title = inline_text(element.find("TitleText"), _NOT_IN_TEXT)
                if not label:
                    pending = title or None
                    continue
                level = int(element.get("level") or 1)
                while containers and containers[-1][0] >= level:
                    containers.pop()
                kind = "part" if re.match(r"(?i)part", label) else "division"
                parent = containers[-1][1] if containers else parent_eid
                eid = self.builder.add(
                    kind, normalise_number(label), label=label, heading=title, parent_eid=parent
                )
                containers.append((level, eid))
                pending = None
            elif tag == "Section":
                parent = containers[-1][1] if containers else parent_eid
                self.section(element, parent, pending)
                pending = None
            elif tag in {"RegulationPiece", "RelatedOrNotInForce", "SectionPiece"}:
                self.walk(list(element), containers[-1][1] if containers else parent_eid)

    def section(self, element: etree._Element, parent_eid: str | None, pending: str | None) -> None:
        label = _label(element)
        number = normalise_number(label)
        notes = [_historical_note(n) for n in element.findall("HistoricalNote")]
        notes += [inline_text(f) for f in element.iter("Footnote")]
        marginal = inline_text(element.find("MarginalNote"), _NOT_IN_TEXT) or None
        amending = element.get("type") == "amending"
        if marginal and amending and _is_citation(marginal):
            notes.insert(0, marginal)
            marginal = None
        if marginal is None and pending and not amending:
            if _is_citation(pending):
                notes.insert(0, pending.lstrip("— "))
            else:
                marginal = pending
        inserting = [a for a in _own_amended_texts(element) if _inserting(a)]
        exclude = frozenset(
            c for a in inserting for c in a if local_name(c) in {"Section", "Heading"}
        )
        lines: list[str] = []
        for child in element:
            lines += _render(child, exclude)
        eid = self.builder.add(
            "section",
            number,
            label=f"{self.designation} {number}" if number else label,
            heading=marginal,
            text="\n".join(lines),
            parent_eid=parent_eid,
            notes=[n for n in notes if n],
        )
        for amended in inserting:
            self.walk(list(amended), eid)

    def schedule(self, element: etree._Element) -> None:
        heading_el = element.find("ScheduleFormHeading")
        label = _label(heading_el) if heading_el is not None else ""
        title = inline_text(heading_el.find("TitleText")) if heading_el is not None else ""
        has_sections = any(
            not any(local_name(a) == "AmendedText" for a in s.iterancestors())
            for s in element.iter("Section")
        )
        lines: list[str] = []
        if heading_el is not None:
            lines.append(inline_text(heading_el.find("OriginatingRef")))
        if not has_sections:
            for child in element:
                if child is not heading_el:
                    lines += _render(child, frozenset())
        eid = self.builder.add(
            "schedule",
            normalise_number(label) or None,
            label=label or "Schedule",
            heading=title or None,
            text="\n".join(x for x in lines if x),
        )
        if has_sections:
            self.walk(_schedule_sections(element), eid)


def _schedule_sections(schedule: etree._Element) -> list[etree._Element]:
    """Headings and sections of a schedule, outside amended text and nested sections."""
    return [
        element
        for element in schedule.iter("Heading", "Section")
        if not any(local_name(a) in {"AmendedText", "Section"} for a in element.iterancestors())
    ]


def extract_justice_canada(root: etree._Element) -> ExtractedText:
    """Extract the provisions of a Justice Canada XML document (Bill, Statute or Regulation).

    Args:
        root: the parsed root element (see ``xml_support.parse_xml_safely``).

    Returns:
        ExtractedText with sections (inserted ones too), parts, schedules and the preamble.
    """
    language = (root.get(XML_LANG) or "").lower()[:2] or None
    builder = ProvisionBuilder(language=language)
    walker = _Walker(builder, "art." if language == "fr" else "s.")
    ident = root.find("Identification")
    title = None
    if ident is not None:
        title = inline_text(ident.find("ShortTitle")) or inline_text(ident.find("LongTitle"))
    for preamble in root.iter("Preamble"):
        lines: list[str] = []
        for child in preamble:
            lines += _render(child, frozenset())
        builder.add("preamble", None, label="Preamble", text="\n".join(lines))
    for body in root.findall("Body"):
        walker.walk(list(body), None)
    for schedule in root.findall("Schedule"):
        walker.schedule(schedule)
    provisions = builder.build()
    return ExtractedText(
        text=full_text(title, provisions), provisions=provisions, title=title or None
    )
