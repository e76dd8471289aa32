"""Plant values as plain data: what sources return and what replies and charts are made of."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PiValue:
    """One value of one tag at one time, with everything needed to show it honestly."""

    tag: str  # the tag as the trigger named it
    timestamp: datetime | None
    value: float | int | str | None  # a number, a string, or a digital state's name
    units: str = ""
    good: bool = True
    questionable: bool = False
    substituted: bool = False
    system_state: str | None = None  # "I/O Timeout", "Shutdown", "Pt Created": bad, never a number
    digital: bool = False  # `value` is a digital state name
    error: str | None = None  # a sentence when this tag could not be read at all

    @property
    def is_bad(self) -> bool:
        return self.error is not None or self.system_state is not None or not self.good


@dataclass(frozen=True)
class PiSeries:
    tag: str
    units: str = ""
    values: list[PiValue] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class TagInfo:
    path: str  # \\SERVER\TAG
    name: str
    descriptor: str = ""
    units: str = ""
    point_type: str = ""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows existed than max_rows
    elapsed_ms: float
