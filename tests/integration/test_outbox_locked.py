"""A database locked by another process while the outbox sends: the outcome of a send WhatsApp
took is kept in memory and recorded once the lock is gone; nothing new is sent meanwhile, the
event loop never waits for the lock, and drain() does not spin."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import time

from app.bridge.loopback import LoopbackBridge
from app.runtime import outbox as runtime_outbox
from app.runtime.outbox import Outbox, Throttle
from app.services import messages
from app.services import outbox as queue

FAST = Throttle(0, 0, 10**6, 10**6)
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
for line in sys.stdin:
    if line.strip() == "lock":
        conn.execute("BEGIN EXCLUSIVE")
    else:
        conn.execute("ROLLBACK")
    print("done", flush=True)
"""


class Holder:
    """Another process with its own sqlite3 connection to the app's real database file."""

    def __init__(self, path) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def __call__(self, what: str) -> None:
        self.process.stdin.write(what + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "done"

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def _row(path, text: str) -> tuple:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT status, in_flight_since, whatsapp_id FROM outgoing_messages "
                            "WHERE message = ?", (text,)).fetchone()
    finally:
        conn.close()


async def _until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def _heartbeat(gaps: list[float]) -> None:
    last = time.monotonic()
    while True:
        await asyncio.sleep(0.01)
        now = time.monotonic()
        gaps.append(now - last)
        last = now


def test_a_send_finished_while_the_database_is_locked_is_recorded_when_the_lock_goes(
        db, monkeypatch, caplog):
    texts = ["first", "second", "third"]
    for text in texts:
        messages.enqueue("+628111000001", text)
    asks: list[float] = []
    real_writable = queue.writable

    def counted() -> bool:
        asks.append(time.monotonic())
        return real_writable()

    monkeypatch.setattr(queue, "writable", counted)
    holder = Holder(db.path)

    async def run() -> tuple[LoopbackBridge, Outbox, dict]:
        bridge = LoopbackBridge(send_delay_s=0.3)
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        gaps: list[float] = []
        beat = asyncio.ensure_future(_heartbeat(gaps))
        drain = asyncio.ensure_future(outbox.drain(timeout=30))
        await _until(lambda: outbox.sending_id is not None)
        holder("lock")  # WhatsApp is taking "first" while another process takes the lock
        await _until(lambda: outbox.unwritten == 1)
        # Watched from here: the test's own wait for the lock above stalled the loop itself.
        gaps.clear()
        locked_at = time.monotonic()
        await asyncio.sleep(2.0)
        seen = {"sent": [s.text for s in bridge.sent], "row": _row(db.path, "first"),
                "asks": sum(1 for t in asks if t >= locked_at), "gap": max(gaps),
                "why": outbox.not_writable, "locked_for": time.monotonic() - locked_at}
        holder("release")
        await drain
        beat.cancel()
        return bridge, outbox, seen

    try:
        with caplog.at_level("INFO", logger="app.runtime.outbox"):
            bridge, outbox, seen = asyncio.run(run())
    finally:
        holder.close()
    # While locked: WhatsApp had "first", its row could not say so yet, nothing else went out.
    assert seen["sent"] == ["first"]
    status, in_flight, whatsapp_id = seen["row"]
    assert status == "pending" and in_flight is not None and whatsapp_id is None
    assert seen["why"] == queue.LOCKED
    # Asked twice a second, without waiting: no spinning, and the loop never stalled.
    assert seen["asks"] <= 2.0 / runtime_outbox.WRITE_RETRY_S + 3, seen["asks"]
    # Once per wait, not twice: the waits are never shorter than WRITE_RETRY_S.
    assert seen["asks"] <= seen["locked_for"] / runtime_outbox.WRITE_RETRY_S + 2, seen
    assert seen["gap"] < 0.25, seen["gap"]
    # Once the lock went: recorded with WhatsApp's id, the rest sent, each once.
    assert [s.text for s in bridge.sent] == texts
    assert _row(db.path, "first") == ("sent", None, bridge.sent[0].message_id)
    assert all(_row(db.path, text)[0] == "sent" for text in texts)
    assert outbox.unwritten == 0 and outbox.not_writable is None
    # The operator reads once that the database took writes again, when it did.
    assert sum("takes writes again" in r.getMessage() for r in caplog.records) == 1


def _counted_outbox(bridge: LoopbackBridge) -> tuple[Outbox, list[int]]:
    """An outbox that counts its steps: how often it asked the database while it waited."""
    outbox = Outbox(bridge, throttle=lambda: FAST)
    steps: list[int] = []
    real_step = outbox._step

    async def counted_step() -> bool:
        steps.append(1)
        return await real_step()

    outbox._step = counted_step
    return outbox, steps


