"""Search API benchmark at scale: the raw engine call against the HTTP API, one run.

    .venv/bin/python bench/search.py [--docs 1000000] [--source DATA_DIR]
        [--workdir DIR [--reuse]] [--rounds 60] [--concurrency 8] [--duration 20]

1. Reads the real search documents once from the SQLite database of an ingested corpus
   (``--source``, default ``$CTLEX_DATA_DIR`` or ``./data``, copied first, never modified)
   with ``iter_search_documents``. When that holds no database, the bundled corpus is first
   ingested into the work dir (``ctlex db upgrade`` and ``ctlex ingest``, about a minute).
2. Re-samples them to ``--docs`` documents: the first copy of every provision is kept as
   ingested; every further copy gets a unique id (``<id>#r<n>``) and a country drawn uniformly
   from ``corpus/reference/countries.csv`` with that country's UN M49 region and subregion.
3. Builds the embedded index with ``replace_all`` in a fresh data dir (prints time and size) and
   copies the database beside it, so the real app can serve it.
4. Starts uvicorn (``python -m uvicorn app.main:create_app --factory``) on a free loopback port
   and runs a client in a separate process (the standard library's http.client on one keep-alive
   connection; httpx cost the client between 0 and 0.5 ms more per call in the runs of stop 12,
   which the run measures and prints, and which is no part of the API's time) that, after a
   warm-up, interleaves for every query of a fixed mix: the raw engine call (``backend.search`` of
   the exact ``SearchQuery`` the API builds) without and with the engine's result cache, the API
   call repeated (warm: a cache hit) and made new (cold: the query plus ``-zzcold<n>``, a NOT of a
   word no provision has, so the same hits but a cache miss), and ``/api/health`` (the baseline).
   Then it measures throughput at ``--concurrency`` clients, warm and cold.

Wall times are percentiles of single calls; CPU times are means (the machine is shared, CPU time
is the steadier figure). Ratios divide by a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "ctlex.sqlite3"
META = "bench-meta.json"
# name -> API query parameters. Every request asks for all facets and highlights (the API
# always computes both) and the default page size (20).
MIX: dict[str, dict[str, Any]] = {
    "word": {"q": "terrorism"},
    "word +region": {"q": "terrorism", "region": "Europe"},
    "word (fr)": {"q": "terrorisme"},
    "two words": {"q": "terrorist financing"},
    "two words +offence": {"q": "funds property", "offence": "financing"},
    "phrase": {"q": '"terrorist organisation"'},
    "phrase +country": {"q": '"terrorist act"', "country": "FRA"},
    "boolean": {"q": "(financing OR funds) -training"},
    "boolean +3 filters": {
        "q": "terrorism AND (bombing OR explosives)",
        "instrument": "UNSCR-1373",
        "year_from": 2000,
        "language": "en",
    },
    "browse (no q)": {},
    "browse +offence": {"offence": "financing"},
}


# -- data -----------------------------------------------------------------------------------


def read_countries() -> list[tuple[str, str, str]]:
    with open(ROOT / "corpus/reference/countries.csv", newline="", encoding="utf-8") as handle:
        return [
            (row["iso3"], row["un_m49_region"], row["un_m49_subregion"])
            for row in csv.DictReader(handle)
        ]


def read_documents(data_dir: Path) -> list[dict[str, Any]]:
    from app.db import make_engine, make_sessionmaker
    from app.services.indexing import iter_search_documents

    engine = make_engine(f"sqlite:///{data_dir / DB_NAME}")
    try:
        with make_sessionmaker(engine)() as session:
            return list(iter_search_documents(session))
    finally:
        engine.dispose()


def resample(
    docs: list[dict[str, Any]], n: int, countries: list[tuple[str, str, str]], seed: int
) -> Iterator[dict[str, Any]]:
    """``n`` documents: each real one once as it is, then copies with a random country."""
    rnd = random.Random(seed)
    for i in range(n):
        base = docs[i % len(docs)]
        if i < len(docs):
            yield base
            continue
        iso3, region, subregion = rnd.choice(countries)
        yield {
            **base,
            "id": f"{base['id']}#r{i}",
            "country": iso3,
            "region": region,
            "subregion": subregion,
        }


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def ingest_corpus(source: Path, workdir: Path) -> None:
    """Ingest the bundled corpus into ``workdir`` (no ingested database at ``source``)."""
    print(f"no database in {source}: ingesting the bundled corpus into {workdir} first")
    env = {**os.environ, "CTLEX_DATA_DIR": str(workdir)}
    ctlex = [str(Path(sys.executable).parent / "ctlex")]
    subprocess.run([*ctlex, "db", "upgrade"], cwd=ROOT, env=env, check=True)
    # Exit code 1 means some file failed; the others are stored and enough to sample from.
    done = subprocess.run([*ctlex, "ingest", "--workers", "2"], cwd=ROOT, env=env)
    if done.returncode not in (0, 1) or not (workdir / DB_NAME).exists():
        raise SystemExit(f"ingesting the bundled corpus failed (exit {done.returncode})")


def build(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from search_index.embedded import EmbeddedBackend

    meta_path = workdir / META
    if args.reuse and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("docs") == args.docs:
            print(f"reusing the index in {workdir} (built earlier: {meta['docs']:,} documents)")
            return meta
    source = Path(args.source)
    workdir.mkdir(parents=True, exist_ok=True)
    if (source / DB_NAME).exists():
        for suffix in ("", "-wal"):
            if (source / (DB_NAME + suffix)).exists():
                shutil.copy2(source / (DB_NAME + suffix), workdir / (DB_NAME + suffix))
    else:
        ingest_corpus(source, workdir)
    t0 = time.perf_counter()
    docs = read_documents(workdir)
    read_s = time.perf_counter() - t0
    countries = read_countries()
    print(
        f"corpus: {len(docs):,} real search documents read from SQL in {read_s:.1f} s; "
        f"re-sampled to {args.docs:,}: every real provision once as ingested, then copies "
        f"(id '<id>#r<n>') each with a country drawn uniformly from {len(countries)} ISO "
        f"countries (countries.csv, with their UN M49 region/subregion), seed {args.seed}"
    )
    backend = EmbeddedBackend(workdir)
    cpu0, t0 = _cpu_self(), time.perf_counter()
    count = backend.replace_all(
        resample(docs, args.docs, countries, args.seed), progress=_progress(args.docs)
    )
    wall, cpu = time.perf_counter() - t0, _cpu_self() - cpu0
    backend.close()
    # The live generation only: the previous one is kept for searches still reading it.
    live = json.loads((workdir / "index" / "CURRENT").read_text())["generation"]
    size = dir_size(workdir / "index" / live)
    print(f"\nbuild: {count:,} documents in {wall:.1f} s wall, {cpu:.1f} s CPU (all threads)")
    meta = {
        "docs": count,
        "build_wall_s": wall,
        "build_cpu_s": cpu,
        "index_bytes": size,
        "real_docs": len(docs),
    }
    meta_path.write_text(json.dumps(meta))
    return meta


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _progress(total: int):  # type: ignore[no-untyped-def]
    step = max(total // 20, 1000)

    def report(done: int) -> None:
        if done % step == 0 or done == total:
            print(f"  indexed {done:,}/{total:,}", end="\r", flush=True)

    return report


# -- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path, port: int, args: argparse.Namespace) -> subprocess.Popen:
    env = {**os.environ, "CTLEX_DATA_DIR": str(workdir), "PYTHONPATH": str(ROOT)}
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.server_workers),
        "--log-level",
        "warning",
        *([] if args.access_log else ["--no-access-log"]),
        *args.uvicorn_arg,
    ]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.kill()
    raise SystemExit("uvicorn did not answer /api/health within 120 s")


def _pids(root: int) -> list[int]:
    """The server process and its children (uvicorn --workers > 1)."""
    out = [root]
    try:
        children = Path(f"/proc/{root}/task/{root}/children").read_text().split()
    except OSError:
        return out
    for child in children:
        out.extend(_pids(int(child)))
    return out


def proc_cpu(root: int) -> float:
    """User + system CPU seconds of the server process tree."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _pids(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def proc_mem(root: int) -> dict[str, int]:
    """Peak and current RSS (bytes) summed over the server process tree."""
    out = {"VmHWM": 0, "VmRSS": 0}
    for pid in _pids(root):
        try:
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            key, _, value = line.partition(":")
            if key in out:
                out[key] += int(value.split()[0]) * 1024
    return out


