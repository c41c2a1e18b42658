"""Server-rendered pages for advisers and drafters (no front-end build step)."""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select

from app.deps import SearchDep, SessionDep
from app.models import Country, Instrument, OffenceType
from app.routers.api import known_codes
from app.services import compare as compare_service
from app.services import provisions as provision_service
from app.services.export import STATUS_NOTE
from app.services.search import InvalidSearch, SearchParams, search_provisions
from search_index.base import MAX_QUERY_LENGTH, QuerySyntaxError

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
RTL = {"ar", "he", "fa", "ur"}
templates.env.globals.update(rtl=RTL, status_notes=STATUS_NOTE)
router = APIRouter(include_in_schema=False)
FACETS = (
    ("country", "Country"),
    ("offence", "Offence type"),
    ("instrument", "Instrument"),
    ("language", "Language"),
    ("doc_type", "Document type"),
    ("status", "Text status"),
    ("year", "Year"),
)
FILTER_KEYS = ("country", "region", "instrument", "offence", "language", "doc_type", "status")
PAGE_SIZE = 20


def penalty_text(p: Any) -> str:
    if p is None:
        return ""
    p = p if isinstance(p, dict) else p.model_dump()
    parts = []
    if p.get("death"):
        parts.append("death penalty")
    if p.get("life"):
        parts.append("life imprisonment")
    if p.get("max_years"):
        low = f"{p['min_years']:g} to " if p.get("min_years") else "up to "
        parts.append(f"{low}{p['max_years']:g} years' imprisonment")
    elif p.get("min_years"):
        parts.append(f"at least {p['min_years']:g} years' imprisonment")
    if p.get("fine"):
        parts.append("fine" + (f" ({p['fine_amount']})" if p.get("fine_amount") else ""))
    return ", ".join(parts) or "stated"


templates.env.globals["penalty_text"] = penalty_text


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return _page(request, "error.html", status, title=title, message=message)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    region: Annotated[list[str], Query()] = [],  # noqa: B006
    instrument: Annotated[list[str], Query()] = [],  # noqa: B006
    offence: Annotated[list[str], Query()] = [],  # noqa: B006
    language: Annotated[list[str], Query()] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query()] = [],  # noqa: B006
    status: Annotated[list[str], Query()] = [],  # noqa: B006
    year: Annotated[list[str], Query()] = [],  # noqa: B006
    year_from: Annotated[str, Query()] = "",
    year_to: Annotated[str, Query()] = "",
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> HTMLResponse:
    codes = known_codes(request, session)
    filters = {
        "country": [c.upper() for c in country],
        "region": region,
        "instrument": [c for c in instrument if c in codes["instrument"]],
        "offence": [c for c in offence if c in codes["offence"]],
        "language": language,
        "doc_type": doc_type,
        "status": status,
    }
    y_from = int(year_from) if year_from.isdigit() else None
    y_to = int(year_to) if year_to.isdigit() else None
    if year and not (y_from or y_to):
        years = [int(y) for y in year if y.isdigit()]
        if years:
            y_from, y_to = min(years), max(years)
    error = None
    try:
        result = search_provisions(
            backend,
            SearchParams(
                q=q, filters=filters, year_from=y_from, year_to=y_to, page=page, size=PAGE_SIZE
            ),
        )
    except (QuerySyntaxError, InvalidSearch) as exc:
        error = f"Your query could not be read: {exc}. Check quotes and brackets."
        result = search_provisions(backend, SearchParams(filters=filters, size=0))
    names = {c.iso3: c for c in session.scalars(select(Country))}
    panels = []
    for key, title in FACETS:
        counts = result.facets.get(key, {})
        chosen = set(filters.get(key, [])) | (set(year) if key == "year" else set())
        values = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if key == "year":
            values = sorted(counts.items(), reverse=True)
        if key == "country":
            grouped: dict[str, list] = defaultdict(list)
            for value, n in values:
                c = names.get(value)
                grouped[(c.region if c else None) or "Other"].append(
                    (value, c.name if c else value, n, value in chosen)
                )
            groups = sorted(grouped.items())
        else:
            groups = [("", [(v, v, n, v in chosen) for v, n in values])] if values else []
        panels.append({"key": key, "title": title, "groups": groups})
    active = {k: v for k, v in filters.items() if v}
    pages = max(1, math.ceil(result.total / PAGE_SIZE))

    def page_url(n: int) -> str:
        pairs = [("q", q)] + [(k, v) for k, vs in active.items() for v in vs]
        if y_from:
            pairs.append(("year_from", str(y_from)))
        if y_to:
            pairs.append(("year_to", str(y_to)))
        return "/?" + urlencode([*pairs, ("page", str(n))])

    return _page(
        request,
        "search.html",
        q=q,
        filters=active,
        active=bool(active),
        year_from=y_from,
        year_to=y_to,
        hits=result.hits,
        total=result.total,
        facet_panels=panels,
        page=page,
        pages=min(pages, 500),
        page_url=page_url,
        error=error,
    )


