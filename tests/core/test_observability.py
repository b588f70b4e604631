"""The HTTP metrics collector and the access-log writer behind the request middleware."""

from __future__ import annotations

import asyncio
import json
import os
import re

import pytest
import structlog
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from resumate.core.logging import configure_logging, log_access
from resumate.core.metrics import HttpMetrics
from resumate.core.middleware import new_request_id


def samples(metrics: HttpMetrics) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    registry = CollectorRegistry()
    registry.register(metrics)
    text = generate_latest(registry).decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_histogram_buckets_are_cumulative_with_le_semantics() -> None:
    metrics = HttpMetrics(buckets=(0.1, 1.0))
    for seconds in (0.05, 0.1, 0.5, 3.0):
        metrics.observe("GET", "/cvs/{cv_id}", 200, seconds)
    metrics.observe("GET", "/cvs/{cv_id}", 404, 0.01)
    found = samples(metrics)
    route = {("method", "GET"), ("route", "/cvs/{cv_id}")}

    def bucket(le: str) -> float:
        return found[
            ("resumate_http_request_duration_seconds_bucket", frozenset({*route, ("le", le)}))
        ]

    assert bucket("0.1") == 3  # 0.01, 0.05 and 0.1 (le is inclusive)
    assert bucket("1.0") == 4
    assert bucket("+Inf") == 5
    assert found[("resumate_http_request_duration_seconds_count", frozenset(route))] == 5
    assert found[("resumate_http_request_duration_seconds_sum", frozenset(route))] == (
        pytest.approx(3.66)
    )
    assert found[("resumate_http_requests_total", frozenset({*route, ("status", "200")}))] == 4
    assert found[("resumate_http_requests_total", frozenset({*route, ("status", "404")}))] == 1
    metrics.reset()
    assert samples(metrics) == {}


def access_lines(err: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in err.splitlines() if line.startswith("{")]


@pytest.fixture
def json_logs() -> None:
    configure_logging("INFO", json=True)


async def test_access_line_fields_and_bound_context(
    json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    tokens = structlog.contextvars.bind_contextvars(request_id="rid-1", tenant='a"b')
    try:
        log_access("POST", "/api/v1/cvs/é", "/api/v1/cvs/{x}", 201, 1.25, "u-1", "10.0.0.1")
    finally:
        structlog.contextvars.reset_contextvars(**tokens)
    [line] = access_lines(capsys.readouterr().err)
    assert line["event"] == "request" and line["level"] == "info"
    assert line["path"] == "/api/v1/cvs/é" and line["route"] == "/api/v1/cvs/{x}"
    assert line["status"] == 201 and line["duration_ms"] == 1.25
    assert line["user_id"] == "u-1" and line["client"] == "10.0.0.1"
    assert line["request_id"] == "rid-1" and line["tenant"] == 'a"b'
    # The same form as structlog's TimeStamper(fmt="iso", utc=True) on the other lines.
    iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"
    assert re.fullmatch(iso, str(line["timestamp"]))
    structlog.get_logger("t").warning("other line")
    [other] = access_lines(capsys.readouterr().err)
    assert re.fullmatch(iso, str(other["timestamp"]))


async def test_lines_of_one_loop_turn_are_joined_and_kept_in_order(
    json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    await asyncio.sleep(0)  # start on a fresh loop turn
    capsys.readouterr()
    log_access("GET", "/a", "/a", 200, 1.0, None, "c")
    # The first line of a turn is written at once (a lone request is logged before it returns).
    assert [line["path"] for line in access_lines(capsys.readouterr().err)] == ["/a"]
    log_access("GET", "/b", "/b", 200, 1.0, None, "c")
    log_access("GET", "/c", "/c", 200, 1.0, None, "c")
    assert capsys.readouterr().err == "", "later lines of the same turn wait for its end"
    await asyncio.sleep(0)
    assert [line["path"] for line in access_lines(capsys.readouterr().err)] == ["/b", "/c"]

    # A new turn writes its first line at once again; any other log line first writes the
    # pending access lines, so the order is kept.
    log_access("GET", "/d", "/d", 200, 1.0, None, "c")
    log_access("GET", "/e", "/e", 200, 1.0, None, "c")
    structlog.get_logger("t").warning("after e")
    events = [line.get("path") or line["event"] for line in access_lines(capsys.readouterr().err)]
    assert events == ["/d", "/e", "after e"]
    await asyncio.sleep(0)
    assert capsys.readouterr().err == ""


def test_outside_an_event_loop_lines_are_written_at_once(
    json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    log_access("GET", "/x", "/x", 200, 1.0, None, "c")
    log_access("GET", "/y", "/y", 200, 1.0, None, "c")
    assert [line["path"] for line in access_lines(capsys.readouterr().err)] == ["/x", "/y"]


def test_access_line_off_below_info(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("WARNING", json=True)
    try:
        capsys.readouterr()
        log_access("GET", "/x", "/x", 200, 1.0, None, "c")
        assert capsys.readouterr().err == ""
    finally:
        configure_logging("INFO", json=True)


def test_console_format_goes_through_structlog(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=False)
    try:
        capsys.readouterr()
        log_access("GET", "/console", "/console", 418, 2.0, None, "c")
        err = capsys.readouterr().err
        assert "/console" in err and "418" in err and not err.lstrip().startswith("{")
    finally:
        configure_logging("INFO", json=True)


def test_request_ids_unique_well_formed_and_reseeded_after_fork() -> None:
    ids = [new_request_id() for _ in range(10_000)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in ids)

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report one id and leave at once
        os.write(write_end, new_request_id().encode())
        os._exit(0)
    os.close(write_end)
    child_id = os.read(read_end, 64).decode()
    os.close(read_end)
    os.waitpid(pid, 0)
    assert re.fullmatch(r"[0-9a-f]{32}", child_id)
    assert child_id[:16] != new_request_id()[:16], "a forked worker must not share the prefix"
