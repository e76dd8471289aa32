"""Alarms by e-mail and escalation on delivery, end to end: the bot over the loopback bridge
with its simulated phones, a real mail server on 127.0.0.1 (aiosmtpd), and the alarm engine
on a clock the test moves. What a plant engineer notices: a phone that never receives makes
the alarm go on after the delivery timeout and reach people by e-mail; a phone that read it
makes it wait for the acknowledgement timeout instead; every mail server fault is on record."""

from __future__ import annotations

import asyncio
import datetime as dt

from app.core.messages import ReceiptKind
from app.db.models import OutgoingMessage
from app.services import alarms, contacts, emails, settings, sources
from tests.helpers.alarms import BUDI, SARI, TONO, Bot, in_asyncio, make_alarm
from tests.integration.test_outbox_locked import Holder
from tests.smtp_server import SmtpServer

SARI_MAIL, TONO_MAIL = "sari@plant.example.com", "tono@plant.example.com"
PASSWORD = "Sandi-Surel-2026"


def jid(phone: str) -> str:
    return f"{phone.lstrip('+')}@s.whatsapp.net"


def mail_connection(admin, server: SmtpServer, password: str | None = None, **extra) -> str:
    return sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                               config=server.config(**extra),
                               new_secrets={"password": password} if password else None)["id"]


def addresses(admin) -> None:
    for phone, address in ((SARI, SARI_MAIL), (TONO, TONO_MAIL)):
        emails.set_email(admin, contacts.find_contact(phone)["id"], address)


def email_rows() -> list[OutgoingMessage]:
    return list(OutgoingMessage.select().where(OutgoingMessage.medium == "email")
                .order_by(OutgoingMessage.id))


def escalations(number: int) -> list[dict]:
    return [h for h in alarms.get_event(number)["history"] if h["what"] == "escalated"]


async def raise_alarm(bot: Bot, pi_server, clock, value: float = 46.0):
    clock.advance(seconds=10)
    pi_server.add_tag("DRUM.PRESS", value, units="bar")
    report = await bot.engine.run_cycle()
    return report, await bot.sent()


async def minutes_later(bot: Bot, clock, minutes: float):
    clock.advance(minutes=minutes)
    report = await bot.engine.run_cycle()
    sent = await bot.sent()
    await bot.engine.send_emails()
    return report, sent


TWO_LEVELS = [{"contacts": [SARI]},
              {"after_min": 15, "undelivered_min": 5, "contacts": [TONO],
               "channels": ["whatsapp", "email"]}]


@in_asyncio
async def test_a_phone_that_never_receives_escalates_after_the_delivery_timeout_by_email(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=TWO_LEVELS)
    bot = Bot(clock, data_dir)  # every phone is off: nothing is ever delivered
    await bot.start()
    try:
        _, [first] = await raise_alarm(bot, pi_server, clock)
        number = alarms.list_events()[0]["number"]
        assert first.to == jid(SARI)
        _, sent = await minutes_later(bot, clock, 4)
        assert sent == [] and smtp_server.received == []  # not yet 5 minutes
        report, sent = await minutes_later(bot, clock, 1)
    finally:
        await bot.runtime.stop()
    # Tono, the next level, on WhatsApp and by e-mail; Sari's copy by e-mail, marked so.
    [to_tono] = sent
    assert to_tono.to == jid(TONO) and to_tono.text.endswith("⏫ not delivered within 5 min")
    assert sorted((q.channel, q.to) for q in report.queued) == [
        ("email", SARI_MAIL), ("email", TONO_MAIL), ("whatsapp", jid(TONO))]
    got = {m.rcpt_tos[0]: m.message for m in smtp_server.received}
    assert set(got) == {SARI_MAIL, TONO_MAIL}
    assert got[SARI_MAIL]["Subject"] == got[TONO_MAIL]["Subject"] == \
        f"Alarm #{number}: Drum pressure"
    sari_body = got[SARI_MAIL].get_content()
    assert sari_body.startswith("Sent by e-mail: WhatsApp did not deliver it within 5 min.")
    assert f"#{number} Drum pressure HIGH 46 bar > 45" in sari_body
    assert sari_body.rstrip().endswith(f"reply to the WhatsApp bot: ack {number}")
    assert "⏫ not delivered within 5 min" in got[TONO_MAIL].get_content()
    # The stand-in names the WhatsApp row it was sent in place of.
    stand_in = next(r for r in email_rows() if r.recipient == SARI_MAIL)
    assert OutgoingMessage.get_by_id(stand_in.stands_for_id).recipient == jid(SARI)
    assert {r.status for r in email_rows()} == {"sent"}
    # The history says why it escalated, and who got it by e-mail.
    [escalated] = escalations(number)
    assert escalated["because"] == "not delivered" and escalated["level"] == 2
    assert escalated["emails"] == [TONO_MAIL]
    emailed = [h for h in alarms.get_event(number)["history"] if h["what"] == "emailed"]
    assert emailed[0]["emails"] == [SARI_MAIL]
    assert emailed[0]["detail"] == "WhatsApp did not deliver it within 5 min"


