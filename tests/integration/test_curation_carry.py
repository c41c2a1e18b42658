"""Which provision a curation follows when a re-ingest changes eIds (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from app.db import make_engine, make_sessionmaker
from app.migrate import upgrade_database
from app.models import Curation, Document, DocumentVersion, Provision
from ingest.curation_carry import ProvisionKey, carry_curations

DOC = "gbr/act/2020/test-act"


def _provision(version: DocumentVersion, key: ProvisionKey, position: int) -> Provision:
    return Provision(
        version_id=version.id,
        uid=f"{DOC}/~{key.eid}",
        eid=key.eid,
        kind=key.kind,
        number=key.number,
        text="text",
        position=position,
        text_hash=key.text_hash,
    )


def test_curations_follow_text_then_number_and_the_rest_are_reported(database_url) -> None:  # type: ignore[no-untyped-def]
    upgrade_database(database_url)
    engine = make_engine(database_url)
    old = [
        ProvisionKey("sec_1", "section", "1", "h1"),  # same text, new place
        ProvisionKey("sec_2", "section", "2", "h2"),  # text amended, same number
        ProvisionKey("sec_3", "section", "3", "h3"),  # gone
        ProvisionKey("sec_4", "section", "4", "h4"),  # unchanged
    ]
    new = [
        ProvisionKey("chp_1__sec_1", "section", "1", "h1"),
        ProvisionKey("chp_1__sec_2", "section", "2", "h2-amended"),
        ProvisionKey("sec_4", "section", "4", "h4"),
    ]
    with make_sessionmaker(engine)() as session:
        session.add(
            Document(
                id=DOC,
                country="GBR",
                title="Test Act",
                doc_type="act",
                year=2020,
                language="en",
                format="txt",
                status="official",
                source_file="raw/x.txt",
            )
        )
        version = DocumentVersion(document_id=DOC, content_hash="c2", valid_from="2020-01-01")
        session.add(version)
        session.flush()
        session.add_all(_provision(version, key, i) for i, key in enumerate(new))
        for eid in ("sec_1", "sec_2", "sec_3", "sec_4"):
            session.add(
                Curation(
                    provision_uid=f"{DOC}/~{eid}", code="financing", kind="offence", action="add"
                )
            )
        session.flush()
        messages = carry_curations(session, DOC, old, new)
        again = carry_curations(session, DOC, old, new)
        session.commit()
        uids = sorted(session.scalars(select(Curation.provision_uid)))
    engine.dispose()
    assert messages == [
        f"curation of {DOC}/~sec_1 carried to {DOC}/~chp_1__sec_1 (the provision's new eId)",
        f"curation of {DOC}/~sec_2 carried to {DOC}/~chp_1__sec_2 (the provision's new eId)",
        f"curation of {DOC}/~sec_3 kept but not applied: no provision of this version matches it "
        "(re-apply it with PUT /api/provisions/{id}/tags)",
    ]
    assert again[:2] == messages[:2]  # reported again, but not copied twice
    assert uids == sorted(
        f"{DOC}/~{eid}"
        for eid in ("sec_1", "sec_2", "sec_3", "sec_4", "chp_1__sec_1", "chp_1__sec_2")
    )
