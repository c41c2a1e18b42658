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
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="title of the document the text belongs to (rules with a document context:"
            " 'an offence under this Act' in an Anti-Terrorism Act)",
        ),
    ] = None,
) -> None:
    """Tag a piece of text: detected language, offence types, instruments, evidence."""
    from ingest.language import detect_language
    from ingest.tagging import tag_text

    text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    lang = language or detect_language(text).language
    tags = tag_text(text, lang, document_title=title)
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


def _search_params(  # type: ignore[no-untyped-def]
    query: str,
    country: list[str],
    region: list[str],
    offence: list[str],
    instrument: list[str],
    language: list[str],
    year_from: int | None,
    year_to: int | None,
    as_of: str | None,
    **extra,
):
    from app.services.search import SearchParams

    return SearchParams(
        q=query,
        filters={
            "country": [c.upper() for c in country],
            "region": region,
            "offence": offence,
            "instrument": instrument,
            "language": language,
        },
        year_from=year_from,
        year_to=year_to,
        as_of=as_of,
        **extra,
    )


_Country = Annotated[list[str], typer.Option("--country", "-c", help="ISO3 code (repeatable)")]
_Region = Annotated[list[str], typer.Option(help="UN M49 region, e.g. Africa (repeatable)")]
_Offence = Annotated[list[str], typer.Option(help="offence-type code (repeatable)")]
_Instrument = Annotated[list[str], typer.Option(help="instrument code (repeatable)")]
_Language = Annotated[list[str], typer.Option(help="ISO 639-1 code (repeatable)")]
_Year = Annotated[int | None, typer.Option(help="year of the act")]
_AsOf = Annotated[str | None, typer.Option(help="the law as it stood on YYYY-MM-DD")]


def _open_search():  # type: ignore[no-untyped-def]
    """A database session and the search backend, as the API has them."""
    from app.db import make_engine, make_sessionmaker
    from ingest.pipeline import open_backend

    settings = get_settings()
    return make_sessionmaker(make_engine(settings.sqlalchemy_url))(), open_backend(settings)


def _user_error(exc: Exception) -> typer.Exit:
    console.print(f"[red]{exc}[/red]")
    return typer.Exit(2)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='words, "phrases", AND/OR/NOT, prefix*')] = "",
    country: _Country = [],  # noqa: B006
    region: _Region = [],  # noqa: B006
    offence: _Offence = [],  # noqa: B006
    instrument: _Instrument = [],  # noqa: B006
    language: _Language = [],  # noqa: B006
    year_from: _Year = None,
    year_to: _Year = None,
    as_of: _AsOf = None,
    size: Annotated[int, typer.Option(min=1, max=100, help="hits per page")] = 10,
    page: Annotated[int, typer.Option(min=1)] = 1,
    json_out: Annotated[bool, typer.Option("--json", help="print the API's JSON")] = False,
) -> None:
    """Search provisions as the API does: best first, with counts per country and code."""
    import re

    from app.services.search import search_provisions
    from search_index.base import BackendUnavailable, QuerySyntaxError

    params = _search_params(
        query,
        country,
        region,
        offence,
        instrument,
        language,
        year_from,
        year_to,
        as_of,
        size=size,
        page=page,
    )
    from ingest.pipeline import open_backend

    try:  # search needs only the index: no database session
        result = search_provisions(open_backend(get_settings()), params)
    except (QuerySyntaxError, ValueError, BackendUnavailable) as exc:
        raise _user_error(exc) from exc
    if json_out:
        print(result.model_dump_json(indent=2))
        return
    out = Console()
    out.print(f"[bold]{result.total:,}[/bold] provisions; page {page}")
    for hit in result.hits:
        snippet = re.sub(
            r"<mark>(.*?)</mark>", r"[bold yellow]\1[/bold yellow]", hit.snippet.replace("[", "\\[")
        )
        out.print(f"\n[bold]{hit.citation}[/bold]  [dim]{hit.id}[/dim]")
        out.print(f"  {snippet}")
        tags = ", ".join([*hit.offences, *hit.instruments])
        if tags:
            out.print(f"  [dim]{tags}[/dim]")
    for key in ("country", "offence"):
        counts = result.facets.get(key) or {}
        top = ", ".join(f"{k} {v}" for k, v in list(counts.items())[:12])
        if top:
            out.print(f"\n[dim]{key}:[/dim] {top}")


@app.command()
def export(
    query: Annotated[str, typer.Argument(help="search query (or use --id)")] = "",
    ids: Annotated[list[str], typer.Option("--id", help="provision id (repeatable)")] = [],  # noqa: B006
    country: _Country = [],  # noqa: B006
    region: _Region = [],  # noqa: B006
    offence: _Offence = [],  # noqa: B006
    instrument: _Instrument = [],  # noqa: B006
    language: _Language = [],  # noqa: B006
    year_from: _Year = None,
    year_to: _Year = None,
    as_of: _AsOf = None,
    size: Annotated[int, typer.Option(min=1, max=500, help="clauses at most")] = 100,
    fmt: Annotated[str, typer.Option("--format", help="docx, csv, json or md")] = "docx",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="file to write")] = None,
) -> None:
    """Export clauses with exact citations (Word, CSV, JSON or Markdown), as GET /api/export."""
    from app.services import export as export_service
    from app.services.provisions import NotFound
    from search_index.base import BackendUnavailable, QuerySyntaxError

    if fmt not in export_service.FORMATS:
        raise _user_error(
            ValueError(f"--format must be one of {', '.join(export_service.FORMATS)}")
        )
    session, backend = _open_search()
    try:
        if ids:
            chosen, description = export_service.clauses_by_id(session, ids)
        else:
            params = _search_params(
                query,
                country,
                region,
                offence,
                instrument,
                language,
                year_from,
                year_to,
                as_of,
                sort="relevance" if query else "order",
                facets=False,
            )
            chosen, description = export_service.clauses_by_search(session, backend, params, size)
    except (NotFound, QuerySyntaxError, ValueError, BackendUnavailable) as exc:
        raise _user_error(exc) from exc
    finally:
        session.close()
    if not chosen:
        raise _user_error(ValueError("nothing matches: no file written; widen the search"))
    body = export_service.export(chosen, fmt, description=description)
    target = output or Path(f"ctlex-export.{fmt}")
    target.write_bytes(body)
    console.print(f"[green]{len(chosen)} clause(s) written to {target}[/green] ({description})")


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
    os.environ.setdefault("CTLEX_PRELOAD_MODEL", "1")  # read by each server process
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
