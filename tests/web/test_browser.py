"""Every main flow in a real Chromium against a real ``resumate serve``: sign up, build a resume
and download its PDF, upload a CV and turn it into a resume, add a job and see the matches,
revoke a session. Each page is checked with axe-core and for CSP violations."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.cvs.files import make_docx
from tests.factories import PASSWORD, unique_email
from tests.rendering.conftest import pdf_text
from tests.web.conftest import DESKTOP, Checker, LiveServer

pytestmark = pytest.mark.timeout(240)

WAIT = 60_000  # ms: generous, the machine is shared (load average above 10 at times)


@pytest.fixture
def context(browser: Any) -> Any:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(WAIT)
    yield context
    context.close()


def sign_up(page: Any, server: LiveServer, name: str) -> str:
    email = unique_email("web")
    page.goto(server.url + "/signup")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/app?welcome=1")
    return email


def sign_in(page: Any, server: LiveServer, email: str) -> None:
    page.goto(server.url + "/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/app")


def wait_until(page: Any, predicate: str, arg: Any = None, timeout: float = WAIT / 1000) -> None:
    """Poll a JS predicate through page.evaluate: Playwright's wait_for_function compiles its
    predicate with eval, which the pages' CSP (rightly) forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {predicate}")
        time.sleep(0.05)


def wait_saved(page: Any) -> None:
    """Until the editor says saved; on a timeout, say what it showed and which requests failed."""
    try:
        page.locator("#save-status .state.saved").wait_for()
    except Exception as exc:
        status = page.locator("#save-status").inner_text()
        failed = getattr(page, "failed_responses", [])
        raise AssertionError(f"not saved: status {status!r}, failed responses {failed}") from exc


def settle(page: Any) -> None:
    """Past the autosave debounce, until nothing is in flight and the state says saved."""
    page.wait_for_timeout(250)
    wait_until(page, "() => !document.querySelector('.htmx-request')")
    wait_saved(page)


# An init script (the DevTools protocol: not subject to the pages' CSP) that stops the bell's
# 15-second polling and counts its attempts in window.bellPolls.
NO_BELL_POLLING = """
window.bellPolls = 0;
const realSetInterval = window.setInterval;
window.setInterval = function (callback, ms, ...rest) {
    if (ms === 15000) { window.bellPolls += 1; return 0; }
    return realSetInterval.call(window, callback, ms, ...rest);
};
"""


def bell_count(page: Any) -> int:
    """The unread count the bell shows (0 when it shows no badge)."""
    badge = page.locator("#bell .count-badge")
    return int(badge.inner_text()) if badge.count() else 0


def preview_src(page: Any) -> str:
    return str(page.locator("#preview-img").get_attribute("src"))


def wait_for_new_preview(page: Any, previous: str) -> float:
    """Until the preview shows a new rendering; returns the seconds it took."""
    started = time.monotonic()
    wait_until(
        page,
        """(previous) => {
            const img = document.querySelector('#preview-img');
            return !!img && img.getAttribute('src') !== previous && img.complete
                && img.naturalWidth > 0;
        }""",
        previous,
    )
    wait_saved(page)
    return time.monotonic() - started


