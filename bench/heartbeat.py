"""A heartbeat on the event loop: how late each beat comes; the latest is the longest stall."""

from __future__ import annotations

import asyncio
import time


class Heartbeat:
    """`async with Heartbeat() as beat: ...`, then `beat.longest` (seconds) is the longest
    time the loop was late for a beat while the block ran."""

    def __init__(self, every_s: float = 0.005) -> None:
        self.every_s = every_s
        self.gaps: list[float] = []
        self.beats: list[float] = []  # perf_counter at each beat, the first one at the start
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)

    def longest_since(self, moment: float) -> float:
        """The longest lateness of a beat after `moment` (perf_counter), counting a gap that
        began before it only from `moment` on."""
        longest = 0.0
        for before, after in zip(self.beats, self.beats[1:], strict=False):
            if after > moment:
                longest = max(longest, after - max(before, moment) - self.every_s)
        return longest

    async def _beat(self) -> None:
        last = time.perf_counter()
        self.beats.append(last)
        while not self._stop.is_set():
            await asyncio.sleep(self.every_s)
            now = time.perf_counter()
            self.gaps.append(now - last - self.every_s)
            self.beats.append(now)
            last = now

    async def __aenter__(self) -> Heartbeat:
        self._task = asyncio.create_task(self._beat())
        await asyncio.sleep(self.every_s * 3)  # the beat is running before the work starts
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.sleep(self.every_s * 3)
        self._stop.set()
        if self._task is not None:
            await self._task
