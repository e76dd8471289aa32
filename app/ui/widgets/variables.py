"""Variable specs of a query (core/variables.py) as editable rows, and small grid helpers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.sources import SourceError
from app.core.sql_gate import bind_names


def cell(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def make_grid(headers: list[str], height: int = 130) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setMinimumHeight(height)
    return table


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item else ""


class VariablesTable(QWidget):
    """Variable specs (core/variables.py) as rows; "Detect from query" adds a row per new :name."""

    HEADERS = ["Name", "Pattern (regular expression)", "Default", "Description"]
    KEYS = ("name", "pattern", "default", "description")

    def __init__(self, query: Callable[[], tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.query = query  # → (SQL text, dialect)
        self.table = make_grid([self.tr("Name"), self.tr("Pattern (regular expression)"),
                                self.tr("Default"), self.tr("Description")])
        self.table.setObjectName("variables")
        self.add_button = QPushButton(self.tr("Add row"))
        self.remove_button = QPushButton(self.tr("Remove row"))
        self.detect_button = QPushButton(self.tr("Detect from query"))
        self.detect_button.setObjectName("detect")
        self.add_button.clicked.connect(lambda: self.add({}))
        self.remove_button.clicked.connect(self.remove_selected)
        self.detect_button.clicked.connect(self.detect)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.detect_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        layout.addWidget(self.status)

    def set_specs(self, specs: list[Any]) -> None:
        self.table.setRowCount(0)
        for spec in specs or []:
            # The old system stored bare names (docs/old-system.md §7): ["tag"].
            self.add({"name": spec} if isinstance(spec, str) else dict(spec))

    def add(self, spec: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, key in enumerate(self.KEYS):
            value = spec.get(key)
            self.table.setItem(row, column, cell("" if value is None else str(value)))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def names(self) -> list[str]:
        return [cell_text(self.table, r, 0) for r in range(self.table.rowCount())]

    def specs(self) -> list[dict[str, str]]:
        """Rows with a name; empty optional fields are left out, as the old system had them."""
        out = []
        for row in range(self.table.rowCount()):
            spec = {key: cell_text(self.table, row, c) for c, key in enumerate(self.KEYS)}
            if not spec["name"]:
                continue
            out.append({k: v for k, v in spec.items() if v or k == "name"})
        return out

    def detect(self) -> None:
        sql, dialect = self.query()
        try:
            found = bind_names(sql, dialect)
        except SourceError as exc:
            self.status.setText(exc.message)
            return
        known = set(self.names())
        new = [name for name in found if name not in known]
        for name in new:
            self.add({"name": name})
        unused = [name for name in known if name and name not in found]
        parts = []
        if new:
            parts.append(self.tr("Added {names}.").format(names=", ".join(f":{n}" for n in new)))
        elif found:
            parts.append(self.tr("Every :name of the query already has a row."))
        else:
            parts.append(self.tr("The query has no :name variables."))
        if unused:
            parts.append(self.tr("Not in the query: {names}.").format(names=", ".join(unused)))
        self.status.setText(" ".join(parts))
