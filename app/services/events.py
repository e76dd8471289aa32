"""Change notices from the services to whoever listens (the GUI), without importing Qt.

A service changes tables inside one `unit_of_work()`; it says which tables it changed with
`changed("triggers", ...)`. The listeners hear once per table, after the outermost unit
commits; a unit that fails (rolls back) notifies nobody. A `changed()` outside any unit
(a write that needs no transaction of its own) notifies at once.

Listeners run on the thread that committed (often an executor thread): the GUI hands them
to its own thread. docs/architecture.md, "How changes reach the screen", shows the whole path.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from app.db.models import database_proxy

log = logging.getLogger(__name__)
T = TypeVar("T")

_listeners: dict[str, list[Callable[[dict], None]]] = defaultdict(list)
# Committed changes per topic since the process started (app/services/cache.py compares them);
# clear() leaves them, so a copy kept before it is still dropped after a change.
_committed: dict[str, int] = defaultdict(int)
_lock = threading.Lock()
_local = threading.local()  # .stack: one set of changed tables per open unit, outermost first


def subscribe(topic: str, callback: Callable[[dict], None]) -> Callable[[], None]:
    """Call `callback(payload)` after each committed change of `topic` (a table name, or
    "whatsapp_status"); returns an unsubscribe function."""
    with _lock:
        _listeners[topic].append(callback)

    def unsubscribe() -> None:
        with _lock:
            if callback in _listeners[topic]:
                _listeners[topic].remove(callback)

    return unsubscribe


class _Unit:
    """What one open unit of work will do when it ends."""

    def __init__(self) -> None:
        self.topics: dict[str, dict] = {}
        self.after_commit: list[Callable[[], None]] = []
        self.on_rollback: list[Callable[[], None]] = []
        # Outermost unit only, see unit_memo(): values kept, and changes counted per table.
        self.memo: dict[Hashable, tuple[Any, int]] = {}
        self.generation: dict[str, int] = {}
        self.reads_kept = False  # see unit_of_work(kept=True)

    def join(self, inner: _Unit) -> None:
        for topic, payload in inner.topics.items():
            self.topics.setdefault(topic, {}).update(payload)
        self.after_commit += inner.after_commit
        self.on_rollback += inner.on_rollback


def _stack() -> list[_Unit]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


@contextmanager
def unit_of_work(immediate: bool = False, kept: bool = False) -> Iterator[None]:
    """One transaction (a savepoint when nested); its change notices go out once, after the
    outermost unit commits. `immediate`: the outermost takes the write lock as it begins, for
    a unit that reads and then writes what it read while other connections commit (without
    it SQLite refuses the first write of a snapshot another connection wrote past, at once,
    as "database is locked"). `kept` (outermost, with `immediate`): the values kept of tables
    the unit has not changed are read as outside it (see `kept_true`), for a unit of many
    small independent steps (messages recorded together)."""
    stack = _stack()
    stack.append(_Unit())
    if kept and len(stack) == 1:
        stack[0].reads_kept = True
    committed = False
    try:
        with database_proxy.atomic(lock_type="IMMEDIATE") if immediate \
                else database_proxy.atomic():
            yield
        committed = True
    finally:
        unit = stack.pop()
        if not committed:
            _run(unit.on_rollback, "undoing")
            if stack:  # what was remembered may name rows that are gone again
                stack[0].memo.clear()
        elif stack:  # a nested unit: its changes belong to the enclosing one
            stack[-1].join(unit)
        else:
            for topic, payload in unit.topics.items():
                _notify(topic, payload)
            _run(unit.after_commit, "finishing")


SQLITE_BUSY_SNAPSHOT = 517  # a write refused: another connection committed after this read


def stale_snapshot(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is SQLite refusing a unit's first write because
    another connection committed after the unit's first read."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return False
        if getattr(seen, "sqlite_errorcode", None) == SQLITE_BUSY_SNAPSHOT:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def read_then_write(work: Callable[[], T], tries: int = 3) -> T:
    """`work` in one unit of work that reads rows and then writes what it worked out from
    them, while other connections commit (the bot's messages, the receipts).

    Begun as a plain transaction, it holds the write lock only from its first write to its
    commit, so the others' writes are not kept waiting while it reads and works. When a
    commit elsewhere came between its first read and its first write, SQLite refuses that
    write at once; `work` then runs again from the start, on what is committed now, and the
    last try takes the write lock as it begins (waiting for it as a write does). Inside a unit
    already open, `work` simply joins it."""
    if _stack():
        with unit_of_work():
            return work()
    for attempt in range(tries):
        last = attempt == tries - 1
        try:
            with unit_of_work(immediate=last):
                return work()
        except Exception as exc:
            if last or not stale_snapshot(exc):
                raise
            log.info("Another connection committed while a unit read; it runs again")
    raise AssertionError("unreachable")


def changed(*topics: str, **payload: object) -> None:
    """Record that the open unit of work changed `topics`; with no unit open, notify now."""
    stack = _stack()
    for topic in topics:
        if stack:
            stack[-1].topics.setdefault(topic, {}).update(payload)
            stack[0].generation[topic] = stack[0].generation.get(topic, 0) + 1
        else:
            _notify(topic, dict(payload))


def after_commit(callback: Callable[[], None]) -> None:
    """Run `callback` once the outermost unit commits (at once with no unit open): for what
    cannot be rolled back, such as deleting a secret the rows no longer name."""
    stack = _stack()
    if stack:
        stack[-1].after_commit.append(callback)
    else:
        callback()


def on_rollback(callback: Callable[[], None]) -> None:
    """Run `callback` if the open unit (or one enclosing it) rolls back: for what was done
    outside the database, such as a secret stored for a row that is not kept."""
    stack = _stack()
    if stack:
        stack[-1].on_rollback.append(callback)


def unit_memo(key: Hashable, build: Callable[[], T] | None, *,
              table: str | None = None) -> T | None:
    """A value kept until the outermost open unit of work ends, built at its first use, for
    what many saves in one unit (an import) would otherwise each read again. With `table`,
    it is built again after the unit records a change of that table; without, its writer
    keeps it true. A nested unit that rolls back empties them all. With no unit open it is
    built afresh each time; with `build` None, only what is kept (or None) is returned."""
    stack = _stack()
    if not stack:
        return build() if build is not None else None
    outer = stack[0]
    stamp = outer.generation.get(table, 0) if table else 0
    kept = outer.memo.get(key)
    if kept is not None and kept[1] == stamp:
        return kept[0]
    if build is None:
        return None
    value = build()
    outer.memo[key] = (value, stamp)
    return value


def _run(callbacks: list[Callable[[], None]], doing: str) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the transaction has ended either way
            log.exception("Failed %s after a unit of work", doing)


def in_unit_of_work() -> bool:
    return bool(_stack())


def kept_true(*tables: str) -> bool:
    """Whether what was last committed of `tables` is what this thread reads now, so a value
    kept of them may be used: no unit of work is open, or the open one was opened with `kept`
    and has recorded no change of them (nor has a unit nested in it, even one rolled back)."""
    stack = _stack()
    if not stack:
        return True
    outer = stack[0]
    return outer.reads_kept and not any(outer.generation.get(t) for t in tables)


def committed(*topics: str) -> tuple[int, ...]:
    """How many committed changes of each of `topics` were noticed so far."""
    with _lock:
        return tuple(_committed[topic] for topic in topics)


def _notify(topic: str, payload: dict) -> None:
    with _lock:
        _committed[topic] += 1
        callbacks = list(_listeners.get(topic, ()))
    for callback in callbacks:
        try:
            callback(dict(payload))
        except Exception:  # a broken listener must not undo a committed change
            log.exception("Listener for %s failed", topic)


def emit(topic: str, **payload: object) -> None:
    """Deprecated spelling of `changed` for one topic, kept while services move over."""
    changed(topic, **payload)


def clear() -> None:
    with _lock:
        _listeners.clear()
