"""What every data source hands back besides plant values: its failure and a connection test.

Plain types, so the services and the screens can check settings, show outcomes and catch a
source's failure without importing the sources themselves (docs/architecture.md, "Layers").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.errors import UserError

__all__ = ["Fault", "SourceError", "TestResult"]


class Fault(StrEnum):
    """What kind of failure a source had, set where it is raised.

    The sentence sent to WhatsApp is chosen by this kind alone, in the reply language, so it
    never carries a host, a port, a path, SQL or a driver's message; the full sentence
    (`SourceError.message`) is for the operator (the Messages tab and the log).
    """

    UNREACHABLE = "unreachable"  # server down, refused, unknown host, no route, TLS failed
    TIMEOUT = "timeout"          # connected (or tried) but no answer in time
    SIGN_IN = "sign_in"          # user name, password, token or key refused or missing
    REFUSED = "refused"          # the server refused this query or request (SQL, permission)
    SETUP = "setup"              # the connection's settings are wrong or incomplete
    OFF = "off"                  # the connection is switched off
    NO_DATA = "no_data"          # no such tag, table or data
    BUSY = "busy"                # the server is busy or limiting requests
    NO_CREDIT = "no_credit"      # the AI account has no credit left
    FAILED = "failed"            # anything else


class SourceError(UserError):
    """A data source failed; `message` is a sentence for a plant engineer, `code` the driver's,
    `kind` what sort of failure it was (what the bot's users are told)."""

    def __init__(self, message: str, code: str | None = None, details: str | None = None, *,
                 kind: Fault = Fault.FAILED) -> None:
        super().__init__(message, details)
        self.code = code
        self.kind = Fault(kind)

    def __str__(self) -> str:
        return f"{self.message} ({self.code})" if self.code else self.message


@dataclass(frozen=True)
class TestResult:
    ok: bool
    latency_ms: float
    message: str  # "Connected in 84 ms (PI Web API 2019 SP1)" or the failure sentence
    code: str | None = None
    server: str | None = None  # product and version when known
