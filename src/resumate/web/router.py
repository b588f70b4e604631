"""The small server-rendered pages that mailed links open: email verification and password
reset. Confirmation happens on a POST (a button), so mail scanners that follow links do not
consume the single-use token."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from resumate.core.db import SessionDep
from resumate.core.errors import ValidationFailed
from resumate.core.text import ShortText
from resumate.modules.auth import service as auth_service

router = APIRouter(include_in_schema=False)


@cache
def _env() -> Environment:
    return Environment(
        loader=PackageLoader("resumate.web", "templates"), autoescape=select_autoescape()
    )


def page(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = _env().get_template(template).render(**context)
    return HTMLResponse(
        html,
        status_code=status_code,
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


@router.get("/verify-email", response_class=HTMLResponse)
async def verify_email_page(
    token: Annotated[ShortText, Query(max_length=200)] = "",
) -> HTMLResponse:
    if not token:
        return page(
            "message.html",
            400,
            title="Email verification",
            kind="error",
            message="This link is incomplete.",
        )
    return page("verify_email.html", title="Confirm your email", token=token)


@router.post("/verify-email", response_class=HTMLResponse)
async def verify_email_submit(
    session: SessionDep, token: Annotated[ShortText, Form(max_length=200)] = ""
) -> HTMLResponse:
    try:
        await auth_service.verify_email(session, token=token)
    except ValidationFailed as exc:
        return page(
            "message.html", 400, title="Email verification", kind="error", message=exc.message
        )
    return page(
        "message.html",
        title="Email confirmed",
        kind="ok",
        message="Thank you: your email address is confirmed.",
    )


@router.get("/reset-password", response_class=HTMLResponse)
async def reset_password_page(
    token: Annotated[ShortText, Query(max_length=200)] = "",
) -> HTMLResponse:
    if not token:
        return page(
            "message.html",
            400,
            title="Reset your password",
            kind="error",
            message="This link is incomplete.",
        )
    return page("reset_password.html", title="Choose a new password", token=token, error=None)


@router.post("/reset-password", response_class=HTMLResponse)
async def reset_password_submit(
    session: SessionDep,
    token: Annotated[ShortText, Form(max_length=200)] = "",
    new_password: Annotated[ShortText, Form(max_length=1024)] = "",
) -> HTMLResponse:
    try:
        await auth_service.reset_password(session, token=token, new_password=new_password)
    except ValidationFailed as exc:
        # A refused password leaves the token usable: show the form again.
        if exc.message.startswith("Password"):
            return page(
                "reset_password.html",
                422,
                title="Choose a new password",
                token=token,
                error=exc.message,
            )
        return page(
            "message.html", 400, title="Reset your password", kind="error", message=exc.message
        )
    return page(
        "message.html",
        title="Password changed",
        kind="ok",
        message="Your password was changed and every session was signed out. "
        "Sign in with the new password.",
    )