# -- client (separate process) ----------------------------------------------------------------


class Response:
    def __init__(self, status: int, body: bytes, path: str) -> None:
        self.status_code, self.content, self.path = status, body, path

    def raise_for_status(self) -> Response:
        if self.status_code >= 400:
            raise SystemExit(f"{self.path} answered {self.status_code}: {self.content[:300]!r}")
        return self

    def json(self) -> Any:
        return json.loads(self.content)


class KeepAliveClient:
    """GET requests on one persistent HTTP/1.1 connection, with as little client work as
    possible: what is timed is then the server's answer, not the client library."""

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        host, port = base_url.removeprefix("http://").rstrip("/").split(":")
        self.conn = http.client.HTTPConnection(host, int(port), timeout=timeout)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Response:
        url = f"{path}?{urlencode(params, doseq=True)}" if params else path
        self.conn.request("GET", url)
        answer = self.conn.getresponse()
        return Response(answer.status, answer.read(), url)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> KeepAliveClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def client_cost(base_url: str, n: int = 200) -> dict[str, float]:
    """/api/health p50 through this client and through httpx: what the client library adds."""
    import httpx

    out = {}
    with httpx.Client(base_url=base_url, timeout=60) as hx, KeepAliveClient(base_url) as ka:
        for name, get in (("httpx", hx.get), ("http.client", ka.get)):
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                get("/api/health").raise_for_status()
                times.append((time.perf_counter() - t0) * 1000)
            out[name] = pct(times, 50)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def calibration() -> None:
    """A fixed pure-Python workload: the raw engine's baseline in this process."""
    data = {"k": list(range(200)), "s": "x" * 200}
    for _ in range(40):
        json.loads(json.dumps(data))


