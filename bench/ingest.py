"""Ingest benchmark on the bundled corpus.

Prints: full ingest time with 1 and 2 workers (fresh SQLite + embedded index each time),
PDF extraction pages/s, and the time of a re-ingest with nothing changed, as a ratio of the
full ingest measured in the same process.

    .venv/bin/python bench/ingest.py [--workers 1 2] [--skip-full]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.migrate import upgrade_database  # noqa: E402
from app.settings import Settings  # noqa: E402
from ingest.extract import extract  # noqa: E402
from ingest.manifest import default_corpus_dir, read_manifest  # noqa: E402
from ingest.pipeline import run_ingest  # noqa: E402


def full_ingest(workers: int) -> tuple[float, Settings, int]:
    data = Path(tempfile.mkdtemp(prefix=f"ctlex-bench-{workers}w-"))
    settings = Settings(data_dir=data)
    upgrade_database(settings.sqlalchemy_url)
    started = time.perf_counter()
    report = run_ingest(settings, workers=workers)
    seconds = time.perf_counter() - started
    provisions = sum(f.provisions for f in report.files)
    print(
        f"full ingest, {workers} worker(s): {seconds:7.1f} s  files {report.counts()}  "
        f"provisions {provisions:,}  failed {len(report.failed)}"
    )
    return seconds, settings, provisions


def pdf_pages_per_second() -> None:
    manifest = read_manifest(default_corpus_dir() / "manifest.tsv")
    pages, seconds = 0, 0.0
    for entry in manifest.entries:
        if entry.format != "pdf":
            continue
        data = (default_corpus_dir() / entry.path).read_bytes()
        started = time.perf_counter()
        result = extract(data, "pdf")
        seconds += time.perf_counter() - started
        pages += result.pages or 0
    print(f"PDF extraction: {pages} pages in {seconds:.1f} s = {pages / seconds:.0f} pages/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    pdf_pages_per_second()
    results = {w: full_ingest(w) for w in args.workers}
    if len(results) > 1:
        base = results[args.workers[0]][0]
        for w, (secs, _, _) in results.items():
            print(f"  speed-up with {w} worker(s): {base / secs:.2f}x")
    seconds, settings, _ = results[args.workers[-1]]
    started = time.perf_counter()
    report = run_ingest(settings, workers=args.workers[-1])
    again = time.perf_counter() - started
    print(
        f"re-ingest with nothing changed: {again:.2f} s = {100 * again / seconds:.1f}% of the "
        f"full ingest (floor: <= 5%); outcomes {report.counts()}"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: main process {peak:.0f} MiB, largest worker {children:.0f} MiB")


if __name__ == "__main__":
    main()
