"""FastAPI dependencies: a session per request, the search backend made at start-up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
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
