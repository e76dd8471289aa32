"""Sending one e-mail through an e-mail connection, on the bounded executor.

The SMTP conversation blocks, so it runs on app.runtime.executor like every source call; the
connection's own time limit bounds it (the source ends it at its deadline by itself; the outer
bound here is only the safety net).
"""

from __future__ import annotations

from app.runtime.executor import run_blocking
from app.runtime.source_pool import SourcePool
from app.sources.base import Fault, Mailer, SourceError

__all__ = ["send_email"]

# Past the source's own deadline, before the wait for its thread is given up.
_SAFETY_S = 5.0


async def send_email(pool: SourcePool, source_id: str, to: str, subject: str, body: str,
                     timeout: float | None = None) -> str:
    """Sends one message to one address; returns its Message-ID. SourceError says why not."""
    source = pool.get(source_id)
    if not isinstance(source, Mailer):
        raise SourceError("That connection is not an e-mail connection.", "config",
                          kind=Fault.SETUP)
    limit = float(timeout or getattr(source, "time_limit", None) or 30.0)
    # Positional: run_blocking's own `timeout` is the outer bound.
    try:
        return await run_blocking(source.send_blocking, to, subject, body, limit,
                                  timeout=limit + _SAFETY_S)
    except TimeoutError:
        raise SourceError(f"The mail server did not answer within {limit:g} s; the message "
                          "may or may not have arrived.", "timeout", kind=Fault.TIMEOUT) from None
