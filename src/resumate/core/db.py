"""Database engine and the request-scoped session (one transaction per request)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import threading
import time
import uuid
import weakref
from bisect import bisect_left
from collections import deque
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from datetime import datetime
from typing import Annotated, Any, TypeVar

import structlog
from fastapi import Depends, Request
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from sqlalchemy import DateTime, MetaData, event, func, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, Session, mapped_column
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry
from sqlalchemy.util import await_
from sqlalchemy.util.queue import Empty, Full, QueueCommon

from resumate.config import Settings
from resumate.core.errors import AppError
from resumate.core.metrics import REGISTRY

log = structlog.get_logger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # Fetch server-generated values (timestamps) with RETURNING, so objects stay loaded after
    # a flush and nothing lazy-loads later outside the async context.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012


class UUIDPk:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


def sqlalchemy_url(url: str) -> str:
    """Any PostgreSQL URL → the SQLAlchemy psycopg 3 form."""
    for prefix in (
        "postgresql+psycopg://",
        "postgresql+asyncpg://",
        "postgresql://",
        "postgres://",
    ):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def libpq_url(url: str) -> str:
    """Any PostgreSQL URL → the plain libpq form psycopg and procrastinate take."""
    return "postgresql://" + sqlalchemy_url(url)[len("postgresql+psycopg://") :]


def resolve_database_url(settings: Settings) -> str:
    """The configured URL, or the embedded server's (started or attached on demand)."""
    if settings.database_url:
        return sqlalchemy_url(settings.database_url)
    from resumate.core.pgserver import start_embedded

    return start_embedded(settings.data_dir).url()


# ---- the connection pool: first come, first served; who holds what, and for how long ---------
# SQLAlchemy's asyncio pool hands a returned connection to its queue, wakes the oldest waiter,
# and lets any request that asks before that waiter runs take the connection instead
# (``get_nowait`` first). The waiter then finds the queue empty and joins the *back* of the
# line. On a busy event loop the gap between the wake-up and the waiter running is long, so
# under load a request can be overtaken again and again until its pool timeout (a 503) while
# the average wait stays short: the unexplained >10 s waits of the load test (issue 16).
# ``FairQueue`` hands each returned connection straight to the oldest waiter, and a newcomer
# takes an idle connection only when nobody is waiting, so a wait is bounded by the line ahead.

_T = TypeVar("_T")


def _expire(waiter: asyncio.Future[Any]) -> None:
    if not waiter.done():
        waiter.set_exception(Empty())


