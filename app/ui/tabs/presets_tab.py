"""Presets tab: saved query templates with their variables, for `preset` triggers to reuse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.errors import UserError
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.widgets.common import FilterTable, button_bar, confirm, fixed_font, follow, notice
from app.ui.widgets.table_model import Column, RecordTableModel
from app.ui.widgets.variables import VariablesTable


def variable_names(variables: list[Any]) -> list[str]:
    # The old system stored bare names (docs/old-system.md §7), the new one specs.
    return [v if isinstance(v, str) else str(v.get("name", "")) for v in variables]


COLUMNS = (
    Column("name", "Name"),
    Column("variables", "Variables", display=lambda v, _r: ", ".join(variable_names(v))),
    Column("is_default", "Default", display=lambda v, _r: "Default" if v else ""),
    Column("usage_count", "Used", display=lambda v, _r: f"{v} time" + ("" if v == 1 else "s")),
)


class PresetDialog(FormDialog):
    """New or edit; saves through services.triggers and emits `preset_saved(preset)`."""

    preset_saved = Signal(dict)

    def __init__(self, ctx: UiContext, preset: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__("Edit preset" if preset else "New preset", parent)
        self.ctx = ctx
        self.preset = preset
        self.resize(760, 560)
        self.name = QLineEdit(preset["name"] if preset else "")
        self.name.setObjectName("name")
        self.query = QPlainTextEdit(preset["query_template"] if preset else "")
        self.query.setObjectName("query")
        self.query.setFont(fixed_font())
        self.query.setPlaceholderText("SELECT sampled_at, value FROM lab_results\n"
                                      "WHERE sample_point = :point ORDER BY sampled_at DESC")
        self.query.setMinimumHeight(150)
        self.variables = VariablesTable(lambda: (self.query.toPlainText(), "mysql"))
        self.variables.set_specs(preset["variables"] if preset else [])
        self.is_default = QCheckBox("Default preset (offered first for new saved-query "
                                    "triggers)")
        self.is_default.setObjectName("is_default")
        self.is_default.setChecked(bool(preset and preset["is_default"]))
        used = preset["usage_count"] if preset else 0
        self.usage = QLabel(f"Used {used} time" + ("" if used == 1 else "s") + " so far.")
        self.usage.setObjectName("usage")
        self.form.addRow("Name *", self.name)
        self.form.addRow("Query template *", self.query)
        self.form.addRow("Variables", self.variables)
        self.form.addRow("", self.is_default)
        self.form.addRow("Usage", self.usage)
        self.submitted.connect(self.save)

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "query_template": self.query.toPlainText(),
                "variables": self.variables.specs(), "is_default": self.is_default.isChecked()}

    def save(self, values: dict) -> None:
        try:
            saved = trigger_service.save_preset(
                self.ctx.actor, self.preset["id"] if self.preset else None, name=values["name"],
                query_template=values["query_template"], variables=values["variables"],
                is_default=values["is_default"])
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.preset_saved.emit(saved)


class PresetsTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(COLUMNS, self)
        self.table = FilterTable(self.model, "Filter presets…")
        self.table.view.doubleClicked.connect(lambda _i: self.edit())
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button = QPushButton("New…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        bar = button_bar(
            (self.new_button, self.new),
            (self.edit_button, self.edit),
            (self.delete_button, self.delete),
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.CONFIG_WRITE):
            layout.addWidget(notice("Your role can look at presets, not change them."))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        follow(self, ("query_presets", "triggers"), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        rows = trigger_service.list_presets()
        self.model.set_rows(rows)
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        self.hint.setText("" if rows else "No preset yet. A preset is a query written once; "
                          "several saved-query triggers can use it with their own values.")
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.new_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.delete_button.setEnabled(writable and row is not None)

    def new(self) -> None:
        if self.ctx.can(permissions.CONFIG_WRITE):
            self._open(PresetDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.table.selected_row()
        if row is not None and self.ctx.can(permissions.CONFIG_WRITE):
            self._open(PresetDialog(self.ctx, row, parent=self))

    def _open(self, dialog: PresetDialog) -> None:
        def saved(preset: dict[str, Any]) -> None:
            self.ctx.messages.info(f"Preset {preset['name']} saved.")
            self.table.select_where("id", preset["id"])

        dialog.preset_saved.connect(saved)
        # Closed forms go away instead of piling up hidden under the tab.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def delete(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete preset", f"Delete the preset {row['name']}?",
                    lambda: self._delete(row))

    def _delete(self, row: dict) -> None:
        try:
            trigger_service.delete_preset(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(f"Preset {row['name']} deleted.")