def cold(params: dict[str, Any], tag: str) -> dict[str, Any]:
    """``params`` made new to every cache: a NOT of a word no provision has (same hits)."""
    return {**params, "q": f"{params.get('q', '')} -zzcold{tag}".strip()}


def make_backend(data_dir: str, cache: bool):  # type: ignore[no-untyped-def]
    from search_index.embedded import EmbeddedBackend

    if cache:
        return EmbeddedBackend(data_dir)
    try:
        return EmbeddedBackend(data_dir, cache_size=0)
    except TypeError:  # code without a result cache
        return EmbeddedBackend(data_dir)


def run_client(args: argparse.Namespace) -> None:
    from app.services.search import SearchParams, to_query

    warm_backend, cold_backend = (
        make_backend(args.data_dir, True),
        make_backend(args.data_dir, False),
    )
    client = KeepAliveClient(args.client)
    server_pid = args.server_pid
    queries = {}
    for name, params in MIX.items():
        filters = {k: [v] for k, v in params.items() if k not in ("q", "year_from", "year_to")}
        queries[name] = to_query(
            SearchParams(q=params.get("q", ""), filters=filters, year_from=params.get("year_from"))
        )
    # Warm-up, and a check that the API answers what the engine answers (also cache-busted).
    for w in range(args.warmup):
        for name, params in MIX.items():
            page = cold_backend.search(queries[name])
            ids = [h.id for h in page.hits]
            for p in (params, cold(params, f"w{w}")):
                body = client.get("/api/search", params=p).raise_for_status().json()
                if body["total"] != page.total or [h["id"] for h in body["hits"]] != ids:
                    raise SystemExit(f"API and engine disagree on {name!r} ({p})")
            warm_backend.search(queries[name])
        for _ in range(5):
            client.get("/api/health").raise_for_status()
            calibration()
    totals = {name: cold_backend.search(q).total for name, q in queries.items()}

    series = ("engine_cold", "engine_warm", "api_warm", "api_cold")
    times: dict[str, dict[str, list[float]]] = {s: {n: [] for n in MIX} for s in series}
    cpu: dict[str, dict[str, float]] = {s: dict.fromkeys(MIX, 0.0) for s in series[:2]}
    health: list[float] = []
    calib: list[float] = []
    rnd = random.Random(args.seed)
    names = list(MIX)
    server_cpu0 = proc_cpu(server_pid)
    for r in range(args.rounds):
        rnd.shuffle(names)
        for name in names:
            for label, backend in (("engine_cold", cold_backend), ("engine_warm", warm_backend)):
                c0, t0 = time.process_time(), time.perf_counter()
                backend.search(queries[name])
                times[label][name].append((time.perf_counter() - t0) * 1000)
                cpu[label][name] += time.process_time() - c0
            for label, params in (("api_warm", MIX[name]), ("api_cold", cold(MIX[name], str(r)))):
                t0 = time.perf_counter()
                client.get("/api/search", params=params).raise_for_status()
                times[label][name].append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            client.get("/api/health").raise_for_status()
            health.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            calibration()
            calib.append((time.perf_counter() - t0) * 1000)
    server_cpu_mixed = proc_cpu(server_pid) - server_cpu0
    # Server CPU of each kind of request alone.
    per_request = {}
    for label, make in (
        ("health", lambda i: None),
        ("search_warm", lambda i: MIX[names[i % len(names)]]),
        ("search_cold", lambda i: cold(MIX[names[i % len(names)]], f"c{i}")),
    ):
        n = 200 if label != "search_cold" else 5 * len(names)
        c0 = proc_cpu(server_pid)
        for i in range(n):
            params = make(i)
            path = "/api/health" if params is None else "/api/search"
            client.get(path, params=params).raise_for_status()
        per_request[label] = (proc_cpu(server_pid) - c0) * 1000 / n
    result = {
        "totals": totals,
        "times": times,
        "cpu_ms": {s: {n: cpu[s][n] * 1000 / args.rounds for n in MIX} for s in cpu},
        "health": health,
        "calibration": calib,
        "server_cpu_ms": per_request,
        "server_cpu_interleaved_s": server_cpu_mixed,
        "client_cost": client_cost(args.client),
        "throughput": {
            "warm": throughput(args, server_pid, cache_busting=False),
            "cold": throughput(args, server_pid, cache_busting=True),
        },
    }
    client.close()
    print(json.dumps(result))


