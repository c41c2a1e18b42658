"""Apply Alembic migrations to a database URL (used by `ctlex db upgrade` and the tests)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from app.db import make_engine
from app.settings import REPO_ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (creating a SQLite file's folder)."""
    make_engine(url).dispose()
    command.upgrade(alembic_config(url), revision)
