"""Auth routes of API.md: browser clients get cookies, API clients use /auth/token."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response, status
from fastapi.responses import JSONResponse

from resumate.config import get_settings
from resumate.core.db import SessionDep
from resumate.core.envelope import Envelope, ok
from resumate.core.errors import NotFound, RateLimited, Unauthenticated
from resumate.core.text import problem_char
from resumate.modules.auth import service as auth_service
from resumate.modules.auth.dependencies import (
    ACCESS_COOKIE,
    CSRF_COOKIE,
    REFRESH_COOKIE,
    CurrentPrincipal,
    CurrentUser,
    check_csrf,
    client_ip,
    current_principal,
    rate_limit,
)
from resumate.modules.auth.schemas import (
    AuthResult,
    ForgotIn,
    LoginIn,
    Message,
    OAuthError,
    RefreshIn,
    RefreshResult,
    RegisterIn,
    ResetIn,
    SessionRead,
    TokenPair,
    VerifyIn,
)
from resumate.modules.users.schemas import UserRead

router = APIRouter(prefix="/auth", tags=["auth"])
REFRESH_PATH = "/api/v1/auth"


def set_auth_cookies(response: Response, issued: auth_service.IssuedTokens) -> None:
    settings = get_settings()
    secure = settings.secure_cookies
    response.set_cookie(
        ACCESS_COOKIE,
        issued.access_token,
        max_age=issued.expires_in,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )
    response.set_cookie(
        REFRESH_COOKIE,
        issued.refresh_token,
        max_age=settings.refresh_token_days * 86400,
        httponly=True,
        secure=secure,
        samesite="strict",
        path=REFRESH_PATH,
    )
    response.set_cookie(
        CSRF_COOKIE,
        issued.csrf_token,
        max_age=settings.refresh_token_days * 86400,
        httponly=False,
        secure=secure,
        samesite="lax",
        path="/",
    )


def clear_auth_cookies(response: Response) -> None:
    secure = get_settings().secure_cookies
    response.delete_cookie(ACCESS_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
    response.delete_cookie(
        REFRESH_COOKIE, path=REFRESH_PATH, secure=secure, httponly=True, samesite="strict"
    )
    response.delete_cookie(CSRF_COOKIE, path="/", secure=secure, samesite="lax")


@router.post("/register", status_code=status.HTTP_201_CREATED, responses={409: {}})
async def register(
    payload: RegisterIn, request: Request, response: Response, session: SessionDep
) -> Envelope[AuthResult]:
    """Create an account, sign it in (same cookies as login) and mail a verification link."""
    settings = get_settings()
    await rate_limit("register:ip", client_ip(request), settings.rate_register_ip)
    issued = await auth_service.register(
        session,
        email=str(payload.email),
        password=payload.password,
        full_name=payload.full_name,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    set_auth_cookies(response, issued)
    return ok(AuthResult(user=UserRead.model_validate(issued.user)))


async def _login_limits(request: Request, email: str) -> None:
    settings = get_settings()
    await rate_limit("login:ip", client_ip(request), settings.rate_login_ip)
    await rate_limit(
        "login:account", auth_service.normalise_email(email), settings.rate_login_account
    )


@router.post("/login")
async def login(
    payload: LoginIn, request: Request, response: Response, session: SessionDep
) -> Envelope[AuthResult]:
    """Sign in a browser: sets the access, refresh and CSRF cookies."""
    await _login_limits(request, str(payload.email))
    user = await auth_service.authenticate(
        session, email=str(payload.email), password=payload.password
    )
    issued = await auth_service.start_session(
        session, user=user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    set_auth_cookies(response, issued)
    return ok(AuthResult(user=UserRead.model_validate(user)))


def _oauth_error(
    status_code: int, error: str, description: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status_code,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


@router.post(
    "/token",
    response_model=TokenPair,
    responses={
        400: {"model": OAuthError, "description": "invalid_request, invalid_grant, ..."},
        429: {"model": OAuthError, "description": "Too many attempts (Retry-After)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["username", "password"],
                        "properties": {
                            "grant_type": {"type": "string", "enum": ["password"]},
                            "username": {"type": "string", "description": "email"},
                            "password": {"type": "string", "format": "password"},
                            "scope": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
async def token(request: Request, session: SessionDep) -> Any:
    """OAuth2 password grant for API clients (RFC 6749 shape, not the envelope; no cookies)."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return _oauth_error(
            400, "invalid_request", "Send a form (application/x-www-form-urlencoded)"
        )
    try:
        form = await request.form()
    except Exception:
        return _oauth_error(400, "invalid_request", "Malformed form body")
    grant_type = form.get("grant_type") or "password"
    username, password = form.get("username"), form.get("password")
    if grant_type != "password":
        return _oauth_error(400, "unsupported_grant_type", "Only the password grant is supported")
    if (
        not isinstance(username, str)
        or not isinstance(password, str)
        or not username
        or not password
    ):
        return _oauth_error(400, "invalid_request", "username and password are required")
    for field, value in (("username", username), ("password", password)):
        if (problem := problem_char(value)) is not None:
            return _oauth_error(400, "invalid_request", f"{field} {problem}")
    try:
        await _login_limits(request, username)
        user = await auth_service.authenticate(session, email=username, password=password)
    except RateLimited as exc:
        return _oauth_error(429, "invalid_request", exc.message, exc.headers)
    except Unauthenticated:
        return _oauth_error(400, "invalid_grant", auth_service.INVALID_CREDENTIALS)
    issued = await auth_service.start_session(
        session, user=user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    return JSONResponse(
        TokenPair(
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_in=issued.expires_in,
        ).model_dump(),
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


@router.post("/refresh")
async def refresh(
    request: Request,
    response: Response,
    session: SessionDep,
    payload: Annotated[RefreshIn | None, Body()] = None,
) -> Envelope[RefreshResult]:
    """Exchange a refresh token (cookie, or JSON ``refresh_token``) for a new pair. The old
    one is retired; presenting it again revokes the whole session."""
    await rate_limit("refresh:ip", client_ip(request), get_settings().rate_refresh_ip)
    token_value = payload.refresh_token if payload and payload.refresh_token else None
    from_cookie = token_value is None
    if from_cookie:
        token_value = request.cookies.get(REFRESH_COOKIE)
        if token_value:
            check_csrf(request)
    if not token_value:
        raise Unauthenticated("No refresh token")
    issued = await auth_service.refresh(session, refresh_token=token_value)
    if from_cookie:
        set_auth_cookies(response, issued)
    return ok(
        RefreshResult(
            user=UserRead.model_validate(issued.user),
            access_token=issued.access_token,
            refresh_token=issued.refresh_token,
            expires_in=issued.expires_in,
        )
    )


@router.post("/logout")
async def logout(
    request: Request,
    response: Response,
    session: SessionDep,
    payload: Annotated[RefreshIn | None, Body()] = None,
) -> Envelope[Message]:
    """Revoke the current session and clear the cookies."""
    session_id: uuid.UUID | None = None
    try:
        principal = await current_principal(request, session, _bearer(request))
        session_id = principal.session.id
    except Unauthenticated:
        # An expired access token must not stop a logout: fall back to the refresh token.
        token_value = (payload.refresh_token if payload else None) or request.cookies.get(
            REFRESH_COOKIE
        )
        if token_value:
            if payload is None or not payload.refresh_token:
                check_csrf(request)
            family = token_value.partition(".")[0]
            try:
                session_id = uuid.UUID(hex=family)
            except ValueError:
                session_id = None
    if session_id is not None:
        await auth_service.revoke_session(session, session_id=session_id, reason="logout")
    clear_auth_cookies(response)
    return ok(Message(message="Signed out"))


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@router.post("/password/forgot", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(
    payload: ForgotIn, request: Request, session: SessionDep
) -> Envelope[Message]:
    """Mail a single-use reset link when the account exists; 202 either way."""
    settings = get_settings()
    await rate_limit("forgot:ip", client_ip(request), settings.rate_forgot_ip)
    try:
        await rate_limit(
            "forgot:account",
            auth_service.normalise_email(str(payload.email)),
            settings.rate_forgot_account,
        )
    except RateLimited:
        # Answer as usual: a per-account 429 would reveal that the account exists.
        return ok(Message(message="If the account exists, a reset link is on its way"))
    await auth_service.request_password_reset(session, email=str(payload.email))
    return ok(Message(message="If the account exists, a reset link is on its way"))


@router.post("/password/reset")
async def reset_password(
    payload: ResetIn, response: Response, session: SessionDep
) -> Envelope[Message]:
    """Set a new password with a reset token; every session of the account is revoked."""
    await auth_service.reset_password(
        session, token=payload.token, new_password=payload.new_password
    )
    clear_auth_cookies(response)
    return ok(Message(message="Password changed; sign in with the new password"))


@router.post("/verify-email")
async def verify_email(payload: VerifyIn, session: SessionDep) -> Envelope[AuthResult]:
    """Confirm the email address with the token from the verification mail."""
    user = await auth_service.verify_email(session, token=payload.token)
    return ok(AuthResult(user=UserRead.model_validate(user)))


@router.post("/verify-email/resend", status_code=status.HTTP_202_ACCEPTED)
async def resend_verification(user: CurrentUser, session: SessionDep) -> Envelope[Message]:
    """Mail a new verification link (the previous one stops working)."""
    await rate_limit(
        "verify-resend:account", str(user.id), get_settings().rate_verify_resend_account
    )
    await auth_service.resend_verification(session, user=user)
    return ok(
        Message(
            message="A verification link is on its way"
            if not user.email_verified
            else "Already verified"
        )
    )


@router.get("/sessions")
async def list_sessions(
    principal: CurrentPrincipal, session: SessionDep
) -> Envelope[list[SessionRead]]:
    """My active sessions (the current one is marked)."""
    sessions = await auth_service.list_sessions(session, user_id=principal.user.id)
    items = []
    for item in sessions:
        read = SessionRead.model_validate(item)
        read.current = item.id == principal.session.id
        items.append(read)
    return ok(items)


@router.delete("/sessions/{id}")
async def revoke_session(
    id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> Envelope[Message]:
    """Revoke one of my sessions; its tokens stop working at once."""
    if not await auth_service.revoke_session(
        session, session_id=id, user_id=user.id, reason="revoked"
    ):
        raise NotFound("Session not found")
    return ok(Message(message="Session revoked"))
