"""Comparison, coverage, similar provisions, export and the taxonomy."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.deps import AsOfDate, SearchDep, SessionDep
from app.models import Country, Instrument, OffenceType
from app.routers.api import ERRORS, check_codes, known_codes
from app.schemas import ProvisionPublic
from app.services import compare as compare_service
from app.services import export as export_service
from app.services.provisions import load_provisions
from app.services.search import SearchParams
from search_index.base import MAX_QUERY_LENGTH

router = APIRouter(prefix="/api")


def _countries(value: str, minimum: int) -> list[str]:
    codes = [c.strip().upper() for c in value.split(",") if c.strip()]
    bad = [c for c in codes if len(c) != 3 or not c.isalpha()]
    if bad:
        raise HTTPException(422, f"countries: {', '.join(bad)} not ISO 3166-1 alpha-3 codes")
    if len(codes) < minimum:
        raise HTTPException(
            422, f"countries: give at least {minimum}, comma-separated (e.g. countries=GBR,FRA)"
        )
    if len(codes) > 20:
        raise HTTPException(422, "countries: at most 20 at a time")
    return list(dict.fromkeys(codes))


@router.get("/compare", responses=ERRORS)
def compare(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    countries: Annotated[
        str, Query(description="2 or more ISO3 codes, comma-separated", examples=["GBR,FRA,DEU"])
    ],
    offence: Annotated[str | None, Query(description="offence-type code")] = None,
    instrument: Annotated[str | None, Query(description="instrument code")] = None,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    size: Annotated[int, Query(ge=1, le=100)] = 50,
) -> dict[str, Any]:
    """One column per country with its matching provisions and a summary (count,
    instruments, penalty, documents). A country with nothing matching says so."""
    codes = _countries(countries, 2)
    if not (offence or instrument or q):
        raise HTTPException(422, "give one of offence=, instrument= or q=")
    if offence:
        check_codes(request, session, "offence", [offence])
    if instrument:
        check_codes(request, session, "instrument", [instrument])
    criterion = compare_service.Criterion(offence=offence, instrument=instrument, q=q)
    return compare_service.compare(session, backend, codes, criterion, size=size)


@router.get(
    "/coverage",
    responses={**ERRORS, 200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def coverage(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    by: Annotated[str, Query(pattern="^(offence|instrument)$")] = "offence",
    countries: Annotated[str | None, Query(description="ISO3 codes, comma-separated")] = None,
    region: Annotated[list[str], Query(description="UN M49 region")] = [],  # noqa: B006
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",  # noqa: A002
) -> Any:
    """Matrix of provision counts (countries x offence types or instruments); each cell links
    to the search behind it and equals that search's total."""
    codes = sorted(known_codes(request, session)[by])
    chosen = _countries(countries, 1) if countries else None
    matrix = compare_service.coverage(backend, by, codes, chosen, region or None)
    names = {c.iso3: c for c in session.scalars(select(Country))}
    used = [c for c in codes if any(r["cells"][c] for r in matrix["rows"])]
    matrix["columns_with_provisions"] = used
    for row in matrix["rows"]:
        country = names.get(row["country"])
        row["name"] = country.name if country else row["country"]
        row["region"] = (country.region if country else None) or "Other"
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["country", "name", "region", *codes])
        for row in matrix["rows"]:
            writer.writerow(
                [row["country"], row["name"], row["region"], *[row["cells"][c] for c in codes]]
            )
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="ctlex-coverage-{by}.csv"'},
        )
    return matrix


@router.get("/taxonomy", responses=ERRORS)
def taxonomy(session: SessionDep) -> dict[str, Any]:
    """Every offence-type and instrument code with its name (use these codes in filters)."""
    return {
        "offences": [
            {"code": o.code, "name": o.name, "group": o.group}
            for o in session.scalars(select(OffenceType).order_by(OffenceType.code))
        ],
        "instruments": [
            {"code": i.code, "name": i.name, "group": i.group, "year": i.year}
            for i in session.scalars(select(Instrument).order_by(Instrument.code))
        ],
    }


