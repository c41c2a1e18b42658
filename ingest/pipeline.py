"""Compose the ingestion stages; the only module that writes to SQL and the search index."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_engine, make_sessionmaker, session_scope
from app.models import IngestFileResult, IngestRun, Tag, utcnow
from app.services.indexing import index_is_fresh, rebuild_index
from app.settings import Settings
from ingest.errors import SourceParseError
from ingest.faults import fault
from ingest.limits import (
    apply_memory_limit,
    check_memory_limit,
    memory_error_message,
    size_problem,
)
from ingest.load import find_version, store_document
from ingest.manifest import find_manifest, find_unlisted_files, read_manifest
from ingest.process import ProcessedDocument, content_hash, process_file
from ingest.qa import check_document
from ingest.records import ManifestEntry
from ingest.report import FileReport, RunReport
from search_index import get_backend

log = logging.getLogger("ctlex.ingest")

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class Job:
    entry: ManifestEntry
    path: Path
    source_file: str  # as stored in documents.source_file


def open_backend(settings: Settings):  # type: ignore[no-untyped-def]
    return get_backend(
        settings.search_backend,
        data_dir=settings.data_dir,
        opensearch_url=settings.opensearch_url,
        index_name=settings.opensearch_index,
        opensearch_test_mapping=settings.opensearch_test_mapping,
    )


def run_ingest(
    settings: Settings,
    sources: list[Path] | None = None,
    *,
    workers: int = 1,
    force: bool = False,
    progress: Progress | None = None,
) -> RunReport:
    """Ingest every manifest-listed file of ``sources`` (default: the bundled corpus).

    Raises:
        IngestLocked: another ingest holds the data directory's lock.
        MemoryLimitError: the worker memory ceiling is below what a worker needs to start.
    """
    if workers > 1:
        check_memory_limit(settings.worker_memory_bytes)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "ingest.lock", "w") as lock:
        try:
            # The kernel drops the lock when the process dies, even on SIGKILL.
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestLocked(
                "another ingest is running on this data directory: wait for it to finish"
            ) from exc
        return _run_locked(settings, sources, workers=workers, force=force, progress=progress)


class IngestLocked(RuntimeError):
    """Another ingest run holds the data directory."""


def _run_locked(
    settings: Settings,
    sources: list[Path] | None,
    *,
    workers: int,
    force: bool,
    progress: Progress | None,
) -> RunReport:
    started = time.perf_counter()
    engine = make_engine(settings.sqlalchemy_url)
    factory = make_sessionmaker(engine)
    report = RunReport()
    with session_scope(factory) as session:
        run = IngestRun(
            options={
                "sources": [str(s) for s in sources or []],
                "force": force,
                "workers": workers,
                "pid": os.getpid(),
            }
        )
        session.add(run)
        session.flush()
        report.run_id = run.id
    fault("run_started")

    jobs = _discover(sources or [settings.corpus_dir], report)
    todo = _skip_unchanged(factory, jobs, force, report)
    _process_all(
        factory, todo, workers, report, progress, memory=settings.worker_memory_bytes or None
    )

    changed = any(f.outcome in ("new", "changed", "reprocessed") for f in report.files)
    backend = open_backend(settings)
    with factory() as session:
        # A run killed between its SQL writes and the index swap leaves the index behind SQL:
        # the recorded fingerprint tells, and this run rebuilds it.
        if changed or force or not index_is_fresh(session, backend):
            total = _count_citable(session)
            report.indexed = rebuild_index(
                session, backend, lambda n: progress and progress("index", n, total), watch=fault
            )
    report.seconds = time.perf_counter() - started
    _finish_run(factory, report)
    engine.dispose()
    return report


def _discover(sources: list[Path], report: RunReport) -> list[Job]:
    jobs: list[Job] = []
    for source in sources:
        source = source.resolve()
        manifest = _manifest_for(source)
        if manifest is None:
            report.files.append(
                FileReport(
                    str(source),
                    "failed",
                    message="no manifest found (manifest.tsv, .csv or .json in the folder "
                    "or a parent): write one as described in corpus/README.md",
                )
            )
            continue
        root = manifest.parent
        result = read_manifest(manifest)
        for error in result.errors:
            report.files.append(
                FileReport(
                    error.path or f"{manifest.name}:{error.row}",
                    "failed",
                    message=f"manifest row {error.row}: {error.message}",
                )
            )
        wanted = [
            e for e in result.entries if source.is_dir() or (root / e.path).resolve() == source
        ]
        for entry in wanted:
            path = root / entry.path
            if not path.is_file():
                report.files.append(
                    FileReport(
                        entry.path,
                        "failed",
                        entry.document_id,
                        "the manifest lists this file but it is missing: restore it or "
                        "remove its manifest row",
                    )
                )
                continue
            jobs.append(Job(entry, path, _relative_name(path)))
        if source.is_dir():
            for extra in find_unlisted_files(root, result.listed_paths):
                report.files.append(
                    FileReport(
                        extra.as_posix(),
                        "failed",
                        message="file not in the manifest: add a manifest row "
                        "(country, title, type, year, language, status) to ingest it",
                    )
                )
    return jobs


def _manifest_for(source: Path) -> Path | None:
    """The manifest of a folder, or of the nearest folder above a single file."""
    folders = [source] if source.is_dir() else list(source.parents)
    for folder in folders:
        manifest = find_manifest(folder)
        if manifest is not None:
            return manifest
    return None


def _relative_name(path: Path) -> str:
    parts = path.resolve().parts
    if "corpus" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("corpus") + 1 :])
    return str(path)


def _skip_unchanged(
    factory: sessionmaker[Session], jobs: list[Job], force: bool, report: RunReport
) -> list[Job]:
    todo = []
    with factory() as session:
        for job in jobs:
            size = job.path.stat().st_size
            # Refused before it is read at all, not even for hashing.
            problem = size_problem(size, job.entry.format)
            if problem:
                report.files.append(
                    FileReport(job.entry.path, "failed", job.entry.document_id, problem)
                )
                continue
            digest = content_hash(job.path.read_bytes())
            if not force and find_version(session, job.entry.document_id, digest):
                report.files.append(FileReport(job.entry.path, "unchanged", job.entry.document_id))
                continue
            todo.append(job)
    return todo


def _work(entry: ManifestEntry, path: str) -> ProcessedDocument:
    return process_file(entry, Path(path).read_bytes())


def _init_worker(memory: int | None) -> None:
    """Set up an extraction worker: its memory ceiling, and one BLAS thread.

    The embedding model's matrix products would otherwise start one BLAS thread per core in
    every worker: with as many workers as cores the threads fight over the cores. Measured on
    the bundled corpus with 2 workers on 2 cores: 117 s with default BLAS threads, 70 s with one.
    """
    apply_memory_limit(memory)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _worker_result(future: Future[ProcessedDocument], memory: int | None):  # type: ignore[no-untyped-def]
    """A finished task's document, or the exception that becomes its per-file failure."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise
    except MemoryError:
        return SourceParseError(memory_error_message(memory))
    except Exception as exc:  # noqa: BLE001 - every error becomes a per-file report line
        return exc


