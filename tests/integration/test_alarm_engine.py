"""Alarms end to end with a controllable clock and the PI double: flapping, the state machine,
acknowledgement by number and by quoting, shelving, escalation, the offline summary, a PI
server that is down, and schedules that keep their wall-clock times."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from app.bridge.base import BridgeState
from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.db.models import AlarmAck, AuditLog, OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import alarm_acks, alarms, config_io, schedules, settings
from app.services import triggers as trigger_service
from tests.integration.conftest import Clock
from tests.pi_server import PiServer

GROUP = "120363111111111111@g.us"
BUDI = "+6281234567890"
SARI = "+6281111111111"
TONO = "+6282222222222"
UTC = dt.UTC


def in_asyncio(test):
    """Run an async test on a plain asyncio loop (the bot needs no Qt)."""
    import functools
    import inspect

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    run.__signature__ = inspect.signature(test)
    return run


def make_alarm(admin, source_id: str, name: str = "Drum pressure", tag: str = "DRUM.PRESS",
               **config) -> dict:
    base = {"condition": "above", "high": 45.0, "units": "bar", "interval_s": 10,
            "recipients": [{"groups": [GROUP]}]}
    base.update(config)
    return alarms.save_alarm(admin, None, name=name, active=True, kind="pi",
                             data_source_id=source_id, tag=tag, trigger_id=None, config=base)


def alarm_rows() -> list[OutgoingMessage]:
    return list(OutgoingMessage.select().where(OutgoingMessage.type == "alarm")
                .order_by(OutgoingMessage.id))


def texts(to: str | None = None) -> list[str]:
    return [r.message for r in alarm_rows() if to is None or r.recipient == to]


def cycle(engine: AlarmEngine, clock: Clock, pi: PiServer, value: float | None,
          seconds: float = 10, tag: str = "DRUM.PRESS", deliver: bool = True, **tag_args):
    """One alarm cycle `seconds` after the last; with `deliver`, what it queued counts as
    sent (as a connected bot's outbox would do), so it is not summarised later."""
    clock.advance(seconds=seconds)
    if value is not None:
        pi.add_tag(tag, value, units="bar", **tag_args)
    report = asyncio.run(engine.run_cycle())
    if deliver:
        OutgoingMessage.update(status="sent").where(OutgoingMessage.status == "pending").execute()
    return report


def test_a_flapping_value_raises_once_and_clears_once(plant, admin, pi_server, clock):
    make_alarm(admin, plant, deadband=1.0, min_duration_s=30)
    engine = AlarmEngine(SourcePool(), clock=clock)
    # Above the limit, but back under it before 30 s have passed: nobody is bothered.
    for value in (44.0, 45.5, 44.8, 45.5, 44.9, 45.3, 44.7):
        cycle(engine, clock, pi_server, value)
    assert texts() == []
    start = clock.now + dt.timedelta(seconds=10)
    for value in (45.5, 45.6, 45.7, 45.8):  # 30 s above the limit: raised, once
        cycle(engine, clock, pi_server, value)
    assert len(texts()) == 1
    number = alarms.list_events()[0]["number"]
    assert texts()[0] == (f"🟠 #{number} Drum pressure HIGH 45.8 bar > 45 since "
                          f"{start:%H:%M} — reply *ack {number}*")
    # Hovering within the deadband under the limit keeps it active: no clear, no new raise.
    for value in (44.5, 45.2, 44.1, 45.1):
        cycle(engine, clock, pi_server, value)
    assert len(texts()) == 1
    cycle(engine, clock, pi_server, 43.9)  # more than the deadband under the limit
    assert texts()[1] == f"✅ #{number} Drum pressure cleared (43.9 bar)"
    assert len(texts()) == 2
    event = alarms.get_event(number)
    assert event["state"] == "cleared"
    assert [h["what"] for h in event["history"]] == ["raised", "sent", "cleared"]


def test_several_alarms_in_one_cycle_are_one_message_per_recipient(plant, admin, pi_server,
                                                                     clock):
    make_alarm(admin, plant)
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%")
    make_alarm(admin, plant, "Feed flow", "FEED.FLOW", condition="below", low=150.0,
               high=None, units="t/h", recipients=[{"groups": [GROUP], "contacts": [SARI]}])
    pi_server.add_tag("DRUM.LEVEL", 85.0, units="%")
    pi_server.reset_log()
    report = cycle(engine := AlarmEngine(SourcePool(), clock=clock), clock, pi_server, 46.0)
    assert report.requests == {"PI Plant": 1}  # one batched read for three alarms
    group = texts(GROUP)
    assert len(group) == 1 and group[0].startswith("🔔 *3 alarm messages*")
    assert "Drum pressure HIGH 46 bar > 45" in group[0]
    assert "Drum level HIGH 85 % > 80" in group[0]
    assert "Feed flow LOW 120 t/h < 150" in group[0]
    sari = texts(f"{SARI.lstrip('+')}@s.whatsapp.net")
    assert len(sari) == 1 and "Feed flow" in sari[0] and "Drum" not in sari[0]
    cycle(engine, clock, pi_server, 46.5)  # still active: nothing new
    assert len(alarm_rows()) == 2


def test_a_system_state_while_in_alarm_neither_clears_nor_raises_again(plant, admin,
                                                                         pi_server, clock):
    make_alarm(admin, plant)
    make_alarm(admin, plant, "Drum pressure signal", condition="bad", high=None)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 47.0)
    assert len(texts()) == 1
    cycle(engine, clock, pi_server, 0.0, system_state="I/O Timeout")
    limit_alarm = alarms.find_alarm("Drum pressure")
    assert limit_alarm["phase"] == "active"  # a bad value is no reason to call it cleared
    assert limit_alarm["last_value"] == "I/O Timeout"
    assert len(texts()) == 2 and "Drum pressure signal I/O Timeout" in texts()[1]
    cycle(engine, clock, pi_server, 44.0)
    assert any("Drum pressure cleared (44 bar)" in t for t in texts()[2:])
    assert any("Drum pressure signal cleared" in t for t in texts()[2:])


