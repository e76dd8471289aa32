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

from app.core import permissions
from app.errors import UserError
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.widgets.common import FilterTable, button_bar, confirm, follow, notice
from app.ui.widgets.preview import PreviewPane
from app.ui.widgets.table_model import Column, RecordTableModel

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


class GroupsTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(COLUMNS, self)
        self.table = FilterTable(self.model, "Filter groups…")
        self.table.view.doubleClicked.connect(lambda _i: self.edit())
        self.table.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.new_button = QPushButton("New…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        bar = button_bar(
            (self.new_button, self.new),
            (self.edit_button, self.edit),
            (self.delete_button, self.delete),
        )
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.preview = PreviewPane(ctx, "group-preview", self._build_preview)
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
            layout.addWidget(notice("Your role can look at groups and preview their replies, "
                                    "not change them."))
        layout.addWidget(split, 1)
        follow(self, ("trigger_groups", "triggers"), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        rows = group_rows()
        self.model.set_rows(rows)
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        self.hint.setText("" if rows else "No group yet. A group answers one keyword with the "
                          "replies of several triggers, e.g. <b>boiler</b> for drum, steam and "
                          "feed water.")
        self._update_buttons()

    def _on_selection_changed(self, *_args) -> None:
        row = self.table.selected_row()
        # A preview still running belongs to the row that was selected before.
        self.preview.reply.cancel()
        self.preview.reply.clear()
        self.preview.title.setText(f"<b>Preview of {row['name']}</b>" if row else
                                   "<b>Preview</b> — select a group")
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.new_button.setEnabled(writable)
        self.edit_button.setEnabled(writable and row is not None)
        self.delete_button.setEnabled(writable and row is not None)
        self.preview.run_button.setEnabled(row is not None
                                           and not self.ctx.runner.busy(self.preview.key))

    def _build_preview(self, args: list[str], run_ctx: RunContext) -> Awaitable[Answer] | None:
        row = self.table.selected_row()
        if row is None:
            return None
        try:
            return run_group(self.ctx, trigger_service.get_group(row["id"]), args, run_ctx)
        except UserError as exc:
            self.ctx.messages.error(exc)
            return None

    # -- actions ------------------------------------------------------------------------------
    def new(self) -> None:
        if self.ctx.can(permissions.CONFIG_WRITE):
            self._open(GroupDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.table.selected_row()
        if row is not None and self.ctx.can(permissions.CONFIG_WRITE):
            self._open(GroupDialog(self.ctx, row, parent=self))

    def _open(self, dialog: GroupDialog) -> None:
        def saved(group: dict[str, Any]) -> None:
            self.ctx.messages.info(f"Group {group['name']} saved.")
            self.table.select_where("id", group["id"])

        dialog.group_saved.connect(saved)
        # Closed forms go away instead of piling up hidden under the tab.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def delete(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete group",
                    f"Delete the group {row['name']}? Its triggers stay; only the group keyword "
                    "stops answering.", lambda: self._delete(row))

    def _delete(self, row: dict) -> None:
        try:
            trigger_service.delete_group(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(f"Group {row['name']} deleted.")
