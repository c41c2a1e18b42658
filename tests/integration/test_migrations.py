"""The same migrations on SQLite and PostgreSQL: schema plus reference data."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from app.db import make_engine
from app.migrate import alembic_config, upgrade_database


def test_upgrade_creates_schema_and_reference_data(database_url: str) -> None:
    upgrade_database(database_url)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert {
            "documents",
            "document_versions",
            "provisions",
            "tags",
            "curations",
            "penalties",
            "ingest_runs",
            "ingest_file_results",
            "countries",
            "instruments",
            "offence_types",
        } <= tables
        assert conn.execute(text("SELECT count(*) FROM countries")).scalar() >= 249
        gbr = conn.execute(text("SELECT region, subregion FROM countries WHERE iso3='GBR'")).one()
        assert tuple(gbr) == ("Europe", "Northern Europe")
        assert (
            conn.execute(
                text("SELECT count(*) FROM countries WHERE iso3 IN ('INT', 'EUU')")
            ).scalar()
            == 2
        )
        codes = set(conn.execute(text("SELECT code FROM instruments")).scalars())
        assert {"FINANCING-1999", "UNSCR-1373", "BOMBINGS-1997", "COE-2005"} <= codes
        offences = set(conn.execute(text("SELECT code FROM offence_types")).scalars())
        assert {"financing", "recruitment", "terrorism_definition", "organized_crime"} <= offences
        assert len(offences) == 30
    engine.dispose()


def test_downgrade_then_upgrade_again(database_url: str) -> None:
    upgrade_database(database_url)
    command.downgrade(alembic_config(database_url), "base")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert "provisions" not in inspect(conn).get_table_names()
    engine.dispose()
    upgrade_database(database_url)