def throughput(args: argparse.Namespace, server_pid: int, cache_busting: bool) -> dict[str, Any]:
    """``--concurrency`` keep-alive clients cycling through the mix for ``--duration`` s."""

    latencies: list[list[float]] = [[] for _ in range(args.concurrency)]
    start_barrier = threading.Barrier(args.concurrency + 1)
    stop = [0.0]

    def worker(i: int) -> None:
        names = list(MIX)
        random.Random(args.seed + i).shuffle(names)
        with KeepAliveClient(args.client, timeout=120) as client:
            client.get("/api/health")
            start_barrier.wait()
            k = 0
            while time.perf_counter() < stop[0]:
                params = MIX[names[k % len(names)]]
                if cache_busting:
                    params = cold(params, f"t{i}x{k}")
                t0 = time.perf_counter()
                client.get("/api/search", params=params).raise_for_status()
                latencies[i].append((time.perf_counter() - t0) * 1000)
                k += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.concurrency)]
    for thread in threads:
        thread.start()
    cpu0, c0, t0 = proc_cpu(server_pid), time.process_time(), time.perf_counter()
    stop[0] = t0 + args.duration
    start_barrier.wait()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    done = [x for lat in latencies for x in lat]
    return {
        "concurrency": args.concurrency,
        "requests": len(done),
        "wall_s": wall,
        "rps": len(done) / wall,
        "p50": pct(done, 50),
        "p99": pct(done, 99),
        "server_cpu_s": proc_cpu(server_pid) - cpu0,
        "client_cpu_s": time.process_time() - c0,
    }


