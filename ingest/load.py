"""Write one processed document version to SQL (the caller owns the transaction)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import (
    Document,
    DocumentVersion,
    Penalty,
    Provision,
    ProvisionEmbedding,
    Tag,
    utcnow,
)
from ingest.curation_carry import ProvisionKey, carry_curations, has_curations, provision_keys
from ingest.process import ProcessedDocument


@dataclass
class StoreResult:
    outcome: str  # new | changed | reprocessed
    version_id: int
    provisions: int
    tags: int
    diff: dict[str, list[str]] = field(default_factory=dict)
    qa: list[str] = field(default_factory=list)


def find_version(session: Session, document_id: str, content_hash: str) -> DocumentVersion | None:
    return session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document_id,
            DocumentVersion.content_hash == content_hash,
        )
    )


def store_document(session: Session, doc: ProcessedDocument, source_file: str) -> StoreResult:
    """Store ``doc``: a new document, a new version of a known one, or a re-processing of a
    version already stored (same content hash: its provisions are replaced in place)."""
    entry = doc.entry
    document = session.get(Document, entry.document_id)
    if document is None:
        document = Document(id=entry.document_id)
        session.add(document)
    document.country = entry.country
    document.title = entry.title
    document.title_en = entry.title_en
    document.doc_type = entry.doc_type
    document.year = entry.year
    document.language = doc.language
    document.format = entry.format
    document.status = entry.status
    document.partial = entry.partial
    document.source_file = source_file
    document.licence = entry.licence
    document.source = entry.source
    document.notes = entry.notes
    document.updated_at = utcnow()
    session.flush()

    before = _tag_counts(session, entry.document_id)
    version = find_version(session, entry.document_id, doc.content_hash)
    previous = session.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == entry.document_id, DocumentVersion.is_current
        )
    )
    # Curated documents only: the provisions being replaced, for their curations to follow.
    carrying = has_curations(session, entry.document_id)
    replaced = version if version is not None else previous
    old_keys = provision_keys(session, replaced.id) if carrying and replaced is not None else []
    if version is not None:
        outcome = "reprocessed"
        session.execute(delete(Provision).where(Provision.version_id == version.id))
        diff: dict[str, list[str]] = {}
    else:
        outcome = "changed" if previous is not None else "new"
        valid_from = entry.version_date or date.today().isoformat()
        version = DocumentVersion(
            document_id=entry.document_id,
            content_hash=doc.content_hash,
            version_date=entry.version_date,
            valid_from=valid_from,
            is_current=True,
        )
        if previous is not None:
            # The old text stays queryable for dates before the new one takes effect.
            previous.is_current = False
            previous.valid_to = max(valid_from, previous.valid_from)
            version.valid_from = previous.valid_to
        session.add(version)
        diff = _diff(session, previous.id, doc) if previous is not None else {}
    version.language = doc.language
    version.language_confidence = doc.language_confidence
    version.pages = doc.pages
    version.file_size = doc.file_size
    version.text_chars = doc.text_chars
    version.warnings = list(doc.warnings)
    session.flush()

    n_tags = _insert_provisions(session, version.id, entry.document_id, doc)
    after = _tag_counts(session, entry.document_id)
    carried = []
    if carrying:
        new_keys = [
            ProvisionKey(
                p.draft.eid, p.draft.kind, p.draft.number, text_hash(p.draft.text, p.draft.heading)
            )
            for p in doc.processed
        ]
        carried = carry_curations(session, entry.document_id, old_keys, new_keys)
    return StoreResult(
        outcome,
        version.id,
        len(doc.processed),
        n_tags,
        diff,
        [*tag_changes(before, after), *carried],
    )


def _tag_counts(session: Session, document_id: str) -> dict[str, int]:
    from sqlalchemy import func

    return dict(
        session.execute(
            select(Tag.code, func.count())
            .join(Provision, Tag.provision_id == Provision.id)
            .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
            .where(DocumentVersion.document_id == document_id, DocumentVersion.is_current)
            .group_by(Tag.code)
        ).all()
    )


def tag_changes(before: dict[str, int], after: dict[str, int]) -> list[str]:
    """QA findings for tag counts that changed sharply since the document was last stored
    (at least 5 provisions and by half or more)."""
    if not before:
        return []
    findings = []
    for code in sorted(set(before) | set(after)):
        old, new = before.get(code, 0), after.get(code, 0)
        if abs(new - old) >= 5 and abs(new - old) >= 0.5 * max(old, 1):
            findings.append(f"tag {code} changed sharply since the last run: {old} -> {new}")
    return findings


def text_hash(text: str, heading: str | None) -> str:
    return hashlib.sha256(f"{heading or ''}\n{text}".encode()).hexdigest()


def _insert_provisions(session: Session, version_id: int, document_id: str, doc) -> int:  # type: ignore[no-untyped-def]
    from ingest.embeddings import MODEL_NAME as EMBEDDING_MODEL

    n_tags = 0
    embeddings: list[tuple[Provision, bytes]] = []
    for position, item in enumerate(doc.processed):
        draft = item.draft
        row = Provision(
            version_id=version_id,
            uid=f"{document_id}/~{draft.eid}",
            eid=draft.eid,
            parent_eid=draft.parent_eid,
            kind=draft.kind,
            number=draft.number,
            label=draft.label,
            heading=draft.heading,
            text=draft.text,
            notes=draft.notes,
            language=item.language,
            position=position,
            text_hash=text_hash(draft.text, draft.heading),
        )
        for tag in item.tags:
            row.tags.append(
                Tag(
                    code=tag.code,
                    kind=tag.kind,
                    evidence=[{"rule": e.rule, "matched": list(e.matched)} for e in tag.evidence],
                )
            )
            n_tags += 1
        if item.penalty is not None:
            p = item.penalty
            row.penalty = Penalty(
                min_years=p.min_years,
                max_years=p.max_years,
                life=p.life,
                death=p.death,
                fine=p.fine,
                fine_amount=p.fine_amount,
                evidence=p.evidence,
            )
        session.add(row)
        if item.embedding is not None:
            embeddings.append((row, item.embedding))
    session.flush()
    for row, vector in embeddings:
        session.add(ProvisionEmbedding(provision_id=row.id, model=EMBEDDING_MODEL, vector=vector))
    session.flush()
    return n_tags


def _diff(
    session: Session, previous_version_id: int, doc: ProcessedDocument
) -> dict[str, list[str]]:
    old = dict(
        session.execute(
            select(Provision.eid, Provision.text_hash).where(
                Provision.version_id == previous_version_id
            )
        ).all()
    )
    new = {p.draft.eid: text_hash(p.draft.text, p.draft.heading) for p in doc.processed}
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(e for e in set(new) & set(old) if new[e] != old[e]),
    }
