"""Browse a historian: search tags by pattern, see value, units and quality, pick some."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from app.core import permissions
from app.core.timefmt import local_text
from app.core.values import PiValue
from app.errors import describe
from app.runtime.source_pool import search_tags
from app.ui.context import UiContext
from app.ui.widgets.common import make_table_view
from app.ui.widgets.table_model import Column, RecordTableModel


def value_text(value: PiValue) -> str:
    if value.error:
        return f"✖ {value.error}"
    if value.system_state:
        return f"✖ {value.system_state}"
    if isinstance(value.value, float):
        text = f"{value.value:,.4g}" if abs(value.value) < 1e6 else f"{value.value:,.0f}"
    else:
        text = "" if value.value is None else str(value.value)
    if value.questionable or value.substituted:
        text = f"⚠ {text}"
    return text


def quality_text(value: PiValue) -> str:
    if value.error or value.system_state or not value.good:
        return "Bad"
    flags = [name for name, on in (("Questionable", value.questionable),
                                   ("Substituted", value.substituted)) if on]
    return ", ".join(flags) or "Good"


COLUMNS = (
    Column("path", "Tag"),
    Column("descriptor", "Description"),
    Column("value", "Value", display=lambda v, _r: value_text(v),
           color=lambda r: "#b00020" if r["value"].is_bad else None),
    Column("units", "Units"),
    Column("time", "Time", display=lambda _v, r: local_text(r["value"].timestamp)),
    Column("quality", "Quality", display=lambda _v, r: quality_text(r["value"])),
)


class TagBrowserDialog(QDialog):
    tags_picked = Signal(list)
    # Opened from Connections (not picking): start a trigger or an alarm with what is selected.
    new_trigger = Signal(list)
    new_alarm = Signal(str)

    def __init__(self, ctx: UiContext, source: dict, picking: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.setWindowTitle(f"Tags on {source['name']}")
        self.resize(900, 520)
        self.pattern = QLineEdit("*")
        self.pattern.setObjectName("pattern")
        self.pattern.setPlaceholderText("Tag name pattern, e.g. BOILER1.*  or  *PRESS*")
        self.search_button = QPushButton("Search")
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self.search)
        self.pattern.returnPressed.connect(self.search)
        self.model = RecordTableModel(COLUMNS, self)
        self.view = make_table_view(self.model, sortable=False)
        self.view.setSelectionMode(self.view.SelectionMode.ExtendedSelection)
        self.status = QLabel("Type a pattern (* and ? are wildcards) and press Search.")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.pick_button = QPushButton("Use selected tags")
        self.pick_button.setVisible(picking)
        self.pick_button.clicked.connect(self._pick)
        self.trigger_button = QPushButton("New trigger with these tags…")
        self.trigger_button.setObjectName("new_trigger")
        self.alarm_button = QPushButton("New alarm on this tag…")
        self.alarm_button.setObjectName("new_alarm")
        for button, slot in ((self.trigger_button, self._to_trigger),
                             (self.alarm_button, self._to_alarm)):
            button.setVisible(not picking)
            button.setEnabled(False)
            button.clicked.connect(slot)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.pattern)
        top.addWidget(self.search_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.pick_button)
        bottom.addWidget(self.trigger_button)
        bottom.addWidget(self.alarm_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addLayout(bottom)

    def search(self) -> None:
        pattern = self.pattern.text().strip() or "*"
        self.status.setText(f"Searching {self.source['name']} for {pattern}…")

        def done(rows: list[dict]) -> None:
            self.model.set_rows(rows)
            self.view.resizeColumnsToContents()
            self.status.setText(f"{len(rows)} tag(s) match {pattern}." if rows else
                                f"No tag matches {pattern}.")

        def failed(exc: BaseException) -> None:
            self.status.setText(describe(exc))

        self.ctx.runner.run(search_tags(self.ctx.pool, self.source["id"], pattern), done, failed,
                            key=f"tags-{self.source['id']}", control=self.search_button)

    def selected_paths(self) -> list[str]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_at(r)["path"] for r in rows]

    def _selection_changed(self, *_args) -> None:
        count = len(self.selected_paths())
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.trigger_button.setEnabled(writable and count > 0)
        self.alarm_button.setEnabled(writable and count == 1)

    def _pick(self) -> None:
        self.tags_picked.emit(self.selected_paths())
        self.accept()

    def _to_trigger(self) -> None:
        if self.selected_paths():
            self.new_trigger.emit(self.selected_paths())

    def _to_alarm(self) -> None:
        paths = self.selected_paths()
        if len(paths) == 1:
            self.new_alarm.emit(paths[0])
