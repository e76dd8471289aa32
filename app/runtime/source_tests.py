"""Connection tests: pending → success/failed on the row, the blocking call on the executor."""

from __future__ import annotations

import logging
import time
from typing import Any

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
    sources.mark_pending(source_id)
    kind, config, stored = sources.connection_settings(source_id)
    result = await _try(kind, config, stored, timeout)
    sources.record_test(actor, source_id, result)
    return result


async def try_unsaved(kind: str, config: dict[str, Any], typed: dict[str, str | None],
                       source_id: str | None = None) -> TestResult:
    """The connection form's Test: the settings as they are in the form, not yet saved.

    Secrets typed in the form are used; an empty one keeps the stored secret of `source_id`
    (an edited connection), as saving would. Nothing is written: the row's test status is the
    saved connection's, tested by the tab's Test.
    """
    stored = sources.connection_settings(source_id)[2] if source_id else {}
    secrets = {**stored, **{k: v for k, v in typed.items() if v}}
    return await _try(kind, config, secrets, None)


async def _try(kind: str, config: dict[str, Any], secrets: dict[str, str],
               timeout: float | None) -> TestResult:
    started = time.perf_counter()
    try:
        source = registry.create(kind, config, secrets)
        limit = timeout or float(config.get("timeout_s") or config.get("connect_timeout_s")
                                 or DEFAULT_TIMEOUT_S)
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
    return result
