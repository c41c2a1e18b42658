"""One ingest of the whole bundled corpus per test session (SQLite + embedded index)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from app.migrate import upgrade_database
from app.settings import Settings
from ingest.pipeline import run_ingest
from ingest.report import RunReport


@dataclass(frozen=True)
class IngestedCorpus:
    settings: Settings
    report: RunReport
    data_dir: Path


@pytest.fixture(scope="session")
def ingested_corpus(tmp_path_factory: pytest.TempPathFactory) -> IngestedCorpus:
    data = tmp_path_factory.mktemp("corpus-data")
    # No worker memory ceiling here: workers fork from the pytest process, whose size depends on
    # what earlier tests loaded. The ceiling is tested from a fresh process in tests/hostile.
    settings = Settings(data_dir=data, worker_memory_bytes=0)
    upgrade_database(settings.sqlalchemy_url)
    report = run_ingest(settings, workers=2)
    return IngestedCorpus(settings, report, data)