@in_asyncio
async def test_a_message_read_but_not_acknowledged_escalates_after_the_ack_timeout(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=TWO_LEVELS)
    bot = Bot(clock, data_dir)
    bot.bridge.set_phone(SARI, "read")
    await bot.start()
    try:
        await raise_alarm(bot, pi_server, clock)
        number = alarms.list_events()[0]["number"]
        await bot.bridge.receipts_reported()
        _, sent = await minutes_later(bot, clock, 5)
        assert sent == [] and escalations(number) == []  # delivered: the delivery rule waits
        _, sent = await minutes_later(bot, clock, 9)
        assert sent == []
        _, sent = await minutes_later(bot, clock, 1)  # 15 min without an acknowledgement
    finally:
        await bot.runtime.stop()
    [to_tono] = sent
    assert to_tono.to == jid(TONO)
    assert to_tono.text.endswith("⏫ not acknowledged for 15 min")
    [escalated] = escalations(number)
    assert escalated["because"] == "not acknowledged"
    # Sari read it: no copy by e-mail for her; Tono's level is told by e-mail as well.
    assert [m.rcpt_tos for m in smtp_server.received] == [[TONO_MAIL]]


@in_asyncio
async def test_read_before_delivered_counts_as_delivered_and_an_unknown_receipt_does_not(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=TWO_LEVELS)
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%",
               recipients=[{"contacts": [TONO]},
                           {"undelivered_min": 5, "contacts": [SARI]}])
    pi_server.add_tag("DRUM.LEVEL", 90.0, units="%")
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        _, sent = await raise_alarm(bot, pi_server, clock)
        to = {item.to: item for item in sent}
        # Sari's phone reports "read" only (it was off; the delivery report got lost).
        await bot.bridge.receipt(to[jid(SARI)].message_id, ReceiptKind.READ)
        # Tono's "phone" reports a message the bot never sent.
        await bot.bridge.receipt("3EB0NOT-OURS", ReceiptKind.DELIVERED, chat=jid(TONO))
        _, sent = await minutes_later(bot, clock, 5)
    finally:
        await bot.runtime.stop()
    pressure, level = (alarms.find_alarm(n)["event_id"] for n in ("Drum pressure",
                                                                     "Drum level"))
    assert escalations(pressure) == []  # read, so delivered
    [escalated] = escalations(level)  # Tono's never was
    assert escalated["because"] == "not delivered"
    assert [item.to for item in sent] == [jid(SARI)]
    # The level told only when not delivered waits for no acknowledgement timeout.
    assert [m.rcpt_tos for m in smtp_server.received] == [[TONO_MAIL]]


@in_asyncio
async def test_the_session_logged_out_during_an_escalation_still_reaches_people_by_email(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=TWO_LEVELS)
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await raise_alarm(bot, pi_server, clock)
        number = alarms.list_events()[0]["number"]
        await bot.bridge.logout()
        clock.advance(minutes=5)
        report = await bot.engine.run_cycle()
        await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    assert [h["because"] for h in escalations(number)] == ["not delivered"]
    # Tono's WhatsApp message waits for the session; both e-mails went.
    tono = [q for q in report.queued if q.channel == "whatsapp"]
    assert [OutgoingMessage.get_by_id(q.outbox_id).status for q in tono] == ["pending"]
    assert sorted(m.rcpt_tos[0] for m in smtp_server.received) == [SARI_MAIL, TONO_MAIL]