def _highlight_evidence(text: str, tags: list[Any]) -> str:
    words = sorted(
        {w for t in tags for e in t.evidence for w in e.matched if len(w) > 1},
        key=len,
        reverse=True,
    )
    escaped = html.escape(text)
    if not words:
        return escaped
    pattern = re.compile("|".join(re.escape(html.escape(w)) for w in words[:50]), re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)


@router.get("/p/{provision_id:path}", response_class=HTMLResponse)
def provision_page(
    request: Request, provision_id: str, session: SessionDep, backend: SearchDep
) -> HTMLResponse:
    try:
        p = provision_service.get_provision(session, provision_id)
    except provision_service.NotFound as exc:
        return _error(request, 404, "Provision not found", str(exc))
    similar, message = [], "No comparable provisions found."
    try:
        from app.services.similarity import similar_to_provision

        scored = similar_to_provision(request.app.state, session, backend, provision_id, 8)
        scores = dict(scored)
        similar = [
            s.model_copy(update={})
            for s in provision_service.load_provisions(session, [i for i, _ in scored])
        ]
        similar = [{**s.model_dump(), "score": scores[s.id]} for s in similar]
    except Exception as exc:  # noqa: BLE001 - the page still shows the provision
        message = f"Comparable provisions are unavailable right now ({type(exc).__name__})."
    return _page(
        request,
        "provision.html",
        p=p,
        highlighted=_highlight_evidence(p.text, p.tags),
        penalty_text=penalty_text(p.penalty),
        similar=similar,
        similar_message=message,
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    countries: str = "",
    offence: str = "",
    instrument: str = "",
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
) -> HTMLResponse:
    codes = known_codes(request, session)
    chosen = [c.strip().upper() for c in countries.split(",") if c.strip()][:20]
    result, error = None, None
    if chosen:
        if len(chosen) < 2:
            error = "Choose at least two countries."
        elif offence and offence not in codes["offence"]:
            error = f"Unknown offence type {offence!r}."
        elif instrument and instrument not in codes["instrument"]:
            error = f"Unknown instrument {instrument!r}."
        elif not (offence or instrument or q):
            error = "Choose an offence type, an instrument or words to compare."
        else:
            try:
                result = compare_service.compare(
                    session,
                    backend,
                    chosen,
                    compare_service.Criterion(offence or None, instrument or None, q),
                    size=30,
                )
            except QuerySyntaxError as exc:
                error = f"Your query could not be read: {exc}"
    return _page(
        request,
        "compare.html",
        result=result,
        error=error,
        countries_value=",".join(chosen),
        offence=offence,
        instrument=instrument,
        q=q,
        offences=session.scalars(select(OffenceType).order_by(OffenceType.code)).all(),
        instruments=session.scalars(select(Instrument).order_by(Instrument.code)).all(),
    )


