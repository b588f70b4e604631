"""What every page needs: the Jinja environment, versioned static assets, the signed-in
browser (cookie session + CSRF double submit, the same cookies as the API), form parsing with
the API's Pydantic schemas, and the route class that turns errors into pages."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

import structlog
from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from resumate import __version__
from resumate.config import get_settings
from resumate.core import security
from resumate.core.db import SessionDep
from resumate.core.errors import AppError, Unauthenticated
from resumate.modules.auth import service as auth_service
from resumate.modules.auth.dependencies import ACCESS_COOKIE, CSRF_COOKIE, CSRF_HEADER, Principal
from resumate.web.strings import t
from resumate.web.widgets import editor_entry, input_field, share_chart

log = structlog.get_logger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FIELD = "csrf_token"
STATIC_PREFIX = "/static"
Model = TypeVar("Model", bound=BaseModel)


# ---- static assets ------------------------------------------------------------------------


@cache
def static_root() -> Path:
    return Path(str(resources.files("resumate.web") / "static"))


@cache
def asset_digest(name: str) -> str:
    """The first 10 hex digits of the file's sha256: part of its URL, so a changed file has a
    new URL and every URL can be cached for a year."""
    return hashlib.sha256((static_root() / name).read_bytes()).hexdigest()[:10]


def static_url(name: str) -> str:
    return f"{STATIC_PREFIX}/{asset_digest(name)}/{name}"


# ---- templates ----------------------------------------------------------------------------


@cache
def env() -> Environment:
    environment = Environment(
        loader=PackageLoader("resumate.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates ship in the package: no stat of the file behind every include.
        auto_reload=False,
    )
    environment.globals.update(
        t=t,
        static=static_url,
        version=__version__,
        input=input_field,
        editor_entry=editor_entry,
        share_chart=share_chart,
    )
    environment.filters["month"] = month_label
    return environment


def month_label(value: object) -> str:
    """'2021-03' -> 'Mar 2021' for lists; anything else unchanged."""
    if not isinstance(value, str) or len(value) < 7:
        return str(value or "")
    months = t("months").split()
    try:
        return f"{months[int(value[5:7]) - 1]} {value[:4]}"
    except (ValueError, IndexError):
        return value


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def csrf_value(request: Request) -> str:
    """The browser's CSRF token (the csrf_token cookie), or a new one for this response."""
    state = request.scope.setdefault("state", {})
    token = state.get("csrf_token") or request.cookies.get(CSRF_COOKIE)
    if not token:
        token = secrets.token_urlsafe(24)
        state["csrf_token"] = token
        state["csrf_new"] = True
    return str(token)