@router.get(
    "/export",
    responses={**ERRORS, 200: {"content": {t: {} for t in export_service.FORMATS.values()}}},
)
def export(
    request: Request,
    session: SessionDep,
    backend: SearchDep,
    format: Annotated[str, Query(pattern="^(docx|csv|json|md)$")] = "docx",  # noqa: A002
    ids: Annotated[list[str], Query(description="provision ids (repeatable)")] = [],  # noqa: B006
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    region: Annotated[list[str], Query()] = [],  # noqa: B006
    instrument: Annotated[list[str], Query()] = [],  # noqa: B006
    offence: Annotated[list[str], Query()] = [],  # noqa: B006
    language: Annotated[list[str], Query()] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query()] = [],  # noqa: B006
    year_from: Annotated[int | None, Query(ge=1000, le=2999)] = None,
    year_to: Annotated[int | None, Query(ge=1000, le=2999)] = None,
    as_of: AsOfDate = None,
    size: Annotated[int, Query(ge=1, le=export_service.EXPORT_MAX)] = 100,
) -> Response:
    """Export clauses (chosen by ids, or by the search filters) with their citations."""
    if len(ids) > export_service.EXPORT_MAX:
        raise HTTPException(422, f"ids: at most {export_service.EXPORT_MAX} per export")
    if ids:
        chosen, description = export_service.clauses_by_id(session, ids)
    else:
        check_codes(request, session, "offence", offence)
        check_codes(request, session, "instrument", instrument)
        params = SearchParams(
            q=q,
            filters={
                "country": [c.upper() for c in country],
                "region": region,
                "instrument": instrument,
                "offence": offence,
                "language": language,
                "doc_type": doc_type,
            },
            year_from=year_from,
            year_to=year_to,
            as_of=as_of,
            sort="relevance" if q else "order",
            facets=False,
        )
        chosen, description = export_service.clauses_by_search(session, backend, params, size)
    body = export_service.export(
        chosen, format, description=description, base_url=str(request.base_url).rstrip("/")
    )
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    return Response(
        body,
        media_type=export_service.FORMATS[format],
        headers={"Content-Disposition": f'attachment; filename="ctlex-export-{stamp}.{format}"'},
    )


class SimilarRequest(BaseModel):
    text: str = Field(min_length=3, max_length=20_000, description="A draft clause")
    size: int = Field(10, ge=1, le=50)
    exclude_country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$")
    countries: list[Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]] = Field(
        default_factory=list,
        max_length=50,
        description="Only these countries (ISO3), each given a fair share of the list",
        examples=[["DEU", "FRA", "ESP", "RUS"]],
    )


class SimilarHit(ProvisionPublic):
    score: float = Field(
        description="Similarity (cosine of multilingual embeddings, fused with lexical similarity)"
    )


class SimilarHits(BaseModel):
    hits: list[SimilarHit]


@router.get("/provisions/{provision_id:path}/similar", response_model=SimilarHits, responses=ERRORS)
def similar_to_provision(
    request: Request,
    provision_id: str,
    session: SessionDep,
    backend: SearchDep,
    size: Annotated[int, Query(ge=1, le=50)] = 10,
    same_country: Annotated[
        bool,
        Query(
            description="Also search the provision's own country (its other-language versions "
            "and other acts); its own document is still left out"
        ),
    ] = False,
    country: Annotated[
        list[str],
        Query(
            max_length=50,
            description="Only these countries (ISO3, repeatable), each given a fair share",
        ),
    ] = [],  # noqa: B006
) -> SimilarHits:
    """The most similar provisions of other countries, in any language."""
    from app.services.similarity import similar_to_provision as find

    scored = find(
        request.app.state,
        session,
        backend,
        provision_id,
        size,
        same_country=same_country,
        countries=_iso3_list(country),
    )
    return _hits(session, scored)


@router.post("/similar", response_model=SimilarHits, responses=ERRORS)
def similar_to_text(
    request: Request, body: SimilarRequest, session: SessionDep, backend: SearchDep
) -> SimilarHits:
    """Provisions most similar to a draft clause, in any language."""
    from app.services.similarity import similar_to_text as find

    scored = find(
        request.app.state,
        session,
        backend,
        body.text,
        body.size,
        exclude_country=body.exclude_country,
        countries=_iso3_list(body.countries),
    )
    return _hits(session, scored)


def _iso3_list(codes: list[str]) -> tuple[str, ...]:
    """Country codes, also comma-separated, upper-cased; 422 for a value that is not ISO3."""
    found = tuple(c.strip().upper() for code in codes for c in code.split(",") if c.strip())
    bad = [c for c in found if not re.fullmatch(r"[A-Z]{3}", c)]
    if bad:
        raise HTTPException(422, f"country: {bad[0]!r} is not an ISO3 code such as DEU")
    return found


def _hits(session, scored: list[tuple[str, float]]) -> SimilarHits:  # type: ignore[no-untyped-def]
    provisions = load_provisions(session, [pid for pid, _ in scored])
    scores = dict(scored)
    return SimilarHits(
        hits=[SimilarHit(**p.model_dump(), score=round(scores[p.id], 4)) for p in provisions]
    )
