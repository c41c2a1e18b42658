"""The one settings object. Nothing else reads os.environ."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """ctlex configuration, read from ``CTLEX_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="CTLEX_", env_file=None, extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = None
    search_backend: Literal["embedded", "opensearch"] = "embedded"
    opensearch_url: str | None = None
    opensearch_index: str = "ctlex-provisions"
    # Test-only: osmem-server refuses some of the production analyzers (see design.md §7).
    opensearch_test_mapping: bool = False
    admin_token: str | None = None
    mode: Literal["development", "production"] = "development"
    corpus_dir: Path = REPO_ROOT / "corpus"
    workers: int | None = None
    # Address-space ceiling per extraction worker (0: none); see ingest/limits.py.
    worker_memory_bytes: int = 3 * 2**29
    # Load the embedding model in the background at start-up, so that the first "similar
    # provisions" request does not wait for it (set by `ctlex serve`; off in tests).
    preload_model: bool = False
    # Test-only: see ingest/faults.py.
    faultpoint: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.search_backend == "opensearch" and not self.opensearch_url:
            raise ValueError(
                "CTLEX_SEARCH_BACKEND=opensearch needs CTLEX_OPENSEARCH_URL "
                "(e.g. http://localhost:9200)"
            )
        return self

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Prefer psycopg 3 for plain postgresql:// URLs.
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        return f"sqlite:///{(self.data_dir / 'ctlex.sqlite3').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache
def get_settings() -> Settings:
    return Settings()
