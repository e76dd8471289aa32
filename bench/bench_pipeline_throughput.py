"""Pipeline throughput, loopback bridge and demo source, throttle off (goal: ≥ 300 msg/s).

A fresh database (new databases carry the demo source and its `demo` trigger), a LoopbackBridge
and a BotRuntime with a zero throttle. Approved senders write "demo", "help" and an unknown word
in three rounds; the bot answers each with one reply. Prints messages per second and the
per-message latency, measured three ways:

- pipeline only: message in → reply row queued (the outbox is stopped);
- the outbox alone sending those queued replies to the loopback;
- end to end: message in → reply handed to the loopback, the outbox running alongside.

Then the same on a database already holding 100,000 message rows from the same senders, so the
per-message spam lookup (this sender's history) is shown against a big log.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WA_INTEGRATION_SECRETS", "file")

from app.bridge.loopback import LoopbackBridge  # noqa: E402
from app.composition import build_bot  # noqa: E402
from app.core.messages import Incoming  # noqa: E402
from app.core.spam import SpamSettings  # noqa: E402
from app.core.timefmt import format_ts  # noqa: E402
from app.db.database import close_database, open_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from app.runtime.outbox import Throttle  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from app.services import contacts, messages, secrets  # noqa: E402
from app.services.context import SYSTEM  # noqa: E402

GOAL_PER_S = 300
SENDERS = 600
# One round per text: each sender writes each text once, so nobody sends more than three
# commands a minute (the spam rule allows five) and no text comes twice within 10 s (a repeat).
# An unknown word is answered with a hint once per sender, so every message gets one reply.
ROUNDS = ("demo", "help", "frobnicate")
OLD_ROWS = 100_000


def zero_throttle() -> Throttle:
    return Throttle(0, 0, 10**6, 10**6)


def phone(n: int) -> str:
    return f"+62811{n:07d}"


class StampedLoopback(LoopbackBridge):
    """The loopback, noting when each reply was handed over (perf_counter)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_at: list[float] = []

    async def send_text(self, to: str, text: str, quoted_id: str | None = None) -> str:
        message_id = await super().send_text(to, text, quoted_id)
        self.sent_at.append(time.perf_counter())
        return message_id


def approve_senders() -> None:
    for n in range(SENDERS):
        digits = phone(n)[1:]
        contact = contacts.upsert_from_message(Incoming(
            message_id=f"seed-{n}", chat=f"{digits}@s.whatsapp.net",
            sender=f"{digits}@s.whatsapp.net", sender_phone=phone(n), push_name=f"Operator {n}",
            text="hi", timestamp=datetime.now(UTC)))
        contacts.approve(SYSTEM, contact["id"])


