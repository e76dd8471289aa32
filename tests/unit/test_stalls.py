"""The app's stall log: a loop held over 100 ms is logged once, naming what held it; a loop
that is only busy with short work logs nothing."""

from __future__ import annotations

import asyncio
import logging
import time

from app.runtime.stalls import StallWatch


def hold_the_loop_with_a_slow_report() -> None:
    time.sleep(0.4)  # a blocking call where an await belonged


def test_a_real_stall_is_logged_with_the_function_that_held_the_loop(caplog):
    caplog.set_level(logging.WARNING, logger="app.runtime.stalls")

    async def main() -> StallWatch:
        watch = StallWatch().start()
        try:
            await asyncio.sleep(0.1)
            hold_the_loop_with_a_slow_report()
            await asyncio.sleep(0.1)
        finally:
            watch.stop()
        return watch

    watch = asyncio.run(main())
    lines = [r.getMessage() for r in caplog.records if r.name == "app.runtime.stalls"]
    assert watch.logged == 1 and len(lines) == 1
    assert lines[0].startswith("The event loop was held for ")
    assert "by hold_the_loop_with_a_slow_report (test_stalls.py:" in lines[0]


def test_short_steps_with_turns_between_them_log_nothing(caplog):
    caplog.set_level(logging.WARNING, logger="app.runtime.stalls")

    async def main() -> StallWatch:
        watch = StallWatch().start()
        try:
            for _ in range(40):
                sum(range(20_000))  # a millisecond or so of work, then the loop's turn
                await asyncio.sleep(0.005)
        finally:
            watch.stop()
        return watch

    watch = asyncio.run(main())
    assert watch.logged == 0
    assert not [r for r in caplog.records if r.name == "app.runtime.stalls"]


def test_a_stall_says_how_much_of_it_the_garbage_collector_took(caplog):
    import gc

    caplog.set_level(logging.WARNING, logger="app.runtime.stalls")
    heap = [[n] for n in range(400_000)]  # many containers for a full collection to walk

    def collect_everything() -> None:
        time.sleep(0.15)
        gc.collect()

    async def main() -> StallWatch:
        watch = StallWatch(sample_stacks=False).start()
        try:
            await asyncio.sleep(0.1)
            collect_everything()
            await asyncio.sleep(0.1)
        finally:
            watch.stop()
        return watch

    watch = asyncio.run(main())
    del heap
    lines = [r.getMessage() for r in caplog.records if r.name == "app.runtime.stalls"]
    assert watch.logged == 1 and len(lines) == 1
    assert "by the window's thread (not sampled)" in lines[0]
    assert "Python's garbage collection (generation 2) took " in lines[0]
    assert watch._collected not in gc.callbacks  # stop() takes its callback away
