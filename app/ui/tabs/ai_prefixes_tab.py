"""AI Prefixes tab: the text a message starts with to be sent to an AI service as a question."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)

from app.core.timefmt import local_text
from app.errors import UserError
from app.services import ai_prefixes
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column

NO_SERVICE = "— none —"


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


def parse_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


class AiPrefixDialog(FormDialog):
    """New or edit; saves through services.ai_prefixes and emits `prefix_saved(prefix)`."""

    prefix_saved = Signal(dict)

    def __init__(self, ctx: UiContext, row: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__("Edit AI prefix" if row else "New AI prefix", parent)
        self.ctx = ctx
        self.row = row
        self.resize(620, 520)
        self.prefix = QLineEdit(row["prefix"] if row else "")
        self.prefix.setObjectName("prefix")
        self.prefix.setMaxLength(ai_prefixes.MAX_PREFIX + 5)  # room to be told it is too long
        self.prefix.setPlaceholderText('e.g. "ai:" or "=" — a message starting with it is a '
                                       "question")
        self.name = QLineEdit(row["name"] if row else "")
        self.name.setObjectName("name")
        self.name.setPlaceholderText(ai_prefixes.DEFAULT_NAME)
        self.description = QLineEdit(row["description"] if row else "")
        self.description.setObjectName("description")
        self.description.setPlaceholderText("Shown to users in the help list")
        self.enabled = QCheckBox("Enabled (the bot answers questions with this prefix)")
        self.enabled.setObjectName("enabled")
        self.enabled.setChecked(row["enabled"] if row else True)
        self.service = QComboBox()
        self.service.setObjectName("service")
        self.service.addItem(NO_SERVICE, None)
        services = ai_prefixes.ai_services()
        for source in services:
            self.service.addItem(source["name"] + ("" if source["active"] else " (inactive)"),
                                 source["id"])
        current = self.service.findData(row["data_source_id"]) if row and \
            row["data_source_id"] else -1
        # A new prefix gets the only AI service there is; nobody wants to pick it by hand.
        if current < 0 and row is None and len(services) == 1:
            current = 1
        self.service.setCurrentIndex(max(current, 0))
        self.service_hint = QLabel("Add an AI service in Connections first; until then this "
                                   "prefix cannot answer.")
        self.service_hint.setObjectName("service_hint")
        self.service_hint.setWordWrap(True)
        self.service_hint.setVisible(not services)
        self.system_prompt = QPlainTextEdit(row["system_prompt"] if row else "")
        self.system_prompt.setObjectName("system_prompt")
        self.system_prompt.setPlaceholderText("Empty: the AI service's own system prompt is "
                                              "used.")
        self.system_prompt.setMinimumHeight(120)
        self.audience = QLineEdit(", ".join(row["audience"]) if row else "")
        self.audience.setObjectName("audience")
        self.audience.setPlaceholderText("Contact tags, comma-separated; empty = every allowed "
                                         "contact")
        used = row["usage_count"] if row else 0
        self.usage = QLabel(f"Used {used} time" + ("" if used == 1 else "s") + " so far.")
        self.usage.setObjectName("usage")
        self.form.addRow("Prefix *", self.prefix)
        self.form.addRow("Name", self.name)
        self.form.addRow("Description", self.description)
        self.form.addRow("", self.enabled)
        self.form.addRow("AI service", self.service)
        self.form.addRow("", self.service_hint)
        self.form.addRow("Own system prompt", self.system_prompt)
        self.form.addRow("Audience", self.audience)
        self.form.addRow("Usage", self.usage)
        self.submitted.connect(self.save)

    def values(self) -> dict:
        # The prefix is kept as typed: a trailing space ("ask ") is part of it.
        return {"prefix": self.prefix.text(), "name": self.name.text(),
                "description": self.description.text(), "enabled": self.enabled.isChecked(),
                "data_source_id": self.service.currentData(),
                "system_prompt": self.system_prompt.toPlainText(),
                "audience": parse_tags(self.audience.text())}

    def save(self, values: dict) -> None:
        try:
            saved = ai_prefixes.save_prefix(self.ctx.actor, self.row["id"] if self.row else None,
                                            **values)
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.prefix_saved.emit(saved)


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

    def new(self) -> None:
        if self.writable():
            self._open(AiPrefixDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.selected()
        if row is not None and self.writable():
            self._open(AiPrefixDialog(self.ctx, row, parent=self))

    def _open(self, dialog: AiPrefixDialog) -> None:
        self.open_form(dialog, dialog.prefix_saved,
                       lambda row: f"AI prefix “{row['prefix']}” saved.")

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
