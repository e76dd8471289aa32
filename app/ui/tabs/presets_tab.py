"""Presets tab: saved query templates with their variables, for `preset` triggers to reuse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from app.errors import UserError
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.widgets.common import fixed_font
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column
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


class PresetsTab(ListTab):
    columns = COLUMNS
    filter_text = "Filter presets…"
    read_only_text = "Your role can look at presets, not change them."
    topics = ("query_presets", "triggers")

    def make_buttons(self) -> None:
        self.new_button = self.add_button("New…", self.new, needs_row=False)
        self.edit_button = self.add_button("Edit…", self.edit)
        self.delete_button = self.add_button("Delete", self.delete)

    def load(self) -> list[dict[str, Any]]:
        return trigger_service.list_presets()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        return "" if rows else ("No preset yet. A preset is a query written once; several "
                                "saved-query triggers can use it with their own values.")

    def new(self) -> None:
        if self.writable():
            self._open(PresetDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.selected()
        if row is not None and self.writable():
            self._open(PresetDialog(self.ctx, row, parent=self))

    def _open(self, dialog: PresetDialog) -> None:
        self.open_form(dialog, dialog.preset_saved, lambda p: f"Preset {p['name']} saved.")

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then("Delete preset", f"Delete the preset {row['name']}?",
                              lambda: trigger_service.delete_preset(self.ctx.actor, row["id"]),
                              f"Preset {row['name']} deleted.")
