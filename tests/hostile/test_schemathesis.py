"""Schemathesis against the app's own OpenAPI schema, bounded so that CI stays fast.

Each operation gets ``EXAMPLES`` generated cases of valid data and as many of invalid data
(derandomized: the same cases every run), sent in process through ASGI on the bundled corpus,
with an admin token so the admin endpoints are exercised past the token check. Every response
must be: no 5xx, a documented status code and content type, a body valid against the response
schema. ``POST /api/admin/ingest`` is excluded (it would start a real ingest). The large run is
``bench/fuzz_api.py``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.main import create_app
from app.settings import Settings
from bench.fuzz_api import EXCLUDED, FUZZ_TOKEN, fuzz_operation, load_schema, operations

EXAMPLES = 6


def _labels() -> list[str]:
    # The schema alone lists the operations at collection time: nothing is opened or called.
    app = create_app(Settings(data_dir=Path("unused"), mode="development", admin_token="x"))
    paths = app.openapi()["paths"]
    found = [f"{method.upper()} {path}" for path, item in paths.items() for method in item]
    return [label for label in found if label not in EXCLUDED]


LABELS = _labels()
SECONDS: dict[str, float] = {}


@pytest.fixture(scope="module")
def schema_operations(ingested_corpus):  # type: ignore[no-untyped-def]
    settings = ingested_corpus.settings.model_copy(update={"admin_token": FUZZ_TOKEN})
    return {op.label: op for op in operations(load_schema(create_app(settings)))}


@pytest.mark.parametrize("label", LABELS)
def test_operation_conforms_to_its_schema_under_fuzzing(schema_operations, label: str) -> None:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fuzz_operation(schema_operations[label], EXAMPLES, derandomize=True)
    SECONDS[label] = time.perf_counter() - started
    assert result.cases > 0
    assert not result.failures, "\n\n".join(f"{t}\n{r}" for t, r in result.failures)


# Cases the generator rarely reaches in a few examples, checked the same way every run.
EXPLICIT = [
    ("GET /api/coverage", {"format": "csv"}, {}),
    ("GET /api/coverage", {"by": "instrument"}, {}),
    ("GET /api/export", {"format": "csv", "q": "financing", "size": 3}, {}),
    ("GET /api/export", {"format": "docx", "q": "financing", "size": 3}, {}),
    ("GET /api/export", {"format": "json", "as_of": "2020-02-30"}, {}),
    ("GET /api/search", {"q": "terror*", "size": 100, "page": 100}, {}),
    ("GET /api/admin/runs/{run_id}", {}, {"run_id": 2**70}),
    ("GET /api/documents/{document_id}", {}, {"document_id": "gbr/act/2000/terrorism-act"}),
]


@pytest.mark.parametrize(
    ("label", "query", "path"), EXPLICIT, ids=[f"{label} {q}{p}" for label, q, p in EXPLICIT]
)
def test_explicit_cases_conform(schema_operations, label: str, query: dict, path: dict) -> None:  # type: ignore[no-untyped-def]
    from bench.fuzz_api import CHECKS

    case = schema_operations[label].Case(query=query, path_parameters=path)
    response = case.call(headers={"Authorization": f"Bearer {FUZZ_TOKEN}"})
    assert response.status_code < 500
    case.validate_response(response, checks=CHECKS)


def test_every_operation_was_fuzzed(schema_operations) -> None:  # type: ignore[no-untyped-def]
    assert set(schema_operations) == set(LABELS)
    print(f"\nschemathesis: {len(SECONDS)} operations in {sum(SECONDS.values()):.1f}s")
