"""Faults a review of the alarms found, each shown fixed: what a plant engineer would hit."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from app.core import alarm_commands, schedule_expr
from app.core.alarms import check_template, parse_duration
from app.db.models import OutgoingMessage
from app.errors import ValidationError
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarms, config_io, messages, schedules
from app.services import triggers as trigger_service
from tests.integration.test_alarm_engine import (
    GROUP,
    SARI,
    Bot,
    alarm_rows,
    cycle,
    in_asyncio,
    make_alarm,
    texts,
)

UTC = dt.UTC


def test_a_custom_message_must_carry_the_hash_number():
    assert check_template("{name}: {why} — reply ack {number}") == [
        "The message must contain #{number}: people reply with that number (ack 12), and "
        "the bot finds the alarm by it."]
    assert check_template("{icon} #{number} {name}: {why}") == []


@in_asyncio
async def test_a_hash_in_the_alarm_name_does_not_confuse_a_quoted_ack(plant, admin, pi_server,
                                                                        clock, data_dir):
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%")
    make_alarm(admin, plant, "Boiler #1 drum pressure")
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.LEVEL", 90.0, units="%")
        await bot.engine.run_cycle()  # the level is alarm #1
        await bot.sent()
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.0, units="bar")
        await bot.engine.run_cycle()
        [alarm] = await bot.sent()
        number = alarms.find_alarm("Boiler #1 drum pressure")["event_id"]
        assert number == 2 and alarm.text.startswith("🟠 #2 Boiler #1 drum pressure HIGH")
        [reply] = await bot.say("ack", "+6281234567890", quoted=alarm.message_id)
        assert reply.text == f"👍 #{number} Boiler #1 drum pressure acknowledged by Budi"
    finally:
        await bot.runtime.stop()


def test_a_digital_state_alarm_holds_through_a_system_state(plant, admin, pi_server, clock):
    pi_server.add_tag("PUMP1.STATE", ("Tripped", 2))
    make_alarm(admin, plant, "Feed pump tripped", "PUMP1.STATE", condition="equals",
               state_name="Tripped", high=None)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, None)
    number = alarms.list_events()[0]["number"]
    pi_server.add_tag("PUMP1.STATE", 0, system_state="I/O Timeout")
    cycle(engine, clock, pi_server, None)
    pi_server.add_tag("PUMP1.STATE", ("Tripped", 2))
    cycle(engine, clock, pi_server, None)
    assert len(texts()) == 1  # no false "cleared", no second raise
    assert alarms.get_event(number)["state"] == "active"


def test_switching_an_alarm_off_while_its_tag_is_read_sends_nothing(plant, admin, pi_server,
                                                                      clock):
    alarm = make_alarm(admin, plant)
    pi_server.add_tag("DRUM.PRESS", 46.0, units="bar")
    pi_server.latency = 0.4
    engine = AlarmEngine(SourcePool(), clock=clock)

    async def switch_off_meanwhile():
        cycle_task = asyncio.ensure_future(engine.run_cycle(force=True))
        await asyncio.sleep(0.15)
        alarms.set_active(admin, alarm["id"], False)
        return await cycle_task

    asyncio.run(switch_off_meanwhile())
    assert texts() == [] and alarms.list_events(open_only=True) == []


def test_switching_off_in_the_editor_or_by_import_closes_the_open_event(plant, admin,
                                                                         pi_server, clock):
    alarm = make_alarm(admin, plant)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    config = dict(alarm["config"])
    alarms.save_alarm(admin, alarm["id"], name=alarm["name"], active=False, kind="pi",
                      data_source_id=plant, tag="DRUM.PRESS", trigger_id=None, config=config)
    assert alarms.list_events(open_only=True) == []
    assert alarms.dashboard_flags()["open"] == 0
    # On again, and by an import off again: each time it starts from normal.
    alarms.set_active(admin, alarm["id"], True)
    cycle(engine, clock, pi_server, 46.0)
    assert len(alarms.list_events(open_only=True)) == 1
    exported = config_io.export_config()
    exported["alarms"][0]["active"] = False
    config_io.import_config(admin, {"version": 1, "alarms": exported["alarms"]})
    assert alarms.list_events(open_only=True) == []
    alarms.set_active(admin, alarm["id"], True)
    cycle(engine, clock, pi_server, 44.0)
    assert not any("cleared" in t for t in texts())  # no stale "cleared … (sent late)"


def test_a_failed_record_of_a_schedule_run_does_not_send_the_digest_twice(
        plant, admin, pi_server, clock, monkeypatch):
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=plant,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    schedule = schedules.save_schedule(
        admin, None, name="Hourly", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", config={"recipients": {"groups": [GROUP]}}, now=clock.now)
    clock.now = schedules.get_schedule(schedule["id"])["next_run_at"] + dt.timedelta(seconds=5)
    real = schedules.record_run
    calls = []

    def locked_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(schedules, "record_run", locked_once)
    engine = AlarmEngine(SourcePool(), clock=clock)
    with pytest.raises(RuntimeError):
        asyncio.run(engine.run_schedules())
    assert OutgoingMessage.select().where(OutgoingMessage.type == "schedule").count() == 0
    [done] = asyncio.run(engine.run_schedules())
    assert done["status"] == "sent"
    assert OutgoingMessage.select().where(OutgoingMessage.type == "schedule").count() == 1


def test_cron_cannot_run_more_often_than_every_five_minutes():
    for text in ("cron * * * * *", "cron */2 * * * *"):
        with pytest.raises(ValueError, match="at most every 5 minutes"):
            schedule_expr.parse(text)
    with pytest.raises(ValueError, match="6 fields"):
        schedule_expr.parse("cron * * * * * *")
    assert schedule_expr.parse("cron */5 * * * *").cron == "*/5 * * * *"


def test_without_a_zone_in_settings_schedules_follow_the_computers_dst(db, admin,
                                                                      monkeypatch):
    import time

    import tzlocal

    if not hasattr(time, "tzset"):
        pytest.skip("the time zone cannot be changed on this platform")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    tzlocal.reload_localzone()  # it keeps the zone it found first
    try:
        berlin = schedules.zone()
        assert getattr(berlin, "key", None) == "Europe/Berlin"
        before_change = dt.datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
        [first, second] = schedules.preview("every day at 06:00", 2, after=before_change)
        assert (first.strftime("%d %H:%M %Z"), second.strftime("%d %H:%M %Z")) == (
            "29 06:00 CEST", "30 06:00 CEST")
    finally:
        monkeypatch.undo()
        time.tzset()
        tzlocal.reload_localzone()


def test_a_failed_alarm_message_is_sent_again_once_and_not_when_it_has_cleared(
        plant, admin, pi_server, clock):
    make_alarm(admin, plant)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0, deliver=False)
    [first] = alarm_rows()
    messages.mark_failed(first.id, "WhatsApp refused it.")
    engine.consolidate()
    copy = alarm_rows()[-1]
    messages.mark_failed(copy.id, "WhatsApp refused it again.")
    engine.consolidate()
    engine.consolidate()
    assert len(alarm_rows()) == 2  # the late copy is not sent a third time
    # A raise that failed after the alarm cleared is old news: not sent late.
    cycle(engine, clock, pi_server, 44.0, deliver=False)
    cycle(engine, clock, pi_server, 47.0, deliver=False)
    raised = alarm_rows()[-1]
    cycle(engine, clock, pi_server, 43.0, deliver=True)
    messages.mark_failed(raised.id, "WhatsApp refused it.")
    before = len(alarm_rows())
    engine.consolidate()
    assert len(alarm_rows()) == before
    assert OutgoingMessage.get_by_id(raised.id).error_message.endswith(
        "not sent again: the alarm cleared meanwhile")


def test_numbers_too_long_get_a_plain_answer_not_an_error():
    assert alarm_commands.parse("ack 99999999999999999999") is None
    shelve = alarm_commands.parse("shelve 1 99999999999d")
    assert shelve is not None and shelve.usage_error
    assert parse_duration("99999999999d") is None and parse_duration("400d") is None


def test_nan_and_infinity_are_refused_before_anything_is_imported(plant, admin):
    entry = {"name": "Drum", "kind": "pi", "data_source": "PI Plant", "tag": "DRUM.PRESS",
             "config": {"condition": "above", "high": "nan", "interval_s": "inf",
                        "recipients": [{"groups": [GROUP]}]}}
    with pytest.raises(ValidationError) as raised:
        config_io.import_config(admin, {"version": 1, "alarms": [entry]})
    assert "alarms[1] 'Drum': high must be a number, not “nan”." in raised.value.problems
    assert "alarms[1] 'Drum': interval s must be a number, not “inf”." in raised.value.problems
    assert alarms.list_alarms() == []


def test_quiet_hours_hold_escalation_and_the_all_clear_too(plant, admin, pi_server, clock):
    start = clock.now
    quiet = {"start": (start + dt.timedelta(minutes=5)).strftime("%H:%M"),
             "end": (start + dt.timedelta(hours=3)).strftime("%H:%M")}
    make_alarm(admin, plant, quiet_hours=quiet, severity="high",
               recipients=[{"groups": [GROUP]}, {"after_min": 15, "contacts": [SARI]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)  # before the quiet hours: the group is told
    sari = f"{SARI.lstrip('+')}@s.whatsapp.net"
    for _ in range(4):  # 40 quiet minutes without an ack: Sari sleeps on
        cycle(engine, clock, pi_server, 46.0, seconds=600)
    assert texts(sari) == []
    cycle(engine, clock, pi_server, 44.0, seconds=60)
    [held] = [r for r in alarm_rows() if "cleared" in r.message]
    assert held.next_attempt_at is not None and held.next_attempt_at > clock.now
    assert held.next_attempt_at.astimezone(UTC).strftime("%H:%M") == quiet["end"]


def test_a_clock_set_back_does_not_hold_an_alarm_pending(plant, admin, pi_server, clock):
    make_alarm(admin, plant, min_duration_s=60)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    cycle(engine, clock, pi_server, 46.0, seconds=-3600)  # the clock is put back an hour
    for _ in range(7):
        cycle(engine, clock, pi_server, 46.0)
    assert len(texts()) == 1
