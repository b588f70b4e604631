from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class TemplateRead(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    description: str
    preview_url: str
    version: int
    is_builtin: bool
    is_active: bool
    created_at: datetime
    updated_at: datetime
