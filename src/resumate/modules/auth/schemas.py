from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from resumate.core.text import NoControls, ShortText
from resumate.modules.users.schemas import UserRead

Email = Annotated[EmailStr, NoControls, Field(max_length=254)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class RegisterIn(StrictModel):
    email: Email
    password: Annotated[ShortText, Field(max_length=1024)]
    full_name: Annotated[ShortText, Field(max_length=200)] | None = None


class LoginIn(StrictModel):
    email: Email
    password: Annotated[ShortText, Field(max_length=1024)]


class RefreshIn(StrictModel):
    refresh_token: Annotated[ShortText, Field(max_length=200)] | None = None


class ForgotIn(StrictModel):
    email: Email


class ResetIn(StrictModel):
    token: Annotated[ShortText, Field(min_length=10, max_length=200)]
    new_password: Annotated[ShortText, Field(max_length=1024)]


class VerifyIn(StrictModel):
    token: Annotated[ShortText, Field(min_length=10, max_length=200)]


class AuthResult(BaseModel):
    user: UserRead


class OAuthError(BaseModel):
    """An OAuth2 error (RFC 6749 section 5.2): what ``/auth/token`` answers, not the envelope."""

    error: str
    error_description: str


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class RefreshResult(BaseModel):
    user: UserRead
    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class Message(BaseModel):
    message: str


class SessionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_agent: str | None
    ip: str | None
    created_at: datetime
    last_used_at: datetime
    expires_at: datetime
    current: bool = False

    @field_validator("ip", mode="before")
    @classmethod
    def _ip_text(cls, value: object) -> str | None:
        return None if value is None else str(value)
