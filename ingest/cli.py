"""The ``ctlex`` command line: thin typer commands over the pipeline and services."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.settings import get_settings

app = typer.Typer(help="ctlex: counter-terrorism legislation database", no_args_is_help=True)
db_app = typer.Typer(help="Database schema", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(stderr=True)


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply the database migrations (creates the SQLite file if needed)."""
    from app.migrate import upgrade_database

    upgrade_database(get_settings().sqlalchemy_url, revision)
    console.print(f"[green]database at {revision}[/green]")


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="folders with a manifest, or files")
    ] = None,
    workers: Annotated[int, typer.Option(help="extraction processes (default: cores)")] = 0,
    force: Annotated[
        bool, typer.Option(help="re-process files whose content is unchanged")
    ] = False,
    json_report: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Ingest the bundled corpus (or PATHS): extract, segment, tag, store, index."""
    from ingest.limits import MemoryLimitError
    from ingest.pipeline import IngestLocked, run_ingest

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    settings = get_settings()
    n_workers = workers or settings.workers or os.cpu_count() or 1
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, int] = {}

        def on_progress(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(f"{what:>6}", total=total)
            bar.update(tasks[what], completed=done, total=total)

        try:
            report = run_ingest(
                settings, paths, workers=n_workers, force=force, progress=on_progress
            )
        except (IngestLocked, MemoryLimitError) as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from exc
    if json_report:
        print(
            json.dumps(
                {
                    "run_id": report.run_id,
                    **report.summary(),
                    "failed": [f.__dict__ for f in report.failed],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print_report(report)
    raise typer.Exit(report.exit_code)


def print_report(report) -> None:  # type: ignore[no-untyped-def]
    out = Console()
    counts = report.counts()
    out.print(f"[bold]Ingest run {report.run_id}[/bold] in {report.seconds:.1f}s")
    out.print("files: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    out.print(
        f"provisions stored: {sum(f.provisions for f in report.files):,}; "
        f"indexed: {report.indexed if report.indexed is not None else 'unchanged'}"
    )
    if report.tag_counts:
        table = Table("tag", "provisions", title="tags per code")
        for code, n in sorted(report.tag_counts.items(), key=lambda kv: -kv[1]):
            table.add_row(code, str(n))
        out.print(table)
    qa = [(f.path, q) for f in report.files for q in f.qa]
    if qa:
        out.print(f"[yellow]QA: {len(qa)} finding(s) need a human look[/yellow]")
        for path, finding in qa[:40]:
            out.print(f"  {path}: {finding}")
    for f in report.failed:
        out.print(f"[red]FAILED[/red] {f.path}: {f.message}")


@app.command()
def reindex() -> None:
    """Rebuild the search index from SQL into a fresh index and swap it in atomically."""
    from app.db import make_engine, make_sessionmaker
    from app.services.indexing import rebuild_index
    from ingest.pipeline import open_backend

    settings = get_settings()
    engine = make_engine(settings.sqlalchemy_url)
    with make_sessionmaker(engine)() as session, Progress(console=console) as bar:
        task = bar.add_task("index", total=None)
        n = rebuild_index(session, open_backend(settings), lambda k: bar.update(task, completed=k))
    console.print(f"[green]indexed {n:,} provisions[/green]")


@app.command()
def tag(
    file: Annotated[str, typer.Argument(help="a text file, or - for standard input")] = "-",
    language: Annotated[str | None, typer.Option(help="ISO 639-1 code; detected if absent")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Tag a piece of text: detected language, offence types, instruments, evidence."""
    from ingest.language import detect_language
    from ingest.tagging import tag_text

    text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    lang = language or detect_language(text).language
    tags = tag_text(text, lang)
    result = {
        "language": lang,
        "offences": [t.code for t in tags if t.kind == "offence"],
        "instruments": [t.code for t in tags if t.kind == "instrument"],
        "evidence": {
            t.code: [{"rule": e.rule, "matched": list(e.matched)} for e in t.evidence] for t in tags
        },
    }
    if json_out:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    out = Console()
    out.print(f"language: {lang}")
    for t in tags:
        ev = "; ".join(f"{e.rule}: {', '.join(e.matched)}" for e in t.evidence)
        out.print(f"{t.kind:10} {t.code:22} {ev}")
    if not tags:
        out.print("no tags")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="server processes (default: cores, at most 4); more answer more concurrent "
            "users, each holds its own caches and the similarity matrix (about 50 MB per "
            "20,000 provisions)",
        ),
    ] = None,
) -> None:
    """Serve the API and web pages."""
    import uvicorn

    # Measured with bench/load.py (32 clients, 2 cores): 2 processes answer 1.5x the requests
    # of one, with provision, compare and export p50 2.9-3.2x lower.
    workers = workers or min(os.cpu_count() or 1, 4)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Idle keep-alive connections are closed after 30 s so that many idle clients cannot
        # hold every slot.
        timeout_keep_alive=30,
    )


if __name__ == "__main__":
    app()