# -- replies through the bot ---------------------------------------------------------------------


def no_wait() -> Throttle:
    return Throttle(0.0, 0.0, 10**6, 10**6)


class Bot:
    """The bot over the loopback bridge, its alarm engine on the test clock."""

    def __init__(self, clock: Clock, data_dir: Path) -> None:
        self.bridge = LoopbackBridge()
        pool = SourcePool()
        self.engine = AlarmEngine(pool, clock=clock,
                                  connected=lambda: self.bridge.state.can_send)
        self.runtime = build_bot(self.bridge, pool, data_dir / "media", throttle=no_wait,
                                  alarms=self.engine)
        self.engine.on_queued = self.runtime.outbox.wake

    async def start(self) -> None:
        await self.runtime.start()

    async def sent(self) -> list:
        await self.runtime.outbox.drain()
        out = []
        while not self.bridge.outgoing.empty():
            out.append(self.bridge.outgoing.get_nowait())
        return out

    async def say(self, text: str, sender: str, group: bool = True, quoted: str | None = None):
        await self.bridge.inject(text, sender=sender, name="", chat=GROUP if group else None,
                                 is_group=group, quoted_id=quoted)
        return await self.sent()


@in_asyncio
async def test_ack_by_number_and_by_quoting_the_alarm(plant, admin, pi_server, clock,
                                                      data_dir):
    make_alarm(admin, plant)
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.2, units="bar")
        await bot.engine.run_cycle()
        [alarm_message] = await bot.sent()
        number = alarms.list_events()[0]["number"]
        assert alarm_message.to == GROUP and f"#{number} Drum pressure HIGH 46.2" in \
            alarm_message.text

        # Budi swipes to reply to the alarm and writes just "ack": the group sees who.
        [reply] = await bot.say("ack", BUDI, quoted=alarm_message.message_id)
        assert reply.to == GROUP
        assert reply.text == f"👍 #{number} Drum pressure acknowledged by Budi"
        event = alarms.get_event(number)
        assert event["state"] == "acknowledged" and event["acknowledged_by"] == "Budi"
        assert AlarmAck.select().where(AlarmAck.event == number).count() == 1
        assert AuditLog.select().where(AuditLog.action == "alarm_acknowledged").count() == 1

        # The same ack again, by number: told who did it and when.
        [again] = await bot.say(f"ack {number}", BUDI)
        assert again.text.startswith(f"#{number} was already acknowledged by Budi at ")
        # Sari is not in the alarm's recipients: she may not touch it.
        [not_hers] = await bot.say(f"ack {number}", SARI, group=False)
        assert not_hers.text.startswith(f"Alarm #{number} is not sent to you")
        [unknown] = await bot.say("ack 999", SARI, group=False)
        assert unknown.text == "There is no alarm #999. Send *alarms* for the active ones."
        # In the group, "alarms" and a bare "ack" are talk among people; "!alarms" is not.
        assert await bot.say("alarms", BUDI) == []
        assert await bot.say("ack", SARI) == []
        [listing] = await bot.say("!alarms", BUDI)
        assert f"#{number} Drum pressure HIGH 46.2 bar > 45" in listing.text
        assert "ack Budi" in listing.text

        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 43.0, units="bar")
        await bot.engine.run_cycle()
        [cleared] = await bot.sent()
        assert cleared.to == GROUP and cleared.text == \
            f"✅ #{number} Drum pressure cleared (43 bar)"
        [late_ack] = await bot.say(f"ack #{number}", BUDI)  # not a repeat of the text
        assert late_ack.text.startswith(f"#{number} Drum pressure is no longer active")
        history = [h["what"] for h in alarms.get_event(number)["history"]]
        assert history == ["raised", "sent", "acknowledged", "cleared"]
    finally:
        await bot.runtime.stop()


