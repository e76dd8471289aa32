"""The desktop window's longest event-loop stall while the alarm views refresh, at plant scale.

Builds the database of bench_alarm_summary.py (5,000 alarms, 2,500 open events: 1,000
active, 800 acknowledged, 700 shelved, each told to two of 40 contacts and 5 groups, among
200,000 other sent messages) and 5,000 more contacts, logs in, and opens the real main window
on a qasync loop with the Alarms tab shown and, once opened, the Dashboard beside it in a
window of its own (a tab widget shows one page at a time; both are shown here, as on a second
screen). A heartbeat task beats
every 5 ms on the loop (bench/heartbeat.py) while, for 20 s, every second each view is told
to refresh as its timer or a change notice tells it: the Alarms tab's definitions list (with
the reach of every alarm's recipients and the recent events under it), the alarm summary,
and the Dashboard's numbers with its Alarms box and its nobody-can-be-told line.

Two phases, one after the other in the same run:

  - "on the loop": each view's read and apply called directly, one after the other, as every
    refresh ran before the reads moved to the executor;
  - "as the app does": each view's own refresh (read on the app's bounded executor, applied
    on the loop).

Before those, opening: after, the heartbeat beats while the main window opens as the app
opens it (on the Alarms tab, where it was left; the other tabs built in later turns) until
every tab is built and every first read shown, and how long the window's first turn took;
before, in the same run and with what "after" warmed, every tab built in one turn as the
window used to (the Contacts list read on the loop). Then one Alarms tab built on its own
the same way; then, for comparison, the first fill as it was before it moved off the loop
(the Alarms tab's and the summary's read and apply called on the loop into empty tables).
The phases' longest garbage collection is printed with them.

Printed per phase: the longest stall, the 99th percentile of the beats' lateness, how many
refreshes were applied, and the ratio of the longest stall to the 50 ms goal with "met" or
"MISSED". The machine's other load counts: compare the phases of one run, and the floor
printed first (the same window with no view refreshed and their timers stopped).

    python bench/bench_tabs_stall.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WA_INTEGRATION_SECRETS", "file")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.db.database import close_database, open_database  # noqa: E402
from app.services import secrets  # noqa: E402
from bench.bench_alarm_summary import fill  # noqa: E402
from bench.botbench import verdict  # noqa: E402
from bench.heartbeat import Heartbeat  # noqa: E402

GOAL_MS = 50.0
EVERY_S = 1.0
CONTACTS = 5000


NAMES = ("Alarms tab's list", "alarm summary", "Dashboard")


def views(window):
    alarms_tab, dashboard = window.alarms_tab, window.dashboard_tab
    return alarms_tab, alarms_tab.summary, dashboard


def fire_on_loop(view) -> None:
    """A view's read and apply, run on the loop as before."""
    loader = getattr(view, "loader", None)
    if loader is not None:  # the same work as the off-loop refresh, on the loop
        loader.now()
    elif hasattr(view, "refresh_numbers"):
        view.refresh_numbers()
    else:
        view.refresh()


def fire_off_loop(view) -> None:
    (view.refresh_numbers if hasattr(view, "refresh_numbers") else view.refresh)()


def applied(window) -> int:
    return sum(getattr(getattr(view, "loader", None), "applied", 0) for view in views(window))


async def phase(window, fire, seconds: float) -> tuple[Heartbeat, list[float], int, float]:
    """Every EVERY_S each view is fired in its own third of the second; the stall in that
    third is counted for it (an off-loop apply lands in the third of its own view unless its
    read takes longer)."""

    before = applied(window)
    worst = [0.0] * len(NAMES)
    with Collections() as collections:
        beat = await _phase(window, fire, seconds, worst)
    return beat, worst, applied(window) - before, collections.longest


async def _phase(window, fire, seconds: float, worst: list[float]) -> Heartbeat:
    async with Heartbeat() as beat:
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while loop.time() < end:
            for n, view in enumerate(views(window)):
                started = time.perf_counter()
                fire(view)
                await asyncio.sleep(EVERY_S / len(NAMES))
                worst[n] = max(worst[n], beat.longest_since(started))
        await asyncio.sleep(2.0)  # the last reads come back
    return beat


class Collections:
    """The longest garbage collection (any thread) while the block runs: a full one holds
    every thread, the window's too."""

    def __enter__(self) -> Collections:
        self.longest, self._started = 0.0, 0.0
        gc.callbacks.append(self._seen)
        return self

    def _seen(self, phase: str, _info: dict) -> None:
        now = time.perf_counter()
        if phase == "start":
            self._started = now
        else:
            self.longest = max(self.longest, now - self._started)

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._seen)


