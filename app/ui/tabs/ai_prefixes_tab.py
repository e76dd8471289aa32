"""AI Prefixes tab: the text a message starts with to be sent to an AI service as a question."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.core.timefmt import local_text
from app.services import ai_prefixes
from app.ui import language
from app.ui.dialogs.ai_prefix_dialog import NO_SERVICE, AiPrefixDialog
from app.ui.language import translate
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column


def _service(_value: Any, row: dict[str, Any]) -> str:
    if not row["data_source_id"]:
        return translate("AiPrefixDialog", NO_SERVICE)
    if not row["data_source"]:
        return translate("AiPrefixesTab", "(connection deleted)")
    if row["source_active"]:
        return row["data_source"]
    return translate("AiPrefixDialog", "{name} (inactive)").format(name=row["data_source"])


def _service_color(row: dict[str, Any]) -> str | None:
    return None if row["data_source"] and row["source_active"] else "#b00020"


COLUMNS = (
    Column("prefix", QT_TRANSLATE_NOOP("Columns", "Prefix"), display=lambda v, _r: f"“{v}”"),
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    Column("data_source", QT_TRANSLATE_NOOP("Columns", "AI service"), display=_service,
           color=_service_color),
    Column("enabled", QT_TRANSLATE_NOOP("Columns", "Enabled")),
    Column("usage_count", QT_TRANSLATE_NOOP("Columns", "Used"),
           display=lambda v, _r: language.counts().times(v)),
    Column("last_used", QT_TRANSLATE_NOOP("Columns", "Last used"),
           display=lambda v, _r: local_text(v)),
    Column("description", QT_TRANSLATE_NOOP("Columns", "Description")),
)


class AiPrefixesTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter AI prefixes…")
    read_only_text = QT_TRANSLATE_NOOP("ListTab",
                                       "Your role can look at AI prefixes, not change them.")
    topics = ("ai_triggers", "data_sources")

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New…"), self.new, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.enabled_button = self.add_button(self.tr("Disable"), self.toggle_enabled)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def load(self) -> list[dict[str, Any]]:
        return ai_prefixes.list_prefixes()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        hints = []
        if not ai_prefixes.ai_services():
            hints.append(self.tr("Add an AI service in Connections first; a prefix sends its "
                                 "questions to one."))
        if not rows:
            hints.append(self.tr('No AI prefix yet. A message that starts with a prefix (say '
                                 '"ai:") goes to an AI service as a question, and its answer is '
                                 'the reply.'))
        return " ".join(hints)

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        self.enabled_button.setText(self.tr("Disable") if row is None or row["enabled"]
                                    else self.tr("Enable"))

    def form(self, row):
        dialog = AiPrefixDialog(self.ctx, row, parent=self)
        return dialog, dialog.prefix_saved, lambda row: self.tr(
            "AI prefix “{prefix}” saved.").format(prefix=row["prefix"])

    def toggle_enabled(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: ai_prefixes.set_enabled(self.ctx.actor, row["id"],
                                                     not row["enabled"]))

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(self.tr("Delete AI prefix"),
                              self.tr("Delete the AI prefix “{prefix}” ({name})?").format(
                                  prefix=row["prefix"], name=row["name"]),
                              lambda: ai_prefixes.delete_prefix(self.ctx.actor, row["id"]),
                              self.tr("AI prefix “{prefix}” deleted.").format(
                                  prefix=row["prefix"]))
