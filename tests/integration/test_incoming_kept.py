"""Every incoming message is kept and decided: any text, a database that is locked by another
process or full, a message WhatsApp delivers again; and what strangers may cost."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from peewee import SQL

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.core.messages import Incoming
from app.db.models import Contact, Message, database_proxy
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, messages, strangers, wa_status, writable
from tests.integration.test_outbox_locked import Holder

ROOT = Path(__file__).resolve().parents[2]
BUDI = "+6281234567890"
BUDI_JID = "6281234567890@s.whatsapp.net"


def run_bot(data_dir, script):
    async def main():
        bridge = LoopbackBridge()
        runtime = build_bot(bridge, SourcePool(), data_dir / "media",
                             throttle=lambda: Throttle(0, 0, 10**6, 10**6))
        await runtime.start()
        try:
            await script(bridge, runtime)
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return bridge

    return asyncio.run(main())


def approved(admin):
    contacts.save_from_file(admin, phone=BUDI, name="Budi", jid=None, allowed=True, tags=None)


async def _until(predicate, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def incoming() -> list[Message]:
    return list(Message.select().where(Message.type == "incoming").order_by(SQL("rowid")))


def test_a_lone_surrogate_and_nul_are_stored_visibly_and_the_message_is_answered(
        db, admin, data_dir):
    approved(admin)
    text = "demo \udcff\x00 end"

    async def script(bridge, runtime):
        await bridge.inject(text, sender=BUDI, name="Bu\udcffdi")

    bridge = run_bot(data_dir, script)
    [row] = incoming()
    assert row.content == "demo \ufffd\ufffd end" and row.original_length == len(text)
    assert row.status not in ("received", None)
    assert len(bridge.sent) == 1 and bridge.sent[0].text  # an answer, not silence


def test_simulate_with_invalid_utf8_exits_0_and_prints_the_reply(tmp_path):
    data = tmp_path / "data"
    argv = [sys.executable.encode(), b"main.py", b"--data-dir", str(data).encode(),
            b"simulate", b"--sender", b"+628111000222", b"halo \xff\xfe there"]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert "not authorised" in done.stdout.decode()
    conn = sqlite3.connect(data / "app.db")
    try:
        rows = conn.execute("SELECT content, original_length, status FROM messages "
                            "WHERE type = 'incoming'").fetchall()
    finally:
        conn.close()
    assert rows == [("halo \ufffd\ufffd there", 13, "waiting")]


def test_status_newsletter_broadcast_and_malformed_senders_leave_nothing_stored(
        db, data_dir):
    async def script(bridge, runtime):
        await bridge.inject("status", sender="status@broadcast")
        await bridge.inject("news", sender="120363000000000001@newsletter")
        await bridge.inject("list", sender="1600000000@broadcast")
        await bridge.inject("empty lid", sender="@lid")
        await bridge.inject("letters", sender="budi@s.whatsapp.net")
        await bridge.inject("nowhere", sender="628111@example.com")
        await bridge.inject("bad group", sender=BUDI, chat="@g.us", is_group=True,
                            mentioned=True)
        await bridge.inject("hello", sender=BUDI)  # a real person still counts

    bridge = run_bot(data_dir, script)
    assert [m.content for m in incoming()] == ["hello"]
    assert [c.id for c in Contact.select()] == [BUDI_JID]
    assert [s.to for s in bridge.sent] == [BUDI_JID]


def test_strangers_create_a_few_contacts_an_hour_and_the_rest_are_counted(
        db, data_dir, monkeypatch):
    monkeypatch.setattr(strangers, "CONTACTS_PER_HOUR", 3)

    async def script(bridge, runtime):
        for n in range(7):
            await bridge.inject("x" * 5000, sender=f"+62811000{n:04d}")

    bridge = run_bot(data_dir, script)
    assert Contact.select().count() == 3
    assert strangers.counts() == (3, 4)
    rows = incoming()
    assert len(rows) == 3
    assert all(len(r.content) == 201 and r.original_length == 5000 for r in rows)
    assert len(bridge.sent) == 3  # each admitted stranger hears once that they wait


def test_a_message_delivered_again_is_answered_once_also_after_a_crash_before_finishing(
        db, admin, data_dir):
    approved(admin)

    async def script(bridge, runtime):
        await bridge.inject("demo", sender=BUDI, message_id="AAAA0001")
        await bridge.inject("demo", sender=BUDI, message_id="AAAA0001")  # a redelivery
        # The app died after recording the next message and before deciding it: nothing was
        # queued for it (the replies and the decision commit together), so WhatsApp's
        # redelivery is answered, once.
        budi = contacts.find_contact(BUDI)["id"]
        messages.record_incoming(Incoming("demo 2", message_id="BBBB0002", sender=BUDI_JID,
                                          chat=BUDI_JID), budi, channel="simulator")
        await bridge.inject("demo 2", sender=BUDI, message_id="BBBB0002")
        await bridge.inject("demo 2", sender=BUDI, message_id="BBBB0002")

    bridge = run_bot(data_dir, script)
    assert len(bridge.sent) == 2
    assert {m.id: m.status for m in incoming()} == {"AAAA0001": "answered",
                                                    "BBBB0002": "answered_with_error"}


def test_a_database_locked_by_another_process_keeps_the_messages_and_answers_them_later(
        db, admin, data_dir, caplog):
    approved(admin)
    holder = Holder(data_dir / "app.db")
    seen: dict[str, object] = {}

    async def script(bridge, runtime):
        database_proxy.execute_sql("PRAGMA busy_timeout = 300")  # the test's patience, not 5 s
        holder("lock")
        try:
            for n in range(3):
                await bridge.inject(f"demo {n}" if n else "demo", sender=BUDI,
                                    message_id=f"LOCK{n}")
            seen["flag"] = wa_status.get()["database_not_writable"]
            seen["sent while locked"] = len(bridge.sent)
        finally:
            holder("unlock")
        await _until(lambda: len(bridge.sent) == 3)
        await _until(lambda: writable.incoming_refusal() is None)

    try:
        bridge = run_bot(data_dir, script)
    finally:
        holder.close()
    assert seen["sent while locked"] == 0
    assert "another program holds its lock" in str(seen["flag"])
    assert wa_status.get()["database_not_writable"] is None
    assert [m.id for m in incoming()] == ["LOCK0", "LOCK1", "LOCK2"]
    # Each in turn, none lost ("demo 1" is answered with the trigger's own refusal).
    assert [m.status for m in incoming()] == ["answered", "answered_with_error",
                                              "answered_with_error"]
    assert len(bridge.sent) == 3
    assert any("wait in memory" in r.getMessage() for r in caplog.records)
    assert not any(r.exc_info for r in caplog.records)


def test_a_full_database_keeps_the_messages_and_answers_them_when_there_is_room(
        db, admin, data_dir):
    approved(admin)
    seen: dict[str, object] = {}

    async def script(bridge, runtime):
        (pages,) = database_proxy.execute_sql("PRAGMA page_count").fetchone()
        database_proxy.execute_sql(f"PRAGMA max_page_count = {pages}")  # SQLite: disk full
        await bridge.inject("demo " + "y" * 20000, sender=BUDI, message_id="FULL0")
        await bridge.inject("demo", sender=BUDI, message_id="FULL1")
        seen["flag"] = writable.incoming_refusal()
        seen["sent"] = len(bridge.sent)
        database_proxy.execute_sql("PRAGMA max_page_count = 1073741823")
        await _until(lambda: len(bridge.sent) == 2)

    bridge = run_bot(data_dir, script)
    assert seen["sent"] == 0 and seen["flag"] == "The database cannot be written: the disk is full."
    assert {m.id: m.status for m in incoming()} == {"FULL0": "too_long", "FULL1": "answered"}
    assert writable.incoming_refusal() is None and len(bridge.sent) == 2
