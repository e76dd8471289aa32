"""Waiting on Qt from a coroutine on the qasync loop, without blocking that loop."""

from __future__ import annotations

import asyncio
import time


async def until(predicate, timeout: float = 5.0, what: str = "condition") -> None:
    """Let the qasync loop run until `predicate()` is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def refreshed(*views) -> None:
    """Until the refreshes the views have in flight are shown (their reads run off the loop,
    app/ui/off_loop.py)."""
    for view in views:
        await view.loader.idle()
