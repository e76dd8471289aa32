"""Messages that arrive while another process holds the database locked: all recorded and
answered once when it is released, in the order they came; and those still waiting when the
bot stops are kept in a file the next start records and answers."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import stat
import time

from peewee import SQL

from app.bridge.base import BridgeState
from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.db.database import close_database, open_database
from app.db.models import Message, OutgoingMessage
from app.runtime import bot as runtime_bot
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, settings, spill, wa_status, writable
from tests.integration.test_outbox_locked import Holder

BUDI = "+6281234567890"
BUDI_JID = "6281234567890@s.whatsapp.net"
STRANGER = "+6289999000111"


def _bot(data_dir):
    return build_bot(LoopbackBridge(), SourcePool(), data_dir / "media",
                     throttle=lambda: Throttle(0, 0, 10**6, 10**6))


async def _until(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def _incoming() -> list[Message]:
    return list(Message.select().where(Message.type == "incoming").order_by(SQL("rowid")))


def _rows_seen_by_another_reader(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM messages WHERE type = 'incoming'").fetchone()[0]
    finally:
        conn.close()


def _setup(admin):
    contacts.save_from_file(admin, phone=BUDI, name="Budi", jid=None, allowed=True, tags=None)
    # Budi asks often in this test; the spam rule is not what is tested.
    settings.update(admin, {"spam": {"max_commands": 100, "repeat_window_s": 5}})


def test_messages_during_a_lock_are_recorded_and_answered_once_in_order_when_it_goes(
        db, admin, data_dir):
    _setup(admin)
    holder = Holder(data_dir / "app.db")
    texts = [f"demo {n}" if n else "demo" for n in range(5)]
    seen: dict[str, object] = {}

    async def main():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()
        try:
            # Budi is known and up to date: the first write of the next message is its own row,
            # which SQLite would make wait its whole busy timeout (5 s, not lowered here).
            await bridge.inject("hello", sender=BUDI, message_id="WARM")
            await _until(lambda: len(bridge.sent) == 1)
            await runtime.outbox.drain()  # its send recorded, so it is not sent again
            holder("lock")
            try:
                for n, text in enumerate(texts):
                    await bridge.inject(text, sender=BUDI, message_id=f"LOCK{n}")
                seen["sent while locked"] = len(bridge.sent) - 1
                seen["rows while locked"] = _rows_seen_by_another_reader(data_dir / "app.db")
                seen["waiting"] = writable.incoming_waiting()
            finally:
                holder("unlock")
            await _until(lambda: len(bridge.sent) == 1 + len(texts))
            await _until(lambda: writable.incoming_refusal() is None)
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return bridge

    try:
        bridge = asyncio.run(main())
    finally:
        holder.close()
    assert seen == {"sent while locked": 0, "rows while locked": 1, "waiting": len(texts)}
    rows = _incoming()
    assert [m.id for m in rows] == ["WARM"] + [f"LOCK{n}" for n in range(5)]
    assert [m.content for m in rows[1:]] == texts
    assert [m.status for m in rows] == ["unknown_command", "answered"] + ["answered_with_error"] * 4
    # One answer each, in the order the messages came ("demo 1".. answer with the trigger's
    # own refusal of an argument, which names it).
    answers = bridge.sent[1:]
    assert len(answers) == len(texts) and all(s.to == BUDI_JID for s in answers)
    queued = OutgoingMessage.select().order_by(OutgoingMessage.id)
    assert [(o.reply_to, o.status) for o in queued] == [
        (m.id, "sent") for m in rows]  # each answered once, in the order they came
    assert writable.incoming_waiting() == 0


def test_a_burst_met_by_a_lock_that_goes_half_way_is_recorded_in_the_order_it_came(
        db, admin, data_dir):
    # Messages that wait together are recorded in one transaction; when the other program's
    # lock refuses it, none of them is recorded before one that came first, and once the
    # lock goes every message is recorded once, in the order it came, and answered once.
    senders = [f"+62812340000{n}" for n in range(4)]
    for phone in senders:
        contacts.save_from_file(admin, phone=phone, name=phone, jid=None, allowed=True,
                                tags=None)
    settings.update(admin, {"spam": {"max_commands": 100, "repeat_window_s": 0}})
    holder = Holder(data_dir / "app.db")
    order = [(f"B{n:02d}", senders[n % 4]) for n in range(40)]

    async def main():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()
        try:
            for phone in senders:  # each known and up to date
                await bridge.inject("hello", sender=phone, message_id=f"W{phone}")
            await runtime.outbox.drain()
            holder("lock")
            try:
                first = [asyncio.create_task(bridge.inject("demo", sender=phone, message_id=i))
                         for i, phone in order[:20]]
                await _until(lambda: writable.incoming_waiting() >= 5)
            finally:
                holder("unlock")
            rest = [asyncio.create_task(bridge.inject("demo", sender=phone, message_id=i))
                    for i, phone in order[20:]]
            await asyncio.gather(*first, *rest)
            await _until(lambda: writable.incoming_waiting() == 0)
            await _until(lambda: len(bridge.sent) == 4 + len(order))
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return [s.to for s in bridge.sent[4:]]

    try:
        told = asyncio.run(main())
    finally:
        holder.close()
    assert sorted(told) == sorted(f"{p[1:]}@s.whatsapp.net" for _, p in order)
    rows = [m for m in _incoming() if m.id.startswith("B")]
    assert [m.id for m in rows] == [i for i, _ in order]
    assert {m.status for m in rows} == {"answered"}
    replies = [o.reply_to for o in OutgoingMessage.select().where(
        OutgoingMessage.reply_to.startswith("B")).order_by(OutgoingMessage.id)]
    assert sorted(replies) == [i for i, _ in order]  # one each
    for phone in senders:  # and each chat's in the order asked
        asked = [i for i, p in order if p == phone]
        assert [r for r in replies if r in asked] == asked


def _kept(data_dir) -> dict:
    return json.loads((data_dir / "incoming-waiting-whatsapp.json").read_text("utf-8"))


def test_messages_still_waiting_at_stop_are_kept_in_a_file_and_answered_at_the_next_start(
        db, admin, data_dir, monkeypatch):
    _setup(admin)
    monkeypatch.setattr(runtime_bot, "STOP_WAIT_S", 0.5)  # the bounded wait at stop, shorter
    holder = Holder(data_dir / "app.db")
    long_text = "x" * 5000

    async def first_run():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()
        await bridge.inject("hello", sender=BUDI, message_id="WARM")
        await _until(lambda: len(bridge.sent) == 1)
        await runtime.outbox.drain()  # its send recorded, so it is not sent again
        holder("lock")
        await bridge.inject("demo", sender=BUDI, message_id="KEPT0")
        await bridge.inject("demo 1 " + "y" * 3000, sender=BUDI, message_id="KEPT1")
        await bridge.inject(long_text, sender=STRANGER, message_id="KEPT2")
        await runtime.stop()  # still locked: the three go to the file
        return bridge

    try:
        bridge = asyncio.run(first_run())
        rows_while_locked = _rows_seen_by_another_reader(data_dir / "app.db")
    finally:
        holder("unlock")
        holder.close()
    assert len(bridge.sent) == 1 and rows_while_locked == 1
    file = data_dir / "incoming-waiting-whatsapp.json"
    assert stat.S_IMODE(os.stat(file).st_mode) == 0o600
    kept = _kept(data_dir)["messages"]
    assert [m["message_id"] for m in kept] == ["KEPT0", "KEPT1", "KEPT2"]
    assert kept[1]["text"] == "demo 1 " + "y" * 3000  # Budi may get data: all of it
    # A stranger's text is kept as the row would keep it: an excerpt, and its length.
    assert len(kept[2]["text"]) == 201 and kept[2]["original_length"] == 5000
    assert long_text not in file.read_text("utf-8")
    left_behind = file.read_bytes()

    # The restart: the database opened again, a new bot; a new message comes at once.
    close_database(db.db)
    open_database(data_dir / "app.db", data_dir / "backups")

    async def second_run():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()
        try:
            await bridge.inject("good morning", sender=BUDI, message_id="AFTER")
            await _until(lambda: not file.exists())
            await _until(lambda: writable.incoming_waiting() == 0 and not runtime._waiting)
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return bridge

    bridge = asyncio.run(second_run())
    rows = {m.id: m for m in _incoming()}
    assert list(rows) == ["WARM", "KEPT0", "KEPT1", "KEPT2", "AFTER"]
    assert rows["KEPT0"].status == "answered" and rows["AFTER"].status == "unknown_command"
    assert rows["KEPT1"].status == "too_long"
    assert rows["KEPT2"].status not in ("received", None)
    assert rows["KEPT2"].original_length == 5000 and len(rows["KEPT2"].content) == 201
    stranger = contacts.find_contact(STRANGER)["id"]
    # In the order they came, the new one last: Budi's answer, Budi's "too long", the stranger
    # hears that he is not allowed, then the message that came after the restart.
    assert [s.to for s in bridge.sent] == [BUDI_JID, BUDI_JID, stranger, BUDI_JID]
    assert "too long" in bridge.sent[1].text and "not auth" in bridge.sent[2].text
    assert not file.exists()

    # A crash after recording them and before the file went: the next start answers none
    # of them again.
    file.write_bytes(left_behind)

    async def third_run():
        runtime = _bot(data_dir)
        await runtime.start()
        try:
            await _until(lambda: not file.exists())
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return runtime.bridge

    assert asyncio.run(third_run()).sent == []
    assert len(_incoming()) == 5


def test_a_lock_that_goes_while_the_bot_stops_gets_the_waiting_messages_recorded(
        db, admin, data_dir, monkeypatch):
    _setup(admin)
    monkeypatch.setattr(runtime_bot, "STOP_WAIT_S", 1.0)
    holder = Holder(data_dir / "app.db")

    async def main():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()
        await bridge.inject("hello", sender=BUDI, message_id="WARM")
        await _until(lambda: len(bridge.sent) == 1)
        await runtime.outbox.drain()
        holder("lock")
        try:
            await bridge.inject("demo", sender=BUDI, message_id="LATE")
            await asyncio.sleep(2.0)  # the retries back off: the next one is due in 1.6 s
        finally:
            holder("unlock")
        await runtime.stop()  # tries again at once, not after the pause it was in

    try:
        asyncio.run(main())
    finally:
        holder.close()
    assert not spill.path("whatsapp").exists()
    assert [(m.id, m.status) for m in _incoming()] == [("WARM", "unknown_command"),
                                                       ("LATE", "answered")]
    assert OutgoingMessage.select().where(OutgoingMessage.reply_to == "LATE").count() == 1


def test_whatsapps_state_met_by_a_lock_is_shown_once_the_lock_goes(db, data_dir):
    holder = Holder(data_dir / "app.db")

    async def main():
        runtime = _bot(data_dir)
        await runtime.start()
        try:
            holder("lock")
            try:
                await runtime.bridge.set_state(BridgeState.RECONNECTING, "The network dropped.")
                seen = wa_status.get()["state"]
            finally:
                holder("unlock")
            await _until(lambda: wa_status.get()["state"] == "reconnecting")
            detail = wa_status.get()["detail"]
        finally:
            await runtime.stop()
        return seen, detail

    try:
        seen_while_locked, detail = asyncio.run(main())
    finally:
        holder.close()
    assert seen_while_locked == "connected"  # the row as it was: the new state waited
    assert detail == "The network dropped."


def test_a_file_cut_short_is_put_aside_and_the_bot_starts(db, data_dir, caplog):
    (data_dir / "incoming-waiting-whatsapp.json").write_text('{"version": 1, "messa', "utf-8")

    async def main():
        runtime = _bot(data_dir)
        await runtime.start()
        await runtime.stop()

    asyncio.run(main())
    assert not spill.path("whatsapp").exists()
    assert (data_dir / "incoming-waiting-whatsapp.json.unreadable").exists()
    assert any("cannot be read" in r.getMessage() for r in caplog.records)
