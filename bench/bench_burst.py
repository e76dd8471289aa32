"""500 messages from 100 senders arriving at once, then stopping the bot: the longest
event-loop stall (goal: under 50 ms in both).

A fresh database (it carries the demo source and its `demo` trigger), 100 approved senders,
the spam rules at their loosest, and the real bot built by app.composition on the loopback
bridge, replies sent without pauses. A heartbeat task on the loop (bench/heartbeat.py, a beat
every 5 ms) records how late each beat came; the longest lateness is the longest time the loop
could not serve anything else, such as the desktop window.

1. Burst: 500 "demo" messages (5 from each sender) are handed to the bot at the same moment,
   each as its own task, as WhatsApp delivers them; the beat runs until every reply has been
   sent to the loopback. Prints the longest stall, how many beats were over 50 ms, and when
   the last reply was queued and sent.
2. Stopping while busy: another 500 arrive at once and the bot is told to stop 20 ms later
   (as the loop lets it); the longest stall is taken from the stop call to its return.
3. Stopping when idle: a third bot on the same database answers what the stop before kept in
   a file (messages not yet started at a stop wait as those the database refused do: recorded
   and answered within STOP_WAIT_S, the rest kept for the next start), then 5 messages, and
   is stopped.

Left out: alarms and schedules, the Qt window itself (its own painting time), real WhatsApp.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db.database import close_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from bench.botbench import bot, open_data, phone, verdict  # noqa: E402
from bench.heartbeat import Heartbeat  # noqa: E402

SENDERS = 100
BURST = 500
GOAL_MS = 50.0
BEAT_S = 0.005


def burst(bridge) -> list[asyncio.Task]:
    return [asyncio.create_task(bridge.inject("demo", sender=phone(i % SENDERS)))
            for i in range(BURST)]


async def wait_sent(bridge, count: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while len(bridge.sent) < count and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


def stalls(beat: Heartbeat) -> str:
    over = sum(1 for gap in beat.gaps if gap * 1000 > GOAL_MS)
    return (f"longest stall {beat.longest * 1000:.1f} ms = {beat.longest * 1000 / GOAL_MS:.1f}× "
            f"the goal of {GOAL_MS:.0f} ms ({over} of {len(beat.gaps)} beats later than that) — "
            f"goal: {verdict(beat.longest * 1000 < GOAL_MS)}")


def main() -> None:
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        opened = open_data(folder, SENDERS)
        pool = SourcePool()

        async def go() -> None:
            bridge, runtime = bot(folder, pool)
            await runtime.start()
            await bridge.inject("demo", sender=phone(0))  # the demo source opened once
            await wait_sent(bridge, 1)
            before = len(bridge.sent)
            woken = len(runtime.reply_queued_at)
            async with Heartbeat(BEAT_S) as beat:
                started = time.perf_counter()
                await asyncio.gather(*burst(bridge))
                queued = runtime.reply_queued_at[-1] - started
                await wait_sent(bridge, before + BURST)
                sent = (bridge.sent_at[-1] if bridge.sent_at else time.perf_counter()) - started
            answered = len(runtime.reply_queued_at) - woken
            print(f"1. {BURST} messages from {SENDERS} senders at once: {answered} answered, "
                  f"{len(bridge.sent) - before} replies sent; "
                  f"last reply queued after {queued:.2f} s, last sent after {sent:.2f} s "
                  f"= {BURST / sent:.0f} messages/s")
            print(f"   {stalls(beat)}")
            results["burst"] = beat.longest
            await runtime.stop()

            bridge, runtime = bot(folder, pool)
            await runtime.start()
            await asyncio.sleep(0.05)
            woken = len(runtime.reply_queued_at)
            async with Heartbeat(BEAT_S) as beat:
                tasks = burst(bridge)
                await asyncio.sleep(0.02)  # the first of them are being answered
                asked = time.perf_counter()
                await runtime.stop()
                took = time.perf_counter() - asked
            await asyncio.gather(*tasks, return_exceptions=True)
            longest = beat.longest_since(asked)
            print(f"2. stopping the bot while another {BURST} arrive at once: stop returned "
                  f"{took:.2f} s after it was asked; {len(runtime.reply_queued_at) - woken} "
                  f"messages answered, {len(bridge.sent)} replies sent before it stopped")
            print(f"   from the stop to its return: longest stall {longest * 1000:.1f} ms = "
                  f"{longest * 1000 / GOAL_MS:.1f}× the goal — goal: "
                  f"{verdict(longest * 1000 < GOAL_MS)}")
            results["stop_busy"] = longest

            bridge, runtime = bot(folder, pool)
            await runtime.start()
            # What the stop above kept in a file is answered first: the bot is idle after it.
            deadline = time.monotonic() + 90
            while runtime.pending and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            kept = len(bridge.sent)
            for n in range(5):
                await bridge.inject("demo", sender=phone(n))
            await wait_sent(bridge, kept + 5)
            async with Heartbeat(BEAT_S) as beat:
                started = time.perf_counter()
                await runtime.stop()
                took = time.perf_counter() - started
            print(f"3. stopping an idle bot: stop took {took * 1000:.1f} ms")
            print(f"   {stalls(beat)}")
            results["stop_idle"] = beat.longest

        asyncio.run(go())
        pool.close()
        executor.shutdown()
        close_database(opened.db)
    worst = max(results.values()) * 1000
    print(f"Goal: longest loop stall under {GOAL_MS:.0f} ms during a {BURST}-message burst and "
          f"stopping the bot: {verdict(worst < GOAL_MS)} (worst {worst:.1f} ms)")


if __name__ == "__main__":
    main()
