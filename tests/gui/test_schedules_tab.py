"""Schedules tab and the schedule form: next run times as you type, problems, preview, runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.core.timefmt import utc_now
from app.services import contacts, schedules
from app.services import triggers as trigger_service
from app.ui.dialogs.schedule_dialog import RED, ScheduleDialog
from app.ui.tabs.schedules_tab import SchedulesTab
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(model, name: str) -> list[str]:
    for r in range(model.rowCount()):
        if model.index(r, 0).data(ROW_ROLE)["name"] == name:
            return [model.index(r, c).data() for c in range(model.columnCount())]
    raise AssertionError(f"{name!r} is not listed")


def roster_trigger(actor) -> dict:
    return trigger_service.save_trigger(actor, None, name="roster", kind="text", active=True,
                                        data_source_id=None,
                                        config={"text": "Shift A: Budi, Sari"})


def operator(actor) -> None:
    """Budi, an approved contact tagged operators: the schedules' recipients."""
    if contacts.find_contact("+628123456789") is None:
        contacts.add(actor, "+628123456789", "Budi", ["operators"])  # approved at once


def handover(actor, target: str = "demo") -> dict:
    operator(actor)
    return schedules.save_schedule(actor, None, name="Shift handover", active=True,
                                   target_kind="trigger", target_name=target,
                                   expression="every shift at 06:00, 14:00, 22:00",
                                   config={"recipients": {"tags": ["operators"]}})


async def test_the_form_shows_the_next_runs_as_you_type_and_saves(ui_ctx, qtbot):
    tab = SchedulesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert "No schedule yet" in tab.hint.text()
    click(qtbot, tab.new_button)
    form = tab.findChildren(ScheduleDialog)[-1]
    assert "Type when the schedule runs" in form.next_runs.text()
    assert RED not in form.next_runs.styleSheet(), "a new form opens without a red error"
    qtbot.keyClicks(form.expression, "weekdays at 07:30")
    text = form.next_runs.text()
    assert text.startswith("Next runs: ") and text.count("07:30") == 5
    assert "Sat" not in text and "Sun" not in text
    form.expression.clear()
    qtbot.keyClicks(form.expression, "every 3 minutes")
    assert form.next_runs.text() == "A schedule may run at most every 5 minutes."
    assert RED in form.next_runs.styleSheet()
    form.expression.clear()
    qtbot.keyClicks(form.expression, "daily at lunch")
    assert form.next_runs.text() == ("“lunch” is not a time of day; write times as HH:MM, such "
                                     "as 06:00 or 14:30.")

    # Saving with that expression says the same, and nothing is saved.
    qtbot.keyClicks(form.name, "Morning report")
    click(qtbot, form.save_button)
    assert "“lunch” is not a time of day" in form.error.text()
    assert "Choose who gets it" in form.error.text()
    assert schedules.list_schedules() == []

    form.expression.clear()
    qtbot.keyClicks(form.expression, "weekdays at 07:30")
    assert form.target.currentData() == "demo"
    operator(ui_ctx.actor)  # someone tagged operators, or the schedule reaches nobody
    qtbot.keyClicks(form.recipients.tags, "operators")
    form.skip_holidays.setChecked(True)
    click(qtbot, form.save_button)
    await until(lambda: tab.model.rowCount() == 1, what="the new schedule")
    row = cells(tab.model, "Morning report")
    assert row[:3] == ["Morning report", "trigger demo", "weekdays at 07:30"]
    assert row[3].endswith("07:30") and row[4] == "not yet" and row[5] == "1 tag"
    assert row[6] == ""
    assert tab.runs_title.text() == "<b>Runs of Morning report</b> — none yet"

    click(qtbot, tab.edit_button)
    edit = tab.findChildren(ScheduleDialog)[-1]
    assert edit.expression.text() == "weekdays at 07:30" and edit.skip_holidays.isChecked()
    assert edit.recipients.tags.text() == "operators"
    assert edit.next_runs.text().startswith("Next runs: ")
    edit.close()


