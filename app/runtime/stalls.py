"""The running app's own stall log: any time the event loop is held over 100 ms, one warning
saying how long and what held it, so a slow plant can be diagnosed from its log.

A beat on the loop (a callback every 20 ms) notes when it last ran; a watchdog thread looks
every few milliseconds. While the beat is late past the threshold, the watchdog samples the
loop thread's stack (`sys._current_frames`), which the held loop cannot do itself. When the
beat runs again it logs the stall once: its length, the frame of our own code seen most often
while it lasted (the one that held the loop), and the stack under it. A loop that is still
held after `STILL_HELD_S` is logged then too, without waiting for it to end.

Started by the desktop app and by `serve`; the sampling costs nothing while the loop is
healthy (the watchdog only compares two numbers). Each stall also says how much of it Python's
garbage collector took, on any thread (a full collection of a large heap holds every thread
for tens of milliseconds): the desktop app, which cannot sample, still tells that cause apart.
"""

from __future__ import annotations

import asyncio
import collections
import gc
import logging
import sys
import threading
import time
import traceback
from pathlib import Path

log = logging.getLogger(__name__)

THRESHOLD_S = 0.1
BEAT_S = 0.02
LOOK_S = 0.01  # how often the watchdog looks, and samples during a stall
STILL_HELD_S = 5.0
_OURS = str(Path(__file__).resolve().parents[1])  # the app package's folder
_OWN = str(Path(__file__).resolve())
STACK_DEPTH = 8
# Sampling the loop thread's stack from the watchdog holds that thread's frames for a moment:
# a frame that ends meanwhile is then freed on the watchdog thread, with the Qt objects its
# locals held, and objects deleted off the GUI thread corrupt the window (seen as windows that
# never open under load). So the desktop app logs how long the loop was held, not by what;
# `serve` (no window) samples.


class StallWatch:
    """`watch = StallWatch(); watch.start()` on the loop; `watch.stop()` before it closes."""

    def __init__(self, threshold_s: float = THRESHOLD_S, sample_stacks: bool = True) -> None:
        self.threshold_s = threshold_s
        self.sample_stacks = sample_stacks  # False where the loop thread runs Qt (above)
        self.logged = 0  # stalls logged so far
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._last = time.monotonic()
        self._handle: asyncio.TimerHandle | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._samples: collections.Counter[tuple[str, ...]] = collections.Counter()
        self._stalled_since: float | None = None
        self._told_still_held = False
        # Garbage collection since the last beat: seconds, and the oldest generation collected.
        # Written by the collector's callback on whatever thread collects, without a lock (the
        # callback may run inside a block that holds ours).
        self._gc_s = 0.0
        self._gc_generation = -1
        self._gc_began: float | None = None

    def start(self, loop: asyncio.AbstractEventLoop | None = None) -> StallWatch:
        self._loop = loop or asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._stopped.clear()
        self._last = time.monotonic()
        self._handle = self._loop.call_later(BEAT_S, self._beat)
        self._thread = threading.Thread(target=self._watch, name="wa-stall-watch", daemon=True)
        self._thread.start()
        gc.callbacks.append(self._collected)
        return self

    def stop(self) -> None:
        if self._collected in gc.callbacks:
            gc.callbacks.remove(self._collected)
        self._stopped.set()
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None

    def _collected(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        elif self._gc_began is not None:
            self._gc_s += time.perf_counter() - self._gc_began
            self._gc_generation = max(self._gc_generation, int(info.get("generation", 0)))
            self._gc_began = None

    # -- on the loop --------------------------------------------------------------------------
    def _beat(self) -> None:
        now = time.monotonic()
        with self._lock:
            held = now - self._last - BEAT_S
            samples, self._samples = self._samples, collections.Counter()
            self._stalled_since = None
            self._told_still_held = False
            self._last = now
        collected, generation = self._gc_s, self._gc_generation
        self._gc_s, self._gc_generation = 0.0, -1
        if held > self.threshold_s:
            self._report(held, samples, ended=True, gc_s=collected, generation=generation)
        if not self._stopped.is_set() and self._loop is not None:
            self._handle = self._loop.call_later(BEAT_S, self._beat)

    # -- on the watchdog thread ---------------------------------------------------------------
    def _watch(self) -> None:
        while not self._stopped.wait(LOOK_S):
            now = time.monotonic()
            with self._lock:
                late = now - self._last - BEAT_S
                if late <= self.threshold_s:
                    continue
                if self._stalled_since is None:
                    self._stalled_since = self._last
                if self.sample_stacks:
                    frame = sys._current_frames().get(self._loop_thread)
                    if frame is not None:
                        self._samples[_stack(frame)] += 1
                    del frame
                still = late > STILL_HELD_S and not self._told_still_held
                if still:
                    self._told_still_held = True
                    samples = collections.Counter(self._samples)
            if still:
                self._report(late, samples, ended=False)

    def _report(self, held: float, samples: collections.Counter, ended: bool,
                gc_s: float = 0.0, generation: int = -1) -> None:
        self.logged += ended
        if samples:
            stack, seen = samples.most_common(1)[0]
            share = f" (in {seen} of {sum(samples.values())} samples)"
            where = stack[0] if stack else "code outside the app"
            under = "".join(f"\n    called from {frame}" for frame in stack[1:])
        elif self.sample_stacks:  # held between two looks: no sample was taken
            where, share, under = "something too quick to sample", "", ""
        else:
            where, share, under = "the window's thread (not sampled)", "", ""
        if gc_s >= 0.001:
            share += (f"; Python's garbage collection (generation {generation}) took "
                      f"{gc_s * 1000:.0f} ms of it")
        if ended:
            log.warning("The event loop was held for %.0f ms by %s%s%s", held * 1000, where,
                        share, under)
        else:
            log.warning("The event loop has been held for %.0f ms so far by %s%s%s",
                        held * 1000, where, share, under)


def _stack(frame) -> tuple[str, ...]:
    """The loop thread's frames in the app's own code, innermost first; the first names the
    library frame it was in, when it was in one."""
    found: list[str] = []
    innermost = ""
    for summary in reversed(traceback.extract_stack(frame, limit=40)):
        name = f"{summary.name} ({_short(summary.filename)}:{summary.lineno})"
        ours = summary.filename.startswith(_OURS) and summary.filename != _OWN
        if not innermost:
            innermost = "" if ours else name
            innermost = innermost or "-"
        if ours:
            found.append(name)
            if len(found) >= STACK_DEPTH:
                break
    if found and innermost != "-":
        found[0] = f"{found[0]}, inside {innermost}"
    return tuple(found) or (innermost,)


def _short(filename: str) -> str:
    if filename.startswith(_OURS):
        return "app" + filename[len(_OURS):].replace("\\", "/")
    return Path(filename).name
