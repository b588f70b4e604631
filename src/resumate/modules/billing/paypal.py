"""PayPal REST (Subscriptions API v1, catalog products, webhook verification) over httpx.

An OAuth2 client-credentials token is cached per (API base, client id) until shortly before
it expires. Every POST carries a ``PayPal-Request-Id`` kept across retries, so a retried call
never creates a second object. Timeouts, transport errors, 429 and 5xx are retried with
exponential backoff; any other failure is a ``PayPalError`` with PayPal's debug id."""

from __future__ import annotations

import asyncio
import functools
import ssl
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import Any

import certifi
import httpx
import structlog

from resumate.config import Settings

log = structlog.get_logger(__name__)

# Renew the token this long before PayPal says it expires.
TOKEN_MARGIN_SECONDS = 120.0
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
WEBHOOK_HEADERS = (
    "paypal-auth-algo",
    "paypal-cert-url",
    "paypal-transmission-id",
    "paypal-transmission-sig",
    "paypal-transmission-time",
)


class PayPalError(Exception):
    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        name: str | None = None,
        debug_id: str | None = None,
    ) -> None:
        self.message = message
        self.status = status
        self.name = name
        self.debug_id = debug_id
        super().__init__(message)


@dataclass
class _Token:
    value: str
    expires_at: float


_tokens: dict[tuple[str, str], _Token] = {}
_clients: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[tuple[str, float], httpx.AsyncClient]
] = weakref.WeakKeyDictionary()


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes milliseconds: once per process, not per client.
    return ssl.create_default_context(cafile=certifi.where())


async def close_clients() -> None:
    """Close this event loop's PayPal connections (at shutdown)."""
    per_loop = _clients.pop(asyncio.get_running_loop(), {})
    for client in per_loop.values():
        await client.aclose()


def clear_token_cache() -> None:
    _tokens.clear()


