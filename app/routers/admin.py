"""Admin endpoints (bearer token): curation of tags, ingest runs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.deps import SearchDep, SessionDep, SettingsDep
from app.models import IngestRun
from app.routers.api import ERRORS
from app.schemas import ProvisionPublic
from app.security import AdminDep
from app.services import admin as admin_service
from app.services.provisions import get_provision

router = APIRouter(prefix="/api")
ADMIN_ERRORS = {
    **ERRORS,
    401: ERRORS[422] | {"description": "Token missing"},
    403: ERRORS[422] | {"description": "Wrong token"},
    409: ERRORS[422] | {"description": "A run is in progress"},
}


class CurationRequest(BaseModel):
    add: list[Annotated[str, Field(max_length=40)]] = Field(default=[], max_length=50)
    remove: list[Annotated[str, Field(max_length=40)]] = Field(default=[], max_length=50)
    comment: str = Field("", max_length=2000)


class IngestRequest(BaseModel):
    force: bool = Field(False, description="re-process files whose content is unchanged")


class RunPublic(BaseModel):
    id: int
    status: str
    started_at: str
    finished_at: str | None
    options: dict[str, Any]
    summary: dict[str, Any]
    files: list[dict[str, Any]] | None = None


def _run(run: IngestRun, with_files: bool) -> RunPublic:
    return RunPublic(
        id=run.id,
        status=run.status,
        started_at=run.started_at.isoformat(),
        finished_at=run.finished_at.isoformat() if run.finished_at else None,
        options=run.options or {},
        summary=run.summary or {},
        files=[
            {
                "path": f.path,
                "document_id": f.document_id,
                "outcome": f.outcome,
                "message": f.message,
                "provisions": f.provisions,
                "tags": f.tags,
                "qa": f.qa,
                "diff": f.diff,
            }
            for f in run.files
        ]
        if with_files
        else None,
    )


@router.put(
    "/provisions/{provision_id:path}/tags", response_model=ProvisionPublic, responses=ADMIN_ERRORS
)
def curate_tags(
    provision_id: str,
    body: CurationRequest,
    session: SessionDep,
    backend: SearchDep,
    actor: AdminDep,
) -> ProvisionPublic:
    """Add or remove tags by hand. Curation wins over the rules, survives re-ingestion and
    carries over to the matching provision of a new version."""
    try:
        admin_service.curate(
            session,
            backend,
            provision_id,
            add=body.add,
            remove=body.remove,
            comment=body.comment,
            actor=actor,
        )
    except admin_service.InvalidCodes as exc:
        raise HTTPException(422, str(exc)) from exc
    return get_provision(session, provision_id)


@router.post("/admin/ingest", status_code=202, responses=ADMIN_ERRORS)
def start_ingest(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    actor: AdminDep,
    body: IngestRequest | None = None,
) -> dict[str, Any]:
    """Start a batch ingest of the corpus in the background; follow it with /api/admin/runs."""
    process = getattr(request.app.state, "ingest_process_pid", None)
    if process and admin_service._alive(process):
        raise HTTPException(409, "an ingest run started from this server is still running")
    try:
        pid = admin_service.start_ingest(session, settings, force=bool(body and body.force))
    except admin_service.RunInProgress as exc:
        raise HTTPException(409, str(exc)) from exc
    request.app.state.ingest_process_pid = pid
    return {"status": "started", "pid": pid, "started_by": actor, "runs": "/api/admin/runs"}


@router.get("/admin/runs", response_model=list[RunPublic], responses=ADMIN_ERRORS)
def list_runs(session: SessionDep, _: AdminDep) -> list[RunPublic]:
    """Ingest runs, newest first, with their summaries."""
    admin_service.running_run(session)
    runs = session.scalars(select(IngestRun).order_by(IngestRun.id.desc()).limit(100))
    return [_run(r, with_files=False) for r in runs]


@router.get("/admin/runs/{run_id}", response_model=RunPublic, responses=ADMIN_ERRORS)
def get_run(
    run_id: Annotated[int, Path(ge=1, le=2**63 - 1)], session: SessionDep, _: AdminDep
) -> RunPublic:
    """One run with its per-file report (outcome, message, QA findings, provision diff)."""
    run = session.get(IngestRun, run_id)
    if run is None:
        raise HTTPException(404, f"no ingest run {run_id}: list runs with /api/admin/runs")
    return _run(run, with_files=True)