def _quiet(clock) -> dict:
    return {"start": (clock.now - dt.timedelta(minutes=5)).strftime("%H:%M"),
            "end": (clock.now + dt.timedelta(minutes=30)).strftime("%H:%M")}


@in_asyncio
async def test_quiet_hours_hold_an_alarm_email_and_a_critical_one_goes_through(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    quiet = _quiet(clock)
    make_alarm(admin, plant, quiet_hours=quiet, severity="medium",
               recipients=[{"contacts": [SARI], "channels": ["email"]}])
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%",
               quiet_hours=quiet, severity="critical",
               recipients=[{"contacts": [TONO], "channels": ["email"]}])
    pi_server.add_tag("DRUM.LEVEL", 90.0, units="%")
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        _, sent = await raise_alarm(bot, pi_server, clock)
        await bot.engine.send_emails()
        assert sent == []  # e-mail only: nothing on WhatsApp
        assert [m.rcpt_tos for m in smtp_server.received] == [[TONO_MAIL]]
        assert "Drum level" in smtp_server.received[0].message["Subject"]
        await minutes_later(bot, clock, 30)  # the quiet hours are over
    finally:
        await bot.runtime.stop()
    assert [m.rcpt_tos for m in smtp_server.received] == [[TONO_MAIL], [SARI_MAIL]]
    assert "Drum pressure" in smtp_server.received[1].message["Subject"]


