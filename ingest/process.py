"""Turn one source file into provisions, tags and penalties: pure, runs in worker processes."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field, replace

from ingest.errors import SourceParseError
from ingest.records import STRUCTURAL_KINDS, ManifestEntry, ProvisionDraft, TagAssignment

# Containers give structure; only the units below them carry citable text and tags.
CONTAINER_KINDS = STRUCTURAL_KINDS
# Per-provision language detection is costly; documents are sampled first and only
# checked provision by provision when the sample shows more than one language.
_LANGUAGE_SAMPLE = 24
_MIN_CHARS_FOR_DETECTION = 120


@dataclass(frozen=True)
class PenaltyValue:
    min_years: float | None
    max_years: float | None
    life: bool
    death: bool
    fine: bool
    fine_amount: str | None
    evidence: str


@dataclass(frozen=True)
class ProcessedProvision:
    draft: ProvisionDraft
    language: str | None
    tags: tuple[TagAssignment, ...]
    penalty: PenaltyValue | None
    embedding: bytes | None = None  # float16 vector, for tagged provisions only


@dataclass(frozen=True)
class ProcessedDocument:
    entry: ManifestEntry
    content_hash: str
    file_size: int
    language: str | None
    language_confidence: float
    pages: int | None
    text_chars: int
    provisions: tuple[ProvisionDraft, ...] = ()
    processed: tuple[ProcessedProvision, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    qa: tuple[str, ...] = field(default_factory=tuple)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def process_file(entry: ManifestEntry, data: bytes) -> ProcessedDocument:
    """Extract, detect language, segment, tag and find penalties for one source file.

    Raises:
        SourceParseError: the file cannot be read as its format; the message says why.
    """
    from ingest.arabic_repair import repair_extracted
    from ingest.extract import extract, sniff_format
    from ingest.language import detect_language
    from ingest.segment import segment
    from ingest.segment_runin import split_run_in_headings

    started = time.perf_counter()
    if not data:
        raise SourceParseError("the file is empty (0 bytes): replace it with the full text")
    fmt = sniff_format(data, entry.format)
    extracted = repair_extracted(extract(data, fmt))
    guess = detect_language(extracted.text, entry.language)
    language = guess.language or entry.language
    drafts = list(extracted.provisions)
    if drafts:  # a structured source: only headings run into the end of a text are split off
        drafts = split_run_in_headings(drafts, language=language, country=entry.country)
    else:
        drafts = segment(extracted.text, language=language, country=entry.country)
    if not drafts:
        raise SourceParseError(
            "no provisions found in the extracted text "
            f"({len(extracted.text)} characters): check the file is the act's full text"
        )
    processed = tuple(_analyse(drafts, language, document_title(entry)))
    return ProcessedDocument(
        entry=entry,
        content_hash=content_hash(data),
        file_size=len(data),
        language=language,
        language_confidence=guess.confidence,
        pages=extracted.pages,
        text_chars=len(extracted.text),
        provisions=tuple(drafts),
        processed=processed,
        warnings=extracted.warnings,
        seconds=time.perf_counter() - started,
    )


def document_title(entry: ManifestEntry) -> str | None:
    """The title the tagger reads for document-context rules: the title and, when different,
    the English title, one per line (None when the manifest gives neither)."""
    titles = [t.strip() for t in (entry.title, entry.title_en) if t and t.strip()]
    return "\n".join(dict.fromkeys(titles)) or None


def _analyse(
    drafts: list[ProvisionDraft], language: str | None, title: str | None = None
) -> list[ProcessedProvision]:
    from ingest.penalties import extract_penalty
    from ingest.penalty_refs import inherit_penalties
    from ingest.tagging import front_matter_tags, tag_text
    from ingest.taxonomy import load_taxonomy

    languages = _provision_languages(drafts, language)
    tags: list[tuple[TagAssignment, ...]] = []
    penalties = []
    for draft, lang in zip(drafts, languages, strict=True):
        if draft.kind in CONTAINER_KINDS or not draft.text.strip():
            tags.append(())
            penalties.append(None)
            continue
        found = tag_text(draft.text, lang, heading=draft.heading, document_title=title)
        if draft.kind == "preamble":  # the act's title, enacting formula, recitals
            found = front_matter_tags(found)
        tags.append(tuple(found))
        penalties.append(extract_penalty(draft.text, lang))
    # Only provisions that create an offence take a penalty stated elsewhere (not definitions,
    # measures or jurisdiction clauses that the penalty sentence also happens to cite).
    criminal = {
        o.code for o in load_taxonomy().offences.values() if o.group in ("offence", "related_crime")
    }
    offences = [any(t.code in criminal for t in found) for found in tags]
    penalties = inherit_penalties(
        drafts, penalties, offences, lambda sentence: extract_penalty(sentence, language)
    )
    result = []
    for draft, lang, found, penalty in zip(drafts, languages, tags, penalties, strict=True):
        value = (
            PenaltyValue(
                penalty.min_years,
                penalty.max_years,
                penalty.life,
                penalty.death,
                penalty.fine,
                penalty.fine_amount,
                penalty.evidence,
            )
            if penalty
            else None
        )
        result.append(ProcessedProvision(replace(draft, language=lang), lang, found, value))
    return _embed_tagged(result)


def _embed_tagged(items: list[ProcessedProvision]) -> list[ProcessedProvision]:
    """Embed the provisions that carry a tag: they are the candidates of "similar provisions"
    (embedding every provision of every criminal code would triple the ingest time)."""
    from ingest.embeddings import embed_texts, prepare_text, to_bytes

    chosen = [i for i, item in enumerate(items) if item.tags]
    if not chosen:
        return items
    vectors = embed_texts(
        [prepare_text(items[i].draft.heading, items[i].draft.text) for i in chosen]
    )
    for i, vector in zip(chosen, vectors, strict=True):
        items[i] = replace(items[i], embedding=to_bytes(vector))
    return items


def _provision_languages(drafts: list[ProvisionDraft], language: str | None) -> list[str | None]:
    from ingest.language import detect_language

    def own(draft: ProvisionDraft) -> str | None:
        if draft.language:
            return draft.language
        if len(draft.text) < _MIN_CHARS_FOR_DETECTION:
            return language
        return detect_language(draft.text, language).language or language

    long_ones = [d for d in drafts if len(d.text) >= _MIN_CHARS_FOR_DETECTION]
    step = max(1, len(long_ones) // _LANGUAGE_SAMPLE)
    sample = long_ones[::step][:_LANGUAGE_SAMPLE]
    if all(own(d) == language for d in sample):
        return [d.language or language for d in drafts]
    return [own(d) for d in drafts]
