"""The demo historian's series computed on the event loop (no thread): the longest loop stall
(goal: under 50 ms).

A heartbeat task on the loop records its longest gap while the demo answers a chart of two
tags over a day, a summary of five tags over a month, and the largest call it accepts
(MAX_VALUES values over all its tags). Prints each call's time and the longest gap, with the
ratio to the 50 ms goal.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.runtime import executor  # noqa: E402
from app.sources.demo import MAX_VALUES, TAGS, DemoHistorian  # noqa: E402
from bench.heartbeat import Heartbeat  # noqa: E402

GOAL_S = 0.050
FIVE = list(TAGS)


async def main() -> None:
    demo = DemoHistorian()
    calls = [
        ("chart, 2 tags over a day (600 values each)", demo.plot_blocking,
         (FIVE[:2], "*-1d", "*", 300, 5.0)),
        ("summary, 5 tags over 30 days", demo.summary_blocking,
         (FIVE, "*-30d", "*", ["Average", "Minimum", "Maximum"], 5.0)),
        (f"largest accepted: 5 tags, {MAX_VALUES // 5} values each", demo.interpolated_blocking,
         (FIVE, f"*-{MAX_VALUES // 5 - 1}m", "*", "1m", 5.0)),
    ]
    for label, call, args in calls:
        await executor.run_blocking(call, *args, timeout=5.0)  # warm
        async with Heartbeat() as beat:
            started = time.perf_counter()
            await executor.run_blocking(call, *args, timeout=5.0)
            took = time.perf_counter() - started
        print(f"{label}: {took * 1000:6.1f} ms; longest event-loop gap {beat.longest * 1000:6.1f} "
              f"ms ({beat.longest / GOAL_S:.2f} x the 50 ms goal)")
    executor.shutdown()


if __name__ == "__main__":
    asyncio.run(main())
