"""S3 storage against moto's server (the real S3 wire protocol): streamed and multipart
uploads, checksums, presigned downloads, deletes that follow the rows, a sick bucket, and
``resumate storage migrate``."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from resumate.core import storage as storage_module
from resumate.core.storage import (
    CHUNK_SIZE,
    MIN_PART_SIZE,
    ChecksumMismatch,
    InvalidKey,
    LocalStorage,
    ObjectNotFound,
    S3Storage,
    Storage,
    StorageUnavailable,
    StoredObjectTooLarge,
    bytes_stream,
    copy_objects,
    new_key,
)
from tests.cvs.files import make_pdf
from tests.factories import PASSWORD, new_user_headers, run_pending_jobs
from tests.scale.conftest import FaultyProxy, s3_client

API = "/api/v1"


def make_store(endpoint: str, bucket: str, **options: Any) -> S3Storage:
    options.setdefault("max_attempts", 1)
    return S3Storage(bucket, endpoint_url=endpoint, region="us-east-1", **options)


@pytest.fixture
def store(moto_endpoint: str, bucket: str) -> S3Storage:
    return make_store(moto_endpoint, bucket, part_size=MIN_PART_SIZE)


def bucket_keys(endpoint: str, bucket: str) -> set[str]:
    pages = s3_client(endpoint).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def pending_uploads(endpoint: str, bucket: str) -> list[Any]:
    return s3_client(endpoint).list_multipart_uploads(Bucket=bucket).get("Uploads", [])


async def chunked(data: bytes, size: int = 100_000) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def collect(stream: AsyncIterator[bytes]) -> bytes:
    return b"".join([chunk async for chunk in stream])


def test_s3_storage_satisfies_protocol(store: S3Storage) -> None:
    assert isinstance(store, Storage)


async def test_small_round_trip_with_checksum(
    store: S3Storage, moto_endpoint: str, bucket: str
) -> None:
    payload = os.urandom(3 * CHUNK_SIZE + 17)
    key = new_key("cvs", ".pdf")
    assert not await store.exists(key)
    assert await store.put(key, chunked(payload)) == len(payload)
    assert await store.exists(key)
    assert await store.size(key) == len(payload)
    assert await store.checksum(key) == hashlib.sha256(payload).hexdigest()
    chunks = [chunk async for chunk in store.get(key)]
    assert len(chunks) > 1 and all(len(c) <= CHUNK_SIZE for c in chunks)
    assert b"".join(chunks) == payload
    assert await store.read(key) == payload
    assert bucket_keys(moto_endpoint, bucket) == {key}
    assert store.url(key) is None, "presigned URLs are off unless configured"

    await store.delete(key)
    await store.delete(key)  # twice is not an error
    assert not await store.exists(key)
    with pytest.raises(ObjectNotFound):
        await store.read(key)
    with pytest.raises(ObjectNotFound):
        await collect(store.get(key))
    with pytest.raises(ObjectNotFound):
        await store.size(key)
    assert bucket_keys(moto_endpoint, bucket) == set()


async def test_empty_object(store: S3Storage) -> None:
    key = new_key("cvs", ".txt")
    assert await store.put(key, bytes_stream(b"")) == 0
    assert await store.read(key) == b""
    assert await collect(store.get(key)) == b""


async def test_large_file_goes_up_in_parts_one_part_in_memory(
    store: S3Storage, moto_endpoint: str, bucket: str
) -> None:
    payload = os.urandom(2 * MIN_PART_SIZE + 123_457)
    parts_seen: list[int] = []
    original = store.client.upload_part

    def spy(**kwargs: Any) -> Any:
        parts_seen.append(len(kwargs["Body"]))
        return original(**kwargs)

    store.client.upload_part = spy  # type: ignore[method-assign]
    key = new_key("pdfs", ".pdf")
    assert await store.put(key, chunked(payload, 300_000)) == len(payload)
    assert len(parts_seen) == 2 and sum(parts_seen) == len(payload)
    assert max(parts_seen) < MIN_PART_SIZE + 300_000, "the whole file was buffered"
    assert await store.read(key) == payload
    assert await store.checksum(key) == hashlib.sha256(payload).hexdigest()
    assert pending_uploads(moto_endpoint, bucket) == []


async def test_too_large_and_broken_streams_leave_nothing(
    store: S3Storage, moto_endpoint: str, bucket: str
) -> None:
    consumed = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal consumed
        while True:
            consumed += 1
            yield b"a" * 1_000_000

    key = new_key("cvs", ".pdf")
    with pytest.raises(StoredObjectTooLarge):
        await store.put(key, endless(), max_bytes=12_000_000)
    assert consumed <= 13, "the limit must stop reading the stream"

    async def dies() -> AsyncIterator[bytes]:
        yield os.urandom(MIN_PART_SIZE + 1)
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put(key, dies())
    assert bucket_keys(moto_endpoint, bucket) == set()
    assert pending_uploads(moto_endpoint, bucket) == [], "multipart uploads must be aborted"


async def test_bad_keys_refused(store: S3Storage) -> None:
    for key in ("../x", "cvs/../../etc", "cvs/ab/.hidden", "cvs/ab\x00", "cvs"):
        with pytest.raises(InvalidKey):
            await store.put(key, bytes_stream(b"x"))
        with pytest.raises(InvalidKey):
            await store.read(key)
        with pytest.raises(InvalidKey):
            await store.delete(key)
        with pytest.raises(InvalidKey):
            store.url(key)


async def test_corrupted_object_is_detected(
    store: S3Storage, moto_endpoint: str, bucket: str
) -> None:
    key = new_key("cvs", ".pdf")
    await store.put(key, bytes_stream(b"the original bytes" * 1000))
    checksum = await store.checksum(key)
    # Someone (a bad disk, a bad copy tool) rewrites the object behind our back.
    s3_client(moto_endpoint).put_object(
        Bucket=bucket, Key=key, Body=b"tampered bytes" * 1000, Metadata={"sha256": checksum}
    )
    with pytest.raises(ChecksumMismatch):
        await store.read(key)
    with pytest.raises(ChecksumMismatch):
        await collect(store.get(key))


async def test_prefix_keeps_objects_apart(moto_endpoint: str, bucket: str) -> None:
    one = make_store(moto_endpoint, bucket, prefix="tenant-a")
    two = make_store(moto_endpoint, bucket, prefix="tenant-b/")
    key = new_key("cvs", ".pdf")
    await one.put(key, bytes_stream(b"a"))
    assert await one.exists(key) and not await two.exists(key)
    assert bucket_keys(moto_endpoint, bucket) == {f"tenant-a/{key}"}
    assert [k async for k in one.list_keys()] == [key]
    assert [k async for k in two.list_keys()] == []


async def test_presigned_url_downloads_with_its_name(moto_endpoint: str, bucket: str) -> None:
    store = make_store(moto_endpoint, bucket, presign=True, presign_expiry=60)
    key = new_key("pdfs", ".pdf")
    await store.put(key, bytes_stream(b"%PDF-1.7 fake"))
    url = store.url(key, filename="Résumé 履歴書.pdf", content_type="application/pdf")
    assert url is not None and "X-Amz-Expires=60" in url
    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 fake"
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''R%C3%A9sum%C3%A9" in response.headers["content-disposition"]
    tampered = url.replace(key, new_key("pdfs", ".pdf"))
    async with httpx.AsyncClient() as http:
        assert (await http.get(tampered)).status_code == 403


@pytest.mark.parametrize("mode", ["500", "503", "reset"])
async def test_sick_bucket_raises_storage_unavailable(
    faulty_s3: FaultyProxy, bucket: str, mode: str
) -> None:
    store = make_store(faulty_s3.url, bucket, connect_timeout=2, read_timeout=2)
    key = new_key("cvs", ".pdf")
    await store.put(key, bytes_stream(b"before the fault"))
    faulty_s3.failing = mode
    with pytest.raises(StorageUnavailable):
        await store.put(new_key("cvs", ".pdf"), bytes_stream(b"during"))
    with pytest.raises(StorageUnavailable):
        await store.read(key)
    with pytest.raises(StorageUnavailable):
        await store.exists(key)
    with pytest.raises(StorageUnavailable):
        await store.delete(key)
    assert faulty_s3.failed >= 4
    faulty_s3.failing = None
    assert await store.read(key) == b"before the fault"


async def test_missing_bucket_is_unavailable_not_missing_object(moto_endpoint: str) -> None:
    store = make_store(moto_endpoint, "no-such-bucket-here")
    with pytest.raises(StorageUnavailable):
        await store.check()
    with pytest.raises(StorageUnavailable, match="NoSuchBucket"):
        await store.put(new_key("cvs", ".pdf"), bytes_stream(b"x"))


async def test_retries_ride_out_a_short_blip(faulty_s3: FaultyProxy, bucket: str) -> None:
    store = make_store(faulty_s3.url, bucket, max_attempts=4)
    key = new_key("cvs", ".pdf")
    faulty_s3.failing, faulty_s3.budget = "503", 2
    await store.put(key, bytes_stream(b"ok"))
    assert faulty_s3.failed == 2
    assert await store.read(key) == b"ok"


# ---- through the API ---------------------------------------------------------------------


@pytest.fixture
def use_storage(storage: LocalStorage) -> Iterator[Any]:
    """Swap the process storage for the test; put the session's local storage back after."""

    def swap(new: Storage) -> Storage:
        storage_module.set_storage(new)
        return new

    yield swap
    storage_module.set_storage(storage)


