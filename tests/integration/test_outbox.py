"""The outbox as WhatsApp users meet it: paced, retried, paused, and never losing a reply."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from app.bridge.base import BridgeState
from app.bridge.loopback import LoopbackBridge
from app.core.timefmt import utc_now
from app.db.models import OutgoingMessage
from app.runtime.outbox import Outbox, Throttle
from app.services import messages, settings

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


def test_a_paced_reply_goes_when_its_gap_is_over_not_a_second_later(db):
    # The running outbox (not drain): after waiting out the gap it sends at once.
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: Throttle(0.3, 0, 100, 100))
        for n in range(3):
            messages.enqueue("+628111000001", f"reply {n}")
        outbox.start()
        await until(lambda: len(bridge.sent) == 3)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    gaps = [(b.at - a.at).total_seconds() for a, b in zip(sent, sent[1:], strict=False)]
    assert all(0.29 <= gap < 0.8 for gap in gaps), gaps


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


def test_a_message_cancelled_while_waiting_for_its_turn_is_not_sent(db, admin):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: Throttle(0, 1.0, 10**6, 10**6),
                        rng=lambda: 0.9)
        outbox_id = messages.enqueue("6281234567890@s.whatsapp.net", "wrong unit!")
        outbox.start()
        await asyncio.sleep(0.3)  # it waits out its jitter now
        messages.cancel(admin, outbox_id, "wrong text")
        await asyncio.sleep(1.2)
        await outbox.stop()
        return bridge.sent, OutgoingMessage.get_by_id(outbox_id)

    sent, row = asyncio.run(run())
    assert sent == [] and row.status == "failed" and "wrong text" in row.error_message


# -- images, stopping, and the pace: what a person waiting for a reply would notice ------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


async def _started(bridge: LoopbackBridge | None = None, **kwargs) -> tuple:
    bridge = bridge or LoopbackBridge()
    await bridge.start()
    outbox = Outbox(bridge, **{"throttle": lambda: FAST, **kwargs})
    outbox.start()
    return bridge, outbox


def test_a_chart_goes_out_as_an_image_with_its_caption(db, data_dir):
    async def run():
        messages.enqueue("+628111000001", "Drum pressure, last 8 h", image_png=PNG,
                         media_dir=data_dir / "media")
        bridge, outbox = await _started()
        await until(lambda: len(bridge.sent) == 1)
        await outbox.stop()
        return bridge.sent

    [sent] = asyncio.run(run())
    assert (sent.image_png, sent.caption) == (PNG, "Drum pressure, last 8 h")
    assert rows()["Drum pressure, last 8 h"].status == "sent"


def test_a_reply_whose_image_is_missing_fails_at_once_and_the_next_reply_still_goes(
        db, data_dir):
    async def run():
        outbox_id = messages.enqueue("+628111000001", "Trend", image_png=PNG,
                                     media_dir=data_dir / "media")
        Path(OutgoingMessage.get_by_id(outbox_id).media_path).unlink()
        messages.enqueue("+628111000001", "plain text after it")
        bridge, outbox = await _started()
        await until(lambda: len(bridge.sent) == 1)
        await asyncio.sleep(0.2)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    assert [s.text for s in sent] == ["plain text after it"]
    row = rows()["Trend"]
    assert row.status == "failed" and row.retry_count == 0  # retrying cannot bring it back
    assert row.error_message.startswith("The image of this reply is gone: ")


def test_stop_waits_for_the_send_in_progress(db):
    async def run():
        bridge, outbox = await _started(LoopbackBridge(send_delay_s=0.5))
        messages.enqueue("+628111000001", "sent while stopping")
        outbox.wake()
        await until(lambda: outbox.sending_id is not None)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    assert [s.text for s in sent] == ["sent while stopping"]
    assert rows()["sent while stopping"].status == "sent"


def test_a_send_that_outlasts_stop_goes_again_at_the_next_start(db):
    async def first_run():
        bridge, outbox = await _started(LoopbackBridge(send_delay_s=5))
        messages.enqueue("+628111000001", "caught mid-send")
        outbox.wake()
        await until(lambda: outbox.sending_id is not None)
        started = time.monotonic()
        await outbox.stop(timeout=0.2)
        return time.monotonic() - started

    async def next_start():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        caught = outbox.recover()
        outbox.start()
        await until(lambda: len(bridge.sent) == 1)
        await outbox.stop()
        return caught, bridge.sent

    assert asyncio.run(first_run()) < 2  # stop does not wait out a send that hangs
    assert rows()["caught mid-send"].status != "sent"
    caught, sent = asyncio.run(next_start())
    assert caught == 1 and [s.text for s in sent] == ["caught mid-send"]
    assert rows()["caught mid-send"].status == "sent"


def test_no_more_than_the_per_minute_cap_goes_out_across_all_chats(db):
    async def run():
        for n in range(3):
            messages.enqueue(f"+62811100000{n}", f"to chat {n}")
        bridge, outbox = await _started(throttle=lambda: Throttle(0, 0, 10**6, 2))
        await until(lambda: len(bridge.sent) == 2)
        await asyncio.sleep(0.5)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    assert [s.text for s in sent] == ["to chat 0", "to chat 1"]
    assert rows()["to chat 2"].status == "pending"


@pytest.mark.parametrize(("backoff", "waits"), [(None, 5), (30, 30), (1000, 600)])
def test_a_failed_send_waits_the_first_backoff_at_most_ten_minutes(db, backoff, waits):
    async def run():
        bridge = LoopbackBridge()
        bridge.fail_next(2)
        messages.enqueue("+628111000001", "flaky")
        before = utc_now()
        first = {} if backoff is None else {"backoff_first_s": backoff}
        bridge, outbox = await _started(bridge, **first)
        await until(lambda: rows()["flaky"].retry_count == 1)
        after = utc_now()
        await outbox.stop()
        return before, after

    before, after = asyncio.run(run())
    row = rows()["flaky"]
    assert row.status == "pending" and row.retry_count == 1 and len(row.error_message) > 0
    # Stored to the second: the wait is exact in whole seconds.
    wait = timedelta(seconds=waits)
    assert before.replace(microsecond=0) + wait <= row.next_attempt_at
    assert row.next_attempt_at <= after.replace(microsecond=0) + wait


def test_drain_sends_everything_due_and_returns(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        for n in range(3):
            messages.enqueue("+628111000001", f"drained {n}")
        await outbox.drain()
        return bridge.sent

    assert [s.text for s in asyncio.run(run())] == ["drained 0", "drained 1", "drained 2"]


def test_the_pace_comes_from_settings(db, admin):
    settings.update(admin, {"outbox": {"min_gap_s": 0, "jitter_s": 0, "per_chat_per_minute": 1,
                                       "per_minute": 100}})

    async def run():
        for n in range(2):
            messages.enqueue("+628111000001", f"paced {n}")
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge)
        outbox.start()
        await until(lambda: len(bridge.sent) == 1)
        await asyncio.sleep(0.5)
        await outbox.stop()
        return bridge.sent

    assert [s.text for s in asyncio.run(run())] == ["paced 0"]  # one per chat per minute
    assert rows()["paced 1"].status == "pending"


def test_a_reply_that_fails_five_times_still_goes_at_the_sixth_try(db):
    async def run():
        bridge = LoopbackBridge()
        bridge.fail_next(5)
        messages.enqueue("+628111000001", "sixth time lucky")
        bridge, outbox = await _started(bridge, backoff_first_s=0.01)
        await until(lambda: rows()["sixth time lucky"].status != "pending", timeout=30)
        await outbox.stop()
        return bridge.sent

    sent = asyncio.run(run())
    row = rows()["sixth time lucky"]
    assert row.status == "sent" and row.retry_count == 5
    assert [s.text for s in sent] == ["sixth time lucky"]


def test_each_retry_waits_twice_as_long_as_the_one_before(db):
    async def run():
        bridge = LoopbackBridge()
        bridge.fail_next(2)
        messages.enqueue("+628111000001", "flaky twice")
        bridge, outbox = await _started(bridge, backoff_first_s=30)
        await until(lambda: rows()["flaky twice"].retry_count == 1)
        # Skip the first wait of 30 s instead of sitting through it.
        OutgoingMessage.update(next_attempt_at=utc_now() - timedelta(seconds=1)).execute()
        before = utc_now()
        outbox.wake()
        await until(lambda: rows()["flaky twice"].retry_count == 2)
        after = utc_now()
        await outbox.stop()
        return before, after

    before, after = asyncio.run(run())
    row = rows()["flaky twice"]
    assert row.status == "pending"
    wait = timedelta(seconds=60)
    assert before.replace(microsecond=0) + wait <= row.next_attempt_at
    assert row.next_attempt_at <= after.replace(microsecond=0) + wait


def test_a_send_cut_short_three_times_is_not_sent_again(db):
    # Each start after a crash mid-send sends the row again; the third time it is given up, so a
    # reply that crashes the app cannot stop it at every start.
    outbox_id = messages.enqueue("+628111000001", "crashes the app")
    outbox = Outbox(LoopbackBridge(), throttle=lambda: FAST)
    for start in range(1, 4):
        messages.mark_in_flight(outbox_id, utc_now())
        assert outbox.recover() == 1
        row = OutgoingMessage.get_by_id(outbox_id)
        assert (row.status, row.interrupted_sends) == (
            "pending" if start < 3 else "failed", start)


def test_a_step_that_fails_waits_a_second_before_the_next_try(db):
    calls = []

    def throttle() -> Throttle:
        calls.append(time.monotonic())
        if len(calls) <= 3:
            raise RuntimeError("a bug while reading the pace")
        return FAST

    async def run():
        messages.enqueue("+628111000001", "after the bug")
        bridge, outbox = await _started(throttle=throttle)
        await asyncio.sleep(0.5)
        early = (len(calls), list(bridge.sent))
        await until(lambda: len(bridge.sent) == 1)
        await outbox.stop()
        return early

    calls_at_half_a_second, sent_then = asyncio.run(run())
    assert calls_at_half_a_second == 1 and sent_then == []  # no busy loop on a failing step
    assert rows()["after the bug"].status == "sent"  # and sending goes on once it works


def test_a_reply_queued_without_waking_the_outbox_goes_out_within_a_second(db):
    async def run():
        bridge, outbox = await _started()
        await asyncio.sleep(0.1)  # idle: it looks again within a second
        queued = time.monotonic()
        messages.enqueue("+628111000001", "queued by another process")
        await until(lambda: len(bridge.sent) == 1)
        took = time.monotonic() - queued
        await outbox.stop()
        return took

    assert asyncio.run(run()) < 1.5


@pytest.mark.parametrize("woken", [True, False])
def test_a_reply_queued_while_another_is_sent_goes_out_after_it(db, woken):
    # The bot wakes the outbox for what it queues: that goes at once after the send under
    # way. Another program's row (nobody wakes the outbox) goes at the next look, within a
    # second, as when the outbox is idle.
    async def run():
        bridge, outbox = await _started(LoopbackBridge(send_delay_s=0.2))
        messages.enqueue("+628111000001", "first")
        outbox.wake()
        await until(lambda: outbox.sending_id is not None)
        messages.enqueue("+628111000002", "queued during the first send")
        if woken:
            outbox.wake()
        await until(lambda: len(bridge.sent) == 2, timeout=5)
        gap = (bridge.sent[1].at - bridge.sent[0].at).total_seconds()
        await outbox.stop()
        return [s.text for s in bridge.sent], gap

    texts, gap = asyncio.run(run())
    assert texts == ["first", "queued during the first send"]
    if woken:
        assert gap < 0.5, gap  # its own send's 0.2 s, not a poll's second
    else:
        assert gap < 1.6, gap


def test_drain_returns_as_soon_as_everything_is_sent(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        messages.enqueue("+628111000001", "drained at once")
        started = time.monotonic()
        await outbox.drain(timeout=20)
        return time.monotonic() - started, bridge.sent

    took, sent = asyncio.run(run())
    assert [s.text for s in sent] == ["drained at once"] and took < 3


def test_drain_sends_within_a_quarter_second_of_the_connection_coming_back(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        await bridge.set_state(BridgeState.RECONNECTING)
        outbox = Outbox(bridge, throttle=lambda: FAST)
        messages.enqueue("+628111000001", "after the reconnect")
        drain = asyncio.ensure_future(outbox.drain(timeout=20))
        await asyncio.sleep(0.3)
        assert bridge.sent == []
        await bridge.set_state(BridgeState.CONNECTED)  # nobody wakes the outbox
        back = time.monotonic()
        await drain
        return time.monotonic() - back, bridge.sent

    took, sent = asyncio.run(run())
    assert [s.text for s in sent] == ["after the reconnect"] and took < 0.8


def test_sending_resumes_within_half_a_second_of_a_lock_ending(db):
    messages.enqueue("+628111000001", "after the lock")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys, time\n"
         "c = sqlite3.connect(sys.argv[1], timeout=1)\n"
         "c.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "time.sleep(1.6)\n"
         "c.rollback()\n", str(db.path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    locked = time.monotonic()

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        await outbox.drain(timeout=20)
        return time.monotonic() - locked, bridge.sent

    try:
        took, sent = asyncio.run(run())
    finally:
        holder.wait(timeout=10)
        holder.stdout.close()
    # The lock lasts 1.6 s; the outbox asks again every half second, not every second and more.
    assert [s.text for s in sent] == ["after the lock"] and took < 2.5, took


class _Clock:
    """The outbox's clock: real time plus the minutes a test skips."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped


