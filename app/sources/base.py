"""One interface for every data source: plain data in and out, blocking calls with deadlines.

Every `*_blocking` method runs on the app's bounded executor (app.runtime.executor), never on the
event loop, and must give up by itself within `timeout` seconds. Two class attributes tell the
executor how: `concurrent_requests`, how many calls of one source object may hold a thread at
once (so one server that hangs cannot take the whole pool), and `inline_calls`, the names of
methods that are quick pure computation and run on the event loop without a thread. The plain
types the interface speaks live in app/core (values.py and sources.py) and are named here again
for the sources.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from app.core.sources import Fault, SourceError, TestResult
from app.core.values import PiSeries, PiValue, QueryResult, TagInfo

__all__ = ["CONCURRENT_REQUESTS", "Fault", "Historian", "Mailer", "PiSeries", "PiValue",
           "QueryResult", "Source", "SourceError", "SqlDatabase", "TagInfo", "TestResult"]

# Threads one source may hold at once: half of the executor's six, so even six hung calls to one
# server leave threads for every other source.
CONCURRENT_REQUESTS = 3


@runtime_checkable
class Source(Protocol):
    def test_blocking(self, timeout: float) -> TestResult: ...

    def close(self) -> None: ...


@runtime_checkable
class Historian(Source, Protocol):
    """PI (PI Web API or the old gateway) and the demo historian."""

    def current_blocking(self, tags: list[str], timeout: float) -> list[PiValue]: ...

    def recorded_blocking(self, tags: list[str], start: str, end: str, max_count: int,
                          timeout: float) -> list[PiSeries]: ...

    def interpolated_blocking(self, tags: list[str], start: str, end: str, interval: str,
                              timeout: float) -> list[PiSeries]: ...

    def summary_blocking(self, tags: list[str], start: str, end: str, summary_types: list[str],
                         timeout: float) -> dict[str, dict[str, PiValue]]: ...

    def plot_blocking(self, tags: list[str], start: str, end: str, intervals: int,
                      timeout: float) -> list[PiSeries]: ...

    def search_blocking(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]: ...


@runtime_checkable
class SqlDatabase(Source, Protocol):
    """MySQL / MariaDB and Oracle: one checked read-only query with bound variables."""

    def query_blocking(self, sql: str, params: dict[str, Any], max_rows: int,
                       timeout: float) -> QueryResult: ...


@runtime_checkable
class Mailer(Source, Protocol):
    """An SMTP mail server: one message to one address; returns the message's Message-ID."""

    def send_blocking(self, to: str, subject: str, body: str,
                      timeout: float | None = None) -> str: ...