@in_asyncio
async def test_only_the_alarms_audience_may_ack_it(plant, admin, pi_server, clock, data_dir):
    make_alarm(admin, plant, recipients=[{"contacts": [BUDI, SARI]}], audience=["shift-lead"])
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0,
               recipients=[{"contacts": [BUDI]}])
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.0, units="bar")
        pi_server.add_tag("DRUM.LEVEL", 90.0, units="%")
        await bot.engine.run_cycle()
        await bot.sent()
        pressure = next(e for e in alarms.list_events() if e["alarm"] == "Drum pressure")
        level = next(e for e in alarms.list_events() if e["alarm"] == "Drum level")
        [refused] = await bot.say(f"ack {pressure['number']}", BUDI, group=False)
        assert refused.text == (f"Alarm #{pressure['number']} is not sent to you, so you "
                                "cannot acknowledge or shelve it.")
        [tono] = await bot.say(f"ack {level['number']}", TONO, group=False)
        assert "is not sent to you" in tono.text
        assert alarms.get_event(pressure["number"])["state"] == "active"
        replies = await bot.say(f"ack {pressure['number']}", SARI, group=False)
        # Sari hears it, and so does Budi, who got the same alarm.
        assert {r.to for r in replies} == {f"{SARI.lstrip('+')}@s.whatsapp.net",
                                           f"{BUDI.lstrip('+')}@s.whatsapp.net"}
        assert all("acknowledged by Sari" in r.text for r in replies)
        [listing] = await bot.say("alarms", TONO, group=False)
        assert listing.text == "No alarms are active."  # Tono gets none of them
    finally:
        await bot.runtime.stop()


@in_asyncio
async def test_shelving_silences_the_alarm_until_the_time_is_up(plant, admin, pi_server,
                                                                 clock, data_dir):
    make_alarm(admin, plant)
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.0, units="bar")
        await bot.engine.run_cycle()
        await bot.sent()
        number = alarms.list_events()[0]["number"]
        [reply] = await bot.say(f"shelve {number} 2h valve maintenance", BUDI)
        assert reply.text.startswith(f"🔕 #{number} Drum pressure shelved by Budi until ")
        assert reply.text.endswith(": valve maintenance")
        [usage] = await bot.say(f"shelve {number} soon", BUDI)
        assert usage.text.startswith("Write *shelve 12 2h reason*")
        # Clears and comes back while shelved: the record shows it, nobody is messaged.
        for value in (43.0, 47.0, 47.5):
            clock.advance(minutes=10)
            pi_server.add_tag("DRUM.PRESS", value, units="bar")
            await bot.engine.run_cycle()
        assert await bot.sent() == []
        events = alarms.list_events()
        assert events[0]["state"] == "shelved" and events[1]["state"] == "cleared"
        # Two hours after the shelving and still high: people hear of it again. (The bot
        # counts as having run all along; the test only skips the cycles in between.)
        settings.update(admin, {"alarms": {"offline_after_s": 86400}})
        clock.now = dt.datetime.now(UTC) + dt.timedelta(hours=2, minutes=1)
        pi_server.add_tag("DRUM.PRESS", 48.0, units="bar")
        await bot.engine.run_cycle()
        [back] = await bot.sent()
        again = events[0]["number"]
        assert back.text.startswith(f"🟠 #{again} Drum pressure HIGH 48 bar > 45 since ")
        assert back.text.endswith(f"— reply *ack {again}*")  # on time, not late
        acks = alarms.acks_of(number)
        assert acks[0]["action"] == "shelve" and acks[0]["reason"] == "valve maintenance"
        assert AuditLog.select().where(AuditLog.action == "alarm_shelved").count() == 1
    finally:
        await bot.runtime.stop()


