"""`ctlex db upgrade && ctlex ingest` on an empty data directory: every bundled file, no failure."""

from __future__ import annotations

from sqlalchemy import func, select

from app.db import make_engine, make_sessionmaker
from app.models import Document, DocumentVersion, Provision
from ingest.manifest import default_corpus_dir, read_manifest


def test_every_corpus_file_is_ingested_without_failure(ingested_corpus) -> None:
    report = ingested_corpus.report
    manifest = read_manifest(default_corpus_dir() / "manifest.tsv")
    failures = {f.path: f.message for f in report.failed}
    assert failures == {}, failures
    assert report.counts()["new"] == len(manifest.entries)
    print("\n" + "\n".join(f"{f.path}: {f.provisions} provisions" for f in report.files))


def test_every_document_has_provisions(ingested_corpus) -> None:
    engine = make_engine(ingested_corpus.settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        counts = dict(
            session.execute(
                select(Document.id, func.count(Provision.id))
                .join(DocumentVersion, DocumentVersion.document_id == Document.id)
                .outerjoin(Provision, Provision.version_id == DocumentVersion.id)
                .where(Provision.text != "")
                .group_by(Document.id)
            ).all()
        )
        documents = session.scalars(select(Document.id)).all()
    engine.dispose()
    empty = [d for d in documents if counts.get(d, 0) == 0]
    assert documents and empty == []


def test_every_document_is_stored_in_its_manifest_language(ingested_corpus) -> None:
    """A language filter must find every act: detection may not override the manifest's
    language with a close neighbour (the Russian Criminal Code once came out as Bulgarian)."""
    manifest = read_manifest(default_corpus_dir() / "manifest.tsv")
    declared = {e.path: e.language for e in manifest.entries if e.language}
    engine = make_engine(ingested_corpus.settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        stored = dict(session.execute(select(Document.source_file, Document.language)).all())
    engine.dispose()
    wrong = {
        path: (stored.get(path), lang)
        for path, lang in declared.items()
        if stored.get(path) != lang
    }
    assert wrong == {}, "stored vs manifest language: " + repr(wrong)


def test_eurlex_consolidation_markers_become_notes(ingested_corpus) -> None:
    """EU Directive 2015/849 (EUR-Lex consolidated PDF): a drafter quoting an article must not get
    "▼M1" or "►M2 ... ◄" in the text; which act amended it is in the provision's notes."""
    engine = make_engine(ingested_corpus.settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        rows = session.execute(
            select(Provision.number, Provision.kind, Provision.text, Provision.notes)
            .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
            .join(Document, DocumentVersion.document_id == Document.id)
            .where(Document.source_file.like("%eu-directive-2015-849%"))
        ).all()
    engine.dispose()
    marked = [r.number for r in rows if r.kind != "preamble" and any(c in r.text for c in "▼►◄")]
    assert rows and marked == []
    article_2 = next(r for r in rows if r.number == "2" and r.kind == "article")
    assert "M1 text inserted or replaced by Directive (EU) 2018/843" in article_2.notes
    assert "(f) providers of gambling services;" in article_2.text
