"""The Messages tab shows the bot's e-mails beside its WhatsApp messages, and says in words why
each message was sent. The messages go out for real: WhatsApp ones over the loopback bridge,
e-mails through the alarm engine's sender to a mail server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMessageBox

from app.db.models import AuditLog
from app.services import email_queue, outbox, sources
from app.ui.tabs.messages_tab import LOG_COLUMNS, OUTBOX_COLUMNS, MessagesTab
from tests.helpers.alarms import Bot
from tests.helpers.clock import Clock
from tests.helpers.waiting import until
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

PHONE = "6281111111111@s.whatsapp.net"
SARI_MAIL, TONO_MAIL, OPS_MAIL = ("sari@plant.example.com", "tono@plant.example.com",
                                  "ops@plant.example.com")
# Every kind the app queues, by WhatsApp, and the words a person reads for it.
WHATSAPP_KINDS = {
    "reply": "reply",
    "notice": "notice",
    "alarm": "alarm",
    "alarm_ack": "acknowledgement told to the others",
    "schedule": "scheduled report",
    "manual": "typed in Compose",
    "manual_send": "typed by a user",  # the old system's rows
    "auto_warning": "automatic warning",
}
# ... and by e-mail: (kind, address) → words.
EMAIL_KINDS = {
    ("alarm", SARI_MAIL): "alarm by e-mail",
    ("schedule", SARI_MAIL): "scheduled report by e-mail",
    ("health", OPS_MAIL): "the bot's health alarm by e-mail",
    ("alarm", TONO_MAIL): "alarm by e-mail",  # the mail server refuses Tono
}


def column(model, columns, title: str) -> list[str]:
    at = [c.title for c in columns].index(title)
    return [model.index(r, at).data() for r in range(model.rowCount())]


def table(model, columns, *titles: str) -> list[tuple[str, ...]]:
    return list(zip(*(column(model, columns, t) for t in titles), strict=True))


async def test_emails_and_every_kind_in_words_in_the_log_and_the_outbox(ui_ctx, data_dir,
                                                                        qtbot):
    clock = Clock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    with SmtpServer(refuse=(TONO_MAIL,)) as server:
        sources.save_source(ui_ctx.actor, None, name="Plant mail", plugin="email",
                            active=True, config=server.config())
        bot = Bot(clock, data_dir)
        await bot.start()
        try:
            for kind in WHATSAPP_KINDS:
                outbox.enqueue(PHONE, f"WhatsApp {kind}", kind=kind)
            for kind, address in EMAIL_KINDS:
                email_queue.enqueue_email(address, f"Subject {kind} to {address}",
                                          f"Body {kind}", kind=kind)
            await bot.sent()
            await bot.engine.send_emails()
        finally:
            await bot.runtime.stop()
    assert sorted(m.rcpt_tos[0] for m in server.received) == [OPS_MAIL, SARI_MAIL, SARI_MAIL]

    tab = MessagesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    log = table(tab.log.model, LOG_COLUMNS, "From/To", "Text", "Status", "Why")
    assert sorted(why for to, _text, _status, why in log if to == "+62 811-1111-1111") == \
        sorted(WHATSAPP_KINDS.values())
    shown = {(to, text): (status, why) for to, text, status, why in log
             if not to.startswith("+62")}
    assert shown == {(address, f"Subject {kind} to {address}"): (
        "Failed" if address == TONO_MAIL else "Sent", words)
        for (kind, address), words in EMAIL_KINDS.items()}
    # The mail server's sentence for the refused one, as the Status cell's tooltip.
    at = next(i for i, row in enumerate(log) if row[0] == TONO_MAIL)
    status_column = [c.title for c in LOG_COLUMNS].index("Status")
    tooltip = tab.log.model.index(at, status_column).data(3)  # Qt.ToolTipRole
    assert f"refused the recipient {TONO_MAIL} (550 5.1.1" in tooltip
    # An e-mail has no phone to report delivered or read.
    phone = dict(zip(column(tab.log.model, LOG_COLUMNS, "From/To"),
                     column(tab.log.model, LOG_COLUMNS, "Phone reported"), strict=True))
    assert phone[SARI_MAIL] == "" and phone["+62 811-1111-1111"] == "not delivered yet"

    tab.pages.setCurrentWidget(tab.outbox)
    total = len(WHATSAPP_KINDS) + len(EMAIL_KINDS)
    await until(lambda: tab.outbox.model.rowCount() == total, what="the outbox page")
    rows = table(tab.outbox.model, OUTBOX_COLUMNS, "To", "Text", "Status", "Attempts", "Error",
                 "Why")
    mails = {(to, text): (status, attempts, why) for to, text, status, attempts, _e, why in rows
             if to.endswith("(e-mail)")}
    assert mails == {(f"{address} (e-mail)", f"Subject {kind} to {address}"): (
        "Failed" if address == TONO_MAIL else "Sent", "1", words)
        for (kind, address), words in EMAIL_KINDS.items()}
    [refused] = [error for to, *_rest, error, _why in rows if to.startswith(TONO_MAIL)]
    assert f"refused the recipient {TONO_MAIL} (550 5.1.1" in refused
    assert sorted(why for to, *_rest, why in rows if to == "+62 811-1111-1111") == \
        sorted(WHATSAPP_KINDS.values())


async def test_a_waiting_email_cancelled_from_the_outbox_is_not_sent_and_is_audited(
        ui_ctx, data_dir, qtbot, smtp_server):
    clock = Clock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    sources.save_source(ui_ctx.actor, None, name="Plant mail", plugin="email", active=True,
                        config=smtp_server.config())
    outbox_id = email_queue.enqueue_email(SARI_MAIL, "Alarm #7: Drum pressure", "HIGH",
                                          kind="alarm")
    tab = MessagesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.pages.setCurrentWidget(tab.outbox)
    await until(lambda: tab.outbox.model.rowCount() == 1, what="the outbox page")
    assert column(tab.outbox.model, OUTBOX_COLUMNS, "Status") == ["Waiting to send"]
    tab.outbox.view.selectRow(0)
    assert tab.outbox.cancel_button.isEnabled()
    tab.outbox.cancel_button.click()
    [box] = [w for w in tab.outbox.findChildren(QMessageBox) if w.isVisible()]
    box.button(QMessageBox.StandardButton.Yes).click()
    await until(lambda: column(tab.outbox.model, OUTBOX_COLUMNS, "Status") == ["Cancelled"],
                what="the outbox to show it cancelled")

    bot = Bot(clock, data_dir)
    await bot.start()
    try:
        await bot.engine.send_emails()
        clock.advance(hours=1)
        await bot.engine.send_emails()
    finally:
        await bot.runtime.stop()
    assert smtp_server.received == []
    assert outbox.get_outgoing(outbox_id)["cancelled_by"] == "admin"
    entry = AuditLog.select().where(AuditLog.action == "message_cancelled").get()
    assert (entry.details["outbox_id"], entry.details["recipient"],
            entry.details["medium"]) == (outbox_id, SARI_MAIL, "email")
