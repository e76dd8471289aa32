"""Messages per second through the whole bot, demo source, spam limits off (goal: ≥ 500/s),
on a fresh database and on one holding 100,000 old message rows, measured in one run.

The real bot built by app.composition on the loopback bridge, replies sent without pauses,
200 approved senders, the spam rules at their loosest (repeats allowed, 100 commands per 5 s:
the spam check and its history lookup still run). Each run starts a new Python process on one
of two data folders made at the start:

- fresh: a new database (it carries the demo source and its `demo` trigger);
- old rows: the same, plus 100,000 message rows copied from rows the bot itself wrote for the
  same senders (every column as the app writes it; new ids, times spread over the last month,
  all older than any spam window).

A run sends 200 "demo" messages one after another (each waits for its answer to be recorded
before the next is handed over: the latency-bound case of one busy chat), the outbox sending
alongside, and times the first message entering the bot to the last reply handed to the
loopback. Then the same run hands over 200 more at once, one from each sender (a backlog
WhatsApp delivers after a reconnect, a shift change): the capacity of the bot, where messages
waiting together are recorded together. Runs alternate fresh / old rows, 3 of each, so both
see the same machine; the figures are medians with the range of the runs, and the ratio
between the two is given with its range. Left out: the process start (timed separately, not
counted), alarms, real WhatsApp.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.timefmt import format_ts  # noqa: E402
from app.db.database import close_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from bench.botbench import bot, open_data, percentile, phone, spread, verdict  # noqa: E402

GOAL_PER_S = 500
FLOOR_PER_S = 853  # the figure for the same SQL through raw sqlite3
SENDERS = 200
MESSAGES = 200
OLD_ROWS = 100_000
REPEATS = 3


async def send_all(folder: Path, count: int) -> dict:
    bridge, runtime = bot(folder)
    await runtime.start()
    try:
        await bridge.inject("demo", sender=phone(SENDERS - 1))  # the demo source opened once
        while not bridge.sent:
            await asyncio.sleep(0.001)
        before = len(bridge.sent)
        latencies = []
        started = time.perf_counter()
        for i in range(count):
            t0 = time.perf_counter()
            await bridge.inject("demo", sender=phone(i % SENDERS))
            latencies.append(time.perf_counter() - t0)
        injected = time.perf_counter() - started
        deadline = time.monotonic() + 90
        while len(bridge.sent) < before + count and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
        elapsed = bridge.sent_at[-1] - started
        result = {"sent": len(bridge.sent) - before, "elapsed": elapsed, "injected": injected,
                  "p50_ms": statistics.median(latencies) * 1000,
                  "p95_ms": percentile(latencies, 0.95) * 1000}
        before = len(bridge.sent)
        started = time.perf_counter()
        await asyncio.gather(*(bridge.inject("demo", sender=phone(i % SENDERS))
                               for i in range(count)))
        deadline = time.monotonic() + 90
        while len(bridge.sent) < before + count and time.monotonic() < deadline:
            await asyncio.sleep(0.001)
        result["together_sent"] = len(bridge.sent) - before
        result["together_elapsed"] = bridge.sent_at[-1] - started
        return result
    finally:
        await runtime.stop()


def child(folder: Path, count: int) -> None:
    """One run, in its own process: prints one JSON line."""
    opened = open_data(folder, 0)
    result = asyncio.run(send_all(folder, count))
    executor.shutdown()
    close_database(opened.db)
    print(json.dumps(result))


def copy_old_rows(db_path: Path, rows: int) -> float:
    """`rows` copies of the rows the bot wrote, with new ids and older times; seconds taken."""
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(messages)")]
    templates = conn.execute(f"SELECT {', '.join(columns)} FROM messages "
                             "WHERE id NOT LIKE 'seed-%'").fetchall()
    newest = datetime.now(UTC) - timedelta(minutes=10)
    stamped = {"created_at", "processed_at"} & set(columns)
    batch = []
    for i in range(rows):
        row = dict(zip(columns, templates[i % len(templates)], strict=True))
        stamp = format_ts(newest - timedelta(seconds=(rows - i) * 26))  # a month, oldest first
        row["id"] = f"old-{i}"
        for name in stamped:
            if row[name] is not None:
                row[name] = stamp
        batch.append(tuple(row[c] for c in columns))
    with conn:
        conn.executemany(f"INSERT INTO messages ({', '.join(columns)}) VALUES "
                         f"({', '.join('?' * len(columns))})", batch)
    total = conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    conn.close()
    print(f"(old rows: {rows:,} copies of the {len(templates)} rows the bot wrote, in "
          f"{time.perf_counter() - started:.1f} s; {total:,} rows in that log)")
    return total


def prepare(folder: Path, old_rows: int) -> None:
    opened = open_data(folder, SENDERS)
    close_database(opened.db)
    if old_rows:
        run(folder, SENDERS)  # rows as the bot writes them, to copy
        copy_old_rows(folder / "app.db", old_rows)


def run(folder: Path, count: int) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", str(folder), str(count)],
                          cwd=ROOT, capture_output=True, text=True, timeout=150, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def main() -> None:
    print(f"{MESSAGES} 'demo' messages per run from {SENDERS} approved senders, one after "
          f"another, spam rules at their loosest, replies sent without pauses; "
          f"{REPEATS} runs on each database, alternating.")
    with tempfile.TemporaryDirectory() as tmp:
        fresh, old = Path(tmp) / "fresh", Path(tmp) / "old"
        fresh.mkdir()
        old.mkdir()
        prepare(fresh, 0)
        prepare(old, OLD_ROWS)
        rates: dict[str, list[float]] = {"fresh": [], "old": []}
        together: dict[str, list[float]] = {"fresh": [], "old": []}
        p50: dict[str, list[float]] = {"fresh": [], "old": []}
        starts = []
        for _ in range(REPEATS):
            for label, folder in (("fresh", fresh), ("old", old)):
                r = run(folder, MESSAGES)
                if r["sent"] != MESSAGES:
                    print(f"  ({label}: only {r['sent']} of {MESSAGES} replies were sent)")
                rates[label].append(MESSAGES / r["elapsed"])
                together[label].append(MESSAGES / r["together_elapsed"])
                if r["together_sent"] != MESSAGES:
                    print(f"  ({label}, at once: only {r['together_sent']} of {MESSAGES} "
                          "replies were sent)")
                p50[label].append(r["p50_ms"])
                starts.append(r["process_s"] - r["elapsed"])
    for label, name in (("fresh", "fresh database"), ("old", f"{OLD_ROWS:,} old rows")):
        print(f"{name:>16}: one after another {spread(rates[label])} messages/s (message in → "
              f"reply in the outbox p50 {spread(p50[label], '{:.1f}')} ms); {MESSAGES} at once "
              f"{spread(together[label])} messages/s")
    ratios = [o / f for f, o in zip(rates["fresh"], rates["old"], strict=True)]
    print(f"old rows / fresh, run by run: {spread(ratios, '{:.2f}')}× the throughput")
    print(f"(each run's process start and database opening, not counted: "
          f"{statistics.median(starts):.1f} s)")
    for how, figures in (("one after another", rates), (f"{MESSAGES} at once", together)):
        best = statistics.median(figures["fresh"])
        print(f"Goal: ≥ {GOAL_PER_S} messages/s through the whole bot, {how}: "
              f"{verdict(best >= GOAL_PER_S)} ({best:.0f}/s = {best / GOAL_PER_S:.2f}× the goal, "
              f"{best / FLOOR_PER_S:.2f}× the {FLOOR_PER_S}/s the same SQL reaches through raw "
              f"sqlite3 one after another)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
