"""The group form: keyword, members in reply order, and a preview of the combined reply."""

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
from app.ui.dialogs.form import FormDialog, line_field
from app.ui.widgets.preview import PreviewPane

MODES = {"parallel": "All at once (parallel)", "sequential": "One after another (sequential)"}
ID_ROLE = Qt.ItemDataRole.UserRole


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
        self.keyword = line_field("keyword", group["name"] if group else "",
                                  "The word people send, e.g. boiler")
        self.first_field = self.keyword
        self.description = line_field("description", group["description"] if group else "",
                                      "Shown by help and used as the reply's title")
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
        self.preview = PreviewPane(ctx, "group-form", self._build_preview, form=self)
        self.preview.name_button("Preview")
        self.preview.title.setText("<b>Preview</b> of the group as it is now (nothing is saved)")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.preview)
        split.setSizes([520, 520])
        self.layout_.insertWidget(0, split, 1)
        self.submitted.connect(self.save)

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
