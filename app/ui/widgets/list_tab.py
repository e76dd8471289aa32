"""The list tab every configuration list is made of (docs/architecture.md, "Where things go").

A tab says what it shows (columns, a loader, the hint), which buttons it has and which role may
use them; ListTab builds the rest the same way everywhere: the read-only notice for roles that
may not change anything, the button bar, the filtered table and its hint, an optional pane
beside or under the list, the change notices it follows, and a refresh that keeps the selected
row selected.

The Messages and Audit Log tabs are paged logs (LazyTableModel, keyset pages, their own
filters) rather than lists of rows to edit, so they do not use it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.errors import UserError
from app.ui.context import UiContext
from app.ui.language import translate
from app.ui.off_loop import Refresher
from app.ui.tabs.alarms_model import sort_rows
from app.ui.widgets.common import FilterTable, confirm, follow, notice
from app.ui.widgets.table_model import Column, RecordTableModel

Row = dict[str, Any]


class ListTab(QWidget):
    """A filtered, sortable list of rows from a service, with actions on the selected row.

    Subclasses set the class attributes and implement `load`; they add their buttons in
    `make_buttons` with `add_button`, and may give a pane beside or under the list in `pane`.
    """

    columns: Sequence[Column] = ()
    # Marked with QT_TRANSLATE_NOOP("ListTab", …) by a tab and shown translated.
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter…")
    permission = permissions.CONFIG_WRITE  # what the buttons that change something need
    read_only_text = ""  # the notice for a role without `permission`
    topics: tuple[str, ...] = ()  # the change notices after which the list is read again
    key = "id"  # the field that names a row, to select it again after a refresh
    has_hint = True
    # A busy bot changes some tables with every message; such a tab reads them again only
    # while it is shown, and once more when it is shown again.
    refresh_while_hidden = True
    # A tab that also refreshes on a timer leaves unchanged rows (and the selection) alone.
    skip_unchanged = False
    # A list that may be long (thousands of contacts): its rows are read on the executor
    # (`read_rows`, then `rows_shown` on the loop) after a change committed on another thread
    # (the bot's), and for the first fill when the window builds the tab (`fill_later`).
    read_off_loop = False
    loading_text = ""  # the hint while the first read is off the loop (QT_TRANSLATE_NOOP)

    def __init__(self, ctx: UiContext, parent=None, fill_later: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = False
        self._generation = 0  # a refresh in place makes a read still off the loop stale
        self.loader: Refresher | None = None
        # Buttons enabled by the standard rule: (needs the permission?, needs a row?).
        self._rules: dict[QPushButton, tuple[bool, bool]] = {}
        self.model = self.make_model()
        self.table = FilterTable(self.model, translate("ListTab", self.filter_text))
        self.table.view.doubleClicked.connect(lambda _index: self.edit())
        self.table.view.selectionModel().selectionChanged.connect(self.selection_changed)
        self.bar = QHBoxLayout()
        self.make_buttons()
        self.bar.addStretch(1)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)

        self.list_box = QWidget()
        list_layout = QVBoxLayout(self.list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(self.bar)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.hint)
        # Only once it has a parent: shown before, it flashed as a window of its own (and took
        # the focus from the main window when a tab is built after it opened).
        self.hint.setHidden(not self.has_hint)
        layout = QVBoxLayout(self)
        if not self.writable() and self.read_only_text:
            layout.addWidget(notice(translate("ListTab", self.read_only_text)))
        pane = self.pane()
        if pane is None:
            layout.addWidget(self.list_box, 1)
        else:
            widget, orientation, sizes = pane
            self.split = QSplitter(orientation)
            self.split.addWidget(self.list_box)
            self.split.addWidget(widget)
            self.split.setSizes(list(sizes))
            layout.addWidget(self.split, 1)
        if self.read_off_loop:
            self.loader = Refresher(self, self._read_off_loop, self._apply_read, self._read_args,
                                    name=f"the {type(self).__name__}")
        follow(self, self.topics, self._changed, with_origin=True)
        if fill_later and self.loader is not None:
            self.refresh_later()
        else:
            self.refresh()

    # -- what a tab says ----------------------------------------------------------------------
    def make_model(self) -> RecordTableModel:
        return RecordTableModel(self.columns, self)

    def make_buttons(self) -> None:
        """Add the tab's buttons, left to right, with `add_button` (or widgets to `self.bar`)."""

    def pane(self) -> tuple[QWidget, Qt.Orientation, Sequence[int]] | None:
        """A widget beside or under the list, the splitter's orientation and its sizes.

        Called once while the tab is built, before the first refresh: the place for the
        tab's own widgets that are not buttons."""
        return None

    def load(self) -> list[Row]:
        """The rows to show, read now (on the loop). A tab that reads off the loop gives
        `read_rows` and `rows_shown` instead."""
        return self.rows_shown(self.read_rows())

    def read_rows(self) -> Any:
        """What the list shows, read from the services; runs on a worker thread for a tab
        that reads off the loop (no widget here)."""
        raise NotImplementedError

    def rows_shown(self, read: Any) -> list[Row]:
        """The rows shown out of what `read_rows` gave (on the loop: the tab's own filters)."""
        return read

    def fit_columns(self) -> None:
        self.table.view.resizeColumnsToContents()

    def hint_text(self, rows: list[Row]) -> str:
        return ""

    def shown(self, rows: list[Row]) -> None:
        """Called with the new rows after they are in the table, before its columns fit them."""

    def refreshed(self) -> None:
        """Called at the end of every refresh; by default the buttons follow the selection."""
        self.update_buttons()

    def selection_changed(self, *_args) -> None:
        self.update_buttons()

    # -- the form of a row ------------------------------------------------------------------
    def form(self, row: Row | None) -> tuple[QDialog, Any, Callable[[Row], str]] | None:
        """The form that makes a new row (`row` None) or edits `row`: the dialog, its
        saved signal and the sentence said once it saved. None: the tab has no such form."""
        return None

    def fetch(self, row: Row) -> Row:
        """The row as the form needs it; the list's copy unless the form needs more."""
        return row

    def new(self) -> None:
        if self.writable():
            self.open_row_form(None)

    def edit(self) -> None:
        """What Edit… and a double click on a row do."""
        row = self.selected()
        if row is None or not self.writable():
            return
        try:
            item = self.fetch(row)
        except UserError as exc:  # deleted meanwhile, say
            self.ctx.messages.error(exc)
            return
        self.open_row_form(item)

    def open_row_form(self, row: Row | None) -> None:
        made = self.form(row)
        if made is not None:
            self.open_form(*made)

    # -- buttons ------------------------------------------------------------------------------
    def add_button(self, text: str, slot: Callable[[], None], needs_row: bool = True,
                   needs_permission: bool = True, rule: bool = True) -> QPushButton:
        """A button in the bar; with `rule` it is enabled only when the role may use it and
        (with `needs_row`) a row is selected; without, `update_buttons` of the tab decides."""
        button = QPushButton(text)
        button.clicked.connect(lambda _checked=False: slot())
        self.bar.addWidget(button)
        if rule:
            self._rules[button] = (needs_permission, needs_row)
        return button

    def writable(self) -> bool:
        return self.ctx.can(self.permission)

    def update_buttons(self, *_args) -> None:
        row = self.selected()
        writable = self.writable()
        for button, (needs_permission, needs_row) in self._rules.items():
            button.setEnabled((writable or not needs_permission)
                              and (row is not None or not needs_row))

    # -- showing ------------------------------------------------------------------------------
    def selected(self) -> Row | None:
        return self.table.selected_row()

    def refresh(self, *_args) -> None:
        self._stale = False
        self._generation += 1
        self._show_rows(self.load())

    def refresh_later(self, *_args) -> None:
        """As `refresh`, the reading on the executor (a tab with `read_off_loop`)."""
        if not self.read_off_loop or self.loader is None:
            self.refresh()
            return
        self._stale = False
        if not self.model.rows and self.has_hint and self.loading_text:
            self.hint.setText(translate("ListTab", self.loading_text))
        self.loader.refresh()

    def _read_args(self) -> tuple[int, Any]:
        # A table sorted in Python (alarms_model.SortedModel) is sorted on the reading thread.
        return self._generation, getattr(self.model, "order", None)

    def _read_off_loop(self, args: tuple[int, Any]) -> tuple[int, Any, Any]:
        generation, order = args
        read = self.read_rows()
        if order is not None:
            read = sort_rows(read, order)
        return generation, read, order

    def _apply_read(self, got: tuple[int, Any, Any]) -> None:
        generation, read, order = got
        if generation == self._generation:  # else refreshed in place since: newer
            self._show_rows(self.rows_shown(read), order)

    def _show_rows(self, rows: list[Row], sorted_by: Any = None) -> None:
        if not (self.skip_unchanged and rows == self.model.rows):
            selected = self.selected()
            if sorted_by is not None:  # the order they come in (re-sorted if it changed)
                self.model.set_rows(rows, sorted_by=sorted_by)
            else:
                self.model.set_rows(rows)
            self.shown(rows)
            self.fit_columns()
            if self._saved_id is not None or selected:
                self.table.select_where(self.key, self._saved_id if self._saved_id is not None
                                        else selected[self.key])
        self._saved_id = None
        if self.has_hint:
            self.hint.setText(self.hint_text(rows))
        self.refreshed()

    def _changed(self, queued: bool = False) -> None:
        """After a change notice (`queued`: committed on another thread, the bot's say). A
        tab that reads off the loop reads there after what the user just did here too (an
        Approve at 5,000 contacts would hold the window 0.4 s); the others read at once."""
        if self.refresh_while_hidden or self.isVisible():
            if self.read_off_loop:
                self.refresh_later()
            else:
                self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.refresh_later()  # in place unless the tab reads off the loop
        super().showEvent(event)

    # -- actions ------------------------------------------------------------------------------
    _saved_id: Any = None  # a row just saved, not listed yet: selected once it is read

    def _select_saved(self, key: Any) -> None:
        """Select the row just saved; in a list read off the loop it may come a moment later,
        and is selected then."""
        self._saved_id = None if self.table.select_where(self.key, key) else key

    def open_form(self, dialog: QDialog, saved_signal, message: Callable[[Row], str]) -> None:
        """Open a form that emits `saved_signal(row)` once it saved; the row is then selected."""
        def saved(row: Row) -> None:
            self.ctx.messages.info(message(row))
            self._select_saved(row[self.key])

        saved_signal.connect(saved)
        # Closed forms go away instead of piling up hidden under the tab.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def save_form(self, dialog: QDialog, save: Callable[[dict], Any],
                  message: Callable[[dict, Any], str]) -> None:
        """Open a form whose Save the tab handles: `save(values)` calls the service; its
        refusal keeps the form open with the reason, its success closes the form, says
        `message(values, saved)` and selects the saved row."""
        def submitted(values: dict) -> None:
            try:
                saved = save(values)
            except UserError as exc:
                dialog.fail(str(exc))
                return
            dialog.accept()
            self.ctx.messages.info(message(values, saved))
            if isinstance(saved, dict) and self.key in saved:
                self._select_saved(saved[self.key])

        dialog.submitted.connect(submitted)
        dialog.open()

    def act(self, action: Callable[[], Any],
            done: str | Callable[[Any], str] | None = None) -> bool:
        """Run a service call; its refusal is shown as an error, its success as `done`."""
        try:
            result = action()
        except UserError as exc:
            self.ctx.messages.error(exc)
            return False
        if done is not None:
            self.ctx.messages.info(done(result) if callable(done) else done)
        return True

    def confirm_then(self, title: str, text: str, action: Callable[[], Any],
                     done: str | Callable[[Any], str] | None = None) -> None:
        """Ask first (the question never blocks), then `act`."""
        confirm(self, title, text, lambda: self.act(action, done))