async def test_cv_and_pdf_files_live_in_s3_and_follow_deletes(
    client: httpx.AsyncClient,
    session: Any,
    use_storage: Any,
    moto_endpoint: str,
    bucket: str,
) -> None:
    store = use_storage(make_store(moto_endpoint, bucket))
    _, headers = await new_user_headers(client)
    pdf = make_pdf()
    response = await client.post(
        f"{API}/cvs", files={"file": ("my cv.pdf", pdf, "application/pdf")}, headers=headers
    )
    assert response.status_code == 201, response.text
    cv = response.json()["data"]
    keys = bucket_keys(moto_endpoint, bucket)
    assert len(keys) == 1
    (cv_key,) = keys
    assert await store.checksum(cv_key) == hashlib.sha256(pdf).hexdigest()

    assert await run_pending_jobs(session, "analyze_cv") == 1
    analysed = (await client.get(f"{API}/cvs/{cv['id']}", headers=headers)).json()["data"]
    assert analysed["status"] == "ready", analysed

    download = await client.get(f"{API}/cvs/{cv['id']}/file", headers=headers)
    assert download.status_code == 200
    assert download.content == pdf
    assert download.headers["etag"] == f'"{hashlib.sha256(pdf).hexdigest()}"'

    resume = await client.post(
        f"{API}/resumes",
        json={"title": "Mine", "data": {"basics": {"name": "Ana Ñúñez"}}},
        headers=headers,
    )
    assert resume.status_code == 201, resume.text
    resume_id = resume.json()["data"]["id"]
    made = await client.post(f"{API}/resumes/{resume_id}/pdf", headers=headers)
    assert made.status_code == 201, made.text
    assert len(bucket_keys(moto_endpoint, bucket)) == 2
    got = await client.get(f"{API}/resumes/{resume_id}/pdf", headers=headers)
    assert got.status_code == 200 and got.content.startswith(b"%PDF")

    # Deleting the resume deletes its PDF; deleting the account deletes the CV file.
    assert (await client.delete(f"{API}/resumes/{resume_id}", headers=headers)).status_code == 200
    assert bucket_keys(moto_endpoint, bucket) == {cv_key}
    gone = await client.request(
        "DELETE", f"{API}/users/me", json={"password": PASSWORD}, headers=headers
    )
    assert gone.status_code in (200, 204), gone.text
    assert bucket_keys(moto_endpoint, bucket) == set()


