"""Alarms tab, the alarm form with its test, the Dashboard's alarm flags, the Simulator's check."""

from __future__ import annotations

import contextlib
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.composition import bot_host
from app.core.messages import Incoming
from app.runtime.alarms.engine import AlarmEngine
from app.services import alarm_acks, alarms, contacts, messages, sources
from app.ui.dialogs.alarm_dialog import AlarmDialog
from app.ui.tabs.alarms_tab import AlarmsTab
from app.ui.tabs.dashboard_tab import DashboardTab
from app.ui.tabs.simulator_tab import SimulatorTab
from app.ui.widgets.recipients import PickDialog
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import refreshed, until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

BUDI = "+628123456789"


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def cells(model, key: str, value) -> list[str]:
    for r in range(model.rowCount()):
        if model.index(r, 0).data(ROW_ROLE)[key] == value:
            return [model.index(r, c).data() for c in range(model.columnCount())]
    raise AssertionError(f"no row with {key} = {value!r}")


def demo_id() -> str:
    return sources.find_by_name("demo")["id"]


def operator(actor, tags: list[str]) -> dict:
    """Budi, an approved contact with these tags."""
    budi = contacts.upsert_from_message(Incoming(
        message_id="first", chat="628123456789@s.whatsapp.net",
        sender="628123456789@s.whatsapp.net", sender_phone=BUDI, push_name="Budi",
        text="hi", timestamp=datetime.now(UTC)))
    contacts.approve(actor, budi["id"])
    return contacts.update(actor, budi["id"], "Budi", tags)


def boiler_alarm(actor, high: float = 150.0, **config) -> dict:
    """The demo boiler runs between 173 and 197 °C: above 150 it is always in alarm."""
    return alarms.save_alarm(actor, None, name="Boiler temperature", active=True, kind="pi",
                             data_source_id=demo_id(), tag="DEMO.BOILER.TEMP", trigger_id=None,
                             config={"condition": "above", "high": high, "units": "°C",
                                     "recipients": [{"tags": ["operators"]}], **config})


