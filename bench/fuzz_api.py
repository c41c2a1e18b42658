"""Fuzz the whole API from its own OpenAPI schema with Schemathesis (in process, no server).

    .venv/bin/python bench/fuzz_api.py --data-dir DATA [--examples 75] [--seed N]

DATA is an ingested data directory (``ctlex ingest`` with CTLEX_DATA_DIR=DATA). Every operation
of ``/openapi.json`` is called with ``--examples`` generated cases of valid data and as many of
invalid data (Schemathesis positive and negative modes), with an admin bearer token so that the
admin endpoints are exercised past the token check. ``POST /api/admin/ingest`` is left out: it
would start a real ingest. Each response is checked for: no 5xx, status code and content type
documented, body valid against the response schema. Prints cases and failures per endpoint and
one reproduction (curl) per distinct failure; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import schemathesis  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXCLUDED = frozenset({"POST /api/admin/ingest"})  # starts a real ingest in the background
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
_QUOTED = re.compile(r"'[^']*'")
FUZZ_TOKEN = "fuzz-admin-token-2f9a4c"  # noqa: S105 - only ever given to the in-process app


@dataclass
class OperationResult:
    label: str
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (title, reproduction)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def load_schema(app: Any):  # type: ignore[no-untyped-def]
    """The app's own OpenAPI schema, called in process through ASGI."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema) -> list:  # type: ignore[no-untyped-def]
    """Every operation of the schema except those in ``EXCLUDED``, in schema order."""
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if op.label not in EXCLUDED]


def _title(exc: BaseException) -> str:
    """A one-line name for a failure: the first check that failed, or the exception."""
    for inner in getattr(exc, "exceptions", None) or [exc]:
        title = getattr(inner, "title", None)
        if title:
            return f"{title}: {str(getattr(inner, 'message', '') or '')[:160]}"
    first = str(exc).splitlines()[0] if str(exc) else ""
    # Quoted values differ from case to case; the failure is the same.
    message = _QUOTED.sub("'…'", first)[:160]
    return f"{type(exc).__name__}: {message}"


def fuzz_operation(
    operation,  # type: ignore[no-untyped-def]
    examples: int,
    *,
    token: str = FUZZ_TOKEN,
    derandomize: bool = False,
    seed: int | None = None,
) -> OperationResult:
    """Call ``operation`` with up to ``examples`` valid and ``examples`` invalid cases.

    Failures are collected, not raised, so that every case runs; the first case of each
    distinct failure keeps its reproduction.
    """
    result = OperationResult(operation.label)
    seen: set[str] = set()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        run = _runner(operation, mode, examples, token, derandomize, result, seen)
        if seed is not None:
            run = hypothesis_seed(seed)(run)
        # An operation without parameters has no invalid data: Hypothesis says so.
        with contextlib.suppress(Unsatisfiable):
            run()
    return result


def _runner(  # type: ignore[no-untyped-def]
    operation,
    mode: GenerationMode,
    examples: int,
    token: str,
    derandomize: bool,
    result: OperationResult,
    seen: set[str],
):
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=derandomize,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        result.cases += 1
        response = None
        try:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            result.statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, not raised
            if response is None:
                # The in-process transport re-raises what the app did not handle; a server
                # would have answered 500.
                result.statuses[500] += 1
            title = f"[{mode.value}] {_title(exc)}"
            if title not in seen:
                seen.add(title)
                result.failures.append((title, _reproduction(case, exc)))

    return run


def _reproduction(case, exc: BaseException) -> str:  # type: ignore[no-untyped-def]
    try:
        curl = case.as_curl_command(headers={"Authorization": "Bearer $CTLEX_ADMIN_TOKEN"})
    except Exception:  # noqa: BLE001 - best effort
        curl = f"{case.method} {case.formatted_path} query={case.query} body={case.body!r}"
    return f"{curl}\n{str(exc)[:1200]}"


def print_results(results: list[OperationResult], seconds: float) -> int:
    total = sum(r.cases for r in results)
    failed = sum(len(r.failures) for r in results)
    print(f"\n{total} cases across {len(results)} operations in {seconds:.1f}s")
    print(f"{'operation':52} {'cases':>6} {'5xx':>5} {'fails':>6}  statuses")
    for r in results:
        codes = " ".join(f"{s}:{n}" for s, n in sorted(r.statuses.items()))
        print(f"{r.label:52} {r.cases:6} {r.server_errors:5} {len(r.failures):6}  {codes}")
    print(f"distinct failures: {failed}")
    for r in results:
        for title, reproduction in r.failures:
            print(f"\n--- {r.label}: {title}\n{reproduction}")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="an ingested data directory")
    parser.add_argument(
        "--examples", type=int, default=75, help="cases per operation and mode (valid/invalid)"
    )
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed (reproducible)")
    parser.add_argument("--only", default="", help="run operations whose label contains this")
    args = parser.parse_args()
    if not (args.data_dir / "ctlex.sqlite3").exists():
        parser.error(f"{args.data_dir} holds no ctlex.sqlite3: run `ctlex ingest` into it first")

    from app.main import create_app
    from app.settings import Settings

    # The app logs every unexpected error with its trace; the summary below is enough.
    logging.getLogger("ctlex").setLevel(logging.CRITICAL)
    app = create_app(Settings(data_dir=args.data_dir, database_url=None, admin_token=FUZZ_TOKEN))
    schema = load_schema(app)
    started = time.perf_counter()
    results = []
    for operation in operations(schema):
        if args.only and args.only not in operation.label:
            continue
        began = time.perf_counter()
        results.append(fuzz_operation(operation, args.examples, seed=args.seed))
        done = results[-1]
        print(
            f"{done.label:52} {done.cases:5} cases {len(done.failures):3} failures "
            f"{time.perf_counter() - began:6.1f}s",
            flush=True,
        )
    raise SystemExit(print_results(results, time.perf_counter() - started))


if __name__ == "__main__":
    main()
