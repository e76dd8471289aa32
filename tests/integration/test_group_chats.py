"""Group chats as audiences, through the whole bot over the loopback bridge: a group waits for
approval and hears so once, a group's own tags decide what is posted there, and alarms and
schedules reach a group only when it is approved and has the trigger's tags."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from app.core.messages import Incoming
from app.db.database import close_database, open_database
from app.db.models import Alarm, AuditLog, OutgoingMessage, Schedule
from app.errors import ValidationError
from app.runtime.ai_chat import AiResponder
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import (
    ai_prefixes,
    alarms,
    config_io,
    contacts,
    groups,
    messages,
    schedules,
    sources,
)
from app.services import triggers as trigger_service
from app.services.context import Actor
from tests.helpers.alarms import BUDI, GROUP, SARI, Bot, cycle, in_asyncio, make_alarm, texts

OTHER_GROUP = "120363222222222222@g.us"
NOTICE = "An administrator must approve it in the Contacts tab"


def drum_for_ops(admin, source_id: str) -> dict:
    """A plant-data trigger only contacts tagged ops may use."""
    return trigger_service.save_trigger(
        admin, None, name="drum", kind="pi", active=True, data_source_id=source_id,
        config={"tags": ["DRUM.PRESS"], "mode": "current", "audience": ["ops"]})


def decisions() -> list[tuple[str, str]]:
    rows = messages.page(messages.MessageFilter(direction="incoming"), None, 50)
    return [(r["status"], r["reason"]) for r in reversed(rows)]


async def conversation(bot: Bot, *steps) -> list[list]:
    """Each step is (text, sender) said in the group, or a callable run between messages."""
    heard = []
    await bot.start()
    try:
        for step in steps:
            if callable(step):
                step()
                continue
            heard.append(await bot.say(*step))
    finally:
        await bot.runtime.stop()
    return heard


@in_asyncio
async def test_an_unapproved_group_is_told_once_and_gets_no_plant_data(plant, admin, clock,
                                                                       data_dir):
    drum_for_ops(admin, plant)
    bot = Bot(clock, data_dir)
    first, again, chatter, third = await conversation(
        bot, ("!drum", BUDI), ("!drum", BUDI), ("morning all", SARI), ("/help", SARI))
    # Budi may use drum in private, but everyone in this group would read the answer.
    assert [(s.to, NOTICE in s.text) for s in first] == [(GROUP, True)]
    assert again == chatter == third == []  # one notice per group, not one per message
    assert not any("41" in s.text or "Drum" in s.text for s in bot.bridge.sent)
    group = groups.get(GROUP)
    assert group["waiting"] and not group["allowed"]  # first in the Contacts tab
    [(status, reason), (status2, reason2), _chatter, _help] = decisions()
    assert status == "waiting" and "This group chat waits for approval in Contacts" in reason
    assert status2 == "waiting" and "was told before, so nothing was sent" in reason2


@in_asyncio
async def test_a_flood_or_a_huge_text_in_an_unapproved_group_gets_no_second_notice(
        plant, admin, clock, data_dir):
    drum_for_ops(admin, plant)
    bot = Bot(clock, data_dir)
    await conversation(bot, *[(f"!drum {n}", BUDI) for n in range(12)],
                       ("!drum " + "x" * 100_000, SARI))
    [posted] = bot.bridge.sent  # not a spam notice, nor "too long", in that group
    assert posted.to == GROUP and NOTICE in posted.text
    assert {status for status, _reason in decisions()} == {"waiting"}


@in_asyncio
async def test_the_group_needs_the_tag_and_so_does_the_sender(plant, admin, clock, data_dir):
    drum_for_ops(admin, plant)
    bot = Bot(clock, data_dir)

    def approve():
        contacts.approve(admin, GROUP)

    def tag_group_ops():
        contacts.update(admin, GROUP, "Boiler operators", ["ops"])

    notice, untagged, budi, sari, blocked = await conversation(
        # (each text differs from Budi's last: a repeat within seconds is ignored as spam)
        bot, ("!drum", BUDI), approve, ("/drum", BUDI), tag_group_ops, ("!drum", BUDI),
        ("!drum", SARI), lambda: contacts.set_blocked(admin, GROUP, True), ("!drum now", BUDI))
    assert [NOTICE in s.text for s in notice] == [True]
    # Approved, but the group has no ops tag: refused, and the refusal says why.
    [refusal] = untagged
    assert refusal.to == GROUP and "41" not in refusal.text
    assert refusal.text == ("drum is limited to groups tagged ops; this group has none of "
                            "these tags, so it cannot be posted here.")
    [answer] = budi  # tagged ops now, and Budi is tagged ops
    assert answer.to == GROUP and "41" in answer.text
    [answer] = sari
    assert answer.to == GROUP
    assert answer.text == "You may not use drum."  # Sari is not tagged ops
    assert blocked == []
    reasons = [reason for _status, reason in decisions()]
    assert reasons[1] == ("This command is limited to groups tagged ops; this group has none "
                          "of these tags.")
    assert reasons[2] == ""  # answered
    assert "the sender has none of these tags" in reasons[3]
    assert reasons[4] == "This group chat is blocked in Contacts, so nothing is posted in it."


@in_asyncio
async def test_an_ops_group_and_an_ops_sender_get_the_answer(plant, admin, clock, data_dir):
    drum_for_ops(admin, plant)
    bot = Bot(clock, data_dir)

    _notice, untagged_help, answered, helped, stranger = await conversation(
        bot, ("!drum", BUDI), lambda: contacts.approve(admin, GROUP), ("/help", BUDI),
        # tags compare without case
        lambda: contacts.update(admin, GROUP, None, ["Ops"]), ("!drum", BUDI), ("!help", BUDI),
        ("!drum", "+6289999999999"))
    # The sender must still be an approved contact: a stranger in an ops group gets nothing.
    assert stranger == [] and decisions()[-1][0] == "waiting"
    # help in a group lists only what may be posted there, even to an ops sender
    assert untagged_help and "drum" not in " ".join(s.text for s in untagged_help)
    [reply] = answered
    assert reply.to == GROUP and "41" in reply.text
    assert "drum" in helped[0].text


def _mark_upgrade_done() -> None:
    assert groups.approve_recipient_groups_once() == []  # nothing named a group yet


def test_alarms_go_to_a_group_only_once_it_is_approved(plant, admin, pi_server, clock):
    _mark_upgrade_done()
    make_alarm(admin, plant, recipients=[{"groups": [GROUP], "contacts": [SARI]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    for value in (46.0, 46.1, 46.2, 46.3):
        cycle(engine, clock, pi_server, value)
    assert texts(GROUP) == []  # named in the alarm, but nobody approved the group
    assert len(texts(f"{SARI.lstrip('+')}@s.whatsapp.net")) == 1
    [event] = alarms.list_events()
    sent = [h for h in alarms.get_event(event["number"])["history"] if h["what"] == "sent"]
    assert "The group 120363111111111111 is not approved in Contacts" in sent[0]["detail"]
    assert not groups.get(GROUP)  # naming a group did not create or approve it
    # Approved in Contacts: it does not hear that an alarm it never got cleared; Sari does.
    groups.save_from_file(admin, jid=GROUP, name="Boiler", allowed=True, tags=[])
    cycle(engine, clock, pi_server, 40.0)
    assert texts(GROUP) == []
    assert "cleared" in texts(f"{SARI.lstrip('+')}@s.whatsapp.net")[-1]
    for value in (46.0, 46.1, 46.2, 46.3):  # the next alarm reaches the group
        cycle(engine, clock, pi_server, value)
    assert len(texts(GROUP)) == 1 and "Drum pressure HIGH" in texts(GROUP)[0]


def test_a_group_without_the_triggers_tag_gets_nothing_of_its_schedule(plant, admin,
                                                                         pi_server, clock):
    _mark_upgrade_done()
    drum = drum_for_ops(admin, plant)
    groups.save_from_file(admin, jid=GROUP, name="Boiler", allowed=True, tags=["lab"])
    groups.save_from_file(admin, jid=OTHER_GROUP, name="Ops room", allowed=True, tags=["ops"])
    schedule = schedules.save_schedule(
        admin, None, name="Drum digest", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", config={"recipients": {"groups": [GROUP, OTHER_GROUP]}},
        now=clock.now)
    assert drum["config"]["audience"] == ["ops"]
    engine = AlarmEngine(SourcePool(), clock=clock)
    clock.now = schedule["next_run_at"] + dt.timedelta(seconds=10)
    [done] = asyncio.run(engine.run_schedules())
    assert done["status"] == "sent" and done["queued"] == 1
    [row] = OutgoingMessage.select().where(OutgoingMessage.type == "schedule")
    assert row.recipient == OTHER_GROUP and "41" in row.message
    assert "The group Boiler has none of the tags ops its trigger is limited to" in \
        done["detail"]
    # The schedule's run, as the Schedules tab lists it, says who was left out and why.
    [run] = schedules.runs(schedule["id"])
    assert run["detail"] == done["detail"] and run["detail"].startswith("sent to Ops room. ")


def test_groups_alarms_already_went_to_are_approved_once_at_the_upgrade(plant, admin,
                                                                         pi_server, clock):
    # A database from before group approval: an alarm and a schedule name two groups, one
    # the bot has seen (its row, not approved), one typed by hand (no row); a third is blocked.
    seen = contacts.upsert_from_message(Incoming(
        "hi", chat=OTHER_GROUP, sender="6281234567890@s.whatsapp.net", is_group=True))
    assert seen is not None and not groups.get(OTHER_GROUP)["allowed"]
    blocked = "120363333333333333@g.us"
    groups.save_from_file(admin, jid=blocked, name="Old", allowed=False, tags=[])
    contacts.set_blocked(admin, blocked, True)
    # Saved today, nobody on them could be told: they are stored as that version saved them.
    alarm = make_alarm(admin, plant, recipients=[{"contacts": [BUDI]}])
    Alarm.update(config={**alarm["config"], "recipients": [
        {"contacts": [], "tags": [], "groups": [GROUP, blocked]}]}).where(
        Alarm.id == alarm["id"]).execute()
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=plant,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    digest = schedules.save_schedule(
        admin, None, name="Digest", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", config={"recipients": {"contacts": [BUDI]}}, now=clock.now)
    Schedule.update(config={**digest["config"], "recipients": {
        "contacts": [], "tags": [], "groups": [OTHER_GROUP]}}).where(
        Schedule.id == digest["id"]).execute()
    engine = AlarmEngine(SourcePool(), clock=clock)
    for value in (46.0, 46.1, 46.2, 46.3):
        cycle(engine, clock, pi_server, value)
    assert len(texts(GROUP)) == 1  # the alarm keeps reaching the group it went to
    assert groups.get(GROUP)["allowed"] and groups.get(OTHER_GROUP)["allowed"]
    assert groups.get(blocked)["blocked"] and not groups.get(blocked)["allowed"]
    audited = [a.details for a in AuditLog.select().where(
        AuditLog.action == "group_approved_at_upgrade")]
    assert sorted(a["contact_id"] for a in audited) == sorted([GROUP, OTHER_GROUP])
    assert {tuple(a["used_by"]) for a in audited} == {("alarm Drum pressure",),
                                                      ("schedule Digest",)}
    # Once only: a group named in an alarm from now on waits for approval in Contacts; an
    # alarm to nobody else is refused on save.
    with pytest.raises(ValidationError, match="Nobody on level 1 can be told: the group "
                       "120363444444444444 is not in Contacts"):
        make_alarm(admin, plant, name="Drum level", tag="DRUM.LEVEL", high=80.0,
                   recipients=[{"groups": ["120363444444444444@g.us"]}])
    make_alarm(admin, plant, name="Drum level", tag="DRUM.LEVEL", high=80.0,
               recipients=[{"groups": ["120363444444444444@g.us"], "contacts": [BUDI]}])
    engine2 = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine2, clock, pi_server, 46.4)
    assert groups.approve_recipient_groups_once() == []
    assert groups.get("120363444444444444@g.us") is None


def test_a_groups_approval_and_tags_survive_export_and_import(db, admin, tmp_path):
    groups.save_from_file(admin, jid=GROUP, name="Boiler operators", allowed=True,
                          tags=["ops", "Shift-A"])
    groups.save_from_file(admin, jid=OTHER_GROUP, name=None, allowed=False, tags=[])
    exported = config_io.export_config()
    entries = [c for c in exported["contacts"] if c["jid"].endswith("@g.us")]
    assert entries == [
        {"name": "Boiler operators", "jid": GROUP, "allowed": True, "tags": ["ops", "Shift-A"]},
        {"name": "", "jid": OTHER_GROUP, "allowed": False, "tags": []}]
    fresh = open_database(tmp_path / "fresh.db", tmp_path / "backups")
    try:
        report = config_io.import_config(Actor(None, "operator", "admin", "cli"), exported)
        assert report.created["contacts"] == [GROUP, OTHER_GROUP]
        assert groups.get(GROUP)["allowed"] and groups.get(GROUP)["tags"] == ["ops", "Shift-A"]
        assert groups.get(GROUP)["name"] == "Boiler operators"
        assert not groups.get(OTHER_GROUP)["allowed"]
        assert config_io.export_config()["contacts"] == exported["contacts"]
        audited = [a.details for a in AuditLog.select().where(
            AuditLog.action == "contact_created")]
        assert [(a["contact_id"], a["kind"], a["allowed"]) for a in audited] == [
            (GROUP, "group", True), (OTHER_GROUP, "group", False)]
    finally:
        close_database(fresh.db)


def test_an_ai_prefix_limited_to_tags_is_refused_in_a_group_without_them(db, admin,
                                                                         ai_server):
    service = sources.save_source(admin, None, name="AI", plugin="ai", active=True,
                                  config=ai_server.config("openai", timeout_s=5))
    ai_prefixes.save_prefix(admin, None, prefix="ai:", name="Assistant", description="",
                            enabled=True, data_source_id=service["id"], system_prompt=None,
                            audience=["ops"])
    pool = SourcePool()
    runner = TriggerRunner(pool)
    try:
        replies = asyncio.run(Pipeline(runner, AiResponder(pool, runner)).handle(Incoming(
            "ai: how is the boiler?", chat=GROUP, sender="6281234567890@s.whatsapp.net",
            is_group=True, tags=("ops",), group_tags=("lab",))))
    finally:
        pool.close()
    assert [(r.to, r.text) for r in replies] == [(GROUP, (
        "ai: is limited to groups tagged ops; this group has none of these tags, so it "
        "cannot be posted here."))]
    assert ai_server.chats() == []  # the question never left the plant