@in_asyncio
async def test_the_all_clear_reaches_by_email_those_told_by_email(plant, admin, pi_server,
                                                                   clock, data_dir,
                                                                   smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await raise_alarm(bot, pi_server, clock)
        number = alarms.list_events()[0]["number"]
        await raise_alarm(bot, pi_server, clock, value=44.0)
        await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    subjects = [m.message["Subject"] for m in smtp_server.received]
    assert subjects == [f"Alarm #{number}: Drum pressure",
                        f"Cleared: alarm #{number} Drum pressure"]


# -- the mail server misbehaves ----------------------------------------------------------------


async def _one_email(bot: Bot, pi_server, clock) -> None:
    await raise_alarm(bot, pi_server, clock)
    await bot.engine.send_emails()


EMAIL_BOTH = [{"contacts": [SARI, TONO], "channels": ["email"]}]


@in_asyncio
async def test_a_refused_sign_in_is_on_record_tried_again_and_given_up(plant, admin, pi_server,
                                                                      clock, data_dir):
    addresses(admin)
    with SmtpServer(users={"wa-bot": PASSWORD}) as server:
        mail_connection(admin, server, "wrong-password", username="wa-bot")
        make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
        bot = Bot(clock, data_dir)
        await bot.start()
        try:
            await _one_email(bot, pi_server, clock)
            [row] = email_rows()
            assert row.status == "pending" and row.retry_count == 1
            assert "refused the sign-in of wa-bot" in row.error_message
            assert "wrong-password" not in row.error_message
            per_try = len(server.sign_ins)  # smtplib tries each method the server offers
            for _ in range(4):  # each try when its wait is over, by the test's clock
                clock.advance(minutes=31)
                await bot.engine.send_emails()
        finally:
            await bot.runtime.stop()
    [row] = email_rows()
    assert row.status == "failed"
    assert row.error_message.startswith("Gave up after 5 tries: The mail server at ")
    assert server.received == [] and len(server.sign_ins) == 5 * per_try


@in_asyncio
async def test_a_slow_server_and_one_that_hangs_up_leave_the_email_waiting_with_the_reason(
        plant, admin, pi_server, clock, data_dir):
    addresses(admin)
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        with SmtpServer(delay=3.0) as server:  # slow to confirm the message
            mail_connection(admin, server, timeout_s=1)
            make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
            await _one_email(bot, pi_server, clock)
            [row] = email_rows()
            assert row.status == "pending" and row.retry_count == 1
            assert "did not confirm the message within 1 s" in row.error_message
            server.delay, server.drop_in_data = 0.0, True  # now it hangs up instead
            clock.advance(minutes=2)
            await bot.engine.send_emails()
            [row] = email_rows()
            assert row.status == "pending" and row.retry_count == 2
            assert "closed the connection before confirming the message" in row.error_message
            server.drop_in_data = False  # and then it works again
            clock.advance(minutes=1)
            await bot.engine.send_emails()
            assert email_rows()[0].status == "pending"  # its next try is not due yet
            clock.advance(minutes=1)
            await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    [row] = email_rows()
    assert row.status == "sent" and [m.rcpt_tos for m in server.received] == [[SARI_MAIL]]


@in_asyncio
async def test_a_rejected_recipient_fails_alone_and_the_others_get_it(plant, admin, pi_server,
                                                                     clock, data_dir):
    addresses(admin)
    with SmtpServer(refuse=(TONO_MAIL,)) as server:
        mail_connection(admin, server)
        make_alarm(admin, plant, recipients=EMAIL_BOTH)
        bot = Bot(clock, data_dir)
        await bot.start()
        try:
            await _one_email(bot, pi_server, clock)
        finally:
            await bot.runtime.stop()
    assert [m.rcpt_tos for m in server.received] == [[SARI_MAIL]]
    rows = {r.recipient: r for r in email_rows()}
    assert rows[SARI_MAIL].status == "sent"
    assert rows[TONO_MAIL].status == "failed"  # at once: trying again would not help
    assert f"refused the recipient {TONO_MAIL} (550" in rows[TONO_MAIL].error_message


@in_asyncio
async def test_without_an_email_connection_the_email_waits_and_says_why(plant, admin, pi_server,
                                                                       clock, data_dir):
    addresses(admin)
    with SmtpServer() as gone:
        # Saved while an e-mail connection was there (without one it is refused), which is
        # deleted afterwards.
        old_connection = mail_connection(admin, gone)
        make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
        sources.delete_source(admin, old_connection)
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await _one_email(bot, pi_server, clock)
        [row] = email_rows()
        assert row.status == "pending"
        assert row.error_message == "No e-mail connection is set up: add one in Connections."
        with SmtpServer() as first, SmtpServer() as second:
            mail_connection(admin, first)
            sources.save_source(admin, None, name="Office mail", plugin="email", active=True,
                                config=second.config())
            clock.advance(minutes=2)
            await bot.engine.send_emails()
            assert "several e-mail connections" in email_rows()[0].error_message
            settings.update(admin, {"alarms": {"email_connection": "Office mail"}})
            clock.advance(minutes=3)
            await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    assert first.received == [] and [m.rcpt_tos for m in second.received] == [[SARI_MAIL]]


@in_asyncio
async def test_a_schedule_by_email_reaches_the_people_with_an_address(plant, admin, pi_server,
                                                                     clock, data_dir,
                                                                     smtp_server):
    from app.services import schedules
    from app.services import triggers as trigger_service

    addresses(admin)
    mail_connection(admin, smtp_server)
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=plant, config={"tags": ["DRUM.PRESS"],
                                                               "mode": "current"})
    schedule = schedules.save_schedule(
        admin, None, name="Hourly", active=True, target_kind="trigger", target_name="drum",
        expression="every 1h", now=clock.now,
        config={"recipients": {"contacts": [SARI, BUDI], "channels": ["email"]}})
    assert schedules.get_schedule(schedule["id"])["recipients"]["channels"] == ["email"]
    clock.now = schedules.get_schedule(schedule["id"])["next_run_at"] + dt.timedelta(seconds=5)
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        [done] = await bot.engine.run_schedules()
        sent = await bot.sent()
        await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    assert done["status"] == "sent" and sent == []  # e-mail only; Budi has no address
    [mail] = smtp_server.received
    assert mail.rcpt_tos == [SARI_MAIL]
    assert mail.message["Subject"].startswith("Hourly · scheduled ")
    assert "41" in mail.message.get_content()


@in_asyncio
async def test_an_alarm_email_speaks_the_reply_language(plant, admin, pi_server, clock,
                                                       data_dir, smtp_server):
    settings.update(admin, {"general": {"language": "id"}})
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await _one_email(bot, pi_server, clock)
    finally:
        await bot.runtime.stop()
    number = alarms.list_events()[0]["number"]
    [mail] = smtp_server.received
    assert mail.message["Subject"] == f"Peringatan alarm #{number}: Drum pressure"
    body = mail.message.get_content()
    assert "sejak" in body and body.rstrip().endswith(f"balas bot WhatsApp: ack {number}")


