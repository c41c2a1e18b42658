"""Load test: concurrent clients against `ctlex serve` on loopback, optionally during reindexing.

    .venv/bin/python bench/load.py --data-dir DATA [--clients 32] [--seconds 60] [--reindex]

Starts ``ctlex serve`` on 127.0.0.1 and a free port against DATA (an ingested data directory),
then runs ``--clients`` asyncio clients (httpx) for ``--seconds``, each sending a mix of
requests: search (50 %), provision (25 %), compare (15 %), export (10 %). Prints p50/p99 latency
per kind, throughput and errors (transport errors, 5xx, and any other unexpected status).

With ``--reindex``, ``ctlex reindex`` runs again and again in a separate process during the
load; every search query is one that has hits, and a search that answers ``total == 0`` is
counted as "saw an empty index". The run fails (exit 1) on any error or empty answer.

Bounded on purpose: loopback only, at most 256 clients and 600 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
MAX_CLIENTS = 256
MAX_SECONDS = 600
MIX = (("search", 50), ("provision", 25), ("compare", 15), ("export", 10))
QUERIES = (
    {"q": "terrorism"},
    {"q": "financing", "offence": "financing"},
    {"q": "hostage"},
    {"q": '"terrorist organisation"'},
    {"q": "explosive*"},
    {"q": "financing AND funds"},
    {"q": "aircraft OR vessel"},
    {"q": "recruit*", "size": "50"},
    {"q": "terrorism", "country": "GBR"},
    {"offence": "membership", "sort": "year"},
    {"q": "terrorisme"},
    {"q": "Terrorismus"},
)
COMPARES = (
    {"countries": "GBR,FRA,DEU", "offence": "financing"},
    {"countries": "USA,CAN", "q": "material support"},
    {"countries": "ESP,ITA,NLD", "offence": "membership"},
)
EXPORTS = ({"format": "csv"}, {"format": "json"}, {"format": "md"}, {"format": "docx"})


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    empty: Counter[str] = field(default_factory=Counter)
    reindexes: list[float] = field(default_factory=list)
    reindex_failures: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # what went wrong, request by request


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def ctlex_command(*args: str) -> list[str]:
    """``ctlex`` beside this interpreter when installed, else ``python -m ingest.cli``."""
    script = Path(sys.executable).with_name("ctlex")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "ingest.cli", *args]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CTLEX_")}
    env.update({"CTLEX_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO)})
    return env


async def wait_ready(client: httpx.AsyncClient, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"ctlex serve exited with {server.returncode}")
        try:
            if (await client.get("/api/health")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.25)
    raise SystemExit(f"ctlex serve not ready after {timeout:.0f}s")


async def prepare(client: httpx.AsyncClient) -> tuple[list[dict], list[str]]:
    """Queries that have hits now (so 0 later means an empty index) and provision ids."""
    queries, ids = [], []
    for params in QUERIES:
        body = (await client.get("/api/search", params=params)).json()
        if body.get("total", 0) > 0:
            queries.append(params)
            ids.extend(h["id"] for h in body["hits"])
    if not queries:
        raise SystemExit("no query has hits: is the data directory ingested?")
    return queries, list(dict.fromkeys(ids))


async def one_request(
    client: httpx.AsyncClient, kind: str, rng: random.Random, queries: list[dict], ids: list[str]
) -> tuple[httpx.Response, bool]:
    """Send one request of ``kind``; the flag says whether a hit-bearing search came back empty."""
    if kind == "search":
        r = await client.get("/api/search", params=rng.choice(queries))
        return r, r.status_code == 200 and r.json().get("total", 0) == 0
    if kind == "provision":
        return await client.get(f"/api/provisions/{rng.choice(ids)}"), False
    if kind == "compare":
        return await client.get("/api/compare", params=rng.choice(COMPARES)), False
    params = {**rng.choice(EXPORTS), **rng.choice(queries), "size": "20"}
    params.pop("sort", None)
    return await client.get("/api/export", params=params), False


async def client_loop(
    number: int,
    client: httpx.AsyncClient,
    stop: asyncio.Event,
    queries: list[dict],
    ids: list[str],
    stats: Stats,
) -> None:
    rng = random.Random(number)
    kinds = [k for k, weight in MIX for _ in range(weight)]
    while not stop.is_set():
        kind = rng.choice(kinds)
        started = time.perf_counter()
        try:
            response, empty = await one_request(client, kind, rng, queries, ids)
        except httpx.HTTPError as exc:
            stats.errors[f"{kind} {type(exc).__name__}"] += 1
            stats.samples.append(
                f"{time.perf_counter() - started:.2f}s {exc.request.method} {exc.request.url} "
                f"{type(exc).__name__}: {exc!r}"
            )
            continue
        stats.latencies[kind].append(time.perf_counter() - started)
        if response.status_code != 200:
            stats.errors[f"{kind} HTTP {response.status_code}"] += 1
            stats.samples.append(f"{response.request.url} -> {response.text[:200]}")
        if empty:
            stats.empty[kind] += 1


async def reindex_loop(data_dir: Path, deadline: float, stats: Stats) -> None:
    # Start another reindex only if it can finish under load (as long as the previous one).
    while time.monotonic() + (stats.reindexes[-1] if stats.reindexes else 0) < deadline:
        started = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            *ctlex_command("reindex"),
            env=server_env(data_dir),
            cwd=REPO,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await proc.communicate()
        if proc.returncode:
            stats.reindex_failures.append(err.decode(errors="replace")[-500:])
        else:
            stats.reindexes.append(time.perf_counter() - started)


def report(stats: Stats, seconds: float, clients: int, reindex: bool) -> int:
    total = sum(len(v) for v in stats.latencies.values())
    print(f"\n{clients} clients, {seconds:.0f}s: {total} responses, {total / seconds:.1f} req/s")
    print(f"{'kind':10} {'n':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind, _ in MIX:
        values = sorted(stats.latencies.get(kind, []))
        if not values:
            continue
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
        print(
            f"{kind:10} {len(values):7} {statistics.median(values) * 1000:8.1f} "
            f"{p99 * 1000:8.1f} {values[-1] * 1000:8.1f}"
        )
    errors = sum(stats.errors.values())
    print(f"errors: {errors} {dict(stats.errors) if errors else ''}")
    for sample in stats.samples[:5]:
        print(f"  {sample}")
    if reindex:
        times = ", ".join(f"{t:.1f}s" for t in stats.reindexes)
        print(f"reindexes completed: {len(stats.reindexes)} ({times})")
        print(f"reindex failures: {len(stats.reindex_failures)}")
        for failure in stats.reindex_failures[:3]:
            print(f"  {failure}")
        print(f"searches that saw an empty index: {sum(stats.empty.values())}")
    failed = errors or stats.empty or stats.reindex_failures or (reindex and not stats.reindexes)
    return 1 if failed else 0


async def run(args: argparse.Namespace) -> int:
    port = free_port()
    log = open(args.server_log, "w") if args.server_log else subprocess.DEVNULL  # noqa: SIM115
    server = subprocess.Popen(
        ctlex_command(
            "serve", "--host", HOST, "--port", str(port), "--workers", str(args.server_workers)
        ),
        env=server_env(args.data_dir),
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    keepalive = 0 if args.no_keepalive else args.clients
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=keepalive)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://{HOST}:{port}", timeout=30.0, limits=limits
        ) as client:
            await wait_ready(client, server, 90)
            queries, ids = await prepare(client)
            stats = Stats()
            stop = asyncio.Event()
            started = time.monotonic()
            clients = [
                asyncio.create_task(client_loop(n, client, stop, queries, ids, stats))
                for n in range(args.clients)
            ]
            reindexer = (
                asyncio.create_task(reindex_loop(args.data_dir, started + args.seconds, stats))
                if args.reindex
                else None
            )
            await asyncio.sleep(args.seconds)
            if reindexer:
                # The load goes on until the last reindex has swapped its index in.
                await asyncio.wait_for(reindexer, MAX_SECONDS)
            stop.set()
            await asyncio.gather(*clients)
            window = time.monotonic() - started
            return report(stats, window, args.clients, args.reindex)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        if args.server_log:
            log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an ingested data directory")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--server-workers", type=int, default=1, help="ctlex serve --workers")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--reindex", action="store_true", help="run `ctlex reindex` meanwhile")
    parser.add_argument(
        "--no-keepalive", action="store_true", help="a new connection for every request"
    )
    parser.add_argument("--server-log", type=Path, help="write the server's output here")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be between 1 and {MAX_CLIENTS}")
    if not 1 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be between 1 and {MAX_SECONDS}")
    args.data_dir = args.data_dir.resolve()
    if not (args.data_dir / "ctlex.sqlite3").exists():
        parser.error(f"{args.data_dir} holds no ctlex.sqlite3: run `ctlex ingest` into it first")
    if shutil.which("ctlex") is None and not Path(sys.executable).with_name("ctlex").exists():
        print("ctlex is not installed as a command: using python -m ingest.cli", file=sys.stderr)
    raise SystemExit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
