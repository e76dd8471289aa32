"""The one way to start async work from the GUI: keeps the task, cancels its predecessor."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class AsyncRunner:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task] = {}

    def run(
        self,
        coro: Coroutine[Any, Any, Any] | Awaitable[Any],
        on_ok: Callable[[Any], None] | None = None,
        on_err: Callable[[BaseException], None] | None = None,
        key: str | None = None,
        control: QWidget | None = None,
    ) -> asyncio.Task:
        key = key or f"task-{id(coro)}"
        previous = self._tasks.get(key)
        if previous is not None and not previous.done():
            previous.cancel()
        if control is not None:
            control.setEnabled(False)
        task = asyncio.ensure_future(coro)
        self._tasks[key] = task

        def finished(done: asyncio.Task) -> None:
            if self._tasks.get(key) is done:
                del self._tasks[key]
            if control is not None:
                try:
                    control.setEnabled(True)
                except RuntimeError:  # the widget was deleted meanwhile
                    pass
            if done.cancelled():
                return
            exc = done.exception()
            if exc is not None:
                if on_err is not None:
                    on_err(exc)
                else:
                    log.error("Background task %s failed", key, exc_info=exc)
            elif on_ok is not None:
                on_ok(done.result())

        task.add_done_callback(finished)
        return task

    def busy(self, key: str) -> bool:
        task = self._tasks.get(key)
        return task is not None and not task.done()

    async def cancel_all(self, timeout: float = 2.0) -> None:
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)
