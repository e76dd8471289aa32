"""Schedules tab: triggers and groups sent to people at set times, and each schedule's runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.errors import UserError
from app.services import schedules as schedule_service
from app.ui.context import UiContext
from app.ui.dialogs.schedule_dialog import ScheduleDialog
from app.ui.widgets.common import FilterTable, confirm, editable_list, follow, notice
from app.ui.widgets.table_model import Column, RecordTableModel, default_text

RED, AMBER, GREY = "#b00020", "#8a6d00", "#666666"
STATUS_COLORS = {"failed": RED, "missed": AMBER, "skipped": GREY}


def zone_text(moment: datetime | None) -> str:
    """A stored moment on the schedules' wall clock (the zone set in Settings, or the PC's)."""
    if moment is None:
        return ""
    return moment.astimezone(schedule_service.zone()).strftime("%a %d %b %H:%M")


def _recipients_text(spec: dict[str, list[str]]) -> str:
    parts = []
    for key, one, many in (("contacts", "contact", "contacts"), ("tags", "tag", "tags"),
                           ("groups", "group", "groups")):
        items = spec.get(key) or []
        if items:
            parts.append(f"{len(items)} {one if len(items) == 1 else many}")
    return ", ".join(parts)


def _last_run(_value, row: dict[str, Any]) -> str:
    if not row["last_run_at"]:
        return "not yet"
    return f"{zone_text(row['last_run_at'])} — {row['last_status'] or '?'}"


def _next_run(_value, row: dict[str, Any]) -> str:
    if not row["active"]:
        return "switched off"
    return zone_text(row["next_run_at"])


COLUMNS = (
    Column("name", "Name"),
    Column("target_name", "Sends", display=lambda v, r: f"{r['target_kind']} {v}",
           color=lambda r: RED if r["problem"] and "no longer exists" in r["problem"] else None),
    Column("plan", "When", tooltip=lambda r: r["expression"]),
    Column("next_run_at", "Next run", display=_next_run,
           color=lambda r: GREY if not r["active"] else None),
    Column("last_run_at", "Last run", display=_last_run,
           color=lambda r: STATUS_COLORS.get(r["last_status"])),
    Column("recipients", "To", display=lambda v, _r: _recipients_text(v)),
    Column("problem", "Problem", color=lambda _r: RED, tooltip=lambda r: r["problem"] or None),
)

RUN_COLUMNS = (
    Column("due_at", "Due", display=lambda v, _r: zone_text(v)),
    Column("ran_at", "Ran", display=lambda v, _r: zone_text(v)),
    Column("status", "Status", color=lambda r: STATUS_COLORS.get(r["status"])),
    Column("detail", "Detail", display=lambda v, _r: default_text(v),
           tooltip=lambda r: r["detail"] or None),
)


class SchedulesTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        top = editable_list(self, COLUMNS, "Filter schedules…", self._on_selection_changed)

        self.runs_title = QLabel()
        self.runs_title.setObjectName("runs_title")
        self.runs_model = RecordTableModel(RUN_COLUMNS, self)
        self.runs = FilterTable(self.runs_model, "Filter runs…")
        self.runs.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.runs_title)
        bottom_layout.addWidget(self.runs, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([420, 300])
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.CONFIG_WRITE):
            layout.addWidget(notice("Your role can look at schedules, not change them."))
        layout.addWidget(split, 1)
        follow(self, ("schedules", "triggers", "trigger_groups"), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        rows = schedule_service.list_schedules()
        self.model.set_rows(rows)
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        problems = [r["name"] for r in rows if r["problem"]]
        if not rows:
            self.hint.setText("No schedule yet. A schedule sends a trigger's or a group's reply "
                              "to people at set times, e.g. the <b>demo</b> trigger every shift "
                              "at 06:00, 14:00 and 22:00.")
        elif problems:
            self.hint.setText("Needs attention: " + ", ".join(problems)
                              + " (see the Problem column).")
        else:
            self.hint.setText("")
        self._on_selection_changed()

    def _on_selection_changed(self, *_args) -> None:
        row = self.table.selected_row()
        if row is None:
            self.runs_title.setText("<b>Runs</b> — select a schedule")
            self.runs_model.set_rows([])
        else:
            runs = schedule_service.runs(row["id"])
            self.runs_title.setText(f"<b>Runs of {row['name']}</b>" +
                                    ("" if runs else " — none yet"))
            self.runs_model.set_rows(runs)
            self.runs.view.resizeColumnsToContents()
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.table.selected_row()
        writable = self.ctx.can(permissions.CONFIG_WRITE)
        self.new_button.setEnabled(writable)
        for button in (self.edit_button, self.active_button, self.delete_button):
            button.setEnabled(writable and row is not None)
        self.active_button.setText("Switch on" if row and not row["active"] else "Switch off")

    # -- actions ----------------------------------------------------------------------------
    def new(self) -> None:
        if self.ctx.can(permissions.CONFIG_WRITE):
            self._open(ScheduleDialog(self.ctx, parent=self))

    def edit(self) -> None:
        row = self.table.selected_row()
        if row is None or not self.ctx.can(permissions.CONFIG_WRITE):
            return
        try:
            schedule = schedule_service.get_schedule(row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self._open(ScheduleDialog(self.ctx, schedule, parent=self))

    def _open(self, dialog: ScheduleDialog) -> None:
        def saved(schedule: dict[str, Any]) -> None:
            self.ctx.messages.info(f"Schedule {schedule['name']} saved; it runs "
                                   f"{schedule['plan']}.")
            self.table.select_where("id", schedule["id"])

        dialog.schedule_saved.connect(saved)
        # Closed forms go away instead of piling up hidden under the tab.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def toggle_active(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        try:
            schedule_service.set_active(self.ctx.actor, row["id"], not row["active"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(f"Schedule {row['name']} switched "
                               + ("off." if row["active"] else "on; it runs from now on."))

    def delete(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete schedule", f"Delete the schedule {row['name']} and its runs?",
                    lambda: self._delete(row))

    def _delete(self, row: dict[str, Any]) -> None:
        try:
            schedule_service.delete_schedule(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(f"Schedule {row['name']} deleted.")
