"""Plan and usage: quotas as bars, upgrade through PayPal's approval page, cancel; and the pages
PayPal sends the buyer back to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from resumate.core.db import SessionDep
from resumate.core.errors import AppError
from resumate.modules.billing import service as billing_service
from resumate.modules.billing.schemas import CheckoutIn
from resumate.web.core import (
    Flash,
    MaybePrincipal,
    WebPrincipal,
    WebRoute,
    form_text,
    page,
    parse,
    read_form,
)
from resumate.web.strings import t

router = APIRouter(route_class=WebRoute, include_in_schema=False)


async def _plan_page(
    request: Request,
    session: SessionDep,
    principal: WebPrincipal,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    user_id = principal.user.id
    subscription = await billing_service.subscription_view(session, user_id=user_id)
    usage = await billing_service.usage(session, user_id=user_id)
    plans = await billing_service.list_plans(session) if billing_service.billing_enabled() else []
    return page(
        request,
        "plan.html",
        status_code,
        title=t("plan.title"),
        subscription=subscription,
        usage=usage,
        plans=plans,
        billing=billing_service.billing_enabled(),
        **context,
    )


@router.get("/app/plan", response_class=HTMLResponse)
async def plan_page(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    return await _plan_page(request, session, principal)


@router.post("/app/plan/checkout", response_class=HTMLResponse)
async def checkout(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    payload, errors = parse(CheckoutIn, {"plan": form_text(await read_form(request), "plan")})
    if payload is None:
        return await _plan_page(
            request, session, principal, 422, flash=Flash("error", "; ".join(errors.values()))
        )
    try:
        result = await billing_service.start_checkout(
            session, user=principal.user, plan_slug=payload.plan
        )
    except AppError as exc:
        if exc.status >= 500 and exc.status != 502:
            raise
        return await _plan_page(
            request, session, principal, exc.status, flash=Flash("error", exc.message)
        )
    # A link, not a redirect: the pages' CSP (form-action 'self') stops a form post from being
    # redirected to another site, and the buyer should see where they are going.
    return page(
        request,
        "message.html",
        title=t("plan.approve_title"),
        kind="ok",
        message=t("plan.approve"),
        link=(result["approval_url"], t("plan.approve_link")),
    )


@router.post("/app/plan/cancel", response_class=HTMLResponse)
async def cancel(request: Request, principal: WebPrincipal, session: SessionDep) -> Response:
    try:
        await billing_service.cancel(session, user=principal.user)
    except AppError as exc:
        if exc.status >= 500 and exc.status != 502:
            raise
        return await _plan_page(
            request, session, principal, exc.status, flash=Flash("error", exc.message)
        )
    return await _plan_page(request, session, principal, flash=Flash("ok", t("plan.cancelled")))


@router.get("/billing/return", response_class=HTMLResponse)
async def paypal_return(request: Request, principal: MaybePrincipal) -> Response:
    return page(
        request,
        "message.html",
        title=t("plan.return_title"),
        kind="ok",
        message=t("plan.return"),
        link=("/app/plan", t("plan.title")),
    )


@router.get("/billing/cancelled", response_class=HTMLResponse)
async def paypal_cancelled(request: Request, principal: MaybePrincipal) -> Response:
    return page(
        request,
        "message.html",
        title=t("plan.checkout_cancelled_title"),
        kind="ok",
        message=t("plan.checkout_cancelled"),
        link=("/app/plan", t("plan.title")),
    )
