"""Comparison between countries and the coverage matrix, both computed with the search index
so that every count equals the total of the search behind it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.provisions import load_provisions
from app.services.search import checked_query
from search_index.base import SearchBackend

COMPARE_MAX_PER_COUNTRY = 50


@dataclass(frozen=True)
class Criterion:
    offence: str | None = None
    instrument: str | None = None
    q: str = ""

    def filters(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        if self.offence:
            found["offence"] = (self.offence,)
        if self.instrument:
            found["instrument"] = (self.instrument,)
        return found

    def describe(self) -> str:
        parts = [
            f"offence {self.offence}" if self.offence else "",
            f"instrument {self.instrument}" if self.instrument else "",
            f"query {self.q!r}" if self.q else "",
        ]
        return ", ".join(p for p in parts if p)


def penalty_summary(penalties: list[dict]) -> dict | None:
    """The most severe penalty stated among a column's provisions."""
    stated = [p for p in penalties if p]
    if not stated:
        return None

    def severity(p: dict) -> tuple[int, int, float]:
        return (int(p.get("death") or 0), int(p.get("life") or 0), p.get("max_years") or 0.0)

    return max(stated, key=severity)


def compare(
    session: Session,
    backend: SearchBackend,
    countries: list[str],
    criterion: Criterion,
    size: int = COMPARE_MAX_PER_COUNTRY,
) -> dict:
    columns = []
    for country in countries:
        page = backend.search(
            checked_query(
                q=criterion.q,
                filters={**criterion.filters(), "country": (country,)},
                size=size,
                sort="relevance" if criterion.q else "order",
                facets=True,
                highlight=False,
            )
        )
        overall = backend.search(checked_query(filters={"country": (country,)}, size=0))
        provisions = load_provisions(session, [h.id for h in page.hits])
        penalties = [p.penalty.model_dump() for p in provisions if p.penalty]
        columns.append(
            {
                "country": country,
                "provisions": [p.model_dump() for p in provisions],
                "summary": {
                    "provisions": page.total,
                    "shown": len(provisions),
                    "nothing_found": page.total == 0,
                    "message": (
                        f"no provision of {country} matches {criterion.describe()}"
                        if page.total == 0
                        else None
                    ),
                    "documents": sorted({p.document_id for p in provisions}),
                    "instruments_in_matches": page.facets.get("instrument", {}),
                    "instruments_covered": sorted(overall.facets.get("instrument", {})),
                    "penalty": penalty_summary(penalties),
                },
            }
        )
    return {"criterion": criterion.__dict__, "columns": columns}


def coverage(
    backend: SearchBackend,
    by: str,
    codes: list[str],
    countries: list[str] | None,
    region: list[str] | None,
) -> dict:
    """Matrix of provision counts: rows = countries, columns = codes."""
    base: dict[str, tuple[str, ...]] = {}
    if countries:
        base["country"] = tuple(countries)
    if region:
        base["region"] = tuple(region)
    facet_key = "offence" if by == "offence" else "instrument"
    cells: dict[str, dict[str, int]] = {}
    for code in codes:
        page = backend.search(checked_query(filters={**base, facet_key: (code,)}, size=0))
        for country, n in page.facets.get("country", {}).items():
            if countries and country not in countries:
                continue
            cells.setdefault(country, {})[code] = n
    everyone = backend.search(checked_query(filters=base, size=0)).facets.get("country", {})
    rows = []
    for country in sorted(set(everyone) | set(countries or [])):
        if countries and country not in countries:
            continue
        row_cells = {code: cells.get(country, {}).get(code, 0) for code in codes}
        rows.append(
            {
                "country": country,
                "cells": row_cells,
                "links": {
                    code: f"/api/search?country={country}&{facet_key}={code}"
                    for code in codes
                    if row_cells[code]
                },
                "total": everyone.get(country, 0),
            }
        )
    return {"by": by, "columns": codes, "rows": rows}
