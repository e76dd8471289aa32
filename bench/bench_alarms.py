"""200 alarms on 200 PI tags at 50 ms per request: PI requests, time and messages per cycle.

One alarm cycle reads every tag of a PI server in one batched request, however many alarms
there are; a naive design would ask PI once per alarm. Prints, per cycle, the HTTP requests the
PI Web API double saw, the batched reads the engine reports, the cycle time, the alarms
evaluated and the messages queued (one per recipient, however many alarms raised).
200 WebIds do not fit one stream-set URL, so even a warm cycle posts one batch that holds
several stream-set reads: still one HTTP request.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WA_INTEGRATION_SECRETS", "file")

from app.db.database import close_database, open_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from app.runtime.alarms.engine import AlarmEngine, CycleReport  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from app.services import alarms, secrets, sources  # noqa: E402
from app.services.context import SYSTEM  # noqa: E402
from tests.pi_server import PiServer  # noqa: E402

TAGS = 200
LATENCY_S = 0.050
LIMIT = 100.0
GROUP = "120363000000000000@g.us"
WARM_CYCLES = 5
# In this warm cycle, 20 more tags go over their limit and 20 come back under it.
CHANGE_IN_CYCLE = 3
CHANGED = 20


def tag_name(n: int) -> str:
    return f"UNIT{n // 20:02d}.TAG{n:03d}"


def set_values(server: PiServer, above: set[int]) -> None:
    for n in range(TAGS):
        server.add_tag(tag_name(n), LIMIT + 5.0 if n in above else LIMIT - 5.0, units="bar")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, PiServer() as server:
        above = set(range(0, TAGS, 2))  # half the tags above their limit
        set_values(server, above)
        server.latency = LATENCY_S
        secrets.configure(Path(tmp))
        opened = open_database(Path(tmp) / "app.db")
        source_id = sources.save_source(
            SYSTEM, None, name="PI Plant", plugin="pi", active=True,
            config={"api": "piwebapi", "base_url": server.base_url, "auth": "anonymous",
                    "data_server": "PISRV01"})["id"]
        for n in range(TAGS):
            alarms.save_alarm(
                SYSTEM, None, name=f"Alarm {n:03d}", active=True, kind="pi",
                data_source_id=source_id, tag=tag_name(n), trigger_id=None,
                config={"condition": "above", "high": LIMIT, "units": "bar", "interval_s": 10,
                        "recipients": [{"groups": [GROUP]}]})

        rows: list[tuple[str, int, CycleReport, int]] = []
        requests_seen: dict[str, list[str]] = {}

        async def measure() -> None:
            pool = SourcePool()
            engine = AlarmEngine(pool)
            try:
                for cycle in range(WARM_CYCLES + 1):
                    label = "cold" if cycle == 0 else f"warm {cycle}"
                    if cycle == CHANGE_IN_CYCLE:
                        went_up = set(range(1, 2 * CHANGED, 2))  # odd tags were below
                        came_down = set(range(0, 2 * CHANGED, 2))
                        set_values(server, (above | went_up) - came_down)
                        label += f" (+{CHANGED} over, {CHANGED} back)"
                    server.reset_log()
                    report = await engine.run_cycle(force=True)
                    to_group = sum(1 for q in report.queued if q.to == GROUP)
                    rows.append((label, server.count, report, to_group))
                    requests_seen[label] = [f"{m} {p.split('?')[0]}" for m, p in server.log]
            finally:
                pool.close()

        asyncio.run(measure())
        executor.shutdown()
        close_database(opened.db)

    naive_ms = TAGS * LATENCY_S * 1000
    print(f"{TAGS} alarms on {TAGS} PI tags (condition above, interval 10 s, half over the "
          f"limit), one WhatsApp group as recipient; {LATENCY_S * 1000:.0f} ms added per PI "
          "request")
    print(f"{'cycle':32} {'PI HTTP':>8} {'reads/source':>14} {'ms':>8} {'evaluated':>10} "
          f"{'raised':>7} {'cleared':>8} {'queued':>7} {'to group':>9} {'vs naive':>9}")
    for label, http, report, to_group in rows:
        reads = ", ".join(f"{name}: {n}" for name, n in report.requests.items()) or "none"
        raised = sum(1 for e in report.events if e["kind"] == "raised")
        cleared = sum(1 for e in report.events if e["kind"] == "cleared")
        print(f"{label:32} {http:8d} {reads:>14} {report.duration_ms:8.1f} "
              f"{report.evaluated:10d} {raised:7d} {cleared:8d} {len(report.queued):7d} "
              f"{to_group:9d} {naive_ms / report.duration_ms:8.0f}x")
        if report.errors:
            print(f"  errors: {'; '.join(report.errors)}")
    warm = rows[1:]
    warm_http = sorted({http for _, http, _, _ in warm})
    warm_ms = sorted(report.duration_ms for _, _, report, _ in warm)
    print(f"naive design (one PI request per alarm): {TAGS} requests x "
          f"{LATENCY_S * 1000:.0f} ms = {naive_ms / 1000:.0f} s per cycle")
    print(f"warm cycles: PI HTTP requests per cycle {warm_http}, median "
          f"{warm_ms[len(warm_ms) // 2]:.1f} ms = {naive_ms / warm_ms[len(warm_ms) // 2]:.0f}x "
          "faster than naive")
    for label, seen in requests_seen.items():
        print(f"PI requests, {label}: {', '.join(seen) or 'none'}")
    for label, _, report, to_group in rows:
        if report.events:
            changed = sum(1 for e in report.events if e["kind"] in ("raised", "cleared"))
            lines = len(report.queued[0].text.splitlines()) if report.queued else 0
            print(f"{label}: {changed} alarms raised or cleared -> {to_group} message to the "
                  f"group ({lines} lines), {len(report.queued)} message(s) queued in all")


if __name__ == "__main__":
    main()
