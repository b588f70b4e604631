from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from resumate.core.text import ShortText


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    full_name: str | None
    role: str
    is_active: bool
    email_verified: bool
    created_at: datetime
    updated_at: datetime


class MeRead(UserRead):
    unread_notifications: int = 0


class UserUpdate(BaseModel):
    """Fields a user may change on their own account. ``role``, ``email_verified`` and
    ``is_active`` are refused (422), never silently ignored."""

    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[ShortText, Field(max_length=200)] | None = None


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Annotated[ShortText, Field(max_length=1024)]
    new_password: Annotated[ShortText, Field(max_length=1024)]


class AccountDelete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Annotated[ShortText, Field(max_length=1024)]


class AdminUserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_active: bool | None = None
    role: Literal["user", "admin"] | None = None


class AdminMetrics(BaseModel):
    users: int
    active_users: int
    admins: int
    verified_users: int
    active_sessions: int
    signups_last_7_days: int
    counts: dict[str, int] = Field(default_factory=dict)
    signups: dict[str, int] = Field(description="Accounts created in the last day, 7 and 30 days")
    activity: dict[str, int] = Field(
        description="Distinct users who did something in the last day (dau), 7 days (wau), "
        "30 days (mau)"
    )
    analyses: dict[str, dict[str, int]] = Field(description="CV analyses ready and failed")
    renders: dict[str, int] = Field(description="PDFs rendered")
    events: dict[str, dict[str, int]] = Field(description="Every analytics event, same windows")
    queue: dict[str, Any] = Field(description="Jobs waiting (depth), running, failed")
    storage: dict[str, Any] = Field(description="Bytes of stored files, in total and by kind")
    billing: dict[str, Any] | None = Field(
        default=None, description="Conversions and recurring revenue (when billing is enabled)"
    )
    extra: dict[str, Any] = Field(default_factory=dict)
