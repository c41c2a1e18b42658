"""SQLAlchemy 2 ORM models: the source of truth for documents, provisions and tags."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Country(Base):
    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    iso2: Mapped[str | None] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100), index=True)
    subregion: Mapped[str | None] = mapped_column(String(100))


class Instrument(Base):
    __tablename__ = "instruments"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    group: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer)


class OffenceType(Base):
    __tablename__ = "offence_types"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    group: Mapped[str] = mapped_column(String(40))


class Document(Base):
    """An act as a work: stable across versions (id = {iso3}/{type}/{year}/{short-name})."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    country: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    title: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text, default="")
    doc_type: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(8))
    format: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(40))
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    source_file: Mapped[str] = mapped_column(String(500), index=True)
    licence: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.valid_from"
    )


class DocumentVersion(Base):
    """One text of a document, identified by the hash of the source file's bytes."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    version_date: Mapped[str | None] = mapped_column(String(10))
    valid_from: Mapped[str] = mapped_column(String(10))
    valid_to: Mapped[str | None] = mapped_column(String(10))  # None while current
    is_current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    language_confidence: Mapped[float | None] = mapped_column(Float)
    pages: Mapped[int | None] = mapped_column(Integer)
    file_size: Mapped[int] = mapped_column(Integer, default=0)
    text_chars: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    document: Mapped[Document] = relationship(back_populates="versions")
    provisions: Mapped[list[Provision]] = relationship(
        back_populates="version", order_by="Provision.position", cascade="all, delete-orphan"
    )


class Provision(Base):
    """A provision of one document version. ``uid`` ({document id}/~{eid}) is stable across
    versions; ``id`` is the row of this version."""

    __tablename__ = "provisions"
    __table_args__ = (
        UniqueConstraint("version_id", "eid"),
        Index("ix_provisions_uid_version", "uid", "version_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(400), index=True)
    eid: Mapped[str] = mapped_column(String(200))
    parent_eid: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(60))
    label: Mapped[str | None] = mapped_column(String(200))
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer)
    text_hash: Mapped[str] = mapped_column(String(64))

    version: Mapped[DocumentVersion] = relationship(back_populates="provisions")
    tags: Mapped[list[Tag]] = relationship(
        back_populates="provision", cascade="all, delete-orphan", order_by="Tag.code"
    )
    penalty: Mapped[Penalty | None] = relationship(
        back_populates="provision", cascade="all, delete-orphan", uselist=False
    )


class Tag(Base):
    """A tag produced by the rules. Curated tags live apart (Curation) and win over these."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("provision_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_id: Mapped[int] = mapped_column(
        ForeignKey("provisions.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # offence | instrument
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    provision: Mapped[Provision] = relationship(back_populates="tags")


class Curation(Base):
    """A person's decision on a tag, keyed by the stable provision uid so it survives
    re-ingestion and carries over to new versions."""

    __tablename__ = "curations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provision_uid: Mapped[str] = mapped_column(String(400), index=True)
    code: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(8))  # add | remove
    comment: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200), default="admin")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Penalty(Base):
    """The maximum penalty a provision states, with the words that state it."""

    __tablename__ = "penalties"

    provision_id: Mapped[int] = mapped_column(
        ForeignKey("provisions.id", ondelete="CASCADE"), primary_key=True
    )
    min_years: Mapped[float | None] = mapped_column(Float)
    max_years: Mapped[float | None] = mapped_column(Float)
    life: Mapped[bool] = mapped_column(Boolean, default=False)
    death: Mapped[bool] = mapped_column(Boolean, default=False)
    fine: Mapped[bool] = mapped_column(Boolean, default=False)
    fine_amount: Mapped[str | None] = mapped_column(String(200))
    evidence: Mapped[str] = mapped_column(Text, default="")

    provision: Mapped[Provision] = relationship(back_populates="penalty")


class ProvisionEmbedding(Base):
    """A multilingual sentence embedding of a provision (float16, L2-normalised)."""

    __tablename__ = "provision_embeddings"

    provision_id: Mapped[int] = mapped_column(
        ForeignKey("provisions.id", ondelete="CASCADE"), primary_key=True
    )
    model: Mapped[str] = mapped_column(String(80))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class IngestRun(Base):
    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running|done|failed
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    files: Mapped[list[IngestFileResult]] = relationship(
        back_populates="run", order_by="IngestFileResult.id", cascade="all, delete-orphan"
    )


class IngestFileResult(Base):
    __tablename__ = "ingest_file_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(500))
    document_id: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(12))  # new|changed|unchanged|failed
    message: Mapped[str] = mapped_column(Text, default="")
    provisions: Mapped[int] = mapped_column(Integer, default=0)
    tags: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    qa: Mapped[list[str]] = mapped_column(JSON, default=list)
    diff: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    run: Mapped[IngestRun] = relationship(back_populates="files")


class IndexState(Base):
    """What the live search index was built from, so that a run interrupted after its SQL
    writes but before the index swap is detected and the index rebuilt next time."""

    __tablename__ = "index_state"

    backend: Mapped[str] = mapped_column(String(40), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    documents: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
