"""Server time of every web page on an ingested corpus, against /api/health as a baseline.

    CTLEX_DATA_DIR=/path/to/ingested .venv/bin/python bench/pages.py [--rounds 20]

With ``--no-cache`` the pages' cache (keyed by a stamp of the stored data) is turned off, which
shows what a first visit after an ingest or a curation costs.

The app runs in-process (no network); a thin ASGI wrapper times each request from the first
byte in to the last byte out, so the figures are what the server spends: routing, SQL, search,
similarity, template rendering. For every page it prints the first request (caches cold) and
the median and p95 of the following ``--rounds`` requests, and each median as a multiple of the
baseline. Pages over the floor (200 ms median) are flagged.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from app.main import create_app  # noqa: E402
from app.models import (  # noqa: E402
    Document,
    DocumentVersion,
    Provision,
    ProvisionEmbedding,
)
from app.settings import Settings  # noqa: E402

FLOOR_MS = 200.0


class Timed:
    """ASGI wrapper that records how long the app took to answer the last HTTP request."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.last = 0.0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        start = time.perf_counter()
        await self.app(scope, receive, send)
        if scope["type"] == "http":
            self.last = time.perf_counter() - start


def _examples(settings: Settings) -> dict[str, str]:
    """Provision and document ids that exercise the slow paths of each page."""
    engine = create_engine(settings.sqlalchemy_url)
    current = (
        select(Provision.uid)
        .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
        .where(DocumentVersion.is_current, Provision.text != "")
    )
    with engine.connect() as conn:
        embedded = conn.scalar(
            current.join(ProvisionEmbedding, ProvisionEmbedding.provision_id == Provision.id)
            .where(Provision.uid.like("gbr/%"))
            .limit(1)
        )
        plain = conn.scalar(
            current.outerjoin(ProvisionEmbedding, ProvisionEmbedding.provision_id == Provision.id)
            .where(ProvisionEmbedding.provision_id.is_(None), Provision.uid.like("gbr/%"))
            .limit(1)
        )
        longest = conn.scalar(current.order_by(func.length(Provision.text).desc()).limit(1))
        arabic = conn.scalar(current.where(Provision.language == "ar").limit(1))
        biggest_doc = conn.scalar(
            select(DocumentVersion.document_id)
            .join(Provision, Provision.version_id == DocumentVersion.id)
            .where(DocumentVersion.is_current)
            .group_by(DocumentVersion.document_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        gbr_doc = conn.scalar(select(Document.id).where(Document.country == "GBR").limit(1))
    engine.dispose()
    return {
        "baseline /api/health": "/api/health",
        "search: empty (all provisions)": "/",
        "search: q=financing": "/?q=financing",
        "search: phrase + 2 facets": '/?q="terrorist organisation"&country=GBR&offence=membership',
        "search: page 5, year range": "/?q=terrorist&year_from=2000&year_to=2020&page=5",
        "provision: stored embedding": f"/p/{embedded}",
        "provision: no stored embedding": f"/p/{plain}",
        "provision: Arabic": f"/p/{arabic}",
        "provision: longest text": f"/p/{longest}",
        "API similar: stored embedding": f"/api/provisions/{embedded}/similar?size=8",
        "API similar: no stored embedding": f"/api/provisions/{plain}/similar?size=8",
        "compare: 3 countries, offence": "/compare?countries=GBR,FRA,DEU&offence=financing",
        "compare: 5 countries, words": "/compare?countries=GBR,FRA,DEU,CAN,AUS&q=hostage",
        "coverage: by offence": "/coverage?by=offence",
        "coverage: by instrument": "/coverage?by=instrument",
        "coverage: SVG": "/coverage.svg?by=offence",
        "coverage: CSV (API)": "/api/coverage?by=offence&format=csv",
        "countries": "/countries",
        "country: GBR": "/countries/GBR",
        "document: GBR act": f"/d/{gbr_doc}",
        "document: largest": f"/d/{biggest_doc}",
        "basket": "/basket",
    }


def _measure(client: TestClient, timer: Timed, url: str, rounds: int) -> tuple[float, list[float]]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.text[:300]}")
    first = timer.last * 1000
    times = []
    for _ in range(rounds):
        client.get(url)
        times.append(timer.last * 1000)
    return first, times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed requests per page")
    parser.add_argument("--data-dir", type=Path, help="ingested data dir (default: settings)")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="turn off the pages' cache (coverage, names, profiles, similar provisions)",
    )
    args = parser.parse_args()
    if args.no_cache:
        from app import web

        web.cached = lambda request, session, backend, key, build: build()
    settings = Settings(data_dir=args.data_dir) if args.data_dir else Settings()
    pages = _examples(settings)
    timer = Timed(create_app(settings))
    rows = []
    with TestClient(timer) as client:
        # Load the embedding model once (a server pays this at its first similarity request).
        client.post("/api/similar", json={"text": "financing of terrorism", "size": 1})
        print(f"first similarity request (loads the embedding model): {timer.last:.1f} s")
        for name, url in pages.items():
            first, times = _measure(client, timer, url, args.rounds)
            rows.append((name, url, first, statistics.median(times), _p95(times)))
    base = rows[0][3]
    cache = "off" if args.no_cache else "on"
    print(f"data: {settings.data_dir}  rounds: {args.rounds}  cache: {cache}", end="")
    print(f"  floor: {FLOOR_MS:.0f} ms  load average: {os.getloadavg()[0]:.1f}")
    print(f"{'page':34} {'first':>8} {'median':>8} {'p95':>8} {'x base':>8}")
    slow = []
    for name, url, first, median, p95 in rows:
        flag = "  <-- over the floor" if median > FLOOR_MS else ""
        print(f"{name:34} {first:8.1f} {median:8.1f} {p95:8.1f} {median / base:8.1f}{flag}")
        if median > FLOOR_MS:
            slow.append(url)
    print("times in ms; 'first' is the first request (cold caches), then median and p95")
    if slow:
        print("over the floor:", *slow, sep="\n  ")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
