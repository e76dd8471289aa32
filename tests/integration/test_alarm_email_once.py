"""Each person hears of an alarm by e-mail once, and hears it clear: the alarm engine on the
test's clock over a real database, the e-mails as the outbox rows it queues. What a plant
engineer notices: no e-mail of an alarm that is on no record, no second e-mail of one alarm in
one cycle, the all-clear for whoever got the alarm by e-mail, and no shelving of an alarm from
an event that is over."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarm_acks, alarms, contacts, emails, sources
from app.services.recipients import Destination
from tests.helpers.alarms import SARI, TONO, cycle, in_asyncio, make_alarm
from tests.integration.test_alarm_summary import always_in_alarm, budi

SARI_MAIL, TONO_MAIL = "sari@plant.example.com", "tono@plant.example.com"


def setup_mail(admin, smtp_server) -> None:
    for phone, address in ((SARI, SARI_MAIL), (TONO, TONO_MAIL)):
        emails.set_email(admin, contacts.find_contact(phone)["id"], address)
    sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                        config=smtp_server.config())


def mails() -> list[tuple[str, str]]:
    return [(r.recipient, r.subject) for r in OutgoingMessage.select().where(
        OutgoingMessage.medium == "email").order_by(OutgoingMessage.id)]


def test_the_emails_of_a_cycle_whose_writes_were_undone_are_never_sent(
        plant, admin, pi_server, clock, smtp_server):
    setup_mail(admin, smtp_server)
    alarm = make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    # What a cycle that collected an e-mail and then failed to commit leaves in memory.
    engine.delivery.split({"name": alarm["name"], "levels": [{"channels": ["email"]}]}, 1, 0,
                          "#1 Drum pressure HIGH 46 bar > 45", [
                              Destination(f"{SARI.lstrip('+')}@s.whatsapp.net", "Sari",
                                          False)],
                          clock(), contacts.list_contacts(), "en")
    cycle(engine, clock, pi_server, 40.0)  # normal: nothing to tell
    assert mails() == [] and alarms.list_events() == []


def test_someone_on_both_levels_gets_one_email_when_whatsapp_did_not_deliver(
        plant, admin, pi_server, clock, smtp_server):
    setup_mail(admin, smtp_server)
    make_alarm(admin, plant, recipients=[
        {"contacts": [SARI]},
        {"after_min": 15, "undelivered_min": 5, "contacts": [TONO, SARI],
         "channels": ["whatsapp", "email"]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)  # to Sari by WhatsApp; her phone never receives
    cycle(engine, clock, pi_server, None, seconds=301)  # past the delivery timeout
    for _ in range(3):
        cycle(engine, clock, pi_server, None, seconds=60)
    assert sorted(mails()) == [(SARI_MAIL, "Alarm #1: Drum pressure"),
                               (TONO_MAIL, "Alarm #1: Drum pressure")]


def test_whoever_got_the_stand_in_email_hears_the_all_clear_by_email(
        plant, admin, pi_server, clock, smtp_server):
    setup_mail(admin, smtp_server)
    make_alarm(admin, plant, recipients=[
        {"contacts": [SARI]},
        {"after_min": 15, "undelivered_min": 5, "contacts": [TONO],
         "channels": ["whatsapp", "email"]}])
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    cycle(engine, clock, pi_server, None, seconds=301)  # Sari's copy by e-mail, Tono told
    cycle(engine, clock, pi_server, 40.0)
    cleared = sorted(to for to, subject in mails() if subject.startswith("Cleared"))
    assert cleared == [SARI_MAIL, TONO_MAIL]


@in_asyncio
async def test_an_event_that_is_over_cannot_be_shelved_nor_silence_the_alarm(db, admin):
    budi(admin)
    engine = AlarmEngine(SourcePool())
    alarm = always_in_alarm(admin, "Boiler", "critical")
    await engine.run_cycle(force=True)
    first = alarms.get_alarm(alarm["id"])["event_id"]
    alarms.save_alarm(admin, alarm["id"], name="Boiler", active=True, kind="pi",
                      data_source_id=sources.find_by_name("demo")["id"],
                      tag="DEMO.BOILER.TEMP", trigger_id=None,
                      config={"condition": "above", "high": 1e12, "severity": "critical",
                              "recipients": [{"tags": ["operators"]}]})
    await engine.run_cycle(force=True)
    assert alarms.get_event(first)["state"] == "cleared"
    outcome = alarm_acks.act_from_desk(admin, first, shelve_for=timedelta(hours=2),
                                       comment="from a row left on screen")
    assert not outcome.ok and outcome.key == "alarm_not_active"
    assert alarms.get_alarm(alarm["id"])["state"].shelved_until is None
    assert alarms.get_event(first)["shelved_until"] is None
    await asyncio.sleep(0)
