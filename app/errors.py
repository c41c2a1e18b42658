"""Domain errors -> HTTP responses with a JSON body that says what to do next."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.security import apply_security_headers
from app.services.provisions import NotFound
from app.services.search import InvalidSearch
from search_index.base import BackendUnavailable, QuerySyntaxError

log = logging.getLogger("ctlex.api")


def _json(status: int, detail: object, **extra: object) -> JSONResponse:
    return JSONResponse(status_code=status, content=jsonable_encoder({"detail": detail, **extra}))


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
    async def _backend(_: Request, exc: BackendUnavailable) -> JSONResponse:
        return _json(
            503,
            f"search backend unavailable: {exc}. Try again shortly; an "
            "administrator may need to start it or run `ctlex reindex`.",
        )

    @app.exception_handler(OperationalError)
    async def _database(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database error: %s", exc)
        return _json(
            503,
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
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace in a response; the log has it. This handler runs outside the
        # middleware stack, so it adds the security headers itself.
        log.exception("unexpected error", exc_info=exc)
        response = _json(500, "internal error: it has been logged; please report it with the URL")
        apply_security_headers(request.url.path, response.headers)
        return response
