"""Hostile queries against the API on the bundled corpus: each answers 400/422/404 or a bounded
result, never a 5xx, never a leaked SQL error, and every response comes in under a second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from search_index.base import MAX_CLAUSES, MAX_QUERY_LENGTH, MAX_SIZE

BUDGET = 1.0  # seconds per response, generous: the slowest measured is ~0.3 s
TIMINGS: dict[str, float] = {}
LEAKS = ("Traceback", "sqlite3.", "OperationalError", "ProgrammingError", "psycopg", 'File "/')
INJECTIONS = (
    "' OR '1'='1",
    "1; DROP TABLE documents; --",
    '" UNION SELECT name, sql FROM sqlite_master --',
    "%' OR 1=1 --",
    "'; SELECT pg_sleep(5); --",
    "gbr/act/2000/x' OR ''='",
)
# Every query parameter of the five endpoints, with the others a valid request needs.
ENDPOINT_PARAMS: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
    "/api/search": (
        {},
        (
            "q",
            "country",
            "region",
            "instrument",
            "offence",
            "language",
            "doc_type",
            "status",
            "year_from",
            "year_to",
            "as_of",
            "page",
            "size",
            "sort",
        ),
    ),
    "/api/documents": ({}, ("country", "source_file", "page", "size")),
    "/api/compare": (
        {"countries": "GBR,FRA", "q": "financing"},
        ("countries", "offence", "instrument", "q", "size"),
    ),
    "/api/coverage": ({}, ("by", "countries", "region", "format")),
    "/api/export": (
        {"format": "json", "size": "5"},
        (
            "format",
            "ids",
            "q",
            "country",
            "region",
            "instrument",
            "offence",
            "language",
            "doc_type",
            "year_from",
            "year_to",
            "as_of",
            "size",
        ),
    ),
}


@pytest.fixture(scope="module")
def client(ingested_corpus) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(ingested_corpus.settings), raise_server_exceptions=False) as c:
        c.get("/api/search", params={"q": "terrorism"})  # warm the index searcher and caches
        c.get("/api/coverage")
        # The first similarity request builds the in-memory vector index (~3-8 s, once).
        c.post("/api/similar", json={"text": "financing of terrorism", "size": 1})
        yield c


def timed(client: TestClient, method: str, url: str, **kwargs: Any):  # type: ignore[no-untyped-def]
    """Send a request and check it is answered, without a leak, within the budget.

    A response over budget is re-sent twice and the fastest of the three counts: on a shared CI
    machine a single sample can be slowed by other processes; a slow query stays slow.
    """
    elapsed = BUDGET * 10
    for _attempt in range(3):
        started = time.perf_counter()
        response = client.request(method, url, **kwargs)
        elapsed = min(elapsed, time.perf_counter() - started)
        if elapsed < BUDGET:
            break
    key = f"{method} {url} {str(kwargs.get('params') or kwargs.get('json') or '')[:80]}"
    TIMINGS[key] = elapsed
    assert response.status_code < 500, f"{key} -> {response.status_code}: {response.text[:300]}"
    assert not any(leak in response.text for leak in LEAKS), response.text[:500]
    assert elapsed < BUDGET, f"{key} took {elapsed:.2f}s"
    return response


def assert_bounded(response) -> None:  # type: ignore[no-untyped-def]
    if response.status_code != 200:
        return
    assert len(response.content) < 20 * 2**20
    if not response.headers["content-type"].startswith("application/json"):
        return
    body = response.json()
    if isinstance(body, dict) and "hits" in body:
        assert len(body["hits"]) <= MAX_SIZE
    if isinstance(body, dict) and "criterion" in body:  # a comparison
        assert all(len(c["provisions"]) <= 100 for c in body["columns"])


PREFIXES = [a + b for a in "abcdefgh" for b in "aeiouyrs"][:MAX_CLAUSES]
BAD_QUERIES = {
    "unbalanced quote": '"terrorist organisation',
    "unbalanced paren": "(financing OR funds",
    "stray close paren": "financing)",
    "nested parens beyond the limit": "(" * 20 + "terror" + ")" * 20,
    "wildcard bomb": "*a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*",
    "lone star": "*",
    "one-letter prefix": "t*",
    "operator without operand": "financing AND",
    "not alone": "NOT",
    "double negation chain": "NOT " * 20 + "terror",
    "too many clauses": " ".join(f"word{i}" for i in range(MAX_CLAUSES + 1)),
}
ODD_QUERIES = {
    "regex syntax": ".*(a+)+$ [a-z]{1000} /te.*or/",
    "64 two-letter prefixes": " OR ".join(f"{p}*" for p in PREFIXES),
    "long prefix OR": " OR ".join(["terror*"] * MAX_CLAUSES),
    "1000 characters": ("financing " * 200)[:MAX_QUERY_LENGTH],
    "sql in q": "' OR 1=1; DROP TABLE provisions; --",
    "nul and controls": "terror\x00ism \x1b[31m",
    "bidi override": "\u202eterrorism\u202c financing",
    "cjk": "恐怖主义" * 100,
    "emoji and math letters": "𝕿𝖊𝖗𝖗𝖔𝖗 💣" * 20,
    "combining marks": "t" + "\u0301" * 500,
    "lucene syntax": "title:terror~2 AND country:GBR^10 OR {a TO z}",
    "html": "<script>alert(1)</script>",
}


@pytest.mark.parametrize("name", sorted(BAD_QUERIES))
def test_bad_query_syntax_is_a_400(client: TestClient, name: str) -> None:
    r = timed(client, "GET", "/api/search", params={"q": BAD_QUERIES[name]})
    assert r.status_code == 400, r.text
    assert "query syntax error" in r.json()["detail"]


@pytest.mark.parametrize("name", sorted(ODD_QUERIES))
def test_odd_queries_answer_a_bounded_result_or_a_400(client: TestClient, name: str) -> None:
    r = timed(client, "GET", "/api/search", params={"q": ODD_QUERIES[name], "size": 100})
    assert r.status_code in (200, 400), r.text
    assert_bounded(r)


@pytest.mark.parametrize("length", [MAX_QUERY_LENGTH + 1, 10_000])
def test_overlong_queries_are_a_422(client: TestClient, length: int) -> None:
    r = timed(client, "GET", "/api/search", params={"q": "a" * length})
    assert r.status_code == 422
    assert "q" in r.json()["detail"]


PARAM_CASES = [
    ("/api/search", {"country": "ZZZ"}, {200}),
    ("/api/search", {"country": "GB"}, {422}),
    ("/api/search", {"country": ["GBR"] * 101}, {200, 422}),
    ("/api/search", {"region": ["Atlantis"] * 101}, {422}),
    ("/api/search", {"offence": "no_such_offence"}, {422}),
    ("/api/search", {"instrument": "NO-SUCH-1999"}, {422}),
    ("/api/search", {"region": "Atlantis", "language": "xx", "doc_type": "spaceship"}, {200}),
    ("/api/search", {"status": "forged"}, {200, 422}),
    ("/api/search", {"year_from": 0}, {422}),
    ("/api/search", {"year_from": 2020, "year_to": 1990}, {422}),
    ("/api/search", {"as_of": "2020-13-45"}, {422}),
    ("/api/search", {"as_of": "0001-01-01"}, {200, 422}),
    ("/api/search", {"page": 500, "size": 20}, {200}),
    ("/api/search", {"page": 500, "size": 100}, {422}),
    ("/api/search", {"page": 501}, {422}),
    ("/api/search", {"page": 0}, {422}),
    ("/api/search", {"page": "99999999999999999999999"}, {422}),
    ("/api/search", {"size": 100_000}, {422}),
    ("/api/search", {"size": -1}, {422}),
    ("/api/search", {"size": 0}, {200}),
    ("/api/search", {"sort": "id; DROP"}, {422}),
    ("/api/documents", {"page": 10_000, "size": 200}, {200}),
    ("/api/documents", {"size": 100_000}, {422}),
    ("/api/documents", {"source_file": "x" * 501}, {422}),
    ("/api/compare", {"countries": ",".join(["GBR"] * 21), "q": "terror"}, {200, 422}),
    ("/api/compare", {"countries": ",".join(f"A{c}{d}" for c in "BCD" for d in "ABCDEFG")}, {422}),
    ("/api/compare", {"countries": "GBR", "q": "terror"}, {422}),
    ("/api/compare", {"countries": "GBR,FRA"}, {422}),
    ("/api/compare", {"countries": "GBR,FRA", "q": '"unbalanced'}, {400}),
    ("/api/compare", {"countries": "GBR,FRA", "offence": "nope"}, {422}),
    ("/api/compare", {"countries": "GBR,FRA", "q": "terror", "size": 100_000}, {422}),
    ("/api/coverage", {"by": "evil"}, {422}),
    ("/api/coverage", {"countries": "GBR,ZZZ,FRA"}, {200}),
    ("/api/coverage", {"region": ["Atlantis"] * 101}, {200, 422}),
    ("/api/coverage", {"format": "xml"}, {422}),
    ("/api/export", {"format": "exe"}, {422}),
    ("/api/export", {"format": "json", "ids": ["x"] * 501}, {422}),
    ("/api/export", {"format": "json", "size": 501}, {422}),
    ("/api/export", {"format": "json", "size": 101, "q": "terror*"}, {200, 422}),
    ("/api/export", {"format": "csv", "year_from": 2020, "year_to": 1990}, {422}),
    ("/api/export", {"format": "md", "as_of": "2020-13-45"}, {422}),
    ("/api/export", {"format": "json", "region": ["Atlantis"] * 101}, {422}),
    ("/api/export", {"format": "docx", "q": "*a*b*c*"}, {400}),
]


@pytest.mark.parametrize(
    ("path", "params", "allowed"), PARAM_CASES, ids=[f"{p} {q}"[:90] for p, q, _ in PARAM_CASES]
)
def test_hostile_parameters_answer_4xx_or_a_bounded_result(
    client: TestClient, path: str, params: dict, allowed: set[int]
) -> None:
    r = timed(client, "GET", path, params=params)
    assert r.status_code in allowed, r.text[:300]
    assert_bounded(r)


def test_similar_with_the_largest_allowed_size(client: TestClient) -> None:
    hit = timed(client, "GET", "/api/search", params={"q": "financing", "size": 1}).json()["hits"]
    r = timed(client, "GET", f"/api/provisions/{hit[0]['id']}/similar", params={"size": 50})
    assert r.status_code == 200, r.text[:300]
    assert len(r.json()["hits"]) <= 50
    draft = "Whoever finances a terrorist organisation is liable to imprisonment."
    r = timed(client, "POST", "/api/similar", json={"text": draft, "size": 50})
    assert r.status_code == 200, r.text[:300]


def _injection_cases() -> Iterator[tuple[str, dict[str, str], str]]:
    for path, (base, names) in ENDPOINT_PARAMS.items():
        for name in names:
            yield path, base, name


@pytest.mark.parametrize(
    ("path", "base", "name"),
    list(_injection_cases()),
    ids=[f"{p}?{n}" for p, _, n in _injection_cases()],
)
def test_sql_injection_in_every_parameter(
    client: TestClient, path: str, base: dict[str, str], name: str
) -> None:
    before = client.get("/api/documents", params={"size": 1}).json()["total"]
    for value in INJECTIONS:
        r = timed(client, "GET", path, params={**base, name: value})
        assert r.status_code in (200, 400, 404, 422), r.text[:300]
        assert_bounded(r)
        if r.status_code == 200 and r.headers["content-type"].startswith("application/json"):
            body = r.json()
            # A filter holding an injection matches nothing; it never widens the result.
            filters = ("country", "source_file", "region", "language", "doc_type", "status")
            if path in ("/api/search", "/api/documents") and name in filters:
                assert body["total"] == 0, body
    assert client.get("/api/documents", params={"size": 1}).json()["total"] == before


def test_web_search_page_with_hostile_queries(client: TestClient) -> None:
    for q in [*BAD_QUERIES.values(), *ODD_QUERIES.values()]:
        r = timed(client, "GET", "/", params={"q": q})
        assert r.status_code in (200, 400, 422)
        assert "<script>alert(1)</script>" not in r.text


def test_slowest_responses(client: TestClient) -> None:
    assert TIMINGS, "run with the other tests of this module"
    slowest = sorted(TIMINGS.items(), key=lambda kv: -kv[1])[:8]
    print(f"\n{len(TIMINGS)} hostile requests; slowest:")
    for key, seconds in slowest:
        print(f"  {seconds * 1000:7.1f} ms  {key}")
    assert slowest[0][1] < BUDGET
