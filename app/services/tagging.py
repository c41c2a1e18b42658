"""Tag free text with the ingestion rules (the same rules that tag stored provisions)."""

from __future__ import annotations

from app.schemas import EvidencePublic, TagPublic, TagResult
from ingest.language import detect_language
from ingest.tagging import tag_text


def tag_request(text: str, language: str | None) -> TagResult:
    lang = language or detect_language(text).language
    tags = [
        TagPublic(
            code=t.code,
            kind=t.kind,  # type: ignore[arg-type]
            origin="rule",
            evidence=[EvidencePublic(rule=e.rule, matched=list(e.matched)) for e in t.evidence],
        )
        for t in tag_text(text, lang)
    ]
    return TagResult(
        language=lang,
        offences=[t.code for t in tags if t.kind == "offence"],
        instruments=[t.code for t in tags if t.kind == "instrument"],
        tags=tags,
    )