def test_locked_before_a_send_nothing_goes_out_until_it_is_writable_and_drain_waits(db):
    messages.enqueue("+628111000001", "waits for the lock")
    holder = Holder(db.path)
    holder("lock")

    async def run() -> tuple[LoopbackBridge, list[int], float]:
        bridge = LoopbackBridge()
        await bridge.start()
        outbox, steps = _counted_outbox(bridge)
        gaps: list[float] = []
        beat = asyncio.ensure_future(_heartbeat(gaps))
        drain = asyncio.ensure_future(outbox.drain(timeout=30))
        await asyncio.sleep(1.5)
        during = (list(bridge.sent), len(steps), max(gaps))
        holder("release")
        await drain
        beat.cancel()
        return bridge, during

    try:
        bridge, (sent_while_locked, steps, gap) = asyncio.run(run())
    finally:
        holder.close()
    assert sent_while_locked == [] and steps <= 1.5 / runtime_outbox.WRITE_RETRY_S + 2, steps
    assert gap < 0.25
    assert [s.text for s in bridge.sent] == ["waits for the lock"]
    assert _row(db.path, "waits for the lock")[0] == "sent"


def test_a_full_disk_pauses_sending_without_spinning_and_says_so_once(db, monkeypatch, caplog):
    messages.enqueue("+628111000001", "after the disk is freed")
    claims: list[int] = []
    real_claim = queue.mark_in_flight
    full = {"yes": True}

    def claim(outbox_id, now):
        claims.append(outbox_id)
        if full["yes"]:
            raise queue.NotWritable("The database cannot be written: the disk is full.",
                                    "database or disk is full")
        return real_claim(outbox_id, now)

    monkeypatch.setattr(queue, "mark_in_flight", claim)

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        drain = asyncio.ensure_future(outbox.drain(timeout=30))
        await asyncio.sleep(1.5)
        during = (list(bridge.sent), len(claims), outbox.not_writable)
        full["yes"] = False
        await drain
        return bridge, during

    with caplog.at_level("WARNING", logger="app.runtime.outbox"):
        bridge, (sent, tries, why) = asyncio.run(run())
    assert sent == [] and why == "The database cannot be written: the disk is full."
    assert tries <= 1.5 / runtime_outbox.WRITE_RETRY_S + 2, tries
    assert sum("disk is full" in r.getMessage() for r in caplog.records) == 1  # said once
    assert [s.text for s in bridge.sent] == ["after the disk is freed"]


def test_a_bug_recording_one_outcome_does_not_stop_the_sending(db, monkeypatch, caplog):
    for text in ("recorded badly", "next"):
        messages.enqueue("+628111000001", text)
    real_sent = queue.mark_sent

    def mark_sent(outbox_id, whatsapp_id, now, **claimed):
        if outbox_id == 1:
            raise RuntimeError("a bug")
        return real_sent(outbox_id, whatsapp_id, now, **claimed)

    monkeypatch.setattr(queue, "mark_sent", mark_sent)

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        outbox.start()
        await _until(lambda: len(bridge.sent) == 2 and outbox.unwritten == 0)
        await _until(lambda: _row(db.path, "next")[0] == "sent")
        await outbox.stop()
        return bridge

    with caplog.at_level("ERROR", logger="app.runtime.outbox"):
        bridge = asyncio.run(run())
    assert [s.text for s in bridge.sent] == ["recorded badly", "next"]
    status, in_flight, _ = _row(db.path, "recorded badly")
    assert status == "pending" and in_flight is not None  # sent again, marked, at next start
    assert any("message #1" in r.getMessage() for r in caplog.records)


def test_the_running_outbox_waits_out_a_lock_without_spinning_then_sends(db):
    # The bot's own loop (start, not drain): while another process holds the lock nothing
    # goes out, the event loop stays free, and the outbox asks only now and then.
    messages.enqueue("+628111000001", "sent once the lock goes")
    holder = Holder(db.path)
    holder("lock")

    async def run() -> tuple[list, int, float, LoopbackBridge]:
        bridge = LoopbackBridge()
        await bridge.start()
        outbox, steps = _counted_outbox(bridge)
        gaps: list[float] = []
        beat = asyncio.ensure_future(_heartbeat(gaps))
        outbox.start()
        await asyncio.sleep(1.5)
        during = (list(bridge.sent), len(steps), max(gaps))
        holder("release")
        await _until(lambda: bridge.sent, timeout=10)
        await outbox.stop()
        beat.cancel()
        return (*during, bridge)

    try:
        sent_while_locked, steps, gap, bridge = asyncio.run(run())
    finally:
        holder.close()
    assert sent_while_locked == []
    assert steps <= 1.5 / runtime_outbox.WRITE_RETRY_S + 2, steps
    assert gap < 0.25
    assert [s.text for s in bridge.sent] == ["sent once the lock goes"]


