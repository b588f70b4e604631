"""A small real HTTP server that speaks Ollama's wire format, for tests.

It runs uvicorn in a background thread on 127.0.0.1 with a free port::

    with FakeOllama(models=["llama3.1:8b"]) as fake:
        fake.chat_replies.append('{"summary": "..."}')
        client = OllamaClient(fake.url, timeout=2, retries=1)

Endpoints (shapes as documented for Ollama's native API):

* ``GET /api/tags`` -> ``{"models": [{name, model, modified_at, size, digest, details}]}``
* ``POST /api/chat`` -> with ``stream`` false one JSON object; otherwise (Ollama's default)
  ``application/x-ndjson`` lines with ``message.content`` pieces and a final ``done: true``
  object carrying ``done_reason`` and the duration/count statistics. The reply content is the
  next string of ``chat_replies`` (the test writes the JSON a schema-constrained model would
  produce), else ``default_reply``.
* ``POST /api/embed`` -> ``{"model", "embeddings": [[...]], "total_duration", ...}`` for a
  string or a list ``input``; vectors are deterministic functions of the text.

Error modes the tests switch on: ``fail_next`` (answer that many requests with ``fail_status``
and Ollama's ``{"error": ...}`` body), ``delay`` (seconds to wait before answering), a model not
in ``models`` (404 ``{"error": "model \\"x\\" not found, try pulling it first"}``), and
``stream_error`` (an ``{"error": ...}`` line in the middle of a stream). Every request body is
kept in ``requests`` for assertions.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def fake_vector(text: str, dim: int) -> list[float]:
    """A deterministic, unnormalised vector for ``text`` (what the fake embed returns)."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    rng = np.random.default_rng(seed)
    return [round(float(x), 6) for x in rng.normal(0.0, 0.5, dim)]


class FakeOllama:
    def __init__(
        self,
        models: list[str] | None = None,
        *,
        embed_dim: int = 768,
        chunk_chars: int = 7,
    ) -> None:
        self.models = list(models if models is not None else ["llama3.1:8b", "nomic-embed-text"])
        self.embed_dim = embed_dim
        self.chunk_chars = chunk_chars
        self.chat_replies: deque[str] = deque()
        self.default_reply = "Hello! How can I help you today?"
        self.fail_next = 0
        self.fail_status = 500
        self.fail_message = "llama runner process has terminated: exit status 2"
        self.delay = 0.0
        # client ports of the requests being held by ``delay`` (a test finds who is waiting)
        self.waiting_ports: set[int] = set()
        self.stream_error: str | None = None
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self._lock = threading.Lock()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeOllama:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            self._app(),
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the fake Ollama server did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- helpers for tests ------------------------------------------------------------------

    def requests_to(self, path: str) -> list[dict[str, Any]]:
        with self._lock:
            return [body for p, body in self.requests if p == path]

    # --- the app ----------------------------------------------------------------------------

    def _app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/tags", self._tags, methods=["GET"]),
                Route("/api/chat", self._chat, methods=["POST"]),
                Route("/api/embed", self._embed, methods=["POST"]),
            ]
        )

    async def _common(self, request: Request) -> tuple[dict[str, Any], Response | None]:
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return {}, JSONResponse({"error": "invalid character in request body"}, 400)
        with self._lock:
            self.requests.append((request.url.path, body))
            failing = self.fail_next > 0
            if failing:
                self.fail_next -= 1
        if self.delay:
            port = request.client.port if request.client else 0
            with self._lock:
                self.waiting_ports.add(port)
            try:
                await asyncio.sleep(self.delay)
            finally:
                with self._lock:
                    self.waiting_ports.discard(port)
        if failing:
            return body, JSONResponse({"error": self.fail_message}, self.fail_status)
        return body, None

    def _missing_model(self, body: dict[str, Any]) -> Response | None:
        model = body.get("model")
        if not model:
            return JSONResponse({"error": "model is required"}, 400)
        names = set(self.models) | {m.removesuffix(":latest") for m in self.models}
        if model not in names:
            return JSONResponse({"error": f'model "{model}" not found, try pulling it first'}, 404)
        return None

    async def _tags(self, request: Request) -> Response:
        _, error = await self._common(request)
        if error is not None:
            return error
        models = []
        for name in self.models:
            full = name if ":" in name else f"{name}:latest"
            digest = hashlib.sha256(full.encode()).hexdigest()
            models.append(
                {
                    "name": full,
                    "model": full,
                    "modified_at": "2025-01-15T10:20:30.123456789Z",
                    "size": 4_920_753_328,
                    "digest": digest,
                    "details": {
                        "parent_model": "",
                        "format": "gguf",
                        "family": "llama",
                        "families": ["llama"],
                        "parameter_size": "8.0B",
                        "quantization_level": "Q4_K_M",
                    },
                }
            )
        return JSONResponse({"models": models})

    @staticmethod
    def _stats(prompt_tokens: int, eval_tokens: int) -> dict[str, Any]:
        return {
            "total_duration": 1_254_970_291,
            "load_duration": 574_751_416,
            "prompt_eval_count": prompt_tokens,
            "prompt_eval_duration": 150_200_000,
            "eval_count": eval_tokens,
            "eval_duration": 475_000_000,
        }

    async def _chat(self, request: Request) -> Response:
        body, error = await self._common(request)
        if error is not None:
            return error
        missing = self._missing_model(body)
        if missing is not None:
            return missing
        messages = body.get("messages")
        if not isinstance(messages, list):
            return JSONResponse({"error": "messages must be a list"}, 400)
        with self._lock:
            content = self.chat_replies.popleft() if self.chat_replies else self.default_reply
        model = body["model"]
        prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in messages)
        eval_tokens = max(1, len(content) // 4)
        if body.get("stream", True) is False:
            return JSONResponse(
                {
                    "model": model,
                    "created_at": _now(),
                    "message": {"role": "assistant", "content": content},
                    "done_reason": "stop",
                    "done": True,
                    **self._stats(prompt_tokens, eval_tokens),
                }
            )

        async def lines() -> AsyncIterator[bytes]:
            pieces = [
                content[i : i + self.chunk_chars] for i in range(0, len(content), self.chunk_chars)
            ]
            for index, piece in enumerate(pieces):
                if self.stream_error is not None and index == len(pieces) // 2:
                    yield (json.dumps({"error": self.stream_error}) + "\n").encode()
                    return
                chunk = {
                    "model": model,
                    "created_at": _now(),
                    "message": {"role": "assistant", "content": piece},
                    "done": False,
                }
                yield (json.dumps(chunk) + "\n").encode()
                await asyncio.sleep(0)
            final = {
                "model": model,
                "created_at": _now(),
                "message": {"role": "assistant", "content": ""},
                "done_reason": "stop",
                "done": True,
                **self._stats(prompt_tokens, eval_tokens),
            }
            yield (json.dumps(final) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    async def _embed(self, request: Request) -> Response:
        body, error = await self._common(request)
        if error is not None:
            return error
        missing = self._missing_model(body)
        if missing is not None:
            return missing
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not all(isinstance(t, str) for t in inputs):
            return JSONResponse({"error": "invalid input type"}, 400)
        return JSONResponse(
            {
                "model": body["model"],
                "embeddings": [fake_vector(text, self.embed_dim) for text in inputs],
                "total_duration": 14_143_917,
                "load_duration": 1_019_500,
                "prompt_eval_count": sum(len(t.split()) for t in inputs),
            }
        )
