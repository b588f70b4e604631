"""A small real HTTP server that speaks PayPal's REST wire format, for tests.

It runs uvicorn in a background thread on 127.0.0.1 with a free port::

    with FakePayPal() as fake:
        settings.paypal_api_base = fake.url  # client id/secret: fake.client_id / fake.secret

Endpoints (request and response bodies as PayPal documents them):

* ``POST /v1/oauth2/token`` (HTTP Basic client id:secret, form ``grant_type=client_credentials``)
  -> ``{scope, access_token, token_type: "Bearer", app_id, expires_in, nonce}``; bad credentials
  -> 401 ``{"error": "invalid_client", "error_description": ...}``.
* ``POST /v1/catalogs/products`` -> 201 product ``{id: "PROD-...", name, type, category, ...}``.
* ``POST /v1/billing/plans`` -> 201 plan ``{id: "P-...", product_id, status: "ACTIVE",
  billing_cycles, ...}``.
* ``POST /v1/billing/subscriptions`` -> 201 ``{id: "I-...", status: "APPROVAL_PENDING",
  plan_id, custom_id, links: [{rel: "approve", href, method: "GET"}, ...]}``; an unknown plan
  -> 422 ``UNPROCESSABLE_ENTITY`` / ``INVALID_RESOURCE_ID``.
* ``GET /v1/billing/subscriptions/{id}``; ``POST /v1/billing/subscriptions/{id}/cancel
  {reason}`` -> 204 (an inactive one -> 422 ``SUBSCRIPTION_STATUS_INVALID``).
* ``POST /v1/notifications/verify-webhook-signature`` with ``auth_algo, cert_url,
  transmission_id, transmission_sig, transmission_time, webhook_id, webhook_event`` ->
  ``{"verification_status": "SUCCESS" | "FAILURE"}``. The fake signs deliveries it builds
  (``signed``) with an HMAC over ``transmission_id|transmission_time|webhook_id|crc32(event)``,
  the fields PayPal signs, so a forged or altered delivery verifies as FAILURE.

Every error body carries ``name, message, debug_id`` (and the ``PayPal-Debug-Id`` header). POSTs
with a ``PayPal-Request-Id`` seen before get the first answer again, as PayPal does. Errors the
tests switch on: ``fail_next`` (answer that many API requests with ``fail_status``), ``delay``.
Every request is kept in ``requests`` (method, path, headers, body).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import secrets
import socket
import threading
import time
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_ids = itertools.count(1)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _pid(prefix: str, length: int = 17) -> str:
    return prefix + secrets.token_hex(16).upper()[:length]


def canonical(event: Any) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class FakePayPal:
    def __init__(self, *, webhook_id: str = "WH-FAKE-1234567890") -> None:
        self.client_id = "fake-client-" + secrets.token_hex(4)
        self.secret = "fake-secret-" + secrets.token_hex(8)
        self.webhook_id = webhook_id
        self._signing_key = secrets.token_bytes(32)
        self.tokens: dict[str, float] = {}
        self.token_lifetime = 32400
        self.products: dict[str, dict[str, Any]] = {}
        self.plans: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.idempotent: dict[tuple[str, str], tuple[int, Any]] = {}
        self.fail_next = 0
        self.fail_status = 503
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakePayPal:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app(), log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake PayPal server did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakePayPal:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- helpers for tests --------------------------------------------------------------------

    def requests_to(self, path: str, method: str = "POST") -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if r["path"] == path and r["method"] == method]

    def subscription_resource(
        self,
        subscription_id: str,
        *,
        status: str,
        next_billing: datetime | None = None,
        now: datetime | None = None,
    ) -> dict[str, Any]:
        """The subscription as PayPal shows it, with ``status`` (and billing info) applied."""
        now = now or datetime.now(UTC)
        with self._lock:
            sub = self.subscriptions[subscription_id]
            sub["status"] = status
            sub["status_update_time"] = iso(now)
            sub["update_time"] = iso(now)
            plan = self.plans.get(sub["plan_id"], {})
            price = (
                plan.get("billing_cycles", [{}])[0]
                .get("pricing_scheme", {})
                .get("fixed_price", {"value": "9.00", "currency_code": "EUR"})
            )
            if status == "ACTIVE":
                sub.setdefault("start_time", iso(now))
                sub["billing_info"] = {
                    "outstanding_balance": {
                        "currency_code": price["currency_code"],
                        "value": "0.0",
                    },
                    "cycle_executions": [
                        {
                            "tenure_type": "REGULAR",
                            "sequence": 1,
                            "cycles_completed": 1,
                            "cycles_remaining": 0,
                            "current_pricing_scheme_version": 1,
                            "total_cycles": 0,
                        }
                    ],
                    "last_payment": {"amount": dict(price), "time": iso(now)},
                    "next_billing_time": iso(next_billing or now + timedelta(days=30)),
                    "failed_payments_count": 0,
                }
            return json.loads(json.dumps(sub))

    def sale_resource(
        self,
        subscription_id: str,
        *,
        amount: str = "9.00",
        currency: str = "EUR",
        when: datetime | None = None,
        sale_id: str | None = None,
    ) -> dict[str, Any]:
        when = when or datetime.now(UTC)
        sid = sale_id or _pid("", 17)
        return {
            "id": sid,
            "state": "completed",
            "amount": {"total": amount, "currency": currency, "details": {"subtotal": amount}},
            "payment_mode": "INSTANT_TRANSFER",
            "protection_eligibility": "ELIGIBLE",
            "protection_eligibility_type": "ITEM_NOT_RECEIVED_ELIGIBLE,UNAUTHORIZED_PAYMENT_ELIGIBLE",
            "transaction_fee": {"value": "0.61", "currency": currency},
            "billing_agreement_id": subscription_id,
            "create_time": iso(when),
            "update_time": iso(when),
            "links": [
                {
                    "href": f"{self.url}/v1/payments/sale/{sid}",
                    "rel": "self",
                    "method": "GET",
                },
                {
                    "href": f"{self.url}/v1/payments/sale/{sid}/refund",
                    "rel": "refund",
                    "method": "POST",
                },
            ],
        }

    def refund_resource(
        self, sale_id: str, *, amount: str = "9.00", currency: str = "EUR"
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        rid = _pid("", 17)
        return {
            "id": rid,
            "state": "completed",
            "amount": {"total": amount, "currency": currency},
            "sale_id": sale_id,
            "parent_payment": "PAY-" + _pid("", 24),
            "create_time": iso(now),
            "update_time": iso(now),
            "links": [
                {"href": f"{self.url}/v1/payments/refund/{rid}", "rel": "self", "method": "GET"}
            ],
        }

    def event(
        self, event_type: str, resource: dict[str, Any], *, when: datetime | None = None
    ) -> dict[str, Any]:
        """A webhook event as PayPal posts it."""
        when = when or datetime.now(UTC)
        sale = event_type.startswith("PAYMENT.SALE")
        return {
            "id": f"WH-{next(_ids):04d}{_pid('', 8)}-{_pid('', 17)}",
            "event_version": "1.0",
            "create_time": when.astimezone(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "resource_type": "sale" if sale else "subscription",
            "resource_version": "1.0" if sale else "2.0",
            "event_type": event_type,
            "summary": f"{event_type.title()} event",
            "resource": resource,
            "links": [
                {
                    "href": f"{self.url}/v1/notifications/webhooks-events/x",
                    "rel": "self",
                    "method": "GET",
                }
            ],
        }

    def signed(self, event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
        """The headers and body of a delivery of ``event`` that PayPal would verify."""
        transmission_id = _pid("", 8).lower() + "-" + secrets.token_hex(4)
        transmission_time = iso(datetime.now(UTC))
        sig = self._signature(transmission_id, transmission_time, self.webhook_id, event)
        headers = {
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-fake",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-SIG": sig,
            "PAYPAL-TRANSMISSION-TIME": transmission_time,
            "Content-Type": "application/json",
        }
        return headers, json.dumps(event).encode()

    def _signature(self, transmission_id: str, when: str, webhook_id: str, event: Any) -> str:
        crc = zlib.crc32(canonical(event))
        message = f"{transmission_id}|{when}|{webhook_id}|{crc}".encode()
        return base64.b64encode(
            hmac.new(self._signing_key, message, hashlib.sha256).digest()
        ).decode()

    # --- the app ---------------------------------------------------------------------------------

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/oauth2/token", self._token, methods=["POST"]),
                Route("/v1/catalogs/products", self._product, methods=["POST"]),
                Route("/v1/billing/plans", self._plan, methods=["POST"]),
                Route("/v1/billing/subscriptions", self._subscribe, methods=["POST"]),
                Route("/v1/billing/subscriptions/{id}", self._get_subscription, methods=["GET"]),
                Route("/v1/billing/subscriptions/{id}/cancel", self._cancel, methods=["POST"]),
                Route("/v1/notifications/verify-webhook-signature", self._verify, methods=["POST"]),
            ]
        )

    @staticmethod
    def _error(status: int, name: str, message: str, issue: str | None = None) -> JSONResponse:
        debug_id = secrets.token_hex(7)
        body: dict[str, Any] = {
            "name": name,
            "message": message,
            "debug_id": debug_id,
            "links": [
                {
                    "href": "https://developer.paypal.com/docs/api/overview/#error",
                    "rel": "information_link",
                }
            ],
        }
        if issue:
            body["details"] = [{"issue": issue, "description": message}]
        return JSONResponse(body, status_code=status, headers={"PayPal-Debug-Id": debug_id})

    async def _record(self, request: Request) -> tuple[Any, Response | None]:
        raw = await request.body()
        content_type = request.headers.get("content-type", "")
        body: Any
        if "application/json" in content_type and raw:
            try:
                body = json.loads(raw)
            except ValueError:
                return None, self._error(400, "INVALID_REQUEST", "Request is not well-formed")
        elif raw:
            body = dict(item.split("=", 1) for item in raw.decode().split("&") if "=" in item)
        else:
            body = None
        with self._lock:
            self.requests.append(
                {
                    "method": request.method,
                    "path": request.url.path,
                    "headers": dict(request.headers),
                    "body": body,
                }
            )
            failing = self.fail_next > 0
            if failing:
                self.fail_next -= 1
        if self.delay:
            await asyncio.sleep(self.delay)
        if failing:
            return body, self._error(
                self.fail_status, "INTERNAL_SERVICE_ERROR", "An internal service error occurred."
            )
        return body, None

    def _authorised(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ")
        expires = self.tokens.get(token)
        if not header.startswith("Bearer ") or expires is None or expires < time.monotonic():
            return JSONResponse(
                {
                    "error": "invalid_token",
                    "error_description": "Token signature verification failed",
                },
                status_code=401,
            )
        return None

    def _replayed(self, request: Request) -> tuple[str | None, Response | None]:
        request_id = request.headers.get("paypal-request-id")
        if request_id is None:
            return None, None
        with self._lock:
            seen = self.idempotent.get((request.url.path, request_id))
        if seen is None:
            return request_id, None
        status, body = seen
        return request_id, JSONResponse(body, status_code=status)

    def _remember(
        self, request: Request, request_id: str | None, status: int, body: Any
    ) -> JSONResponse:
        if request_id is not None:
            with self._lock:
                self.idempotent[(request.url.path, request_id)] = (status, body)
        return JSONResponse(body, status_code=status)

    async def _token(self, request: Request) -> Response:
        body, failed = await self._record(request)
        if failed:
            return failed
        expected = base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client Authentication failed"},
                status_code=401,
            )
        if (body or {}).get("grant_type") != "client_credentials":
            return JSONResponse(
                {"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"},
                status_code=400,
            )
        token = "A21AA" + secrets.token_urlsafe(40)
        self.tokens[token] = time.monotonic() + self.token_lifetime
        return JSONResponse(
            {
                "scope": "https://uri.paypal.com/services/subscriptions "
                "https://uri.paypal.com/services/applications/webhooks",
                "access_token": token,
                "token_type": "Bearer",
                "app_id": "APP-80W284485P519543T",
                "expires_in": self.token_lifetime,
                "nonce": iso(datetime.now(UTC)) + secrets.token_hex(8),
            }
        )

    async def _product(self, request: Request) -> Response:
        body, failed = await self._record(request)
        if failed or (failed := self._authorised(request)):
            return failed
        request_id, replay = self._replayed(request)
        if replay:
            return replay
        if not isinstance(body, dict) or not body.get("name") or not body.get("type"):
            return self._error(
                400, "INVALID_REQUEST", "Request is not well-formed", "MISSING_REQUIRED_PARAMETER"
            )
        now = iso(datetime.now(UTC))
        product = {
            "id": _pid("PROD-", 17),
            "name": body["name"],
            "description": body.get("description"),
            "type": body["type"],
            "category": body.get("category"),
            "create_time": now,
            "update_time": now,
            "links": [],
        }
        with self._lock:
            self.products[product["id"]] = product
        return self._remember(request, request_id, 201, product)

    async def _plan(self, request: Request) -> Response:
        body, failed = await self._record(request)
        if failed or (failed := self._authorised(request)):
            return failed
        request_id, replay = self._replayed(request)
        if replay:
            return replay
        if not isinstance(body, dict) or body.get("product_id") not in self.products:
            return self._error(
                422,
                "UNPROCESSABLE_ENTITY",
                "The requested action could not be performed",
                "INVALID_PRODUCT_ID",
            )
        cycles = body.get("billing_cycles")
        if not isinstance(cycles, list) or not cycles:
            return self._error(
                400, "INVALID_REQUEST", "Request is not well-formed", "MISSING_REQUIRED_PARAMETER"
            )
        now = iso(datetime.now(UTC))
        plan = {
            "id": _pid("P-", 24),
            "product_id": body["product_id"],
            "name": body.get("name"),
            "status": body.get("status", "ACTIVE"),
            "usage_type": "LICENSED",
            "billing_cycles": cycles,
            "payment_preferences": body.get("payment_preferences", {}),
            "create_time": now,
            "update_time": now,
            "links": [],
        }
        with self._lock:
            self.plans[plan["id"]] = plan
        return self._remember(request, request_id, 201, plan)

    async def _subscribe(self, request: Request) -> Response:
        body, failed = await self._record(request)
        if failed or (failed := self._authorised(request)):
            return failed
        request_id, replay = self._replayed(request)
        if replay:
            return replay
        if not isinstance(body, dict) or body.get("plan_id") not in self.plans:
            return self._error(
                422,
                "UNPROCESSABLE_ENTITY",
                "The requested action could not be performed, semantically incorrect, or failed "
                "business validation.",
                "INVALID_RESOURCE_ID",
            )
        now = iso(datetime.now(UTC))
        sub_id = _pid("I-", 12)
        token = _pid("BA-", 17)
        subscription = {
            "id": sub_id,
            "plan_id": body["plan_id"],
            "status": "APPROVAL_PENDING",
            "status_update_time": now,
            "custom_id": body.get("custom_id"),
            "quantity": "1",
            "plan_overridden": False,
            "create_time": now,
            "update_time": now,
            "links": [
                {
                    "href": f"https://www.sandbox.paypal.com/webapps/billing/subscriptions?ba_token={token}",
                    "rel": "approve",
                    "method": "GET",
                },
                {
                    "href": f"{self.url}/v1/billing/subscriptions/{sub_id}",
                    "rel": "edit",
                    "method": "PATCH",
                },
                {
                    "href": f"{self.url}/v1/billing/subscriptions/{sub_id}",
                    "rel": "self",
                    "method": "GET",
                },
            ],
        }
        with self._lock:
            self.subscriptions[sub_id] = subscription
        return self._remember(request, request_id, 201, subscription)

    async def _get_subscription(self, request: Request) -> Response:
        _, failed = await self._record(request)
        if failed or (failed := self._authorised(request)):
            return failed
        with self._lock:
            sub = self.subscriptions.get(request.path_params["id"])
        if sub is None:
            return self._error(
                404,
                "RESOURCE_NOT_FOUND",
                "The specified resource does not exist.",
                "INVALID_RESOURCE_ID",
            )
        return JSONResponse(sub)

    async def _cancel(self, request: Request) -> Response:
        body, failed = await self._record(request)
        if failed or (failed := self._authorised(request)):
            return failed
        with self._lock:
            sub = self.subscriptions.get(request.path_params["id"])
            if sub is None:
                return self._error(
                    404,
                    "RESOURCE_NOT_FOUND",
                    "The specified resource does not exist.",
                    "INVALID_RESOURCE_ID",
                )
            if sub["status"] not in ("ACTIVE", "SUSPENDED"):
                return self._error(
                    422,
                    "UNPROCESSABLE_ENTITY",
                    "The requested action could not be performed.",
                    "SUBSCRIPTION_STATUS_INVALID",
                )
            sub["status"] = "CANCELLED"
            sub["status_change_note"] = (body or {}).get("reason")
        return Response(status_code=204)

    async def _verify(self, request: Request) -> Response:
        body, failed = await self._record(request)
        if failed or (failed := self._authorised(request)):
            return failed
        fields = (
            "auth_algo",
            "cert_url",
            "transmission_id",
            "transmission_sig",
            "transmission_time",
            "webhook_id",
            "webhook_event",
        )
        if not isinstance(body, dict) or any(not body.get(f) for f in fields):
            return self._error(
                400,
                "VALIDATION_ERROR",
                "Invalid request - see details",
                "MISSING_REQUIRED_PARAMETER",
            )
        expected = self._signature(
            body["transmission_id"],
            body["transmission_time"],
            self.webhook_id,
            body["webhook_event"],
        )
        good = body["webhook_id"] == self.webhook_id and hmac.compare_digest(
            expected, str(body["transmission_sig"])
        )
        return JSONResponse({"verification_status": "SUCCESS" if good else "FAILURE"})
