"""Server-rendered pages for advisers and drafters (no front-end build step).

Every page works without JavaScript (app.js only adds the basket, copy buttons and submitting
facets on a click). Lookups that change only with an ingest or a curation (names, coverage,
country profiles, tables of contents) are cached under a stamp of the stored data, so that a
cached page never disagrees with the search behind it.
"""

from __future__ import annotations

import html
import math
import re
import threading
import unicodedata
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import pycountry
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.deps import SearchDep, SessionDep
from app.models import (
    Country,
    Curation,
    Document,
    DocumentVersion,
    IndexState,
    Instrument,
    OffenceType,
    Provision,
)
from app.services import compare as compare_service
from app.services import provisions as provision_service
from app.services.export import STATUS_NOTE, penalty_text
from app.services.search import InvalidSearch, SearchParams, search_provisions
from search_index.base import MAX_QUERY_LENGTH, QuerySyntaxError

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
RTL = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug"}
STATUS_LABEL = {
    "official": "Official text",
    "official_translation": "Official translation",
    "unofficial": "Unofficial text",
    "bill": "Bill (not enacted)",
    "extract": "Extract",
}
FACETS = (
    ("country", "Country"),
    ("offence", "Offence type"),
    ("instrument", "Instrument"),
    ("language", "Language"),
    ("doc_type", "Document type"),
    ("status", "Text status"),
)
SORTS = {"relevance": "Relevance", "-year": "Newest first", "year": "Oldest first"}
PAGE_SIZE = 20
MAX_PAGE = 500
CACHE_ITEMS = 500
router = APIRouter(include_in_schema=False)
Multi = Annotated[list[str], Query()]
Text = Annotated[str, Query(max_length=MAX_QUERY_LENGTH)]


@lru_cache(maxsize=256)
def language_name(code: str | None) -> str:
    """English name of an ISO 639-1 code (the code itself when unknown)."""
    found = pycountry.languages.get(alpha_2=code) if code and len(code) == 2 else None
    return found.name if found else (code or "unknown")


def provision_title(p: Any) -> str:
    """What to call a provision in a heading: its label, number or kind ("Preamble")."""
    get = p.get if isinstance(p, dict) else lambda k: getattr(p, k, None)
    return get("label") or get("number") or (get("kind") or "provision").replace("_", " ").title()


templates.env.globals.update(
    rtl=RTL,
    status_notes=STATUS_NOTE,
    status_label=STATUS_LABEL,
    penalty_text=penalty_text,
    language_name=language_name,
    provision_title=provision_title,
)


# -- cache keyed by a stamp of the stored data ---------------------------------------------

_cache_lock = threading.Lock()


def _stamp(request: Request, session: Session, backend: Any) -> tuple:
    """Changes with any ingest (new rows, removed documents), index rebuild or curation.

    Maxima of primary keys and counts of small tables: one cheap query, once per request.
    """
    if not hasattr(request.state, "data_stamp"):
        parts = (
            select(func.max(Provision.id)),
            select(func.max(DocumentVersion.id)),
            select(func.count()).select_from(DocumentVersion).where(DocumentVersion.is_current),
            select(func.max(Curation.id)),
            select(func.count(Curation.id)),
            select(IndexState.updated_at).where(IndexState.backend == getattr(backend, "name", "")),
        )
        row = session.execute(select(*(p.scalar_subquery() for p in parts))).one()
        request.state.data_stamp = tuple(row)
    return request.state.data_stamp


def cached(request: Request, session: Session, backend: Any, key: Any, build: Callable[[], Any]):  # type: ignore[no-untyped-def]
    """``build()`` once per data stamp and key (least recently used entries go first)."""
    stamp = _stamp(request, session, backend)
    with _cache_lock:
        cache = getattr(request.app.state, "web_cache", None)
        if cache is None or cache[0] != stamp:
            cache = (stamp, OrderedDict())
            request.app.state.web_cache = cache
        if key in cache[1]:
            cache[1].move_to_end(key)
            return cache[1][key]
    value = build()
    with _cache_lock:
        cache[1][key] = value
        while len(cache[1]) > CACHE_ITEMS:
            cache[1].popitem(last=False)
    return value


def names(request: Request, session: Session, backend: Any) -> dict[str, Any]:
    """Countries (iso3 -> Country row values) and the taxonomy's names."""

    def build() -> dict[str, Any]:
        return {
            "country": {
                c.iso3: {"name": c.name, "region": c.region or "International"}
                for c in session.scalars(select(Country))
            },
            "offence": dict(session.execute(select(OffenceType.code, OffenceType.name)).all()),
            "instrument": dict(session.execute(select(Instrument.code, Instrument.name)).all()),
        }

    return cached(request, session, backend, "names", build)


