"""Groups tab: one keyword that runs several triggers and answers with one combined reply."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt

from app.errors import UserError
from app.runtime.trigger_runner import Answer, RunContext
from app.services import triggers as trigger_service
from app.ui.dialogs.group_dialog import MODES, GroupDialog, run_group
from app.ui.language import translate
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.preview import PreviewPane
from app.ui.widgets.table_model import Column


def _members_tooltip(row: dict) -> str | None:
    return "\n".join(row["member_names"]) or None


COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Columns", "Keyword")),
    Column("execution_mode", QT_TRANSLATE_NOOP("Columns", "Mode"),
           display=lambda v, _r: translate("GroupDialog", MODES[v]) if v in MODES else v),
    Column("members", QT_TRANSLATE_NOOP("Columns", "Members"), display=lambda v, _r: str(v),
           tooltip=_members_tooltip),
    Column("description", QT_TRANSLATE_NOOP("Columns", "Description")),
)


def group_rows() -> list[dict[str, Any]]:
    names = {t["id"]: t["name"] for t in trigger_service.list_triggers()}
    return [dict(g, members=len(g["member_ids"]),
                 member_names=[names.get(i, "?") for i in g["member_ids"]])
            for g in trigger_service.list_groups()]


class GroupsTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter groups…")
    read_only_text = QT_TRANSLATE_NOOP(
        "ListTab", "Your role can look at groups and preview their replies, not change them.")
    topics = ("trigger_groups", "triggers")

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New…"), self.new, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def pane(self):
        self.preview = PreviewPane(self.ctx, "group-preview", self._build_preview)
        # The chart needs about half the width to be readable.
        return self.preview, Qt.Orientation.Horizontal, (640, 560)

    def load(self) -> list[dict[str, Any]]:
        return group_rows()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        return "" if rows else self.tr(
            "No group yet. A group answers one keyword with the replies of several triggers, "
            "e.g. <b>boiler</b> for drum, steam and feed water.")

    def selection_changed(self, *_args) -> None:
        row = self.selected()
        # A preview still running belongs to the row that was selected before.
        self.preview.reply.cancel()
        self.preview.reply.clear()
        self.preview.title.setText(
            translate("TriggersTab", "<b>Preview of {name}</b>").format(name=row["name"]) if row
            else self.tr("<b>Preview</b> — select a group"))
        self.update_buttons()

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        self.preview.run_button.setEnabled(self.selected() is not None
                                           and not self.ctx.runner.busy(self.preview.key))

    def _build_preview(self, args: list[str], run_ctx: RunContext) -> Awaitable[Answer] | None:
        row = self.selected()
        if row is None:
            return None
        try:
            return run_group(self.ctx, trigger_service.get_group(row["id"]), args, run_ctx)
        except UserError as exc:
            self.ctx.messages.error(exc)
            return None

    # -- actions ------------------------------------------------------------------------------
    def form(self, row):
        dialog = GroupDialog(self.ctx, row, parent=self)
        return dialog, dialog.group_saved, lambda g: self.tr("Group {name} saved.").format(
            name=g["name"])

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(
                self.tr("Delete group"),
                self.tr("Delete the group {name}? Its triggers stay; only the group keyword "
                        "stops answering.").format(name=row["name"]),
                lambda: trigger_service.delete_group(self.ctx.actor, row["id"]),
                self.tr("Group {name} deleted.").format(name=row["name"]))
