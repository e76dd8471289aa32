"""The periodic driver: every few seconds, the alarms and the schedules that are due."""

from __future__ import annotations

import asyncio
import logging

from app.runtime.alarms.engine import AlarmEngine

log = logging.getLogger(__name__)


class AlarmScheduler:
    """The loop: every few seconds, the alarms and schedules that are due."""

    def __init__(self, engine: AlarmEngine, tick_s: float = 5.0) -> None:
        self.engine = engine
        self.tick_s = tick_s
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._loop())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            try:
                await self.engine.run_cycle()
                await self.engine.run_schedules()
                await self.engine.send_emails()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the loop must outlive one bad cycle
                log.exception("An alarm cycle failed")
            await asyncio.sleep(self.tick_s)
