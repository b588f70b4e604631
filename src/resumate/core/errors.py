"""Domain errors: a small hierarchy rendered into the API envelope by one handler."""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    """An error a client can act on; rendered as ``{success: false, error: {...}}``."""

    code: ClassVar[str] = "INTERNAL_ERROR"
    status: ClassVar[int] = 500
    default_message: ClassVar[str] = "Something went wrong"

    def __init__(
        self,
        message: str | None = None,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        persist: bool = False,
    ) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        self.headers = headers or {}
        # True when the work done before the error must still be committed (e.g. revoking a
        # session on refresh-token reuse, then answering 401).
        self.persist = persist
        super().__init__(self.message)


class BadRequest(AppError):
    code = "VALIDATION_ERROR"
    status = 400
    default_message = "The request could not be understood"


class ValidationFailed(AppError):
    code = "VALIDATION_ERROR"
    status = 422
    default_message = "The request is not valid"


class Unauthenticated(AppError):
    code = "UNAUTHENTICATED"
    status = 401
    default_message = "Authentication required"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class Forbidden(AppError):
    code = "FORBIDDEN"
    status = 403
    default_message = "You are not allowed to do this"


class CsrfFailed(Forbidden):
    code = "CSRF_FAILED"
    default_message = (
        "CSRF check failed: send the X-CSRF-Token header equal to the csrf_token cookie"
    )


class NotFound(AppError):
    code = "NOT_FOUND"
    status = 404
    default_message = "Not found"


class MethodNotAllowed(AppError):
    code = "METHOD_NOT_ALLOWED"
    status = 405
    default_message = "Method not allowed"


class Conflict(AppError):
    code = "CONFLICT"
    status = 409
    default_message = "Conflict"


class BillingDisabled(Conflict):
    code = "BILLING_DISABLED"
    default_message = (
        "Billing is off on this installation (RESUMATE_BILLING=off): every account is on the "
        "unlimited self-hosted plan"
    )


class PreconditionFailed(AppError):
    code = "PRECONDITION_FAILED"
    status = 412
    default_message = "The resource was changed since you read it"


class PayloadTooLarge(AppError):
    code = "PAYLOAD_TOO_LARGE"
    status = 413
    default_message = "Request body too large"


class UnsupportedMediaType(AppError):
    code = "UNSUPPORTED_MEDIA_TYPE"
    status = 415
    default_message = "Unsupported media type"


class QuotaExceeded(AppError):
    code = "QUOTA_EXCEEDED"
    status = 402
    default_message = "Plan quota exceeded"


class RateLimited(AppError):
    code = "RATE_LIMITED"
    status = 429
    default_message = "Too many requests"

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(
            message or f"Too many requests; retry in {retry_after} s",
            details={"retry_after": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


class UpstreamError(AppError):
    """A provider we call (payments, LLM) failed; ``details`` carries its debug id."""

    code = "UPSTREAM_ERROR"
    status = 502
    default_message = "An upstream provider failed"


class ServiceUnavailable(AppError):
    code = "SERVICE_UNAVAILABLE"
    status = 503
    default_message = "Service temporarily unavailable"


# Status -> code for errors raised by the framework (HTTPException and friends).
STATUS_CODES: dict[int, str] = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHENTICATED",
    402: "QUOTA_EXCEEDED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    412: "PRECONDITION_FAILED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    502: "UPSTREAM_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
