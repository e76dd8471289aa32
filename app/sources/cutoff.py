"""Cutting a blocking network call off at its deadline by shutting its sockets down.

A per-read timeout does not bound a call: a server that sends one byte every half second keeps
every single read short and the call going for minutes, holding one of the app's few worker
threads. A `Cutoff` is the call's total deadline instead: when it passes, the sockets the call
registered are shut down, which wakes a thread blocked in a read or a write at once (closing
alone does not, on Linux), and the call ends with an error its caller turns into the
time-limit sentence because `fired` is set.

One daemon thread serves every cutoff in the process; its actions only shut sockets down.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

__all__ = ["Cutoff", "shut"]


def shut(sock: socket.socket | None) -> None:
    """Shut a socket down for both directions: a thread blocked on it wakes with an error.

    It is not closed here: the thread that owns it closes it, so its number cannot be reused
    by another connection while that thread still holds it.
    """
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # not connected yet, or already closed


class Cutoff:
    """The deadline of one call: at `at` (time.monotonic()), every registered closer runs.

    Use it as a context manager around the call; leaving it before the deadline disarms it.
    """

    def __init__(self, at: float) -> None:
        self.at = at
        self._lock = threading.Lock()
        self._closers: list[Callable[[], None]] = []
        self._fired = False
        self._over = False
        _clock.schedule(self)

    @property
    def fired(self) -> bool:
        return self._fired

    def watch(self, closer: Callable[[], None]) -> None:
        """Run `closer` at the deadline (at once when it has already passed)."""
        with self._lock:
            if self._over:
                return
            if not self._fired:
                self._closers.append(closer)
                return
        _run(closer)

    def fire(self) -> None:
        with self._lock:
            if self._over or self._fired:
                return
            self._fired = True
            closers, self._closers = self._closers, []
        for closer in closers:
            _run(closer)

    def disarm(self) -> None:
        """The call is over: nothing runs any more, whatever the clock says."""
        with self._lock:
            self._over = True
            self._closers = []

    def __enter__(self) -> Cutoff:
        return self

    def __exit__(self, *exc: object) -> None:
        self.disarm()


def _run(closer: Callable[[], None]) -> None:
    try:
        closer()
    except Exception:  # noqa: BLE001 - a failed close must not stop the clock thread
        log.debug("Cutting a call off failed", exc_info=True)


class _Clock:
    """One thread that fires cutoffs in deadline order."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, Cutoff]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def schedule(self, cutoff: Cutoff) -> None:
        with self._cond:
            heapq.heappush(self._heap, (cutoff.at, next(self._order), cutoff))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="wa-cutoff",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                at, _, cutoff = self._heap[0]
                wait = at - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            if not cutoff._over:
                cutoff.fire()


_clock = _Clock()
