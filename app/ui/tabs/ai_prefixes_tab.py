"""AI Prefixes tab: the text a message starts with to be sent to an AI service as a question."""

from __future__ import annotations

from typing import Any

from app.core.timefmt import local_text
from app.services import ai_prefixes
from app.ui.dialogs.ai_prefix_dialog import NO_SERVICE, AiPrefixDialog
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column


def _service(_value: Any, row: dict[str, Any]) -> str:
    if not row["data_source_id"]:
        return NO_SERVICE
    if not row["data_source"]:
        return "(connection deleted)"
    return row["data_source"] + ("" if row["source_active"] else " (inactive)")


def _service_color(row: dict[str, Any]) -> str | None:
    return None if row["data_source"] and row["source_active"] else "#b00020"


COLUMNS = (
    Column("prefix", "Prefix", display=lambda v, _r: f"“{v}”"),
    Column("name", "Name"),
    Column("data_source", "AI service", display=_service, color=_service_color),
    Column("enabled", "Enabled"),
    Column("usage_count", "Used", display=lambda v, _r: f"{v} time" + ("" if v == 1 else "s")),
    Column("last_used", "Last used", display=lambda v, _r: local_text(v)),
    Column("description", "Description"),
)


class AiPrefixesTab(ListTab):
    columns = COLUMNS
    filter_text = "Filter AI prefixes…"
    read_only_text = "Your role can look at AI prefixes, not change them."
    topics = ("ai_triggers", "data_sources")

    def make_buttons(self) -> None:
        self.new_button = self.add_button("New…", self.new, needs_row=False)
        self.edit_button = self.add_button("Edit…", self.edit)
        self.enabled_button = self.add_button("Disable", self.toggle_enabled)
        self.delete_button = self.add_button("Delete", self.delete)

    def load(self) -> list[dict[str, Any]]:
        return ai_prefixes.list_prefixes()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        hints = []
        if not ai_prefixes.ai_services():
            hints.append("Add an AI service in Connections first; a prefix sends its questions "
                         "to one.")
        if not rows:
            hints.append('No AI prefix yet. A message that starts with a prefix (say "ai:") '
                         "goes to an AI service as a question, and its answer is the reply.")
        return " ".join(hints)

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        self.enabled_button.setText("Disable" if row is None or row["enabled"] else "Enable")

    def form(self, row):
        dialog = AiPrefixDialog(self.ctx, row, parent=self)
        return dialog, dialog.prefix_saved, lambda row: f"AI prefix “{row['prefix']}” saved."

    def toggle_enabled(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: ai_prefixes.set_enabled(self.ctx.actor, row["id"],
                                                     not row["enabled"]))

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then("Delete AI prefix",
                              f"Delete the AI prefix “{row['prefix']}” ({row['name']})?",
                              lambda: ai_prefixes.delete_prefix(self.ctx.actor, row["id"]),
                              f"AI prefix “{row['prefix']}” deleted.")