def _process_all(
    factory,
    todo: list[Job],
    workers: int,
    report: RunReport,  # type: ignore[no-untyped-def]
    progress: Progress | None,
    memory: int | None = None,
) -> None:
    """Process ``todo`` in worker processes capped at ``memory`` bytes each; store each result.

    A worker that dies (a C library aborting past the ceiling, a kill) breaks the whole pool
    and every task still in it; those files are retried one per fresh process, so only the
    file that really kills its worker is reported failed.
    """
    total = len(todo)
    done = 0

    def finish(job: Job, result) -> None:  # type: ignore[no-untyped-def]
        nonlocal done
        _store(factory, job, result, report)
        done += 1
        if progress:
            progress("files", done, total)

    if progress:
        progress("files", 0, total)
    if workers <= 1:  # in-process (tests, debugging): no ceiling, since it would cap the caller
        for job in todo:
            try:
                result: ProcessedDocument | Exception = _work(job.entry, str(job.path))
            except Exception as exc:  # noqa: BLE001 - every error becomes a per-file report line
                result = exc
            finish(job, result)
        return
    suspects: list[Job] = []
    with ProcessPoolExecutor(
        max_workers=max(workers, 1), initializer=_init_worker, initargs=(memory,)
    ) as pool:
        futures = [(job, pool.submit(_work, job.entry, str(job.path))) for job in todo]
        for job, future in futures:
            try:
                finish(job, _worker_result(future, memory))
            except BrokenProcessPool:
                suspects.append(job)
    for job in suspects:
        with ProcessPoolExecutor(
            max_workers=1, initializer=_init_worker, initargs=(memory,)
        ) as pool:
            try:
                result = _worker_result(pool.submit(_work, job.entry, str(job.path)), memory)
            except BrokenProcessPool:
                result = SourceParseError(
                    "the worker processing this file died: "
                    + memory_error_message(memory).split(": ", 1)[1]
                )
        finish(job, result)


def _store(factory, job: Job, result, report: RunReport) -> None:  # type: ignore[no-untyped-def]
    entry = job.entry
    if isinstance(result, Exception):
        message = (
            str(result)
            if isinstance(result, SourceParseError)
            else (f"unexpected {type(result).__name__}: {result}")
        )
        log.warning(
            "failed %s: %s",
            entry.path,
            message,
            exc_info=None if isinstance(result, SourceParseError) else result,
        )
        report.files.append(FileReport(entry.path, "failed", entry.document_id, message))
        return
    qa = check_document(result)
    try:
        with session_scope(factory) as session:
            stored = store_document(session, result, job.source_file)
            fault("mid_transaction")
    except Exception as exc:  # noqa: BLE001 - the transaction rolled back; nothing half-written
        report.files.append(
            FileReport(
                entry.path,
                "failed",
                entry.document_id,
                f"could not store: {type(exc).__name__}: {exc}",
            )
        )
        return
    fault("file_stored")
    for item in result.processed:
        report.tag_counts.update(t.code for t in item.tags)
    qa.extend(stored.qa)
    report.files.append(
        FileReport(
            entry.path,
            stored.outcome,
            entry.document_id,
            provisions=stored.provisions,
            tags=stored.tags,
            seconds=round(result.seconds, 3),
            qa=qa,
            diff=stored.diff,
        )
    )


def _count_citable(session: Session) -> int:
    from app.models import Provision

    stmt = select(func.count()).select_from(Provision).where(Provision.text != "")
    return int(session.scalar(stmt) or 0)


def _finish_run(factory, report: RunReport) -> None:  # type: ignore[no-untyped-def]
    with session_scope(factory) as session:
        run = session.get(IngestRun, report.run_id)
        run.finished_at = utcnow()
        run.status = "failed" if report.failed else "done"
        run.summary = report.summary()
        for f in report.files:
            session.add(
                IngestFileResult(
                    run_id=run.id,
                    path=f.path,
                    document_id=f.document_id,
                    outcome=f.outcome,
                    message=f.message,
                    provisions=f.provisions,
                    tags=f.tags,
                    seconds=f.seconds,
                    qa=f.qa,
                    diff=f.diff,
                )
            )


def tag_counts(session: Session) -> Counter[str]:
    return Counter(dict(session.execute(select(Tag.code, func.count()).group_by(Tag.code)).all()))