def page(
    request: Request,
    template: str,
    status_code: int = 200,
    *,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render a template. Pages extend the base layout; htmx requests for a page get only its
    ``content`` block when ``fragment`` names none (the layout around it is already there)."""
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    context.setdefault("user", principal.user if principal else None)
    context.setdefault("errors", {})
    context.update(
        request=request,
        csrf_token=csrf_value(request),
        path=request.url.path,
        htmx=is_htmx(request),
    )
    html = env().get_template(template).render(**context)
    response = HTMLResponse(
        html,
        status_code=status_code,
        headers={"Cache-Control": "no-store", "Vary": "HX-Request", **(headers or {})},
    )
    set_csrf_cookie(request, response)
    return response


def set_csrf_cookie(request: Request, response: Response) -> None:
    state = request.scope.get("state", {})
    if state.get("csrf_new"):
        settings = get_settings()
        response.set_cookie(
            CSRF_COOKIE,
            state["csrf_token"],
            max_age=settings.refresh_token_days * 86400,
            httponly=False,
            secure=settings.secure_cookies,
            samesite="lax",
            path="/",
        )


def redirect(request: Request, url: str, status_code: int = 303) -> Response:
    """A redirect that htmx follows as a full navigation."""
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=status_code)


def safe_next(value: str | None, default: str = "/app") -> str:
    """Only same-site paths: never //host or a scheme (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


# ---- forms --------------------------------------------------------------------------------


async def read_form(request: Request) -> FormData:
    return await request.form()


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic errors keyed by the top-level field, in words for people."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = err.get("loc") or ("",)
        name = str(loc[0])
        message = str(err.get("msg", "invalid"))
        message = message.removeprefix("Value error, ")
        errors.setdefault(name, message[:1].upper() + message[1:])
    return errors


def parse(schema: type[Model], data: dict[str, Any]) -> tuple[Model | None, dict[str, str]]:
    """The form as the API's schema, or the errors next to each field."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        return None, field_errors(exc)


def form_text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


# ---- who is signed in -----------------------------------------------------------------------


class SignInRequired(Exception):
    """No valid session: the page sends the browser to sign in (or to refresh its tokens)."""


class CsrfRejected(Exception):
    pass


async def check_csrf(request: Request) -> None:
    """Double submit, like the API: the X-CSRF-Token header (htmx) or the csrf_token form
    field (plain forms) must equal the csrf_token cookie."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            sent = form_text(await read_form(request), CSRF_FIELD)
    if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise CsrfRejected()


async def optional_principal(request: Request, session: SessionDep) -> Principal | None:
    token = request.cookies.get(ACCESS_COOKIE)
    if not token:
        return None
    try:
        claims = security.decode_access_token(token, secret=get_settings().secret())
        user, auth_session = await auth_service.load_principal(session, claims=claims)
    except (security.TokenError, Unauthenticated):
        return None
    principal = Principal(user=user, session=auth_session, via_cookie=True)
    state = request.scope.setdefault("state", {})
    state["principal"] = principal
    state["user_id"] = str(user.id)
    return principal


async def web_principal(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal:
    if principal is None:
        raise SignInRequired()
    await check_csrf(request)
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
WebPrincipal = Annotated[Principal, Depends(web_principal)]


async def csrf_protected(request: Request) -> None:
    await check_csrf(request)


Csrf = Depends(csrf_protected)


# ---- errors as pages --------------------------------------------------------------------------


def signin_url(request: Request) -> str:
    target = request.url.path
    if request.method != "GET" or is_htmx(request):
        target = request.headers.get("hx-current-url") or "/app"
        if "://" in target:
            target = "/" + target.split("://", 1)[1].partition("/")[2]
    return "/signin?next=" + quote(safe_next(target), safe="/")


def signin_response(request: Request) -> Response:
    """No valid session. htmx requests get a 401 that app.js answers by refreshing the tokens
    (POST /api/v1/auth/refresh) and retrying, so typing in the editor survives the access
    token's expiry; a page navigation refreshes through /api/v1/auth/continue; anything else
    (an image, a browser without the csrf cookie) goes to the sign-in page."""
    url = signin_url(request)
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Reswap": "none", "X-Signin": url})
    navigation = request.headers.get("sec-fetch-mode", "navigate") == "navigate"
    if request.method == "GET" and navigation and CSRF_COOKIE in request.cookies:
        # Probably a session whose access token ran out: refresh it first (one request at a
        # time: a refresh token presented twice revokes the session).
        url = "/api/v1/auth/continue?" + url.partition("?")[2]
    return redirect(request, url)


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    titles = {404: t("error.not_found"), 403: t("error.forbidden"), 429: t("error.rate_limited")}
    title = titles.get(status_code, t("error.title"))
    if is_htmx(request):
        return page(
            request,
            "partials/flash.html",
            status_code,
            headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
            kind="error",
            message=message,
        )
    return page(request, "message.html", status_code, title=title, kind="error", message=message)


class WebRoute(APIRoute):
    """Pages never answer with the JSON envelope: a missing session sends the browser to sign
    in, a refused CSRF token or an application error becomes a page (or a flash for htmx)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except SignInRequired:
                return signin_response(request)
            except CsrfRejected:
                return error_page(request, 403, t("error.csrf"))
            except AppError as exc:
                response = error_page(request, exc.status, exc.message)
                for name, value in (exc.headers or {}).items():
                    response.headers[name] = value
                return response
            except RequestValidationError as exc:
                errors = [str(e.get("msg", "invalid")) for e in exc.errors()]
                return error_page(request, 422, "; ".join(errors[:3]) or t("error.invalid"))

        return handler


@dataclass
class Flash:
    kind: str
    message: str


def uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None
