"""Table models for every list: one for small in-memory lists, one that loads pages lazily."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.core.timefmt import local_text

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    """A column of a list: `title` is an English source string marked with
    QT_TRANSLATE_NOOP("Columns", …) and shown translated."""

    key: str
    title: str
    display: Callable[[Any, dict[str, Any]], str] | None = None
    color: Callable[[dict[str, Any]], str | None] | None = None
    tooltip: Callable[[dict[str, Any]], str | None] | None = None
    # False for titles that are data (a query's column names), shown as they are.
    translate_title: bool = True


def default_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return (QCoreApplication.translate("Columns", "Yes") if value
                else QCoreApplication.translate("Columns", "No"))
    if isinstance(value, datetime):
        return local_text(value)
    return str(value)


class RecordTableModel(QAbstractTableModel):
    """Rows are plain dicts from a service; columns say what to show."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[dict[str, Any]] = []

    # -- data access ------------------------------------------------------------------------
    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def row_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self._rows

    # -- Qt overrides -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            column = self._columns[section]
            return (QCoreApplication.translate("Columns", column.title)
                    if column.translate_title else column.title)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        value = row.get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(value, row) if column.display else default_text(value)
        if role == SORT_ROLE:
            if isinstance(value, datetime):
                return value.timestamp()
            if isinstance(value, (int, float)):
                return value
            return default_text(value).lower()
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and column.color:
            color = column.color(row)
            return QBrush(QColor(color)) if color else None
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        return None


class LazyTableModel(RecordTableModel):
    """Loads `page_size` rows at a time through `fetch(after_row, limit)` (keyset paging).

    A view reacts to modelReset and rowsInserted by asking for more rows inside those signals;
    the guard makes it wait until the change in progress has been announced completely.
    """

    def __init__(self, columns: Sequence[Column],
                 fetch: Callable[[dict[str, Any] | None, int], list[dict[str, Any]]],
                 page_size: int = 200, parent=None) -> None:
        super().__init__(columns, parent)
        self._fetch = fetch
        self._page_size = page_size
        self._exhausted = False
        self._changing = False
        self.load_error: str | None = None

    def reload(self) -> None:
        self._changing = True
        try:
            self.beginResetModel()
            self._rows = []
            self._exhausted = False
            self.load_error = None
            self.endResetModel()
        finally:
            self._changing = False
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._changing

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._exhausted or self._changing:
            return
        self._changing = True
        try:
            last = self._rows[-1] if self._rows else None
            try:
                page = self._fetch(last, self._page_size)
            except Exception as exc:  # noqa: BLE001 - a failing page disables loading, no crash
                self._exhausted = True
                self.load_error = str(exc)
                return
            if len(page) < self._page_size:
                self._exhausted = True
            self.append_rows(page)
        finally:
            self._changing = False