async def test_a_schedule_whose_trigger_was_deleted_shows_its_problem(ui_ctx, qtbot):
    roster = roster_trigger(ui_ctx.actor)
    handover(ui_ctx.actor, "roster")
    tab = SchedulesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert cells(tab.model, "Shift handover")[6] == ""
    trigger_service.delete_trigger(ui_ctx.actor, roster["id"])
    row = cells(tab.model, "Shift handover")  # the tab follows the Triggers tab
    assert row[6].startswith("The trigger roster no longer exists")
    assert "Needs attention: Shift handover" in tab.hint.text()
    tab.table.select_where("name", "Shift handover")
    click(qtbot, tab.edit_button)
    form = tab.findChildren(ScheduleDialog)[-1]
    assert form.target.currentText() == "roster (no longer exists) — choose another"
    click(qtbot, form.preview_button)
    assert form.reply.status.text() == "The trigger roster no longer exists; choose another."
    form.close()


async def test_preview_shows_what_the_recipients_get(ui_ctx, qtbot):
    roster_trigger(ui_ctx.actor)
    form = ScheduleDialog(ui_ctx)
    qtbot.addWidget(form)
    form.show()
    # Typing starts in the name, not on a button where a space would press Save.
    assert form.focusWidget() is form.name
    form.target.setCurrentIndex(form.target.findData("roster"))
    click(qtbot, form.preview_button)
    await until(lambda: form.reply.text.toPlainText(), timeout=10, what="the preview")
    assert "Shift A: Budi, Sari" in form.reply.text.toPlainText()
    assert form.reply.status.text() == "Each recipient would get 1 message."

    form.target_kind.setCurrentIndex(form.target_kind.findData("group"))
    assert form.target.currentText() == "No group yet — make one in Groups"
    click(qtbot, form.preview_button)
    assert form.reply.status.text() == "Choose the trigger or group to send first."


async def test_runs_of_the_selected_schedule_and_switching_it_off(ui_ctx, qtbot):
    schedule = handover(ui_ctx.actor)
    due = utc_now() - timedelta(hours=3)
    schedules.record_run(schedule["id"], due, "missed", "the computer was off", None)
    schedules.record_run(schedule["id"], due + timedelta(hours=1), "sent", "sent to Budi",
                         utc_now() + timedelta(hours=5))
    tab = SchedulesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("id", schedule["id"])
    assert tab.runs_model.rowCount() == 2
    statuses = {tab.runs_model.index(r, 2).data(): tab.runs_model.index(r, 3).data()
                for r in range(2)}
    assert statuses == {"missed": "the computer was off", "sent": "sent to Budi"}
    assert cells(tab.model, "Shift handover")[4].endswith("— sent")

    click(qtbot, tab.active_button)
    assert cells(tab.model, "Shift handover")[3] == "switched off"
    assert tab.active_button.text() == "Switch on"
    click(qtbot, tab.delete_button)
    box = tab.findChildren(QMessageBox)[-1]
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    await until(lambda: tab.model.rowCount() == 0, what="the deletion")
    assert tab.runs_title.text() == "<b>Runs</b> — select a schedule"


async def test_a_schedule_nobody_can_be_told_of_is_red(ui_ctx, qtbot):
    handover(ui_ctx.actor)
    tab = SchedulesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert cells(tab.model, "Shift handover")[5] == "1 tag"
    budi = contacts.find_contact("+628123456789")
    contacts.set_blocked(ui_ctx.actor, budi["id"], True)
    await until(lambda: cells(tab.model, "Shift handover")[5] == "Nobody can be told",
                what="the tab to follow Contacts")
    to = tab.model.index(0, 5)
    assert to.data(Qt.ItemDataRole.ForegroundRole).color().name() == RED
    assert to.data(Qt.ItemDataRole.ToolTipRole) == (
        "Nobody can be told: Budi is blocked in Contacts.")
    assert "Needs attention: Shift handover" in tab.hint.text()
