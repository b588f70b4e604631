"""The response envelope of API.md: ``{success, data, error, meta}``."""

from __future__ import annotations

import math
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class ErrorBody(BaseModel):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class Pagination(BaseModel):
    page: int
    per_page: int
    total: int
    pages: int


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T | None = None
    error: ErrorBody | None = None
    meta: dict[str, Any] = Field(default_factory=dict)


class ErrorEnvelope(BaseModel):
    success: bool = False
    data: None = None
    error: ErrorBody
    meta: dict[str, Any] = Field(default_factory=dict)


class PageParams(BaseModel):
    """``?page=1&per_page=20`` (per_page at most 100)."""

    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=20, ge=1, le=100)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def ok(data: T, **meta: Any) -> Envelope[T]:
    return Envelope[T](data=data, meta=meta)


def page_meta(*, total: int, params: PageParams) -> dict[str, Any]:
    """The ``meta`` of a page: ``{"pagination": {page, per_page, total, pages}}``."""
    pages = math.ceil(total / params.per_page) if total else 0
    return {
        "pagination": {
            "page": params.page,
            "per_page": params.per_page,
            "total": total,
            "pages": pages,
        }
    }


def paginated(items: T, *, total: int, params: PageParams) -> Envelope[T]:
    return Envelope[T](data=items, meta=page_meta(total=total, params=params))


def error_payload(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "success": False,
        "data": None,
        "error": {"code": code, "message": message, "details": details or {}},
        "meta": {},
    }
