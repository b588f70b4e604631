from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from resumate.core.text import JsonObject, ShortText


class ResumeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[ShortText, Field(min_length=1, max_length=200)]
    template_id: uuid.UUID | None = None
    data: JsonObject = Field(description="A JSON Resume v1.0.0 document")


class ResumeUpdate(BaseModel):
    """Fields to change; ``data`` replaces the whole document. Send ``If-Match`` with the
    ETag you read to avoid overwriting someone else's change (412 when stale)."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[ShortText, Field(min_length=1, max_length=200)] | None = None
    template_id: uuid.UUID | None = None
    data: JsonObject | None = None


class ResumeRead(BaseModel):
    id: uuid.UUID
    title: str
    template_id: uuid.UUID | None
    data: dict[str, Any]
    version: int
    etag: str
    share_enabled: bool
    public_url: str | None
    created_at: datetime
    updated_at: datetime


class ResumeSummary(BaseModel):
    id: uuid.UUID
    title: str
    template_id: uuid.UUID | None
    version: int
    share_enabled: bool
    created_at: datetime
    updated_at: datetime


class PdfRead(BaseModel):
    id: uuid.UUID
    url: str
    size_bytes: int
    pages: int
    sha256: str
    template_id: uuid.UUID | None
    template_version: int
    reused: bool
    created_at: datetime


class ShareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool


class ShareRead(BaseModel):
    enabled: bool
    public_url: str | None
    slug: str | None


class DayStats(BaseModel):
    date: date
    views: int
    downloads: int


class ResumeStats(BaseModel):
    views: int
    downloads: int
    by_day: list[DayStats]


SortField = Literal["updated_at", "-updated_at", "created_at", "-created_at", "title", "-title"]