# -- report -----------------------------------------------------------------------------------


def _row(label: str, hits: str, cols: list[float]) -> str:
    return f"{label:<20}{hits:>10}" + "".join(f"{c:>9.2f}" for c in cols)


def report(meta: dict[str, Any], res: dict[str, Any], mem: dict[str, int], args) -> None:  # type: ignore[no-untyped-def]
    mb = 1024 * 1024
    med = statistics.median
    times, cpu = res["times"], res["cpu_ms"]
    print(
        f"\nindex: {meta['docs']:,} provisions, {meta['index_bytes'] / mb:,.0f} MB on disk; "
        f"built in {meta['build_wall_s']:.0f} s wall / {meta['build_cpu_s']:.0f} s CPU"
    )
    print(
        f"server: uvicorn, {args.server_workers} worker(s); peak RSS {mem['VmHWM'] / mb:,.0f} MB"
        f" (now {mem['VmRSS'] / mb:,.0f} MB; the index is mmapped: file pages count when touched)"
    )
    print(
        f"\nconcurrency 1: {args.rounds} rounds of {len(MIX)} queries, shuffled; per query "
        "interleaved: engine cold (no result cache), engine warm (cached), API warm (same "
        "query again), API cold (query + a NOT of an unknown word: same hits, cache miss), "
        "/api/health. ms; cpu = mean CPU of the calling process"
    )
    print(
        f"{'query':<20}{'hits':>10}{'eng.cold':>9}{'p99':>9}{'cpu':>9}{'eng.warm':>9}"
        f"{'API warm':>9}{'p99':>9}{'API cold':>9}{'p99':>9}"
    )
    for name in MIX:
        ec, ew = times["engine_cold"][name], times["engine_warm"][name]
        aw, ac = times["api_warm"][name], times["api_cold"][name]
        cols = [med(ec), pct(ec, 99), cpu["engine_cold"][name], med(ew)]
        cols += [med(aw), pct(aw, 99), med(ac), pct(ac, 99)]
        print(_row(name, f"{res['totals'][name]:,}", cols))
    flat = {s: [x for v in times[s].values() for x in v] for s in times}
    cols = [med(flat["engine_cold"]), pct(flat["engine_cold"], 99)]
    cols += [statistics.mean(cpu["engine_cold"].values()), med(flat["engine_warm"])]
    cols += [med(flat["api_warm"]), pct(flat["api_warm"], 99)]
    cols += [med(flat["api_cold"]), pct(flat["api_cold"], 99)]
    print(_row("whole mix", "", cols))

    def overhead(api: str, engine: str) -> float:
        pairs = [a - e for n in MIX for a, e in zip(times[api][n], times[engine][n], strict=True)]
        return med(pairs)

    health_p50, calib_p50 = med(res["health"]), med(res["calibration"])
    over_warm = med(flat["api_warm"]) - med(flat["engine_warm"])
    over_cold = med(flat["api_cold"]) - med(flat["engine_cold"])
    sc = res["server_cpu_ms"]
    print(
        f"\nAPI overhead (API p50 - engine p50): warm {over_warm:.2f} ms (median per pair "
        f"{overhead('api_warm', 'engine_warm'):.2f}), cold {over_cold:.2f} ms (median per pair "
        f"{overhead('api_cold', 'engine_cold'):.2f})"
    )
    print(
        f"baselines in this run: /api/health p50 {health_p50:.2f} ms (p99 "
        f"{pct(res['health'], 99):.2f}); in-process calibration loop p50 {calib_p50:.2f} ms"
    )
    if "client_cost" in res:
        cost = res["client_cost"]
        print(
            f"client: http.client, one keep-alive connection; /api/health p50 through it "
            f"{cost['http.client']:.2f} ms, through httpx.Client {cost['httpx']:.2f} ms "
            f"(httpx would add {cost['httpx'] - cost['http.client']:.2f} ms to every API figure)"
        )
    print(
        f"server CPU per request (measured alone): health {sc['health']:.2f} ms, search warm "
        f"{sc['search_warm']:.2f} ms, search cold {sc['search_cold']:.2f} ms"
    )
    print(
        f"ratios: API warm p50 = {med(flat['api_warm']) / health_p50:.2f} x health p50, API "
        f"cold p50 = {med(flat['api_cold']) / health_p50:.2f} x; warm overhead = "
        f"{over_warm / health_p50:.2f} x health p50; engine cold p50 = "
        f"{med(flat['engine_cold']) / calib_p50:.2f} x calibration; server CPU: search warm = "
        f"{sc['search_warm'] / sc['health']:.2f} x health, cold = "
        f"{sc['search_cold'] / sc['health']:.2f} x health"
    )
    for label, t in res["throughput"].items():
        print(
            f"throughput {label}, concurrency {t['concurrency']}: {t['rps']:.1f} requests/s "
            f"({t['requests']} in {t['wall_s']:.1f} s), latency p50 {t['p50']:.1f} / p99 "
            f"{t['p99']:.1f} ms; server CPU {t['server_cpu_s'] / t['wall_s']:.2f} cores, "
            f"client CPU {t['client_cpu_s'] / t['wall_s']:.2f} cores"
        )
    for label in ("warm", "cold"):
        api = flat[f"api_{label}"]
        floors = [
            ("API p50 <= 10 ms", med(api), 10.0),
            ("API p99 <= 50 ms", pct(api, 99), 50.0),
            ("overhead <= 3 ms", med(api) - med(flat[f"engine_{label}"]), 3.0),
        ]
        verdicts = (f"{n}: {v:.2f} {'ok' if v <= f else 'MISSED'}" for n, v, f in floors)
        print(f"floors ({label}): " + "; ".join(verdicts))
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument(
        "--source",
        default=os.environ.get("CTLEX_DATA_DIR", str(ROOT / "data")),
        help="data dir of an ingested corpus (default: $CTLEX_DATA_DIR or ./data)",
    )
    parser.add_argument("--workdir", help="data dir to build in (default: a new temp dir)")
    parser.add_argument("--reuse", action="store_true", help="reuse --workdir's index if built")
    parser.add_argument("--keep", action="store_true", help="keep the temp data dir")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--server-workers", type=int, default=1)
    parser.add_argument("--access-log", action="store_true")
    parser.add_argument("--uvicorn-arg", action="append", default=[], help="extra uvicorn flag")
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--client", help=argparse.SUPPRESS)  # base URL: run as the client
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        run_client(args)
        return
    temp = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="ctlex-bench-"))
    try:
        meta = build(args, workdir)
        port = free_port()
        server = start_server(workdir, port, args)
        try:
            cmd = [
                sys.executable,
                __file__,
                *("--client", f"http://127.0.0.1:{port}", "--data-dir", str(workdir)),
                *("--server-pid", str(server.pid), "--rounds", str(args.rounds)),
                *("--warmup", str(args.warmup), "--concurrency", str(args.concurrency)),
                *("--duration", str(args.duration), "--seed", str(args.seed)),
            ]
            out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
            mem = proc_mem(server.pid)
        finally:
            server.terminate()
            server.wait(30)
        report(meta, json.loads(out.stdout), mem, args)
    finally:
        if temp and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
