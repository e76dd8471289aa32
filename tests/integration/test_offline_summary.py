"""Alarms while WhatsApp was away or the app was closed: one summary per recipient, a single
waiting alarm sent marked late, a failed alarm message sent again when WhatsApp returns. The
summary decides from the outbox rows' columns, not from their words: a changed translation does
not make it send an alarm message again, nor lose which alarms it names."""

from __future__ import annotations

import asyncio
import datetime as dt

from app.bridge.base import BridgeState
from app.core import i18n
from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarms, messages, outbox
from tests.helpers.alarms import (
    GROUP,
    Bot,
    alarm_rows,
    approve_group,
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


def _alarm_rows() -> list[OutgoingMessage]:
    return list(OutgoingMessage.select().where(OutgoingMessage.kind == "alarm")
                .order_by(OutgoingMessage.id))


def _raise(engine: AlarmEngine, clock, pi_server, name: str, tag: str, value: float) -> None:
    clock.advance(seconds=10)
    pi_server.add_tag(tag, value, units="bar")
    asyncio.run(engine.run_cycle())


def _make(admin, plant, name: str, tag: str) -> None:
    approve_group(admin)
    alarms.save_alarm(admin, None, name=name, active=True, kind="pi", data_source_id=plant,
                      tag=tag, trigger_id=None,
                      config={"condition": "above", "high": 45.0, "units": "bar",
                              "interval_s": 10, "recipients": [{"groups": [GROUP]}]})


def test_a_late_copy_is_not_sent_again_after_its_words_were_retranslated(
        plant, admin, pi_server, clock, monkeypatch):
    _make(admin, plant, "Drum pressure", "DRUM.PRESS")
    engine = AlarmEngine(SourcePool(), clock=clock)
    _raise(engine, clock, pi_server, "Drum pressure", "DRUM.PRESS", 46.0)
    [first] = _alarm_rows()
    outbox.mark_failed(first.id, "WhatsApp refused it.")
    engine.consolidate()
    copy = _alarm_rows()[-1]
    assert copy.late and copy.message.endswith("(sent late: the bot was offline)")
    outbox.mark_failed(copy.id, "WhatsApp refused it again.")
    # A new release words "late" differently; the copy in the outbox keeps the old words.
    monkeypatch.setitem(i18n.TEXTS["en"], "alarm_late", "(delayed: the bot was offline)")
    engine.consolidate()
    assert len(_alarm_rows()) == 2  # once late is enough


def test_a_summary_names_the_alarms_of_the_rows_it_replaces(plant, admin, pi_server, clock):
    _make(admin, plant, "Drum pressure", "DRUM.PRESS")
    _make(admin, plant, "Boiler #1 pressure", "BOILER.PRESS")
    engine = AlarmEngine(SourcePool(), clock=clock, connected=lambda: False)
    _raise(engine, clock, pi_server, "Drum pressure", "DRUM.PRESS", 46.0)
    clock.advance(minutes=5)
    _raise(engine, clock, pi_server, "Boiler #1 pressure", "BOILER.PRESS", 47.0)
    clock.advance(minutes=5)
    assert engine.consolidate() == 1
    summary = _alarm_rows()[-1]
    drum = alarms.find_alarm("Drum pressure")["event_id"]
    boiler = alarms.find_alarm("Boiler #1 pressure")["event_id"]
    assert summary.late and summary.status == "pending"
    assert [(line.event_id, line.what) for line in outbox.alarm_lines(summary.id)] == [
        (drum, "raised"), (boiler, "raised"), (drum, "now"), (boiler, "now")]
    merged = [r for r in _alarm_rows() if r.id != summary.id]
    assert [r.merged_into_id for r in merged] == [summary.id, summary.id]
    assert all(r.error_message == f"merged into the offline summary (#{summary.id})"
               for r in merged)
