"""Triggers tab: the keywords the bot answers, their forms, and a preview of the exact reply."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.errors import UserError
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.widgets.common import FilterTable, button_bar, confirm, follow, notice
from app.ui.widgets.preview import PreviewPane
from app.ui.widgets.table_model import Column, RecordTableModel

RED = "#b00020"


def _connection(_value, row: dict) -> str:
    if row["type"] == "text":
        return ""
    if not row["data_source_id"]:
        return "None chosen"
    return row["data_source"] + ("" if row["source_active"] else " (switched off)")


def _connection_color(row: dict) -> str | None:
    if row["type"] != "text" and (not row["data_source_id"] or not row["source_active"]):
        return RED
    return None


COLUMNS = (
    Column("name", "Keyword"),
    Column("type", "Type", display=lambda v, _r: trigger_service.TYPES.get(v, f"Old type {v}")),
    Column("data_source", "Connection", display=_connection, color=_connection_color),
    Column("active", "Active"),
    Column("description", "Description"),
    Column("setup", "Setup", display=lambda _v, r: "Finish setup" if r["setup_missing"] else "",
           color=lambda r: RED if r["setup_missing"] else None,
           tooltip=lambda r: " ".join(r["setup_missing"]) or None),
)


def copy_name(name: str, taken: set[str]) -> str:
    """`name copy`, `name copy 2`, … whichever no trigger uses yet (compared as routing does)."""
    from app.core.routing import normalise

    used = {normalise(t) for t in taken}
    candidate = f"{name} copy"
    number = 2
    while normalise(candidate) in used:
        candidate = f"{name} copy {number}"
        number += 1
    return candidate


class TriggersTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(COLUMNS, self)
        self.table = FilterTable(self.model, "Filter triggers…")
        self.table.view.doubleClicked.connect(lambda _i: self.edit())
        self.table.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.new_button = QPushButton("New…")
        self.edit_button = QPushButton("Edit…")
        self.duplicate_button = QPushButton("Duplicate")
        self.active_button = QPushButton("Deactivate")
        self.delete_button = QPushButton("Delete")
        bar = button_bar(
            (self.new_button, self.new),
            (self.edit_button, self.edit),
            (self.duplicate_button, self.duplicate),
            (self.active_button, self.toggle_active),
            (self.delete_button, self.delete),
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.preview = PreviewPane(ctx, "trigger-preview", self._build_preview)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.hint)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setSizes([640, 560])  # the chart needs about half the width to be readable
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.CONFIG_WRITE):
            layout.addWidget(notice("Your role can look at triggers and preview their replies, "
                                    "not change them."))
        layout.addWidget(split, 1)
        follow(self, ("triggers", "data_sources"), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        rows = trigger_service.list_triggers()
        self.model.set_rows(rows)
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        if not rows:
            self.hint.setText("No trigger yet. Press <b>New…</b> and pick the <b>demo</b> "
                              "connection to try one without a network.")
        else:
            waiting = [r["name"] for r in rows if r["setup_missing"]]
            self.hint.setText(("Finish the setup of: " + ", ".join(waiting)) if waiting else "")
        self._update_buttons()

    def _on_selection_changed(self, *_args) -> None:
        row = self.table.selected_row()
        # A preview still running belongs to the row that was selected before.
        self.preview.reply.cancel()
        self.preview.reply.clear()
        self.preview.title.setText(f"<b>Preview of {row['name']}</b>" if row else
                                   "<b>Preview</b> — select a trigger")
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.new_button.setEnabled(writable)
        for button in (self.edit_button, self.duplicate_button, self.active_button,
                       self.delete_button):
            button.setEnabled(writable and row is not None)
        self.active_button.setText("Activate" if row and not row["active"] else "Deactivate")
        # Previewing only reads, so every role may do it.
        self.preview.run_button.setEnabled(row is not None
                                           and not self.ctx.runner.busy(self.preview.key))

    # -- preview ------------------------------------------------------------------------------
    def _build_preview(self, args: list[str], run_ctx: RunContext) -> Awaitable[Answer] | None:
        row = self.table.selected_row()
        if row is None:
            return None
        try:
            trigger = trigger_service.get_trigger(row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return None
        # The preview shows what the trigger would answer, even while it is switched off.
        return TriggerRunner(self.ctx.pool).run_trigger(dict(trigger, active=True), args,
                                                        run_ctx)

    # -- actions ------------------------------------------------------------------------------
    def new(self) -> None:
        if self.ctx.can(permissions.CONFIG_WRITE):
            self._open(TriggerDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.table.selected_row()
        if row is not None and self.ctx.can(permissions.CONFIG_WRITE):
            self._open(TriggerDialog(self.ctx, row, parent=self))

    def _open(self, dialog: TriggerDialog) -> None:
        def saved(trigger: dict[str, Any]) -> None:
            self.ctx.messages.info(f"Trigger {trigger['name']} saved.")
            self.table.select_where("id", trigger["id"])

        dialog.trigger_saved.connect(saved)
        # Closed forms go away instead of piling up hidden under the tab.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def duplicate(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        name = copy_name(row["name"], {r["name"] for r in self.model.rows})
        try:
            # The copy starts switched off so nothing answers its keyword before it is edited.
            copy = trigger_service.save_trigger(
                self.ctx.actor, None, name=name, kind=row["type"], active=False,
                data_source_id=row["data_source_id"], config=dict(row["config"]))
        except UserError as exc:
            self.ctx.messages.error(str(exc).split("\n")[0] + " " + " ".join(
                getattr(exc, "problems", [])))
            return
        self.table.select_where("id", copy["id"])
        self.ctx.messages.info(f"Trigger {copy['name']} created, switched off; edit it, then "
                               "activate it.")

    def toggle_active(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            trigger_service.set_active(self.ctx.actor, row["id"], not row["active"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        state = "switched off" if row["active"] else "active"
        self.ctx.messages.info(f"Trigger {row['name']} is now {state}.")

    def delete(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete trigger",
                    f"Delete the trigger {row['name']}? People sending {row['name']} get no "
                    "answer any more, and groups that contain it lose it.",
                    lambda: self._delete(row))

    def _delete(self, row: dict) -> None:
        try:
            trigger_service.delete_trigger(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(f"Trigger {row['name']} deleted.")
