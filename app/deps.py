"""FastAPI dependencies: a session per request, the search backend made at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import AfterValidator
from sqlalchemy.orm import Session

from app.settings import Settings
from search_index.base import SearchBackend


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


def get_search(request: Request) -> SearchBackend:
    return request.app.state.search


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SessionDep = Annotated[Session, Depends(get_session)]
SearchDep = Annotated[SearchBackend, Depends(get_search)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def _calendar_date(value: str | None) -> str | None:
    """A YYYY-MM-DD string that is a real date (2024-02-30 is refused with a 422)."""
    if value is not None:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a calendar date; use YYYY-MM-DD") from None
    return value


AsOfDate = Annotated[
    str | None,
    AfterValidator(_calendar_date),
    Query(
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="The law as it stood on this date (YYYY-MM-DD)",
        examples=["2015-01-01"],
    ),
]
