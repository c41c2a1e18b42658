"""Split the plain text of a law into a tree of provisions (pure: no I/O).

The work is done in three stages, one module each:

- ``segment_clean``: Markdown and printer conventions are read and removed; editorial
  annotations are marked so they go to ``notes``.
- ``segment_select``: every line start that matches a numbering style (``segment_patterns``,
  ``segment_numbers``) is a candidate; tables of contents are dropped and the style whose
  numbers form the best mostly-increasing sequence wins, so cross-references never open a
  provision.
- ``segment_build``: headings (``segment_headings``), bodies and notes are cut out and the
  container tree (Part, Livre, Abschnitt, 第X章, Schedule ...) gives every provision its parent
  and eId (``ingest.numbering.make_eid``).
"""

from __future__ import annotations

from ingest.records import ProvisionDraft
from ingest.segment_build import Options, build_drafts
from ingest.segment_clean import prepare_lines
from ingest.segment_select import select_heads

# Languages (and countries, when the language is unknown) where "Section" is a container
# between Chapter and Article, not a citable unit.
_ROMANCE_LANGUAGES = frozenset({"fr", "es", "ca", "it", "pt", "ro", "gl"})
_ROMANCE_COUNTRIES = frozenset(
    {"FRA", "BEL", "LUX", "MCO", "ESP", "AND", "ITA", "PRT", "ROU", "ARG", "CHL", "COL", "PER"}
    | {"URY", "MEX", "BRA", "SEN", "CIV", "MAR", "TUN", "DZA", "CMR", "HTI", "CHE"}
)
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
    romance = (language in _ROMANCE_LANGUAGES) if language else (country in _ROMANCE_COUNTRIES)
    selection = select_heads(lines, romance=romance, ukleg="ukleg" in dialects)
    options = Options(
        ukleg="ukleg" in dialects,
        us_sections=country == "USA" or "usc" in dialects,
        cjk=language in _CJK_LANGUAGES if language else _looks_cjk(text),
    )
    return build_drafts(lines, selection, options)


def _looks_cjk(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for c in sample if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return cjk > 0.2 * max(1, len(sample.strip()))
