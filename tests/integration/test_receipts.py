"""Receipts as a plant engineer meets them: each message the bot sent says whether the phone got
it and whether the person read it, through the loopback bridge's simulated phones."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.bridge.loopback import LoopbackBridge, Phone
from app.composition import Parts, build_bot
from app.core.messages import Receipt, ReceiptKind
from app.db import migrations
from app.db.database import close_database, open_database
from app.db.models import OutgoingMessage
from app.runtime.receipts import ReceiptRecorder
from app.runtime.source_pool import SourcePool
from app.services import alarms, outbox, receipts
from tests.helpers.alarms import BUDI, SARI, TONO, Bot, in_asyncio, make_alarm, no_wait
from tests.helpers.waiting import until

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "databases"
HHMM = r"\d\d:\d\d"


def jid(phone: str) -> str:
    return f"{phone.lstrip('+')}@s.whatsapp.net"


class Phones:
    """The bot over the loopback bridge, each recipient's phone as the test sets it."""

    def __init__(self, data_dir: Path) -> None:
        self.bridge = LoopbackBridge(phone=Phone.NEVER)
        self.runtime = build_bot(self.bridge, SourcePool(), data_dir / "media",
                                 throttle=no_wait)

    async def send(self, to: str, text: str) -> tuple[int, str]:
        """Queue a message, let the outbox send it; its row and WhatsApp's id."""
        row = outbox.enqueue(to, text, kind="manual")
        await self.runtime.outbox.drain()
        return row, OutgoingMessage.get_by_id(row).whatsapp_id


def stored(row: int) -> receipts.Delivery:
    found = receipts.delivery(row)
    assert found is not None
    return found


@in_asyncio
async def test_each_phone_reports_what_it_did_and_the_row_says_so(db, data_dir):
    bot = Phones(data_dir)
    bot.bridge.set_phone(SARI, "read")
    bot.bridge.set_phone(BUDI, "delivered")
    bot.bridge.set_phone(TONO, "never")
    await bot.runtime.start()
    try:
        sari, _ = await bot.send(SARI, "Drum pressure is 44 bar")
        budi, _ = await bot.send(BUDI, "Drum pressure is 44 bar")
        tono, _ = await bot.send(TONO, "Drum pressure is 44 bar")
        await bot.bridge.receipts_reported()
        await until(lambda: stored(sari).read_at is not None
                    and stored(budi).delivered_at is not None, what="the phones' receipts")
    finally:
        await bot.runtime.stop()
    read, delivered, never = stored(sari), stored(budi), stored(tono)
    assert read.sent_at <= read.delivered_at <= read.read_at and read.played_at is None
    assert re.fullmatch(f"delivered to Sari {HHMM}, read {HHMM}", read.sentence("Sari"))
    assert delivered.delivered_at is not None and delivered.read_at is None
    # The outbox's own listing carries the same times.
    listed = outbox.get_outgoing(budi)
    assert (listed["delivered_at"], listed["read_at"]) == (delivered.delivered_at, None)
    assert re.fullmatch(f"delivered {HHMM}", delivered.sentence())
    assert never.delivered_at is None and never.read_at is None
    assert re.fullmatch(f"sent {HHMM}, not delivered yet", never.sentence())
    # Only phones that received something reported: Tono's never did.
    assert {r.chat for r in bot.bridge.receipts} == {jid(SARI), jid(BUDI)}


@in_asyncio
async def test_the_simulators_phones_read_what_they_get(db, data_dir):
    parts = Parts(data_dir)
    bridge = parts.loopback_bridge()
    runtime = parts.simulator_bot(bridge)
    await runtime.start()
    try:
        row = outbox.enqueue(BUDI, "Drum pressure is 44 bar", kind="reply", channel="simulator")
        await runtime.outbox.drain()
        await until(lambda: stored(row).read_at is not None, what="the read receipt")
    finally:
        await runtime.stop()
        parts.close()
    assert stored(row).delivered_at is not None


