"""What the outbox does at start with the rows a crash caught mid-send (and migration 9, which
counts the sends cut short before it)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from app.bridge.loopback import LoopbackBridge
from app.db.database import close_database, open_database
from app.runtime.outbox import MAX_INTERRUPTED, Outbox, Throttle
from app.services import outbox as queue
from app.services.outbox_restart import send_again_after_interruption

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
PN = "+628111000001"
FAST = Throttle(0, 0, 10**6, 10**6)


def _sent_after_recover(channel: str = "whatsapp") -> tuple[int, list[str]]:
    async def run():
        bridge = LoopbackBridge()
        outbox = Outbox(bridge, throttle=lambda: FAST, channel=channel)
        caught = outbox.recover()
        await bridge.start()
        await outbox.drain(timeout=10)
        return caught, [item.text for item in bridge.sent]

    return asyncio.run(run())


def test_a_send_cut_short_goes_again_first_and_says_it_may_be_a_repeat(db, caplog):
    cut = queue.enqueue(PN, "caught mid-send")
    queue.enqueue(PN, "still waiting")
    queue.mark_in_flight(cut, T0)
    with caplog.at_level("WARNING", logger="app.runtime.outbox"):
        caught, sent = _sent_after_recover()
    # The log says it goes again and may be a repeat, not that it was given up.
    said = [r.getMessage() for r in caplog.records]
    assert any("sent again and may reach their recipient twice" in m for m in said), said
    assert not any("not sent again" in m for m in said), said
    assert caught == 1 and sent == ["caught mid-send", "still waiting"]
    row = queue.get_outgoing(cut)
    assert row["status"] == "sent" and row["interrupted_sends"] == 1
    assert row["retry_count"] == 0 and row["error_message"] == queue.MAY_REPEAT_TEXT
    assert queue.get_outgoing(cut + 1)["interrupted_sends"] == 0


def test_a_send_whatsapp_confirmed_is_not_sent_again(db):
    confirmed = queue.enqueue(PN, "WhatsApp has it")
    queue.mark_in_flight(confirmed, T0)
    queue.OutgoingMessage.update(whatsapp_id="3EB0CONFIRMED").where(
        queue.OutgoingMessage.id == confirmed).execute()
    caught, sent = _sent_after_recover()
    assert caught == 1 and sent == []
    row = queue.get_outgoing(confirmed)
    assert row["status"] == "sent" and row["whatsapp_id"] == "3EB0CONFIRMED"


def test_a_row_cut_short_again_and_again_is_given_up_with_a_sentence(db, caplog):
    poison = queue.enqueue(PN, "stops the app each time")
    for _ in range(MAX_INTERRUPTED - 1):
        queue.mark_in_flight(poison, T0)
        assert send_again_after_interruption(poison, MAX_INTERRUPTED) == "again"
    queue.mark_in_flight(poison, T0)
    with caplog.at_level("WARNING", logger="app.runtime.outbox"):
        caught, sent = _sent_after_recover()
    assert caught == 1 and sent == []
    given_up = f"Message #{poison}: sending it was cut short {MAX_INTERRUPTED} times; not sent"
    assert sum(r.getMessage().startswith(given_up) for r in caplog.records) == 1
    row = queue.get_outgoing(poison)
    assert row["status"] == "failed" and row["interrupted_sends"] == MAX_INTERRUPTED
    assert row["error_message"].startswith("Not sent again automatically: sending it was cut "
                                           f"short {MAX_INTERRUPTED} times")
    assert not row["in_flight"]


def test_recover_touches_only_its_own_channel(db):
    other = queue.enqueue(PN, "the simulator's", kind=queue.channel_kind("simulator", "reply"))
    queue.mark_in_flight(other, T0)
    caught, sent = _sent_after_recover("whatsapp")
    assert caught == 0 and sent == []
    assert queue.get_outgoing(other)["in_flight"]


def test_migration_9_counts_the_sends_version_8_failed_as_interrupted(db, data_dir):
    path = Path(db.path)
    close_database(db.db)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE outgoing_messages DROP COLUMN interrupted_sends")
    old_text = ("Interrupted while sending (the app stopped). It was not sent again, so nobody "
                "gets it twice; press Retry in Messages if it did not arrive.")
    conn.executemany("INSERT INTO outgoing_messages (id, recipient, message, status, "
                     "error_message) VALUES (?, ?, ?, ?, ?)",
                     [(1, PN, "caught", "failed", old_text), (2, PN, "refused", "failed",
                                                              "WhatsApp refused it."),
                      (3, PN, "fine", "sent", None)])
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    reopened = open_database(path, data_dir / "backups")
    try:
        assert reopened.version_after >= 9
        counts = {r["id"]: r["interrupted_sends"] for r in queue.outbox_page(None, None, 10)}
        assert counts == {1: 1, 2: 0, 3: 0}
        assert queue.get_outgoing(1)["status"] == "failed"  # still waits for a person's Retry
    finally:
        close_database(reopened.db)