async def test_presigned_downloads_redirect(
    client: httpx.AsyncClient, use_storage: Any, moto_endpoint: str, bucket: str
) -> None:
    use_storage(make_store(moto_endpoint, bucket, presign=True, presign_expiry=30))
    _, headers = await new_user_headers(client)
    pdf = make_pdf()
    created = await client.post(
        f"{API}/cvs", files={"file": ("cv.pdf", pdf, "application/pdf")}, headers=headers
    )
    cv_id = created.json()["data"]["id"]
    response = await client.get(f"{API}/cvs/{cv_id}/file", headers=headers)
    assert response.status_code == 307
    assert response.headers["cache-control"] == "no-store"
    location = response.headers["location"]
    assert "X-Amz-Expires=30" in location
    async with httpx.AsyncClient() as http:
        fetched = await http.get(location)
    assert fetched.status_code == 200 and fetched.content == pdf


async def test_sick_bucket_gives_503_and_leaves_no_row(
    client: httpx.AsyncClient, session: Any, use_storage: Any, faulty_s3: FaultyProxy, bucket: str
) -> None:
    from sqlalchemy import func, select

    from resumate.modules.cvs.models import CV

    use_storage(make_store(faulty_s3.url, bucket, connect_timeout=2, read_timeout=2))
    user, headers = await new_user_headers(client)
    faulty_s3.failing = "500"
    response = await client.post(
        f"{API}/cvs", files={"file": ("cv.pdf", make_pdf(), "application/pdf")}, headers=headers
    )
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"]
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    count = await session.execute(
        select(func.count()).select_from(CV).where(CV.user_id == user["id"])
    )
    assert count.scalar_one() == 0
    faulty_s3.failing = None
    again = await client.post(
        f"{API}/cvs", files={"file": ("cv.pdf", make_pdf(), "application/pdf")}, headers=headers
    )
    assert again.status_code == 201, again.text


