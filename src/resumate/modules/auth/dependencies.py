"""Who is calling: bearer token or cookie (with the CSRF double-submit check), and roles."""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from resumate.config import get_settings
from resumate.core import security
from resumate.core.db import SessionDep
from resumate.core.errors import CsrfFailed, Forbidden, Unauthenticated
from resumate.core.ratelimit import Limit, get_rate_limiter
from resumate.modules.auth import service as auth_service
from resumate.modules.auth.models import AuthSession
from resumate.modules.users.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACCESS_COOKIE = "access_token"
REFRESH_COOKIE = "refresh_token"
CSRF_COOKIE = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

# Declares the bearer scheme in OpenAPI (the Authorize button of /docs uses /auth/token).
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass
class Principal:
    user: User
    session: AuthSession
    via_cookie: bool


def check_csrf(request: Request) -> None:
    """Double-submit: the header must equal the csrf_token cookie on unsafe methods."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    header = request.headers.get(CSRF_HEADER)
    if not cookie or not header or not hmac.compare_digest(cookie.encode(), header.encode()):
        raise CsrfFailed()


def access_claims(request: Request, bearer: str | None) -> tuple[security.AccessClaims, bool]:
    """The claims of the request's access token (bearer, else the cookie, which needs the CSRF
    check on unsafe methods) and whether it came from the cookie; 401 without a valid one."""
    token = bearer
    via_cookie = False
    if not token:
        token = request.cookies.get(ACCESS_COOKIE)
        via_cookie = token is not None
    if not token:
        raise Unauthenticated("Authentication required")
    if via_cookie:
        check_csrf(request)
    try:
        claims = security.decode_access_token(token, secret=get_settings().secret())
    except security.TokenError as exc:
        raise Unauthenticated(str(exc).capitalize()) from exc
    return claims, via_cookie


async def caller_claims(
    request: Request, bearer: Annotated[str | None, Depends(oauth2_scheme)]
) -> security.AccessClaims:
    """The first half of ``current_principal`` (``access_claims``: token, CSRF for the cookie)
    for routes that load the caller together with what they read, in one query; the route then
    checks the principal (``auth_service.check_principal``) and calls ``mark_user``."""
    claims, _via_cookie = access_claims(request, bearer)
    return claims


def mark_user(request: Request, user: User) -> None:
    """Names the caller in the request's state (the access log and metrics read it)."""
    mark_user_id(request, user.id)


def mark_user_id(request: Request, user_id: uuid.UUID) -> None:
    """``mark_user`` with the user's id alone."""
    request.scope.setdefault("state", {})["user_id"] = str(user_id)


async def current_principal(
    request: Request,
    session: SessionDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal:
    claims, via_cookie = access_claims(request, bearer)
    user, auth_session = await auth_service.load_principal(session, claims=claims)
    mark_user(request, user)
    return Principal(user=user, session=auth_session, via_cookie=via_cookie)


async def current_user(principal: Annotated[Principal, Depends(current_principal)]) -> User:
    return principal.user


def require_role(*roles: str) -> Callable[..., Awaitable[User]]:
    async def dependency(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in roles:
            raise Forbidden("This needs the " + " or ".join(roles) + " role")
        return user

    return dependency


CallerClaims = Annotated[security.AccessClaims, Depends(caller_claims)]
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
CurrentUser = Annotated[User, Depends(current_user)]
AdminUser = Annotated[User, Depends(require_role("admin"))]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def rate_limit(scope: str, key: str, limit_text: str) -> None:
    limiter = get_rate_limiter(get_settings().redis_url)
    await limiter.check(scope, key.lower(), Limit.parse(limit_text))
