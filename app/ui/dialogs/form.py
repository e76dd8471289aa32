"""The one form pattern every dialog that edits something follows.

A form builds its fields with the helpers below, returns them from `values()`, and saves when
`submitted(values)` arrives (calling `fail(text)` to keep the form open with the reason, or
`accept()`). Work that waits on the network or the disk goes through `run_async`, which uses
the app's runner so the event loop never blocks and cancels the run when the form closes.
`is_dirty()` says whether the fields differ from what the form showed when it opened; Cancel,
Escape or closing an edited form asks before the changes are discarded.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# Room kept for the window's title bar when a form is fitted to the screen.
TITLE_BAR = 40


class FormDialog(QDialog):
    """A dialog whose Save emits `submitted(values)`; the owner calls `fail` or closes it."""

    submitted = Signal(dict)

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self._clean: Any = None  # values() as the form was first shown
        self._runs: dict[str, asyncio.Task] = {}
        self._asking: QMessageBox | None = None  # the "discard your changes?" question, if open
        self.first_field: QWidget | None = None  # where the cursor starts
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(lambda: self.submitted.emit(self.values()))
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        self.finished.connect(lambda _result: self.cancel_runs())

    def values(self) -> dict:
        raise NotImplementedError

    # -- unsaved changes ----------------------------------------------------------------------
    def mark_clean(self) -> None:
        """What the fields hold now counts as unchanged."""
        self._clean = self.values()

    def is_dirty(self) -> bool:
        """True when a field differs from what the form showed when it was first opened."""
        return self._clean is not None and self.values() != self._clean

    def reject(self) -> None:
        """Cancel, Escape or the window's close: an edited form asks before its changes go."""
        if self._asking is not None:
            return
        try:
            dirty = self.is_dirty()
        except Exception:  # noqa: BLE001 - a field that cannot say its value: nothing to keep
            dirty = False
        if not dirty:
            super().reject()
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          "This form has changes that are not saved. Discard them?",
                          QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Cancel).setText("Keep editing")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("unsaved_changes")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._asking = box

        def answered(result: int) -> None:
            self._asking = None
            if result == QMessageBox.StandardButton.Discard:
                QDialog.reject(self)

        box.finished.connect(answered)
        box.open()

    # -- work that waits ----------------------------------------------------------------------
    def run_async(self, name: str, work: Awaitable[Any], done: Callable[[Any], None],
                  failed: Callable[[BaseException], None],
                  control: QWidget | None = None) -> asyncio.Task:
        """Run `work` through the app's runner (`self.ctx.runner`); `control` stays disabled
        while it runs.

        A second run of the same `name` replaces the first; every run still going when the
        form closes is cancelled, so its result never reaches a closed window."""
        task = self.ctx.runner.run(work, done, failed, key=f"{name}-{id(self)}",
                                   control=control)
        self._runs[name] = task
        return task

    def cancel_runs(self) -> None:
        for task in self._runs.values():
            if not task.done():
                task.cancel()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt override
        if visible and not self.isVisible():
            self._fit_screen()
        super().setVisible(visible)

    def _fit_screen(self) -> None:
        """A form larger than the screen (1280 × 720, say) shrinks to fit, keeping Save in
        sight; its fields scroll or squeeze instead."""
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        width = min(self.width(), room.width())
        height = min(self.height(), room.height() - TITLE_BAR)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._clean is None:
            self.mark_clean()
        super().showEvent(event)
        # Typing starts in the form's first field (`first_field` when a form names it), not
        # on a button (a space would press Save) nor in a preview's Arguments.
        focused = self.focusWidget()
        if self.first_field is not None and self.first_field.isEnabled():
            self.first_field.setFocus()
        elif focused is None or isinstance(focused, QAbstractButton):
            first = next((w for w in self.findChildren(QLineEdit)
                          if w.isEnabled() and w.isVisibleTo(self) and not w.isReadOnly()),
                         None)
            if first is not None:
                first.setFocus()

    def fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


# -- fields ---------------------------------------------------------------------------------


def line_field(name: str, text: str = "", placeholder: str = "") -> QLineEdit:
    field = QLineEdit(text)
    field.setObjectName(name)
    if placeholder:
        field.setPlaceholderText(placeholder)
    return field


def text_field(name: str, text: str = "", placeholder: str = "",
               min_height: int = 0) -> QPlainTextEdit:
    field = QPlainTextEdit(text)
    field.setObjectName(name)
    if placeholder:
        field.setPlaceholderText(placeholder)
    if min_height:
        field.setMinimumHeight(min_height)
    return field


def check_field(name: str, text: str, checked: bool) -> QCheckBox:
    field = QCheckBox(text)
    field.setObjectName(name)
    field.setChecked(checked)
    return field


def scrolled(content: QWidget) -> QScrollArea:
    """`content` in a vertical scroll area, so a long form fits a small screen."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    return scroll


def usage_label(count: int) -> QLabel:
    """“Used 3 times so far.”, as the preset and AI prefix forms show it."""
    label = QLabel(f"Used {count} time" + ("" if count == 1 else "s") + " so far.")
    label.setObjectName("usage")
    return label
