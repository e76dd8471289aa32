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
import sys
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

from app.runtime import executor

log = logging.getLogger(__name__)
T = TypeVar("T")
SLOW_APPLY_S = 0.1  # an apply longer than this is logged: the window froze that long
# The views read one at a time: reads are Python work that holds the interpreter lock, and
# three at once leave the window's thread waiting for it for hundreds of milliseconds.
_waiting: deque[Refresher] = deque()
_reading: list[Refresher] = []
# While a view reads, the interpreter hands its lock to the window's thread after 1 ms of the
# reading thread's Python rather than the default 5 ms. The window's thread takes the lock
# again at every call from Qt into Python, a dozen times for one turn of the loop, and with
# 5 ms each a read of a few hundred milliseconds held the window 70-100 ms at a time (a
# heartbeat beside a thread building rows in Python: 45-60 beats a second at 5 ms, 75-110
# at 1 ms). Put back as it was once no view reads.
READ_SWITCH_S = 0.001
_switch_before: float | None = None
# A read starts this long after it is asked for, or after the apply before it: the window
# paints what was just applied (thousands of calls from Qt into Python, each waiting for the
# interpreter lock while a read runs) before the next read competes with it. Painting the
# alarm summary under the Alarms tab's read held the window 150-300 ms.
SETTLE_MS = 40
_settling = False


_applied_at = 0.0  # perf_counter when the last apply ended


def reading() -> bool:
    """A view reads off the loop now, or is about to, or has just applied what it read and
    the window is painting it (the window's own work can wait)."""
    painting = time.perf_counter() - _applied_at < SETTLE_MS / 1000
    return bool(_reading or _waiting or _settling or painting)


def _kick() -> None:
    """The next waiting read, once the window has painted (SETTLE_MS)."""
    global _settling, _lane
    if _reading or _settling or not _waiting:
        return
    if _lane is None:
        _lane = _Lane()
    _settling = True
    QTimer.singleShot(SETTLE_MS, _lane.begin)


def _hand_over_sooner(reading: bool) -> None:
    global _switch_before
    if reading and _switch_before is None:
        _switch_before = sys.getswitchinterval()
        sys.setswitchinterval(min(_switch_before, READ_SWITCH_S))
    elif not reading and _switch_before is not None:
        sys.setswitchinterval(_switch_before)
        _switch_before = None


class _Lane(QObject):
    """Hands each read's future from the worker thread to the GUI thread (queued). Not an
    asyncio task: a task started just before something calls processEvents() may never be
    stepped by the qasync loop, and the view would wait for its read forever. One object for
    every view, living as long as the app: a view deleted meanwhile still frees the lane."""

    read_done = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        # Queued, to a method of this object (which lives on the GUI thread): a plain
        # function as the slot would run on the worker thread that emits, and touch the
        # widgets from there.
        self.read_done.connect(self._done, Qt.ConnectionType.QueuedConnection)

    def begin(self) -> None:
        global _settling
        _settling = False
        while _waiting and not _reading:
            following = _waiting.popleft()
            if following._alive():
                following._read()
        if not _reading:
            _hand_over_sooner(False)

    def _done(self, refresher: Refresher, reading: Future) -> None:
        refresher._reading = None
        if refresher in _reading:
            _reading.remove(refresher)
        try:
            refresher._show(reading)
        finally:
            if not _reading:
                _hand_over_sooner(False)
            _kick()


_lane: _Lane | None = None


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
        self.longest_apply_s = 0.0  # the longest an apply held the loop
        self.closed = False
        self._reading: Future | None = None
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
            asyncio.get_running_loop()
        except RuntimeError:  # no loop runs: read and apply in place
            self.now()
            return
        self._start()

    def now(self) -> None:
        """Read and apply in place, on the loop (as every refresh did before)."""
        self.apply(self.read(self.prepare()))

    def busy(self) -> bool:
        return self._reading is not None or self in _waiting

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
        """In the queue of views to read, one at a time (another may be reading)."""
        if self not in _waiting:
            _waiting.append(self)
        _kick()

    def _read(self) -> None:
        lane = _lane
        self._again = False
        _reading.append(self)
        _hand_over_sooner(True)
        self._reading = executor.pool().submit(self.read, self.prepare())
        self._reading.add_done_callback(lambda reading: lane.read_done.emit(self, reading))

    def _show(self, reading: Future) -> None:
        if not self._alive():
            return
        try:
            result = reading.result()
        except Exception:  # noqa: BLE001 - a failed read leaves the view as it was
            log.exception("Refreshing %s failed", self.name)
        else:
            global _applied_at
            started = time.perf_counter()
            self.apply(result)
            _applied_at = time.perf_counter()
            took = _applied_at - started
            self.applied += 1
            self.longest_apply_s = max(self.longest_apply_s, took)
            if took > SLOW_APPLY_S:
                log.warning("Showing %s held the window for %.0f ms", self.name, took * 1000)
        if self._again and self._alive() and self not in _waiting:
            _waiting.append(self)  # once more, after the views waiting already (_kick)
