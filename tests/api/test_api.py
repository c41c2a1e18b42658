"""The JSON API on the real bundled corpus (SQLite + embedded tantivy)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture(scope="module")
def client(ingested_corpus) -> Iterator[TestClient]:
    with TestClient(create_app(ingested_corpus.settings)) as c:
        yield c


def test_search_finds_financing_provisions_in_many_countries(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "financing", "offence": "financing"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] > 20
    assert len(body["facets"]["country"]) >= 10
    hit = body["hits"][0]
    assert "financing" in hit["offences"]
    assert hit["permalink"] == f"/p/{hit['id']}"
    assert hit["status"] in {"official", "official_translation", "unofficial", "bill", "extract"}


def test_facets_are_multi_select(client: TestClient) -> None:
    both = client.get("/api/search", params={"offence": "financing"}).json()
    one = client.get("/api/search", params={"offence": "financing", "country": "GBR"}).json()
    assert one["facets"]["country"] == both["facets"]["country"]
    assert one["total"] == both["facets"]["country"]["GBR"]


def test_highlight_marks_the_query_words(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "hostage"}).json()
    assert body["total"] > 0
    assert any("<mark>" in h["snippet"] for h in body["hits"])


def test_phrase_and_boolean_queries(client: TestClient) -> None:
    phrase = client.get("/api/search", params={"q": '"terrorist organisation"'}).json()["total"]
    word = client.get("/api/search", params={"q": "organisation"}).json()["total"]
    boolean = client.get(
        "/api/search", params={"q": 'financing AND "terrorist organisation"'}
    ).json()["total"]
    assert 0 < phrase <= word
    assert boolean <= phrase


@pytest.mark.parametrize("q", ['"unbalanced', "(financing", "*", "a AND", "*a*b*c*d*"])
def test_bad_query_syntax_is_400(client: TestClient, q: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 400, r.text
    assert "query syntax" in r.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"size": 100000},
        {"page": 0},
        {"offence": "nonsense"},
        {"year_from": "x"},
        {"as_of": "yesterday"},
        {"sort": "random"},
        {"country": "GB'; DROP TABLE x"},
    ],
)
def test_invalid_parameters_are_422(client: TestClient, params: dict) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == 422, r.text
    assert r.json()["detail"]


def test_provision_in_full(client: TestClient) -> None:
    hit = client.get("/api/search", params={"offence": "financing", "country": "GBR"}).json()[
        "hits"
    ][0]
    r = client.get(f"/api/provisions/{hit['id']}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["text"]
    assert body["citation"].startswith(body["document_title"])
    assert any(t["code"] == "financing" and t["evidence"] for t in body["tags"])
    assert body["versions"] and body["versions"][0]["current"]


def test_unknown_ids_are_404(client: TestClient) -> None:
    assert client.get("/api/provisions/gbr/act/2000/terrorism-act/~sec_99999").status_code == 404
    assert client.get("/api/provisions/nonsense").status_code == 404
    assert client.get("/api/documents/xxx/act/1900/none").status_code == 404
    assert client.get("/api/countries/XXX").status_code == 404


def test_documents_and_countries(client: TestClient) -> None:
    docs = client.get("/api/documents", params={"country": "FRA"}).json()
    assert docs["total"] >= 1
    doc = client.get(f"/api/documents/{docs['documents'][0]['id']}").json()
    assert doc["toc"] and doc["source_file"].startswith("raw/")
    countries = client.get("/api/countries").json()["countries"]
    assert len(countries) >= 70
    gbr = client.get("/api/countries/GBR").json()
    assert gbr["region"] == "Europe" and gbr["offences"].get("financing", 0) > 0


def test_documents_found_by_title_words(client: TestClient) -> None:
    # Full-text search matches provisions by their own words; an act is found by its title here.
    found = client.get("/api/documents", params={"title": "ACT terrorism 2000"}).json()
    titles = [d["title"] for d in found["documents"]]
    assert found["total"] == len(titles) >= 1
    assert all("terrorism" in t.lower() and "2000" in t for t in titles)
    assert any(d["country"] == "GBR" for d in found["documents"])
    # Any script, either title (the English title of a Russian act), any case.
    russian = client.get("/api/documents", params={"title": "уголовный", "country": "RUS"}).json()
    english = client.get("/api/documents", params={"title": "CRIMINAL code", "country": "RUS"})
    assert russian["total"] >= 1 and english.json()["total"] >= 1
    paged = client.get("/api/documents", params={"title": "terrorism", "size": 1}).json()
    assert paged["total"] > 1 and len(paged["documents"]) == 1
    assert client.get("/api/documents", params={"title": "zzzzqq"}).json()["total"] == 0
    assert client.get("/api/documents", params={"title": "x" * 301}).status_code == 422


def test_security_headers_and_no_stack_traces(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "(("})
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in r.headers["Content-Security-Policy"]
    assert "Traceback" not in r.text