def fill_log(db, rows: int) -> float:
    """`rows` old messages (a fifth of them outgoing) from the same senders; returns seconds."""
    started = time.perf_counter()
    rng = random.Random(7)
    newest = datetime.now(UTC) - timedelta(minutes=5)  # outside every spam window
    batch = []
    for i in range(rows):
        n = rng.randrange(SENDERS)
        jid = f"{phone(n)[1:]}@s.whatsapp.net"
        stamp = format_ts(newest - timedelta(seconds=i * 26))  # about a month of history
        if i % 5 == 4:
            meta = {"outbox_id": i, "kind": "reply", "channel": "whatsapp"}
            batch.append((f"old-{i}", "outgoing", "*Demo plant* …", None, jid, "sent", stamp,
                          json.dumps(meta), stamp))
        else:
            meta = {"chat": jid, "is_group": False, "push_name": f"Operator {n}",
                    "route": "trigger", "trigger": "demo", "latency_ms": 3.0}
            batch.append((f"old-{i}", "incoming", rng.choice(ROUNDS), jid, None, "answered",
                          stamp, json.dumps(meta), stamp))
    batch.reverse()  # oldest first, as the log grows
    with db.atomic():
        db.connection().executemany(
            "INSERT INTO messages (id, type, content, sender, recipient, status, processed_at, "
            "metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
    return time.perf_counter() - started


async def pipeline_only(bridge: StampedLoopback, runtime) -> dict:
    """Message in → reply row queued, the outbox stopped; then the outbox drains alone."""
    await runtime.start()
    await runtime.outbox.stop()
    latencies = []
    started = time.perf_counter()
    for text in ROUNDS:
        for n in range(SENDERS):
            t0 = time.perf_counter()
            await bridge.inject(text, sender=phone(n))
            latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    queued = messages.pending_count()
    drain_started = time.perf_counter()
    await runtime.outbox.drain(timeout=120)
    drained = time.perf_counter() - drain_started
    return {"elapsed": elapsed, "latencies": latencies, "queued": queued,
            "sent": len(bridge.sent), "drain_s": drained}


async def end_to_end(bridge: StampedLoopback, runtime) -> dict:
    """Message in → reply handed to the loopback, the outbox sending alongside."""
    await runtime.start()
    injected = []
    started = time.perf_counter()
    for text in ROUNDS:
        for n in range(SENDERS):
            injected.append(time.perf_counter())
            await bridge.inject(text, sender=phone(n))
    inject_done = time.perf_counter()
    expected = len(injected)
    deadline = time.monotonic() + 120
    while len(bridge.sent) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    finished = bridge.sent_at[-1] if bridge.sent_at else time.perf_counter()
    # The outbox sends oldest first and every message has one reply: the k-th reply answers the
    # k-th message.
    latencies = [s - i for i, s in zip(injected, bridge.sent_at, strict=False)]
    return {"elapsed": finished - started, "inject_s": inject_done - started,
            "latencies": latencies, "sent": len(bridge.sent), "expected": expected}


def run(label: str, scenario, old_rows: int = 0) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        secrets.configure(data)
        opened = open_database(data / "app.db")
        approve_senders()
        fill_s = fill_log(opened.db, old_rows) if old_rows else 0.0
        bridge = StampedLoopback()
        runtime = build_bot(bridge, SourcePool(), data / "media", throttle=zero_throttle)

        async def go() -> dict:
            try:
                return await scenario(bridge, runtime)
            finally:
                await runtime.stop()

        result = asyncio.run(go())
        result["label"] = label
        result["fill_s"] = fill_s
        result["rows_after"] = opened.db.execute_sql("SELECT COUNT(*) FROM messages").fetchone()[0]
        statuses = dict(opened.db.execute_sql(
            "SELECT status, COUNT(*) FROM messages WHERE type = 'incoming' "
            "AND id NOT LIKE 'old-%' GROUP BY status").fetchall())
        result["statuses"] = statuses
        close_database(opened.db)
    return result


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def latency_text(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {ms(statistics.median(ordered))}, p95 {ms(p95)}, max {ms(ordered[-1])}"


def verdict(rate: float) -> str:
    return "met" if rate >= GOAL_PER_S else "MISSED"


def report_pipeline(r: dict) -> float:
    count = len(r["latencies"])
    rate = count / r["elapsed"]
    print(f"[{r['label']}] pipeline only (message in → reply row queued, outbox stopped)")
    print(f"  {count} messages in {r['elapsed']:.2f} s = {rate:.0f} messages/s "
          f"(goal ≥ {GOAL_PER_S}/s: {verdict(rate)})")
    print(f"  per message: {latency_text(r['latencies'])}")
    print(f"  statuses: {r['statuses']}; reply rows queued: {r['queued']}")
    print(f"  outbox alone, sending the {r['sent']} queued replies to the loopback: "
          f"{r['drain_s']:.2f} s = {r['sent'] / r['drain_s']:.0f} replies/s")
    return rate


def report_end_to_end(r: dict) -> float:
    rate = r["expected"] / r["elapsed"]
    print(f"[{r['label']}] end to end (message in → reply handed to the loopback, outbox running)")
    print(f"  {r['expected']} messages, {r['sent']} replies sent, last one after "
          f"{r['elapsed']:.2f} s = {rate:.0f} messages/s (goal ≥ {GOAL_PER_S}/s: {verdict(rate)})")
    print(f"  injecting took {r['inject_s']:.2f} s; message in → reply sent: "
          f"{latency_text(r['latencies'])}")
    print("  (messages arrive as fast as the pipeline takes them, so replies wait in the outbox "
          "behind earlier ones: that wait is most of this latency)")
    print(f"  statuses: {r['statuses']}")
    return rate


def main() -> None:
    rules = SpamSettings()
    total = SENDERS * len(ROUNDS)
    print(f"{total} messages from {SENDERS} approved senders, {len(ROUNDS)} rounds of "
          f"{', '.join(repr(t) for t in ROUNDS)}: each sender sends {len(ROUNDS)} commands, "
          f"under the spam rule of {rules.max_commands} per {rules.window_s} s, and no text "
          f"twice within {rules.repeat_window_s} s, so none is muted or ignored.")
    print("Throttle off: Throttle(0, 0, 10**6, 10**6). Messages are injected one after "
          "another (each inject awaits the pipeline); pipeline and outbox share one event loop.")
    print()
    fresh = run("fresh database", pipeline_only)
    fresh_rate = report_pipeline(fresh)
    e2e = run("fresh database", end_to_end)
    report_end_to_end(e2e)
    print()
    big = run(f"{OLD_ROWS:,} old rows", pipeline_only, OLD_ROWS)
    print(f"(inserted {OLD_ROWS:,} message rows from the same senders, a fifth outgoing, in "
          f"{big['fill_s']:.2f} s; {big['rows_after']:,} rows at the end)")
    big_rate = report_pipeline(big)
    big_e2e = run(f"{OLD_ROWS:,} old rows", end_to_end, OLD_ROWS)
    report_end_to_end(big_e2e)
    print()
    print(f"pipeline only, {OLD_ROWS:,} old rows vs fresh: {big_rate / fresh_rate:.2f}× the "
          f"throughput ({big_rate:.0f} vs {fresh_rate:.0f} messages/s)")
    executor.shutdown()


if __name__ == "__main__":
    main()
