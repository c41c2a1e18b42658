"""Faceted search of provisions: request parameters -> backend query -> API page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.schemas import SearchHitPublic, SearchPagePublic
from search_index.base import SearchBackend, SearchHit, SearchQuery

FILTER_KEYS = ("country", "region", "instrument", "offence", "language", "doc_type", "status")


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    year_from: int | None = None
    year_to: int | None = None
    as_of: str | None = None
    page: int = 1
    size: int = 20
    sort: str = "relevance"
    facets: bool = True


def to_query(params: SearchParams) -> SearchQuery:
    """The backend query for ``params``; InvalidSearch (422) for parameters that cannot go
    together (year_from after year_to, too many filter values, a page past the depth limit)."""
    filters = {k: tuple(v) for k, v in params.filters.items() if v}
    return checked_query(
        q=params.q,
        filters=filters,
        year_from=params.year_from,
        year_to=params.year_to,
        as_of=params.as_of,
        page=params.page,
        size=params.size,
        sort=params.sort,
        facets=params.facets,
        highlight=True,
    )


def checked_query(**fields: Any) -> SearchQuery:
    """A SearchQuery, whose validation errors become InvalidSearch (a 422 in the API)."""
    try:
        return SearchQuery(**fields)
    except ValueError as exc:
        raise InvalidSearch(str(exc)) from exc


def hit_public(hit: SearchHit) -> SearchHitPublic:
    doc = hit.doc
    return SearchHitPublic(
        id=hit.id,
        kind=doc.get("kind", ""),
        number=doc.get("number") or None,
        label=doc.get("label") or None,
        heading=doc.get("heading") or None,
        language=doc.get("language") or None,
        country=doc["country"],
        document_id=doc["document_id"],
        citation=doc.get("citation", ""),
        permalink=f"/p/{hit.id}",
        status=doc.get("status", "official"),
        partial=bool(doc.get("partial")),
        version_date=doc.get("version_date") or None,
        offences=list(doc.get("offences") or []),
        instruments=list(doc.get("instruments") or []),
        score=float(hit.score or 0.0),
        snippet=hit.snippet,
        document_title=doc.get("title", ""),
        year=doc.get("year"),
    )


class InvalidSearch(ValueError):
    """Search parameters that cannot be combined (e.g. a page beyond the depth limit)."""


def search_provisions(backend: SearchBackend, params: SearchParams) -> SearchPagePublic:
    page = backend.search(to_query(params))
    return SearchPagePublic(
        total=page.total,
        page=params.page,
        size=params.size,
        hits=[hit_public(h) for h in page.hits],
        facets=page.facets,
    )
