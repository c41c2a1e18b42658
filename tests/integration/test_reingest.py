"""Batch re-ingestion: incremental, versioned, curation kept (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db import make_engine, make_sessionmaker
from app.main import create_app
from app.migrate import upgrade_database
from app.models import Curation, Document, DocumentVersion, Provision, Tag
from app.settings import Settings
from ingest.pipeline import open_backend, run_ingest
from tests.small_corpus import GBR, ITA, TWN, make_corpus, write_manifest

TOKEN = "test-admin-token-0123456789"
S15 = "gbr/act/2000/terrorism-act/~part_III__sec_15"


@pytest.fixture
def setup(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    upgrade_database(database_url)
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, admin_token=TOKEN)
    corpus = make_corpus(tmp_path / "corpus", [GBR, ITA, TWN])
    report = run_ingest(settings, [corpus], workers=1)
    assert not report.failed, report.failed
    return settings, corpus


def snapshot(settings: Settings) -> dict[str, object]:
    engine = make_engine(settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as s:
        state = {
            "counts": [
                s.scalar(select(func.count()).select_from(m))
                for m in (Document, DocumentVersion, Provision, Tag)
            ],
            "documents": sorted(
                (d.id, d.updated_at.isoformat()) for d in s.scalars(select(Document))
            ),
            "versions": sorted(
                (v.id, v.content_hash, v.created_at.isoformat())
                for v in s.scalars(select(DocumentVersion))
            ),
            "max_provision": s.scalar(select(func.max(Provision.id))),
        }
    engine.dispose()
    state["indexed"] = open_backend(settings).count()
    return state


def test_unchanged_reingest_changes_nothing(setup) -> None:  # type: ignore[no-untyped-def]
    settings, corpus = setup
    before = snapshot(settings)
    report = run_ingest(settings, [corpus], workers=1)
    assert {f.outcome for f in report.files} == {"unchanged"}
    assert report.indexed is None, "the index is not rebuilt when nothing changed"
    assert snapshot(settings) == before


def test_force_reprocesses_without_new_versions(setup) -> None:  # type: ignore[no-untyped-def]
    settings, corpus = setup
    before = snapshot(settings)
    report = run_ingest(settings, [corpus], workers=1, force=True)
    assert {f.outcome for f in report.files} == {"reprocessed"}
    after = snapshot(settings)
    assert after["counts"] == before["counts"]
    assert [v[:2] for v in after["versions"]] == [v[:2] for v in before["versions"]]
    assert after["indexed"] == before["indexed"]


def amend_gbr(corpus: Path) -> None:
    path = corpus / GBR.path
    text = path.read_text("utf-8")
    assert "invites another to provide money or other property" in text
    path.write_text(
        text.replace(
            "invites another to provide money or other property",
            "invites another to provide money, crypto-assets or other property",
        ),
        "utf-8",
    )
    write_manifest(corpus, [dataclasses.replace(GBR, version_date="2024-01-01"), ITA, TWN])


def test_amended_file_becomes_a_new_version_with_diff(setup) -> None:  # type: ignore[no-untyped-def]
    settings, corpus = setup
    amend_gbr(corpus)
    report = run_ingest(settings, [corpus], workers=1)
    outcome = {f.path: f for f in report.files}
    assert outcome[GBR.path].outcome == "changed"
    assert outcome[ITA.path].outcome == "unchanged"
    assert outcome[GBR.path].diff["changed"] == ["part_III__sec_15"]
    assert outcome[GBR.path].diff["added"] == [] and outcome[GBR.path].diff["removed"] == []

    with TestClient(create_app(settings)) as client:
        now = client.get(f"/api/provisions/{S15}").json()
        assert "crypto-assets" in now["text"]
        old = client.get(f"/api/provisions/{S15}", params={"as_of": "2022-06-01"}).json()
        assert "crypto-assets" not in old["text"] and "money or other property" in old["text"]
        assert [v["current"] for v in now["versions"]] == [False, True]
        hits = client.get("/api/search", params={"q": "crypto"}).json()
        assert hits["total"] == 1 and hits["hits"][0]["id"] == S15
        past = client.get("/api/search", params={"q": "crypto", "as_of": "2022-06-01"}).json()
        assert past["total"] == 0
        doc = client.get(f"/api/documents/{GBR.document_id}", params={"as_of": "2021-01-01"}).json()
        assert len(doc["versions"]) == 2


def curate_s15(client: TestClient):  # type: ignore[no-untyped-def]
    """An adviser's curation of s. 15: recruitment added, financing removed."""
    r = client.put(
        f"/api/provisions/{S15}/tags",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"add": ["recruitment"], "remove": ["financing"], "comment": "test curation"},
    )
    assert r.status_code == 200, r.text
    return r


