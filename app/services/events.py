"""Change notifications from services to whoever listens (the GUI), without importing Qt."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

log = logging.getLogger(__name__)

_listeners: dict[str, list[Callable[[dict], None]]] = defaultdict(list)


def subscribe(topic: str, callback: Callable[[dict], None]) -> Callable[[], None]:
    """Call `callback(payload)` after each change of `topic`; returns an unsubscribe function."""
    _listeners[topic].append(callback)

    def unsubscribe() -> None:
        if callback in _listeners[topic]:
            _listeners[topic].remove(callback)

    return unsubscribe


def emit(topic: str, **payload: object) -> None:
    for callback in list(_listeners.get(topic, ())):
        try:
            callback(dict(payload))
        except Exception:  # a broken listener must not undo a committed change
            log.exception("Listener for %s failed", topic)


def clear() -> None:
    _listeners.clear()
