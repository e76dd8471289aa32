"""Triggers tab: the keywords the bot answers, their forms, and a preview of the exact reply."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import Qt

from app.core.legacy_triggers import GROUP_KEY, REVIEW_KEY
from app.errors import UserError
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import triggers as trigger_service
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.preview import PreviewPane
from app.ui.widgets.table_model import Column

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


AMBER = "#8a6d00"


def _setup(_value, row: dict) -> str:
    """What a migrated trigger still needs, in a word: the summary (Help → Move from the old
    system) and the tooltip say the rest."""
    config = row["config"]
    if row["setup_missing"]:
        return "Finish setup"
    if config.get(GROUP_KEY):
        return "Now a group"
    if config.get(REVIEW_KEY):
        return "Converted: check it"
    return ""


def _setup_tooltip(row: dict) -> str | None:
    config = row["config"]
    if row["setup_missing"]:
        return " ".join(row["setup_missing"])
    if config.get(GROUP_KEY):
        return (f"The old system's composite trigger {row['name']} ran several triggers one "
                f"after another; the group {config[GROUP_KEY]} does that now and answers the "
                "keyword. This row is kept, switched off, for its history.")
    return " ".join(config.get(REVIEW_KEY) or []) or None


def _setup_color(row: dict) -> str | None:
    if row["setup_missing"]:
        return RED
    return AMBER if row["config"].get(REVIEW_KEY) else None


COLUMNS = (
    Column("name", "Keyword"),
    Column("type", "Type", display=lambda v, _r: trigger_service.TYPES.get(v, f"Old type {v}")),
    Column("data_source", "Connection", display=_connection, color=_connection_color),
    Column("active", "Active"),
    # Before the description, which is long: a migrated trigger's state stays in view.
    Column("setup", "Setup", display=_setup, color=_setup_color, tooltip=_setup_tooltip),
    Column("description", "Description"),
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


class TriggersTab(ListTab):
    columns = COLUMNS
    filter_text = "Filter triggers…"
    read_only_text = "Your role can look at triggers and preview their replies, not change them."
    topics = ("triggers", "data_sources")

    def make_buttons(self) -> None:
        self.new_button = self.add_button("New…", self.new, needs_row=False)
        self.edit_button = self.add_button("Edit…", self.edit)
        self.duplicate_button = self.add_button("Duplicate", self.duplicate)
        self.active_button = self.add_button("Deactivate", self.toggle_active)
        self.delete_button = self.add_button("Delete", self.delete)

    def pane(self):
        self.preview = PreviewPane(self.ctx, "trigger-preview", self._build_preview)
        # The chart needs about half the width to be readable.
        return self.preview, Qt.Orientation.Horizontal, (640, 560)

    def load(self) -> list[dict[str, Any]]:
        return trigger_service.list_triggers()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        if not rows:
            return ("No trigger yet. Press <b>New…</b> and pick the <b>demo</b> connection to "
                    "try one without a network.")
        waiting = [r["name"] for r in rows if r["setup_missing"]]
        return ("Finish the setup of: " + ", ".join(waiting)) if waiting else ""

    def selection_changed(self, *_args) -> None:
        row = self.selected()
        # A preview still running belongs to the row that was selected before.
        self.preview.reply.cancel()
        self.preview.reply.clear()
        self.preview.title.setText(f"<b>Preview of {row['name']}</b>" if row else
                                   "<b>Preview</b> — select a trigger")
        self.update_buttons()

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        self.active_button.setText("Activate" if row and not row["active"] else "Deactivate")
        # Previewing only reads, so every role may do it.
        self.preview.run_button.setEnabled(row is not None
                                           and not self.ctx.runner.busy(self.preview.key))

    # -- preview ------------------------------------------------------------------------------
    def _build_preview(self, args: list[str], run_ctx: RunContext) -> Awaitable[Answer] | None:
        row = self.selected()
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
    def form(self, row):
        dialog = TriggerDialog(self.ctx, row, parent=self)
        return dialog, dialog.trigger_saved, lambda t: f"Trigger {t['name']} saved."

    def duplicate(self) -> None:
        row = self.selected()
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
        row = self.selected()
        if row is not None:
            state = "switched off" if row["active"] else "active"
            self.act(lambda: trigger_service.set_active(self.ctx.actor, row["id"],
                                                        not row["active"]),
                     f"Trigger {row['name']} is now {state}.")

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(
                "Delete trigger",
                f"Delete the trigger {row['name']}? People sending {row['name']} get no "
                "answer any more, and groups that contain it lose it.",
                lambda: trigger_service.delete_trigger(self.ctx.actor, row["id"]),
                f"Trigger {row['name']} deleted.")