async def test_alarm_made_in_the_form_is_tested_and_listed(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    assert "No alarm yet" in tab.hint.text()
    click(qtbot, tab.new_button)
    form = tab.findChildren(AlarmDialog)[-1]
    assert form.connection.currentData() == demo_id()  # the only PI connection
    assert form.tag.isVisibleTo(form) and not form.trigger.isVisibleTo(form)
    qtbot.keyClicks(form.name, "Boiler temperature")
    qtbot.keyClicks(form.tag, "DEMO.BOILER.TEMP")
    assert form.high.isVisibleTo(form) and not form.low.isVisibleTo(form)
    qtbot.keyClicks(form.high, "150")
    qtbot.keyClicks(form.units, "°C")

    # The test reads the demo historian now and shows the message people would get.
    click(qtbot, form.test_button)
    await until(lambda: "condition holds" in form.test_status.text(), timeout=10,
                what="the test result")
    assert "°C" in form.test_value.text()
    assert "Boiler temperature" in form.test_text.toPlainText()
    assert "ack N" in form.test_text.toPlainText()
    # Beside it, the tag's last hours with the limit drawn (tests/unit/test_charts.py checks
    # the line is the alarm's limit; here the editor shows the picture).
    await until(lambda: form.test_chart.isVisibleTo(form), timeout=30, what="the trend")
    assert not form.test_chart.pixmap().isNull() and form.test_chart.pixmap().width() >= 320

    # Who is told: picked from the approved contacts.
    click(qtbot, form.first.findChild(type(form.test_button), "choose_contacts"))
    picker = form.findChildren(PickDialog)[-1]
    assert picker.list.count() == 1 and "Budi" in picker.list.item(0).text()
    picker.list.item(0).setCheckState(Qt.CheckState.Checked)
    click(qtbot, picker.findChildren(type(form.test_button))[0])  # OK
    assert form.first.contacts.text() == BUDI
    form.severity.setCurrentIndex(form.severity.findData("critical"))
    click(qtbot, form.save_button)
    await until(lambda: tab.model.rowCount() == 1, what="the new alarm")
    assert cells(tab.model, "name", "Boiler temperature") == [
        "Boiler temperature", "Yes", "demo · DEMO.BOILER.TEMP", "> 150 °C", "🔴 Critical",
        "normal", "", ""]
    assert tab.table.selected_row()["name"] == "Boiler temperature"
    saved = alarms.find_alarm("Boiler temperature")
    assert saved["levels"][0]["contacts"] == [BUDI]

    # Editing shows what was saved.
    click(qtbot, tab.edit_button)
    edit = tab.findChildren(AlarmDialog)[-1]
    assert edit.tag.text() == "DEMO.BOILER.TEMP" and edit.high.text() == "150"
    assert edit.severity.currentData() == "critical"
    assert edit.first.contacts.text() == BUDI and not edit.second_box.isChecked()
    edit.close()


async def test_a_form_with_mistakes_says_what_is_wrong_and_saves_nothing(ui_ctx, qtbot):
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    click(qtbot, tab.new_button)
    form = tab.findChildren(AlarmDialog)[-1]
    form.condition.setCurrentIndex(form.condition.findData("outside"))
    assert form.low.isVisibleTo(form) and form.high.isVisibleTo(form)
    qtbot.keyClicks(form.low, "ten")
    qtbot.keyClicks(form.high, "90")
    click(qtbot, form.save_button)
    error = form.error.text()
    assert "The alarm was not saved" in error
    assert "The alarm needs a name" in error
    assert "Give the PI tag to watch." in error
    assert "low must be a number, not “ten”." in error
    assert "Choose who is told first" in error
    # The test says the same before reading anything.
    click(qtbot, form.test_button)
    assert "The test cannot run yet" in form.test_status.text()
    assert "The low limit must be a number, not “ten”." in form.test_status.text()

    # A second level needs its recipients to be real; a template needs {number}.
    form.low.setText("10")
    qtbot.keyClicks(form.name, "Tank level")
    qtbot.keyClicks(form.tag, "DEMO.TANK.LEVEL")
    qtbot.keyClicks(form.first.groups, "not-a-group")
    form.template.setPlainText("{name} is {why}")
    click(qtbot, form.save_button)
    error = form.error.text()
    assert "“not-a-group” is not a WhatsApp group id" in error
    assert "The message must contain #{number}" in error
    assert form.isVisible()
    assert alarms.list_alarms() == [] and tab.model.rowCount() == 0


async def test_an_active_alarm_is_acknowledged_and_unshelved_from_the_tab(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    alarm = boiler_alarm(ui_ctx.actor)
    report = await AlarmEngine(ui_ctx.pool).run_cycle(force=True)
    assert report.evaluated == 1 and len(report.queued) == 1
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    row = cells(tab.model, "id", alarm["id"])
    assert row[5].startswith("ACTIVE since") and "°C" in row[6]
    [event] = alarms.list_events()
    assert tab.events_model.rowCount() == 1
    assert cells(tab.events_model, "number", event["number"])[:2] == [
        f"#{event['number']}", "Boiler temperature"]
    assert not tab.ack_button.isEnabled()  # nothing selected yet
    tab.events.view.selectRow(0)
    assert "raised: HIGH" in tab.details.toPlainText()
    assert "sent to level 1: Budi" in tab.details.toPlainText()
    assert "none yet" in tab.details.toPlainText()

    click(qtbot, tab.ack_button)
    await until(lambda: cells(tab.events_model, "number", event["number"])[5].startswith(
        "admin at"), what="the acknowledgement in the list")
    assert cells(tab.model, "id", alarm["id"])[5] == "acknowledged by admin"
    assert "acknowledged by admin (via gui)" in tab.details.toPlainText()
    assert not tab.ack_button.isEnabled()

    # Shelved on WhatsApp; the tab ends it early.
    alarm_acks.shelve(event["number"], timedelta(hours=2), "maintenance",
                      alarm_acks.Who("Budi"))
    await refreshed(tab)
    tab.events.view.selectRow(0)
    assert cells(tab.model, "id", alarm["id"])[5].startswith("shelved until")
    assert "shelved by Budi" in tab.details.toPlainText()
    assert "maintenance" in tab.details.toPlainText()
    assert tab.unshelve_button.isEnabled()
    click(qtbot, tab.unshelve_button)
    await until(lambda: not tab.unshelve_button.isEnabled(), what="the shelf to end")
    assert not cells(tab.model, "id", alarm["id"])[5].startswith("shelved")
    assert "unshelved by admin" in tab.details.toPlainText()


async def test_switch_off_and_delete(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])  # someone the alarm can reach, or it is refused
    alarm = boiler_alarm(ui_ctx.actor)
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    tab.table.select_where("id", alarm["id"])
    assert tab.active_button.text() == "Switch off"
    click(qtbot, tab.active_button)
    await refreshed(tab)
    assert cells(tab.model, "id", alarm["id"])[5] == "switched off"
    assert tab.active_button.text() == "Switch on"
    click(qtbot, tab.active_button)
    await refreshed(tab)
    assert cells(tab.model, "id", alarm["id"])[5] == "normal"
    click(qtbot, tab.delete_button)
    box = tab.findChildren(QMessageBox)[-1]
    assert "Boiler temperature" in box.text()
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    await until(lambda: tab.model.rowCount() == 0, what="the deletion")
    assert alarms.list_alarms() == []


async def test_dashboard_flags_alarm_messages_waiting_for_whatsapp(ui_ctx, qtbot):
    tab = DashboardTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await until(lambda: tab.alarm_summary.text() == "No open alarm.", what="the alarm box")
    assert not tab.alarm_flag.isVisible()
    messages.enqueue("628123456789@s.whatsapp.net", "🔴 #1 Boiler temperature HIGH",
                     kind="alarm")
    messages.enqueue("628123456789@s.whatsapp.net", "a reply")  # not an alarm: not counted
    await until(lambda: tab.alarm_flag.isVisible(), what="the flag")
    assert tab.alarm_flag.text() == ("1 alarm message waits for WhatsApp; it is sent, marked "
                                     "late, when it reconnects.")


async def test_dashboard_counts_open_alarms_and_names_those_that_cannot_read(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    boiler_alarm(ui_ctx.actor)
    # A PI server nobody answers at: the alarm cannot read its tag.
    offline = sources.save_source(ui_ctx.actor, None, name="Plant PI", plugin="pi", active=True,
                                  config={"api": "piwebapi", "auth": "anonymous",
                                          "base_url": "http://127.0.0.1:9/piwebapi",
                                          "data_server": "PISRV01", "timeout_s": 2})
    alarms.save_alarm(ui_ctx.actor, None, name="Drum pressure", active=True, kind="pi",
                      data_source_id=offline["id"], tag="B1.DRUM.PRESS", trigger_id=None,
                      config={"condition": "above", "high": 45,
                              "recipients": [{"tags": ["operators"]}]})
    await AlarmEngine(ui_ctx.pool).run_cycle(force=True)
    tab = DashboardTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await until(lambda: tab.alarm_flag.isVisible(), what="the alarm flags")
    assert tab.alarm_summary.text() == "1 open alarm, 1 not acknowledged."
    assert "These alarms cannot read their data: Drum pressure" in tab.alarm_flag.text()
    alarms_tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(alarms_tab)
    alarms_tab.show()
    await refreshed(alarms_tab, alarms_tab.summary)  # the first fill, read off the loop
    assert "Cannot read the data of: Drum pressure." in alarms_tab.hint.text()
    drum = cells(alarms_tab.model, "name", "Drum pressure")
    assert drum[2] == "Plant PI · B1.DRUM.PRESS" and drum[7]


# -- the Simulator's check ------------------------------------------------------------------


def no_neonize(_path):
    raise AssertionError("a test must never start the real WhatsApp bridge")


@contextlib.asynccontextmanager
async def running(ui_ctx, data_dir):
    host = bot_host(data_dir, bridge_factory=no_neonize)
    await host.start_simulator()
    try:
        yield dataclasses.replace(ui_ctx, bot=host)
    finally:
        await host.shutdown()


async def test_simulator_shows_an_alarm_its_ack_and_its_clearing(ui_ctx, data_dir, qtbot):
    operator(ui_ctx.actor, ["operators"])
    alarm = boiler_alarm(ui_ctx.actor)
    async with running(ui_ctx, data_dir) as ctx:
        tab = SimulatorTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        assert "go to their recipients on WhatsApp" in tab.check_alarms_button.toolTip()
        click(qtbot, tab.check_alarms_button)
        await until(lambda: any(not b.mine for b in tab.chat.bubbles), timeout=10,
                    what="the alarm message in the chat")
        [bubble] = [b for b in tab.chat.bubbles if not b.mine]
        number = alarms.find_alarm("Boiler temperature")["event_id"]
        assert f"#{number} Boiler temperature HIGH" in bubble.text
        assert bubble.text.endswith(f"reply *ack {number}*")
        assert tab.check_status.text() == ("1 alarm message was queued for WhatsApp; it "
                                           "appears here.")
        # It really waits for WhatsApp, addressed to Budi.
        [queued] = messages.outbox_page(messages.OutboxFilter(status="pending"), None, 10)
        assert queued["recipient"] == "628123456789@s.whatsapp.net" and queued["type"] == "alarm"
        # Still in alarm: the next check tells nobody again.
        click(qtbot, tab.check_alarms_button)
        await until(lambda: tab.check_status.text() == "No alarm messages.",
                    what="the second check")
        # Budi answers in the Simulator.
        tab.sender.setText(BUDI)
        tab.message.setText(f"ack {number}")
        tab.send()
        await until(lambda: any("acknowledged by Budi" in b.text for b in tab.chat.bubbles),
                    timeout=10, what="the acknowledgement")
        assert alarms.get_event(number)["acknowledged_by"] == "Budi"
        # The boiler cools below a raised limit: cleared, and the chat shows it.
        alarms.save_alarm(ui_ctx.actor, alarm["id"], name="Boiler temperature", active=True,
                          kind="pi", data_source_id=demo_id(), tag="DEMO.BOILER.TEMP",
                          trigger_id=None, config={"condition": "above", "high": 400,
                                                   "units": "°C",
                                                   "recipients": [{"tags": ["operators"]}]})
        click(qtbot, tab.check_alarms_button)
        await until(lambda: any("cleared" in b.text for b in tab.chat.bubbles), timeout=10,
                    what="the clearing")
        assert tab.chat.bubbles[-1].text.startswith(f"✅ #{number} Boiler temperature cleared")


async def test_an_alarm_nobody_can_be_told_of_is_red_on_the_tab_and_the_dashboard(ui_ctx,
                                                                                   qtbot):
    budi = operator(ui_ctx.actor, ["operators"])
    alarm = boiler_alarm(ui_ctx.actor)
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    dashboard = DashboardTab(ui_ctx)
    qtbot.addWidget(dashboard)
    dashboard.show()
    assert cells(tab.model, "id", alarm["id"])[5] == "normal"
    await until(lambda: dashboard.alarm_summary.text() == "No open alarm.", what="the box")
    assert not dashboard.alarm_nobody.isVisible()

    contacts.set_blocked(ui_ctx.actor, budi["id"], True)  # Budi was the only one told
    await until(lambda: cells(tab.model, "id", alarm["id"])[5] == "Nobody can be told — normal",
                what="the tab to follow Contacts")
    state = tab.model.index(0, 5)
    assert state.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert state.data(Qt.ItemDataRole.ToolTipRole) == (
        "Nobody on level 1 can be told: Budi is blocked in Contacts.")
    await until(lambda: dashboard.alarm_nobody.isVisible(), what="the Dashboard's red line")
    assert dashboard.alarm_nobody.text().startswith("Nobody can be told: Boiler temperature. ")
    assert "#b00020" in dashboard.alarm_nobody.styleSheet()
    # Saving it as it is now is refused, with the same sentence.
    tab.table.select_where("id", alarm["id"])
    click(qtbot, tab.edit_button)
    form = tab.findChildren(AlarmDialog)[-1]
    click(qtbot, form.save_button)
    assert "Nobody on level 1 can be told: Budi is blocked in Contacts." in form.error.text()
    form.close()

    contacts.set_blocked(ui_ctx.actor, budi["id"], False)
    await until(lambda: cells(tab.model, "id", alarm["id"])[5] == "normal", what="the flag gone")
    await until(lambda: not dashboard.alarm_nobody.isVisible(), what="the red line gone")
