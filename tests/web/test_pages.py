"""The web pages through the ASGI client (no JavaScript): forms, CSRF, the editor's saves and
conflicts, headers. The browser tests (test_browser.py) drive the same pages in Chromium."""

from __future__ import annotations

import re

import httpx

from tests.factories import PASSWORD, register, unique_email


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the form"
    return match.group(1)


async def signup(client: httpx.AsyncClient, email: str | None = None) -> str:
    email = email or unique_email()
    form = await client.get("/signup")
    token = csrf_of(form.text)
    response = await client.post(
        "/signup",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "full_name": "Ada L"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/app?welcome=1"
    return email


async def test_landing_lists_templates_with_strict_csp(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    for name in ("Classic", "Modern", "Compact", "Academic"):
        assert name in response.text
    csp = response.headers["content-security-policy"]
    script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "unsafe-inline" not in script and "unsafe-eval" not in script
    assert "<script>" not in response.text  # only <script src=...>
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    thumbnails = re.findall(r'<img src="(/templates/[^"]+/preview\.png)"', response.text)
    assert len(thumbnails) >= 4
    for url in thumbnails:
        image = await client.get(url)
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


async def test_static_assets_are_versioned_and_cached(client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text
    htmx_url = re.search(r'src="(/static/[0-9a-f]{10}/vendor/htmx/htmx-[\d.]+\.min\.js)"', page)
    assert htmx_url, page[:500]
    response = await client.get(htmx_url.group(1))
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert response.headers["content-type"].startswith("text/javascript")
    assert b"htmx" in response.content[:200]
    stale = await client.get("/static/0000000000/app.css")
    assert stale.status_code == 200 and "immutable" not in stale.headers["cache-control"]
    escape = await client.get("/static/0000000000/%2e%2e%2f__init__.py")
    assert escape.status_code == 404


async def test_api_docs_are_served_offline(client: httpx.AsyncClient) -> None:
    for path, asset in (("/docs", "swagger-ui-bundle"), ("/redoc", "redoc-2.5.4.standalone")):
        response = await client.get(path)
        assert response.status_code == 200
        assert "cdn.jsdelivr" not in response.text and "https://" not in response.text
        url = re.search(rf'src="(/static/[^"]*{asset}[^"]*)"', response.text)
        assert url, response.text
        script = await client.get(url.group(1))
        assert script.status_code == 200 and len(script.content) > 100_000


async def test_forms_need_the_csrf_token(client: httpx.AsyncClient) -> None:
    await client.get("/signin")  # sets the csrf cookie
    refused = await client.post("/signin", data={"email": "a@example.com", "password": "x"})
    assert refused.status_code == 403
    assert "expired" in refused.text and "text/html" in refused.headers["content-type"]
    client.cookies.clear()
    email = await signup(client)
    client.cookies.delete("csrf_token")
    response = await client.post("/app/resumes", data={"title": "No token"})
    assert response.status_code in (303, 403)
    # A signed-in page without a valid token is refused, whatever else the form carries.
    await client.get("/app")
    bad = await client.post("/app/resumes", data={"title": "x", "csrf_token": "forged"})
    assert bad.status_code == 403, email


async def test_signin_errors_next_to_fields_and_redirect(client: httpx.AsyncClient) -> None:
    email = unique_email()
    await register(client, email)
    client.cookies.clear()
    anonymous = await client.get("/app/resumes")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/signin?next=/app/resumes")
    form = await client.get("/signin?next=/app/resumes")
    token = csrf_of(form.text)
    invalid = await client.post(
        "/signin", data={"csrf_token": token, "email": "nope", "password": ""}
    )
    assert invalid.status_code == 422 and 'class="field-error"' in invalid.text
    assert 'aria-invalid="true"' in invalid.text
    wrong = await client.post(
        "/signin", data={"csrf_token": token, "email": email, "password": "wrong password 123"}
    )
    assert wrong.status_code == 401 and "Wrong email or password" in wrong.text
    ok = await client.post(
        "/signin",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "next": "/app/resumes"},
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/app/resumes"
    assert (await client.get("/app/resumes")).status_code == 200
    offsite = await client.post(
        "/signin",
        data={
            "csrf_token": client.cookies["csrf_token"],
            "email": email,
            "password": PASSWORD,
            "next": "//evil.test/",
        },
    )
    assert offsite.headers["location"] == "/app"


async def test_signup_shows_duplicate_email_next_to_the_field(client: httpx.AsyncClient) -> None:
    email = await signup(client)
    client.cookies.clear()
    token = csrf_of((await client.get("/signup")).text)
    again = await client.post(
        "/signup", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert again.status_code == 409
    assert re.search(r'id="f-email-desc">An account with this email', again.text)


async def test_editor_saves_edits_and_structure_without_js(client: httpx.AsyncClient) -> None:
    await signup(client)
    token = client.cookies["csrf_token"]
    created = await client.post("/app/resumes", data={"csrf_token": token, "title": "Mine"})
    assert created.status_code == 303
    url = created.headers["location"]
    editor = await client.get(url)
    assert editor.status_code == 200
    etag = re.search(r'name="etag" value="([^"]+)"', editor.text).group(1)  # type: ignore[union-attr]
    base = {
        "csrf_token": token,
        "etag": etag.replace("&#34;", '"'),
        "title": "Mine",
        "basics.name": "Ada Lovelace",
        "basics.label": "Analyst",
        "work.count": "0",
        "op": "add:work",
    }
    added = await client.post(url, data=base)
    assert added.status_code == 303 and "#e-work.0" in added.headers["location"]
    page = (await client.get(url)).text
    assert 'name="work.0.position"' in page and 'value="Ada Lovelace"' in page
    etag = re.search(r'name="etag" value="([^"]+)"', page).group(1).replace("&#34;", '"')  # type: ignore[union-attr]
    form = {
        **base,
        "etag": etag,
        "op": "save",
        "work.count": "1",
        "work.0.position": "Engine designer",
        "work.0.name": "Analytical Engine Ltd",
        "work.0.startDate": "1842-07",
        "work.0.highlights.present": "1",
        "work.0.highlights.0": "Wrote the first program",
        "meta.language": "fr",
        "meta.paper": "us-letter",
    }
    saved = await client.post(url, data=form)
    assert saved.status_code == 303, saved.text
    exported = (await client.get(url + "/export")).json()
    assert exported["basics"]["name"] == "Ada Lovelace"
    assert exported["work"][0]["highlights"] == ["Wrote the first program"]
    assert exported["work"][0]["startDate"] == "1842-07"
    assert exported["meta"] == {"language": "fr", "paper": "us-letter"}
    # The old ETag is stale now: autosave reports a conflict and shows both versions.
    stale = await client.post(
        url + "/autosave",
        data={**form, "basics.name": "Someone else"},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 409
    assert "Someone else" in stale.text and "Ada Lovelace" in stale.text
    assert (await client.get(url + "/export")).json()["basics"]["name"] == "Ada Lovelace"
    # An invalid value is reported next to its field and nothing is saved.
    page = (await client.get(url)).text
    etag = re.search(r'name="etag" value="([^"]+)"', page).group(1).replace("&#34;", '"')  # type: ignore[union-attr]
    invalid = await client.post(url, data={**form, "etag": etag, "basics.email": "not an email"})
    assert invalid.status_code == 422
    assert re.search(r'id="f-basics-email-desc">[^<]*email', invalid.text)
    # Also inside an entry: the error sits under that entry's field.
    invalid = await client.post(url, data={**form, "etag": etag, "work.0.startDate": "spring"})
    assert invalid.status_code == 422
    assert re.search(
        r'aria-invalid="true"[^>]*>\s*<p class="field-error" id="f-work-0-startDate-desc">',
        invalid.text,
    )
    assert (await client.get(url + "/export")).json()["work"][0]["startDate"] == "1842-07"


async def test_every_page_renders_for_a_new_user(client: httpx.AsyncClient) -> None:
    await signup(client)
    for path in (
        "/app",
        "/app/resumes",
        "/app/cvs",
        "/app/jobs",
        "/app/settings",
        "/forgot-password",
    ):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        assert "<label" in response.text or path == "/app"
    missing = await client.get("/app/resumes/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


async def test_job_form_errors_and_requirements(client: httpx.AsyncClient) -> None:
    await signup(client)
    token = client.cookies["csrf_token"]
    short = await client.post(
        "/app/jobs",
        data={"csrf_token": token, "title": "X", "description": "short", "location_type": "remote"},
    )
    assert short.status_code == 422 and 'id="f-description-desc"' in short.text
    created = await client.post(
        "/app/jobs",
        data={
            "csrf_token": token,
            "title": "Backend engineer",
            "description": "We need a Python developer with PostgreSQL and Docker, 3+ years.",
            "location_type": "remote",
        },
    )
    assert created.status_code == 303
    job_url = created.headers["location"]
    page = await client.get(job_url)
    assert "Python" in page.text
    fixed = await client.post(
        job_url,
        data={
            "csrf_token": token,
            "required_skills": "Python, Kubernetes",
            "nice_to_have_skills": "",
            "min_experience_years": "4",
        },
    )
    assert fixed.status_code == 200 and "Requirements saved" in fixed.text
    assert "Kubernetes" in fixed.text


def spoil_access_token(client: httpx.AsyncClient) -> None:
    """Replace the access cookie (same domain and path, so the jar keeps one) with a bad one."""
    domain = next(c.domain for c in client.cookies.jar if c.name == "access_token")
    client.cookies.set("access_token", "expired.or.forged", domain=domain, path="/")


async def test_expired_access_token_is_refreshed(client: httpx.AsyncClient) -> None:
    await signup(client)
    spoil_access_token(client)
    page = await client.get("/app/resumes")
    assert page.status_code == 303
    assert page.headers["location"] == "/api/v1/auth/continue?next=/app/resumes"
    old_csrf = client.cookies["csrf_token"]
    resumed = await client.get(page.headers["location"])
    assert resumed.status_code == 303 and resumed.headers["location"] == "/app/resumes"
    assert (await client.get("/app/resumes")).status_code == 200
    assert client.cookies["csrf_token"] != old_csrf  # rotated with the tokens
    # htmx requests get a 401 that app.js answers with a refresh and a retry.
    spoil_access_token(client)
    partial = await client.post(
        "/app/resumes",
        data={"csrf_token": client.cookies["csrf_token"]},
        headers={"HX-Request": "true"},
    )
    assert partial.status_code == 401 and partial.headers["x-signin"].startswith("/signin?next=")
    assert partial.headers["hx-reswap"] == "none"
    # Without a refresh token, the continuation ends on the sign-in page.
    client.cookies.clear()
    client.cookies.set("csrf_token", "x")
    ended = await client.get("/api/v1/auth/continue?next=/app/jobs")
    assert ended.status_code == 303 and ended.headers["location"] == "/signin?next=/app/jobs"
    images = await client.get(
        "/app/resumes/00000000-0000-0000-0000-000000000000/preview.png",
        headers={"Sec-Fetch-Mode": "no-cors"},
    )
    assert images.headers["location"].startswith("/signin?next=")


async def test_plan_page_and_paypal_return_pages(client: httpx.AsyncClient) -> None:
    await signup(client)
    plan = await client.get("/app/plan")
    assert plan.status_code == 200
    assert "self-hosted" in plan.text and "Resumes" in plan.text
    token = client.cookies["csrf_token"]
    refused = await client.post("/app/plan/checkout", data={"csrf_token": token, "plan": "pro"})
    assert refused.status_code == 409 and 'class="flash error"' in refused.text
    dashboard = await client.get("/app")
    assert "PDF downloads this month" in dashboard.text
    for path in ("/billing/return", "/billing/cancelled"):
        assert (await client.get(path)).status_code == 200


async def test_notification_bell_and_page(client: httpx.AsyncClient, session) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from resumate.modules.notifications import service as notification_service
    from resumate.modules.users.models import User

    email = await signup(client)
    user = (await session.execute(select(User).where(User.email == email))).scalar_one()
    empty = await client.get("/app/notifications/bell")
    assert empty.status_code == 200 and "0 unread" in empty.text
    await notification_service.notify(
        session,
        user_id=user.id,
        kind="cv_analysis_ready",
        title="Your CV is analysed",
        body="Score 88",
        link="/app/cvs",
    )
    await session.flush()
    bell = await client.get("/app/notifications/bell")
    assert "1 unread" in bell.text and 'class="badge count-badge">1<' in bell.text
    listing = await client.get("/app/notifications")
    assert "Your CV is analysed" in listing.text
    note_id = re.search(r"/app/notifications/([0-9a-f-]{36})/open", listing.text).group(1)  # type: ignore[union-attr]
    opened = await client.post(
        f"/app/notifications/{note_id}/open", data={"csrf_token": client.cookies["csrf_token"]}
    )
    assert opened.status_code == 303 and opened.headers["location"] == "/app/cvs"
    assert "0 unread" in (await client.get("/app/notifications/bell")).text
