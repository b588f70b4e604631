"""Browser tests: a real ``resumate serve`` (own database in the session's embedded PostgreSQL,
own data dir, in-process worker) driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from resumate.core.migrations import upgrade
from resumate.core.pgserver import EmbeddedServer, _ensure_database
from tests.conftest import require_service

WEB_DATABASE = "resumate_web"
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
# docs/ui/ gets a screenshot of every page at both widths when this is set (see README).
SCREENSHOTS = os.environ.get("RESUMATE_UI_SCREENSHOTS")
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 780}


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    timings: dict[str, list[float]] = field(default_factory=dict)


@pytest.fixture(scope="session")
def live_server(
    pg_server: EmbeddedServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    _ensure_database(pg_server, WEB_DATABASE)
    database_url = pg_server.url(WEB_DATABASE)
    upgrade(database_url)
    data_dir = tmp_path_factory.mktemp("web-server")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RESUMATE_ENV": "development",
        "RESUMATE_DATA_DIR": str(data_dir),
        "RESUMATE_PUBLIC_URL": url,
        "RESUMATE_RUN_WORKER_IN_PROCESS": "true",
        "RESUMATE_RENDER_WORKERS": "1",
        "RESUMATE_LOG_JSON": "true",
        "RESUMATE_LOG_LEVEL": "warning",
    }
    env.pop("REDIS_URL", None)
    log = data_dir / "server.log"
    command = [str(Path(sys.executable).parent / "resumate"), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = LiveServer(url=url, process=process, log=log)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"resumate serve exited: {log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"resumate serve did not get ready: {log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Module scope: Playwright's sync API keeps an event loop running in this thread while it is
# open, and the async tests of other modules need the thread's loop to themselves.
@pytest.fixture(scope="module")
def browser(live_server: LiveServer) -> Iterator[Any]:
    executable = chromium_path()
    require_service("chromium", executable is not None, "apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev dependency
        require_service("playwright", False, "pip install playwright")
        raise
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


class Checker:
    """Per page: no CSP violation or script error reported in the console, and axe-core finds
    no serious or critical accessibility violation."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        # Kept for failure messages (401s and 409s are expected in some steps).
        page.failed_responses = []
        page.on(
            "response",
            lambda r: (
                page.failed_responses.append(f"{r.request.method} {r.url} {r.status}")
                if r.status >= 400
                else None
            ),
        )

    def _console(self, message: Any) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.problems.append(text)

    def axe(self, label: str) -> None:
        # Through the DevTools protocol: the page's own CSP (no inline scripts) stays in force.
        self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' -> ' +
                         v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
            }"""
        )
        assert violations == [], f"axe on {label}: {json.dumps(violations, indent=1)}"
        assert self.problems == [], f"console on {label}: {self.problems}"
        self.fits_a_phone(label)

    def fits_a_phone(self, label: str) -> None:
        """At 375 px wide nothing sticks out sideways (the page never scrolls horizontally)."""
        original = self.page.viewport_size
        self.page.set_viewport_size(PHONE)
        try:
            wide = self.page.evaluate(
                """() => {
                    const width = document.documentElement.clientWidth;
                    if (document.documentElement.scrollWidth <= width + 1) return [];
                    return [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > width + 1)
                        .slice(0, 5)
                        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                             (e.className && typeof e.className === 'string'
                                 ? '.' + e.className.split(' ').join('.') : '') +
                             ' ' + Math.round(e.getBoundingClientRect().right) + 'px');
                }"""
            )
        finally:
            self.page.set_viewport_size(original)
        assert wide == [], f"{label} is wider than a 375 px phone: {wide}"

    def shoot(self, name: str) -> None:
        """Screenshots at desktop and phone width (only when RESUMATE_UI_SCREENSHOTS is set)."""
        if not SCREENSHOTS:
            return
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        original = self.page.viewport_size
        # Sticky bars would be painted mid-page in a full-page capture.
        self.page.add_style_tag(
            content=".topbar,.savebar,.editor-side{position:static!important;max-height:none!important}"
        )
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            self.page.wait_for_timeout(150)
            self.page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
        self.page.set_viewport_size(original)