def report(window, name: str, beat: Heartbeat, worst: list[float], done: int,
           collected: float = 0.0) -> float:
    longest = beat.longest * 1000
    p99 = statistics.quantiles(beat.gaps, n=100)[98] * 1000 if len(beat.gaps) > 100 else longest
    applied_text = f"; {done} refreshes applied from the executor" if done else ""
    print(f"{name}: longest stall {longest:.0f} ms, p99 of the beats {p99:.1f} ms{applied_text}"
          f"; longest garbage collection {collected * 1000:.0f} ms")
    print("  by view: " + ", ".join(f"{view} {ms * 1000:.0f} ms"
                                    for view, ms in zip(NAMES, worst, strict=True)))
    loaders = [getattr(view, "loader", None) for view in views(window)]
    if any(loaders):
        print("  longest apply on the loop so far: " + ", ".join(
            f"{view} {loader.longest_apply_s * 1000:.0f} ms"
            for view, loader in zip(NAMES, loaders, strict=True) if loader))
    print(f"  ratio to the {GOAL_MS:.0f} ms goal {longest / GOAL_MS:.2f} — "
          f"{verdict(longest < GOAL_MS)}")
    return longest


def report_stall(name: str, beat: Heartbeat) -> float:
    longest = beat.longest * 1000
    print(f"{name}: longest stall {longest:.0f} ms — ratio to the {GOAL_MS:.0f} ms goal "
          f"{longest / GOAL_MS:.2f}, {verdict(longest < GOAL_MS)}")
    return longest


async def filled(tab, dashboard) -> None:
    """Until the first reads of the Alarms tab, its summary and the Dashboard are shown."""
    views = [tab, tab.summary] + ([dashboard] if dashboard is not None else [])
    deadline = time.perf_counter() + 300
    while any(view.loader.applied == 0 for view in views) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    for view in views:
        await view.loader.idle()


async def all_idle(window) -> None:
    """Until no view of the window reads off the loop."""
    from app.ui import off_loop

    deadline = time.perf_counter() + 300
    while off_loop.reading() and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)


def more_contacts() -> None:
    """CONTACTS people more in Contacts, a third of them allowed, some waiting."""
    import json

    from app.db.models import database_proxy

    with database_proxy.atomic():
        database_proxy.connection().executemany(
            "INSERT INTO contacts (id, name, phone, metadata) VALUES (?, ?, ?, ?)",
            ((f"6282{n:08d}@s.whatsapp.net", f"Person {n}", f"+6282{n:08d}",
              json.dumps({"allowed": n % 3 == 0, "waiting": n % 50 == 1, "tags": ["ops"]}))
             for n in range(CONTACTS)))


async def build_tab(ctx):
    """One Alarms tab built and shown on its own, heartbeat on: its longest stall."""
    from app.ui.tabs.alarms_tab import AlarmsTab

    async with Heartbeat() as beat:
        tab = AlarmsTab(ctx)
        tab.resize(1280, 720)
        tab.show()
        await filled(tab, None)
    return tab, report_stall("building the Alarms tab and its first fill", beat)


