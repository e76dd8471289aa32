"""Connection tests: pending → success/failed on the row, the blocking call on the executor."""

from __future__ import annotations

import logging
import time

from app.errors import describe
from app.runtime.executor import run_blocking
from app.services import sources
from app.services.context import Actor
from app.sources import registry
from app.sources.base import SourceError, TestResult

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT_S = 15.0


async def run_connection_test(actor: Actor | None, source_id: str,
                      timeout: float | None = None) -> TestResult:
    started = time.perf_counter()
    sources.mark_pending(source_id)
    try:
        source = registry.create(*sources.connection_settings(source_id))
        limit = timeout or float(sources.get_source(source_id)["config"].get("timeout_s")
                                 or sources.get_source(source_id)["config"].get(
                                     "connect_timeout_s") or DEFAULT_TIMEOUT_S)
        try:
            # The source gives up by itself at `limit`; the outer bound is the safety net.
            result = await run_blocking(source.test_blocking, limit, timeout=limit + 5)
        finally:
            source.close()
    except TimeoutError:
        result = TestResult(False, (time.perf_counter() - started) * 1000,
                            "The server did not answer in time.", "timeout")
    except SourceError as exc:
        result = TestResult(False, (time.perf_counter() - started) * 1000, exc.message, exc.code)
    except Exception as exc:  # noqa: BLE001 - a bug in a driver still ends the test cleanly
        log.exception("Connection test crashed")
        result = TestResult(False, (time.perf_counter() - started) * 1000, describe(exc),
                            type(exc).__name__)
    sources.record_test(actor, source_id, result)
    return result
