"""Schedules on the test clock: a digest on time and once, what it missed skipped, holidays,
a failed run recorded, wall-clock times through a DST change, a trend sent as an image."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import config_io, schedules, settings
from app.services import triggers as trigger_service
from tests.helpers.alarms import (
    BUDI,
    GROUP,
    approve_group,
)
from tests.helpers.clock import Clock

UTC = dt.UTC


def test_a_shift_digest_runs_on_time_once_and_skips_what_it_missed(plant, admin, pi_server):
    approve_group(admin)  # the group the bot is in, approved in Contacts
    settings.update(admin, {"general": {"time_zone": "Europe/Berlin"}})
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=plant, config={"tags": ["DRUM.PRESS"],
                                                               "mode": "current"})
    berlin = schedules.zone()
    # Saturday 28 March 2026, 21:00 local; the clocks go forward that night.
    clock = Clock(dt.datetime(2026, 3, 28, 21, 0, tzinfo=berlin).astimezone(UTC))
    schedule = schedules.save_schedule(
        admin, None, name="Shift handover", active=True, target_kind="trigger",
        target_name="drum", expression="every shift at 06:00, 14:00, 22:00",
        config={"recipients": {"groups": [GROUP]}}, now=clock.now)
    engine = AlarmEngine(SourcePool(), clock=clock)

    def run_at(local: dt.datetime) -> list[dict]:
        clock.now = local.replace(tzinfo=berlin).astimezone(UTC)
        return asyncio.run(engine.run_schedules())

    assert run_at(dt.datetime(2026, 3, 28, 21, 59)) == []
    [done] = run_at(dt.datetime(2026, 3, 28, 22, 0, 20))
    assert done["status"] == "sent" and done["queued"] == 1
    [row] = OutgoingMessage.select().where(OutgoingMessage.type == "schedule")
    assert row.recipient == GROUP and "41" in row.message
    assert row.message.endswith("_Shift handover · scheduled 22:00_")  # the local time
    # The next run is 06:00 summer time, seven hours after 22:00 winter time.
    after = schedules.get_schedule(schedule["id"])
    assert after["next_run_at"].astimezone(berlin).strftime("%d %H:%M %Z") == "29 06:00 CEST"
    # The clock goes back a minute (a time sync) and forward again: no second digest.
    assert run_at(dt.datetime(2026, 3, 28, 22, 0, 40)) == []
    # The computer slept from 05:00 to 09:00: the 06:00 digest is recorded as missed.
    [missed] = run_at(dt.datetime(2026, 3, 29, 9, 0))
    assert missed["status"] == "missed" and "asleep" in missed["detail"]
    assert OutgoingMessage.select().where(OutgoingMessage.type == "schedule").count() == 1
    assert schedules.get_schedule(schedule["id"])["next_run_at"].astimezone(
        berlin).strftime("%H:%M") == "14:00"
    statuses = [r["status"] for r in schedules.runs(schedule["id"])]
    assert statuses == ["missed", "sent"]


def test_a_schedule_whose_trigger_was_deleted_records_a_failed_run(plant, admin, pi_server,
                                                                   clock):
    approve_group(admin)  # the group the bot is in, approved in Contacts
    trigger = trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                           data_source_id=plant,
                                           config={"tags": ["DRUM.PRESS"], "mode": "current"})
    schedule = schedules.save_schedule(
        admin, None, name="Hourly", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", config={"recipients": {"groups": [GROUP]}}, now=clock.now)
    trigger_service.delete_trigger(admin, trigger["id"])
    assert "no longer exists" in schedules.get_schedule(schedule["id"])["problem"]
    clock.now = schedules.get_schedule(schedule["id"])["next_run_at"] + dt.timedelta(
        seconds=5)
    [done] = asyncio.run(AlarmEngine(SourcePool(), clock=clock).run_schedules())
    assert done["status"] == "failed" and "drum no longer exists" in done["detail"]
    assert OutgoingMessage.select().where(OutgoingMessage.type == "schedule").count() == 0


def test_a_holiday_is_skipped(plant, admin, pi_server, clock):
    approve_group(admin)  # the group the bot is in, approved in Contacts
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=plant,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    schedule = schedules.save_schedule(
        admin, None, name="Daily", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", config={"recipients": {"groups": [GROUP]},
                                        "skip_holidays": True}, now=clock.now)
    due = schedules.get_schedule(schedule["id"])["next_run_at"]
    settings.update(admin, {"schedules": {"holidays": f"{due.date().isoformat()}"}})
    clock.now = due + dt.timedelta(seconds=5)
    [done] = asyncio.run(AlarmEngine(SourcePool(), clock=clock).run_schedules())
    assert done["status"] == "skipped" and "holiday" in done["detail"]


def test_a_scheduled_trend_goes_out_as_an_image_with_its_caption(db, admin, clock, data_dir):
    from app.services import sources

    settings.update(admin, {"general": {"language": "en", "time_zone": "UTC"}})
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Budi", "phone": BUDI, "allowed": True, "tags": ["ops"]}]})
    assert sources.find_by_name("demo") is not None
    schedule = schedules.save_schedule(
        admin, None, name="Morning trend", active=True, target_kind="trigger",
        target_name="demotrend", expression="every 1h",
        config={"recipients": {"tags": ["ops"]}}, now=clock.now)
    clock.now = schedules.get_schedule(schedule["id"])["next_run_at"] + dt.timedelta(seconds=3)
    engine = AlarmEngine(SourcePool(), clock=clock, media_dir=data_dir / "media")
    [done] = asyncio.run(engine.run_schedules())
    assert done["status"] == "sent" and done["detail"] == "sent to Budi"
    [row] = OutgoingMessage.select().where(OutgoingMessage.type == "schedule")
    assert row.recipient == f"{BUDI.lstrip('+')}@s.whatsapp.net"
    assert row.media_path and Path(row.media_path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert row.message.startswith("*Demo plant — last 8 hours*\n• Boiler temperature: *")
    assert "_Morning trend · scheduled " in row.message


def test_a_failed_record_of_a_schedule_run_does_not_send_the_digest_twice(
        plant, admin, pi_server, clock, monkeypatch):
    approve_group(admin)  # the group the bot is in, approved in Contacts
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