@in_asyncio
async def test_read_before_delivered_counts_as_delivered_at_the_read_time(db, data_dir):
    bot = Phones(data_dir)
    await bot.runtime.start()
    try:
        row, whatsapp_id = await bot.send(SARI, "Feed pump tripped")
        sent = stored(row).sent_at
        read_at = sent + timedelta(minutes=2)
        await bot.bridge.receipt(whatsapp_id, "read", at=read_at)
        assert (stored(row).delivered_at, stored(row).read_at) == (read_at, read_at)
        # The delivery receipt comes after all, with its earlier time: nothing moves back.
        await bot.bridge.receipt(whatsapp_id, "delivered", at=sent + timedelta(minutes=1))
    finally:
        await bot.runtime.stop()
    assert (stored(row).delivered_at, stored(row).read_at) == (read_at, read_at)


@in_asyncio
async def test_duplicate_later_and_older_receipts_never_move_a_time(db, data_dir):
    bot = Phones(data_dir)
    await bot.runtime.start()
    try:
        row, whatsapp_id = await bot.send(BUDI, "Shift report")
        sent = stored(row).sent_at
        delivered = sent + timedelta(minutes=1)
        await bot.bridge.receipt(whatsapp_id, "delivered", at=delivered)
        await bot.bridge.receipt(whatsapp_id, "delivered", at=delivered)
        await bot.bridge.receipt(whatsapp_id, "delivered", at=delivered + timedelta(minutes=9))
        await bot.bridge.receipt(whatsapp_id, "delivered", at=sent - timedelta(minutes=5))
        assert stored(row).delivered_at == delivered
        # A phone whose clock is behind: read "before" it was delivered is read when delivered.
        await bot.bridge.receipt(whatsapp_id, "read", at=delivered - timedelta(seconds=30))
        await bot.bridge.receipt(whatsapp_id, "read", at=delivered + timedelta(minutes=3))
        await bot.bridge.receipt(whatsapp_id, "played", at=delivered + timedelta(minutes=4))
    finally:
        await bot.runtime.stop()
    got = stored(row)
    assert (got.delivered_at, got.read_at) == (delivered, delivered)
    assert got.played_at == delivered + timedelta(minutes=4)


@in_asyncio
async def test_a_receipt_for_a_message_the_app_does_not_know_is_ignored(db, data_dir, caplog):
    bot = Phones(data_dir)
    await bot.runtime.start()
    try:
        row, whatsapp_id = await bot.send(SARI, "Drum level normal")
        before = [r.__data__ for r in OutgoingMessage.select()]
        with caplog.at_level(logging.DEBUG, logger="app.services.receipts"):
            await bot.bridge.receipt("3EB0NOTOURS0000000000", "read", chat=SARI)
        assert [r.__data__ for r in OutgoingMessage.select()] == before
        assert any("did not send" in r.getMessage() and "3EB0NOTOURS" in r.getMessage()
                   and r.levelno == logging.DEBUG for r in caplog.records)
        # One receipt naming an unknown id and a known one: the known one is kept.
        await bot.bridge.receipt(["3EB0NOTOURS0000000000", whatsapp_id], "delivered")
        assert stored(row).delivered_at is not None
        # The bot goes on answering.
        again, _ = await bot.send(SARI, "Still there")
        assert OutgoingMessage.get_by_id(again).status == "sent"
    finally:
        await bot.runtime.stop()
    assert not any(r.levelno >= logging.WARNING for r in caplog.records
                   if r.name.startswith("app."))


@in_asyncio
async def test_a_receipt_that_overtakes_the_record_of_its_send_is_kept(db):
    # WhatsApp's id is recorded a moment after the send returns; the phone may be quicker.
    row = outbox.enqueue(SARI, "Boiler trip", kind="manual")
    recorder = ReceiptRecorder("whatsapp", retry_s=(0.05, 0.05, 5.0))
    at = datetime.now(UTC).replace(microsecond=0)
    await recorder.on_receipt(Receipt(("3EB0EARLY",), ReceiptKind.DELIVERED, at))
    assert recorder.waiting == 1 and stored(row).delivered_at is None
    outbox.mark_sent(row, "3EB0EARLY", at)
    await until(lambda: recorder.waiting == 0, what="the receipt tried again")
    assert stored(row).delivered_at == at


@in_asyncio
async def test_a_simulator_receipt_never_touches_a_real_whatsapp_row(db):
    real = outbox.enqueue(SARI, "Real message", kind="manual")
    outbox.mark_sent(real, "3EB0SAME", datetime.now(UTC))
    await ReceiptRecorder("simulator", retry_s=()).on_receipt(
        Receipt(("3EB0SAME",), ReceiptKind.READ, datetime.now(UTC)))
    assert stored(real).read_at is None


