"""The forms for alarms by e-mail: a level's WhatsApp / e-mail / both and its delivery timeout
in the alarm form, the channels of a schedule, and the e-mail connection's port following its
security while it is the usual one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from app.core.messages import Incoming
from app.services import alarms, contacts, emails, schedules, sources
from app.ui.dialogs.alarm_dialog import AlarmDialog
from app.ui.dialogs.schedule_dialog import ScheduleDialog
from app.ui.dialogs.source_dialog import SourceDialog

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def demo_id() -> str:
    return sources.find_by_name("demo")["id"]


def operator(actor) -> dict:
    """Budi, approved, tagged for both levels, with an e-mail address: someone every level
    can reach by either channel (an alarm nobody can be told of is refused)."""
    budi = contacts.upsert_from_message(Incoming(
        message_id="first", chat="628123456789@s.whatsapp.net",
        sender="628123456789@s.whatsapp.net", sender_phone="+628123456789", push_name="Budi",
        text="hi", timestamp=datetime.now(UTC)))
    contacts.approve(actor, budi["id"])
    emails.set_email(actor, budi["id"], "budi@plant.example.com")
    return contacts.update(actor, budi["id"], "Budi", ["operators", "shift-leads"])


def boiler(actor, recipients: list[dict]) -> dict:
    return alarms.save_alarm(actor, None, name="Boiler temperature", active=True, kind="pi",
                             data_source_id=demo_id(), tag="DEMO.BOILER.TEMP", trigger_id=None,
                             config={"condition": "above", "high": 150.0, "units": "°C",
                                     "recipients": recipients})


async def test_a_level_is_told_by_whatsapp_email_or_both_and_waits_for_delivery(ui_ctx,
                                                                              qtbot,
                                                                              smtp_server):
    operator(ui_ctx.actor)
    sources.save_source(ui_ctx.actor, None, name="Plant mail", plugin="email", active=True,
                        config=smtp_server.config())  # an e-mail level needs one
    alarm = boiler(ui_ctx.actor, [
        {"tags": ["operators"]},
        {"undelivered_min": 5, "tags": ["shift-leads"], "channels": ["whatsapp", "email"]}])
    form = AlarmDialog(ui_ctx, alarms.get_alarm(alarm["id"]))
    qtbot.addWidget(form)
    form.show()
    # As saved: the first level by WhatsApp, the second by both, told only when not delivered.
    assert form.first.channels.currentData() == ["whatsapp"]
    assert form.second.channels.currentData() == ["whatsapp", "email"]
    assert form.undelivered_on.isChecked() and form.undelivered.value() == 5
    assert not form.after_on.isChecked() and not form.after.isEnabled()

    form.first.channels.setCurrentIndex(form.first.channels.findText("E-mail"))
    form.undelivered.setValue(7)
    form.after_on.setChecked(True)
    form.after.setValue(20)
    click(qtbot, form.save_button)
    levels = alarms.get_alarm(alarm["id"])["config"]["recipients"]
    assert levels == [
        {"contacts": [], "tags": ["operators"], "groups": [], "channels": ["email"]},
        {"after_min": 20.0, "undelivered_min": 7.0, "contacts": [], "tags": ["shift-leads"],
         "groups": [], "channels": ["whatsapp", "email"]}]


async def test_a_schedule_goes_by_the_channels_chosen(ui_ctx, qtbot):
    operator(ui_ctx.actor)
    schedule = schedules.save_schedule(ui_ctx.actor, None, name="Shift handover", active=True,
                                       target_kind="trigger", target_name="demo",
                                       expression="every shift at 06:00, 14:00, 22:00",
                                       config={"recipients": {"tags": ["operators"]}})
    form = ScheduleDialog(ui_ctx, schedules.get_schedule(schedule["id"]))
    qtbot.addWidget(form)
    form.show()
    assert form.recipients.channels.currentData() == ["whatsapp"]
    form.recipients.channels.setCurrentIndex(
        form.recipients.channels.findText("WhatsApp and e-mail"))
    click(qtbot, form.save_button)
    saved = schedules.get_schedule(schedule["id"])
    assert saved["recipients"]["channels"] == ["whatsapp", "email"]
    assert saved["config"]["recipients"]["channels"] == ["whatsapp", "email"]


async def test_the_email_connections_port_follows_its_security_while_it_is_the_usual_one(
        ui_ctx, qtbot):
    form = SourceDialog(ctx=ui_ctx)
    qtbot.addWidget(form)
    form.show()
    form.kind.setCurrentIndex(form.kind.findData("email"))
    security, port = form.widgets["security"], form.widgets["port"]
    assert (security.currentData(), port.value()) == ("starttls", 587)
    security.setCurrentIndex(security.findData("tls"))
    assert port.value() == 465
    security.setCurrentIndex(security.findData("none"))
    assert port.value() == 25
    # A port typed by hand stays whatever the security.
    port.setValue(2525)
    security.setCurrentIndex(security.findData("starttls"))
    assert port.value() == 2525


async def test_an_events_history_says_why_it_escalated_and_who_got_it_by_email(qapp):
    from app.ui.tabs.alarms_tab import history_line

    escalated = history_line({"at": "2026-12-02 10:48:00", "what": "escalated", "level": 2,
                              "to": "Tono, Tono <tono@plant.example.com>",
                              "because": "not delivered"})
    assert escalated.endswith("escalated to level 2: Tono, Tono <tono@plant.example.com> "
                              "(not delivered in time)")
    by_ack = history_line({"at": "2026-12-02 10:58:00", "what": "escalated", "level": 3,
                           "to": "Ani", "because": "not acknowledged"})
    assert by_ack.endswith("to level 3: Ani (not acknowledged in time)")
    emailed = history_line({"at": "2026-12-02 10:48:00", "what": "emailed",
                            "to": "Sari <sari@plant.example.com>",
                            "detail": "WhatsApp did not deliver it within 5 min"})
    assert emailed.endswith("sent by e-mail: Sari <sari@plant.example.com>: WhatsApp did not "
                            "deliver it within 5 min")
