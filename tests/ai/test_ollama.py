"""OllamaClient and OllamaEmbedder against a real HTTP server speaking Ollama's wire format."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import numpy as np
import pytest
from pydantic import BaseModel
from tests.fakes.ollama import FakeOllama, fake_vector

from resumate.ai.embeddings import Embedder
from resumate.ai.providers.ollama import (
    OllamaClient,
    OllamaEmbedder,
    OllamaInvalidOutput,
    OllamaModelNotFound,
    OllamaResponseError,
    OllamaUnavailable,
    inline_schema_refs,
)

CHAT_MODEL = "llama3.1:8b"


class Pet(BaseModel):
    name: str
    age: int


class PetList(BaseModel):
    pets: list[Pet]
    owner: str | None = None


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=[CHAT_MODEL, "nomic-embed-text"]) as server:
        yield server


def client_for(fake: FakeOllama, **kwargs: float) -> OllamaClient:
    options = {"timeout": 5.0, "retries": 2, "backoff": 0.01} | kwargs
    return OllamaClient(
        fake.url,
        timeout=options["timeout"],
        retries=int(options["retries"]),
        backoff=options["backoff"],
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_list_models(fake: FakeOllama) -> None:
    async with client_for(fake) as client:
        models = await client.list_models()
    assert [m.name for m in models] == ["llama3.1:8b", "nomic-embed-text:latest"]
    assert models[0].details["quantization_level"] == "Q4_K_M"


async def test_chat_structured_sends_schema_and_validates(fake: FakeOllama) -> None:
    fake.chat_replies.append('{"pets": [{"name": "Rex", "age": 3}], "owner": "Ana"}')
    async with client_for(fake) as client:
        result = await client.chat_structured(
            CHAT_MODEL, [{"role": "user", "content": "List the pets."}], PetList
        )
    assert result == PetList(pets=[Pet(name="Rex", age=3)], owner="Ana")
    [request] = fake.requests_to("/api/chat")
    assert request["stream"] is False
    assert request["options"]["temperature"] == 0
    schema = request["format"]
    # The nested model is inlined: no $ref/$defs for the grammar to resolve.
    assert "$defs" not in schema and "$ref" not in str(schema)
    assert schema["properties"]["pets"]["items"]["properties"]["age"]["type"] == "integer"


async def test_chat_structured_retries_once_with_the_validation_error(fake: FakeOllama) -> None:
    fake.chat_replies.extend(['{"pets": [{"name": "Rex"}]}', '```json\n{"pets": []}\n```'])
    async with client_for(fake) as client:
        result = await client.chat_structured(
            CHAT_MODEL, [{"role": "user", "content": "List the pets."}], PetList
        )
    assert result.pets == []
    first, second = fake.requests_to("/api/chat")
    assert len(first["messages"]) == 1
    assert second["messages"][1] == {"role": "assistant", "content": '{"pets": [{"name": "Rex"}]}'}
    assert "pets.0.age" in second["messages"][2]["content"]


async def test_chat_structured_gives_up_after_two_invalid_replies(fake: FakeOllama) -> None:
    fake.chat_replies.extend(["I am sorry, I cannot do that.", '{"pets": "many"}'])
    async with client_for(fake) as client:
        with pytest.raises(OllamaInvalidOutput) as caught:
            await client.chat_structured(CHAT_MODEL, [{"role": "user", "content": "x"}], PetList)
    assert caught.value.content == '{"pets": "many"}'
    assert len(fake.requests_to("/api/chat")) == 2


async def test_chat_stream_yields_ndjson_chunks_and_final_stats(fake: FakeOllama) -> None:
    reply = "The sky is blue because of Rayleigh scattering."
    fake.chat_replies.append(reply)
    async with client_for(fake) as client:
        chunks = [
            c
            async for c in client.chat_stream(
                CHAT_MODEL, [{"role": "user", "content": "why is the sky blue?"}]
            )
        ]
    assert len(chunks) > 3
    assert "".join(c.content for c in chunks) == reply
    assert [c.done for c in chunks] == [False] * (len(chunks) - 1) + [True]
    assert chunks[-1].done_reason == "stop"
    assert chunks[-1].eval_count and chunks[-1].total_duration
    assert fake.requests_to("/api/chat")[0]["stream"] is True


async def test_chat_stream_error_line_is_raised(fake: FakeOllama) -> None:
    fake.chat_replies.append("a reply long enough to be split into several chunks")
    fake.stream_error = "an error was encountered while running the model: GGML_ASSERT"
    async with client_for(fake) as client:
        with pytest.raises(OllamaResponseError, match="GGML_ASSERT"):
            async for _ in client.chat_stream(CHAT_MODEL, [{"role": "user", "content": "hi"}]):
                pass


async def test_chat_stream_retries_before_the_first_chunk(fake: FakeOllama) -> None:
    fake.fail_next = 1
    async with client_for(fake) as client:
        chunks = [
            c async for c in client.chat_stream(CHAT_MODEL, [{"role": "user", "content": "hi"}])
        ]
    assert "".join(c.content for c in chunks) == fake.default_reply
    assert len(fake.requests_to("/api/chat")) == 2


async def test_embed_returns_vectors_in_order_and_batches(fake: FakeOllama) -> None:
    texts = [f"text number {i}" for i in range(70)]
    async with client_for(fake) as client:
        vectors = await client.embed("nomic-embed-text", texts)
    assert len(vectors) == 70
    assert vectors[5] == fake_vector("text number 5", 768)
    requests = fake.requests_to("/api/embed")
    assert [len(r["input"]) for r in requests] == [64, 6]
    assert requests[0]["model"] == "nomic-embed-text"


async def test_ollama_embedder_normalises_and_checks_dimension(fake: FakeOllama) -> None:
    async with client_for(fake) as client:
        embedder = OllamaEmbedder(client, "nomic-embed-text", 768, prefix="search_document: ")
        assert isinstance(embedder, Embedder)
        assert embedder.model == "ollama:nomic-embed-text" and embedder.dim == 768
        vectors = await embedder.embed(["Python developer", "Nurse"])
        assert len(vectors) == 2 and all(len(v) == 768 for v in vectors)
        assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-9)
        raw = np.array(fake_vector("search_document: Python developer", 768))
        assert np.allclose(vectors[0], raw / np.linalg.norm(raw))
        assert await embedder.embed([]) == []

        wrong = OllamaEmbedder(client, "nomic-embed-text", 384)
        with pytest.raises(OllamaResponseError, match="dimension 768"):
            await wrong.embed(["x"])


async def test_retries_5xx_then_succeeds(fake: FakeOllama) -> None:
    fake.fail_next = 2
    async with client_for(fake, retries=2) as client:
        models = await client.list_models()
    assert models
    assert len(fake.requests_to("/api/tags")) == 3


async def test_persistent_5xx_becomes_unavailable(fake: FakeOllama) -> None:
    fake.fail_next = 10
    async with client_for(fake, retries=1) as client:
        with pytest.raises(OllamaUnavailable, match="500: llama runner process has terminated"):
            await client.embed("nomic-embed-text", ["x"])
    assert len(fake.requests_to("/api/embed")) == 2


async def test_slow_server_times_out_without_retrying(fake: FakeOllama) -> None:
    fake.delay = 1.5
    async with client_for(fake, timeout=0.3, retries=2) as client:
        with pytest.raises(OllamaUnavailable, match=r"did not answer within 0.3s \(read timeout\)"):
            await client.chat(CHAT_MODEL, [{"role": "user", "content": "hi"}])
    assert len(fake.requests_to("/api/chat")) == 1


async def test_server_down_is_unavailable_after_retries() -> None:
    client = OllamaClient(f"http://127.0.0.1:{free_port()}", timeout=1, retries=2, backoff=0.01)
    async with client:
        with pytest.raises(OllamaUnavailable, match="cannot reach"):
            await client.list_models()


async def test_missing_model_is_not_retried(fake: FakeOllama) -> None:
    async with client_for(fake) as client:
        with pytest.raises(OllamaModelNotFound, match='model "qwen9:1b" not found') as caught:
            await client.chat("qwen9:1b", [{"role": "user", "content": "hi"}])
        assert caught.value.status == 404
        with pytest.raises(OllamaModelNotFound):
            async for _ in client.chat_stream("qwen9:1b", [{"role": "user", "content": "hi"}]):
                pass
    assert len(fake.requests_to("/api/chat")) == 2


def test_inline_schema_refs() -> None:
    schema = inline_schema_refs(PetList.model_json_schema())
    assert "$defs" not in schema
    assert schema["properties"]["pets"]["items"]["required"] == ["name", "age"]

    class Node(BaseModel):
        children: list[Node] = []

    with pytest.raises(ValueError, match="recursive"):
        inline_schema_refs(Node.model_json_schema())
