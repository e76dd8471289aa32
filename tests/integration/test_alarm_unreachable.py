"""An alarm whose recipients can no longer receive it says so: its history says "Nobody can be
told" and why instead of "sent", the Dashboard names it and does not count it as told late, and
whoever becomes reachable later is told at the next cycle. Over the loopback bridge."""

from __future__ import annotations

import asyncio
import datetime as dt

from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarms, config_io, contacts, groups, recipients, schedules
from app.services import triggers as trigger_service
from app.ui.tabs.alarms_tab import history_line
from tests.helpers.alarms import (
    BUDI,
    GROUP,
    SARI,
    TONO,
    Bot,
    approve_group,
    cycle,
    in_asyncio,
    make_alarm,
    texts,
)

SARI_CHAT = f"{SARI.lstrip('+')}@s.whatsapp.net"
TONO_CHAT = f"{TONO.lstrip('+')}@s.whatsapp.net"


def unapprove_sari(admin) -> None:
    """Sari back to waiting for approval, as a configuration file may say."""
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Sari", "phone": SARI, "allowed": False, "tags": ["shift-lead"]}]})
    assert not contacts.find_contact(SARI)["allowed"]


def nobody_of(name: str) -> dict[int, recipients.Reach]:
    alarm = alarms.find_alarm(name)
    return recipients.unreachable_alarms([alarm]).get(alarm["id"], {})


def history(number: int) -> list[dict]:
    return alarms.get_event(number)["history"]


@in_asyncio
async def test_a_contact_approved_after_the_raise_is_told_at_the_next_cycle(
        plant, admin, pi_server, clock, data_dir):
    make_alarm(admin, plant, recipients=[{"contacts": [SARI]}])
    unapprove_sari(admin)
    assert alarms.dashboard_flags()["nobody"] == ["Drum pressure"]
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.2, units="bar")
        report = await bot.engine.run_cycle()
        assert report.queued == [] and await bot.sent() == []
        [event] = alarms.list_events()
        assert event["state"] == "active" and event["notified_at"] is None
        assert [h["what"] for h in event["history"]] == ["raised", "unreachable"]
        assert event["history"][-1]["level"] == 1
        assert event["history"][-1]["detail"] == "Sari is not approved in Contacts"
        assert history_line(event["history"][-1]).endswith(
            "Nobody can be told on level 1: Sari is not approved in Contacts")
        flags = alarms.dashboard_flags()
        assert (flags["unacknowledged"], flags["late"]) == (1, 0)  # not "told late"
        # Cycles while nobody can be told add nothing to the history.
        for _ in range(3):
            clock.advance(seconds=10)
            assert (await bot.engine.run_cycle()).queued == []
        assert [h["what"] for h in history(event["number"])] == ["raised", "unreachable"]

        contacts.approve(admin, contacts.find_contact(SARI)["id"])
        assert alarms.dashboard_flags()["nobody"] == []
        await bot.engine.run_cycle(force=True)  # "Check alarms now"
        [told] = await bot.sent()
        assert told.to == SARI_CHAT
        assert f"#{event['number']} Drum pressure HIGH 46.2" in told.text
        sent = history(event["number"])[-1]
        assert (sent["what"], sent["to"], sent["chats"]) == ("sent", "Sari", [SARI_CHAT])
        assert alarms.get_event(event["number"])["late"] is False
        clock.advance(seconds=10)
        await bot.engine.run_cycle()
        assert await bot.sent() == []  # told once
    finally:
        await bot.runtime.stop()


def test_blocked_deleted_or_removed_recipients_flag_the_alarm(plant, admin, pi_server, clock):
    approve_group(admin)
    # The groups of before group approval were approved once already (else the first cycle
    # would approve the group named here again).
    assert groups.approve_recipient_groups_once() == []
    make_alarm(admin, plant, recipients=[{"contacts": [SARI], "groups": [GROUP]}])
    assert nobody_of("Drum pressure") == {}
    contacts.set_blocked(admin, contacts.find_contact(SARI)["id"], True)
    assert nobody_of("Drum pressure") == {}  # the group still hears it
    contacts.delete(admin, GROUP)  # the group removed from Contacts
    [(level, found)] = nobody_of("Drum pressure").items()
    assert level == 1 and found.sentence(level) == (
        "Nobody on level 1 can be told: Sari is blocked in Contacts; the group "
        "120363111111111111 is not in Contacts (the bot is not in it, or it was deleted "
        "there).")
    assert alarms.dashboard_flags()["nobody"] == ["Drum pressure"]
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    assert texts() == []
    [event] = alarms.list_events()
    assert history(event["number"])[-1]["detail"] == found.reasons[0] + "; " + found.reasons[1]
    contacts.delete(admin, contacts.find_contact(SARI)["id"])
    cycle(engine, clock, pi_server, 46.1)  # other reasons now: said again
    assert history(event["number"])[-1]["detail"] == (
        f"“{SARI}” is not in Contacts; the group 120363111111111111 is not in Contacts (the "
        "bot is not in it, or it was deleted there)")
    # A switched-off alarm tells nobody anyway: it is not flagged.
    alarms.set_active(admin, alarms.find_alarm("Drum pressure")["id"], False)
    assert alarms.dashboard_flags()["nobody"] == []


def test_an_escalation_to_nobody_says_so_and_the_next_level_is_told_in_its_time(
        plant, admin, pi_server, clock):
    make_alarm(admin, plant, recipients=[
        {"contacts": [BUDI]}, {"after_min": 15, "contacts": [SARI]},
        {"after_min": 30, "contacts": [TONO]}])
    unapprove_sari(admin)
    assert list(nobody_of("Drum pressure")) == [2]
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    number = alarms.list_events()[0]["number"]
    cycle(engine, clock, pi_server, 46.1, seconds=15 * 60)
    assert texts(SARI_CHAT) == []
    entry = history(number)[-1]
    assert (entry["what"], entry["level"], entry["detail"]) == (
        "unreachable", 2, "Sari is not approved in Contacts")
    assert alarms.get_event(number)["escalation_level"] == 1
    cycle(engine, clock, pi_server, 46.2, seconds=15 * 60)
    [escalated] = texts(TONO_CHAT)
    assert f"#{number} Drum pressure" in escalated
    assert [h["what"] for h in history(number)].count("unreachable") == 1


def test_a_schedule_run_to_nobody_is_recorded_as_such_not_as_sent(plant, admin, pi_server,
                                                                   clock):
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=plant,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    schedule = schedules.save_schedule(
        admin, None, name="Drum digest", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", config={"recipients": {"contacts": [SARI]}}, now=clock.now)
    assert schedules.get_schedule(schedule["id"])["nobody"] == ""
    unapprove_sari(admin)
    assert schedules.get_schedule(schedule["id"])["nobody"] == (
        "Nobody can be told: Sari is not approved in Contacts.")
    engine = AlarmEngine(SourcePool(), clock=clock)
    clock.now = schedule["next_run_at"] + dt.timedelta(seconds=10)
    [done] = asyncio.run(engine.run_schedules())
    assert (done["status"], done["queued"]) == ("failed", 0)
    assert done["detail"] == "Nobody can be told: Sari is not approved in Contacts."
    [run] = schedules.runs(schedule["id"])
    assert (run["status"], run["detail"]) == ("failed", done["detail"])
    assert OutgoingMessage.select().where(OutgoingMessage.type == "schedule").count() == 0
    assert not groups.get(GROUP)  # nothing was made up to reach
