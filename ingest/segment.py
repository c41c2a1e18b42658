"""Split the plain text of a law into a tree of provisions (pure: no I/O).

The work is done in three stages, one module each:

- ``segment_clean``: Markdown and printer conventions are read and removed; editorial
  annotations are marked so they go to ``notes``.
- ``segment_select``: every line start that matches a numbering style or a container heading
  (``segment_patterns``, ``segment_containers``, ``segment_numbers``) is a candidate; tables of
  contents are dropped and the style whose numbers form the best mostly-increasing sequence
  wins, so cross-references never open a provision.
- ``segment_build``: headings (``segment_headings``), bodies and notes are cut out and the
  container tree (Part, Livre, Abschnitt, 第X章, Schedule ...) gives every provision its parent
  and eId (``ingest.numbering.make_eid``).
"""

from __future__ import annotations

from ingest.records import ProvisionDraft
from ingest.segment_build import Options, build_drafts
from ingest.segment_clean import Line, prepare_lines
from ingest.segment_containers import ROMANCE_SECTION, container_candidate, romance_sections
from ingest.segment_runin import split_run_in_headings
from ingest.segment_select import Selection, select_heads

_CJK_LANGUAGES = frozenset({"zh", "ja", "ko"})


def segment(
    text: str, *, language: str | None = None, country: str | None = None
) -> list[ProvisionDraft]:
    """Split ``text`` into provisions.

    Args:
        text: plain text from a text-format extractor (PDF, HTML, DOCX, TXT, Markdown);
            Markdown headings and emphasis are used as hints when present.
        language: ISO 639-1 code of the text, if known (decides e.g. whether "Section" is a
            container, as in French codes, or a citable unit, as in English acts).
        country: ISO 3166-1 alpha-3 code, if known (US Code "§" are sections).

    Returns:
        Drafts in document order: an optional ``preamble``, then containers and citable
        units, each with a unique ``eid`` and the ``parent_eid`` of its enclosing container.
        An empty list when no text is given.
    """
    if not text or not text.strip():
        return []
    lines, dialects = prepare_lines(text)
    if not lines:
        return []
    romance = romance_sections(language, country)
    selection = select_heads(lines, romance=romance, ukleg="ukleg" in dialects)
    if not romance and selection.style == "article" and _section_groups(lines):
        # Units are Articles, so "SECTION 2 Risk assessment" / "Section One" group them (EU
        # acts, translated Arabic laws): read "Section" as a container, as in French codes.
        grouped = select_heads(lines, romance=True, ukleg="ukleg" in dialects)
        if _units(selection) <= _units(grouped):  # never at the cost of a provision
            selection = grouped
    options = Options(
        ukleg="ukleg" in dialects,
        us_sections=country == "USA" or "usc" in dialects,
        cjk=language in _CJK_LANGUAGES if language else _looks_cjk(text),
    )
    drafts = build_drafts(lines, selection, options)
    return split_run_in_headings(drafts, language=language, country=country)


def _units(selection: Selection) -> set[int]:
    return {head.line for head in selection.heads if head.style != "container"}


def _section_groups(lines: list[Line]) -> bool:
    """Some line opens a "Section" container when Section is read as a container word."""
    for line in lines:
        if not line.text.startswith(tuple(ROMANCE_SECTION)) or line.note:
            continue
        candidate = container_candidate(0, line.text, romance=True)
        if candidate and candidate.label.split()[0] in ROMANCE_SECTION:
            return True
    return False


def _looks_cjk(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for c in sample if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return cjk > 0.2 * max(1, len(sample.strip()))
