"""Oversized and early-answered bodies reach every common Python client as an answer, not a
connection reset: ``requests``, ``httpx`` and ``urllib`` against a real uvicorn server."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests
import uvicorn

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server(app: Any) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_config=None, access_log=False
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert instance.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(30)


def multipart(size: int) -> tuple[bytes, str]:
    boundary = "robustness-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    body = head + b"%PDF-1.7\n" + b"0" * size + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def chunks(data: bytes, size: int = 256 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def with_requests(url: str, body: bytes, content_type: str, chunked: bool) -> tuple[int, dict]:
    payload: Any = chunks(body) if chunked else body
    response = requests.post(url, data=payload, headers={"Content-Type": content_type}, timeout=60)
    return response.status_code, response.json()


def with_httpx(url: str, body: bytes, content_type: str, chunked: bool) -> tuple[int, dict]:
    payload: Any = chunks(body) if chunked else body
    response = httpx.post(url, content=payload, headers={"Content-Type": content_type}, timeout=60)
    return response.status_code, response.json()


def with_urllib(url: str, body: bytes, content_type: str, chunked: bool) -> tuple[int, dict]:
    payload: Any = chunks(body) if chunked else body
    headers = {"Content-Type": content_type}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
    request = urllib.request.Request(url, data=payload, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


CLIENTS = {"requests": with_requests, "httpx": with_httpx, "urllib": with_urllib}


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_eleven_megabyte_upload_gets_the_413_envelope(
    server: str, client: str, chunked: bool
) -> None:
    body, content_type = multipart(11 * MB)
    status, payload = CLIENTS[client](f"{server}/api/v1/cvs", body, content_type, chunked)
    assert status == 413
    assert payload["success"] is False
    assert payload["error"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_oversized_json_gets_the_413_envelope(server: str, client: str) -> None:
    body = json.dumps({"title": "x", "description": "y" * (3 * MB)}).encode()
    status, payload = CLIENTS[client](f"{server}/api/v1/jobs", body, "application/json", False)
    assert status == 413 and payload["error"]["code"] == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_an_answer_given_before_reading_the_body_is_received(server: str, client: str) -> None:
    body = b"{" + b" " * (MB + 512 * 1024) + b"}"
    status, payload = CLIENTS[client](
        f"{server}/api/v1/no-such-route", body, "application/json", False
    )
    assert status == 404 and payload["error"]["code"] == "NOT_FOUND"


def test_the_connection_stays_usable_after_an_early_answer(server: str) -> None:
    with requests.Session() as session:
        body = b"{" + b" " * (MB + 512 * 1024) + b"}"
        first = session.post(f"{server}/api/v1/no-such-route", data=body, timeout=60)
        assert first.status_code == 404
        second = session.get(f"{server}/health", timeout=60)
        assert second.status_code == 200 and second.json() == {"status": "ok"}