@in_asyncio
async def test_an_alarm_events_history_shows_who_got_it_and_read_it(plant, admin, pi_server,
                                                                    clock, data_dir):
    make_alarm(admin, plant, recipients=[{"contacts": [SARI, TONO]}])
    bot = Bot(clock, data_dir)
    bot.bridge.set_phone(SARI, "read")  # Tono's phone is off: the bridge's default, never
    await bot.start()
    try:
        clock.advance(seconds=10)
        pi_server.add_tag("DRUM.PRESS", 46.2, units="bar")
        await bot.engine.run_cycle()
        assert len(await bot.sent()) == 2
        await bot.bridge.receipts_reported()
        number = alarms.list_events()[0]["number"]
        await until(lambda: any(d.read_at for d in receipts.deliveries_of_event(number)),
                    what="Sari's read receipt")
    finally:
        await bot.runtime.stop()
    told = {d.recipient: d for d in receipts.deliveries_of_event(number)}
    assert set(told) == {jid(SARI), jid(TONO)}
    assert re.fullmatch(f"delivered {HHMM}, read {HHMM}", told[jid(SARI)].sentence())
    assert re.fullmatch(f"sent {HHMM}, not delivered yet", told[jid(TONO)].sentence())
    # With the names the contacts give, as the event's history shows it.
    assert sorted(re.sub(HHMM, "hh:mm", line) for line in receipts.event_receipt_lines(number)) \
        == ["delivered to Sari hh:mm, read hh:mm", "sent to Tono hh:mm, not delivered yet"]
    assert receipts.undelivered_since(datetime.now(UTC) + timedelta(minutes=1),
                                      kind="alarm") == [told[jid(TONO)]]


def test_a_version_7_database_gains_the_receipt_columns_and_keeps_its_rows(tmp_path,
                                                                            data_dir):
    path = tmp_path / "app.db"
    shutil.copyfile(FIXTURES / "plant-v7.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO outgoing_messages (id, recipient, message, type, status, "
                     "sent_at, whatsapp_id, retry_count, created_at) VALUES (501, ?, "
                     "'Drum pressure is 44 bar', 'reply', 'sent', '2026-03-01 10:10:00', "
                     "'3EB0OLD', 0, '2026-03-01 10:10:00')", (jid(SARI),))
    conn.close()
    opened = open_database(path, data_dir / "backups")
    try:
        columns = {r[1] for r in opened.db.execute_sql("PRAGMA table_info(outgoing_messages)")}
        assert {"delivered_at", "read_at", "played_at"} <= columns
        old = stored(501)
        assert old.status == "sent" and old.delivered_at is None and old.read_at is None
        assert old.sentence().startswith("sent ") and old.sentence().endswith("not delivered yet")
        # A receipt for a message sent before the upgrade still finds it.
        late = datetime(2026, 3, 1, 10, 12, tzinfo=UTC)
        assert receipts.record_receipt(Receipt(("3EB0OLD",), ReceiptKind.READ, late)) == []
        assert (stored(501).delivered_at, stored(501).read_at) == (late, late)
    finally:
        close_database(opened.db)


def test_a_database_left_at_version_12_gains_the_receipt_columns(tmp_path, data_dir):
    # The version before the receipts: the columns missing, the version saying 12.
    path = tmp_path / "app.db"
    shutil.copyfile(FIXTURES / "plant-v7.db", path)
    close_database(open_database(path, data_dir / "backups").db)
    with sqlite3.connect(path) as conn:
        for column in ("delivered_at", "read_at", "played_at"):
            conn.execute(f"ALTER TABLE outgoing_messages DROP COLUMN {column}")
        conn.execute("PRAGMA user_version = 12")
    conn.close()
    opened = open_database(path, data_dir / "backups")
    try:
        assert opened.version_before == 12 and opened.version_after == migrations.LATEST
        columns = {r[1] for r in opened.db.execute_sql("PRAGMA table_info(outgoing_messages)")}
        assert {"delivered_at", "read_at", "played_at"} <= columns
    finally:
        close_database(opened.db)
