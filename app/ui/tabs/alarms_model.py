"""The alarm views' tables at plant scale: sorted in Python, columns fitted from a sample.

A QSortFilterProxyModel that sorts asks the model for two cells per comparison, each a call
from Qt into Python: sorting 5,000 alarms that way is over 100,000 calls and froze the window
for seconds after every change. Here the model keeps its rows in the order shown, sorted once
with one key per row (a few milliseconds), and the proxy only filters. Likewise
resizeColumnsToContents() asks every cell of the rows it samples for its size hint through
Python; `fit_columns` measures the text of the first rows itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from app.ui.widgets.common import FilterTable
from app.ui.widgets.table_model import RecordTableModel, default_text

FIT_SAMPLE = 60  # rows measured for the column widths: the rows in sight and a few more
MAX_WIDTH = 420  # a column fitted wider than this is cut (its tooltip or the details say it)
PADDING = 18  # the cell's margins and the focus frame
BOLD_SLACK = 1.08  # bold rows (the summary's unacknowledged alarms) are a little wider


def sort_key(value: Any) -> tuple[int, Any]:
    """The order of the table's sort role, comparable in Python across a column's types."""
    if isinstance(value, datetime):
        return 0, value.timestamp()
    if isinstance(value, (int, float)):
        return 0, value
    return 1, default_text(value).lower()


def sort_rows(rows: list[dict[str, Any]], order: tuple[str | None, bool]
              ) -> list[dict[str, Any]]:
    """The rows in SortedModel.order: by a column's key, descending or not (stable)."""
    key, descending = order
    if key is None:
        return list(rows)
    return sorted(rows, key=lambda row: sort_key(row.get(key)), reverse=descending)


class SortedModel(RecordTableModel):
    """Rows kept in the order shown; `sort_by` (the header's sort indicator) re-sorts them,
    keeping the selection on the same rows."""

    def __init__(self, columns, parent=None, column: int = 0,
                 order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        super().__init__(columns, parent)
        self.sort_column, self.sort_order = column, order

    @property
    def order(self) -> tuple[str | None, bool]:
        """What `sort_rows` needs to sort rows as shown (on a worker thread, say): the
        column's key (None: unsorted) and whether descending."""
        key = self._columns[self.sort_column].key \
            if 0 <= self.sort_column < len(self._columns) else None
        return key, self.sort_order == Qt.SortOrder.DescendingOrder

    def _sorted(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sort_rows(rows, self.order)

    def set_rows(self, rows: list[dict[str, Any]],
                 sorted_by: tuple[str | None, bool] | None = None) -> None:
        """`sorted_by`: the order the rows come in (sort_rows' `order`), if sorted already."""
        self.beginResetModel()
        self._rows = list(rows) if sorted_by == self.order else self._sorted(rows)
        self.endResetModel()

    def sort_by(self, column: int, order: Qt.SortOrder) -> None:
        if (column, order) == (self.sort_column, self.sort_order):
            return
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        held = [self._rows[index.row()] if 0 <= index.row() < len(self._rows) else None
                for index in old]
        self._rows = self._sorted(self._rows)
        where = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(old, [
            self.index(where[id(row)], index.column()) if row is not None else index
            for index, row in zip(old, held, strict=True)])
        self.layoutChanged.emit()


def sort_in_python(table: FilterTable, column: int = 0,
                   order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
    """The header sorts `table`'s SortedModel; its proxy only filters."""
    model: SortedModel = table.model
    view = table.view
    view.setSortingEnabled(False)
    table.proxy.sort(-1)
    table.proxy.setDynamicSortFilter(False)
    header = view.horizontalHeader()
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    header.setSortIndicator(column, order)
    model.sort_by(column, order)
    header.sortIndicatorChanged.connect(model.sort_by)


def fit_columns(view: QTableView, model: RecordTableModel, bold=None) -> None:
    """Each column as wide as its title and the text of the first rows shown (FIT_SAMPLE),
    measured here in one pass; the last column takes the rest of the width. `bold(row)`: the
    rows drawn in bold."""
    header = view.horizontalHeader()
    text_metrics, title_metrics = view.fontMetrics(), header.fontMetrics()
    proxy = view.model()
    shown = min(proxy.rowCount(), FIT_SAMPLE)
    rows = [model.row_at(proxy.mapToSource(proxy.index(n, 0)).row()) for n in range(shown)] \
        if proxy is not model else model.rows[:shown]
    last = model.columnCount() - 1
    for column in range(last + 1):
        if view.isColumnHidden(column):
            continue
        title = model.headerData(column, Qt.Orientation.Horizontal) or ""
        width = title_metrics.horizontalAdvance(str(title)) + PADDING + 14  # the sort arrow
        spec = model._columns[column]
        for row in rows:
            if row is None:
                continue
            value = row.get(spec.key)
            text = spec.display(value, row) if spec.display else default_text(value)
            if text:
                measured = text_metrics.horizontalAdvance(text.split("\n", 1)[0])
                if bold is not None and bold(row):
                    measured = int(measured * BOLD_SLACK)
                width = max(width, measured + PADDING)
        if column < last:
            header.resizeSection(column, min(width, MAX_WIDTH))
