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
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Signal

from app.runtime import executor

log = logging.getLogger(__name__)
T = TypeVar("T")


class Refresher(QObject, Generic[T]):
    # The read's future, handed from the worker thread to this object's (the GUI) thread. Not
    # an asyncio task: a task started just before something calls processEvents() may never
    # be stepped by the qasync loop, and the view would wait for its read forever.
    _read_done = Signal(object)

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
        self._reading: Future | None = None
        self._again = False
        self._read_done.connect(self._done)
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
            asyncio.get_running_loop()
        except RuntimeError:  # no loop runs: read and apply in place
            self.now()
            return
        self._start()

    def now(self) -> None:
        """Read and apply in place, on the loop (as every refresh did before)."""
        self.apply(self.read(self.prepare()))

    def busy(self) -> bool:
        return self._reading is not None

    async def idle(self) -> None:
        """Until no read is in flight (tests and the bench wait on it)."""
        while self.busy():
            await asyncio.sleep(0.01)

    def close(self, *_args: Any) -> None:
        """The view is gone: a read in flight is applied to nothing."""
        self.closed = True
        self._again = False

    def _alive(self) -> bool:
        return not self.closed and shiboken6.isValid(self.owner)

    def _start(self) -> None:
        self._again = False
        self._reading = executor.pool().submit(self.read, self.prepare())
        self._reading.add_done_callback(self._hand_over)

    def _hand_over(self, reading: Future) -> None:
        """On the worker thread: the result goes to the GUI thread (queued)."""
        try:
            self._read_done.emit(reading)
        except RuntimeError:  # this object is gone with its view
            pass

    def _done(self, reading: Future) -> None:
        self._reading = None
        if not self._alive():
            return
        try:
            result = reading.result()
        except Exception:  # noqa: BLE001 - a failed read leaves the view as it was
            log.exception("Refreshing %s failed", self.name)
        else:
            self.apply(result)
            self.applied += 1
        if self._again and self._alive():
            self._start()
