"""JSON API under /api: search, provisions, documents, countries, tagging."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deps import AsOfDate, SearchDep, SessionDep
from app.models import Instrument, OffenceType
from app.schemas import (
    CountriesPublic,
    CountryPublic,
    DocumentPublic,
    DocumentsPublic,
    ErrorPublic,
    ProvisionPublic,
    SearchPagePublic,
    TagPublic,
    TagRequest,
    TagResult,
)
from app.services import provisions as provision_service
from app.services.search import SearchParams, search_provisions
from search_index.base import MAX_QUERY_LENGTH, MAX_SIZE, SearchBackend, SearchQuery

router = APIRouter(prefix="/api")

ERRORS = {
    400: {"model": ErrorPublic, "description": "Bad query syntax"},
    404: {"model": ErrorPublic, "description": "Unknown id"},
    413: {"model": ErrorPublic, "description": "Request body over 1 MiB"},
    422: {"model": ErrorPublic, "description": "Invalid parameter"},
    503: {"model": ErrorPublic, "description": "Search backend or database unavailable"},
}
ISO3 = r"^[A-Za-z]{3}$"
MAX_PAGE = 500
SORTS = ("relevance", "year", "-year", "citation", "order")


def known_codes(request: Request, session: Session) -> dict[str, set[str]]:
    cache = getattr(request.app.state, "codes", None)
    if cache is None:
        cache = {
            "offence": set(session.scalars(select(OffenceType.code))),
            "instrument": set(session.scalars(select(Instrument.code))),
        }
        request.app.state.codes = cache
    return cache


def check_codes(request: Request, session: Session, kind: str, values: list[str]) -> None:
    codes = known_codes(request, session)[kind]
    unknown = [v for v in values if v not in codes]
    if unknown:
        raise HTTPException(
            422,
            f"unknown {kind} code(s) {', '.join(map(repr, unknown))}: valid codes are "
            + ", ".join(sorted(codes)),
        )


async def _known_codes(request: Request) -> dict[str, set[str]]:
    """The code sets, read from SQL (in a worker thread) only on the first request."""
    cache = getattr(request.app.state, "codes", None)
    if cache is not None:
        return cache

    def load() -> dict[str, set[str]]:
        with request.app.state.sessionmaker() as session:
            return known_codes(request, session)

    return await run_in_threadpool(load)


def _check_known(codes: dict[str, set[str]], kind: str, values: list[str]) -> None:
    unknown = [v for v in values if v not in codes[kind]]
    if unknown:
        raise HTTPException(
            422,
            f"unknown {kind} code(s) {', '.join(map(repr, unknown))}: valid codes are "
            + ", ".join(sorted(codes[kind])),
        )


# An async endpoint with one hop to a worker thread (for the search itself): a sync endpoint
# with the session and backend dependencies took five hops (each dependency, the endpoint and
# the response check), which cost about as much as a cached search.
@router.get("/search", response_model=SearchPagePublic, responses=ERRORS)
async def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            max_length=MAX_QUERY_LENGTH,
            description=(
                'Full text: words, "phrases", AND / OR / NOT, prefix*; empty = every provision.'
                " Matched in each provision's own text, heading and label, not in its act's"
                " title (find acts by title with /api/documents?title=)."
                " English words and phrases also find their British/American spelling"
                ' ("organisation" finds "organization", "offence" finds "offense").'
            ),
        ),
    ] = "",
    country: Annotated[list[str], Query(description="ISO3 codes (repeatable)")] = [],  # noqa: B006
    region: Annotated[list[str], Query(description="UN M49 region, e.g. Africa")] = [],  # noqa: B006
    instrument: Annotated[list[str], Query(description="Instrument code")] = [],  # noqa: B006
    offence: Annotated[list[str], Query(description="Offence-type code")] = [],  # noqa: B006
    language: Annotated[list[str], Query(description="ISO 639-1 code")] = [],  # noqa: B006
    doc_type: Annotated[list[str], Query(description="act, code, law, ...")] = [],  # noqa: B006
    status: Annotated[list[str], Query(description="official, extract, ...")] = [],  # noqa: B006
    year_from: Annotated[int | None, Query(ge=1000, le=2999)] = None,
    year_to: Annotated[int | None, Query(ge=1000, le=2999)] = None,
    as_of: AsOfDate = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=0, le=MAX_SIZE)] = 20,
    sort: Annotated[str, Query(pattern="^(relevance|year|-year|citation|order)$")] = "relevance",
) -> Response:
    """Search provisions with filters; facets are counted under the other filters."""
    codes = await _known_codes(request)
    _check_known(codes, "offence", offence)
    _check_known(codes, "instrument", instrument)
    for code in country:
        if not re.match(ISO3, code):
            raise HTTPException(422, f"country {code!r} is not an ISO 3166-1 alpha-3 code")
    params = SearchParams(
        q=q,
        filters={
            "country": [c.upper() for c in country],
            "region": region,
            "instrument": instrument,
            "offence": offence,
            "language": language,
            "doc_type": doc_type,
            "status": status,
        },
        year_from=year_from,
        year_to=year_to,
        as_of=as_of,
        page=page,
        size=size,
        sort=sort,
    )
    body = await run_in_threadpool(_search_json, request.app.state.search, params)
    # Built from the response model already: FastAPI's second validation of it would cost about
    # a third of the API's own time on a cached search.
    return Response(body, media_type="application/json")


def _search_json(backend: SearchBackend, params: SearchParams) -> str:
    return search_provisions(backend, params).model_dump_json()


@router.get("/provisions/{provision_id:path}", response_model=ProvisionPublic, responses=ERRORS)
def get_provision(
    provision_id: str,
    session: SessionDep,
    as_of: AsOfDate = None,
) -> ProvisionPublic:
    """A provision in full: text, place in the act, tags with evidence, penalty, versions."""
    return provision_service.get_provision(session, provision_id, as_of)


@router.get("/documents", response_model=DocumentsPublic, responses=ERRORS)
def list_documents(
    session: SessionDep,
    country: Annotated[list[str], Query()] = [],  # noqa: B006
    source_file: Annotated[str | None, Query(max_length=500)] = None,
    title: Annotated[
        str | None,
        Query(
            max_length=300,
            description="Words that must all occur in the title or the English title, any case "
            "(full-text search matches provisions by their own words, not by their act's title).",
            examples=["terrorism act"],
        ),
    ] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    size: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DocumentsPublic:
    """Documents (acts, codes, instruments), filtered by country, source file or title words."""
    total, docs = provision_service.list_documents(
        session, country=country, source_file=source_file, page=page, size=size, title=title
    )
    return DocumentsPublic(total=total, page=page, size=size, documents=docs)


@router.get("/documents/{document_id:path}", response_model=DocumentPublic, responses=ERRORS)
def get_document(
    document_id: str,
    session: SessionDep,
    as_of: AsOfDate = None,
) -> DocumentPublic:
    """A document's metadata, versions and table of contents (every provision)."""
    return provision_service.get_document(session, document_id, as_of)


