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
