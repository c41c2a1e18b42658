"""Sanity checks on a processed document: findings that need a human look."""

from __future__ import annotations

import re

from ingest.process import CONTAINER_KINDS, ProcessedDocument

MAX_PROVISION_CHARS = 20_000
MIN_LANGUAGE_CONFIDENCE = 0.80
_INT = re.compile(r"^\d+$")


def check_document(doc: ProcessedDocument) -> list[str]:
    """Return QA findings (empty when the document looks sound)."""
    findings: list[str] = []
    units = [p.draft for p in doc.processed if p.draft.kind not in CONTAINER_KINDS]
    if not units:
        findings.append("no citable provisions found")
    for draft in units:
        if len(draft.text) > MAX_PROVISION_CHARS:
            findings.append(
                f"provision {draft.eid} has {len(draft.text):,} characters: "
                "check that segmentation did not merge several provisions"
            )
    gaps = numbering_gaps([d.number for d in units if d.kind in ("section", "article")])
    if gaps:
        shown = ", ".join(gaps[:5]) + (" …" if len(gaps) > 5 else "")
        findings.append(f"numbering gaps: {shown}")
    if doc.entry.format in ("pdf", "docx") and doc.text_chars < doc.file_size / 200:
        findings.append(
            f"extracted text ({doc.text_chars:,} chars) is much shorter than the file "
            f"({doc.file_size:,} bytes) suggests: pages may be scanned images"
        )
    if doc.language_confidence < MIN_LANGUAGE_CONFIDENCE:
        findings.append(f"language detection unsure ({doc.language}, p={doc.language_confidence})")
    if doc.entry.language and doc.language and doc.language != doc.entry.language:
        findings.append(
            f"detected language {doc.language} differs from the manifest's {doc.entry.language}"
        )
    return findings


def numbering_gaps(numbers: list[str | None], *, max_jump: int = 10) -> list[str]:
    """Gaps between consecutive plain integer numbers (e.g. 12 -> 15 reports "13-14").

    Jumps larger than ``max_jump`` are taken as deliberate (an excerpt, a renumbered part).
    """
    ints = [int(n) for n in numbers if n and _INT.match(n)]
    gaps = []
    for a, b in zip(ints, ints[1:], strict=False):
        if 1 < b - a <= max_jump:
            gaps.append(f"{a + 1}" if b - a == 2 else f"{a + 1}-{b - 1}")
    return gaps
