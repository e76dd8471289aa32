"""The time since the last keyboard or mouse input, for the main window's idle lock.

Its own small module: the app installs it when it starts, before the main window (and its tabs)
are loaded.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
             QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Notes the time of the last keyboard or mouse input anywhere in the app."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.last_input = time.monotonic()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() in _ACTIVITY:
            self.last_input = time.monotonic()
        return False

    def idle_seconds(self) -> float:
        return time.monotonic() - self.last_input
