from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from resumate.modules.users.schemas import UserRead


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class RegisterIn(StrictModel):
    email: EmailStr = Field(max_length=254)
    password: str = Field(max_length=1024)
    full_name: str | None = Field(default=None, max_length=200)


class LoginIn(StrictModel):
    email: EmailStr = Field(max_length=254)
    password: str = Field(max_length=1024)


class RefreshIn(StrictModel):
    refresh_token: str | None = Field(default=None, max_length=200)


class ForgotIn(StrictModel):
    email: EmailStr = Field(max_length=254)


class ResetIn(StrictModel):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Field(max_length=1024)


class VerifyIn(StrictModel):
    token: str = Field(min_length=10, max_length=200)


class AuthResult(BaseModel):
    user: UserRead


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