class PayPalClient:
    def __init__(
        self,
        *,
        api_base: str,
        client_id: str,
        client_secret: str,
        timeout: float = 20.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.api_base = api_base.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> PayPalClient:
        secret = settings.paypal_client_secret
        return cls(
            api_base=settings.paypal_api_base,
            client_id=settings.paypal_client_id or "",
            client_secret=secret.get_secret_value() if secret else "",
            timeout=settings.paypal_timeout,
            retries=settings.paypal_retries,
            **kwargs,
        )

    # ---- transport --------------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient:
        # One pooled client per event loop (a pool is bound to its loop; the CLI, the server
        # and the tests each run their own), so calls reuse the TLS connection to PayPal.
        loop = asyncio.get_running_loop()
        per_loop = _clients.setdefault(loop, {})
        key = (self.api_base, self.timeout)
        client = per_loop.get(key)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(
                base_url=self.api_base, timeout=self.timeout, verify=_ssl_context()
            )
            per_loop[key] = client
        return client

    async def _send(
        self,
        method: str,
        path: str,
        *,
        request_id: str | None,
        json: Any = None,
        data: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        authorised: bool = True,
    ) -> httpx.Response:
        if method == "POST" and request_id is None:
            request_id = str(uuid.uuid4())
        renewed = False
        attempt = 0
        while True:
            headers = {"Accept": "application/json"}
            if request_id is not None:
                headers["PayPal-Request-Id"] = request_id
            if authorised:
                headers["Authorization"] = f"Bearer {await self._token()}"
            try:
                response = await self._http().request(
                    method, path, json=json, data=data, auth=auth, headers=headers
                )
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt < self.retries:
                    attempt += 1
                    await self._sleep(attempt, None)
                    continue
                raise PayPalError(
                    f"PayPal did not answer {method} {path}: {type(exc).__name__}"
                ) from exc
            if response.status_code == 401 and authorised and not renewed:
                # A token revoked or expired early: fetch a new one, once.
                _tokens.pop(self._token_key(), None)
                renewed = True
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                attempt += 1
                await self._sleep(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code >= 400:
                raise _error(method, path, response)
            return response

    async def _sleep(self, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff * 2 ** (attempt - 1)
        if retry_after and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), 30.0))
        await asyncio.sleep(min(delay, 30.0))

    def _token_key(self) -> tuple[str, str]:
        return (self.api_base, self.client_id)

    async def _token(self) -> str:
        cached = _tokens.get(self._token_key())
        if cached is not None and cached.expires_at > time.monotonic():
            return cached.value
        response = await self._send(
            "POST",
            "/v1/oauth2/token",
            request_id=None,
            data={"grant_type": "client_credentials"},
            auth=(self.client_id, self._secret),
            authorised=False,
        )
        body = _json(response)
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise PayPalError("PayPal's token response has no access_token", status=200)
        expires_in = float(body.get("expires_in") or 0)
        _tokens[self._token_key()] = _Token(
            token, time.monotonic() + max(0.0, expires_in - TOKEN_MARGIN_SECONDS)
        )
        return token

    async def _post(self, path: str, body: Any, *, request_id: str | None = None) -> Any:
        response = await self._send("POST", path, json=body, request_id=request_id)
        return _json(response) if response.content else {}

    async def _get(self, path: str) -> Any:
        return _json(await self._send("GET", path, request_id=None))

    # ---- API ------------------------------------------------------------------------------

    async def create_product(self, *, name: str, description: str, request_id: str) -> Any:
        return await self._post(
            "/v1/catalogs/products",
            {"name": name, "description": description, "type": "SERVICE", "category": "SOFTWARE"},
            request_id=request_id,
        )

    async def create_plan(
        self,
        *,
        product_id: str,
        name: str,
        price: str,
        currency: str,
        interval: str,
        request_id: str,
    ) -> Any:
        body = {
            "product_id": product_id,
            "name": name,
            "status": "ACTIVE",
            "billing_cycles": [
                {
                    "frequency": {"interval_unit": interval.upper(), "interval_count": 1},
                    "tenure_type": "REGULAR",
                    "sequence": 1,
                    "total_cycles": 0,
                    "pricing_scheme": {"fixed_price": {"value": price, "currency_code": currency}},
                }
            ],
            "payment_preferences": {
                "auto_bill_outstanding": True,
                "setup_fee_failure_action": "CONTINUE",
                "payment_failure_threshold": 3,
            },
        }
        return await self._post("/v1/billing/plans", body, request_id=request_id)

    async def create_subscription(
        self,
        *,
        plan_id: str,
        custom_id: str,
        return_url: str,
        cancel_url: str,
        request_id: str,
    ) -> Any:
        body = {
            "plan_id": plan_id,
            "custom_id": custom_id,
            "application_context": {
                "brand_name": "Resumate",
                "shipping_preference": "NO_SHIPPING",
                "user_action": "SUBSCRIBE_NOW",
                "return_url": return_url,
                "cancel_url": cancel_url,
            },
        }
        return await self._post("/v1/billing/subscriptions", body, request_id=request_id)

    async def get_subscription(self, subscription_id: str) -> Any:
        return await self._get(f"/v1/billing/subscriptions/{_segment(subscription_id)}")

    async def cancel_subscription(
        self, subscription_id: str, *, reason: str, request_id: str
    ) -> None:
        await self._post(
            f"/v1/billing/subscriptions/{_segment(subscription_id)}/cancel",
            {"reason": reason[:128]},
            request_id=request_id,
        )

    async def verify_webhook_signature(
        self, *, headers: dict[str, str], webhook_id: str, event: Any
    ) -> str:
        """PayPal's verdict on a delivery: ``SUCCESS`` or ``FAILURE``."""
        body = {
            "auth_algo": headers["paypal-auth-algo"],
            "cert_url": headers["paypal-cert-url"],
            "transmission_id": headers["paypal-transmission-id"],
            "transmission_sig": headers["paypal-transmission-sig"],
            "transmission_time": headers["paypal-transmission-time"],
            "webhook_id": webhook_id,
            "webhook_event": event,
        }
        answer = await self._post("/v1/notifications/verify-webhook-signature", body)
        status = answer.get("verification_status") if isinstance(answer, dict) else None
        return str(status or "FAILURE")


def _segment(value: str) -> str:
    return httpx.URL("/" + value.replace("/", "%2F")).raw_path.decode()[1:]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise PayPalError(
            f"PayPal answered {response.status_code} with a body that is not JSON",
            status=response.status_code,
            debug_id=response.headers.get("PayPal-Debug-Id"),
        ) from exc


def _error(method: str, path: str, response: httpx.Response) -> PayPalError:
    debug_id = response.headers.get("PayPal-Debug-Id")
    name = None
    detail = ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        debug_id = body.get("debug_id") or debug_id
        name = body.get("name") or body.get("error")
        detail = str(body.get("message") or body.get("error_description") or "")
        issues = [d.get("issue") for d in body.get("details") or [] if isinstance(d, dict)]
        if any(issues):
            detail += " (" + ", ".join(str(i) for i in issues if i) + ")"
    message = f"PayPal refused {method} {path}: {response.status_code}"
    if name:
        message += f" {name}"
    if detail:
        message += f": {detail}"
    log.warning("paypal error", status=response.status_code, name=name, debug_id=debug_id)
    return PayPalError(
        message[:500],
        status=response.status_code,
        name=str(name) if name else None,
        debug_id=str(debug_id) if debug_id else None,
    )
