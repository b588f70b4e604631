"""Database engine and the request-scoped session (one transaction per request)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any

import structlog
from fastapi import Depends
from sqlalchemy import DateTime, MetaData, event, func, text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, ORMExecuteState, Session, mapped_column

from resumate.config import Settings
from resumate.core.errors import AppError

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


class Database:
    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        max_overflow: int = 10,
        connect_timeout: float = 5.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self.url = sqlalchemy_url(url)
        self.engine: AsyncEngine = create_async_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_pre_ping=True,
            # Under a burst requests queue for a connection rather than fail at once.
            pool_timeout=pool_timeout,
            connect_args={"connect_timeout": max(1, int(connect_timeout))},
        )
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

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


async def get_session() -> AsyncIterator[AsyncSession]:
    """The request's session: commits when the route succeeds, rolls back when it raises."""
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


async def raw_connection(session: AsyncSession) -> Any:
    """The psycopg connection under ``session``'s transaction (for transactional job deferral)."""
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    return raw.driver_connection
