"""Domain errors -> HTTP responses with a JSON body that says what to do next."""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.security import apply_security_headers
from app.services.provisions import NotFound
from app.services.search import InvalidSearch
from search_index.base import BackendUnavailable, QuerySyntaxError

log = logging.getLogger("ctlex.api")


def _json(status: int, detail: object, **extra: object) -> JSONResponse:
    return JSONResponse(status_code=status, content=jsonable_encoder({"detail": detail, **extra}))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - ctlex</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><main class="page"><h1>{title}</h1><p>{message}</p>
<p><a href="/">Back to search</a></p></main></body></html>"""


def _for(request: Request, status: int, title: str, detail: str) -> Response:
    """JSON for the API; a plain page for a browser on the web pages (no template, so that it
    renders even when what broke is the database or the templates)."""
    if request.url.path.startswith("/api") or request.url.path in ("/openapi.json", "/docs"):
        return _json(status, detail)
    body = _PAGE.format(title=html.escape(title), message=html.escape(detail))
    return HTMLResponse(body, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QuerySyntaxError)
    async def _syntax(_: Request, exc: QuerySyntaxError) -> JSONResponse:
        position = getattr(exc, "position", None)
        return _json(400, f"query syntax error: {exc}", position=position)

    @app.exception_handler(InvalidSearch)
    async def _invalid_search(_: Request, exc: InvalidSearch) -> JSONResponse:
        return _json(422, f"invalid parameter: {exc}")

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _json(404, str(exc))

    @app.exception_handler(BackendUnavailable)
    async def _backend(request: Request, exc: BackendUnavailable) -> Response:
        return _for(
            request,
            503,
            "Search is unavailable",
            f"search backend unavailable: {exc}. Try again shortly; an "
            "administrator may need to start it or run `ctlex reindex`.",
        )

    @app.exception_handler(OperationalError)
    async def _database(request: Request, exc: OperationalError) -> Response:
        log.error("database error: %s", exc)
        return _for(
            request,
            503,
            "The database is unavailable",
            "database unavailable: try again shortly; an administrator may need "
            "to run `ctlex db upgrade`.",
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'body'))}: "
            f"{e.get('msg')}"
            for e in exc.errors()
        ]
        # Never echo the input back: it may be megabytes long, or hostile markup.
        errors = [
            {"loc": e.get("loc"), "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()
        ]
        return _json(422, "invalid parameter: " + "; ".join(problems)[:2000], errors=errors[:50])

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            status_code=exc.status_code,
            content={"detail": exc.detail},
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # Never a stack trace in a response; the log has it. This handler runs outside the
        # middleware stack, so it adds the security headers itself.
        log.exception("unexpected error", exc_info=exc)
        response = _for(
            request,
            500,
            "Something went wrong",
            "internal error: it has been logged; please report it with the URL",
        )
        apply_security_headers(request.url.path, response.headers)
        return response
