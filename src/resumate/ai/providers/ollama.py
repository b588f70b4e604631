"""An async client for Ollama's native HTTP API (``/api/chat``, ``/api/embed``, ``/api/tags``).

Failure policy: connection errors, connect timeouts and 5xx answers are retried with exponential
backoff, then raised as :class:`OllamaUnavailable`. A read timeout is not retried (the server is
up but slower than the configured limit; trying again would only multiply the wait) and is raised
as :class:`OllamaUnavailable` at once. 4xx answers are never retried: a missing model is
:class:`OllamaModelNotFound`, anything else :class:`OllamaResponseError`.
"""

from __future__ import annotations

import asyncio
import copy
import json
import random
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, TypeVar

import httpx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_EMBED_MODEL = "nomic-embed-text"
DEFAULT_EMBED_DIM = 768
# How many texts go into one /api/embed request.
EMBED_BATCH = 64

T = TypeVar("T", bound=BaseModel)

_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class OllamaError(RuntimeError):
    """Base class of everything this client raises."""


class OllamaUnavailable(OllamaError):
    """Ollama could not be reached, timed out, or kept failing with 5xx answers."""


class OllamaResponseError(OllamaError):
    """Ollama answered, but with an error or with a body this client cannot use."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class OllamaModelNotFound(OllamaResponseError):
    """The requested model is not pulled on the Ollama server."""


class OllamaInvalidOutput(OllamaError):
    """The model's structured reply did not validate against the schema, even after a retry."""

    def __init__(self, message: str, *, content: str) -> None:
        super().__init__(message)
        self.content = content


class OllamaModelInfo(BaseModel):
    """One entry of ``GET /api/tags``."""

    model_config = ConfigDict(extra="allow")

    name: str
    model: str | None = None
    modified_at: str | None = None
    size: int | None = None
    digest: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class ChatChunk(BaseModel):
    """One object of a streamed ``/api/chat`` answer; the last has ``done=True`` and stats."""

    model_config = ConfigDict(extra="allow")

    model: str = ""
    content: str = ""
    thinking: str | None = None
    done: bool = False
    done_reason: str | None = None
    total_duration: int | None = None
    load_duration: int | None = None
    prompt_eval_count: int | None = None
    prompt_eval_duration: int | None = None
    eval_count: int | None = None
    eval_duration: int | None = None