def test_curated_tag_survives_reingest_reindex_and_new_version(setup) -> None:  # type: ignore[no-untyped-def]
    settings, corpus = setup
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(settings)) as client:
        r = curate_s15(client)
        codes = {t["code"]: t["origin"] for t in r.json()["tags"]}
        assert codes.get("recruitment") == "curation" and "financing" not in codes
        assert (
            client.put(f"/api/provisions/{S15}/tags", json={"add": ["financing"]}).status_code
            == 401
        )
        assert (
            client.put(
                f"/api/provisions/{S15}/tags",
                json={"add": ["x"]},
                headers={"Authorization": "Bearer wrong"},
            ).status_code
            == 403
        )
        assert (
            client.put(
                f"/api/provisions/{S15}/tags", json={"add": ["no-such-code"]}, headers=auth
            ).status_code
            == 422
        )

    def check(client: TestClient) -> None:
        body = client.get(f"/api/provisions/{S15}").json()
        codes = {t["code"] for t in body["tags"]}
        assert "recruitment" in codes and "financing" not in codes
        found = client.get(
            "/api/search", params={"offence": "recruitment", "country": "GBR"}
        ).json()
        assert S15 in {h["id"] for h in found["hits"]}

    run_ingest(settings, [corpus], workers=1, force=True)
    with TestClient(create_app(settings)) as client:
        check(client)
    from app.services.indexing import rebuild_index

    engine = make_engine(settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        rebuild_index(session, open_backend(settings))
    engine.dispose()
    amend_gbr(corpus)
    run_ingest(settings, [corpus], workers=1)
    with TestClient(create_app(settings)) as client:
        check(client)


def test_curation_follows_a_provision_whose_eid_changes(setup) -> None:  # type: ignore[no-untyped-def]
    # Better segmentation can move a provision under another container, which changes its eId
    # and uid: the adviser's curation must follow it, and the run report must say so.
    settings, corpus = setup
    with TestClient(create_app(settings)) as client:
        curate_s15(client)
    path = corpus / GBR.path
    text = path.read_text("utf-8")
    assert "\nPART III\nTERRORIST PROPERTY\n" in text
    # "PART IIIA" is not read as a part: sections 14-31 fall under Part II, as a segmentation
    # change would put them.
    path.write_text(text.replace("\nPART III\nTERRORIST PROPERTY\n", "\nPART IIIA\n", 1), "utf-8")
    report = run_ingest(settings, [corpus], workers=1)
    gbr = {f.path: f for f in report.files}[GBR.path]
    moved = "gbr/act/2000/terrorism-act/~part_II__sec_15"
    assert gbr.outcome == "changed"
    assert f"curation of {S15} carried to {moved} (the provision's new eId)" in gbr.qa
    with TestClient(create_app(settings)) as client:
        body = client.get(f"/api/provisions/{moved}").json()
        codes = {t["code"]: t["origin"] for t in body["tags"]}
        assert codes.get("recruitment") == "curation" and "financing" not in codes
        found = client.get("/api/search", params={"offence": "recruitment", "country": "GBR"})
        assert moved in {h["id"] for h in found.json()["hits"]}
    # The curation under the old uid is kept (the earlier version still holds that provision).
    engine = make_engine(settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session:
        uids = session.scalars(select(Curation.provision_uid)).all()
    engine.dispose()
    assert sorted(uids) == sorted([S15, S15, moved, moved])
    # Forcing a re-ingest neither copies the curation twice nor reports it again.
    again = run_ingest(settings, [corpus], workers=1, force=True)
    assert not [m for f in again.files for m in f.qa if "curation of" in m]
