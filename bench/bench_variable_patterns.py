"""A variable pattern shaped to backtrack, `(a+)+b`, against words of 20 to 200 letters.

Prints, for the bot's own matching (app.core.variables.bind, on the event loop), the longest
gap a heartbeat task on the loop saw while the words were bound, and for comparison the time
Python's `re.fullmatch` alone takes on the short words (it doubles with each letter more, so
the longer ones are not tried). Goal: every gap under 50 ms.
"""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.variables import VariableError, VariableSpec, bind  # noqa: E402
from bench.heartbeat import Heartbeat  # noqa: E402

PATTERN = r"(a+)+b"
LENGTHS = (20, 26, 60, 200)
BEAT_S = 0.005


async def longest_gap(length: int) -> tuple[float, float]:
    async with Heartbeat(BEAT_S) as beat:
        spec = [VariableSpec("unit", PATTERN)]  # stored before the check at save time
        started = time.perf_counter()
        for _ in range(10):  # ten messages in a row
            try:
                bind(spec, ["a" * length])
            except VariableError:
                pass
            await asyncio.sleep(0)
        spent = time.perf_counter() - started
    return beat.longest, spent / 10


def main() -> None:
    print(f"pattern {PATTERN!r}, heartbeat every {BEAT_S * 1000:.0f} ms")
    for length in LENGTHS:
        gap, each = asyncio.run(longest_gap(length))
        print(f"  bot, {length:3d} letters: {each * 1000:7.2f} ms a message, "
              f"longest loop gap {gap * 1000:6.1f} ms")
    for length in (16, 18, 20):
        started = time.perf_counter()
        re.fullmatch(PATTERN, "a" * length)
        print(f"  re alone, {length} letters: {(time.perf_counter() - started) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
