"""AI Prefixes tab: the text a message starts with to be sent to an AI service as a question."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.core.timefmt import local_text
from app.errors import UserError
from app.services import ai_prefixes
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.widgets.common import FilterTable, button_bar, confirm, follow, notice
from app.ui.widgets.table_model import Column, RecordTableModel

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


class AiPrefixesTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(COLUMNS, self)
        self.table = FilterTable(self.model, "Filter AI prefixes…")
        self.table.view.doubleClicked.connect(lambda _i: self.edit())
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button = QPushButton("New…")
        self.edit_button = QPushButton("Edit…")
        self.enabled_button = QPushButton("Disable")
        self.delete_button = QPushButton("Delete")
        bar = button_bar(
            (self.new_button, self.new),
            (self.edit_button, self.edit),
            (self.enabled_button, self.toggle_enabled),
            (self.delete_button, self.delete),
        )
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.CONFIG_WRITE):
            layout.addWidget(notice("Your role can look at AI prefixes, not change them."))
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        follow(self, ("ai_triggers", "data_sources"), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        rows = ai_prefixes.list_prefixes()
        self.model.set_rows(rows)
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        hints = []
        if not ai_prefixes.ai_services():
            hints.append("Add an AI service in Connections first; a prefix sends its questions "
                         "to one.")
        if not rows:
            hints.append('No AI prefix yet. A message that starts with a prefix (say "ai:") '
                         "goes to an AI service as a question, and its answer is the reply.")
        self.hint.setText(" ".join(hints))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.new_button.setEnabled(writable)
        for button in (self.edit_button, self.enabled_button, self.delete_button):
            button.setEnabled(writable and row is not None)
        self.enabled_button.setText("Disable" if row is None or row["enabled"] else "Enable")

    def new(self) -> None:
        if self.ctx.can(permissions.CONFIG_WRITE):
            self._open(AiPrefixDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.table.selected_row()
        if row is not None and self.ctx.can(permissions.CONFIG_WRITE):
            self._open(AiPrefixDialog(self.ctx, row, parent=self))

    def _open(self, dialog: AiPrefixDialog) -> None:
        def saved(row: dict[str, Any]) -> None:
            self.ctx.messages.info(f"AI prefix “{row['prefix']}” saved.")
            self.table.select_where("id", row["id"])

        dialog.prefix_saved.connect(saved)
        # Closed forms go away instead of piling up hidden under the tab.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def toggle_enabled(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            ai_prefixes.set_enabled(self.ctx.actor, row["id"], not row["enabled"])
        except UserError as exc:
            self.ctx.messages.error(exc)

    def delete(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete AI prefix",
                    f"Delete the AI prefix “{row['prefix']}” ({row['name']})?",
                    lambda: self._delete(row))

    def _delete(self, row: dict[str, Any]) -> None:
        try:
            ai_prefixes.delete_prefix(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(f"AI prefix “{row['prefix']}” deleted.")
