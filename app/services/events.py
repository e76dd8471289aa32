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
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.db.models import database_proxy

log = logging.getLogger(__name__)

_listeners: dict[str, list[Callable[[dict], None]]] = defaultdict(list)
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


def _stack() -> list[dict[str, dict]]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One transaction (a savepoint when nested); its change notices go out once, after the
    outermost unit commits."""
    stack = _stack()
    stack.append({})
    committed = False
    try:
        with database_proxy.atomic():
            yield
        committed = True
    finally:
        frame = stack.pop()
        if committed:
            if stack:  # a nested unit: its changes belong to the enclosing one
                for topic, payload in frame.items():
                    stack[-1].setdefault(topic, {}).update(payload)
            else:
                for topic, payload in frame.items():
                    _notify(topic, payload)


def changed(*topics: str, **payload: object) -> None:
    """Record that the open unit of work changed `topics`; with no unit open, notify now."""
    stack = _stack()
    for topic in topics:
        if stack:
            stack[-1].setdefault(topic, {}).update(payload)
        else:
            _notify(topic, dict(payload))


def in_unit_of_work() -> bool:
    return bool(_stack())


def _notify(topic: str, payload: dict) -> None:
    with _lock:
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
