"""Passwords, tokens and CSRF: the primitives of authentication (no HTTP, no database)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import bcrypt
import jwt
from argon2 import PasswordHasher
from argon2 import exceptions as argon2_exceptions

# OWASP (2023+) argon2id baseline: m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(
    time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16
)
# Hashing runs off the event loop in a small pool: concurrent logins queue here instead of
# starving other requests. argon2 and bcrypt release the GIL, so each thread takes a whole core;
# one core is left to the event loop (RESUMATE_PASSWORD_HASH_THREADS overrides).
_hash_threads = int(
    os.environ.get("RESUMATE_PASSWORD_HASH_THREADS") or max(1, (os.cpu_count() or 2) - 1)
)
_hash_pool = ThreadPoolExecutor(max_workers=_hash_threads, thread_name_prefix="pwhash")

JWT_ALGORITHM = "HS256"
JWT_ISSUER = "resumate"
JWT_AUDIENCE = "resumate-api"
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024


class TokenError(Exception):
    """An access token is missing, expired, malformed or not ours."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str
    jti: str
    expires_at: datetime


# ---- passwords -------------------------------------------------------------------------


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


def verify_password_sync(stored_hash: str, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash). Accepts argon2 hashes and legacy bcrypt ones."""
    if stored_hash.startswith(("$2a$", "$2b$", "$2y$")):
        try:
            ok = bcrypt.checkpw(password.encode()[:72], stored_hash.encode())
        except ValueError:
            return False, False
        return ok, ok  # a bcrypt hash that matches is upgraded to argon2id
    try:
        _hasher.verify(stored_hash, password)
    except (argon2_exceptions.VerificationError, argon2_exceptions.InvalidHashError):
        return False, False
    return True, _hasher.check_needs_rehash(stored_hash)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


async def hash_password(password: str) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_hash_pool, hash_password_sync, password)


async def verify_password(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    """Verify off the loop. With no stored hash (unknown user) do the same work and fail."""
    loop = asyncio.get_running_loop()
    if stored_hash is None:
        await loop.run_in_executor(_hash_pool, verify_password_sync, _dummy_hash(), password)
        return False, False
    return await loop.run_in_executor(_hash_pool, verify_password_sync, stored_hash, password)


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("resumate.core").joinpath("data/common_passwords.txt").read_text()
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Reasons the password is refused (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"must be at most {MAX_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    if lowered in common_passwords():
        problems.append("is too common")
    elif len(set(password)) <= 2:
        problems.append("is too repetitive")
    if email:
        local = email.split("@", 1)[0].lower()
        if len(local) >= 4 and local in lowered and len(lowered) - len(local) < 6:
            problems.append("is too similar to the email address")
    return problems


# ---- opaque tokens (refresh, reset, verification) ----------------------------------------


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens carry 256 bits of entropy, so a fast hash is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


# ---- access tokens (JWT) -------------------------------------------------------------------


def create_access_token(
    *,
    secret: str,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    role: str,
    lifetime: timedelta,
    now: datetime | None = None,
) -> tuple[str, datetime]:
    issued = now or datetime.now(UTC)
    expires = issued + lifetime
    claims: dict[str, Any] = {
        "iss": JWT_ISSUER,
        "aud": JWT_AUDIENCE,
        "sub": str(user_id),
        "sid": str(session_id),
        "role": role,
        "typ": "access",
        "jti": uuid.uuid4().hex,
        "iat": int(issued.timestamp()),
        "nbf": int(issued.timestamp()),
        "exp": int(expires.timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM), expires


def decode_access_token(token: str, *, secret: str) -> AccessClaims:
    try:
        # The algorithm list is pinned: `alg: none` and tokens of other algorithms are refused.
        claims = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            audience=JWT_AUDIENCE,
            issuer=JWT_ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "jti", "iss", "aud"]},
            leeway=5,
        )
        if claims.get("typ") != "access":
            raise TokenError("not an access token")
        return AccessClaims(
            user_id=uuid.UUID(claims["sub"]),
            session_id=uuid.UUID(claims["sid"]),
            role=str(claims.get("role", "user")),
            jti=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("access token expired") from exc
    except (jwt.InvalidTokenError, ValueError, KeyError, TypeError) as exc:
        raise TokenError("invalid access token") from exc
