"""Copies of what the bot reads on every message (the catalog, connections, settings, who a
sender is), kept until they may be stale.

A copy is dropped when its tables change:
- in this process: the change notices after commit (`events.committed`, counted per table,
  which `events.clear()` does not reset);
- in another process, or on another connection of this one (an executor thread, `config
  import` from the command line, `serve` next to the desktop app): SQLite's
  `PRAGMA data_version`, which changes on a connection whenever another connection commits to
  the file. It costs one statement without a table read; inside `checked()` it is asked once
  for every copy read in the block: the bot opens one for each message's answer, which then
  reads the connections, triggers and settings as they were when it began (a change notice
  of this process still drops a copy at once).

Copies are kept per connection (each thread has its own, with its own data_version). Inside a
unit of work, which may see rows it later rolls back, they are neither read nor filled: a
copy of one table lives only as long as the unit (`events.unit_memo`).
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from app.db.models import database_proxy
from app.services import events

T = TypeVar("T")
MAX_KEYS = 10_000  # per copy: 50,000 senders keep at most this many, then start again
# The data_version asked in the open checked() block of this task (a context variable: each
# asyncio task has its own, so the block may await), asked at the first copy read in it, and
# the thread it was asked on.
_checked: contextvars.ContextVar[list | None] = contextvars.ContextVar("checked", default=None)


@contextlib.contextmanager
def checked() -> Iterator[None]:
    """Ask whether another connection committed once for every copy read in the block."""
    if _checked.get() is not None:
        yield
        return
    token = _checked.set([threading.get_ident(), None])
    try:
        yield
    finally:
        _checked.reset(token)


def _seen() -> tuple[Any, Any, int] | None:
    block = _checked.get()
    if block is None or block[0] != threading.get_ident():
        return _data_version()  # no block open, or one a thread inherited from another
    if block[1] is None:
        block[1] = _data_version()
    return block[1]


def connection_state() -> tuple[Any, Any, int] | None:
    """(database, connection, data_version) of this thread's connection, asked once in a
    checked() block: for a kept value that refreshes itself (the contacts' JID index)."""
    return _seen()


def _data_version() -> tuple[Any, Any, int] | None:
    """(database, connection, data_version): the objects themselves, so a database opened
    later at a reused address never finds the copies of one closed before."""
    db = database_proxy.obj
    if db is None:
        return None
    connection = db.connection()
    (version,) = connection.execute("PRAGMA data_version").fetchone()
    return db, connection, int(version)


class Kept:
    """Values built from `tables`, by key, dropped when any of them may have changed."""

    def __init__(self, *tables: str) -> None:
        self.tables = tables
        self._lock = threading.Lock()
        # By connection (a thread's), its id: the stamp the values were built at (naming the
        # connection itself), and the values.
        self._copies: dict[int, tuple[tuple, dict[Hashable, Any]]] = {}

    def get(self, key: Hashable, build: Callable[[], T],
            keep: Callable[[T], bool] | None = None) -> T:
        """The value kept for `key`, else `build()` (kept unless `keep` says no).

        Inside a unit of work they are used only where `events.kept_true` says so; a value
        built there is kept once the unit commits, when building it changed none of `tables`.
        Any other unit reads its own rows."""
        in_unit = events.in_unit_of_work()
        if in_unit and not events.kept_true(*self.tables):
            if len(self.tables) == 1:  # kept for the unit, until it changes the table again
                return events.unit_memo(("kept", id(self), key), build, table=self.tables[0])
            return build()
        seen = _seen()
        if seen is None:
            return build()
        stamp = (seen, events.committed(*self.tables))
        connection = id(seen[1])
        with self._lock:
            kept = self._copies.get(connection)
            if kept is not None and kept[0] == stamp and key in kept[1]:
                return kept[1][key]
        value = build()
        if keep is not None and not keep(value):
            return value
        if in_unit:
            if events.kept_true(*self.tables):
                events.after_commit(lambda: self._keep(connection, stamp, key, value))
            return value
        self._keep(connection, stamp, key, value)
        return value

    def _keep(self, connection: int, stamp: tuple, key: Hashable, value: Any) -> None:
        with self._lock:
            kept = self._copies.get(connection)
            if kept is None or kept[0] != stamp or len(kept[1]) >= MAX_KEYS:
                if len(self._copies) > 16:  # connections of threads and databases gone
                    self._copies.clear()
                kept = self._copies[connection] = (stamp, {})
            kept[1][key] = value

    def forget(self) -> None:
        with self._lock:
            self._copies.clear()


def copied(value: Any) -> Any:
    """A copy of a kept value (JSON-like: dicts, lists, tuples and plain values) for a caller
    to change as it likes; a tenth of what copy.deepcopy costs (a trigger is copied for every
    message it answers)."""
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(copied(v) for v in value)
    return value
