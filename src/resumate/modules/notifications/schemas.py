from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from resumate.core.text import ShortText


class NotificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seq: int = Field(description="Orders notifications; the id of its Server-Sent Event")
    kind: str
    title: str
    body: str
    link: str | None
    data: dict[str, Any]
    read_at: datetime | None
    created_at: datetime


class NotificationSettingsRead(BaseModel):
    language: str
    languages: list[str]
    email: dict[str, bool] = Field(description="Mail on or off for each kind")
    locked: list[str] = Field(description="Kinds whose mail cannot be turned off (security)")


class NotificationSettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Annotated[ShortText, Field(max_length=10)] | None = None
    email: dict[Annotated[ShortText, Field(max_length=60)], bool] | None = Field(
        default=None, max_length=50
    )


class ReadAllResult(BaseModel):
    marked: int


class Unsubscribed(BaseModel):
    kind: str
    email: bool = False