@pytest.mark.parametrize("cap", ["per_chat", "per_minute"])
def test_a_capped_reply_goes_as_soon_as_the_oldest_send_is_a_minute_old(db, cap):
    # Two sends allowed per minute, made 10 s apart; the third goes when the first is 60 s old.
    pace = Throttle(0, 0, 2, 10**6) if cap == "per_chat" else Throttle(0, 0, 10**6, 2)
    chats = ["+628111000001"] * 3 if cap == "per_chat" else [
        "+628111000001", "+628111000002", "+628111000003"]
    clock = _Clock()

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: pace, clock=clock)
        messages.enqueue(chats[0], "first")
        await outbox.drain()
        clock.skipped += 10
        messages.enqueue(chats[1], "second")
        await outbox.drain()
        messages.enqueue(chats[2], "third")
        clock.skipped += 49.5  # the first send is 59.5 s old: half a second still to wait
        skipped = time.monotonic()
        await outbox.drain(timeout=15)
        assert [s.text for s in bridge.sent] == ["first", "second", "third"]
        return time.monotonic() - skipped

    assert asyncio.run(run()) < 1.0


def test_drain_keeps_the_gap_between_sends_and_no_more(db):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: Throttle(0.3, 0, 10**6, 10**6))
        for n in range(2):
            messages.enqueue("+628111000001", f"gap {n}")
        await outbox.drain(timeout=15)
        return bridge.sent

    first, second = asyncio.run(run())
    assert 0.29 <= (second.at - first.at).total_seconds() < 0.8


def test_drain_waits_for_a_retry_that_falls_due_and_sends_it(db):
    outbox_id = messages.enqueue("+628111000001", "retried during the drain")
    due = utc_now() + timedelta(seconds=1)
    OutgoingMessage.update(next_attempt_at=due).where(OutgoingMessage.id == outbox_id).execute()

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        await outbox.drain(timeout=10)
        return bridge.sent

    [sent] = asyncio.run(run())
    assert sent.text == "retried during the drain" and sent.at >= due.replace(microsecond=0)
    assert rows()["retried during the drain"].status == "sent"