def test_a_full_disk_when_recording_a_send_holds_the_next_until_it_is_recorded(
        db, monkeypatch, caplog):
    for text in ("sent, not recorded", "waits for the record"):
        messages.enqueue("+628111000001", text)
    real_sent = queue.mark_sent
    full = {"yes": True}
    tries: list[int] = []

    def mark_sent(outbox_id, whatsapp_id, now, **claimed):
        tries.append(outbox_id)
        if full["yes"]:
            raise queue.NotWritable("The database cannot be written: the disk is full.",
                                    "database or disk is full")
        return real_sent(outbox_id, whatsapp_id, now, **claimed)

    monkeypatch.setattr(queue, "mark_sent", mark_sent)

    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        drain = asyncio.ensure_future(outbox.drain(timeout=30))
        await _until(lambda: bridge.sent)
        started = time.monotonic()
        await asyncio.sleep(1.5)
        during = ([s.text for s in bridge.sent], outbox.unwritten, len(tries),
                  time.monotonic() - started)
        full["yes"] = False
        await drain
        return bridge, during

    with caplog.at_level("WARNING", logger="app.runtime.outbox"):
        bridge, (sent, kept, attempts, elapsed) = asyncio.run(run())
    # WhatsApp had the first; while its record waited nothing else went out.
    assert sent == ["sent, not recorded"] and kept == 1
    assert attempts <= elapsed / runtime_outbox.WRITE_RETRY_S + 2, (attempts, elapsed)
    assert sum("disk is full" in r.getMessage() for r in caplog.records) == 1
    assert [s.text for s in bridge.sent] == ["sent, not recorded", "waits for the record"]
    assert all(_row(db.path, text)[0] == "sent"
               for text in ("sent, not recorded", "waits for the record"))


def test_stop_says_how_many_sends_it_could_not_record_and_a_clean_stop_says_nothing(
        db, caplog):
    messages.enqueue("+628111000001", "sent as the lock came")
    holder = Holder(db.path)

    async def locked_stop() -> None:
        bridge = LoopbackBridge(send_delay_s=0.3)
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        outbox.start()
        await _until(lambda: outbox.sending_id is not None)
        holder("lock")
        await _until(lambda: outbox.unwritten == 1)
        await outbox.stop()

    async def next_start() -> list[str]:
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        outbox.recover()
        outbox.start()
        await _until(lambda: bridge.sent)
        await _until(lambda: _row(db.path, "sent as the lock came")[0] == "sent")
        caplog.clear()
        await outbox.stop()
        return [s.text for s in bridge.sent]

    try:
        with caplog.at_level("WARNING", logger="app.runtime.outbox"):
            asyncio.run(locked_stop())
            at_locked_stop = [r.getMessage() for r in caplog.records]
            holder("release")
            sent_next_time = asyncio.run(next_start())
            at_clean_stop = [r.getMessage() for r in caplog.records]
    finally:
        holder.close()
    assert any(m.startswith("1 sent message(s) could not be recorded") for m in at_locked_stop)
    assert sent_next_time == ["sent as the lock came"]  # sent again, marked, as it said
    assert at_clean_stop == []


def test_once_the_lock_goes_the_next_reply_follows_the_recorded_one_at_once(db):
    # The bot's own loop: when the kept outcome is finally written, the next row goes in the
    # same step, not after an idle wait of a second.
    for text in ("recorded late", "next in line"):
        messages.enqueue("+628111000001", text)
    holder = Holder(db.path)

    async def run() -> tuple[list[tuple[int, int]], list[str]]:
        bridge = LoopbackBridge(send_delay_s=0.3)
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: FAST)
        idle: list[tuple[int, int]] = []  # (sends made, outcomes kept) at each idle wait
        real_sleep = outbox._sleep_until_woken

        async def noted(seconds: float) -> None:
            idle.append((len(bridge.sent), outbox.unwritten))
            await real_sleep(seconds)

        outbox._sleep_until_woken = noted
        outbox.start()
        await _until(lambda: outbox.sending_id is not None)
        holder("lock")
        await _until(lambda: outbox.unwritten == 1)
        holder("release")
        await _until(lambda: len(bridge.sent) == 2)
        await outbox.stop()
        return idle, [s.text for s in bridge.sent]

    try:
        idle, sent = asyncio.run(run())
    finally:
        holder.close()
    assert sent == ["recorded late", "next in line"]
    assert (1, 1) in idle  # it did wait for the lock
    assert (1, 0) not in idle, idle  # and not once more after the record was written
    assert _row(db.path, "recorded late")[0] == "sent"