def _label(kind: str, value: str, known: dict[str, Any]) -> str:
    if kind == "country":
        return known["country"].get(value, {}).get("name", value)
    if kind == "offence":
        return known["offence"].get(value, value)
    if kind == "language":
        return language_name(value)
    if kind == "status":
        return STATUS_LABEL.get(value, value)
    return value if kind in ("instrument", "region") else value.replace("_", " ").capitalize()


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return _page(request, "error.html", status, title=title, message=message)


def _int(value: str, low: int, high: int) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and low <= int(value) <= high else None


# -- search ----------------------------------------------------------------------------------


def search_url(q: str, filters: dict[str, list[str]], **extra: Any) -> str:
    """The URL of a search page: the whole state is in the query string."""
    pairs = [("q", q)] if q else []
    pairs += [(k, v) for k, vs in filters.items() for v in vs]
    pairs += [(k, str(v)) for k, v in extra.items() if v not in (None, "", 1, "relevance")]
    return "/?" + urlencode(pairs) if pairs else "/"


def _facet_panels(facets: dict, filters: dict, known: dict) -> list[dict]:
    panels = []
    for key, title in FACETS:
        if key not in facets and not filters.get(key):
            continue  # a facet the search backend does not count
        counts = dict(facets.get(key, {}))
        chosen = set(filters.get(key, []))
        for value in chosen:  # a chosen value stays visible (and can be unticked) at 0
            counts.setdefault(value, 0)
        items = [(v, _label(key, v, known), n, v in chosen) for v, n in counts.items()]
        if key == "country":
            items.sort(key=lambda item: item[1])
            grouped: dict[str, list] = defaultdict(list)
            for item in items:
                if not item[3]:
                    region = known["country"].get(item[0], {}).get("region", "International")
                    grouped[region].append(item)
            chosen_items = [("Chosen", [i for i in items if i[3]])] if chosen else []
            groups = chosen_items + sorted(grouped.items())
        else:
            items.sort(key=lambda item: (not item[3], -item[2], item[1]))
            groups = [("", items)] if items else []
        panels.append({"key": key, "title": title, "groups": groups, "chosen": len(chosen)})
    return panels


def _chips(q: str, filters: dict, years: tuple, sort: str, known: dict) -> list[tuple[str, str]]:
    chips = []
    for key, values in filters.items():
        for v in values:
            rest = {k: [x for x in vs if not (k == key and x == v)] for k, vs in filters.items()}
            label = f"{dict(FACETS).get(key, key.title())}: {_label(key, v, known)}"
            chips.append(
                (label, search_url(q, rest, year_from=years[0], year_to=years[1], sort=sort))
            )
    if years[0] or years[1]:
        label = f"Years: {years[0] or '…'}–{years[1] or '…'}"
        chips.append((label, search_url(q, filters, sort=sort)))
    return chips


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    q: Text = "",
    country: Multi = [],  # noqa: B006
    region: Multi = [],  # noqa: B006
    instrument: Multi = [],  # noqa: B006
    offence: Multi = [],  # noqa: B006
    language: Multi = [],  # noqa: B006
    doc_type: Multi = [],  # noqa: B006
    status: Multi = [],  # noqa: B006
    year: Multi = [],  # noqa: B006
    year_from: str = "",
    year_to: str = "",
    sort: str = "relevance",
    page: str = "1",
) -> HTMLResponse:
    known = names(request, session, backend)
    raw = {
        "country": [c.upper() for c in country if re.fullmatch(r"[A-Za-z]{3}", c)],
        "region": region,
        "instrument": [c for c in instrument if c in known["instrument"]],
        "offence": [c for c in offence if c in known["offence"]],
        "language": language,
        "doc_type": doc_type,
        "status": status,
    }
    filters = {k: list(dict.fromkeys(v))[:100] for k, v in raw.items() if v}
    y_from, y_to = _int(year_from, 1000, 2999), _int(year_to, 1000, 2999)
    picked = [int(y) for y in year if y.isdigit()]  # ?year=2000 from older links
    if picked and not (y_from or y_to):
        y_from, y_to = min(picked), max(picked)
    if y_from and y_to and y_from > y_to:
        y_from, y_to = y_to, y_from
    sort = sort if sort in SORTS else "relevance"
    page_no = _int(page, 1, MAX_PAGE) or 1
    params = {"q": q, "filters": filters, "year_from": y_from, "year_to": y_to, "sort": sort}
    error = None
    try:
        result = search_provisions(backend, SearchParams(**params, page=page_no, size=PAGE_SIZE))
    except (QuerySyntaxError, InvalidSearch) as exc:
        error = f"Your query could not be read: {exc}. Check quotes, brackets and AND/OR/NOT."
        result = search_provisions(backend, SearchParams(filters=filters, size=0))
    pages = min(MAX_PAGE, max(1, math.ceil(result.total / PAGE_SIZE)))
    years = sorted(int(y) for y in result.facets.get("year", {}) if str(y).isdigit())

    def page_url(n: int) -> str:
        return search_url(q, filters, year_from=y_from, year_to=y_to, sort=sort, page=n)

    return _page(
        request,
        "search.html",
        q=q,
        filters=filters,
        year_from=y_from,
        year_to=y_to,
        year_span=(years[0], years[-1]) if years else None,
        sort=sort,
        sorts=SORTS,
        hits=result.hits,
        total=result.total,
        facet_panels=_facet_panels(result.facets, filters, known),
        chips=_chips(q, filters, (y_from, y_to), sort, known),
        page=page_no,
        pages=pages,
        page_numbers=sorted({1, pages, *range(max(1, page_no - 2), min(pages, page_no + 2) + 1)}),
        page_url=page_url,
        error=error,
        known=known,
    )


