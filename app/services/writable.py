"""Whether the database takes writes now, and one error for "it does not, try again later".

Another process may hold SQLite's write lock for longer than the busy timeout (a backup tool,
a second copy of the app, a person in a database browser), or the disk may be full. A caller
that must not lose what it wanted to write (the outbox: a message WhatsApp already took) keeps
it in memory and writes it once `writable()` says the lock is free again.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

import peewee

from app.db.models import database_proxy
from app.errors import UserError
from app.services import events

P = ParamSpec("P")
T = TypeVar("T")

# SQLite's words for "not now": another connection holds the lock, the disk or the file
# refuses. Anything else is a bug or damage and is not retried.
_NOT_NOW = ("database is locked", "database table is locked", "database is busy",
            "disk is full", "readonly database", "disk i/o error")


LOCKED = ("The database cannot be written: another program holds its lock (a backup, a second "
          "copy of this app or a database browser).")


class NotWritable(UserError):
    """The database refused a write for now (locked by another process, or the disk full)."""


def not_writable(exc: BaseException) -> bool:
    """Whether `exc` is SQLite saying the write may work later."""
    if not isinstance(exc, (peewee.OperationalError, sqlite3.OperationalError)):
        return False
    text = str(exc).lower()
    return any(words in text for words in _NOT_NOW)


def sentence(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "The database cannot be written: the disk is full."
    if "readonly" in text or "i/o" in text:
        return f"The database cannot be written: {exc}."
    return LOCKED


def writes(fn: Callable[P, T]) -> Callable[P, T]:
    """Turn SQLite's "not now" into NotWritable, so a caller can tell it from a bug."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            if not_writable(exc):
                raise NotWritable(sentence(exc), str(exc)) from exc
            raise

    return wrapper


def writable() -> bool:
    """Whether a write could take the lock right now; asks without waiting (no busy timeout),
    so the event loop never waits the busy timeout out just to learn the answer."""
    db = database_proxy
    if db.in_transaction():
        return True  # inside a unit of work the lock is ours, or the unit will say so itself
    connection = db.connection()
    (timeout,) = connection.execute("PRAGMA busy_timeout").fetchone()
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        if not_writable(exc):
            return False
        raise
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(timeout)}")


# How long a write on the event loop waits for another connection's lock: long enough for a
# short write of another process (a command-line import) to finish, short enough that the
# loop never stalls. Past it the write raises NotWritable and the caller keeps what it wanted
# to write in memory.
LOOP_BUSY_MS = 10


@contextlib.contextmanager
def without_waiting(busy_ms: int | None = None) -> Iterator[None]:
    """Writes inside wait at most `busy_ms` (LOOP_BUSY_MS) for a lock held elsewhere instead of
    SQLite's busy timeout of seconds; for the event loop, which runs the window and every other
    message.

    Only this thread's connection is changed, and only until the block ends; the block must
    not await (another task would run with the short wait)."""
    db = database_proxy
    if db.in_transaction():
        yield  # the unit of work around it took the lock already, or will say it could not
        return
    wait = LOOP_BUSY_MS if busy_ms is None else busy_ms
    short_wait = getattr(db.obj, "short_wait", None)
    if short_wait is not None:  # the app's database: changed before a statement needs it
        with short_wait(wait):
            yield
        return
    connection = db.connection()
    timeout = _normal_timeout(connection)
    connection.execute(f"PRAGMA busy_timeout = {int(wait)}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(timeout)}")


# Each connection's own busy timeout, read once: every incoming message lowers and restores it
# twice. Keyed by id with the connection itself (it cannot be weakly referenced), so a new
# connection at a reused id is read afresh; at most a few dozen are remembered.
_timeouts: dict[int, tuple[sqlite3.Connection, int]] = {}


def _normal_timeout(connection: sqlite3.Connection) -> int:
    kept = _timeouts.get(id(connection))
    if kept is not None and kept[0] is connection:
        return kept[1]
    (timeout,) = connection.execute("PRAGMA busy_timeout").fetchone()
    if len(_timeouts) > 64:  # connections of threads and databases gone
        _timeouts.clear()
    _timeouts[id(connection)] = (connection, int(timeout))
    return int(timeout)


# Why incoming messages wait in memory right now, and how many, per channel (whatsapp, simulator:
# each bot of the process has its own). The bot sets it when a write of a message is refused and
# clears it once what waited is written; the Dashboard and wa_status read it. A process-wide
# value, not a row: the database is what cannot be written.
_refused: dict[str, tuple[str, int]] = {}


def incoming_refused(reason: str | None, waiting: int = 0, channel: str = "whatsapp") -> None:
    """Say why `waiting` incoming messages of `channel` wait in memory (None: none waits)."""
    before = dict(_refused)
    if reason is None:
        _refused.pop(channel, None)
    else:
        _refused[channel] = (reason, waiting)
    if _refused != before:
        events.changed("whatsapp_status", database_not_writable=bool(_refused))


def incoming_refusal(channel: str | None = None) -> str | None:
    """A sentence saying why incoming messages wait in memory (of `channel`, or of any), or None
    when none does."""
    if channel is not None:
        return _refused.get(channel, (None, 0))[0]
    return next((reason for reason, _ in reversed(_refused.values())), None)


def incoming_waiting() -> int:
    """How many incoming messages wait in memory for the database, over every channel."""
    return sum(waiting for _, waiting in _refused.values())


def together(steps: list[Callable[[], Any]], budget_s: float | None = None
             ) -> list[tuple[bool, Any]]:
    """Run `steps` in one transaction: (True, its result) or (False, its exception) for each,
    for the first ones: with `budget_s`, no step begins once that long has passed (the
    outcomes are fewer than the steps then; the caller runs the rest later).

    When one fails the transaction is undone and each runs again on its own, in order, so
    the one at fault hears why and the others are kept. Once the database refuses one, those
    after it are refused too, without trying: nothing is recorded before what came first."""
    if len(steps) > 1:
        end = None if budget_s is None else time.perf_counter() + budget_s
        try:  # the write lock taken at once: what a step reads stays true for those after it
            with events.unit_of_work(immediate=True, kept=True):
                outcomes = []
                for step in steps:
                    outcomes.append((True, step()))
                    if end is not None and time.perf_counter() > end:
                        break
                return outcomes
        except Exception:  # noqa: BLE001 - told to the step at fault below, on its own
            pass
    outcomes = []
    refused: NotWritable | None = None
    for step in steps:
        if refused is not None:
            outcomes.append((False, refused))
            continue
        try:
            outcomes.append((True, writes(step)()))
        except NotWritable as exc:
            refused = exc
            outcomes.append((False, exc))
        except Exception as exc:  # noqa: BLE001 - the step's own caller hears of it
            outcomes.append((False, exc))
    return outcomes
