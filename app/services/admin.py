"""Admin services: curation of tags and background ingest runs."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Curation, IngestRun, Instrument, OffenceType, Provision
from app.services.indexing import reindex_provisions
from app.services.provisions import NotFound, split_id
from app.settings import REPO_ROOT, Settings


class InvalidCodes(ValueError):
    """Unknown tag codes in a curation request."""


class RunInProgress(RuntimeError):
    """An ingest run is already going on."""


def curate(
    session: Session,
    backend: Any,
    provision_id: str,
    *,
    add: list[str],
    remove: list[str],
    comment: str,
    actor: str,
) -> None:
    """Record a person's tag decisions for a provision (all its versions) and re-index it."""
    uid, _ = split_id(provision_id)
    if session.scalar(select(Provision.id).where(Provision.uid == uid).limit(1)) is None:
        raise NotFound(f"no provision '{uid}': search for it with /api/search")
    kinds = dict.fromkeys(session.scalars(select(OffenceType.code)), "offence")
    kinds.update(dict.fromkeys(session.scalars(select(Instrument.code)), "instrument"))
    unknown = [c for c in [*add, *remove] if c not in kinds]
    if unknown:
        raise InvalidCodes(
            f"unknown tag code(s) {', '.join(map(repr, unknown))}: use the codes listed by "
            "GET /api/taxonomy"
        )
    from app.services.indexing import index_is_fresh

    was_fresh = index_is_fresh(session, backend)
    both = set(add) & set(remove)
    if both:
        raise InvalidCodes(f"code(s) both added and removed: {', '.join(sorted(both))}")
    for action, codes in (("add", add), ("remove", remove)):
        for code in codes:
            session.add(
                Curation(
                    provision_uid=uid,
                    code=code,
                    kind=kinds[code],
                    action=action,
                    comment=comment,
                    actor=actor,
                )
            )
    session.commit()
    reindex_provisions(session, backend, [uid], was_fresh=was_fresh)


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def running_run(session: Session) -> IngestRun | None:
    """The ingest run still going on, if any (runs whose process died are marked failed)."""
    for run in session.scalars(select(IngestRun).where(IngestRun.status == "running")):
        if _alive(run.options.get("pid")):
            return run
        run.status = "failed"
        run.summary = {**(run.summary or {}), "error": "the ingest process stopped unexpectedly"}
    session.commit()
    return None


def start_ingest(session: Session, settings: Settings, *, force: bool) -> int:
    """Start `ctlex ingest` in a separate process; returns its pid."""
    active = running_run(session)
    if active is not None:
        raise RunInProgress(f"ingest run {active.id} is still running: wait for it to finish")
    env = dict(os.environ)
    env["CTLEX_DATA_DIR"] = str(settings.data_dir)
    if settings.database_url:
        env["CTLEX_DATABASE_URL"] = settings.database_url
    env["CTLEX_SEARCH_BACKEND"] = settings.search_backend
    if settings.opensearch_url:
        env["CTLEX_OPENSEARCH_URL"] = settings.opensearch_url
    args = [sys.executable, "-m", "ingest.cli", "ingest", "--json"]
    if force:
        args.append("--force")
    log = open(settings.data_dir / "last-admin-ingest.log", "wb")  # noqa: SIM115 - child owns it
    process = subprocess.Popen(
        args, cwd=REPO_ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    return process.pid