async def run(data: Path, seconds: float) -> None:
    from PySide6.QtWidgets import QApplication

    from app.runtime import executor
    from app.runtime.source_pool import SourcePool
    from app.services import auth, users
    from app.ui import language
    from app.ui.context import UiContext
    from app.ui.main_window import MainWindow
    from app.ui.message_bridge import MessageBridge
    from app.ui.runner import AsyncRunner
    from app.ui.window_state import WindowState

    app = QApplication.instance()
    app.setQuitOnLastWindowClosed(False)
    language.install("en")
    users.create_user(None, "admin", "admin-pass-1", full_name="Site Admin")
    ctx = UiContext(auth.login("admin", "admin-pass-1"), AsyncRunner(), MessageBridge(),
                    SourcePool())
    # As app.ui.application.run does once start-up is done: what it made is not walked by
    # every full collection.
    gc.collect()
    gc.freeze()
    print(f"5,000 alarms, 2,500 open events, {CONTACTS:,} more contacts; heartbeat every 5 ms")
    # After: the window as the app opens it, on the Alarms tab (where it was left), the
    # other tabs built in later turns; measured until every tab is built and every first
    # read shown. Cold, and first: "before" below runs with what this one warmed.
    state = WindowState.beside(data / "app.db")
    state.data["tab"] = "alarms"
    async with Heartbeat() as beat:
        started = time.perf_counter()
        window = MainWindow(ctx, data / "app.db", state=state)
        window.resize(1280, 720)
        window.show()
        built = time.perf_counter() - started
        await filled(window.alarms_tab, None)
        usable = time.perf_counter() - started
        while not window.all_built:
            await asyncio.sleep(0.01)
        await all_idle(window)
        on_screen = time.perf_counter() - started
    print(f"opening the main window: the Alarms tab built and shown in {built * 1000:.0f} ms, "
          f"its rows in {usable:.1f} s, every tab built and filled {on_screen:.1f} s after "
          "the start")
    opening = report_stall("  after: opening the main window (one tab, the others later)",
                           beat)
    first = next((after - started for after in beat.beats if after > started), 0.0) * 1000
    print(f"  the window's first turn {first:.0f} ms (the window up and its tab usable)")
    async with Heartbeat() as beat:
        pages = [kind(ctx) for kind, _title in window._pages.values()]  # as it was: all at once
        for page in pages:
            page.resize(1280, 680)
        pages[6].show()  # the Alarms tab, as the window showed it
        await filled(pages[6], None)
        await asyncio.sleep(0.5)
    opening_before = report_stall("  before: every tab built in one turn, as the window did",
                                  beat)
    print(f"  opening: longest stall {opening_before:.0f} ms → {opening:.0f} ms")
    for page in pages:
        page.close()
        page.deleteLater()
    del pages
    await asyncio.sleep(0.2)
    gc.collect()  # the comparison's own tabs, gone: not collected in the phases below
    dashboard = window.dashboard_tab
    window.tabs.removeTab(window.tabs.indexOf(dashboard))
    dashboard.setParent(None)
    dashboard.resize(1280, 720)
    dashboard.show()
    window.tabs.setCurrentWidget(window.alarms_tab)
    await filled(window.alarms_tab, dashboard)
    tab, alone = await build_tab(ctx)
    async with Heartbeat() as beat:
        tab.model.set_rows([])
        tab.summary.model.set_rows([])
        for view in (tab, tab.summary):
            view.loader.now()
    report_stall("the first fill on the loop (as before)", beat)
    tab.close()
    tab.deleteLater()
    print(f"each view refreshed every {EVERY_S:.0f} s for {seconds:.0f} s, the Alarms tab and "
          "the Dashboard shown")
    timers = (window.alarms_tab._timer, window.dashboard_tab._timer)
    for timer in timers:
        timer.stop()
    for view in views(window):  # reads still asked for by the phases above are back
        await view.loader.idle()
    await asyncio.sleep(1.0)
    quiet = report(window, "the machine's own floor (no view refreshed, their timers stopped)",
                   *await phase(window, lambda _view: None, seconds / 2))
    for timer in timers:
        timer.start()
    before = report(window, "on the loop (as before)", *await phase(window, fire_on_loop, seconds))
    after = report(window, "as the app does", *await phase(window, fire_off_loop, seconds))
    print(f"longest stall {before:.0f} ms → {after:.0f} ms"
          + (f" ({before / after:.1f}× shorter)" if after > 0 else ""))
    print(f"summary: opening {opening_before:.0f} → {opening:.0f} ms ({opening / GOAL_MS:.2f}× "
          f"the goal, {verdict(opening < GOAL_MS)}); building the Alarms tab {alone:.0f} ms "
          f"({alone / GOAL_MS:.2f}×, {verdict(alone < GOAL_MS)}); refreshing {after:.0f} ms "
          f"({after / GOAL_MS:.2f}× the goal, {verdict(after < GOAL_MS)}); the machine's own "
          f"floor in this run {quiet:.0f} ms")
    dashboard.close()
    window.close()
    dashboard.deleteLater()
    window.deleteLater()
    await asyncio.sleep(0.1)
    executor.shutdown(wait=True)


def main() -> None:
    import qasync
    from PySide6.QtWidgets import QApplication

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        secrets.configure(data)
        opened = open_database(data / "app.db", data / "backups")
        try:
            fill(datetime.now(UTC))
            more_contacts()
            app = QApplication.instance() or QApplication([])
            loop = qasync.QEventLoop(app)
            asyncio.set_event_loop(loop)
            loop.run_until_complete(run(data, args.seconds))
        finally:
            close_database(opened.db)


if __name__ == "__main__":
    main()
