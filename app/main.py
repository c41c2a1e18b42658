"""create_app(): routers, error handlers, security headers, lifespan."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app import web
from app.db import make_engine, make_sessionmaker
from app.errors import install_error_handlers
from app.routers import admin, analysis, api
from app.security import SecurityHeadersMiddleware, token_digest
from app.settings import Settings, get_settings
from search_index import get_backend

# Python hands the GIL to a waiting thread only every switch interval (5 ms by default). A
# search finds its hits on the request thread while its facets are counted on worker threads,
# which need the GIL for a moment when their counts come back: with 5 ms they could wait
# longer than the counting took. 0.5 ms cut the median uncached search at a million
# provisions by about 8% (bench/search.py).
SWITCH_INTERVAL_S = 0.0005


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; ``settings`` default to the environment (CTLEX_*)."""
    settings = settings or get_settings()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    if settings.mode == "production" and not settings.admin_token:
        raise RuntimeError(
            "CTLEX_MODE=production needs CTLEX_ADMIN_TOKEN: set a long random token "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.sqlalchemy_url)
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.search = get_backend(
            settings.search_backend,
            data_dir=settings.data_dir,
            opensearch_url=settings.opensearch_url,
            index_name=settings.opensearch_index,
            opensearch_test_mapping=settings.opensearch_test_mapping,
        )
        if settings.preload_model:
            from app.services.similarity import warm_up

            warm_up(app.state, app.state.sessionmaker)
        yield
        engine.dispose()

    app = FastAPI(
        title="ctlex",
        summary="Searchable database of national counter-terrorism legislation",
        version="0.1.0",
        lifespan=lifespan,
    )
    install_error_handlers(app)

    app.add_middleware(SecurityHeadersMiddleware)

    app.state.admin_token_digest = (
        token_digest(settings.admin_token) if settings.admin_token else None
    )
    app.include_router(admin.router)
    app.include_router(analysis.router)
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=web.HERE / "static"), name="static")
    return app
