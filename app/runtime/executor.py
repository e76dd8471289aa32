"""The app's one bounded thread pool for blocking I/O, always used with a deadline.

No source can starve another: a source object may say how many of its calls may hold a thread
at once (`concurrent_requests`), and a call waits for one of those slots before it takes a
thread, its wait counted in its time limit. A slot is given back when the thread is done, not
when the caller stops waiting, so a server that hangs holds at most that many threads and the
rest of the pool stays free for the others. Calls a source names in `inline_calls` are pure
computation, quick enough to run on the event loop without a thread (the demo's current
values). See app/sources/base.py for both attributes.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None
MAX_WORKERS = 6
# Per source object: its slots, for the loop they were made on.
_slots: weakref.WeakKeyDictionary[Any, tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]] = \
    weakref.WeakKeyDictionary()


def pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="wa-io")
    return _pool


async def run_blocking(fn: Callable[..., T], *args: Any, timeout: float, **kwargs: Any) -> T:
    """Run `fn` on the pool; raise TimeoutError after `timeout` seconds (the call is abandoned).

    The time spent waiting for one of the source's slots counts in `timeout`.
    """
    loop = asyncio.get_running_loop()
    call = functools.partial(fn, *args, **kwargs)
    owner = getattr(fn, "__self__", None)
    if getattr(fn, "__name__", None) in getattr(owner, "inline_calls", ()):
        return call()
    slots = _slots_of(owner, loop)
    if slots is None:
        return await asyncio.wait_for(loop.run_in_executor(pool(), call), timeout)
    started = loop.time()
    await asyncio.wait_for(slots.acquire(), timeout)
    remaining = timeout - (loop.time() - started)
    if remaining <= 0:  # nobody would wait for the answer: do not take a thread for it
        slots.release()
        raise TimeoutError
    try:
        running = pool().submit(call)
    except BaseException:
        slots.release()
        raise
    running.add_done_callback(functools.partial(_give_back, loop, slots))
    return await asyncio.wait_for(asyncio.wrap_future(running, loop=loop), remaining)


def _slots_of(owner: Any, loop: asyncio.AbstractEventLoop) -> asyncio.Semaphore | None:
    size = getattr(owner, "concurrent_requests", None)
    if not isinstance(size, int) or size < 1:
        return None
    try:
        known = _slots.get(owner)
        if known is None or known[0] is not loop:
            known = (loop, asyncio.Semaphore(size))
            _slots[owner] = known
    except TypeError:  # an owner that cannot be a weak key is not bounded
        return None
    return known[1]


def _give_back(loop: asyncio.AbstractEventLoop, slots: asyncio.Semaphore, _: Future) -> None:
    """The thread is done (or the call never started): its slot is free again."""
    try:
        loop.call_soon_threadsafe(slots.release)
    except RuntimeError:  # the loop is closed: nobody waits for this slot any more
        pass


def shutdown(wait: bool = False) -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None
