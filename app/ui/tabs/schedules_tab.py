"""Schedules tab: triggers and groups sent to people at set times, and each schedule's runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.services import schedules as schedule_service
from app.ui import language
from app.ui.dialogs.schedule_dialog import ScheduleDialog, run_time_text
from app.ui.language import translate
from app.ui.widgets.common import FilterTable
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column, RecordTableModel, default_text

RED, AMBER, GREY = "#b00020", "#8a6d00", "#666666"
STATUS_COLORS = {"failed": RED, "missed": AMBER, "skipped": GREY}


def zone_text(moment: datetime | None) -> str:
    """A stored moment on the schedules' wall clock (the zone set in Settings, or the PC's)."""
    if moment is None:
        return ""
    return run_time_text(moment.astimezone(schedule_service.zone()))


def _recipients_text(spec: dict[str, list[str]]) -> str:
    counts = language.counts()
    parts = []
    for key, text in (("contacts", counts.contacts), ("tags", counts.tags),
                      ("groups", counts.groups)):
        items = spec.get(key) or []
        if items:
            parts.append(text(len(items)))
    return ", ".join(parts)


# How a run went (typed words, shown translated).
STATUS_WORDS = {"sent": QT_TRANSLATE_NOOP("SchedulesTab", "sent"),
                "failed": QT_TRANSLATE_NOOP("SchedulesTab", "failed"),
                "missed": QT_TRANSLATE_NOOP("SchedulesTab", "missed"),
                "skipped": QT_TRANSLATE_NOOP("SchedulesTab", "skipped")}


def status_text(status: str | None) -> str:
    if not status:
        return "?"
    return translate("SchedulesTab", STATUS_WORDS[status]) if status in STATUS_WORDS else status


def _last_run(_value, row: dict[str, Any]) -> str:
    if not row["last_run_at"]:
        return translate("SchedulesTab", "not yet")
    return f"{zone_text(row['last_run_at'])} — {status_text(row['last_status'])}"


def _next_run(_value, row: dict[str, Any]) -> str:
    if not row["active"]:
        return translate("AlarmsTab", "switched off")
    return zone_text(row["next_run_at"])


def _target(value: str, row: dict[str, Any]) -> str:
    return (translate("SchedulesTab", "group {name}") if row["target_kind"] == "group"
            else translate("SchedulesTab", "trigger {name}")).format(name=value)


COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    Column("target_name", QT_TRANSLATE_NOOP("Columns", "Sends"), display=_target,
           color=lambda r: RED if r["problem"] and "no longer exists" in r["problem"] else None),
    Column("plan", QT_TRANSLATE_NOOP("Columns", "When"), tooltip=lambda r: r["expression"]),
    Column("next_run_at", QT_TRANSLATE_NOOP("Columns", "Next run"), display=_next_run,
           color=lambda r: GREY if not r["active"] else None),
    Column("last_run_at", QT_TRANSLATE_NOOP("Columns", "Last run"), display=_last_run,
           color=lambda r: STATUS_COLORS.get(r["last_status"])),
    Column("recipients", QT_TRANSLATE_NOOP("Columns", "To"),
           display=lambda v, r: translate("SchedulesTab", "Nobody can be told") if r["nobody"]
           else _recipients_text(v),
           color=lambda r: RED if r["nobody"] else None,
           tooltip=lambda r: r["nobody"] or None),
    Column("problem", QT_TRANSLATE_NOOP("Columns", "Problem"), color=lambda _r: RED,
           tooltip=lambda r: r["problem"] or None),
)

RUN_COLUMNS = (
    Column("due_at", QT_TRANSLATE_NOOP("Columns", "Due"), display=lambda v, _r: zone_text(v)),
    Column("ran_at", QT_TRANSLATE_NOOP("Columns", "Ran"), display=lambda v, _r: zone_text(v)),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"),
           display=lambda v, _r: status_text(v), color=lambda r: STATUS_COLORS.get(r["status"])),
    Column("detail", QT_TRANSLATE_NOOP("Columns", "Detail"),
           display=lambda v, _r: default_text(v),
           tooltip=lambda r: r["detail"] or None),
)


class SchedulesTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter schedules…")
    read_only_text = QT_TRANSLATE_NOOP("ListTab",
                                       "Your role can look at schedules, not change them.")
    topics = ("schedules", "triggers", "trigger_groups", "contacts")  # contacts: who is told

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New…"), self.new, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.active_button = self.add_button(self.tr("Switch off"), self.toggle_active)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def pane(self):
        self.runs_title = QLabel()
        self.runs_title.setObjectName("runs_title")
        self.runs_model = RecordTableModel(RUN_COLUMNS, self)
        self.runs = FilterTable(self.runs_model, self.tr("Filter runs…"))
        self.runs.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.runs_title)
        bottom_layout.addWidget(self.runs, 1)
        return bottom, Qt.Orientation.Vertical, (420, 300)

    def load(self) -> list[dict[str, Any]]:
        return schedule_service.list_schedules()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        problems = [r["name"] for r in rows if r["problem"] or r["nobody"]]
        if not rows:
            return self.tr("No schedule yet. A schedule sends a trigger's or a group's reply to "
                           "people at set times, e.g. the <b>demo</b> trigger every shift at "
                           "06:00, 14:00 and 22:00.")
        if problems:
            return self.tr("Needs attention: {names} (see the Problem column).").format(
                names=", ".join(problems))
        return ""

    def refreshed(self) -> None:
        self.selection_changed()

    def selection_changed(self, *_args) -> None:
        row = self.selected()
        if row is None:
            self.runs_title.setText(self.tr("<b>Runs</b> — select a schedule"))
            self.runs_model.set_rows([])
        else:
            runs = schedule_service.runs(row["id"])
            self.runs_title.setText(
                (self.tr("<b>Runs of {name}</b>") if runs else
                 self.tr("<b>Runs of {name}</b> — none yet")).format(name=row["name"]))
            self.runs_model.set_rows(runs)
            self.runs.view.resizeColumnsToContents()
        self.update_buttons()

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        self.active_button.setText(self.tr("Switch on") if row and not row["active"]
                                   else self.tr("Switch off"))

    # -- actions ----------------------------------------------------------------------------
    def fetch(self, row):
        return schedule_service.get_schedule(row["id"])  # the whole definition, as saved

    def form(self, row):
        dialog = ScheduleDialog(self.ctx, row, parent=self)
        return (dialog, dialog.schedule_saved,
                lambda s: self.tr("Schedule {name} saved; it runs {plan}.").format(
                    name=s["name"], plan=s["plan"]))

    def toggle_active(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: schedule_service.set_active(self.ctx.actor, row["id"],
                                                         not row["active"]),
                     (self.tr("Schedule {name} switched off.") if row["active"] else
                      self.tr("Schedule {name} switched on; it runs from now on.")).format(
                          name=row["name"]))

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(
                self.tr("Delete schedule"),
                self.tr("Delete the schedule {name} and its runs?").format(name=row["name"]),
                lambda: schedule_service.delete_schedule(self.ctx.actor, row["id"]),
                self.tr("Schedule {name} deleted.").format(name=row["name"]))
