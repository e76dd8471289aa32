"""What every data source hands back besides plant values: its failure and a connection test.

Plain types, so the services and the screens can check settings, show outcomes and catch a
source's failure without importing the sources themselves (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import UserError

__all__ = ["SourceError", "TestResult"]


class SourceError(UserError):
    """A data source failed; `message` is a sentence for a plant engineer, `code` the driver's."""

    def __init__(self, message: str, code: str | None = None, details: str | None = None) -> None:
        super().__init__(message, details)
        self.code = code

    def __str__(self) -> str:
        return f"{self.message} ({self.code})" if self.code else self.message


@dataclass(frozen=True)
class TestResult:
    ok: bool
    latency_ms: float
    message: str  # "Connected in 84 ms (PI Web API 2019 SP1)" or the failure sentence
    code: str | None = None
    server: str | None = None  # product and version when known
