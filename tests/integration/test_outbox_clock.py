"""The outbox's waits, shown without timing them: the pace by a clock the test moves by hand,
drain()'s time limit by the same clock, and the idle waits the outbox asks for, counted."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from app.bridge.base import BridgeState
from app.bridge.loopback import LoopbackBridge
from app.core.timefmt import utc_now
from app.db.models import OutgoingMessage
from app.runtime.outbox import IDLE_POLL_S, Outbox, Throttle
from app.services import messages

FAST = Throttle(0, 0, 10**6, 10**6)


class HandClock:
    """The outbox's monotonic clock, standing still until the test moves it."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def status(text: str) -> str:
    return OutgoingMessage.get(OutgoingMessage.message == text).status


async def until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("cap", ["per_chat", "per_minute"])
def test_a_send_counts_against_the_cap_until_it_is_a_full_minute_old(db, cap):
    # Two sends a minute, made at 0 s and 0.5 s. Two more are queued at 60 s: one goes, the
    # first send having just left the minute; the other must wait for the one made at 0.5 s,
    # or three would go within a minute.
    pace = Throttle(0, 0, 2, 10**6) if cap == "per_chat" else Throttle(0, 0, 10**6, 2)
    chats = ["+628111000001"] * 4 if cap == "per_chat" else [
        f"+62811100000{n}" for n in range(1, 5)]
    texts = ["at 0 s", "at 0.5 s", "at 60 s", "at 60.5 s"]
    clock = HandClock()

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: pace, clock=clock)
        outbox.start()
        seen = []
        # Each row is queued when the clock shows its time; the last two together at 60 s.
        for moved_to, queued, goes in ((1000.0, 1, 1), (1000.5, 2, 2), (1060.0, 4, 3)):
            clock.now = moved_to
            for n in range(len(seen), queued):
                messages.enqueue(chats[n], texts[n])
            outbox.wake()
            await until(lambda n=goes: len(bridge.sent) == n)
            await asyncio.sleep(0.3)  # the clock stands still: nothing more may go
            seen.append([s.text for s in bridge.sent])
        clock.now = 1060.5
        outbox.wake()
        await until(lambda: len(bridge.sent) == 4)
        await outbox.stop()
        return seen, [s.text for s in bridge.sent]

    seen, sent = asyncio.run(run())
    assert seen == [texts[:1], texts[:2], texts[:3]]
    assert sent == texts


def test_drain_gives_up_after_its_time_limit_and_leaves_the_rest_waiting(db):
    # simulate's drain() waits at most 30 s by the outbox's clock for what cannot go out.
    clock = HandClock()

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        await bridge.set_state(BridgeState.RECONNECTING)
        messages.enqueue("+628111000001", "waits for the connection")
        outbox = Outbox(bridge, throttle=lambda: FAST, clock=clock)
        drain = asyncio.ensure_future(outbox.drain())
        await asyncio.sleep(IDLE_POLL_S)  # started at 1000 s by its clock
        clock.now = 1029.0
        await asyncio.sleep(3 * IDLE_POLL_S)  # it looked at the clock again meanwhile
        early = drain.done()
        clock.now = 1030.0
        await asyncio.wait_for(drain, 5)
        return early, bridge.sent

    early, sent = asyncio.run(run())
    assert not early and sent == []
    assert status("waits for the connection") == "pending"


def _idle_waits(outbox: Outbox, noted=lambda: None) -> list[tuple[float, object]]:
    """Every idle wait the outbox asks for, with what `noted` says at that moment (the real
    wait still happens)."""
    waits: list[tuple[float, object]] = []
    real_sleep = outbox._sleep_until_woken

    async def counted(seconds: float) -> None:
        waits.append((seconds, noted()))
        await real_sleep(seconds)

    outbox._sleep_until_woken = counted
    return waits


def test_drain_does_not_spin_on_a_due_retry_while_the_connection_is_down(db):
    outbox_id = messages.enqueue("+628111000001", "retry due, connection down")
    OutgoingMessage.update(next_attempt_at=utc_now() - timedelta(seconds=5)).where(
        OutgoingMessage.id == outbox_id).execute()

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        await bridge.set_state(BridgeState.RECONNECTING)
        outbox = Outbox(bridge, throttle=lambda: FAST)
        waits = _idle_waits(outbox)
        started = time.monotonic()
        drain = asyncio.ensure_future(outbox.drain(timeout=20))
        await asyncio.sleep(0.5)
        during = (len(waits), time.monotonic() - started)
        await bridge.set_state(BridgeState.CONNECTED)
        await drain
        return during, bridge.sent

    (looks, elapsed), sent = asyncio.run(run())
    # A look every quarter second at most, not a busy loop until the connection is back.
    assert looks <= elapsed / IDLE_POLL_S + 2, (looks, elapsed)
    assert [s.text for s in sent] == ["retry due, connection down"]


def test_the_next_reply_goes_at_once_after_one_cancelled_while_it_waited_its_turn(db, admin):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: Throttle(0, 1.0, 10**6, 10**6),
                        rng=lambda: 0.5)
        cancelled = messages.enqueue("+628111000001", "wrong unit!")
        messages.enqueue("+628111000002", "the next reply")
        waits = _idle_waits(outbox, noted=lambda: len(bridge.sent))
        outbox.start()
        await asyncio.sleep(0.2)  # the first waits out its half-second jitter now
        messages.cancel(admin, cancelled, "wrong text")
        await until(lambda: len(bridge.sent) == 1)
        await outbox.stop()
        return [s.text for s in bridge.sent], waits

    sent, waits = asyncio.run(run())
    assert sent == ["the next reply"]
    # The outbox did not sit idle between the cancelled row and the next one (an idle wait of
    # a second before it would make that reply a second late).
    assert [sent_then for _, sent_then in waits if sent_then == 0] == [], waits
    assert status("wrong unit!") == "failed"


def test_a_send_whatsapp_never_confirms_is_retried_later_with_a_plain_reason(db):
    assert Outbox(LoopbackBridge()).send_timeout_s == 60  # a minute unless told otherwise

    async def run():
        bridge = LoopbackBridge(send_delay_s=5)
        await bridge.start()
        outbox_id = messages.enqueue("+628111000001", "no answer from WhatsApp")
        outbox = Outbox(bridge, throttle=lambda: FAST, send_timeout_s=0.2,
                        backoff_first_s=600)
        outbox.start()
        await until(lambda: OutgoingMessage.get_by_id(outbox_id).retry_count == 1)
        await outbox.stop()
        return outbox_id, bridge.sent

    outbox_id, sent = asyncio.run(run())
    assert sent == []
    row = OutgoingMessage.get_by_id(outbox_id)
    assert row.status == "pending" and row.in_flight_since is None
    assert row.error_message == "WhatsApp did not confirm the send within 0.2 s"
