"""Every signed-in tab's bell holds a notification stream open: ``resumate serve`` must still
stop on SIGTERM (uvicorn otherwise waits for every stream, that is for every browser, to end)."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx

from tests.factories import PASSWORD
from tests.test_cli import start_serve


def test_serve_stops_with_a_notification_stream_open(tmp_path: Path) -> None:
    served = start_serve(tmp_path, tmp_path / "data")
    try:
        served.wait_ready()
        client = httpx.Client(base_url=served.base_url, timeout=30)
        registered = client.post(
            "/api/v1/auth/register", json={"email": "bell@example.com", "password": PASSWORD}
        )
        assert registered.status_code == 201, registered.text
        connected = threading.Event()

        def listen() -> None:
            try:
                with client.stream("GET", "/api/v1/notifications/stream") as response:
                    for line in response.iter_lines():
                        if line.startswith(": connected"):
                            connected.set()
            except httpx.HTTPError:
                pass  # the server went away: what this test wants

        reader = threading.Thread(target=listen, daemon=True)
        reader.start()
        assert connected.wait(30), served.output()
        # A hang here (not a duration) is the failure: terminate() kills it after 60 s.
        assert served.terminate(timeout=60) == 0
        reader.join(10)
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
