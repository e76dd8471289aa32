"""A small pool of open database connections for one SQL source.

A trigger that opens its own connection pays for TCP, the server's greeting, the login (and TLS)
on every query: tens of milliseconds against a query of one. The pool keeps up to `size`
connections that finished their last query cleanly and hands the most recently used one out
again. A connection is put back only after a clean end (its read-only transaction rolled back);
one that failed, timed out or was cut off is closed instead, so what sits in the pool is known
to have been usable when it went in.

What the pool cannot know is whether the server still holds an idle connection (it may have
been killed by the DBA, by the server's `wait_timeout`, or by a firewall). The source checks it
(a ping) before use when it has been idle for more than `check_after_s`, and a query on a reused
connection that finds it gone is run once more on a new one (app.sources.sql.common).

Idle connections are closed after `idle_close_s` by one daemon thread shared by every pool of
the process; closing the source closes them all at once.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# Seconds an unused connection stays open (the server's own wait_timeout is usually hours).
IDLE_CLOSE_S = 120.0
# A connection used this recently is taken as alive without a ping: a burst of queries pays one
# round trip each, and a connection that died meanwhile is retried once on a new one anyway.
CHECK_AFTER_S = 1.0


@dataclass(eq=False)
class Pooled:
    """One open connection and what the pool knows about it."""

    conn: Any
    opened_at: float = field(default_factory=time.monotonic)
    returned_at: float = field(default_factory=time.monotonic)
    uses: int = 0  # queries run on it before this one (0: opened for this query)

    @property
    def reused(self) -> bool:
        return self.uses > 0


class ConnectionPool:
    """Idle connections of one source, most recently used last; thread-safe."""

    def __init__(self, size: int, close: Callable[[Any], None], name: str, *,
                 idle_close_s: float = IDLE_CLOSE_S) -> None:
        self.size = max(1, int(size))
        self.idle_close_s = idle_close_s
        self._close = close
        self._name = name
        self._lock = threading.Lock()
        self._idle: list[Pooled] = []
        self._closed = False
        self.opened = 0  # connections made for this pool, for the diagnostics and the benches
        self.discarded = 0

    def take(self) -> Pooled | None:
        """The most recently used idle connection, or None (the caller opens one)."""
        with self._lock:
            if self._closed or not self._idle:
                return None
            return self._idle.pop()

    def adopt(self, conn: Any) -> Pooled:
        """A connection the caller just opened, to be given back or discarded when done."""
        with self._lock:
            self.opened += 1
        return Pooled(conn)

    def give_back(self, item: Pooled) -> None:
        """The query on it ended cleanly: keep it for the next one (or close it when full)."""
        item.uses += 1
        item.returned_at = time.monotonic()
        with self._lock:
            keep = not self._closed and len(self._idle) < self.size
            if keep:
                self._idle.append(item)
        if keep:
            _reaper.watch(self)
        else:
            self._shut(item)

    def discard(self, item: Pooled) -> None:
        """The connection failed, timed out or was cut off: close it, never reuse it."""
        with self._lock:
            self.discarded += 1
        self._shut(item)

    @property
    def idle_count(self) -> int:
        with self._lock:
            return len(self._idle)

    def close_idle(self, older_than_s: float | None = None) -> int:
        """Closes the idle connections unused for `older_than_s` (all when None)."""
        now = time.monotonic()
        with self._lock:
            if older_than_s is None:
                old, self._idle = self._idle, []
            else:
                old = [i for i in self._idle if now - i.returned_at >= older_than_s]
                self._idle = [i for i in self._idle if now - i.returned_at < older_than_s]
        for item in old:
            self._shut(item)
        return len(old)

    def close(self) -> None:
        """Closes every idle connection; one in use is closed when its query ends."""
        with self._lock:
            self._closed = True
        self.close_idle()

    def next_expiry(self) -> float | None:
        """When (monotonic) the oldest idle connection is due to close, or None."""
        with self._lock:
            if not self._idle:
                return None
            return min(i.returned_at for i in self._idle) + self.idle_close_s

    def _shut(self, item: Pooled) -> None:
        try:
            self._close(item.conn)
        except Exception:  # noqa: BLE001 - closing must never fail a query or the reaper
            log.debug("Closing a pooled connection of %s failed", self._name, exc_info=True)


class _Reaper:
    """One daemon thread that closes idle connections of every pool when they expire."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._pools: weakref.WeakSet[ConnectionPool] = weakref.WeakSet()
        self._thread: threading.Thread | None = None

    def watch(self, pool: ConnectionPool) -> None:
        with self._cond:
            self._pools.add(pool)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="wa-sql-idle",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                due = [(p, p.next_expiry()) for p in list(self._pools)]
                due = [(p, at) for p, at in due if at is not None]
                if not due:
                    self._pools.clear()
                    self._cond.wait()
                    continue
                wait = min(at for _, at in due) - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
            for pool, _ in due:
                closed = pool.close_idle(pool.idle_close_s)
                if closed:
                    log.debug("Closed %d idle connection(s) of %s", closed, pool._name)


_reaper = _Reaper()