@in_asyncio
async def test_an_email_a_crash_caught_mid_send_is_sent_at_the_next_start(db, admin, clock,
                                                                         smtp_server):
    from app.runtime.alarms.engine import AlarmEngine
    from app.runtime.source_pool import SourcePool
    from app.services import email_queue, outbox

    mail_connection(admin, smtp_server)
    waiting = email_queue.enqueue_email(SARI_MAIL, "Alarm #7: Drum pressure", "text",
                                        created_at=clock.now)
    caught = email_queue.enqueue_email(TONO_MAIL, "Alarm #7: Drum pressure", "text",
                                       created_at=clock.now)
    assert outbox.mark_in_flight(caught, clock.now)  # ... and the app stopped right there
    engine = AlarmEngine(SourcePool(), clock=clock)  # the next start
    assert await engine.send_emails() == 2
    assert sorted(m.rcpt_tos[0] for m in smtp_server.received) == [SARI_MAIL, TONO_MAIL]
    rows = {r.id: r for r in email_rows()}
    assert rows[waiting].status == rows[caught].status == "sent"
    assert rows[caught].interrupted_sends == 1 and rows[waiting].interrupted_sends == 0


@in_asyncio
async def test_alarms_raised_together_are_one_email_per_person(plant, admin, pi_server, clock,
                                                               data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    by_mail = [{"contacts": [SARI], "channels": ["email"]}]
    make_alarm(admin, plant, recipients=by_mail)
    make_alarm(admin, plant, "Drum level", "DRUM.LEVEL", high=80.0, units="%",
               recipients=by_mail)
    pi_server.add_tag("DRUM.LEVEL", 90.0, units="%")
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await _one_email(bot, pi_server, clock)
    finally:
        await bot.runtime.stop()
    [mail] = smtp_server.received  # a plant upset is one e-mail, not a burst
    assert mail.message["Subject"] == "2 alarm messages"
    body = mail.message.get_content()
    numbers = {e["alarm"]: e["number"] for e in alarms.list_events()}
    for name, number in numbers.items():
        assert f"#{number} {name} HIGH" in body and f"WhatsApp bot: ack {number}" in body


@in_asyncio
async def test_an_email_only_level_is_told_once_not_at_every_cycle(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        _, sent = await raise_alarm(bot, pi_server, clock)
        await bot.engine.send_emails()
        for _ in range(3):  # the alarm stays active: nothing more to tell
            _, later = await minutes_later(bot, clock, 1)
            sent += later
    finally:
        await bot.runtime.stop()
    number = alarms.list_events()[0]["number"]
    assert sent == []  # nothing by WhatsApp
    assert [m.rcpt_tos for m in smtp_server.received] == [[SARI_MAIL]]
    assert [r.recipient for r in email_rows()] == [SARI_MAIL]
    history = alarms.get_event(number)["history"]
    assert not [h for h in history if h["what"] == "unreachable"]


@in_asyncio
async def test_a_locked_database_holds_the_email_queue_not_the_window(
        plant, admin, pi_server, clock, data_dir, smtp_server):
    """Another program holds the database's write lock while an alarm e-mail is due: the
    sender waits for it on a worker thread, so the loop goes on ticking (the window stays
    alive), and the e-mail goes once the lock is gone."""
    addresses(admin)
    mail_connection(admin, smtp_server)
    make_alarm(admin, plant, recipients=[{"contacts": [SARI], "channels": ["email"]}])
    bot = Bot(clock, data_dir)
    await bot.start()
    holder = Holder(data_dir / "app.db")
    ticks_while_waiting = 0
    try:
        await raise_alarm(bot, pi_server, clock)
        holder("lock")
        sending = asyncio.ensure_future(bot.engine.send_emails())
        try:
            # The lock is let go by the loop itself, after 30 turns of it: with the sender
            # holding the loop, these turns would never come while it waits.
            while ticks_while_waiting < 30 and not sending.done():
                await asyncio.sleep(0.01)
                ticks_while_waiting += 1
            assert smtp_server.received == []
        finally:
            holder("unlock")
        assert await sending == 1
    finally:
        holder.close()
        await bot.runtime.stop()
    assert ticks_while_waiting == 30
    assert [m.rcpt_tos for m in smtp_server.received] == [[SARI_MAIL]]
    assert [r.status for r in email_rows()] == ["sent"]
