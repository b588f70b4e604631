from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Period(BaseModel):
    period: date = Field(description="First day of the period")
    counts: dict[str, int]


class Summary(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: date = Field(alias="from")
    to: date
    interval: Literal["day", "week", "month"]
    events: list[str]
    totals: dict[str, int]
    series: list[Period]
