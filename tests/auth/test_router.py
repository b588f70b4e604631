"""Auth paths of API.md, and the attacks each protection exists for."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from sqlalchemy import text

from resumate.config import Settings
from resumate.core import security
from tests.factories import (
    PASSWORD,
    bearer,
    csrf_headers,
    new_user_headers,
    register,
    unique_email,
)

API = "/api/v1"


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]  # type: ignore[no-any-return]


# ---- register / login / cookies ------------------------------------------------------------


async def test_register_sets_cookies_and_returns_user(client: httpx.AsyncClient) -> None:
    email = unique_email()
    response = await client.post(
        f"{API}/auth/register", json={"email": email, "password": PASSWORD, "full_name": "Ada L"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["success"] is True
    user = body["data"]["user"]
    assert user["email"] == email and user["role"] == "user" and user["email_verified"] is False
    assert "password_hash" not in user
    cookies = {c.name: c for c in client.cookies.jar}
    assert {"access_token", "refresh_token", "csrf_token"} <= set(cookies)
    set_cookie = response.headers.get_list("set-cookie")
    access = next(h for h in set_cookie if h.startswith("access_token="))
    refresh = next(h for h in set_cookie if h.startswith("refresh_token="))
    csrf = next(h for h in set_cookie if h.startswith("csrf_token="))
    assert "HttpOnly" in access and "samesite=lax" in access.lower()
    assert "HttpOnly" in refresh and "Path=/api/v1/auth" in refresh
    assert "HttpOnly" not in csrf
    me = await client.get(f"{API}/users/me")
    assert me.status_code == 200 and me.json()["data"]["email"] == email


async def test_duplicate_email_is_conflict_case_insensitively(client: httpx.AsyncClient) -> None:
    email = unique_email("Mixed")
    await register(client, email.replace("mixed", "MiXeD"))
    response = await client.post(
        f"{API}/auth/register", json={"email": email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 409 and error_code(response) == "CONFLICT"


async def test_login_with_other_case_and_unicode_email(client: httpx.AsyncClient) -> None:
    email = f"Jösé.{uuid.uuid4().hex[:6]}@Exämple.COM"
    await register(client, email)
    client.cookies.clear()
    response = await client.post(
        f"{API}/auth/login", json={"email": email.lower(), "password": PASSWORD}
    )
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "password", ["short", "password1234", "1234567890", "aaaaaaaaaaaa", "qwertyuiop"]
)
async def test_password_policy(client: httpx.AsyncClient, password: str) -> None:
    response = await client.post(
        f"{API}/auth/register", json={"email": unique_email(), "password": password}
    )
    assert response.status_code == 422 and error_code(response) == "VALIDATION_ERROR"


async def test_unknown_fields_and_mass_assignment_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/register",
        json={"email": unique_email(), "password": PASSWORD, "role": "admin"},
    )
    assert response.status_code == 422
    assert any(e["path"] == "$.role" for e in response.json()["error"]["details"]["errors"])
    _user, headers = await new_user_headers(client)
    for field, value in (("role", "admin"), ("email_verified", True), ("is_active", False)):
        patched = await client.patch(f"{API}/users/me", json={field: value}, headers=headers)
        assert patched.status_code == 422, (field, patched.text)
    me = (await client.get(f"{API}/users/me", headers=headers)).json()["data"]
    assert me["role"] == "user" and me["email_verified"] is False and me["is_active"] is True


async def test_malformed_json_on_login(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{API}/auth/login", content=b'{"email":', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and error_code(response) == "VALIDATION_ERROR"


async def test_sql_looking_input_is_data(client: httpx.AsyncClient) -> None:
    name = "Robert'); DROP TABLE users;--"
    user = await register(client, full_name=name)
    assert user["full_name"] == name
    response = await client.post(
        f"{API}/auth/login", json={"email": "x' OR '1'='1@example.com", "password": "' OR 1=1 --"}
    )
    assert response.status_code in (401, 422)
    assert (await client.get(f"{API}/users/me")).status_code == 200


async def test_wrong_password_and_unknown_email_answer_alike(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    wrong = await client.post(f"{API}/auth/login", json={"email": email, "password": "nope" * 4})
    unknown = await client.post(
        f"{API}/auth/login", json={"email": unique_email(), "password": "nope" * 4}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]


async def test_unknown_email_still_does_hash_work(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = security.verify_password_sync

    def spy(stored: str, password: str) -> tuple[bool, bool]:
        calls.append(stored)
        return original(stored, password)

    monkeypatch.setattr(security, "verify_password_sync", spy)
    ok, _ = await security.verify_password(None, "whatever-password")
    assert not ok and len(calls) == 1 and calls[0].startswith("$argon2id$")


# ---- tokens ------------------------------------------------------------------------------


async def test_token_endpoint_oauth_shape(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    response = await client.post(
        f"{API}/auth/token", data={"username": email, "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    assert body["access_token"] and body["refresh_token"]
    assert "set-cookie" not in response.headers
    bad = await client.post(
        f"{API}/auth/token", data={"username": email, "password": "wrong-password"}
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_grant" and "error_description" in bad.json()
    missing = await client.post(f"{API}/auth/token", data={"username": email})
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    me = await client.get(
        f"{API}/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200


def _forge(claims: dict[str, object], key: str, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg)


async def test_bad_access_tokens_are_401(client: httpx.AsyncClient, settings: Settings) -> None:
    _user, headers = await new_user_headers(client)
    good = headers["Authorization"].split()[1]
    claims = jwt.decode(good, options={"verify_signature": False})
    now = int(time.time())

    header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(
        b"="
    )
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    alg_none = f"{header.decode()}.{payload.decode()}."
    cases = {
        "expired": _forge({**claims, "exp": now - 3600, "iat": now - 7200}, settings.secret()),
        "wrong_key": _forge(claims, "another-secret-key-" + "y" * 40),
        "wrong_audience": _forge({**claims, "aud": "someone-else"}, settings.secret()),
        "wrong_issuer": _forge({**claims, "iss": "evil"}, settings.secret()),
        "alg_none": alg_none,
        "tampered": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB"),
        "hs512_resigned": _forge(claims, settings.secret(), alg="HS512"),
        "garbage": "not.a.token",
    }
    for name, token in cases.items():
        response = await client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert error_code(response) == "UNAUTHENTICATED"
        assert response.headers.get("www-authenticate") == "Bearer"
    assert (await client.get(f"{API}/users/me", headers=headers)).status_code == 200


async def test_refresh_rotation_and_reuse_detection(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    pair = (
        await client.post(f"{API}/auth/token", data={"username": email, "password": PASSWORD})
    ).json()
    first = pair["refresh_token"]
    rotated = await client.post(f"{API}/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["data"]
    assert second["refresh_token"] != first
    new_headers = {"Authorization": f"Bearer {second['access_token']}"}
    assert (await client.get(f"{API}/users/me", headers=new_headers)).status_code == 200

    reuse = await client.post(f"{API}/auth/refresh", json={"refresh_token": first})
    assert reuse.status_code == 401
    # The whole session is revoked: the newest refresh and access tokens die too.
    assert (
        await client.post(f"{API}/auth/refresh", json={"refresh_token": second["refresh_token"]})
    ).status_code == 401
    assert (await client.get(f"{API}/users/me", headers=new_headers)).status_code == 401


async def test_refresh_by_cookie_needs_csrf(client: httpx.AsyncClient) -> None:
    await register(client)
    no_csrf = await client.post(f"{API}/auth/refresh")
    assert no_csrf.status_code == 403 and error_code(no_csrf) == "CSRF_FAILED"
    ok = await client.post(f"{API}/auth/refresh", headers=csrf_headers(client))
    assert ok.status_code == 200, ok.text


async def test_csrf_required_for_cookie_auth_on_unsafe_methods(client: httpx.AsyncClient) -> None:
    await register(client)
    assert (await client.get(f"{API}/users/me")).status_code == 200  # safe method: no header
    missing = await client.patch(f"{API}/users/me", json={"full_name": "X"})
    assert missing.status_code == 403 and error_code(missing) == "CSRF_FAILED"
    wrong = await client.patch(
        f"{API}/users/me", json={"full_name": "X"}, headers={"X-CSRF-Token": "forged"}
    )
    assert wrong.status_code == 403 and error_code(wrong) == "CSRF_FAILED"
    right = await client.patch(
        f"{API}/users/me", json={"full_name": "X"}, headers=csrf_headers(client)
    )
    assert right.status_code == 200 and right.json()["data"]["full_name"] == "X"


async def test_bearer_needs_no_csrf(client: httpx.AsyncClient) -> None:
    _, headers = await new_user_headers(client)
    response = await client.patch(f"{API}/users/me", json={"full_name": "Bea"}, headers=headers)
    assert response.status_code == 200


async def test_logout_revokes_and_clears(client: httpx.AsyncClient) -> None:
    await register(client)
    access = client.cookies.get("access_token")
    response = await client.post(f"{API}/auth/logout", headers=csrf_headers(client))
    assert response.status_code == 200
    assert "access_token" not in {c.name for c in client.cookies.jar}
    replay = await client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {access}"})
    assert replay.status_code == 401


async def test_sessions_list_and_revoke(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    headers_a = await bearer(client, email)
    headers_b = await bearer(client, email)
    sessions = (await client.get(f"{API}/auth/sessions", headers=headers_a)).json()["data"]
    assert len(sessions) == 3 and sum(s["current"] for s in sessions) == 1
    current_b = next(
        s
        for s in (await client.get(f"{API}/auth/sessions", headers=headers_b)).json()["data"]
        if s["current"]
    )
    revoked = await client.delete(f"{API}/auth/sessions/{current_b['id']}", headers=headers_a)
    assert revoked.status_code == 200
    assert (await client.get(f"{API}/users/me", headers=headers_b)).status_code == 401
    assert (await client.get(f"{API}/users/me", headers=headers_a)).status_code == 200
    again = await client.delete(f"{API}/auth/sessions/{current_b['id']}", headers=headers_a)
    assert again.status_code == 404


async def test_deactivated_user_loses_access_at_once(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    await session.execute(
        text("UPDATE users SET is_active = false WHERE id = :id"), {"id": user["id"]}
    )
    response = await client.get(f"{API}/users/me", headers=headers)
    assert response.status_code == 401


async def test_brute_force_is_rate_limited(client: httpx.AsyncClient, settings: Settings) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    limit = int(settings.rate_login_account.split("/")[0])
    statuses = []
    for _ in range(limit + 2):
        response = await client.post(
            f"{API}/auth/login", json={"email": email, "password": "guess-guess-1"}
        )
        statuses.append(response.status_code)
    assert statuses[:limit] == [401] * limit
    assert statuses[-1] == 429
    assert error_code(response) == "RATE_LIMITED"
    assert int(response.headers["retry-after"]) > 0
    # Even the right password is refused while the account is locked out.
    right = await client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
    assert right.status_code == 429


async def test_bcrypt_hash_verified_and_upgraded(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    import bcrypt

    user = await register(client)
    client.cookies.clear()
    legacy = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    await session.execute(
        text("UPDATE users SET password_hash = :h WHERE id = :id"), {"h": legacy, "id": user["id"]}
    )
    response = await client.post(
        f"{API}/auth/login", json={"email": user["email"], "password": PASSWORD}
    )
    assert response.status_code == 200
    stored = (
        await session.execute(
            text("SELECT password_hash FROM users WHERE id = :id"), {"id": user["id"]}
        )
    ).scalar_one()
    assert stored.startswith("$argon2id$")


async def test_password_change_revokes_other_sessions(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    headers_a = await bearer(client, email)
    headers_b = await bearer(client, email)
    new_password = "a brand new passphrase 42"
    wrong = await client.post(
        f"{API}/users/me/password",
        json={"current_password": "not-my-password", "new_password": new_password},
        headers=headers_a,
    )
    assert wrong.status_code == 401
    changed = await client.post(
        f"{API}/users/me/password",
        json={"current_password": PASSWORD, "new_password": new_password},
        headers=headers_a,
    )
    assert changed.status_code == 200, changed.text
    assert (await client.get(f"{API}/users/me", headers=headers_a)).status_code == 200
    assert (await client.get(f"{API}/users/me", headers=headers_b)).status_code == 401
    await bearer(client, email, new_password)


async def test_export_and_delete_account(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    user, headers = await new_user_headers(client)
    export = await client.get(f"{API}/users/me/export", headers=headers)
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    document = export.json()
    assert document["user"]["id"] == user["id"] and document["sessions"]
    refused = await client.request(
        "DELETE", f"{API}/users/me", json={"password": "wrong-password"}, headers=headers
    )
    assert refused.status_code == 401
    deleted = await client.request(
        "DELETE", f"{API}/users/me", json={"password": PASSWORD}, headers=headers
    )
    assert deleted.status_code == 200
    count = (
        await session.execute(text("SELECT count(*) FROM users WHERE id = :id"), {"id": user["id"]})
    ).scalar_one()
    assert count == 0
    assert (await client.get(f"{API}/users/me", headers=headers)).status_code == 401


async def test_expired_access_token_claims_rejected_even_if_session_alive(
    settings: Settings,
) -> None:
    token, _ = security.create_access_token(
        secret=settings.secret(),
        user_id=uuid.uuid4(),
        session_id=uuid.uuid4(),
        role="user",
        lifetime=timedelta(seconds=-60),
        now=datetime.now(UTC),
    )
    with pytest.raises(security.TokenError):
        security.decode_access_token(token, secret=settings.secret())
