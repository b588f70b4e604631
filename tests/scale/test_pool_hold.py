"""Password hashing never holds a pooled database connection.

An argon2id hash is tens of milliseconds of CPU, and seconds of queueing when many sign-ins
wait for the hash threads. A request that sat on its connection meanwhile emptied the pool
under a burst of sign-ins and every other request waited for one (503 after the pool timeout).
These run against a real pool of one connection, with committed data (not the rolled-back test
transaction, which would hide the pool)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, text

from resumate.core import db as db_module
from resumate.core import security
from resumate.modules.users.models import User
from tests.factories import PASSWORD, unique_email

API = "/api/v1"
SLOW = 0.6  # seconds per hash: longer than the pool timeout below
OTHER_PASSWORD = "another long Passphrase 42"


@pytest.fixture
async def one_connection(
    app: Any, database_url: str, database: db_module.Database
) -> AsyncIterator[db_module.Database]:
    """The app on a pool of exactly one connection that gives up waiting after 0.4 s."""
    small = db_module.Database(database_url, pool_size=1, max_overflow=0, pool_timeout=0.4)
    db_module.set_database(small)
    emails: list[str] = []
    small.created_emails = emails  # type: ignore[attr-defined]
    try:
        yield small
    finally:
        db_module.set_database(database)
        async with small.sessionmaker() as session:
            # The requests here commit for real: their queued jobs (verification mail, CV
            # analysis) go with the accounts, or later tests would find them waiting.
            await session.execute(
                text(
                    "DELETE FROM procrastinate_jobs WHERE status = 'todo' AND ("
                    " args->>'to' = ANY(:emails) OR args->>'cv_id' IN ("
                    "  SELECT cvs.id::text FROM cvs JOIN users ON users.id = cvs.user_id"
                    "  WHERE users.email = ANY(:emails)))"
                ),
                {"emails": emails},
            )
            await session.execute(delete(User).where(User.email.in_(emails)))
            await session.commit()
        await small.dispose()


@pytest.fixture
def slow_hashing(
    monkeypatch: pytest.MonkeyPatch, one_connection: db_module.Database
) -> Iterator[list[tuple[str, int]]]:
    """Hashing and verifying take SLOW seconds; each records (what, connections checked out)."""
    seen: list[tuple[str, int]] = []
    real_hash: Callable[[str], str] = security.hash_password_sync
    real_verify: Callable[[str, str], tuple[bool, bool]] = security.verify_password_sync
    pool = one_connection.engine.pool

    def hash_sync(password: str) -> str:
        seen.append(("hash", pool.checkedout()))  # type: ignore[attr-defined]
        time.sleep(SLOW)
        return real_hash(password)

    def verify_sync(stored: str, password: str) -> tuple[bool, bool]:
        seen.append(("verify", pool.checkedout()))  # type: ignore[attr-defined]
        time.sleep(SLOW)
        return real_verify(stored, password)

    monkeypatch.setattr(security, "hash_password_sync", hash_sync)
    monkeypatch.setattr(security, "verify_password_sync", verify_sync)
    yield seen


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def _register(app: Any, small: db_module.Database) -> str:
    email = unique_email()
    small.created_emails.append(email)  # type: ignore[attr-defined]
    async with _client(app) as client:
        response = await client.post(
            f"{API}/auth/register", json={"email": email, "password": PASSWORD}
        )
    assert response.status_code == 201, response.text
    return email


async def _login(app: Any, email: str, password: str = PASSWORD) -> httpx.Response:
    async with _client(app) as client:
        return await client.post(f"{API}/auth/login", json={"email": email, "password": password})


async def test_register_hashes_with_no_connection_held(
    app: Any, one_connection: db_module.Database, slow_hashing: list[tuple[str, int]]
) -> None:
    await _register(app, one_connection)
    assert slow_hashing == [("hash", 0)]


async def test_concurrent_sign_ins_share_one_connection(
    app: Any, one_connection: db_module.Database, slow_hashing: list[tuple[str, int]]
) -> None:
    first = await _register(app, one_connection)
    second = await _register(app, one_connection)
    slow_hashing.clear()
    started = time.monotonic()
    answers = await asyncio.gather(
        _login(app, first),
        _login(app, second),
        _login(app, first, "a wrong password entirely"),
        _login(app, f"nobody-{uuid.uuid4().hex}@example.com"),  # the dummy verify still runs
    )
    assert [a.status_code for a in answers] == [200, 200, 401, 401], [a.text for a in answers]
    # Four verifies queued behind one another (SLOW each) while the pool's single connection,
    # with a 0.4 s wait limit, kept serving the other requests' queries.
    assert time.monotonic() - started >= 4 * SLOW * 0.9
    # (The connection may be out meanwhile: another sign-in's query, not the verifying one.)
    assert [what for what, _ in slow_hashing] == ["verify"] * 4


async def test_password_change_verifies_and_hashes_with_no_connection_held(
    app: Any, one_connection: db_module.Database, slow_hashing: list[tuple[str, int]]
) -> None:
    email = await _register(app, one_connection)
    async with _client(app) as client:
        assert (
            await client.post(f"{API}/auth/login", json={"email": email, "password": PASSWORD})
        ).status_code == 200
        slow_hashing.clear()
        csrf = client.cookies.get("csrf_token") or ""
        changing, signing_in = await asyncio.gather(
            client.post(
                f"{API}/users/me/password",
                json={"current_password": PASSWORD, "new_password": OTHER_PASSWORD},
                headers={"X-CSRF-Token": csrf},
            ),
            _login(app, email),
        )
    assert changing.status_code == 200, changing.text
    assert signing_in.status_code in (200, 401), signing_in.text  # before or after the change
    assert sorted(what for what, _ in slow_hashing) == ["hash", "verify", "verify"]
    slow_hashing.clear()
    async with _client(app) as client:
        assert (
            await client.post(
                f"{API}/auth/login", json={"email": email, "password": OTHER_PASSWORD}
            )
        ).status_code == 200
        response = await client.post(
            f"{API}/users/me/password",
            json={"current_password": OTHER_PASSWORD, "new_password": PASSWORD},
            headers={"X-CSRF-Token": client.cookies.get("csrf_token") or ""},
        )
    assert response.status_code == 200, response.text
    # Alone, each request is seen to hold nothing while it hashes.
    assert slow_hashing == [("verify", 0), ("verify", 0), ("hash", 0)]


# ---- other slow work done outside the database -------------------------------------------


async def _sign_in(client: httpx.AsyncClient, app: Any, small: db_module.Database) -> None:
    email = await _register(app, small)
    token = await client.post(f"{API}/auth/token", data={"username": email, "password": PASSWORD})
    assert token.status_code == 200, token.text
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"


async def test_pdf_render_holds_no_connection(
    app: Any, one_connection: db_module.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from resumate.modules.resumes import service as resume_service

    seen: list[int] = []
    real_render = resume_service._render

    async def render(*args: Any, **kwargs: Any) -> Any:
        seen.append(one_connection.engine.pool.checkedout())  # type: ignore[attr-defined]
        return await real_render(*args, **kwargs)

    monkeypatch.setattr(resume_service, "_render", render)
    async with _client(app) as client:
        await _sign_in(client, app, one_connection)
        made = await client.post(
            f"{API}/resumes", json={"title": "CV", "data": {"basics": {"name": "Ana Ñúñez"}}}
        )
        assert made.status_code == 201, made.text
        resume_id = made.json()["data"]["id"]
        first = await client.post(f"{API}/resumes/{resume_id}/pdf")
        again = await client.post(f"{API}/resumes/{resume_id}/pdf")
        usage = await client.get(f"{API}/billing/usage")
    assert first.status_code in (200, 201), first.text
    assert again.status_code in (200, 201), again.text
    assert seen == [0]  # rendered once (the second is the stored one), with no connection out
    counted = [q for q in usage.json()["data"] if q["quota"] == "pdf_renders"]
    assert [q["used"] for q in counted] == [1]  # the render is still counted, once


async def test_pdf_transaction_alone_commits_without_waiting_for_its_wal_flush(
    app: Any, one_connection: db_module.Database
) -> None:
    """The transaction that stores a new PDF (row, event, quota count) has synchronous_commit
    off once its row is in; the next transaction on the same pooled connection commits
    synchronously again."""
    from sqlalchemy import event

    seen: list[str] = []

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "INSERT INTO resume_pdfs" in statement:
            # The setting in force in this transaction, right after the row went in.
            probe = conn.connection.dbapi_connection.cursor()
            probe.execute("SHOW synchronous_commit")
            seen.append(probe.fetchone()[0])
            probe.close()

    engine = one_connection.engine.sync_engine
    event.listen(engine, "after_cursor_execute", after)
    try:
        async with _client(app) as client:
            await _sign_in(client, app, one_connection)
            made = await client.post(
                f"{API}/resumes", json={"title": "CV", "data": {"basics": {"name": "Zoë 李"}}}
            )
            resume_id = made.json()["data"]["id"]
            first = await client.post(f"{API}/resumes/{resume_id}/pdf")
            assert first.status_code == 201, first.text
            again = await client.post(f"{API}/resumes/{resume_id}/pdf")
            assert again.json()["data"]["reused"] is True
    finally:
        event.remove(engine, "after_cursor_execute", after)
    assert seen == ["off"]
    async with one_connection.sessionmaker() as session:
        shown = (await session.execute(text("SHOW synchronous_commit"))).scalar_one()
    assert shown == "on"


async def test_pdf_render_counted_in_the_rows_statement_without_billing(
    app: Any, one_connection: db_module.Database
) -> None:
    """Without billing (no limit to check) a new PDF's quota count goes into the statement of
    its row and event: one statement writes all three, and each new PDF counts once, a reused
    one not at all."""
    from sqlalchemy import event

    from resumate.modules.billing import service as billing_service

    assert billing_service.counts_without_limit("pdf_renders")
    writes: list[str] = []

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if "usage_counters" in statement and "INSERT" in statement:
            writes.append(statement)

    engine = one_connection.engine.sync_engine
    event.listen(engine, "after_cursor_execute", after)
    try:
        async with _client(app) as client:
            await _sign_in(client, app, one_connection)
            made = await client.post(
                f"{API}/resumes", json={"title": "CV", "data": {"basics": {"name": "Zoë 李"}}}
            )
            url = f"{API}/resumes/{made.json()['data']['id']}"
            first = await client.post(f"{url}/pdf")
            again = await client.post(f"{url}/pdf")
            changed = await client.patch(url, json={"data": {"basics": {"name": "Zoë Li"}}})
            assert changed.status_code == 200, changed.text
            second = await client.post(f"{url}/pdf")
            usage = await client.get(f"{API}/billing/usage")
    finally:
        event.remove(engine, "after_cursor_execute", after)
    assert [r.json()["data"]["reused"] for r in (first, again, second)] == [False, True, False]
    # Two counts, each in the statement that wrote the PDF's row and its event.
    assert len(writes) == 2
    assert all("INSERT INTO resume_pdfs" in w and "analytics_events" in w for w in writes)
    counted = [q["used"] for q in usage.json()["data"] if q["quota"] == "pdf_renders"]
    assert counted == [2]


async def test_new_pdf_takes_two_statements(app: Any, one_connection: db_module.Database) -> None:
    """A new PDF: the caller, the resume, its template and the stored-PDF lookup (by the
    data's digest) in one query outside a transaction, then the row, its event and the quota
    count in one statement; nothing else. A PDF already stored for the data: one query."""
    async with _client(app) as client:
        await _sign_in(client, app, one_connection)
        made = await client.post(
            f"{API}/resumes", json={"title": "CV", "data": {"basics": {"name": "Zoë 李"}}}
        )
        url = f"{API}/resumes/{made.json()['data']['id']}/pdf"
        seen, stop = _statements(one_connection.engine)
        try:
            first = await client.post(url)
        finally:
            stop()
        seen_again, stop = _statements(one_connection.engine)
        try:
            again = await client.post(url)
        finally:
            stop()
    assert first.status_code == 201, first.text
    assert len(seen) == 2, seen
    (principal, principal_status), (row, row_status) = seen
    assert "JOIN auth_sessions" in principal and "JOIN resumes" in principal
    assert "JOIN templates" in principal and "FROM resume_pdfs" in principal
    assert principal_status == "IDLE"  # read outside a transaction
    assert row.startswith("WITH new_pdf AS") and "usage_counters" in row
    assert row_status == "INTRANS"
    assert again.json()["data"]["reused"] is True
    assert [statement for statement, _ in seen_again] == [principal]


def _statements(engine: Any) -> tuple[list[tuple[str, str]], Callable[[], None]]:
    """(statement, transaction status of its connection right after it) for each statement
    ``engine`` runs from now on, and a function that stops recording. The status is IDLE for a
    statement run outside a transaction (no BEGIN and no COMMIT round trip), INTRANS inside
    one."""
    from sqlalchemy import event

    seen: list[tuple[str, str]] = []

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        status = conn.connection.driver_connection.info.transaction_status
        seen.append((" ".join(statement.split()), status.name))

    event.listen(engine.sync_engine, "after_cursor_execute", after)
    return seen, lambda: event.remove(engine.sync_engine, "after_cursor_execute", after)


async def test_resume_list_takes_one_statement_outside_a_transaction(
    app: Any, one_connection: db_module.Database
) -> None:
    """GET /resumes: the caller and the page of resumes in one query, no BEGIN or COMMIT."""
    async with _client(app) as client:
        await _sign_in(client, app, one_connection)
        for title in ("b", "a", "c"):
            made = await client.post(
                f"{API}/resumes", json={"title": title, "data": {"basics": {"name": "Zoë 李"}}}
            )
            assert made.status_code == 201, made.text
        seen, stop = _statements(one_connection.engine)
        try:
            listing = await client.get(f"{API}/resumes?sort=title&per_page=2")
        finally:
            stop()
    assert listing.status_code == 200, listing.text
    assert [r["title"] for r in listing.json()["data"]] == ["a", "b"]
    assert listing.json()["meta"]["pagination"]["total"] == 3
    assert len(seen) == 1, seen
    statement, status = seen[0]
    assert "JOIN auth_sessions" in statement and "FROM resumes" in statement
    assert status == "IDLE"


async def test_reading_one_resume_takes_one_statement_outside_a_transaction(
    app: Any, one_connection: db_module.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /resumes/{id} and its preview: the caller and the resume (and its template, for the
    preview) in one query, no BEGIN or COMMIT, and no connection held while the preview
    renders."""
    from resumate.modules.resumes import service as resume_service

    held: list[int] = []
    real_render = resume_service._render

    async def render(*args: Any, **kwargs: Any) -> Any:
        held.append(one_connection.engine.pool.checkedout())  # type: ignore[attr-defined]
        return await real_render(*args, **kwargs)

    monkeypatch.setattr(resume_service, "_render", render)
    async with _client(app) as client:
        await _sign_in(client, app, one_connection)
        made = await client.post(
            f"{API}/resumes", json={"title": "CV", "data": {"basics": {"name": "Zoë 李"}}}
        )
        url = f"{API}/resumes/{made.json()['data']['id']}"
        seen, stop = _statements(one_connection.engine)
        try:
            got = await client.get(url)
            one = list(seen)
            seen.clear()
            preview = await client.get(f"{url}/preview")
        finally:
            stop()
    assert got.status_code == 200, got.text
    assert got.json()["data"]["data"]["basics"]["name"] == "Zoë 李"
    assert len(one) == 1, one
    assert "JOIN auth_sessions" in one[0][0] and "JOIN resumes" in one[0][0]
    assert "templates" not in one[0][0] and one[0][1] == "IDLE"
    assert preview.status_code == 200, preview.text
    assert preview.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(seen) == 1, seen
    assert "JOIN resumes" in seen[0][0] and "JOIN templates" in seen[0][0]
    assert seen[0][1] == "IDLE"
    assert held == [0]


async def test_cv_upload_stores_the_file_with_no_connection_held(
    app: Any,
    one_connection: db_module.Database,
    monkeypatch: pytest.MonkeyPatch,
    storage: Any,
) -> None:
    seen: list[int] = []
    real_put = storage.put

    async def put(*args: Any, **kwargs: Any) -> Any:
        seen.append(one_connection.engine.pool.checkedout())  # type: ignore[attr-defined]
        return await real_put(*args, **kwargs)

    monkeypatch.setattr(storage, "put", put)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    async with _client(app) as client:
        await _sign_in(client, app, one_connection)
        made = await client.post(f"{API}/cvs", files={"file": ("cv.pdf", pdf, "application/pdf")})
    assert made.status_code == 201, made.text
    assert seen == [0]


async def test_job_creation_embeds_with_no_connection_held(
    app: Any, one_connection: db_module.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The description's embedding queues behind every other one (one inference at a time):
    under load that took seconds, with the connection and its transaction held meanwhile."""
    from resumate.modules.embeddings import service as embedding_service

    embedder = embedding_service.get_embedder()
    seen: list[int] = []
    real_embed = embedder.embed

    async def embed(texts: Any) -> Any:
        seen.append(one_connection.engine.pool.checkedout())  # type: ignore[attr-defined]
        return await real_embed(texts)

    monkeypatch.setattr(embedder, "embed", embed)
    description = (
        "Enfermera de UCI (m/f/d). Requisitos: tres años de experiencia en cuidados intensivos, "
        "certificación ACLS y BLS, historia clínica electrónica. Se valora: cuidado de heridas."
    )
    async with _client(app) as client:
        await _sign_in(client, app, one_connection)
        made = await client.post(
            f"{API}/jobs", json={"title": "Enfermera UCI", "description": description}
        )
        assert made.status_code == 201, made.text
        job_id = made.json()["data"]["id"]
        usage = await client.get(f"{API}/billing/usage")
    assert seen == [0]
    counted = [q for q in usage.json()["data"] if q["quota"] == "saved_jobs"]
    assert [q["used"] for q in counted] == [1]
    async with one_connection.sessionmaker() as session:
        stored = await embedding_service.get_vector(
            session, resource_type="job", resource_id=uuid.UUID(job_id), model=embedder.model
        )
    assert stored is not None and len(stored) == embedder.dim
