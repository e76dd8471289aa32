"""Presets tab: saved query templates with their variables, for `preset` triggers to reuse."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.services import triggers as trigger_service
from app.ui import language
from app.ui.dialogs.preset_dialog import PresetDialog
from app.ui.language import translate
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column


def variable_names(variables: list[Any]) -> list[str]:
    # The old system stored bare names (docs/old-system.md §7), the new one specs.
    return [v if isinstance(v, str) else str(v.get("name", "")) for v in variables]


COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    Column("variables", QT_TRANSLATE_NOOP("Columns", "Variables"),
           display=lambda v, _r: ", ".join(variable_names(v))),
    Column("is_default", QT_TRANSLATE_NOOP("Columns", "Default"),
           display=lambda v, _r: translate("Columns", "Default") if v else ""),
    Column("usage_count", QT_TRANSLATE_NOOP("Columns", "Used"),
           display=lambda v, _r: language.counts().times(v)),
)


class PresetsTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter presets…")
    read_only_text = QT_TRANSLATE_NOOP("ListTab",
                                       "Your role can look at presets, not change them.")
    topics = ("query_presets", "triggers")

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New…"), self.new, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def load(self) -> list[dict[str, Any]]:
        return trigger_service.list_presets()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        return "" if rows else self.tr("No preset yet. A preset is a query written once; "
                                       "several saved-query triggers can use it with their own "
                                       "values.")

    def form(self, row):
        dialog = PresetDialog(self.ctx, row, parent=self)
        return dialog, dialog.preset_saved, lambda p: self.tr("Preset {name} saved.").format(
            name=p["name"])

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(self.tr("Delete preset"),
                              self.tr("Delete the preset {name}?").format(name=row["name"]),
                              lambda: trigger_service.delete_preset(self.ctx.actor, row["id"]),
                              self.tr("Preset {name} deleted.").format(name=row["name"]))
