"""What other features plug into accounts: their share of a user's data (export, deletion,
counts, stored bytes) and extra sections of the admin metrics.

This module imports no feature, so any feature can register here without an import cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class UserDataProvider:
    name: str
    export: Callable[[AsyncSession, uuid.UUID], Awaitable[Any]]
    stored_files: Callable[[AsyncSession, uuid.UUID], Awaitable[list[str]]] | None = None
    count: Callable[[AsyncSession], Awaitable[int]] | None = None
    # Bytes of stored files (admin metrics).
    storage_bytes: Callable[[AsyncSession], Awaitable[int]] | None = None


providers: dict[str, UserDataProvider] = {}

# Extra sections of GET /admin/metrics: name -> async fn(session) -> dict. Billing registers
# "billing" ({conversions, mrr, ...}) from its service.
metric_sources: dict[str, Callable[[AsyncSession], Awaitable[dict[str, Any]]]] = {}


def register_user_data(provider: UserDataProvider) -> None:
    providers[provider.name] = provider


def register_admin_metrics(
    name: str, source: Callable[[AsyncSession], Awaitable[dict[str, Any]]]
) -> None:
    """Add a section ``name`` to the admin metrics (e.g. billing's conversions and MRR)."""
    metric_sources[name] = source