def _coverage(request: Request, session, backend, by: str) -> tuple[list[str], list]:  # type: ignore[no-untyped-def]
    codes = sorted(known_codes(request, session)[by])
    matrix = compare_service.coverage(backend, by, codes, None, None)
    used = [c for c in codes if any(r["cells"][c] for r in matrix["rows"])]
    names = {c.iso3: c for c in session.scalars(select(Country))}
    grouped: dict[str, list] = defaultdict(list)
    for row in matrix["rows"]:
        c = names.get(row["country"])
        row["name"] = c.name if c else row["country"]
        grouped[(c.region if c else None) or "Other"].append(row)
    return used, sorted((k, sorted(v, key=lambda r: r["name"])) for k, v in grouped.items())


def _shade(n: int, top: int) -> str:
    if not n:
        return ""
    level = 0.15 + 0.85 * math.log1p(n) / math.log1p(max(top, 1))
    light = int(96 - 62 * level)
    return f"background: hsl(210, 55%, {light}%); color: {'#fff' if light < 60 else '#1d2329'}"


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    by: Annotated[str, Query(pattern="^(offence|instrument)$")] = "offence",
) -> HTMLResponse:
    columns, grouped = _coverage(request, session, backend, by)
    top = max((n for _, rows in grouped for r in rows for n in r["cells"].values()), default=1)
    return _page(
        request,
        "coverage.html",
        by=by,
        columns=columns,
        grouped=grouped,
        shade=lambda n: _shade(n, top),
    )


@router.get("/coverage.svg")
def coverage_svg(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    by: Annotated[str, Query(pattern="^(offence|instrument)$")] = "offence",
) -> Response:
    columns, grouped = _coverage(request, session, backend, by)
    rows = [r for _, rs in grouped for r in rs]
    top = max((n for r in rows for n in r["cells"].values()), default=1)
    cell, left, head = 18, 200, 150
    width, height = left + cell * len(columns) + 10, head + cell * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11">'
    ]
    for j, code in enumerate(columns):
        x = left + j * cell + 12
        out.append(
            f'<text transform="translate({x},{head - 4}) rotate(-90)">{html.escape(code)}</text>'
        )
    for i, row in enumerate(rows):
        y = head + i * cell
        out.append(f'<text x="4" y="{y + 13}">{html.escape(row["name"][:30])}</text>')
        for j, code in enumerate(columns):
            n = row["cells"][code]
            light = 100 if not n else int(96 - 62 * (0.15 + 0.85 * math.log1p(n) / math.log1p(top)))
            out.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}"'
                f' fill="hsl(210,55%,{light}%)"><title>{html.escape(row["name"])} '
                f"{html.escape(code)}: {n}</title></rect>"
            )
    out.append("</svg>")
    return Response(
        "".join(out),
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="ctlex-coverage-{by}.svg"'},
    )


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request, session: SessionDep) -> HTMLResponse:
    grouped: dict[str, list] = defaultdict(list)
    for c in provision_service.list_countries(session, only_with_documents=True):
        grouped[c.region or "International"].append(c)
    return _page(request, "countries.html", grouped=sorted(grouped.items()))


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country_page(
    request: Request, iso3: str, session: SessionDep, backend: SearchDep
) -> HTMLResponse:
    from app.routers.api import get_country

    try:
        c = get_country(iso3, session, backend)
    except provision_service.NotFound as exc:
        return _error(request, 404, "Country not found", str(exc))
    return _page(request, "country.html", c=c)


@router.get("/d/{document_id:path}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: str,
    session: SessionDep,
    as_of: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$")] = None,
) -> HTMLResponse:
    try:
        d = provision_service.get_document(session, document_id, as_of)
    except provision_service.NotFound as exc:
        return _error(request, 404, "Document not found", str(exc))
    return _page(request, "document.html", d=d, containers=provision_service.CONTAINER_KINDS)


@router.get("/basket", response_class=HTMLResponse)
def basket_page(request: Request) -> HTMLResponse:
    return _page(request, "basket.html")
