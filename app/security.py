"""Bearer-token check for admin and curation endpoints."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="CTLEX_ADMIN_TOKEN")


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """Return the actor name; 401 without a token, 403 with a wrong one."""
    expected: bytes | None = request.app.state.admin_token_digest
    if expected is None:
        raise HTTPException(
            403, "admin endpoints are disabled: the server has no CTLEX_ADMIN_TOKEN set"
        )
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(
            401,
            "admin token required: send 'Authorization: Bearer <CTLEX_ADMIN_TOKEN>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    # Compare digests in constant time; only the digest of the token is kept in memory.
    if not hmac.compare_digest(token_digest(credentials.credentials), expected):
        raise HTTPException(403, "wrong admin token")
    actor = request.headers.get("X-Actor", "admin")[:200]
    return actor or "admin"


AdminDep = Annotated[str, Depends(require_admin)]


SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
}
# Swagger UI and ReDoc load their script and styles from a CDN; every other page is self-only.
_CDN_PAGES = ("/docs", "/redoc")
MAX_BODY_BYTES = 2**20  # request bodies are short JSON documents (curation, tag, similar text)


def apply_security_headers(path: str, headers: dict[str, str] | object) -> None:
    """Add the security headers to a response's ``headers`` mapping where not already set."""
    for name, value in SECURITY_HEADERS.items():
        if name == "Content-Security-Policy" and path in _CDN_PAGES:
            continue
        headers.setdefault(name, value)  # type: ignore[attr-defined]


class SecurityHeadersMiddleware:
    """Pure ASGI middleware: security headers on every response, and a cap on body size.

    Pure ASGI rather than ``@app.middleware("http")``: it adds no task or stream per request
    (measurably cheaper on the search hot path) and refuses an oversized body from its
    Content-Length before any of it is read.
    """

    def __init__(self, app, max_body_bytes: int = MAX_BODY_BYTES) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        from starlette.datastructures import MutableHeaders
        from starlette.responses import JSONResponse

        async def send_with_headers(message) -> None:  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.start":
                apply_security_headers(path, MutableHeaders(scope=message))
            await send(message)

        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            response = JSONResponse(
                status_code=413,
                content={
                    "detail": f"request body too large: at most {self.max_body_bytes} bytes; "
                    "send a shorter text"
                },
            )
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
