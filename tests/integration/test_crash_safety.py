"""SIGKILL `ctlex ingest` at 10 points; after each the API still answers, SQL is consistent,
and the next run ends identical to an uninterrupted one."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.migrate import upgrade_database
from app.settings import REPO_ROOT, Settings
from tests.small_corpus import GBR, ITA, TWN, make_corpus, write_manifest

FAULT_POINTS = [
    "run_started",
    "file_stored:1",
    "file_stored:2",
    "mid_transaction:1",
    "mid_transaction:2",
    "index_doc:1",
    "index_doc:200",
    "index_built",
    "index_swapped",
    "file_stored:3",
]
QUERIES = ["crypto", "financing", '"money or other property"', "proscribed AND organisation"]


def ctlex_ingest(
    data_dir: Path, corpus: Path, fault: str | None = None, force: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTLEX_")}
    env["CTLEX_DATA_DIR"] = str(data_dir)
    if fault:
        env["CTLEX_FAULTPOINT"] = fault
    args = [sys.executable, "-m", "ingest.cli", "ingest", str(corpus), "--workers", "1"]
    if force:
        args.append("--force")
    return subprocess.run(args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)


def state(data_dir: Path) -> dict[str, object]:
    """Everything a user can observe, without ids and timestamps."""
    db = sqlite3.connect(data_dir / "ctlex.sqlite3")
    rows = {
        "versions": sorted(
            db.execute(
                "SELECT document_id, content_hash, is_current, valid_from, valid_to "
                "FROM document_versions"
            )
        ),
        "provisions": sorted(
            db.execute(
                "SELECT p.uid, p.text_hash, v.content_hash FROM provisions p "
                "JOIN document_versions v ON v.id = p.version_id"
            )
        ),
        "tags": sorted(
            db.execute(
                "SELECT p.uid, v.content_hash, t.code FROM tags t JOIN provisions p "
                "ON p.id = t.provision_id JOIN document_versions v ON v.id = p.version_id"
            )
        ),
    }
    db.close()
    with TestClient(create_app(Settings(data_dir=data_dir))) as client:
        rows["search"] = {
            q: client.get("/api/search", params={"q": q, "size": 100}).json() for q in QUERIES
        }
        for page in rows["search"].values():
            for hit in page["hits"]:
                hit.pop("score", None)
    return rows


def integrity(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / "ctlex.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert (
        db.execute(
            "SELECT document_id FROM document_versions WHERE is_current "
            "GROUP BY document_id HAVING count(*) > 1"
        ).fetchall()
        == []
    )
    assert (
        db.execute(
            "SELECT v.id FROM document_versions v LEFT JOIN provisions p ON p.version_id = v.id "
            "WHERE p.id IS NULL"
        ).fetchall()
        == []
    ), "a version without provisions was committed"
    db.close()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("crash")
    corpus = make_corpus(root / "corpus", [GBR, ITA])
    before = root / "before"
    upgrade_database(Settings(data_dir=before).sqlalchemy_url)
    assert ctlex_ingest(before, corpus).returncode == 0
    # Version 2 of the collection: GBR and ITA amended with new version dates, TWN new; three
    # files to store, so the fail points between and inside files all fire.
    make_corpus(corpus, [GBR, ITA, TWN])
    for row, old, new in (
        (
            GBR,
            "invites another to provide money or other property",
            "invites another to provide money, crypto-assets or other property",
        ),
        (ITA, "da cinque a dieci anni", "da sei a dodici anni"),
    ):
        path = corpus / row.path
        text = path.read_text("utf-8")
        assert old in text, (row.path, old)
        path.write_text(text.replace(old, new), "utf-8")
    write_manifest(
        corpus,
        [
            dataclasses.replace(GBR, version_date="2024-01-01"),
            dataclasses.replace(ITA, version_date="2024-02-01"),
            TWN,
        ],
    )
    clean = root / "clean"
    shutil.copytree(before, clean)
    assert ctlex_ingest(clean, corpus).returncode == 0
    return {"corpus": corpus, "before": before, "clean": clean}


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_killed_ingest_recovers(baseline: dict[str, Path], tmp_path: Path, point: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(baseline["before"], data)
    previous = state(baseline["before"])

    killed = ctlex_ingest(data, baseline["corpus"], fault=point)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr[-2000:])

    integrity(data)
    after_kill = state(data)
    if point != "index_swapped":
        # The previous index keeps serving the previous data.
        assert after_kill["search"] == previous["search"]
    else:
        assert after_kill["search"] == state(baseline["clean"])["search"]

    again = ctlex_ingest(data, baseline["corpus"])
    assert again.returncode == 0, again.stdout[-3000:]
    integrity(data)
    assert state(data) == state(baseline["clean"])
