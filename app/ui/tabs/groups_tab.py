"""Groups tab: one keyword that runs several triggers and answers with one combined reply."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.preview import PreviewPane
from app.ui.widgets.table_model import Column

MODES = {"parallel": "All at once (parallel)", "sequential": "One after another (sequential)"}
ID_ROLE = Qt.ItemDataRole.UserRole


def _members_tooltip(row: dict) -> str | None:
    return "\n".join(row["member_names"]) or None


COLUMNS = (
    Column("name", "Keyword"),
    Column("execution_mode", "Mode", display=lambda v, _r: MODES.get(v, v)),
    Column("members", "Members", display=lambda v, _r: str(v), tooltip=_members_tooltip),
    Column("description", "Description"),
)


def group_rows() -> list[dict[str, Any]]:
    names = {t["id"]: t["name"] for t in trigger_service.list_triggers()}
    return [dict(g, members=len(g["member_ids"]),
                 member_names=[names.get(i, "?") for i in g["member_ids"]])
            for g in trigger_service.list_groups()]


def run_group(ctx: UiContext, group: dict[str, Any], args: list[str],
              run_ctx: RunContext) -> Awaitable[Answer]:
    """The group as the bot runs it; members are read fresh so the preview matches the bot."""
    members = [trigger_service.get_trigger(i) for i in group["member_ids"]]
    return TriggerRunner(ctx.pool).run_group(group, members, args, run_ctx)


class GroupDialog(FormDialog):
    """New or edit; saves through services.triggers and emits `group_saved(group)`."""

    group_saved = Signal(dict)

    def __init__(self, ctx: UiContext, group: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__("Edit group" if group else "New group", parent)
        self.ctx = ctx
        self.group = group
        self.resize(1040, 620)
        self._triggers = {t["id"]: t for t in trigger_service.list_triggers()}
        self.keyword = QLineEdit(group["name"] if group else "")
        self.keyword.setObjectName("keyword")
        self.keyword.setPlaceholderText("The word people send, e.g. boiler")
        self.description = QLineEdit(group["description"] if group else "")
        self.description.setObjectName("description")
        self.description.setPlaceholderText("Shown by help and used as the reply's title")
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for value, label in MODES.items():
            self.mode.addItem(label, value)
        self.mode.setCurrentIndex(max(self.mode.findData(
            group["execution_mode"] if group else "parallel"), 0))

        self.members = QListWidget()
        self.members.setObjectName("members")
        # Dragging a member up or down changes the order of the reply.
        self.members.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.members.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.members.setMinimumHeight(160)
        for trigger_id in group["member_ids"] if group else []:
            self._add_member(trigger_id)
        self.choice = QComboBox()
        self.choice.setObjectName("choice")
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        self.add_button.clicked.connect(self.add_chosen)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self._fill_choice()
        add_bar = QHBoxLayout()
        add_bar.addWidget(self.choice, 1)
        add_bar.addWidget(self.add_button)
        move_bar = QHBoxLayout()
        for button in (self.remove_button, self.up_button, self.down_button):
            move_bar.addWidget(button)
        move_bar.addStretch(1)
        members_box = QWidget()
        members_layout = QVBoxLayout(members_box)
        members_layout.setContentsMargins(0, 0, 0, 0)
        members_layout.addWidget(self.members)
        members_layout.addLayout(move_bar)
        members_layout.addLayout(add_bar)
        members_layout.addWidget(QLabel("The reply lists the members in this order; drag them "
                                        "to change it."))

        # Its own form layout: FormDialog's sits above the splitter and stays empty.
        self.fields = QFormLayout()
        self.fields.addRow("Keyword *", self.keyword)
        self.fields.addRow("Description", self.description)
        self.fields.addRow("Run members", self.mode)
        self.fields.addRow("Members *", members_box)
        left = QWidget()
        left.setLayout(self.fields)
        self.preview = PreviewPane(ctx, f"group-form-{id(self)}", self._build_preview)
        self.preview.name_button("Preview")
        self.preview.title.setText("<b>Preview</b> of the group as it is now (nothing is saved)")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setSizes([520, 520])
        self.layout_.insertWidget(0, split, 1)
        self.submitted.connect(self.save)
        self.finished.connect(lambda _r: self.preview.reply.cancel())

    # -- members ----------------------------------------------------------------------------
    def _add_member(self, trigger_id: str) -> None:
        trigger = self._triggers.get(trigger_id)
        text = trigger["name"] if trigger else f"(deleted trigger {trigger_id})"
        if trigger and not trigger["active"]:
            text += " (switched off)"
        item = QListWidgetItem(text)
        item.setData(ID_ROLE, trigger_id)
        self.members.addItem(item)

    def member_ids(self) -> list[str]:
        return [self.members.item(i).data(ID_ROLE) for i in range(self.members.count())]

    def _fill_choice(self) -> None:
        taken = set(self.member_ids())
        self.choice.clear()
        for trigger in sorted(self._triggers.values(), key=lambda t: t["name"].lower()):
            if trigger["id"] not in taken:
                self.choice.addItem(trigger["name"], trigger["id"])
        self.add_button.setEnabled(self.choice.count() > 0)

    def add_chosen(self) -> None:
        trigger_id = self.choice.currentData()
        if trigger_id:
            self._add_member(trigger_id)
            self._fill_choice()

    def remove_selected(self) -> None:
        for item in self.members.selectedItems():
            self.members.takeItem(self.members.row(item))
        self._fill_choice()

    def move_selected(self, step: int) -> None:
        row = self.members.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.members.count():
            return
        item = self.members.takeItem(row)
        self.members.insertItem(target, item)
        self.members.setCurrentRow(target)

    # -- values -----------------------------------------------------------------------------
    def values(self) -> dict:
        return {"name": self.keyword.text().strip(),
                "description": self.description.text().strip(),
                "execution_mode": self.mode.currentData(), "member_ids": self.member_ids()}

    def _build_preview(self, args: list[str], run_ctx: RunContext) -> Awaitable[Answer] | None:
        values = self.values()
        if not values["member_ids"]:
            self.fail("Add at least one trigger to the group to preview it.")
            return None
        self.error.hide()
        group = dict(values, id=self.group["id"] if self.group else None,
                     name=values["name"] or "preview")
        try:
            return run_group(self.ctx, group, args, run_ctx)
        except UserError as exc:
            self.fail(str(exc))
            return None

    def save(self, values: dict) -> None:
        try:
            saved = trigger_service.save_group(
                self.ctx.actor, self.group["id"] if self.group else None, name=values["name"],
                description=values["description"], execution_mode=values["execution_mode"],
                member_ids=values["member_ids"])
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.group_saved.emit(saved)


class GroupsTab(ListTab):
    columns = COLUMNS
    filter_text = "Filter groups…"
    read_only_text = "Your role can look at groups and preview their replies, not change them."
    topics = ("trigger_groups", "triggers")

    def make_buttons(self) -> None:
        self.new_button = self.add_button("New…", self.new, needs_row=False)
        self.edit_button = self.add_button("Edit…", self.edit)
        self.delete_button = self.add_button("Delete", self.delete)

    def pane(self):
        self.preview = PreviewPane(self.ctx, "group-preview", self._build_preview)
        # The chart needs about half the width to be readable.
        return self.preview, Qt.Orientation.Horizontal, (640, 560)

    def load(self) -> list[dict[str, Any]]:
        return group_rows()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        return "" if rows else ("No group yet. A group answers one keyword with the replies of "
                                "several triggers, e.g. <b>boiler</b> for drum, steam and feed "
                                "water.")

    def selection_changed(self, *_args) -> None:
        row = self.selected()
        # A preview still running belongs to the row that was selected before.
        self.preview.reply.cancel()
        self.preview.reply.clear()
        self.preview.title.setText(f"<b>Preview of {row['name']}</b>" if row else
                                   "<b>Preview</b> — select a group")
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
    def new(self) -> None:
        if self.writable():
            self._open(GroupDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.selected()
        if row is not None and self.writable():
            self._open(GroupDialog(self.ctx, row, parent=self))

    def _open(self, dialog: GroupDialog) -> None:
        self.open_form(dialog, dialog.group_saved, lambda g: f"Group {g['name']} saved.")

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(
                "Delete group",
                f"Delete the group {row['name']}? Its triggers stay; only the group keyword "
                "stops answering.",
                lambda: trigger_service.delete_group(self.ctx.actor, row["id"]),
                f"Group {row['name']} deleted.")