def test_escalation_reaches_the_next_level_in_time_and_stops_at_an_ack(plant, admin,
                                                                       pi_server, clock):
    make_alarm(admin, plant, recipients=[
        {"groups": [GROUP]}, {"after_min": 15, "contacts": [SARI]},
        {"after_min": 30, "contacts": [TONO]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    number = alarms.list_events()[0]["number"]
    sari, tono = (f"{p.lstrip('+')}@s.whatsapp.net" for p in (SARI, TONO))
    cycle(engine, clock, pi_server, 46.1, seconds=14 * 60)
    assert texts(sari) == []
    cycle(engine, clock, pi_server, 46.2, seconds=60)  # 15 min without an ack
    [escalated] = texts(sari)
    assert escalated.startswith(f"🟠 #{number} Drum pressure HIGH 46 bar > 45 since ")
    assert escalated.endswith("⏫ not acknowledged for 15 min")
    assert alarms.get_event(number)["escalation_level"] == 1
    outcome = alarm_acks.acknowledge(number, alarm_acks.Who("Sari", None), now=clock.now)
    assert outcome.ok
    cycle(engine, clock, pi_server, 46.3, seconds=20 * 60)  # 35 min: Tono is not bothered
    assert texts(tono) == []
    cycle(engine, clock, pi_server, 44.0)
    # Everyone who was told of it hears it cleared.
    assert texts(GROUP)[-1] == texts(sari)[-1] == f"✅ #{number} Drum pressure cleared (44 bar)"


def test_quiet_hours_hold_a_message_until_they_end(plant, admin, pi_server, clock):
    start = clock.now
    quiet = {"start": (start - dt.timedelta(minutes=5)).strftime("%H:%M"),
             "end": (start + dt.timedelta(minutes=30)).strftime("%H:%M")}
    make_alarm(admin, plant, quiet_hours=quiet, severity="medium")
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, quiet_hours=quiet,
               severity="critical")
    pi_server.add_tag("DRUM.LEVEL", 90.0, units="%")
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    assert len(texts()) == 1 and "🔴" in texts()[0] and "Drum level" in texts()[0]
    cycle(engine, clock, pi_server, 46.0, seconds=30 * 60)  # quiet hours are over
    assert len(texts()) == 2 and texts()[1].startswith("🟡 #")
    assert f"since {start + dt.timedelta(seconds=10):%H:%M}" in texts()[1]


def test_a_pi_server_down_for_an_hour_sends_nothing_and_says_why(plant, admin, pi_server,
                                                                   clock):
    alarm = make_alarm(admin, plant)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    assert len(texts()) == 1
    pi_server.force(503, {"Errors": ["Service Unavailable"]}, times=10**6)
    for _ in range(6):
        report = cycle(engine, clock, pi_server, None, seconds=600)
        assert report.errors and report.errors[0].startswith("PI Plant: ")
    assert len(texts()) == 1  # no flood, no false "cleared"
    after = alarms.get_alarm(alarm["id"])
    assert after["phase"] == "active" and after["last_error"]
    assert alarms.dashboard_flags()["unreadable"] == ["Drum pressure"]
    pi_server.forced.clear()
    cycle(engine, clock, pi_server, 44.0)
    assert texts()[-1].endswith("Drum pressure cleared (44 bar)")
    assert alarms.dashboard_flags()["unreadable"] == []


# -- offline ---------------------------------------------------------------------------------------


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


# -- schedules -------------------------------------------------------------------------------------


def test_a_shift_digest_runs_on_time_once_and_skips_what_it_missed(plant, admin, pi_server):
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


def test_an_alarm_message_that_failed_is_sent_again_late_when_whatsapp_returns(
        plant, admin, pi_server, clock):
    from app.services import messages

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


def test_an_alarm_on_a_sql_triggers_first_value(db, admin, mariadb, clock):
    """Watching a saved query on a real MariaDB: the open-alarm count of the alarm log."""
    from app.services import sources

    source_id = sources.save_source(
        admin, None, name="Alarm log", plugin="mysql", active=True,
        config={k: v for k, v in mariadb.config().items() if k != "ssl"},
        new_secrets=mariadb.secrets())["id"]
    trigger = trigger_service.save_trigger(
        admin, None, name="openalarms", kind="sql", active=True, data_source_id=source_id,
        config={"query": "SELECT COUNT(*) AS open_alarms FROM alarms WHERE acknowledged = 0 "
                         "AND priority >= :prio",
                "variables": [{"name": "prio", "pattern": "[1-3]", "default": "1"}]})
    alarms.save_alarm(admin, None, name="Unacknowledged alarms in the DCS log", active=True,
                      kind="sql", data_source_id=None, tag="", trigger_id=trigger["id"],
                      config={"condition": "above", "high": 150, "severity": "medium",
                              "recipients": [{"groups": [GROUP]}]})
    report = asyncio.run(AlarmEngine(SourcePool(), clock=clock).run_cycle())
    assert report.evaluated == 1 and report.errors == []
    # 400 rows, every second one unacknowledged: 200 > 150.
    [text] = texts()
    assert "Unacknowledged alarms in the DCS log HIGH 200 > 150" in text


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


def test_a_digital_state_and_a_stale_value_raise_their_alarms(plant, admin, pi_server, clock):
    pi_server.add_tag("PUMP1.STATE", ("Running", 1))
    pi_server.add_tag("FEED.FLOW", 120.0, units="t/h", at=clock.now - dt.timedelta(minutes=30))
    make_alarm(admin, plant, "Feed pump tripped", "PUMP1.STATE", condition="equals",
               state_name="Tripped", high=None)
    make_alarm(admin, plant, "Feed flow frozen", "FEED.FLOW", condition="stale",
               stale_minutes=15, high=None)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, None)
    [first] = texts()
    assert "Feed flow frozen no new value for 30 min" in first and "Feed pump" not in first
    pi_server.add_tag("PUMP1.STATE", ("Tripped", 2))
    cycle(engine, clock, pi_server, None)
    assert "Feed pump tripped state Tripped since" in texts()[1]


def test_the_test_button_shows_the_value_and_the_message_even_when_all_is_normal(
        plant, admin, pi_server, clock):
    engine = AlarmEngine(SourcePool(), clock=clock)
    form = {"name": "Drum pressure", "kind": "pi", "data_source_id": plant, "tag": "DRUM.PRESS",
            "config": {"condition": "above", "high": 45.0, "units": "bar"}}
    normal = asyncio.run(engine.test_alarm(form))
    assert (normal.value, normal.holds) == ("41 bar", False)
    # An example value over the limit shows what people would get; nothing is stored.
    assert normal.text.startswith("🟠 #N Drum pressure HIGH 45.9 bar > 45 since ")
    pi_server.add_tag("DRUM.PRESS", 47.5, units="bar")
    high = asyncio.run(engine.test_alarm(form))
    assert high.holds and high.why == "HIGH 47.5 bar > 45"
    assert "HIGH 47.5 bar > 45" in high.text and high.text.endswith("reply *ack N*")
    pi_server.remove_tag("DRUM.PRESS")
    unknown = asyncio.run(engine.test_alarm(form))
    assert unknown.value and not unknown.holds  # the sentence PI gave for the unknown tag
    assert texts() == [] and alarms.list_events() == []


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
