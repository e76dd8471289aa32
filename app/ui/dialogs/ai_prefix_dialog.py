"""The AI prefix form: the text a question starts with, its AI service and audience."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
)

from app.errors import UserError
from app.services import ai_prefixes
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog, check_field, line_field, text_field, usage_label
from app.ui.language import translate

NO_SERVICE = QT_TRANSLATE_NOOP("AiPrefixDialog", "— none —")  # shown translated


def parse_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


class AiPrefixDialog(FormDialog):
    """New or edit; saves through services.ai_prefixes and emits `prefix_saved(prefix)`."""

    prefix_saved = Signal(dict)

    def __init__(self, ctx: UiContext, row: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__(translate("AiPrefixDialog", "Edit AI prefix") if row
                         else translate("AiPrefixDialog", "New AI prefix"), parent)
        self.ctx = ctx
        self.row = row
        self.resize(620, 520)
        self.prefix = line_field("prefix", row["prefix"] if row else "",
                                 self.tr('e.g. "ai:" or "=" — a message starting with it is a '
                                         'question'))
        self.prefix.setMaxLength(ai_prefixes.MAX_PREFIX + 5)  # room to be told it is too long
        self.name = line_field("name", row["name"] if row else "", ai_prefixes.DEFAULT_NAME)
        self.description = line_field("description", row["description"] if row else "",
                                      self.tr("Shown to users in the help list"))
        self.enabled = check_field("enabled",
                                   self.tr("Enabled (the bot answers questions with this prefix)"),
                                   row["enabled"] if row else True)
        self.service = QComboBox()
        self.service.setObjectName("service")
        self.service.addItem(self.tr(NO_SERVICE), None)
        services = ai_prefixes.ai_services()
        for source in services:
            self.service.addItem(source["name"] if source["active"] else
                                 self.tr("{name} (inactive)").format(name=source["name"]),
                                 source["id"])
        current = self.service.findData(row["data_source_id"]) if row and \
            row["data_source_id"] else -1
        # A new prefix gets the only AI service there is; nobody wants to pick it by hand.
        if current < 0 and row is None and len(services) == 1:
            current = 1
        self.service.setCurrentIndex(max(current, 0))
        self.service_hint = QLabel(self.tr("Add an AI service in Connections first; until then "
                                           "this prefix cannot answer."))
        self.service_hint.setObjectName("service_hint")
        self.service_hint.setWordWrap(True)
        self.service_hint.setVisible(not services)
        self.system_prompt = text_field(
            "system_prompt", row["system_prompt"] if row else "",
            self.tr("Empty: the AI service's own system prompt is used."), 120)
        self.audience = line_field(
            "audience", ", ".join(row["audience"]) if row else "",
            self.tr("Contact tags, comma-separated; empty = every allowed contact"))
        self.usage = usage_label(self.tr("Used %n time(s) so far.", "",
                                         row["usage_count"] if row else 0))
        self.form.addRow(self.tr("Prefix *"), self.prefix)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Description"), self.description)
        self.form.addRow("", self.enabled)
        self.form.addRow(self.tr("AI service"), self.service)
        self.form.addRow("", self.service_hint)
        self.form.addRow(self.tr("Own system prompt"), self.system_prompt)
        self.form.addRow(self.tr("Audience"), self.audience)
        self.form.addRow(self.tr("Usage"), self.usage)
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