# -- provision -------------------------------------------------------------------------------

# Scripts written without spaces between words: a match is not widened across their letters.
_NO_SPACES = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _in_word(ch: str) -> bool:
    return (ch.isalnum() or unicodedata.category(ch)[0] == "M") and not _NO_SPACES.match(ch)


def evidence_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the evidence ``words`` occur in ``text``, widened to whole words: a mark cutting
    an Arabic word breaks its joined letter forms, and "offen" means less than "offence"."""
    words = sorted({w.strip() for w in words if len(w.strip()) > 1}, key=len, reverse=True)[:60]
    if not words:
        return []
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        start, end = m.span()
        if spans and start < spans[-1][1]:
            continue
        while start > 0 and _in_word(text[start - 1]) and not _NO_SPACES.match(text[start]):
            start -= 1
        while end < len(text) and _in_word(text[end]) and not _NO_SPACES.match(text[end - 1]):
            end += 1
        spans.append((max(start, spans[-1][1] if spans else 0), end))
    return spans


def evidence_in_text(segments: list[str], words: list[str], limit: int = 5) -> list[str]:
    """The highlighted ``segments`` of a text that hold one of ``words`` (first spelling of
    each); the words as given when none is in the text (e.g. they matched the heading)."""
    wanted = [w.strip().casefold() for w in words if len(w.strip()) > 1]
    found: dict[str, str] = {}
    for segment in segments:
        folded = segment.casefold()
        if any(w in folded for w in wanted):
            found.setdefault(folded, segment)
            if len(found) == limit:
                break
    return list(found.values()) or list(dict.fromkeys(words))[:limit]


def highlight_evidence(text: str, spans: list[tuple[int, int]]) -> str:
    """HTML-escaped ``text`` with the ``spans`` (from :func:`evidence_spans`) in ``<mark>``."""
    out, last = [], 0
    for start, end in spans:
        out += [html.escape(text[last:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _summaries(session: Session, ids: list[str]) -> dict[str, dict]:
    """Short descriptions of current provisions (citation, heading, tags, opening words) in
    three queries, whatever their number."""
    rows = session.execute(
        select(Provision, DocumentVersion, Document)
        .join(DocumentVersion, Provision.version_id == DocumentVersion.id)
        .join(Document, DocumentVersion.document_id == Document.id)
        .where(Provision.uid.in_(ids), DocumentVersion.is_current)
        .options(selectinload(Provision.tags))
    ).all()
    curations: dict[str, list[Curation]] = defaultdict(list)
    for cur in session.scalars(select(Curation).where(Curation.provision_uid.in_(ids))):
        curations[cur.provision_uid].append(cur)
    found = {}
    for p, version, document in rows:
        tags = provision_service.effective_tags(p, curations.get(p.uid, []))
        item = provision_service.summary(p, version, document, tags).model_dump()
        item["opening"] = p.text[:280] + ("…" if len(p.text) > 280 else "")
        found[item["id"]] = item
    return found


def _similar(request: Request, session: Session, backend: Any, pid: str) -> tuple[list, str]:
    try:
        from app.services.similarity import similar_to_provision

        # Cached: a provision without a stored embedding is embedded on the fly (slow).
        scored = cached(
            request,
            session,
            backend,
            ("similar", pid),
            lambda: similar_to_provision(request.app.state, session, backend, pid, 8),
        )
    except Exception as exc:  # noqa: BLE001 - the page still shows the provision
        return [], f"Comparable provisions are unavailable right now ({type(exc).__name__})."
    found = _summaries(session, [i for i, _ in scored])
    similar = [{**found[i], "score": s} for i, s in scored if i in found]
    return similar, "" if similar else "No comparable provision found in other countries."


@router.get("/p/{provision_id:path}", response_class=HTMLResponse)
def provision_page(
    request: Request, provision_id: str, session: SessionDep, backend: SearchDep
) -> HTMLResponse:
    try:
        p = provision_service.get_provision(session, provision_id)
    except provision_service.NotFound as exc:
        return _error(request, 404, "Provision not found", str(exc))
    similar, message = _similar(request, session, backend, p.id.partition("@")[0])
    spans = evidence_spans(p.text, [w for t in p.tags for e in t.evidence for w in e.matched])
    segments = [p.text[start:end] for start, end in spans]
    seen = {
        t.code: evidence_in_text(segments, [w for e in t.evidence for w in e.matched])
        for t in p.tags
    }
    return _page(
        request,
        "provision.html",
        p=p,
        title=provision_title(p),
        highlighted=highlight_evidence(p.text, spans),
        evidence=seen,
        similar=similar,
        similar_message=message,
        known=names(request, session, backend),
    )


# -- compare ---------------------------------------------------------------------------------


def _country_codes(value: str, known: dict) -> tuple[list[str], list[str]]:
    """ISO3 codes or country names, comma-separated -> (codes, what was not recognised)."""
    by_name = {v["name"].casefold(): k for k, v in known["country"].items()}
    codes, unknown = [], []
    for token in (t.strip() for t in value.split(",")):
        if not token:
            continue
        code = token.upper() if token.upper() in known["country"] else by_name.get(token.casefold())
        (codes if code else unknown).append(code or token)
    return list(dict.fromkeys(codes))[:12], unknown


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    countries: Annotated[str, Query(max_length=400)] = "",
    offence: str = "",
    instrument: str = "",
    q: Text = "",
) -> HTMLResponse:
    known = names(request, session, backend)
    chosen, unknown = _country_codes(countries, known)
    result, error = None, None
    if unknown:
        error = f"Not a country in the database: {', '.join(unknown)}. Use ISO3 codes or names."
    elif offence and offence not in known["offence"]:
        error = f"Unknown offence type {offence!r}."
    elif instrument and instrument not in known["instrument"]:
        error = f"Unknown instrument {instrument!r}."
    elif len(chosen) >= 2 and not (offence or instrument or q):
        error = "Choose an offence type, an instrument or words to compare."
    elif chosen and (offence or instrument or q) and len(chosen) < 2:
        error = "Choose at least two countries."
    elif chosen and (offence or instrument or q):
        try:
            criterion = compare_service.Criterion(offence or None, instrument or None, q)
            result = compare_service.compare(session, backend, chosen, criterion, size=25)
        except QuerySyntaxError as exc:
            error = f"Your query could not be read: {exc}"
    return _page(
        request,
        "compare.html",
        result=result,
        error=error,
        countries_value=", ".join(chosen + unknown) if countries else "",
        offence=offence,
        instrument=instrument,
        q=q,
        known=known,
        search_url=search_url,
    )


# -- coverage --------------------------------------------------------------------------------


def coverage_matrix(
    request: Request, session: Session, backend: Any, by: str, region: str
) -> tuple[list[str], list[tuple[str, list[dict]]], int]:
    """Columns with at least one provision, rows grouped by region, and the largest count."""

    def build() -> tuple[list[str], list[tuple[str, list[dict]]], int]:
        known = names(request, session, backend)
        codes = sorted(known[by])
        matrix = compare_service.coverage(backend, by, codes, None, [region] if region else None)
        used = [c for c in codes if any(r["cells"][c] for r in matrix["rows"])]
        grouped: dict[str, list] = defaultdict(list)
        for row in matrix["rows"]:
            info = known["country"].get(row["country"], {})
            row["name"] = info.get("name", row["country"])
            grouped[info.get("region", "International")].append(row)
        top = max((n for r in matrix["rows"] for n in r["cells"].values()), default=1)
        rows = sorted((k, sorted(v, key=lambda r: r["name"])) for k, v in grouped.items())
        return used, rows, max(top, 1)

    return cached(request, session, backend, ("coverage", by, region), build)


def lightness(n: int, top: int) -> int:
    """HSL lightness of a heatmap cell: 100 for none, darker on a log scale up to ``top``."""
    if not n:
        return 100
    return int(94 - 60 * (0.15 + 0.85 * math.log1p(n) / math.log1p(max(top, 1))))


def _shade(n: int, top: int) -> str:
    light = lightness(n, top)
    return f"background:hsl(210,55%,{light}%);color:{'#fff' if light < 58 else '#1d2329'}"


def _regions(request: Request, session: Session, backend: Any) -> list[str]:
    return sorted({c["region"] for c in names(request, session, backend)["country"].values()})


@router.get("/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request, session: SessionDep, backend: SearchDep, by: str = "offence", region: str = ""
) -> HTMLResponse:
    by = by if by in ("offence", "instrument") else "offence"
    regions = _regions(request, session, backend)
    region = region if region in regions else ""

    def render() -> str:
        # The table has a cell per country and code: render it once per data stamp.
        columns, grouped, top = coverage_matrix(request, session, backend, by, region)
        steps = (round(math.expm1(math.log1p(top) * f)) for f in (0.25, 0.5, 0.75))
        return templates.get_template("coverage.html").render(
            request=request,
            by=by,
            region=region,
            regions=regions,
            columns=columns,
            grouped=grouped,
            legend=[(n, _shade(n, top)) for n in sorted({1, *steps, top})],
            shade=lambda n: _shade(n, top),
            known=names(request, session, backend),
            query=urlencode({"by": by, **({"region": region} if region else {})}),
        )

    return HTMLResponse(cached(request, session, backend, ("coverage.html", by, region), render))


@router.get("/coverage.svg")
def coverage_svg(
    request: Request, session: SessionDep, backend: SearchDep, by: str = "offence", region: str = ""
) -> Response:
    by = by if by in ("offence", "instrument") else "offence"
    region = region if region in _regions(request, session, backend) else ""
    columns, grouped, top = coverage_matrix(request, session, backend, by, region)
    rows = [r for _, rs in grouped for r in rs]
    cell, left, head = 18, 200, 160
    width, height = left + cell * len(columns) + 10, head + cell * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="11"><rect width="100%" height="100%" fill="#fff"/>'
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
            out.append(
                f'<rect x="{left + j * cell}" y="{y}" width="{cell - 1}" height="{cell - 1}" '
                f'fill="hsl(210,55%,{lightness(n, top)}%)" stroke="#e3e7eb">'
                f"<title>{html.escape(row['name'])}, {html.escape(code)}: {n}</title></rect>"
            )
    out.append("</svg>")
    return Response(
        "".join(out),
        media_type="image/svg+xml",
        headers={"Content-Disposition": f'attachment; filename="ctlex-coverage-{by}.svg"'},
    )


# -- countries, documents, basket ----------------------------------------------------------


@router.get("/countries", response_class=HTMLResponse)
def countries_page(request: Request, session: SessionDep, backend: SearchDep) -> HTMLResponse:
    def build() -> list[tuple[str, list]]:
        grouped: dict[str, list] = defaultdict(list)
        for c in provision_service.list_countries(session, only_with_documents=True):
            grouped[c.region or "International"].append(c)
        return sorted((k, sorted(v, key=lambda c: c.name)) for k, v in grouped.items())

    grouped = cached(request, session, backend, "countries", build)
    return _page(request, "countries.html", grouped=grouped)


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country_page(
    request: Request, iso3: str, session: SessionDep, backend: SearchDep
) -> HTMLResponse:
    from app.routers.api import get_country

    try:
        c = cached(
            request,
            session,
            backend,
            ("country", iso3.upper()),
            lambda: get_country(iso3, session, backend),
        )
    except provision_service.NotFound as exc:
        return _error(request, 404, "Country not found", str(exc))
    return _page(request, "country.html", c=c, known=names(request, session, backend))


@router.get("/d/{document_id:path}", response_class=HTMLResponse)
def document_page(
    request: Request,
    document_id: str,
    session: SessionDep,
    backend: SearchDep,
    as_of: str = "",
) -> HTMLResponse:
    as_of = as_of if re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of) else ""
    try:
        d = cached(
            request,
            session,
            backend,
            ("document", document_id, as_of),
            lambda: provision_service.get_document(session, document_id, as_of or None),
        )
    except provision_service.NotFound as exc:
        return _error(request, 404, "Document not found", str(exc))
    return _page(
        request,
        "document.html",
        d=d,
        as_of=as_of,
        containers=provision_service.CONTAINER_KINDS,
        known=names(request, session, backend),
    )


@router.get("/basket", response_class=HTMLResponse)
def basket_page(request: Request) -> HTMLResponse:
    return _page(request, "basket.html")
