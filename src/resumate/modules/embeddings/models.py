from __future__ import annotations

import uuid
from datetime import datetime

from pgvector.sqlalchemy import Vector
from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from resumate.core.db import Base, UUIDPk


class Embedding(UUIDPk, Base):
    """One vector of one resource (a CV or a job) by one model.

    Vectors of every model live side by side (the column has no fixed dimension), so changing
    the model never loses data; each model gets its own partial HNSW index on
    ``embedding::vector(dim)`` (see ``service.ensure_index``).
    """

    __tablename__ = "embeddings"
    __table_args__ = (
        UniqueConstraint(
            "resource_type", "resource_id", "model", name="uq_embeddings_resource_model"
        ),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    resource_type: Mapped[str] = mapped_column(String(20), nullable=False)
    resource_id: Mapped[uuid.UUID] = mapped_column(nullable=False)
    model: Mapped[str] = mapped_column(String(100), nullable=False)
    dim: Mapped[int] = mapped_column(Integer, nullable=False)
    embedding: Mapped[list[float]] = mapped_column(Vector(), nullable=False)
    content_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
