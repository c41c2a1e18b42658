"""Provisions, documents and countries read from SQL."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.models import Country, Curation, Document, DocumentVersion, Penalty, Provision, Tag
from app.schemas import (
    CountryPublic,
    CountrySummary,
    DocumentPublic,
    DocumentSummary,
    EvidencePublic,
    PathItem,
    PenaltyPublic,
    ProvisionPublic,
    ProvisionSummary,
    TagPublic,
    VersionPublic,
)
from ingest.records import STRUCTURAL_KINDS

CONTAINER_KINDS = STRUCTURAL_KINDS


class NotFound(Exception):
    """The requested id does not exist; the message says how to find valid ids."""


def split_id(provision_id: str) -> tuple[str, str | None]:
    """``doc/~eid@2020-01-01`` -> (``doc/~eid``, ``2020-01-01``)."""
    uid, _, at = provision_id.partition("@")
    return uid, at or None


def version_at(session: Session, document_id: str, as_of: str | None) -> DocumentVersion | None:
    stmt = select(DocumentVersion).where(DocumentVersion.document_id == document_id)
    if as_of is None:
        return session.scalar(stmt.where(DocumentVersion.is_current))
    return session.scalar(
        stmt.where(
            DocumentVersion.valid_from <= as_of,
            or_(DocumentVersion.valid_to.is_(None), DocumentVersion.valid_to > as_of),
        )
    )


def public_id(provision: Provision, version: DocumentVersion) -> str:
    return provision.uid if version.is_current else f"{provision.uid}@{version.valid_from}"


def effective_tags(provision: Provision, curations: list[Curation]) -> list[TagPublic]:
    tags = {
        t.code: TagPublic(
            code=t.code,
            kind=t.kind,  # type: ignore[arg-type]
            origin="rule",
            evidence=[EvidencePublic(**e) for e in t.evidence],
        )
        for t in provision.tags
    }
    for cur in sorted(curations, key=lambda c: (c.created_at, c.id)):
        if cur.action == "remove":
            tags.pop(cur.code, None)
        else:
            tags[cur.code] = TagPublic(
                code=cur.code,
                kind=cur.kind,  # type: ignore[arg-type]
                origin="curation",
                evidence=[EvidencePublic(rule="curation", matched=[])],
                comment=cur.comment or None,
            )
    return sorted(tags.values(), key=lambda t: (t.kind, t.code))


def summary(
    provision: Provision, version: DocumentVersion, document: Document, tags: list[TagPublic]
) -> ProvisionSummary:
    pid = public_id(provision, version)
    where = provision.label or " ".join(x for x in (provision.kind, provision.number) if x)
    return ProvisionSummary(
        id=pid,
        kind=provision.kind,
        number=provision.number,
        label=provision.label,
        heading=provision.heading,
        language=provision.language,
        country=document.country,
        document_id=document.id,
        citation=f"{document.title} ({document.country}), {where}",
        permalink=f"/p/{pid}",
        status=document.status,  # type: ignore[arg-type]
        partial=document.partial,
        version_date=version.version_date,
        offences=[t.code for t in tags if t.kind == "offence"],
        instruments=[t.code for t in tags if t.kind == "instrument"],
    )


def get_provision(session: Session, provision_id: str, as_of: str | None = None) -> ProvisionPublic:
    uid, at = split_id(provision_id)
    document_id, sep, eid = uid.partition("/~")
    if not sep or not eid:
        raise NotFound(
            f"'{provision_id}' is not a provision id: ids look like "
            "'gbr/act/2000/terrorism-act/~sec_15' (see /api/search or /api/documents/{id})"
        )
    version = version_at(session, document_id, at or as_of)
    provision = (
        session.scalar(
            select(Provision).where(Provision.version_id == version.id, Provision.eid == eid)
        )
        if version
        else None
    )
    if provision is None or version is None:
        when = f" as of {at or as_of}" if (at or as_of) else ""
        raise NotFound(f"no provision '{uid}'{when}: search for it with /api/search")
    document = session.get(Document, document_id)
    assert document is not None
    curations = list(session.scalars(select(Curation).where(Curation.provision_uid == uid)))
    tags = effective_tags(provision, curations)
    base = summary(provision, version, document, tags)
    siblings = list(
        session.execute(
            select(
                Provision.eid,
                Provision.kind,
                Provision.label,
                Provision.heading,
                Provision.uid,
                Provision.parent_eid,
                Provision.text != "",
            )
            .where(Provision.version_id == version.id)
            .order_by(Provision.position)
        ).all()
    )
    by_eid = {row[0]: row for row in siblings}
    suffix = "" if version.is_current else f"@{version.valid_from}"
    path: list[PathItem] = []
    parent = provision.parent_eid
    while parent and parent in by_eid and len(path) < 20:
        row = by_eid[parent]
        path.insert(0, PathItem(id=row[4] + suffix, kind=row[1], label=row[2], heading=row[3]))
        parent = row[5]
    citable = [row for row in siblings if row[6]]
    index = next((i for i, row in enumerate(citable) if row[0] == eid), None)
    prev_id = citable[index - 1][4] + suffix if index else None
    next_id = (
        citable[index + 1][4] + suffix if index is not None and index + 1 < len(citable) else None
    )
    return ProvisionPublic(
        **base.model_dump(),
        text=provision.text,
        notes=provision.notes,
        document_title=document.title,
        document_title_en=document.title_en,
        path=path,
        tags=tags,
        penalty=_penalty(provision.penalty),
        previous=prev_id,
        next=next_id,
        versions=_provision_versions(session, document_id, uid),
    )


def _penalty(row: Penalty | None) -> PenaltyPublic | None:
    if row is None:
        return None
    return PenaltyPublic(
        min_years=row.min_years,
        max_years=row.max_years,
        life=row.life,
        death=row.death,
        fine=row.fine,
        fine_amount=row.fine_amount,
        evidence=row.evidence,
    )


def _provision_versions(session: Session, document_id: str, uid: str) -> list[VersionPublic]:
    rows = session.execute(
        select(DocumentVersion, Provision.id)
        .outerjoin(
            Provision, and_(Provision.version_id == DocumentVersion.id, Provision.uid == uid)
        )
        .where(DocumentVersion.document_id == document_id)
        .order_by(DocumentVersion.valid_from)
    ).all()
    return [
        VersionPublic(
            version_id=v.id,
            valid_from=v.valid_from,
            valid_to=v.valid_to,
            version_date=v.version_date,
            current=v.is_current,
            provision_id=(uid if v.is_current else f"{uid}@{v.valid_from}") if pid else None,
        )
        for v, pid in rows
    ]


def _document_summary(document: Document, provisions: int) -> DocumentSummary:
    return DocumentSummary(
        id=document.id,
        country=document.country,
        title=document.title,
        title_en=document.title_en,
        doc_type=document.doc_type,
        year=document.year,
        language=document.language,
        status=document.status,  # type: ignore[arg-type]
        partial=document.partial,
        source_file=document.source_file,
        provisions=provisions,
    )


def _provision_counts(session: Session) -> dict[str, int]:
    return dict(
        session.execute(
            select(DocumentVersion.document_id, func.count(Provision.id))
            .join(Provision, Provision.version_id == DocumentVersion.id)
            .where(DocumentVersion.is_current, Provision.text != "")
            .group_by(DocumentVersion.document_id)
        ).all()
    )


def list_documents(
    session: Session,
    *,
    country: list[str],
    source_file: str | None,
    page: int,
    size: int,
    title: str | None = None,
) -> tuple[int, list[DocumentSummary]]:
    stmt = select(Document)
    if country:
        stmt = stmt.where(Document.country.in_([c.upper() for c in country]))
    if source_file:
        stmt = stmt.where(Document.source_file == source_file)
    if title and title.strip():
        # Every word of ``title`` in the title or the English title, in any case and script
        # (compared in Python: SQLite lowers ASCII only). Full-text search matches provisions by
        # their own words, not by their act's title: this is how an act is found by name.
        words = title.casefold().split()
        found = [
            d
            for d in session.scalars(stmt.order_by(Document.id))
            if all(w in f"{d.title}\n{d.title_en or ''}".casefold() for w in words)
        ]
        total, docs = len(found), found[(page - 1) * size : page * size]
    else:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        docs = list(
            session.scalars(stmt.order_by(Document.id).offset((page - 1) * size).limit(size))
        )
    counts = _provision_counts(session)
    return total, [_document_summary(d, counts.get(d.id, 0)) for d in docs]


def get_document(session: Session, document_id: str, as_of: str | None = None) -> DocumentPublic:
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"no document '{document_id}': list documents with /api/documents")
    version = version_at(session, document_id, as_of)
    if version is None:
        raise NotFound(f"document '{document_id}' has no version in force on {as_of}")
    provisions = list(
        session.scalars(
            select(Provision).where(Provision.version_id == version.id).order_by(Provision.position)
        )
    )
    curations: dict[str, list[Curation]] = defaultdict(list)
    for cur in session.scalars(
        select(Curation).where(Curation.provision_uid.like(f"{document_id}/~%"))
    ):
        curations[cur.provision_uid].append(cur)
    tag_rows: dict[int, list[Tag]] = defaultdict(list)
    for tag in session.scalars(
        select(Tag).join(Provision).where(Provision.version_id == version.id)
    ):
        tag_rows[tag.provision_id].append(tag)
    toc = []
    for p in provisions:
        p.__dict__["tags"] = tag_rows.get(p.id, [])  # avoid one query per provision
        toc.append(summary(p, version, document, effective_tags(p, curations.get(p.uid, []))))
    versions = [
        VersionPublic(
            version_id=v.id,
            valid_from=v.valid_from,
            valid_to=v.valid_to,
            version_date=v.version_date,
            current=v.is_current,
        )
        for v in document.versions
    ]
    base = _document_summary(document, sum(1 for p in provisions if p.text))
    return DocumentPublic(
        **base.model_dump(),
        licence=document.licence,
        source=document.source,
        notes=document.notes,
        format=document.format,
        version_date=version.version_date,
        versions=versions,
        toc=toc,
    )


def list_countries(session: Session, *, only_with_documents: bool) -> list[CountrySummary]:
    docs = Counter(
        dict(
            session.execute(select(Document.country, func.count()).group_by(Document.country)).all()
        )
    )
    provs = Counter(
        dict(
            session.execute(
                select(Document.country, func.count(Provision.id))
                .join(DocumentVersion, DocumentVersion.document_id == Document.id)
                .join(Provision, Provision.version_id == DocumentVersion.id)
                .where(DocumentVersion.is_current, Provision.text != "")
                .group_by(Document.country)
            ).all()
        )
    )
    result = []
    for c in session.scalars(select(Country).order_by(Country.iso3)):
        if only_with_documents and not docs[c.iso3]:
            continue
        result.append(
            CountrySummary(
                iso3=c.iso3,
                name=c.name,
                region=c.region,
                subregion=c.subregion,
                documents=docs[c.iso3],
                provisions=provs[c.iso3],
            )
        )
    return result


def get_country(session: Session, iso3: str) -> CountryPublic:
    country = session.get(Country, iso3.upper())
    if country is None:
        raise NotFound(f"no country '{iso3}': use an ISO 3166-1 alpha-3 code (see /api/countries)")
    _, documents = list_documents(
        session, country=[country.iso3], source_file=None, page=1, size=1000
    )
    counts: dict[str, Counter[str]] = {"offence": Counter(), "instrument": Counter()}
    for kind, code, n in session.execute(
        select(Tag.kind, Tag.code, func.count())
        .join(Provision, Tag.provision_id == Provision.id)
        .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
        .join(Document, DocumentVersion.document_id == Document.id)
        .where(Document.country == country.iso3, DocumentVersion.is_current)
        .group_by(Tag.kind, Tag.code)
    ):
        counts[kind][code] = n
    return CountryPublic(
        iso3=country.iso3,
        name=country.name,
        region=country.region,
        subregion=country.subregion,
        documents=len(documents),
        provisions=sum(d.provisions for d in documents),
        document_list=documents,
        offences=dict(counts["offence"].most_common()),
        instruments=dict(counts["instrument"].most_common()),
    )


def load_provisions(session: Session, ids: list[str]) -> list[ProvisionPublic]:
    """Many provisions in full (without path/previous/next), in the order of ``ids``.

    Unknown ids are left out; current ids and ``uid@date`` ids may be mixed.
    """
    wanted: dict[str, tuple[str, str | None]] = {pid: split_id(pid) for pid in ids}
    uids = sorted({uid for uid, _ in wanted.values()})
    found: dict[str, ProvisionPublic] = {}
    for chunk_start in range(0, len(uids), 500):
        chunk = uids[chunk_start : chunk_start + 500]
        rows = session.execute(
            select(Provision, DocumentVersion, Document)
            .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
            .join(Document, DocumentVersion.document_id == Document.id)
            .where(Provision.uid.in_(chunk))
            # Tags and penalties in two extra queries per chunk, not two per provision.
            .options(selectinload(Provision.tags), selectinload(Provision.penalty))
        ).all()
        curations: dict[str, list[Curation]] = defaultdict(list)
        for cur in session.scalars(select(Curation).where(Curation.provision_uid.in_(chunk))):
            curations[cur.provision_uid].append(cur)
        for provision, version, document in rows:
            tags = effective_tags(provision, curations.get(provision.uid, []))
            base = summary(provision, version, document, tags)
            found[base.id] = ProvisionPublic(
                **base.model_dump(),
                text=provision.text,
                notes=provision.notes,
                document_title=document.title,
                document_title_en=document.title_en,
                path=[],
                tags=tags,
                penalty=_penalty(provision.penalty),
            )
    return [found[pid] for pid in ids if pid in found]
