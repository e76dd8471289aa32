"""The mouse wheel scrolls the page, not the number under the pointer.

A spin box, combo box or slider changes with the wheel only once it has the keyboard focus
(clicked or tabbed into); otherwise the wheel goes on to the scroll area around it. Without
this, scrolling down the Settings page changed the numbers the pointer passed over.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox

_GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


class WheelGuard(QObject):
    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, _GUARDED):
            # The wheel must not give focus either (the default for these is WheelFocus).
            watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(watched, _GUARDED) and \
                not watched.hasFocus():
            event.ignore()  # not taken here: Qt passes it on to the parents, which scroll
            return True
        return False


_guard: WheelGuard | None = None


def install(app: QApplication) -> None:
    """Once per application (the desktop app does it at start)."""
    global _guard
    if _guard is None:
        _guard = WheelGuard(app)
        app.installEventFilter(_guard)
