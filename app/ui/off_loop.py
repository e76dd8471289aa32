"""A view's refresh with its database reads off the event loop (docs/architecture.md, threads).

`Refresher(owner, read, apply, prepare)`: `refresh()` takes what the read needs from the
widgets (`prepare()`, on the loop), runs `read(prepared)` on the app's bounded executor
(app/runtime/executor.py) and then `apply(result)` on the loop, where the widgets are. One
read per view is in flight at a time: a refresh asked for while one runs is done once more
when it returns, never piled up behind a slow read. A result that comes back after the view
was closed or deleted is dropped (shown again, the view refreshes again). With no event loop
running (a script that builds a widget and reads it at once) the refresh runs in place.

`read` runs on a worker thread: it calls services and pure functions only, never a widget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject

from app.runtime import executor

log = logging.getLogger(__name__)
T = TypeVar("T")
READ_TIMEOUT_S = 120.0  # a read slower than this is given up and the view left as it is


class Refresher(QObject, Generic[T]):
    def __init__(self, owner: QObject, read: Callable[[Any], T], apply: Callable[[T], None],
                 prepare: Callable[[], Any] = lambda: None, name: str = "") -> None:
        super().__init__(owner)
        self.owner = owner
        self.read = read
        self.apply = apply
        self.prepare = prepare
        self.name = name or type(owner).__name__
        self.applied = 0  # refreshes applied from the executor (the bench counts them)
        self.closed = False
        self._task: asyncio.Task | None = None
        self._again = False
        owner.installEventFilter(self)
        owner.destroyed.connect(self.close)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.owner and event.type() == QEvent.Type.Close:
            self.close()
        elif watched is self.owner and event.type() == QEvent.Type.Show:
            self.closed = False
        return False

    def refresh(self) -> None:
        if self.closed:
            return
        if self.busy():
            self._again = True  # once more when the read in flight is back
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop runs: read and apply in place
            self.now()
            return
        self._task = loop.create_task(self._run())

    def now(self) -> None:
        """Read and apply in place, on the loop (as every refresh did before)."""
        self.apply(self.read(self.prepare()))

    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    async def idle(self) -> None:
        """Until no read is in flight (tests and the bench wait on it)."""
        while self.busy():
            await asyncio.shield(self._task)

    def close(self, *_args: Any) -> None:
        """The view is gone: a read in flight is applied to nothing."""
        self.closed = True
        self._again = False

    def _alive(self) -> bool:
        return not self.closed and shiboken6.isValid(self.owner)

    async def _run(self) -> None:
        while True:
            self._again = False
            try:
                result = await executor.run_blocking(self.read, self.prepare(),
                                                     timeout=READ_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - a failed read leaves the view as it was
                log.exception("Refreshing %s failed", self.name)
                return
            if not self._alive():
                return
            self.apply(result)
            self.applied += 1
            if not self._again or not self._alive():
                return
