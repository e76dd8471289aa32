"""SQL preview: a read-only query with its :name variables filled in, rows shown capped."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.sources import SourceError
from app.core.sql_gate import bind_names
from app.core.values import QueryResult
from app.errors import describe
from app.runtime.source_pool import run_query
from app.ui.context import UiContext
from app.ui.widgets.common import make_table_view
from app.ui.widgets.table_model import Column, RecordTableModel


class QueryDialog(QDialog):
    def __init__(self, ctx: UiContext, source: dict, sql: str = "", parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source = source
        self.dialect = "oracle" if source["plugin"] == "oracle" else "mysql"
        self.setWindowTitle(self.tr("Query {name}").format(name=source["name"]))
        self.resize(900, 640)
        self.editor = QPlainTextEdit(sql)
        self.editor.setObjectName("sql")
        self.editor.setFont(QFont("monospace"))
        self.editor.setPlaceholderText(
            "SELECT sample_id, result FROM lab_results WHERE unit = :unit ORDER BY sampled_at "
            "DESC")
        self.editor.setMaximumHeight(160)
        self.variables = QFormLayout()
        self.variable_edits: dict[str, QLineEdit] = {}
        variables_box = QWidget()
        variables_box.setLayout(self.variables)
        self.max_rows = QSpinBox()
        self.max_rows.setRange(1, 1000)
        self.max_rows.setValue(20)
        self.run_button = QPushButton(self.tr("Run preview"))
        self.run_button.setObjectName("run")
        self.run_button.clicked.connect(self.run)
        self.model = RecordTableModel([], self)
        self.view = make_table_view(self.model, sortable=False)
        self.status = QLabel(self.tr("Only single read-only SELECT statements run; values are "
                                     "sent as bound parameters."))
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Rows at most")))
        bar.addWidget(self.max_rows)
        bar.addStretch(1)
        bar.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(variables_box)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self._refresh_variables)
        self.editor.textChanged.connect(self._debounce.start)
        self._refresh_variables()

    def _refresh_variables(self) -> None:
        try:
            names = bind_names(self.editor.toPlainText(), self.dialect)
        except SourceError:
            names = []
        if names == list(self.variable_edits):
            return
        old = {k: e.text() for k, e in self.variable_edits.items()}
        while self.variables.rowCount():
            self.variables.removeRow(0)
        self.variable_edits = {}
        for name in names:
            edit = QLineEdit(old.get(name, ""))
            edit.setObjectName(f"var_{name}")
            self.variables.addRow(f":{name}", edit)
            self.variable_edits[name] = edit

    def run(self) -> None:
        self._refresh_variables()
        sql = self.editor.toPlainText()
        params = {k: e.text() for k, e in self.variable_edits.items()}
        limit = self.max_rows.value()
        self.status.setText(self.tr("Running…"))

        def done(result: QueryResult) -> None:
            columns = [Column(str(i), name, translate_title=False)
                       for i, name in enumerate(result.columns)]
            self.model = RecordTableModel(columns, self)
            self.model.set_rows([{str(i): v for i, v in enumerate(row)} for row in result.rows])
            self.view.setModel(self.model)
            self.view.resizeColumnsToContents()
            rows = self.tr("%n row(s)", "", len(result.rows))
            ms = f"{result.elapsed_ms:.0f}"
            self.status.setText(
                self.tr("{rows} in {ms} ms; more rows exist (showing the first {limit}).").format(
                    rows=rows, ms=ms, limit=limit) if result.truncated else
                self.tr("{rows} in {ms} ms.").format(rows=rows, ms=ms))


        self.ctx.runner.run(run_query(self.ctx.pool, self.source["id"], sql, params, limit),
                            done, lambda exc: self.status.setText(describe(exc)),
                            key=f"query-{self.source['id']}", control=self.run_button)
