"""Small shared widgets: a filterable, sortable table, a read-only notice, a question that
never blocks, a button bar, and following the change notices of service tables."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import events
from app.ui.widgets.table_model import ROW_ROLE, SORT_ROLE, RecordTableModel


def make_table_view(model, sortable: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(sortable)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    return view


class FilterTable(QWidget):
    """A search box over a sortable table of a RecordTableModel."""

    def __init__(self, model: RecordTableModel, placeholder: str | None = None,
                 parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Filter…") if placeholder is None else placeholder)
        self.filter.setClearButtonEnabled(True)
        self.filter.setProperty("find_field", True)  # Ctrl+F comes here
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = make_table_view(self.proxy)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def selected_row(self) -> dict | None:
        indexes = self.view.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.proxy.data(indexes[0], ROW_ROLE)

    def select_where(self, key: str, value) -> bool:
        """Select the row whose `key` is `value`; whether it is listed."""
        for row in range(self.proxy.rowCount()):
            record = self.proxy.data(self.proxy.index(row, 0), ROW_ROLE)
            if record and record.get(key) == value:
                self.view.selectRow(row)
                return True
        return False


def fixed_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def notice(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("background: #fff7e0; border: 1px solid #e8d49a; padding: 6px;")
    return label


def confirm(parent: QWidget, title: str, text: str, on_yes) -> QMessageBox:
    """Ask before something that cannot be undone; never blocks (no exec())."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def finished(result: int) -> None:
        if result == QMessageBox.StandardButton.Yes:
            on_yes()

    box.finished.connect(finished)
    box.open()
    return box


def button_bar(*buttons: tuple[QPushButton, Callable[[], None]]) -> QHBoxLayout:
    """A row of buttons, each wired to its slot, pushed to the left."""
    bar = QHBoxLayout()
    for button, slot in buttons:
        button.clicked.connect(slot)
        bar.addWidget(button)
    bar.addStretch(1)
    return bar


class _Relay(QObject):
    """Hands a change notice to the GUI thread: it is heard on the thread that committed."""

    heard = Signal(bool)

    def __init__(self, parent: QWidget, slot: Callable[..., None],
                 with_origin: bool = False) -> None:
        super().__init__(parent)
        self._slot = slot
        self._with_origin = with_origin
        # A slot of this object (which lives on the GUI thread): a notice from another
        # thread is queued to it, one from the GUI thread is delivered at once.
        self.heard.connect(self._deliver)

    def _deliver(self, queued: bool) -> None:
        if self._with_origin:
            self._slot(queued)
        else:
            self._slot()

    def notify(self, _payload: dict) -> None:
        try:
            self.heard.emit(threading.current_thread() is not threading.main_thread())
        except RuntimeError:  # the widget is gone; its listener is being removed
            pass


def follow(widget: QWidget, topics: tuple[str, ...], slot: Callable[..., None],
           with_origin: bool = False) -> None:
    """Call `slot` on the GUI thread after each committed change of the service topics, for
    as long as `widget` lives (docs/architecture.md, "How changes reach the screen");
    `with_origin`: as `slot(queued)`, queued when the change was committed on another
    thread."""
    relay = _Relay(widget, slot, with_origin)
    unsubscribers = [events.subscribe(topic, relay.notify) for topic in topics]
    widget.destroyed.connect(lambda *_: [unsubscribe() for unsubscribe in unsubscribers])