def test_public_pages(context: Any, live_server: LiveServer) -> None:
    page = context.new_page()
    checker = Checker(page)
    page.goto(live_server.url + "/")
    page.locator(".template-card img").first.wait_for()
    assert page.locator(".template-card").count() >= 4
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    wait_until(page, "() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    checker.axe("landing")
    checker.shoot("landing")
    for path, name in (
        ("/signin", "signin"),
        ("/signup", "signup"),
        ("/forgot-password", "forgot"),
    ):
        page.goto(live_server.url + path)
        checker.axe(name)
        checker.shoot(name)
    # The pages mailed links open (a form around the token; a message without one).
    for path in ("/reset-password?token=from-the-mail", "/verify-email?token=x", "/reset-password"):
        page.goto(live_server.url + path)
        checker.axe(path)
    # Keyboard: the first Tab reaches the skip link, which moves focus to the content; the next
    # Tab goes on from there (no positive tabindex anywhere: axe checks it).
    page.goto(live_server.url + "/signin")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "f-email"
    page.keyboard.type("nobody@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    page.locator(".field-error, .flash.error").first.wait_for()
    checker.axe("signin-error")
    # The API docs work offline: Swagger UI and ReDoc come from the package.
    page.goto(live_server.url + "/docs")
    page.get_by_text("Resumate API").first.wait_for()
    page.locator(".opblock").first.wait_for()
    assert checker.problems == [], checker.problems
    page.goto(live_server.url + "/redoc")
    page.locator("[role=navigation], .menu-content").first.wait_for()
    # ReDoc's bundle always adds Redocly's logo from its CDN; the CSP blocks it (offline-safe),
    # and that is the only report allowed.
    assert all("cdn.redoc.ly" in p for p in checker.problems), checker.problems


def test_build_preview_and_download_a_resume(context: Any, live_server: LiveServer) -> None:
    page = context.new_page()
    checker = Checker(page)
    sign_up(page, live_server, "Grace Hopper")
    checker.axe("dashboard")
    checker.shoot("dashboard")

    page.get_by_role("link", name="Resumes", exact=True).click()
    page.get_by_label("Title of the new resume").fill("Browser resume")
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url("**/app/resumes/*")
    page.locator("#preview-img").wait_for()

    before = preview_src(page)
    page.locator('[name="basics.name"]').fill("Grace Brewster Hopper")
    page.locator('[name="basics.label"]').fill("Rear admiral and computer scientist")
    first = wait_for_new_preview(page, before)

    page.get_by_role("button", name="+ Add to Work experience").click()
    page.locator('[name="work.0.position"]').fill("Compiler pioneer")
    page.locator('[name="work.0.name"]').fill("Remington Rand")
    page.locator('[name="work.0.startDate"]').fill("1949-06")
    page.get_by_role("button", name="+ Add a highlight").click()
    before = preview_src(page)
    page.locator('[name="work.0.highlights.0"]').fill("Wrote the A-0 compiler")
    second = wait_for_new_preview(page, before)
    live_server.timings.setdefault("preview_s", []).extend([first, second])
    print(f"preview updated {first:.2f}s / {second:.2f}s after the last keystroke")

    # Reorder: a second entry moved above the first.
    page.get_by_role("button", name="+ Add to Work experience").click()
    page.locator('[name="work.1.position"]').fill("Programmer")
    settle(page)
    page.get_by_role("button", name="Move entry 2 of Work experience up").click()
    wait_until(
        page, "() => document.querySelector('[name=\"work.0.position\"]').value === 'Programmer'"
    )
    # Template picker with thumbnails and the language picker.
    page.get_by_label("Modern").check()
    page.get_by_label("Language", exact=True).select_option("fr")
    settle(page)
    checker.axe("editor")
    checker.shoot("editor")

    page.wait_for_load_state("networkidle")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("Grace Brewster Hopper", "Compiler pioneer", "Wrote the A-0 compiler"):
        assert expected in text, text[:500]
    assert text.index("Programmer") < text.index("Compiler pioneer")

    # Sharing: the public link works and the chart is there.
    page.get_by_role("button", name="Share a public link").click()
    link = page.get_by_label("Public link").input_value()
    public = context.new_page()
    public.goto(link)
    assert "Grace Brewster Hopper" in public.content()
    public.close()

    # A second tab edits the same resume: the first one sees a conflict with both versions.
    other = context.new_page()
    other.goto(page.url)
    other.locator('[name="basics.label"]').fill("Edited in another tab")
    settle(other)
    page.locator('[name="basics.label"]').fill("Edited in the first tab")
    page.locator("#conflict .conflict").wait_for()
    conflict = page.locator("#conflict").inner_text()
    assert "Edited in another tab" in conflict and "Edited in the first tab" in conflict
    page.get_by_role("button", name="Keep my version").click()
    wait_until(page, "() => !document.querySelector('#conflict .conflict')")
    other.reload()
    assert other.locator('[name="basics.label"]').input_value() == "Edited in the first tab"
    other.close()

    # The access token runs out while typing: app.js refreshes the tokens and saves anyway.
    context.add_cookies(
        [{"name": "access_token", "value": "expired.or.forged", "url": live_server.url}]
    )
    page.locator('[name="basics.summary"]').fill("Saved after a token refresh")
    settle(page)
    wait_until(
        page,
        """async (url) => {
            const data = await (await fetch(url)).json();
            return (data.basics || {}).summary === 'Saved after a token refresh';
        }""",
        page.url + "/export",
    )
    assert "/app/resumes/" in page.url  # never sent to the sign-in page

    # Another page of the preview (past the end shows the first page).
    page.get_by_label("Page", exact=True).fill("2")
    page.get_by_label("Page", exact=True).dispatch_event("change")
    wait_until(page, "() => document.querySelector('#preview-img').src.includes('page=2')")
    assert checker.problems == [], checker.problems


def test_an_edit_made_during_the_form_swap_is_saved(context: Any, live_server: LiveServer) -> None:
    """An add/remove/move button replaces the whole form (htmx, outerHTML), and htmx sets up
    the new form's attributes only when the swap settles (20 ms later). An edit made in that
    window must still be autosaved: here it is typed the moment the new form is in the page."""
    page = context.new_page()
    checker = Checker(page)
    sign_up(page, live_server, "Swap Race")
    page.goto(live_server.url + "/app/resumes")
    page.get_by_label("Title of the new resume").fill("Race")
    page.get_by_role("button", name="Create", exact=True).click()
    page.wait_for_url("**/app/resumes/*")
    editor_url = page.url.split("?")[0].split("#")[0]
    for round_ in range(3):
        page.evaluate(
            """(value) => {
                const main = document.querySelector('#editor-main');
                const observer = new MutationObserver(() => {
                    const field = document.querySelector('[name="basics.label"]');
                    if (!field || field.value === value) return;
                    observer.disconnect();
                    field.value = value;
                    field.dispatchEvent(new Event('input', {bubbles: true}));
                });
                observer.observe(main, {childList: true});
            }""",
            f"Typed during swap {round_}",
        )
        page.get_by_role("button", name="+ Add to Work experience").click()
        wait_until(
            page,
            """async ([url, value]) => {
                const data = await (await fetch(url + '/export')).json();
                return (data.basics || {}).label === value;
            }""",
            [editor_url, f"Typed during swap {round_}"],
            timeout=30,
        )
        settle(page)
    assert page.locator('[name="work.2.position"]').count() == 1
    assert checker.problems == [], checker.problems


def test_cv_analysis_resume_and_job_matches(context: Any, live_server: LiveServer) -> None:
    # The bell's polling (every 15 s) cannot run in this browser: the count must come live.
    context.add_init_script(NO_BELL_POLLING)
    page = context.new_page()
    checker = Checker(page)
    sign_up(page, live_server, "Maria Fernández")
    # A second tab left open on the dashboard: its bell must count the analysis notification
    # without a reload, from the live stream (one of the two tabs holds it, and tells the other).
    watcher = context.new_page()
    watcher_checker = Checker(watcher)
    watcher.goto(live_server.url + "/app")
    wait_until(
        watcher, "() => ['live', 'follower'].includes(document.documentElement.dataset.bell)"
    )
    unread_before = bell_count(watcher)
    page.get_by_role("link", name="CV analysis").click()
    page.wait_for_url("**/app/cvs")
    checker.axe("cvs")
    # Dropping a file that is not a CV: the refusal shows next to the file field.
    page.evaluate(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(['just text'], 'notes.txt', {type: 'text/plain'}));
            const zone = document.querySelector('[data-dropzone]');
            zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true}));
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true}));
        }"""
    )
    page.locator("#cv-file-error").wait_for()
    assert "PDF" in page.locator("#cv-file-error").inner_text()
    page.locator("#cv-file").set_input_files(
        files=[
            {
                "name": "maria.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "buffer": make_docx(),
            }
        ]
    )
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url("**/app/cvs/*")
    page.locator("[data-testid=cv-score]").wait_for(timeout=90_000)
    assert page.locator(".chip").count() > 3
    assert "ATS checks" in page.content()
    checker.axe("cv")
    checker.shoot("cv")
    wait_until(
        watcher,
        """(before) => {
            const badge = document.querySelector('#bell .count-badge');
            return !!badge && parseInt(badge.textContent, 10) > before;
        }""",
        unread_before,
        timeout=45,
    )
    unread = bell_count(watcher)
    for tab in (page, watcher):
        assert tab.evaluate("() => window.bellPolls") == 0  # nothing fell back to polling
    watcher.locator("#bell").click()
    watcher.wait_for_url("**/app/notifications")
    item = watcher.locator(".list-item.unread", has_text="Your CV has been analysed")
    assert "maria.docx" in item.inner_text()
    watcher_checker.axe("notifications")
    watcher_checker.shoot("notifications")
    item.get_by_role("button", name="Your CV has been analysed").click()
    watcher.wait_for_url("**/app/cvs/*")
    assert bell_count(watcher) == unread - 1
    watcher.close()

    page.get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_label("Job title").fill("ICU Nurse")
    page.get_by_label("Company").fill("Hospital Central")
    page.get_by_label("On site").check()
    page.get_by_label("The job ad").fill(
        "We are hiring a registered nurse for our intensive care unit. Requirements: patient "
        "care, ACLS, triage, medication administration; 5+ years of ICU experience."
    )
    page.get_by_role("button", name="Save the job").click()
    page.wait_for_url("**/app/jobs/*")
    matches = page.locator(".match")
    matches.first.wait_for()
    assert "maria" in matches.first.inner_text().lower()
    checker.axe("job")
    checker.shoot("job")
    page.get_by_label("Required skills (extracted)").fill("Patient care, ACLS, Triage, Kubernetes")
    page.get_by_role("button", name="Save the requirements").click()
    page.get_by_text("Requirements saved.").wait_for()
    assert "Kubernetes" in page.locator(".match").first.inner_text()
    page.get_by_role("button", name="Detailed report →").first.click()
    page.wait_for_url("**/app/match")
    page.get_by_text("Missing skills").wait_for()
    assert page.get_by_role("heading", name="Suggestions").is_visible()
    checker.axe("match")
    checker.shoot("match")
    # Another pair from the compare form (also a POST with the CSRF token).
    page.get_by_role("link", name="Compare another pair").click()
    page.wait_for_url("**/app/match")
    checker.axe("match-form")
    page.locator("#f-cv_id").select_option(index=1)
    page.locator("#f-job_id").select_option(index=1)
    page.get_by_role("button", name="Show the report").click()
    page.get_by_text("Missing skills").wait_for()

    page.get_by_role("link", name="CV analysis").click()
    page.locator(".list-item a").first.click()
    page.get_by_role("button", name="Create a resume from this CV").click()
    page.wait_for_url("**/app/resumes/*")
    assert "Fern" in page.locator('[name="basics.name"]').input_value()
    assert page.locator('[name="work.0.position"]').count() == 1
    page.goto(live_server.url + "/app/jobs")
    checker.axe("jobs")
    checker.shoot("jobs")
    page.goto(live_server.url + "/app/cvs")
    checker.shoot("cvs")
    page.goto(live_server.url + "/app/resumes")
    checker.axe("resumes")
    checker.shoot("resumes")
    assert checker.problems == [], checker.problems


def test_the_bell_polls_when_the_stream_is_refused_or_missing(
    browser: Any, live_server: LiveServer
) -> None:
    """The stream refused (here a 503): the bell falls back to reading its count every 15 s.
    A browser without EventSource polls from the start."""
    refused = browser.new_context(viewport=DESKTOP)
    bare = browser.new_context(viewport=DESKTOP)
    refused.set_default_timeout(WAIT)
    bare.set_default_timeout(WAIT)
    try:
        refused.route(
            "**/api/v1/notifications/stream",
            lambda route: route.fulfill(status=503, body="busy"),
        )
        page = refused.new_page()
        checker = Checker(page)
        email = sign_up(page, live_server, "Poll Ing")
        wait_until(page, "() => document.documentElement.dataset.bell === 'polling'")
        page.goto(live_server.url + "/app/resumes")
        page.get_by_label("Title of the new resume").fill("Seen")
        page.get_by_role("button", name="Create", exact=True).click()
        page.wait_for_url("**/app/resumes/*")
        page.get_by_role("button", name="Share a public link").click()
        link = page.get_by_label("Public link").input_value()
        wait_until(page, "() => document.documentElement.dataset.bell === 'polling'")
        before = bell_count(page)
        viewer = browser.new_page()
        viewer.goto(link)  # the owner hears of the first view of the day
        viewer.close()
        wait_until(
            page,
            """(before) => {
                const badge = document.querySelector('#bell .count-badge');
                return !!badge && parseInt(badge.textContent, 10) > before;
            }""",
            before,
            timeout=60,  # the next poll comes within 15 s
        )
        # The 503 answers are the only console errors allowed (EventSource reports them).
        assert all("notifications/stream" in p or "503" in p for p in checker.problems)

        bare.add_init_script("delete window.EventSource;")
        other = bare.new_page()
        sign_in(other, live_server, email)
        wait_until(other, "() => document.documentElement.dataset.bell === 'polling'")
        other.locator("#bell .count-badge").wait_for()
        assert bell_count(other) >= 1
    finally:
        refused.close()
        bare.close()


def test_revoking_a_session_signs_that_browser_out(browser: Any, live_server: LiveServer) -> None:
    first = browser.new_context(viewport=DESKTOP)
    second = browser.new_context(viewport=DESKTOP, user_agent="Second browser/1.0")
    try:
        page = first.new_page()
        checker = Checker(page)
        email = sign_up(page, live_server, "Alan Turing")
        other = second.new_page()
        sign_in(other, live_server, email)
        page.get_by_role("link", name="Settings").click()
        page.wait_for_url("**/app/settings")
        checker.axe("settings")
        checker.shoot("settings")
        row = page.locator("li[data-session]", has_text="Second browser/1.0")
        row.get_by_role("button", name="Sign out").click()
        page.get_by_text("Session signed out.").wait_for()
        assert page.locator("li[data-session]", has_text="Second browser/1.0").count() == 0
        # The revoked browser's open /app page may notice first: its bell's next request gets
        # a 401 and app.js sends the page to sign in, interrupting this navigation. Either way
        # it must end on the sign-in page.
        try:
            other.goto(live_server.url + "/app")
        except Exception as exc:
            if "interrupted by another navigation" not in str(exc):
                raise
        other.wait_for_url("**/signin?next=/app")
        # Waited for, not checked at once: when both navigations happen, the URL matches on the
        # first while the second (the same redirect) is still loading the page again.
        other.get_by_role("button", name="Sign in").wait_for(state="visible", timeout=15_000)
        assert other.url.endswith("/signin?next=/app")
        # The first browser is still signed in.
        page.goto(live_server.url + "/app")
        assert page.url.endswith("/app")
        page.get_by_role("link", name="Plan", exact=True).click()
        page.wait_for_url("**/app/plan")
        page.get_by_text("PDF downloads this month").wait_for()
        checker.axe("plan")
        checker.shoot("plan")
    finally:
        first.close()
        second.close()


def test_core_forms_work_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_up(page, live_server, "No Script")
        page.goto(live_server.url + "/app/resumes")
        page.get_by_label("Title of the new resume").fill("Plain form")
        page.get_by_role("button", name="Create", exact=True).click()
        page.wait_for_url("**/app/resumes/*")
        page.locator('[name="basics.label"]').fill("Typed without scripts")
        page.get_by_role("button", name="+ Add to Education").click()
        page.wait_for_url("**#e-education.0")
        page.locator('[name="education.0.institution"]').fill("Open University")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_load_state()
        assert page.locator('[name="basics.label"]').input_value() == "Typed without scripts"
        assert page.locator('[name="education.0.institution"]').input_value() == "Open University"
    finally:
        context.close()