class FairQueue(QueueCommon[_T]):
    """A FIFO hand-off queue for the pool: a returned item goes to the longest waiter, never
    to a newcomer. Invariant: idle items and live waiters are never both present."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        self.maxsize = maxsize
        self.use_lifo = use_lifo
        self._items: deque[_T] = deque()
        self._waiters: deque[asyncio.Future[_T]] = deque()

    def empty(self) -> bool:
        return not self._items

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._items)

    def qsize(self) -> int:
        return len(self._items)

    def waiting(self) -> int:
        return sum(1 for waiter in self._waiters if not waiter.done())

    def put_nowait(self, item: _T) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done() and not waiter.get_loop().is_closed():
                waiter.set_result(item)
                return
        if self.full():
            raise Full()
        self._items.append(item)

    def put(self, item: _T, block: bool = True, timeout: float | None = None) -> None:
        # The pool never holds more connections than its size: a put never has to wait.
        self.put_nowait(item)

    def get_nowait(self) -> _T:
        if not self._items:
            raise Empty()
        return self._items.pop() if self.use_lifo else self._items.popleft()

    def get(self, block: bool = True, timeout: float | None = None) -> _T:
        if self._items:
            return self.get_nowait()
        if not block:
            raise Empty()
        return await_(self._wait(timeout))

    async def _wait(self, timeout: float | None) -> _T:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_T] = loop.create_future()
        self._waiters.append(waiter)
        expiry = loop.call_later(timeout, _expire, waiter) if timeout is not None else None
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                # Handed a connection just as we were cancelled: it goes to the next in line.
                self.put_nowait(waiter.result())
            raise
        finally:
            if expiry is not None:
                expiry.cancel()
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)


# Who holds a checked-out connection: "METHOD /route/template" for requests (set by
# ``get_session``), the job's task name for jobs (set by ``hold_as``), else "background".
_holder: ContextVar[str | None] = ContextVar("resumate_db_holder", default=None)


def hold_as(name: str) -> None:
    """Label the connections this task checks out from now on (pool metrics and logs)."""
    _holder.set(name)


WAIT_BUCKETS = (0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
HOLD_BUCKETS = (0.005, 0.025, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class PoolMetrics(Collector):
    """Connection-pool figures for Prometheus: how long checkouts waited, how many timed out,
    how long each kind of holder kept its connection, and how many are out and waiting now."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.waits = [0.0] * (len(WAIT_BUCKETS) + 2)  # buckets, +Inf, sum
        self.timeouts = 0
        self.holds: dict[str, list[float]] = {}
        self.pools: weakref.WeakSet[Any] = weakref.WeakSet()

    def observe_wait(self, seconds: float) -> None:
        with self._lock:
            self.waits[bisect_left(WAIT_BUCKETS, seconds)] += 1
            self.waits[-1] += seconds

    def observe_timeout(self) -> None:
        with self._lock:
            self.timeouts += 1

    def observe_hold(self, holder: str, seconds: float) -> None:
        with self._lock:
            row = self.holds.get(holder)
            if row is None:
                row = self.holds[holder] = [0.0] * (len(HOLD_BUCKETS) + 2)
            row[bisect_left(HOLD_BUCKETS, seconds)] += 1
            row[-1] += seconds

    def describe(self) -> Iterator[Any]:
        return iter(())

    @staticmethod
    def _buckets(bounds: tuple[float, ...], row: list[float]) -> list[tuple[str, float]]:
        labels = [floatToGoString(bound) for bound in bounds] + ["+Inf"]
        cumulative, buckets = 0.0, []
        for label, count in zip(labels, row[:-1], strict=True):
            cumulative += count
            buckets.append((label, cumulative))
        return buckets

    def collect(self) -> Iterator[Any]:
        with self._lock:
            waits, timeouts = list(self.waits), self.timeouts
            holds = sorted((holder, list(row)) for holder, row in self.holds.items())
            pools = list(self.pools)
        wait = HistogramMetricFamily(
            "resumate_db_pool_wait_seconds", "Time a checkout waited for a pooled connection"
        )
        wait.add_metric([], self._buckets(WAIT_BUCKETS, waits), sum_value=waits[-1])
        yield wait
        timed_out = CounterMetricFamily(
            "resumate_db_pool_timeouts", "Checkouts that gave up waiting (answered 503)"
        )
        timed_out.add_metric([], timeouts)
        yield timed_out
        hold = HistogramMetricFamily(
            "resumate_db_connection_hold_seconds",
            "Time a connection stayed checked out, by holder (route template or job)",
            labels=["holder"],
        )
        for holder, row in holds:
            hold.add_metric([holder], self._buckets(HOLD_BUCKETS, row), sum_value=row[-1])
        yield hold
        state = GaugeMetricFamily(
            "resumate_db_pool_connections", "Pooled connections by state", labels=["state"]
        )
        state.add_metric(["checked_out"], sum(pool.checkedout() for pool in pools))
        state.add_metric(["idle"], sum(pool.checkedin() for pool in pools))
        state.add_metric(["waiting"], sum(pool.waiting() for pool in pools))
        yield state


POOL_METRICS = PoolMetrics()
REGISTRY.register(POOL_METRICS)
# SQLAlchemy names a pool's logger after its class: ours would log every dispose at our INFO.
logging.getLogger(f"{__name__}.FairAsyncPool").setLevel(logging.WARNING)


