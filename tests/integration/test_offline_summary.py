"""Alarms while WhatsApp was away or the app was closed: one summary per recipient, a single
waiting alarm sent marked late, a failed alarm message sent again when WhatsApp returns."""

from __future__ import annotations

import datetime as dt

from app.bridge.base import BridgeState
from app.runtime.alarm_engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarms, messages
from tests.helpers.alarms import (
    GROUP,
    Bot,
    alarm_rows,
    cycle,
    in_asyncio,
    make_alarm,
    texts,
)

UTC = dt.UTC


@in_asyncio
async def test_while_offline_each_recipient_gets_one_summary(plant, admin, pi_server, clock,
                                                              data_dir):
    make_alarm(admin, plant)
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%")
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await bot.bridge.set_state(BridgeState.RECONNECTING)
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.0, units="bar")
        await bot.engine.run_cycle()
        clock.advance(minutes=5)
        pi_server.add_tag("DRUM.LEVEL", 85.0, units="%")
        await bot.engine.run_cycle()
        clock.advance(minutes=5)
        pi_server.add_tag("DRUM.PRESS", 44.0, units="bar")
        await bot.engine.run_cycle()
        waiting = [r for r in alarm_rows() if r.status == "pending"]
        assert len(waiting) == 3
        assert alarms.dashboard_flags()["waiting"] == 3
        # WhatsApp is back: before anything is sent, the three become one summary.
        await bot.bridge.set_state(BridgeState.CONNECTED)
        sent = await bot.sent()
        assert len(sent) == 1 and sent[0].to == GROUP
        lines = sent[0].text.splitlines()
        assert lines[0].startswith("*While the bot was offline* (")
        assert "Drum pressure HIGH 46 bar > 45" in sent[0].text
        assert "Drum level HIGH 85 % > 80" in sent[0].text
        assert "Drum pressure cleared (44 bar)" in sent[0].text
        level = alarms.find_alarm("Drum level")["event_id"]
        assert lines[-1].endswith(f"Drum level: now 85 % — *ack {level}*")
        merged = [r for r in alarm_rows() if r.status == "failed"]
        assert len(merged) == 3
        assert all(r.error_message.startswith("merged into the offline summary") for r in merged)
        assert alarms.dashboard_flags()["waiting"] == 0
    finally:
        await bot.runtime.stop()


def test_after_the_app_was_closed_old_alarms_come_as_one_summary(plant, admin, pi_server,
                                                                  clock):
    make_alarm(admin, plant)
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%")
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    assert len(texts()) == 1
    # The app is closed for two hours; the level rose and the pressure fell meanwhile.
    pi_server.add_tag("DRUM.LEVEL", 85.0, units="%")
    later = AlarmEngine(SourcePool(), clock=clock)
    report = cycle(later, clock, pi_server, 44.0, seconds=2 * 3600, deliver=False)
    assert report.catch_up
    [waiting] = [r for r in alarm_rows() if r.status == "pending"]
    # One cycle, one message: marked late because it stands for the time the app was closed.
    assert "Drum pressure cleared (44 bar)" in waiting.message
    assert "Drum level HIGH 85 % > 80" in waiting.message
    assert waiting.message.endswith("(sent late: the bot was offline)")


def test_a_single_waiting_alarm_is_sent_marked_late(plant, admin, pi_server, clock):
    make_alarm(admin, plant)
    engine = AlarmEngine(SourcePool(), clock=clock, connected=lambda: False)
    cycle(engine, clock, pi_server, 46.0, deliver=False)
    clock.advance(minutes=20)
    assert engine.consolidate() == 0
    [row] = alarm_rows()
    assert row.status == "pending"
    assert row.message.endswith("— reply *ack 1*".replace("1", str(
        alarms.list_events()[0]["number"])) + " (sent late: the bot was offline)")


def test_an_alarm_message_that_failed_is_sent_again_late_when_whatsapp_returns(
        plant, admin, pi_server, clock):

    make_alarm(admin, plant)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0, deliver=False)
    [row] = alarm_rows()
    messages.mark_failed(row.id, "WhatsApp did not accept the message after 5 attempts.")
    assert alarms.dashboard_flags()["failed"] == 1
    clock.advance(minutes=3)
    engine.consolidate()
    rows = alarm_rows()
    assert rows[0].status == "failed" and rows[0].error_message.endswith(
        "— sent again after reconnecting")
    assert rows[1].status == "pending" and rows[1].message == (
        row.message + " (sent late: the bot was offline)")
    assert alarms.dashboard_flags()["failed"] == 0
    engine.consolidate()  # a second reconnect does not send it a third time
    assert len(alarm_rows()) == 2


def test_a_catch_up_while_whatsapp_is_still_connecting_is_summarised_when_it_connects(
        plant, admin, pi_server, clock):
    make_alarm(admin, plant)
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%")
    online = {"yes": True}
    engine = AlarmEngine(SourcePool(), clock=clock, connected=lambda: online["yes"])
    cycle(engine, clock, pi_server, 44.0)
    # The app was closed for an hour and starts again before WhatsApp is connected.
    online["yes"] = False
    pi_server.add_tag("DRUM.LEVEL", 85.0, units="%")
    restarted = AlarmEngine(SourcePool(), clock=clock, connected=lambda: online["yes"])
    cycle(restarted, clock, pi_server, 46.0, seconds=3600, deliver=False)
    [waiting] = [r for r in alarm_rows() if r.status == "pending"]
    assert not waiting.message.endswith("(sent late: the bot was offline)")
    online["yes"] = True
    clock.advance(seconds=5)  # connected a few seconds later
    restarted.consolidate()
    [pending] = [r for r in alarm_rows() if r.status == "pending"]
    assert "Drum pressure HIGH 46 bar > 45" in pending.message
    assert "Drum level HIGH 85 % > 80" in pending.message
    assert pending.message.endswith("(sent late: the bot was offline)")
