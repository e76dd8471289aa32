"""The outbox as WhatsApp users meet it: paced, retried, paused, and never losing a reply."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bridge.base import BridgeState
from app.bridge.loopback import LoopbackBridge
from app.db.models import OutgoingMessage
from app.runtime.outbox import Outbox, Throttle
from app.services import messages

ROOT = Path(__file__).resolve().parents[2]
FAST = Throttle(0, 0, 10**6, 10**6)


def rows() -> dict[str, OutgoingMessage]:
    return {r.message: r for r in OutgoingMessage.select()}


async def until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def test_replies_are_paced_with_a_gap_and_a_per_chat_cap(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: Throttle(0.2, 0.1, 3, 100))
        for n in range(4):
            messages.enqueue("+628111000001", f"reply {n}")
        messages.enqueue("+628111000002", "other chat")
        outbox.start()
        await until(lambda: len(bridge.sent) == 4)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    gaps = [(b.at - a.at).total_seconds() for a, b in zip(sent, sent[1:], strict=False)]
    assert all(gap >= 0.19 for gap in gaps), gaps
    # Three per minute to one chat: the fourth waits, so the other chat goes before it.
    assert [s.text for s in sent] == ["reply 0", "reply 1", "reply 2", "other chat"]
    assert rows()["reply 3"].status == "pending"


@pytest.mark.parametrize("failures", [2, 100])
def test_a_failing_send_is_retried_with_backoff_then_failed_with_the_reason(db, failures):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST, backoff_first_s=0.05)
        messages.enqueue("+628111000001", "flaky")
        bridge.fail_next(failures)
        outbox.start()
        await until(lambda: rows()["flaky"].status != "pending", timeout=30)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    row = rows()["flaky"]
    if failures == 2:
        assert row.status == "sent" and row.retry_count == 2 and len(sent) == 1
    else:
        assert row.status == "failed" and sent == []
        assert row.error_message.startswith("Gave up after 5 tries: WhatsApp refused")
        assert row.in_flight_since is None


def test_a_refusal_that_cannot_heal_fails_at_once(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        messages.enqueue("+628111000001", "no such number")
        bridge.fail_next(1, retry=False)
        outbox.start()
        await until(lambda: rows()["no such number"].status == "failed")
        await outbox.stop()

    asyncio.run(run())
    assert rows()["no such number"].retry_count == 0


def test_a_ban_pauses_sending_without_spending_retries(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        await bridge.set_state(BridgeState.BANNED, "Temporarily banned")
        outbox = Outbox(bridge, throttle=lambda: FAST)
        messages.enqueue("+628111000001", "after the ban")
        outbox.start()
        await asyncio.sleep(0.5)
        assert bridge.sent == [] and rows()["after the ban"].retry_count == 0
        await bridge.set_state(BridgeState.CONNECTED)
        outbox.wake()
        await until(lambda: len(bridge.sent) == 1)
        await outbox.stop()

    asyncio.run(run())
    assert rows()["after the ban"].status == "sent"


def test_losing_the_connection_mid_send_waits_and_sends_once_it_is_back(db):
    async def run():
        bridge = LoopbackBridge(send_delay_s=0.3)
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        messages.enqueue("+628111000001", "through a reconnect")
        outbox.start()
        await until(lambda: outbox.sending_id is not None)
        bridge.fail_next(1)
        await bridge.set_state(BridgeState.RECONNECTING)
        await asyncio.sleep(0.6)
        assert rows()["through a reconnect"].status == "pending"
        await bridge.set_state(BridgeState.CONNECTED)
        outbox.wake()
        await until(lambda: len(bridge.sent) == 1)
        await outbox.stop()

    asyncio.run(run())
    row = rows()["through a reconnect"]
    assert row.status == "sent" and row.retry_count == 0


def test_a_database_locked_by_another_process_for_3_s_delays_but_loses_nothing(db, data_dir):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], timeout=1)\n"
         "c.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "time.sleep(3)\n"
         "c.rollback()\n", str(db.path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    outbox_id = messages.enqueue("+628111000001", "written through the lock")
    waited = time.monotonic() - started
    holder.wait(timeout=10)
    holder.stdout.close()
    assert waited >= 2 and OutgoingMessage.get_by_id(outbox_id).status == "pending"