class FairAsyncPool(AsyncAdaptedQueuePool):
    """The asyncio queue pool with first-come-first-served waiting (``FairQueue``) that also
    knows who holds each checked-out connection: a connection kept longer than
    ``hold_warn_seconds`` is logged with its holder, and a checkout that times out logs who
    held the whole pool at that moment."""

    _queue_class = FairQueue[ConnectionPoolEntry]
    hold_warn_seconds: float = 5.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._out: dict[int, tuple[str, float]] = {}
        with POOL_METRICS._lock:
            POOL_METRICS.pools.add(self)

    def waiting(self) -> int:
        queue = self._pool
        return queue.waiting() if isinstance(queue, FairQueue) else 0

    def holders(self) -> dict[str, dict[str, float]]:
        """What holds the checked-out connections now: per holder, how many and the oldest."""
        now = time.monotonic()
        summary: dict[str, dict[str, float]] = {}
        for holder, since in list(self._out.values()):
            row = summary.setdefault(holder, {"count": 0, "oldest_s": 0.0})
            row["count"] += 1
            row["oldest_s"] = round(max(row["oldest_s"], now - since), 3)
        return summary

    def _do_get(self) -> ConnectionPoolEntry:
        started = time.monotonic()
        try:
            record = super()._do_get()
        except sa_exc.TimeoutError:
            waited = time.monotonic() - started
            POOL_METRICS.observe_timeout()
            log.warning(
                "database pool wait timed out",
                waited_s=round(waited, 3),
                checked_out=self.checkedout(),
                waiting=self.waiting(),
                holders=self.holders(),
            )
            raise
        now = time.monotonic()
        POOL_METRICS.observe_wait(now - started)
        self._out[id(record)] = (_holder.get() or "background", now)
        return record

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        now = time.monotonic()
        record.info[_RETURNED_AT] = now
        taken = self._out.pop(id(record), None)
        if taken is not None:
            holder, since = taken
            held = now - since
            POOL_METRICS.observe_hold(holder, held)
            if held > self.hold_warn_seconds:
                log.warning("database connection held long", holder=holder, held_s=round(held, 3))
        super()._do_return_conn(record)


# ---- is a pooled connection still alive? ---------------------------------------------------
# ``pool_pre_ping`` sends a query on every checkout: a round trip (and SQLAlchemy's cursor work)
# before each request's first statement, for connections that were in use milliseconds ago.
# PostgreSQL tells its clients when it ends their sessions (server restart or shutdown,
# ``pg_terminate_backend``, ``idle_session_timeout``): it sends a FATAL error and closes the
# socket, which makes an idle connection's socket readable. So a checkout looks at the socket
# first (a zero-timeout poll, no round trip), and pings only when something arrived while the
# connection sat idle or when it sat idle longer than ``IDLE_PING_SECONDS`` (a peer that went
# away without a word). A failed check invalidates every connection older than it, as a
# failed pre-ping did, and the pool hands out a new connection instead.
IDLE_PING_SECONDS = 10.0
_RETURNED_AT = "resumate_returned_at"


def _socket_readable(fileno: int) -> bool:
    try:
        readable, _, _ = select.select([fileno], [], [], 0)
    except (OSError, ValueError):
        return True  # a closed or odd descriptor: let the ping decide
    return bool(readable)


