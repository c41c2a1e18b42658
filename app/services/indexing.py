"""Build search documents from SQL rows (never from drafts) and (re)build the index.

Used by the ingest pipeline, `ctlex reindex` and curation (which re-indexes one provision)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Country, Curation, Document, DocumentVersion, Provision, Tag

OPEN_END = "9999-12-31"
_BATCH = 2000


def effective_tags(rule_tags: list[tuple[str, str]], curations: list[Curation]) -> dict[str, str]:
    """Rule tags with a person's decisions applied: the latest decision on a code wins."""
    tags = dict(rule_tags)
    for cur in sorted(curations, key=lambda c: (c.created_at, c.id)):
        if cur.action == "add":
            tags[cur.code] = cur.kind
        else:
            tags.pop(cur.code, None)
    return tags


def search_id(uid: str, version: DocumentVersion) -> str:
    """Current provisions are found under their uid; older versions under uid@valid_from."""
    return uid if version.is_current else f"{uid}@{version.valid_from}"


def citation(document: Document, label: str | None, kind: str, number: str | None) -> str:
    where = label or " ".join(x for x in (kind, number) if x)
    return f"{document.title} ({document.country}), {where}".strip().rstrip(",")


def iter_search_documents(
    session: Session, *, document_ids: list[str] | None = None, uids: list[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Yield one search document per citable provision of every stored version."""
    countries = {c.iso3: c for c in session.scalars(select(Country))}
    curations: dict[str, list[Curation]] = defaultdict(list)
    cur_stmt = select(Curation)
    if uids is not None:
        cur_stmt = cur_stmt.where(Curation.provision_uid.in_(uids))
    for cur in session.scalars(cur_stmt):
        curations[cur.provision_uid].append(cur)
    stmt = (
        select(Provision, DocumentVersion, Document)
        .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
        .join(Document, DocumentVersion.document_id == Document.id)
        .where(Provision.text != "")
        .order_by(Provision.id)
    )
    if document_ids is not None:
        stmt = stmt.where(Document.id.in_(document_ids))
    if uids is not None:
        stmt = stmt.where(Provision.uid.in_(uids))
    batch: list[tuple[Provision, DocumentVersion, Document]] = []
    for row in session.execute(stmt).yield_per(_BATCH):
        batch.append(row)
        if len(batch) >= _BATCH:
            yield from _build(session, batch, countries, curations)
            batch = []
    if batch:
        yield from _build(session, batch, countries, curations)


def _build(session, batch, countries, curations) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    ids = [p.id for p, _, _ in batch]
    tags: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pid, code, kind in session.execute(
        select(Tag.provision_id, Tag.code, Tag.kind).where(Tag.provision_id.in_(ids))
    ):
        tags[pid].append((code, kind))
    for provision, version, document in batch:
        country = countries.get(document.country)
        final = effective_tags(tags[provision.id], curations.get(provision.uid, []))
        yield {
            "id": search_id(provision.uid, version),
            "document_id": document.id,
            "version_id": str(version.id),
            "country": document.country,
            "region": (country.region if country else None) or "",
            "subregion": (country.subregion if country else None) or "",
            "language": provision.language or document.language or "",
            "doc_type": document.doc_type,
            "year": document.year,
            "status": document.status,
            "partial": document.partial,
            "title": document.title,
            "title_en": document.title_en,
            "citation": citation(document, provision.label, provision.kind, provision.number),
            "kind": provision.kind,
            "number": provision.number or "",
            "label": provision.label or "",
            "heading": provision.heading or "",
            "text": provision.text,
            "offences": sorted(c for c, k in final.items() if k == "offence"),
            "instruments": sorted(c for c, k in final.items() if k == "instrument"),
            "order": provision.position,
            "version_date": version.version_date or "",
            "valid_from": version.valid_from,
            "valid_to": version.valid_to or OPEN_END,
            "current": version.is_current,
        }


def rebuild_index(
    session: Session,
    backend: Any,
    progress: Callable[[int], None] | None = None,
    *,
    watch: Callable[[str], None] | None = None,
) -> int:
    """Build a fresh index from SQL and swap it in atomically; returns the document count.

    ``watch`` is called with "index_doc" for every document and "index_built" when all are
    written (fail points for the crash-safety tests).
    """
    fingerprint = sql_fingerprint(session)

    def docs() -> Iterator[dict[str, Any]]:
        for doc in iter_search_documents(session):
            if watch:
                watch("index_doc")
            yield doc
        if watch:
            watch("index_built")

    count = int(backend.replace_all(docs(), progress=progress))
    if watch:
        watch("index_swapped")
    record_index_state(session, backend, fingerprint, backend.count())
    return count


def reindex_provisions(
    session: Session, backend: Any, uids: list[str], *, was_fresh: bool = False
) -> int:
    """Re-index every stored version of the given provisions (after a curation).

    When the index was in step with SQL before the change (``was_fresh``), the recorded
    state moves on with it, so the next ingest does not rebuild the whole index for it.
    """
    n = int(backend.index(iter_search_documents(session, uids=uids)))
    backend.refresh()
    if was_fresh:
        record_index_state(session, backend, sql_fingerprint(session), backend.count())
    return n


def sql_fingerprint(session: Session) -> str:
    """A cheap summary of everything the index is built from: it changes with any stored
    version, provision or curation."""
    from sqlalchemy import func

    parts = []
    for column in (Provision.id, DocumentVersion.id, Curation.id):
        count, top = session.execute(select(func.count(column), func.max(column))).one()
        parts.append(f"{count}:{top or 0}")
    current = session.scalar(
        select(func.count()).select_from(DocumentVersion).where(DocumentVersion.is_current)
    )
    return "|".join([*parts, str(current)])


def index_is_fresh(session: Session, backend: Any) -> bool:
    from app.models import IndexState

    state = session.get(IndexState, backend.name)
    return (
        state is not None
        and state.fingerprint == sql_fingerprint(session)
        and state.documents == backend.count()
    )


def record_index_state(session: Session, backend: Any, fingerprint: str, documents: int) -> None:
    from app.models import IndexState, utcnow

    state = session.get(IndexState, backend.name) or IndexState(backend=backend.name)
    state.fingerprint = fingerprint
    state.documents = documents
    state.updated_at = utcnow()
    session.add(state)
    session.commit()
