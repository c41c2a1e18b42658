"""Frozen values passed between ingestion stages (no I/O, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of provision that only group others (their text is a heading): not tagged, not cited as
# a provision, shown as branches of the tree. One list for ingest and app alike.
STRUCTURAL_KINDS = frozenset(
    {"book", "part", "subpart", "title", "subtitle", "chapter", "subchapter", "division"}
    | {"subdivision", "section_group"}
)


@dataclass(frozen=True)
class ManifestEntry:
    """One row of a corpus manifest: a source file and what we know about it."""

    path: str  # relative to the manifest's folder, e.g. "raw/gbr/gbr-terrorism-act-2000.txt"
    country: str  # ISO 3166-1 alpha-3, "INT" for international, "EUU" for the EU
    title: str  # title in the original language
    title_en: str
    # act, code, law, decree, regulation, ordinance, bill, convention, resolution, directive
    doc_type: str
    year: int | None
    language: str | None  # ISO 639-1 when known ("sr", not "sr-Cyrl")
    format: str  # pdf, html, xml, md, txt, json, docx
    status: str  # official, official_translation, unofficial, bill, extract
    partial: bool  # True when the file holds only part of the act
    version_date: str | None  # ISO date of the text's version, when known
    short_name: str  # slug used in the document id
    licence: str = ""
    source: str = ""
    notes: str = ""

    @property
    def document_id(self) -> str:
        year = self.year if self.year is not None else "na"
        return f"{self.country.lower()}/{self.doc_type}/{year}/{self.short_name}"


@dataclass(frozen=True)
class ProvisionDraft:
    """One provision as segmented, before it is stored.

    ``eid`` is unique inside its document (Akoma Ntoso style: ``part_II__sec_15``).
    ``number`` follows design.md §2 (``15``, ``83.02``, ``89a``, ``205.1``, ``120-1``).
    Container provisions (part, chapter, title, book, schedule) carry a heading and usually
    no text of their own; citable units (section, article, paragraph, rule) carry the text.
    """

    eid: str
    # book, part, title, chapter, division, section, article, paragraph, schedule, annex, preamble
    kind: str
    number: str | None
    label: str | None  # as printed: "s. 15", "Art. 421-2-2", "§ 129a", "第一百二十条"
    heading: str | None
    text: str
    parent_eid: str | None = None
    notes: str = ""  # editorial / amendment annotations kept apart from the text (F31, C6, ...)
    language: str | None = None  # set by the language stage when it differs per provision


@dataclass(frozen=True)
class ExtractedText:
    """The output of a format extractor.

    Text formats fill ``text`` and leave ``provisions`` empty: the segmenter splits them.
    Structured formats (Justice Canada XML, Akoma Ntoso, Finlex, JSON law collections) keep
    their own structure and return ``provisions`` directly.
    """

    text: str
    provisions: tuple[ProvisionDraft, ...] = ()
    pages: int | None = None
    title: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    rule: str  # rule id from corpus/taxonomy, e.g. "en.financing.provide_funds"
    matched: tuple[str, ...]  # the words of the text that matched


@dataclass(frozen=True)
class TagAssignment:
    code: str  # exactly a code of the taxonomy
    kind: str  # "offence" or "instrument"
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)