def check_connection(dialect: Any, dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    """The checkout check (see above): raises ``InvalidatePoolError`` for a dead connection."""
    driver = dbapi_connection.driver_connection
    if driver is None or driver.closed or driver.broken:
        raise sa_exc.InvalidatePoolError("the connection is closed")
    returned = record.info.get(_RETURNED_AT)
    if (
        returned is not None
        and time.monotonic() - returned <= IDLE_PING_SECONDS
        and not _socket_readable(driver.pgconn.socket)
    ):
        return
    try:
        dialect.do_ping(dbapi_connection)
    except Exception as exc:
        if dialect.is_disconnect(exc, dbapi_connection, None):
            raise sa_exc.InvalidatePoolError(f"the connection failed its ping: {exc}") from exc
        raise


def default_pool_size(cores: int | None = None) -> int:
    """Pooled connections for this machine: enough for every core to have queries in flight
    while other requests are between queries on the event loop, and no more (past that,
    more connections only add contention in PostgreSQL)."""
    return max(5, 4 * (cores or os.cpu_count() or 2))


class Database:
    def __init__(
        self,
        url: str,
        *,
        pool_size: int | None = None,
        max_overflow: int | None = None,
        connect_timeout: float = 5.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self.url = sqlalchemy_url(url)
        size = pool_size if pool_size is not None else default_pool_size()
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            poolclass=FairAsyncPool,
            pool_size=size,
            max_overflow=max_overflow if max_overflow is not None else size,
            # Liveness is checked on checkout by ``check_connection`` (no round trip for a
            # connection just returned), not by a ping per checkout.
            pool_pre_ping=False,
            # Under a burst requests queue for a connection (first come, first served) rather
            # than fail at once; past the timeout they get a retryable 503.
            pool_timeout=pool_timeout,
            connect_args={"connect_timeout": max(1, int(connect_timeout))},
        )
        dialect = self.engine.dialect

        @event.listens_for(self.engine.sync_engine.pool, "connect")
        def _connected(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
            record.info[_RETURNED_AT] = time.monotonic()  # just connected: alive

        @event.listens_for(self.engine.sync_engine.pool, "checkout")
        def _check(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
            check_connection(dialect, dbapi_connection, record)

        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def pool(self) -> FairAsyncPool:
        pool = self.engine.pool
        assert isinstance(pool, FairAsyncPool)
        return pool

    async def ping(self, timeout: float = 2.0) -> None:
        async def _ping() -> None:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))

        await asyncio.wait_for(_ping(), timeout)

    async def dispose(self) -> None:
        await self.engine.dispose()


_database: Database | None = None


def set_database(database: Database | None) -> None:
    global _database
    _database = database


def get_database() -> Database:
    if _database is None:
        raise RuntimeError("the database is not initialised (app lifespan not started)")
    return _database


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's session: commits when the route succeeds, rolls back when it raises."""
    route = request.scope.get("route")
    _holder.set(f"{request.method} {getattr(route, 'path', request.url.path)}")
    async with get_database().sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except AppError as exc:
            if exc.persist:
                await session.commit()
            else:
                await session.rollback()
            raise
        except BaseException:
            await session.rollback()
            raise


# scope="function": commit before the response is sent, so a failed commit is a failed request.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


# ---- giving the connection back during slow work -----------------------------------------
# A request holds its pooled connection from its first query to its commit. Work that needs no
# database but takes long (an argon2 hash: tens of milliseconds of CPU, seconds when many queue
# for the hash threads) must not sit on it, or a burst of sign-ins empties the pool and every
# other request waits for a connection. ``release_connection`` ends a transaction that has
# written nothing (so ending it changes nothing) and the next query takes a connection afresh.
_WROTE = "resumate_wrote"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _flush_context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_WROTE, None)


async def release_connection(session: AsyncSession) -> bool:
    """End ``session``'s transaction when it has only read, giving its connection back to the
    pool; loaded objects stay usable and the next query begins a new transaction. A
    transaction that wrote is left alone (its writes must commit with the rest): False."""
    if session.new or session.dirty or session.deleted or session.info.get(_WROTE):
        log.debug("connection kept: the transaction has written")
        return False
    if session.in_transaction():
        await session.commit()
    return True


async def read_without_transaction(session: AsyncSession) -> None:
    """Run ``session``'s next statements outside a transaction (the connection in autocommit):
    no BEGIN and no COMMIT round trip, for work that only reads. In READ COMMITTED each
    statement sees its own snapshot either way, so reads see what they saw before. Call it
    before the session's first statement; a write after it would commit on its own, so only
    read-only work may use it. Only for a session bound to the engine (as in the server); a
    session bound to a connection (as in tests) already runs inside that connection's
    transaction and is left as it is."""
    if isinstance(session.bind, AsyncEngine) and not session.in_transaction():
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


async def raw_connection(session: AsyncSession) -> Any:
    """The psycopg connection under ``session``'s transaction (for transactional job deferral)."""
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return raw.driver_connection
