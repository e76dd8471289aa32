"""Alarms end to end with a controllable clock and the PI double: flapping, the state machine,
acknowledgement by number and by quoting, shelving, escalation, quiet hours, a PI server that
is down, and alarms switched off while their tag is read. The offline summary and schedules
have their own files (test_offline_summary.py, test_schedules.py)."""

from __future__ import annotations

import asyncio
import datetime as dt

from app.db.models import AlarmAck, AlarmEventRow, AuditLog, OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarm_acks, alarms, config_io, messages, settings
from app.services import triggers as trigger_service
from tests.helpers.alarms import (
    BUDI,
    GROUP,
    SARI,
    TONO,
    Bot,
    alarm_rows,
    approve_group,
    cycle,
    in_asyncio,
    make_alarm,
    texts,
)

UTC = dt.UTC


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


def test_escalation_looks_at_every_open_event_however_many(plant, admin, pi_server, clock):
    make_alarm(admin, plant, recipients=[{"groups": [GROUP]}, {"after_min": 15,
                                                               "contacts": [SARI]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    number = alarms.list_events()[0]["number"]
    # 1,500 newer open events of another alarm (a plant-wide trip raises thousands).
    other = make_alarm(admin, plant, "Other", "OTHER.TAG")
    AlarmEventRow.insert_many([{"alarm": other["id"], "state": "active", "severity": "low",
                                "raised_at": clock.now, "notified_at": clock.now}
                               for _ in range(1500)]).execute()
    sari = f"{SARI.lstrip('+')}@s.whatsapp.net"
    cycle(engine, clock, pi_server, 46.2, seconds=15 * 60)
    assert len(texts(sari)) == 1 and texts(sari)[0].startswith(f"🟠 #{number} ")
    flags = alarms.dashboard_flags(clock.now)
    assert flags["open"] == 1501 and flags["unacknowledged"] == 1501


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


# -- other kinds of values -------------------------------------------------------------------------


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
    approve_group(admin)  # the group the bot is in, approved in Contacts
    alarms.save_alarm(admin, None, name="Unacknowledged alarms in the DCS log", active=True,
                      kind="sql", data_source_id=None, tag="", trigger_id=trigger["id"],
                      config={"condition": "above", "high": 150, "severity": "medium",
                              "recipients": [{"groups": [GROUP]}]})
    report = asyncio.run(AlarmEngine(SourcePool(), clock=clock).run_cycle())
    assert report.evaluated == 1 and report.errors == []
    # 400 rows, every second one unacknowledged: 200 > 150.
    [text] = texts()
    assert "Unacknowledged alarms in the DCS log HIGH 200 > 150" in text


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
