"""Alarm and health e-mails in the Messages tab's data, end to end: the alarm engine on the
test's clock, the loopback bridge, and a real mail server on 127.0.0.1 (aiosmtpd). What an
engineer watching every message notices: an e-mail sent, or given up, is in the Log with its
address, its subject and why it was sent; the Outbox lists it with the WhatsApp messages,
marked as an e-mail, with its attempts and the mail server's sentence; a waiting e-mail
cancelled there is never sent, and the cancellation is audited."""

from __future__ import annotations

from app.bridge.base import BridgeState
from app.db.models import AuditLog
from app.services import contacts, emails, messages, outbox, settings, sources, users
from app.services.messages import MessageFilter, OutboxFilter
from tests.helpers.alarms import SARI, TONO, Bot, in_asyncio, make_alarm
from tests.smtp_server import SmtpServer

SARI_MAIL, TONO_MAIL = "sari@plant.example.com", "tono@plant.example.com"
SUBJECT = "Alarm #1: Drum pressure"


def setup_mail(admin, server: SmtpServer) -> None:
    for phone, address in ((SARI, SARI_MAIL), (TONO, TONO_MAIL)):
        emails.set_email(admin, contacts.find_contact(phone)["id"], address)
    sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                        config=server.config())


def logged_emails(**fields) -> list[dict]:
    return [m for m in messages.page(MessageFilter(direction="outgoing", **fields), None, 50)
            if m["metadata"].get("medium") == "email"]


def listed(recipient: str) -> dict:
    [row] = messages.outbox_page(OutboxFilter(recipient=recipient), None, 50)
    return row


async def raise_alarm(bot: Bot, pi_server, clock) -> None:
    clock.advance(seconds=10)
    pi_server.add_tag("DRUM.PRESS", 46.0, units="bar")
    await bot.engine.run_cycle()
    await bot.sent()


BY_EMAIL = [{"contacts": [SARI, TONO], "channels": ["email"]}]


@in_asyncio
async def test_an_alarm_email_sent_and_one_refused_are_in_the_log_and_the_outbox(
        plant, admin, pi_server, clock, data_dir):
    with SmtpServer(refuse=(TONO_MAIL,)) as server:
        setup_mail(admin, server)
        make_alarm(admin, plant, recipients=BY_EMAIL)
        bot = Bot(clock, data_dir)
        await bot.start()
        try:
            await raise_alarm(bot, pi_server, clock)
            assert logged_emails() == []  # queued, not sent: not in the log yet
            await bot.engine.send_emails()
        finally:
            await bot.runtime.stop()
    assert [m.rcpt_tos for m in server.received] == [[SARI_MAIL]]
    # The Log: the address as the party, the subject as the text's first line, why, and how.
    by_party = {m["party"]: m for m in logged_emails()}
    assert set(by_party) == {SARI_MAIL, TONO_MAIL}
    sent, refused = by_party[SARI_MAIL], by_party[TONO_MAIL]
    assert sent["content"].split("\n")[0] == SUBJECT
    assert "Drum pressure HIGH 46 bar > 45" in sent["content"]
    assert sent["status"] == "sent" and refused["status"] == "failed"
    assert sent["metadata"]["kind"] == refused["metadata"]["kind"] == "alarm"
    assert sent["metadata"]["attempts"] == 1
    assert f"refused the recipient {TONO_MAIL} (550" in refused["metadata"]["error"]
    # Found by the Log's filters: the address, and a word of the subject.
    assert [m["party"] for m in logged_emails(party="tono@plant")] == [TONO_MAIL]
    # ... and by the contact's name, as their WhatsApp messages are (ASCII and not), also a
    # name that is nowhere in the address.
    for phone, name, typed, address in ((SARI, "Ratna", "ratna", SARI_MAIL),
                                        (TONO, "Tonö", "TONÖ", TONO_MAIL)):
        contact = contacts.find_contact(phone)
        contacts.update(admin, contact["id"], name, contact["tags"])
        assert [m["party"] for m in logged_emails(party=typed)] == [address]
    assert {m["party"] for m in logged_emails(text="Drum pressure")} == {SARI_MAIL, TONO_MAIL}
    assert [m["party"] for m in logged_emails(status="failed")] == [TONO_MAIL]
    # The Outbox: listed beside the WhatsApp rows, marked as e-mail, with the server's answer.
    sari, tono = listed(SARI_MAIL), listed(TONO_MAIL)
    assert (sari["medium"], sari["status"], sari["subject"]) == ("email", "sent", SUBJECT)
    assert (tono["medium"], tono["status"]) == ("email", "failed")
    assert f"refused the recipient {TONO_MAIL} (550 5.1.1" in tono["error_message"]
    assert tono["last_attempt_at"] is not None and tono["retry_count"] == 0  # tried once


@in_asyncio
async def test_an_email_given_up_and_sent_again_by_a_person_is_logged_failed_then_sent(
        plant, admin, pi_server, clock, data_dir):
    with SmtpServer(refuse=(SARI_MAIL,)) as server:
        setup_mail(admin, server)
        make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
        bot = Bot(clock, data_dir)
        await bot.start()
        try:
            await raise_alarm(bot, pi_server, clock)
            await bot.engine.send_emails()
            server.refuse.clear()  # the mail server's administrator fixed the mailbox
            outbox.retry(admin, listed(SARI_MAIL)["id"])
            await bot.engine.send_emails()
        finally:
            await bot.runtime.stop()
    assert [m.rcpt_tos for m in server.received] == [[SARI_MAIL]]
    assert [m["status"] for m in logged_emails()] == ["sent", "failed"]  # newest first
    assert listed(SARI_MAIL)["status"] == "sent"


@in_asyncio
async def test_a_waiting_email_cancelled_from_the_outbox_is_never_sent_and_is_audited(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    setup_mail(admin, smtp_server)
    make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await raise_alarm(bot, pi_server, clock)
        waiting = listed(SARI_MAIL)
        assert waiting["status"] == "pending" and waiting["medium"] == "email"
        cancelled = outbox.cancel(admin, waiting["id"], "Sari is on leave")
        await bot.engine.send_emails()
        clock.advance(hours=1)
        await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    assert smtp_server.received == []
    assert cancelled["status"] == "failed" and cancelled["cancelled_by"] == "admin"
    assert listed(SARI_MAIL)["error_message"] == "cancelled by admin: Sari is on leave"
    entry = AuditLog.select().where(AuditLog.action == "message_cancelled").get()
    assert entry.details["outbox_id"] == waiting["id"]
    assert (entry.details["recipient"], entry.details["medium"], entry.details["kind"]) == (
        SARI_MAIL, "email", "alarm")
    assert logged_emails() == []  # never sent, never given up: not in the log


@in_asyncio
async def test_the_bots_health_email_is_in_the_log_as_health(db, admin, clock, data_dir,
                                                           smtp_server):
    users.create_user(admin, "ops", "Ops-pass-2026", role="admin", full_name="Ops",
                      email="ops-admin@plant.example.com")
    settings.update(admin, {"general": {"language": "en", "time_zone": "UTC"}})
    sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                        config=smtp_server.config())
    bot = Bot(clock, data_dir)
    bot.runtime.health.clock = clock
    await bot.start()
    try:
        await bot.bridge.set_state(BridgeState.LOGGED_OUT)
        await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    [logged] = logged_emails()
    assert logged["party"] == "ops-admin@plant.example.com"
    assert logged["content"].startswith("WhatsApp bot: the session is logged out\n")
    assert (logged["status"], logged["metadata"]["kind"]) == ("sent", "health")
