"""LocalStorage: streamed round trips, atomic writes, size limits and every traversal attempt."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from resumate.core.storage import (
    CHUNK_SIZE,
    InvalidKey,
    LocalStorage,
    ObjectNotFound,
    Storage,
    StoredObjectTooLarge,
    bytes_stream,
    new_key,
    validate_key,
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def store(root: Path) -> LocalStorage:
    return LocalStorage(root)


def leftovers(root: Path) -> list[Path]:
    """Every file under the root (temp files included)."""
    return [path for path in root.rglob("*") if path.is_file() or path.is_symlink()]


async def chunked(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def failing_stream(good_chunks: int) -> AsyncIterator[bytes]:
    for _ in range(good_chunks):
        yield b"z" * CHUNK_SIZE
    raise ConnectionResetError("client went away mid-upload")


async def collect(stream: AsyncIterator[bytes]) -> list[bytes]:
    return [chunk async for chunk in stream]


def test_local_storage_satisfies_protocol(store: LocalStorage) -> None:
    assert isinstance(store, Storage)


async def test_round_trip_multi_chunk(store: LocalStorage, root: Path) -> None:
    payload = os.urandom(3 * CHUNK_SIZE + 12345)
    parts = [payload[i : i + 100_000] for i in range(0, len(payload), 100_000)]
    key = new_key("cvs", ".pdf")

    assert not await store.exists(key)
    size = await store.put(key, chunked(parts))
    assert size == len(payload)
    assert await store.exists(key)
    assert await store.size(key) == len(payload)

    chunks = await collect(store.get(key))
    assert len(chunks) > 1, "get() must stream in chunks, not one read"
    assert all(len(chunk) <= CHUNK_SIZE for chunk in chunks)
    assert b"".join(chunks) == payload
    assert await store.read(key) == payload
    assert (root / key).read_bytes() == payload
    assert store.url(key) is None

    await store.delete(key)
    assert not await store.exists(key)
    with pytest.raises(ObjectNotFound):
        await store.read(key)
    with pytest.raises(ObjectNotFound):
        await store.size(key)
    with pytest.raises(ObjectNotFound):
        await collect(store.get(key))
    await store.delete(key)  # deleting twice is not an error
    assert leftovers(root) == []


async def test_overwrite_replaces_content(store: LocalStorage) -> None:
    key = new_key("exports", ".json")
    await store.put(key, bytes_stream(b"first version"))
    await store.put(key, bytes_stream(b"second"))
    assert await store.read(key) == b"second"


async def test_empty_object(store: LocalStorage) -> None:
    key = new_key("cvs", ".txt")
    assert await store.put(key, bytes_stream(b"")) == 0
    assert await store.exists(key)
    assert await store.read(key) == b""
    assert await collect(store.get(key)) == []


async def test_failed_stream_leaves_nothing(store: LocalStorage, root: Path) -> None:
    key = new_key("cvs", ".pdf")
    with pytest.raises(ConnectionResetError):
        await store.put(key, failing_stream(good_chunks=3))
    assert not await store.exists(key)
    assert leftovers(root) == [], "neither the object nor its temp file may remain"


async def test_failed_overwrite_keeps_previous_version(store: LocalStorage, root: Path) -> None:
    key = new_key("cvs", ".pdf")
    await store.put(key, bytes_stream(b"good old content"))
    with pytest.raises(ConnectionResetError):
        await store.put(key, failing_stream(good_chunks=2))
    assert await store.read(key) == b"good old content"
    assert leftovers(root) == [root / key]


async def test_put_bytes_round_trip_and_overwrite(store: LocalStorage, root: Path) -> None:
    payload = os.urandom(2 * CHUNK_SIZE + 7)
    key = new_key("pdfs", ".pdf")
    assert await store.put_bytes(key, payload) == len(payload)
    assert await store.read(key) == payload
    assert await store.put_bytes(key, b"") == 0  # replaced, atomically
    assert await store.read(key) == b""
    assert leftovers(root) == [root / key]


async def test_failed_put_bytes_leaves_nothing_and_keeps_previous_version(
    store: LocalStorage, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_key("pdfs", ".pdf")
    await store.put_bytes(key, b"good old content")

    def no_sync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", no_sync)
    with pytest.raises(OSError, match="disk full"):
        await store.put_bytes(key, b"new content")
    other = new_key("pdfs", ".pdf")
    with pytest.raises(OSError, match="disk full"):
        await store.put_bytes(other, b"never stored")
    assert await store.read(key) == b"good old content"
    assert leftovers(root) == [root / key], "no temp file and no partial object may remain"


async def test_max_bytes_enforced_while_streaming(store: LocalStorage, root: Path) -> None:
    key = new_key("cvs", ".pdf")
    consumed = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal consumed
        while True:
            consumed += 1
            yield b"a" * 65536

    with pytest.raises(StoredObjectTooLarge) as info:
        await store.put(key, endless(), max_bytes=200_000)
    assert info.value.limit == 200_000
    assert consumed <= 4, "the limit must stop reading the stream, not read it all first"
    assert not await store.exists(key)
    assert leftovers(root) == []


async def test_max_bytes_exact_size_is_accepted(store: LocalStorage) -> None:
    key = new_key("cvs", ".bin")
    assert await store.put(key, bytes_stream(b"x" * 1000), max_bytes=1000) == 1000
    with pytest.raises(StoredObjectTooLarge):
        await store.put(new_key("cvs", ".bin"), bytes_stream(b"x" * 1001), max_bytes=1000)
    assert await store.read(key) == b"x" * 1000


TRAVERSAL_KEYS = [
    "../x",
    "../../etc/passwd",
    "a/../../etc/passwd",
    "cvs/../../outside",
    "cvs/ab/../../../etc/passwd",
    "cvs/..",
    "cvs/ab/..",
    "/etc/passwd",
    "/tmp/x",
    "//etc/passwd",
    "cvs\\..\\..\\x",
    "cvs/ab\\..\\x",
    "C:\\Windows\\win.ini",
    "cvs/ab/file\x00.pdf",
    "\x00",
    "%2e%2e/x",
    "cvs/%2e%2e/%2e%2e/etc/passwd",
    "cvs/..%2fx",
    "cvs/%2E%2E%2F%2E%2E%2Fetc",
    "cvs/ab/.hidden",
    "cvs/ab/.tmp-abc.part",
    "cvs/./ab",
    "cvs//ab",
    "cvs/ab/",
    "cvs",
    "",
    " cvs/ab",
    "cvs/ab\n",
    "CVS/ab",
    "cvs/ab/c/d/e/f",
    "cvs/" + "a" * 200,
]


@pytest.mark.parametrize("key", TRAVERSAL_KEYS)
async def test_bad_keys_refused_everywhere(store: LocalStorage, root: Path, key: str) -> None:
    with pytest.raises(InvalidKey):
        validate_key(key)
    with pytest.raises(InvalidKey):
        await store.put(key, bytes_stream(b"evil"))
    with pytest.raises(InvalidKey):
        await store.put_bytes(key, b"evil")
    with pytest.raises(InvalidKey):
        await store.read(key)
    with pytest.raises(InvalidKey):
        await collect(store.get(key))
    with pytest.raises(InvalidKey):
        await store.exists(key)
    with pytest.raises(InvalidKey):
        await store.size(key)
    with pytest.raises(InvalidKey):
        await store.delete(key)
    with pytest.raises(InvalidKey):
        store.url(key)
    assert leftovers(root) == []


async def test_symlinked_directory_cannot_escape(
    store: LocalStorage, root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_bytes(b"not yours")
    (root / "cvs").mkdir()
    (root / "cvs" / "ab").symlink_to(outside, target_is_directory=True)

    with pytest.raises(InvalidKey):
        await store.read("cvs/ab/secret.txt")
    with pytest.raises(InvalidKey):
        await collect(store.get("cvs/ab/secret.txt"))
    with pytest.raises(InvalidKey):
        await store.exists("cvs/ab/secret.txt")
    with pytest.raises(InvalidKey):
        await store.delete("cvs/ab/secret.txt")
    with pytest.raises(InvalidKey):
        await store.put("cvs/ab/planted.txt", bytes_stream(b"planted"))
    with pytest.raises(InvalidKey):
        await store.put_bytes("cvs/ab/planted.txt", b"planted")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert secret.read_bytes() == b"not yours"


async def test_symlinked_prefix_cannot_escape(
    store: LocalStorage, root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "templates").symlink_to(outside, target_is_directory=True)
    key = new_key("templates", ".typ")
    with pytest.raises(InvalidKey):
        await store.put(key, bytes_stream(b"x"))
    with pytest.raises(InvalidKey):
        await store.put_bytes(key, b"x")
    assert list(outside.rglob("*")) == []


async def test_symlinked_file_cannot_escape(
    store: LocalStorage, root: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "passwd"
    secret.write_bytes(b"root:x:0:0")
    (root / "cvs" / "ab").mkdir(parents=True)
    (root / "cvs" / "ab" / "link.pdf").symlink_to(secret)
    with pytest.raises(InvalidKey):
        await store.read("cvs/ab/link.pdf")
    with pytest.raises(InvalidKey):
        await store.put("cvs/ab/link.pdf", bytes_stream(b"overwritten"))
    with pytest.raises(InvalidKey):
        await store.put_bytes("cvs/ab/link.pdf", b"overwritten")
    with pytest.raises(InvalidKey):
        await store.delete("cvs/ab/link.pdf")
    assert secret.read_bytes() == b"root:x:0:0"


async def test_directory_key_is_not_an_object(store: LocalStorage) -> None:
    key = new_key("cvs", ".pdf")
    await store.put(key, bytes_stream(b"data"))
    directory = key.rsplit("/", 1)[0]  # "cvs/ab": a valid key shape naming a directory
    assert not await store.exists(directory)
    with pytest.raises(ObjectNotFound):
        await store.read(directory)
    with pytest.raises(ObjectNotFound):
        await store.size(directory)
    with pytest.raises(ObjectNotFound):
        await collect(store.get(directory))
    await store.delete(directory)  # not an object: nothing to delete, nothing removed
    assert await store.read(key) == b"data"


def test_new_key_unique_and_well_formed() -> None:
    keys = {new_key("cvs", ".pdf") for _ in range(2000)}
    assert len(keys) == 2000
    pattern = re.compile(r"^cvs/([0-9a-f]{2})/([0-9a-f]{32})\.pdf$")
    for key in keys:
        match = pattern.fullmatch(key)
        assert match, key
        assert match.group(2).startswith(match.group(1))
        assert validate_key(key) == key
    assert re.fullmatch(r"exports/[0-9a-f]{2}/[0-9a-f]{32}", new_key("exports"))


@pytest.mark.parametrize("prefix", ["", "../cvs", "cvs/sub", "CVS", "-cvs", "c v"])
def test_new_key_rejects_bad_prefix(prefix: str) -> None:
    with pytest.raises(InvalidKey):
        new_key(prefix)


@pytest.mark.parametrize("suffix", ["pdf", "./pdf", ".p/f", ".PDF\x00", ".toolongsuffix"])
def test_new_key_rejects_bad_suffix(suffix: str) -> None:
    with pytest.raises(InvalidKey):
        new_key("cvs", suffix)
