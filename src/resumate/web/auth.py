"""Sign up, sign in, sign out, forgotten and reset passwords, email verification: the API's
services and schemas behind plain forms. A session is the API's cookie trio, so a browser
signed in here can call the API too, and the API's revocation applies at once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from resumate.config import get_settings
from resumate.core.db import SessionDep
from resumate.core.errors import Conflict, RateLimited, Unauthenticated, ValidationFailed
from resumate.core.text import problem_char
from resumate.modules.auth import service as auth_service
from resumate.modules.auth.dependencies import REFRESH_COOKIE, client_ip, rate_limit
from resumate.modules.auth.router import clear_auth_cookies, set_auth_cookies
from resumate.modules.auth.schemas import ForgotIn, LoginIn, RegisterIn
from resumate.web.core import (
    Csrf,
    MaybePrincipal,
    WebPrincipal,
    WebRoute,
    form_text,
    page,
    parse,
    read_form,
    redirect,
    safe_next,
)
from resumate.web.strings import t

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _field(
    name: str,
    label: str,
    type_: str = "text",
    *,
    autocomplete: str | None = None,
    hint: str | None = None,
    required: bool = True,
) -> dict[str, Any]:
    return {
        "name": name,
        "label": label,
        "type": type_,
        "autocomplete": autocomplete,
        "hint": hint,
        "required": required,
    }


SIGNIN_FIELDS = [
    _field("email", t("field.email"), "email", autocomplete="username"),
    _field("password", t("field.password"), "password", autocomplete="current-password"),
]
SIGNUP_FIELDS = [
    _field("full_name", t("field.full_name"), autocomplete="name", required=False),
    _field("email", t("field.email"), "email", autocomplete="email"),
    _field(
        "password",
        t("field.password"),
        "password",
        autocomplete="new-password",
        hint=t("signup.password_hint"),
    ),
]
FORGOT_FIELDS = [_field("email", t("field.email"), "email", autocomplete="email")]
RESET_FIELDS = [
    _field(
        "new_password",
        t("field.new_password"),
        "password",
        autocomplete="new-password",
        hint=t("signup.password_hint"),
    )
]


def _signin_page(request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("values", {})
    return page(
        request,
        "auth_form.html",
        status_code,
        title=t("signin.title"),
        action="/signin",
        fields=SIGNIN_FIELDS,
        submit=t("signin.submit"),
        links=[("/signup", t("signin.no_account")), ("/forgot-password", t("signin.forgot"))],
        **context,
    )


@router.get("/signin", response_class=HTMLResponse)
async def signin_page(
    request: Request,
    principal: MaybePrincipal,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    if principal is not None:
        return redirect(request, safe_next(next))
    return _signin_page(request, next=safe_next(next))


@router.post("/signin", dependencies=[Csrf])
async def signin(request: Request, session: SessionDep) -> Response:
    form = await read_form(request)
    values = {"email": form_text(form, "email"), "password": form_text(form, "password")}
    next_url = safe_next(form_text(form, "next"))
    payload, errors = parse(LoginIn, values)
    if payload is None:
        return _signin_page(request, 422, values=values, errors=errors, next=next_url)
    settings = get_settings()
    try:
        await rate_limit("login:ip", client_ip(request), settings.rate_login_ip)
        await rate_limit(
            "login:account",
            auth_service.normalise_email(str(payload.email)),
            settings.rate_login_account,
        )
        user = await auth_service.authenticate(
            session, email=str(payload.email), password=payload.password
        )
    except RateLimited as exc:
        return _signin_page(request, 429, values=values, form_error=exc.message, next=next_url)
    except Unauthenticated:
        return _signin_page(
            request, 401, values=values, form_error=t("signin.failed"), next=next_url
        )
    issued = await auth_service.start_session(
        session, user=user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    response = redirect(request, next_url)
    set_auth_cookies(response, issued)
    return response


def _signup_page(request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("values", {})
    return page(
        request,
        "auth_form.html",
        status_code,
        title=t("signup.title"),
        action="/signup",
        fields=SIGNUP_FIELDS,
        submit=t("signup.submit"),
        links=[("/signin", t("signup.have_account"))],
        **context,
    )


@router.get("/signup", response_class=HTMLResponse)
async def signup_page(request: Request, principal: MaybePrincipal) -> Response:
    if principal is not None:
        return redirect(request, "/app")
    return _signup_page(request)


@router.post("/signup", dependencies=[Csrf])
async def signup(request: Request, session: SessionDep) -> Response:
    form = await read_form(request)
    values = {
        "email": form_text(form, "email"),
        "password": form_text(form, "password"),
        "full_name": form_text(form, "full_name").strip() or None,
    }
    payload, errors = parse(RegisterIn, values)
    shown = {**values, "password": ""}
    if payload is None:
        return _signup_page(request, 422, values=shown, errors=errors)
    try:
        await rate_limit("register:ip", client_ip(request), get_settings().rate_register_ip)
        issued = await auth_service.register(
            session,
            email=str(payload.email),
            password=payload.password,
            full_name=payload.full_name,
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
        )
    except RateLimited as exc:
        return _signup_page(request, 429, values=shown, form_error=exc.message)
    except ValidationFailed as exc:
        field = "password" if exc.message.startswith("Password") else "email"
        return _signup_page(request, 422, values=shown, errors={field: exc.message})
    except Conflict as exc:
        return _signup_page(request, 409, values=shown, errors={"email": exc.message})
    response = redirect(request, "/app?welcome=1")
    set_auth_cookies(response, issued)
    return response


@router.post("/signout", dependencies=[Csrf])
async def signout(request: Request, session: SessionDep, principal: MaybePrincipal) -> Response:
    if principal is not None:
        await auth_service.revoke_session(session, session_id=principal.session.id, reason="logout")
    response = page(
        request,
        "message.html",
        title=t("nav.signout"),
        kind="ok",
        message=t("signout.done"),
        user=None,
        link=("/signin", t("nav.signin")),
    )
    clear_auth_cookies(response)
    return response


@router.get("/api/v1/auth/continue")
async def continue_session(
    request: Request,
    session: SessionDep,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """A page found its access token expired: rotate the tokens with the refresh cookie (only
    sent to /api/v1/auth, and only same-site) and go back; sign in when that fails."""
    target = safe_next(next)
    token = request.cookies.get(REFRESH_COOKIE)
    if token:
        try:
            issued = await auth_service.refresh(session, refresh_token=token)
        except Unauthenticated:
            issued = None
        if issued is not None:
            response = redirect(request, target)
            set_auth_cookies(response, issued)
            return response
    from urllib.parse import quote

    return redirect(request, "/signin?next=" + quote(target, safe="/"))


@router.get("/forgot-password", response_class=HTMLResponse)
async def forgot_page(request: Request) -> HTMLResponse:
    return page(
        request,
        "auth_form.html",
        title=t("forgot.title"),
        lead=t("forgot.lead"),
        action="/forgot-password",
        fields=FORGOT_FIELDS,
        submit=t("forgot.submit"),
        values={},
        links=[("/signin", t("nav.signin"))],
    )


@router.post("/forgot-password", dependencies=[Csrf])
async def forgot(request: Request, session: SessionDep) -> HTMLResponse:
    form = await read_form(request)
    values = {"email": form_text(form, "email")}
    payload, errors = parse(ForgotIn, values)
    context: dict[str, Any] = {
        "title": t("forgot.title"),
        "action": "/forgot-password",
        "fields": FORGOT_FIELDS,
        "submit": t("forgot.submit"),
        "values": values,
        "links": [("/signin", t("nav.signin"))],
    }
    if payload is None:
        return page(request, "auth_form.html", 422, errors=errors, **context)
    settings = get_settings()
    try:
        await rate_limit("forgot:ip", client_ip(request), settings.rate_forgot_ip)
    except RateLimited as exc:
        return page(request, "auth_form.html", 429, form_error=exc.message, **context)
    try:
        await rate_limit(
            "forgot:account",
            auth_service.normalise_email(str(payload.email)),
            settings.rate_forgot_account,
        )
        await auth_service.request_password_reset(session, email=str(payload.email))
    except RateLimited:
        pass  # the same answer either way: a 429 would reveal that the account exists
    return page(request, "auth_form.html", notice=t("forgot.sent"), **{**context, "fields": []})


# ---- the pages mailed links open ------------------------------------------------------------
# Confirmation happens on a POST (a button), so mail scanners that follow links do not consume
# the single-use token. The token itself proves the form came from the mail.


@router.get("/verify-email", response_class=HTMLResponse)
async def verify_email_page(
    request: Request, token: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    if not token:
        return page(
            request,
            "message.html",
            400,
            title=t("verify.title"),
            kind="error",
            message=t("reset.incomplete"),
        )
    return page(
        request,
        "auth_form.html",
        title=t("verify.title"),
        lead=t("verify.lead"),
        action="/verify-email",
        fields=[],
        token=token,
        submit=t("verify.submit"),
        values={},
    )


@router.post("/verify-email", response_class=HTMLResponse)
async def verify_email_submit(request: Request, session: SessionDep) -> HTMLResponse:
    token = form_text(await read_form(request), "token")[:200]
    try:
        if problem_char(token):
            raise ValidationFailed("This link is not valid")
        await auth_service.verify_email(session, token=token)
    except ValidationFailed as exc:
        return page(
            request, "message.html", 400, title=t("verify.title"), kind="error", message=exc.message
        )
    return page(
        request, "message.html", title=t("verify.done_title"), kind="ok", message=t("verify.done")
    )


@router.post("/app/verify-email/resend", response_class=HTMLResponse)
async def resend_verification(
    request: Request, principal: WebPrincipal, session: SessionDep
) -> Response:
    user = principal.user
    await rate_limit(
        "verify-resend:account", str(user.id), get_settings().rate_verify_resend_account
    )
    await auth_service.resend_verification(session, user=user)
    if request.headers.get("hx-request") == "true":
        return page(request, "partials/flash.html", kind="ok", message=t("verify.resent"))
    return redirect(request, "/app")


def _reset_context(token: str) -> dict[str, Any]:
    return {
        "title": t("reset.title"),
        "action": "/reset-password",
        "fields": RESET_FIELDS,
        "token": token,
        "submit": t("reset.submit"),
        "values": {},
    }


@router.get("/reset-password", response_class=HTMLResponse)
async def reset_password_page(
    request: Request, token: Annotated[str, Query(max_length=200)] = ""
) -> HTMLResponse:
    if not token:
        return page(
            request,
            "message.html",
            400,
            title=t("reset.title"),
            kind="error",
            message=t("reset.incomplete"),
        )
    return page(request, "auth_form.html", **_reset_context(token))


@router.post("/reset-password", response_class=HTMLResponse)
async def reset_password_submit(request: Request, session: SessionDep) -> HTMLResponse:
    form = await read_form(request)
    token = form_text(form, "token")[:200]
    new_password = form_text(form, "new_password")[:1024]
    try:
        if problem_char(token):
            raise ValidationFailed("This link is not valid")
        if problem := problem_char(new_password):
            raise ValidationFailed(f"Password: {problem}")
        await auth_service.reset_password(session, token=token, new_password=new_password)
    except ValidationFailed as exc:
        # A refused password leaves the token usable: show the form again.
        if exc.message.startswith("Password"):
            return page(
                request,
                "auth_form.html",
                422,
                errors={"new_password": exc.message},
                **_reset_context(token),
            )
        return page(
            request, "message.html", 400, title=t("reset.title"), kind="error", message=exc.message
        )
    response = page(
        request,
        "message.html",
        title=t("reset.done_title"),
        kind="ok",
        message=t("reset.done"),
        user=None,
        link=("/signin", t("nav.signin")),
    )
    clear_auth_cookies(response)
    return response