def inline_schema_refs(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Replace ``$ref`` to ``$defs`` by the definitions themselves.

    Grammar-constrained decoding handles a flat schema most reliably; Pydantic emits nested
    models as references. Recursive models are not supported (and not needed here).
    """
    defs = dict(schema.get("$defs", {}))

    def resolve(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name in seen:
                    raise ValueError(f"recursive schema reference {name!r} cannot be inlined")
                target = copy.deepcopy(defs[name])
                extra = {k: v for k, v in node.items() if k != "$ref"}
                return resolve({**target, **extra}, (*seen, name))
            return {k: resolve(v, seen) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [resolve(item, seen) for item in node]
        return node

    result: dict[str, Any] = resolve(dict(schema), ())
    return result


def _strip_fence(content: str) -> str:
    match = _FENCE.match(content)
    return match.group(1) if match else content.strip()


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason_phrase
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return body["error"]
    return str(body)[:300]


class OllamaClient:
    """One Ollama server. Use as ``async with OllamaClient(...) as client`` or call ``aclose()``."""

    def __init__(
        self,
        host: str,
        *,
        timeout: float = 60.0,
        retries: int = 2,
        backoff: float = 0.5,
        connect_timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.host = host.rstrip("/")
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self._http = httpx.AsyncClient(
            base_url=self.host,
            timeout=httpx.Timeout(timeout, connect=min(connect_timeout, timeout)),
            transport=transport,
            headers={"Accept": "application/json"},
        )

    async def __aenter__(self) -> OllamaClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- public API -----------------------------------------------------------------------

    async def list_models(self) -> list[OllamaModelInfo]:
        body = await self._request("GET", "/api/tags")
        models = body.get("models")
        if not isinstance(models, list):
            raise OllamaResponseError("/api/tags answered without a 'models' list")
        return [OllamaModelInfo.model_validate(m) for m in models]

    async def chat(
        self,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        format: str | Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | None = None,
    ) -> dict[str, Any]:
        """A non-streamed ``/api/chat`` call; returns Ollama's JSON object as is."""
        payload = self._chat_payload(model, messages, format, options, keep_alive, stream=False)
        body = await self._request("POST", "/api/chat", json=payload, model=model)
        message = body.get("message")
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise OllamaResponseError("/api/chat answered without message.content")
        return body

    async def chat_structured(
        self,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        schema: type[T],
        *,
        options: Mapping[str, Any] | None = None,
    ) -> T:
        """Ask for JSON constrained by ``schema`` and validate it with the same model.

        If the reply does not validate, the model is asked once more with the validation
        errors quoted; a second failure raises :class:`OllamaInvalidOutput`.
        """
        json_schema = inline_schema_refs(schema.model_json_schema())
        merged_options = {"temperature": 0, **(options or {})}
        conversation = [dict(m) for m in messages]
        last_error = ""
        content = ""
        for attempt in range(2):
            body = await self.chat(model, conversation, format=json_schema, options=merged_options)
            content = body["message"]["content"]
            try:
                return schema.model_validate_json(_strip_fence(content))
            except ValidationError as exc:
                last_error = _summarise_validation(exc)
            if attempt == 0:
                conversation += [
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": "Your reply did not match the required JSON schema: "
                        f"{last_error}. Answer again with only one JSON object that matches "
                        "the schema exactly.",
                    },
                ]
        raise OllamaInvalidOutput(
            f"{model} returned invalid structured output twice: {last_error}", content=content
        )

    async def chat_stream(
        self,
        model: str,
        messages: Sequence[Mapping[str, Any]],
        *,
        format: str | Mapping[str, Any] | None = None,
        options: Mapping[str, Any] | None = None,
        keep_alive: str | None = None,
    ) -> AsyncIterator[ChatChunk]:
        """Stream ``/api/chat`` (NDJSON), one :class:`ChatChunk` per line, the last ``done``.

        Connection failures are retried only before the first chunk has been yielded.
        """
        payload = self._chat_payload(model, messages, format, options, keep_alive, stream=True)
        attempt = 0
        while True:
            try:
                async with self._http.stream("POST", "/api/chat", json=payload) as response:
                    if response.status_code >= 400:
                        await response.aread()
                        self._raise_for_status(response, model)
                    async for line in response.aiter_lines():
                        if not line.strip():
                            continue
                        chunk = _parse_stream_line(line)
                        attempt = self.retries + 1  # streaming has started: never retry
                        yield chunk
                        if chunk.done:
                            return
                raise OllamaUnavailable("the chat stream ended before its final 'done' object")
            except _Retryable as exc:
                if attempt >= self.retries:
                    raise OllamaUnavailable(self._describe(exc)) from exc
                await self._sleep(attempt)
                attempt += 1
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                raise OllamaUnavailable(self._describe(exc)) from exc

    async def embed(
        self, model: str, texts: Sequence[str], *, truncate: bool = True
    ) -> list[list[float]]:
        """Vectors for ``texts`` from ``/api/embed``, in order, as Ollama returns them."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of texts, not a single string")
        vectors: list[list[float]] = []
        for start in range(0, len(texts), EMBED_BATCH):
            batch = list(texts[start : start + EMBED_BATCH])
            body = await self._request(
                "POST",
                "/api/embed",
                json={"model": model, "input": batch, "truncate": truncate},
                model=model,
            )
            embeddings = body.get("embeddings")
            if not isinstance(embeddings, list) or len(embeddings) != len(batch):
                raise OllamaResponseError(
                    f"/api/embed returned {len(embeddings or [])} vectors for {len(batch)} texts"
                )
            vectors.extend([float(x) for x in vector] for vector in embeddings)
        return vectors

    # --- plumbing ---------------------------------------------------------------------------

    @staticmethod
    def _chat_payload(
        model: str,
        messages: Sequence[Mapping[str, Any]],
        format: str | Mapping[str, Any] | None,
        options: Mapping[str, Any] | None,
        keep_alive: str | None,
        *,
        stream: bool,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "model": model,
            "messages": [dict(m) for m in messages],
            "stream": stream,
        }
        if format is not None:
            payload["format"] = format if isinstance(format, str) else dict(format)
        if options:
            payload["options"] = dict(options)
        if keep_alive is not None:
            payload["keep_alive"] = keep_alive
        return payload

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        model: str | None = None,
    ) -> dict[str, Any]:
        attempt = 0
        while True:
            try:
                response = await self._http.request(method, path, json=json)
                if response.status_code in _RETRY_STATUSES:
                    raise _ServerError(response)
                self._raise_for_status(response, model)
                try:
                    body = response.json()
                except ValueError as exc:
                    raise OllamaResponseError(
                        f"{path} answered with a body that is not JSON", status=200
                    ) from exc
                if not isinstance(body, dict):
                    raise OllamaResponseError(f"{path} answered with a non-object JSON body")
                return body
            except _Retryable as exc:
                if attempt >= self.retries:
                    raise OllamaUnavailable(self._describe(exc)) from exc
                await self._sleep(attempt)
                attempt += 1
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                raise OllamaUnavailable(self._describe(exc)) from exc

    def _raise_for_status(self, response: httpx.Response, model: str | None) -> None:
        status = response.status_code
        if status < 400:
            return
        if status in _RETRY_STATUSES:
            raise _ServerError(response)
        text = _error_text(response)
        if status == 404 and "not found" in text.lower():
            raise OllamaModelNotFound(
                f"model {model!r} is not available on {self.host}: {text}", status=status
            )
        raise OllamaResponseError(f"Ollama answered {status}: {text}", status=status)

    def _describe(self, exc: BaseException) -> str:
        if isinstance(exc, _ServerError):
            return f"{self.host} answered {exc.status}: {exc.text}"
        if isinstance(exc, httpx.TimeoutException):
            kind = "connect" if isinstance(exc, httpx.ConnectTimeout) else "read"
            return f"{self.host} did not answer within {self.timeout:g}s ({kind} timeout)"
        return f"cannot reach {self.host}: {type(exc).__name__}: {exc}".rstrip(": ")

    async def _sleep(self, attempt: int) -> None:
        delay = self.backoff * (2**attempt)
        await asyncio.sleep(delay + random.uniform(0, delay / 4))


class _ServerError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.status = response.status_code
        self.text = _error_text(response)


# Failures worth another attempt: the server is down or restarting, or answered 5xx.
_Retryable = (_ServerError, httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError)


def _parse_stream_line(line: str) -> ChatChunk:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise OllamaResponseError(f"malformed line in the chat stream: {line[:200]!r}") from exc
    if not isinstance(obj, dict):
        raise OllamaResponseError(f"unexpected line in the chat stream: {line[:200]!r}")
    if "error" in obj:
        raise OllamaResponseError(f"Ollama reported an error mid-stream: {obj['error']}")
    message = obj.get("message") or {}
    fields = {k: v for k, v in obj.items() if k != "message"}
    return ChatChunk.model_validate(
        {**fields, "content": message.get("content", ""), "thinking": message.get("thinking")}
    )


def _summarise_validation(exc: ValidationError, limit: int = 8) -> str:
    parts = []
    for error in exc.errors()[:limit]:
        where = ".".join(str(p) for p in error["loc"]) or "(root)"
        parts.append(f"{where}: {error['msg']}")
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


class OllamaEmbedder:
    """Embedder backed by Ollama's ``/api/embed``; vectors are L2-normalised here.

    ``prefix`` is prepended to every text, for models trained with task prefixes (for
    nomic-embed-text, ``"search_document: "``).
    """

    def __init__(
        self,
        client: OllamaClient,
        model: str = DEFAULT_EMBED_MODEL,
        dim: int = DEFAULT_EMBED_DIM,
        *,
        prefix: str = "",
    ) -> None:
        self.client = client
        self.ollama_model = model
        self.model = f"ollama:{model}"
        self.dim = dim
        self.prefix = prefix

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        raw = await self.client.embed(self.ollama_model, [self.prefix + t for t in texts])
        array = np.asarray(raw, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != self.dim:
            got = array.shape[1] if array.ndim == 2 else array.shape
            raise OllamaResponseError(
                f"{self.ollama_model} returned vectors of dimension {got}, "
                f"configured dimension is {self.dim}"
            )
        norms = np.linalg.norm(array, axis=1, keepdims=True)
        normalised: list[list[float]] = (array / np.clip(norms, 1e-12, None)).tolist()
        return normalised