@router.get("/countries", response_model=CountriesPublic, responses=ERRORS)
def list_countries(
    session: SessionDep,
    all: Annotated[bool, Query(description="include countries with no documents")] = False,  # noqa: A002
) -> CountriesPublic:
    """Countries with their region and document and provision counts."""
    return CountriesPublic(
        countries=provision_service.list_countries(session, only_with_documents=not all)
    )


@router.get("/countries/{iso3}", response_model=CountryPublic, responses=ERRORS)
def get_country(iso3: str, session: SessionDep, backend: SearchDep) -> CountryPublic:
    """A country's profile: documents, provisions per offence type and instrument."""
    profile = provision_service.get_country(session, iso3)
    # Counts come from the index so that they equal what a search for this country shows.
    facets = backend.search(SearchQuery(filters={"country": (profile.iso3,)}, size=0)).facets
    profile.offences = dict(sorted(facets.get("offence", {}).items(), key=lambda kv: -kv[1]))
    profile.instruments = dict(sorted(facets.get("instrument", {}).items(), key=lambda kv: -kv[1]))
    return profile


@router.post("/tag", response_model=TagResult, responses=ERRORS)
def tag(body: TagRequest) -> TagResult:
    """Tag a piece of text: detected language, offence types, instruments, evidence."""
    from app.services.tagging import tag_request

    return tag_request(body.text, body.language)


@router.get("/health")
def health(session: SessionDep, backend: SearchDep) -> dict[str, object]:
    """Liveness and readiness: database reachable, index document count."""
    from sqlalchemy import text

    session.execute(text("SELECT 1"))
    backend.health()
    return {"status": "ok", "indexed": backend.count()}


__all__ = ["router", "TagPublic"]
