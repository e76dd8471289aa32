"""The preset form: a query template written once, with its variables."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal

from app.errors import UserError
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog, check_field, line_field, text_field, usage_label
from app.ui.language import translate
from app.ui.widgets.common import fixed_font
from app.ui.widgets.variables import VariablesTable


class PresetDialog(FormDialog):
    """New or edit; saves through services.triggers and emits `preset_saved(preset)`."""

    preset_saved = Signal(dict)

    def __init__(self, ctx: UiContext, preset: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__(translate("PresetDialog", "Edit preset") if preset
                         else translate("PresetDialog", "New preset"), parent)
        self.ctx = ctx
        self.preset = preset
        self.resize(760, 560)
        self.name = line_field("name", preset["name"] if preset else "")
        self.query = text_field("query", preset["query_template"] if preset else "",
                                "SELECT sampled_at, value FROM lab_results\n"
                                "WHERE sample_point = :point ORDER BY sampled_at DESC", 150)
        self.query.setFont(fixed_font())
        self.variables = VariablesTable(lambda: (self.query.toPlainText(), "mysql"))
        self.variables.set_specs(preset["variables"] if preset else [])
        self.is_default = check_field(
            "is_default",
            self.tr("Default preset (offered first for new saved-query triggers)"),
            bool(preset and preset["is_default"]))
        self.usage = usage_label(self.tr("Used %n time(s) so far.", "",
                                         preset["usage_count"] if preset else 0))
        self.form.addRow(self.tr("Name *"), self.name)
        self.form.addRow(self.tr("Query template *"), self.query)
        self.form.addRow(self.tr("Variables"), self.variables)
        self.form.addRow("", self.is_default)
        self.form.addRow(self.tr("Usage"), self.usage)
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
