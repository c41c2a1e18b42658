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
    settings = Settings(data_dir=data)
    upgrade_database(settings.sqlalchemy_url)
    report = run_ingest(settings, workers=2)
    return IngestedCorpus(settings, report, data)
