"""Escalation on delivery at plant scale: 1,000 and 3,000 open alarm events whose second level
is told when the first level's WhatsApp message is not delivered within 5 minutes.

The alarms watch the demo historian's boiler temperature (always over the limit, no server
needed) and raise in one cold cycle, told to one contact in one message. Then, by a clock moved
by hand, cycles at 6 minutes: in the "delivered" run the phone reported the message delivered
(the first cycle past the timeout reads each event's telling once, later ones remember it); in
the "not delivered" run every event escalates at once, its next level told by WhatsApp and its
undelivered copy queued by e-mail. A heartbeat on the event loop gives the longest stall.

Printed per cycle: its time, the longest loop stall and its ratio to the 50 ms goal, and how
many messages the cycle queued (WhatsApp and e-mail).

    python bench/bench_delivery_escalation.py            # 1,000 and 3,000 events
    python bench/bench_delivery_escalation.py 500        # chosen sizes
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WA_INTEGRATION_SECRETS", "file")

from app.core.timefmt import format_ts  # noqa: E402
from app.db.database import close_database, open_database  # noqa: E402
from app.db.models import OutgoingMessage  # noqa: E402
from app.runtime import executor  # noqa: E402
from app.runtime.alarms.engine import AlarmEngine  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from app.services import config_io, contacts, emails, secrets  # noqa: E402
from app.services.context import SYSTEM  # noqa: E402
from bench.heartbeat import Heartbeat  # noqa: E402

SIZES = (1000, 3000)
STALL_GOAL_MS = 50.0
BUDI, SARI = "+6281234567890", "+6281111111111"


class Clock:
    def __init__(self) -> None:
        self.offset = dt.timedelta()

    def __call__(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset


def config(count: int) -> dict:
    return {"version": 1,
            "contacts": [{"name": "Budi", "phone": BUDI, "allowed": True},
                         {"name": "Sari", "phone": SARI, "allowed": True}],
            "alarms": [{"name": f"Boiler {n:04d}", "kind": "pi", "data_source": "demo",
                        "tag": "DEMO.BOILER.TEMP",
                        "config": {"condition": "above", "high": 150, "units": "°C",
                                   "interval_s": 10, "recipients": [
                                       {"contacts": [BUDI]},
                                       {"undelivered_min": 5, "contacts": [SARI]}]}}
                       for n in range(count)]}


def run(size: int, delivered: bool) -> list[tuple[str, float, float, int]]:
    rows: list[tuple[str, float, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        secrets.configure(Path(tmp))
        opened = open_database(Path(tmp) / "app.db")
        config_io.import_config(SYSTEM, config(size))
        emails.set_email(SYSTEM, contacts.find_contact(BUDI)["id"], "budi@plant.example.com")

        async def cycles() -> None:
            clock = Clock()
            pool = SourcePool()
            engine = AlarmEngine(pool, clock=clock)
            try:
                await engine.run_cycle()  # raised, told to Budi in one message
                stamp = format_ts(clock())
                OutgoingMessage.update(status="sent", sent_at=stamp, whatsapp_id="3EB0BENCH",
                                       delivered_at=stamp if delivered else None).execute()
                clock.offset += dt.timedelta(minutes=6)
                for label in ("6 min", "6 min 10 s", "6 min 20 s"):
                    async with Heartbeat() as beat:
                        report = await engine.run_cycle()
                    clock.offset += dt.timedelta(seconds=10)
                    rows.append((label, report.duration_ms, beat.longest * 1000,
                                 len(report.queued)))
            finally:
                pool.close()

        asyncio.run(cycles())
        close_database(opened.db)
    return rows


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or list(SIZES)
    print("Open alarm events with a 5-minute delivery timeout on their second level; goal: "
          f"loop stall under {STALL_GOAL_MS:.0f} ms")
    print(f"{'events':>6} {'phone':14} {'cycle':11} {'cycle ms':>9} {'stall ms':>9} "
          f"{'stall/50':>9} {'queued':>8}  verdict")
    for size in sizes:
        for delivered in (True, False):
            for label, cycle_ms, stall_ms, messages in run(size, delivered):
                ratio = stall_ms / STALL_GOAL_MS
                print(f"{size:6d} {'delivered' if delivered else 'not delivered':14} "
                      f"{label:11} {cycle_ms:9.1f} {stall_ms:9.1f} {ratio:9.2f} "
                      f"{messages:8d}  stall {'meets' if ratio < 1 else 'MISSES'}")
    executor.shutdown()


if __name__ == "__main__":
    main()