# ---- resumate storage migrate ------------------------------------------------------------


async def test_storage_migrate_to_s3_copies_checks_and_resumes(
    tmp_path: Path, moto_endpoint: str, bucket: str, database_url: str
) -> None:
    local = LocalStorage(tmp_path / "files")
    originals = {}
    for index in range(5):
        key = new_key("cvs" if index % 2 else "pdfs", ".pdf")
        originals[key] = os.urandom(1000 + index) + "Ünïcødé 🚀".encode()
        await local.put(key, bytes_stream(originals[key]))
    env = {
        **os.environ,
        "RESUMATE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": database_url,
        "RESUMATE_S3_BUCKET": bucket,
        "RESUMATE_S3_ENDPOINT_URL": moto_endpoint,
        "RESUMATE_S3_REGION": "us-east-1",
        "RESUMATE_SECRET_KEY": "x" * 48,
    }
    command = [sys.executable, "-m", "resumate.cli", "storage", "migrate", "--to", "s3"]

    first = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
    )
    assert first.returncode == 0, first.stderr
    assert "5 copied, 0 already there, 0 failed" in first.stdout
    assert "[5/5]" in first.stderr
    assert bucket_keys(moto_endpoint, bucket) == set(originals)
    store = make_store(moto_endpoint, bucket)
    for key, data in originals.items():
        assert await store.read(key) == data

    # An interrupted run (here: one object lost, one damaged) is finished by running it again.
    lost, damaged = sorted(originals)[:2]
    await store.delete(lost)
    s3_client(moto_endpoint).put_object(Bucket=bucket, Key=damaged, Body=b"half a file")
    second = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    assert "2 copied, 3 already there, 0 failed" in second.stdout
    for key, data in originals.items():
        assert await store.read(key) == data
    assert sorted([k async for k in local.list_keys()]) == sorted(originals), "source untouched"

    broken = await asyncio.to_thread(
        subprocess.run,
        command,
        env={**env, "RESUMATE_S3_BUCKET": "no-such-bucket"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert broken.returncode == 1
    assert "s3 storage is not usable" in broken.stderr


async def test_copy_objects_reports_failures(
    tmp_path: Path, faulty_s3: FaultyProxy, bucket: str
) -> None:
    local = LocalStorage(tmp_path / "files")
    await local.put(new_key("cvs", ".pdf"), bytes_stream(b"one"))
    store = make_store(faulty_s3.url, bucket)
    faulty_s3.failing = "500"
    counts = await copy_objects(local, store)
    assert counts == {"copied": 0, "skipped": 0, "failed": 1}
    faulty_s3.failing = None
    assert await copy_objects(local, store) == {"copied": 1, "skipped": 0, "failed": 0}
    assert await copy_objects(local, store) == {"copied": 0, "skipped": 1, "failed": 0}
    back = LocalStorage(tmp_path / "back")
    assert await copy_objects(store, back) == {"copied": 1, "skipped": 0, "failed": 0}
