"""A parallel group of 20 PI tags at 50 ms per request: reply latency in round trips (goal: at
most 2).

Runs the whole pipeline (routing, group, PI source, rendering) against the PI Web API double and
prints the latency from message to queued reply, next to one measured round trip.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("WA_INTEGRATION_SECRETS", "file")

import requests  # noqa: E402

from app.core.messages import Incoming  # noqa: E402
from app.db.database import close_database, open_database  # noqa: E402
from app.runtime import executor  # noqa: E402
from app.runtime.pipeline import Pipeline  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from app.runtime.trigger_runner import TriggerRunner  # noqa: E402
from app.services import secrets, sources  # noqa: E402
from app.services import triggers as trigger_service  # noqa: E402
from app.services.context import SYSTEM  # noqa: E402
from tests.pi_server import PiServer  # noqa: E402

LATENCY_S = 0.050
REPEATS = 7


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, PiServer() as server:
        server.latency = LATENCY_S
        secrets.configure(Path(tmp))
        opened = open_database(Path(tmp) / "app.db")
        source_id = sources.save_source(
            SYSTEM, None, name="PI", plugin="pi", active=True,
            config={"api": "piwebapi", "base_url": server.base_url, "auth": "anonymous",
                    "data_server": "PISRV01"})["id"]
        members = []
        for n in range(20):
            server.add_tag(f"UNIT.T{n:02d}", 100.0 + n, units="°C")
            members.append(trigger_service.save_trigger(
                SYSTEM, None, name=f"t{n:02d}", kind="pi", active=True,
                data_source_id=source_id,
                config={"tags": [f"UNIT.T{n:02d}"], "mode": "current"})["id"])
        trigger_service.save_group(SYSTEM, None, name="units", description="All units",
                                   execution_mode="parallel", member_ids=members)

        session = requests.Session()
        rtt = statistics.median(
            _timed(lambda: session.get(f"{server.base_url}/system", timeout=5))
            for _ in range(REPEATS))

        async def measure() -> tuple[float, list[float], int]:
            pool = SourcePool()
            pipeline = Pipeline(TriggerRunner(pool))
            server.reset_log()
            cold = (await pipeline.handle(Incoming("units")))[0].latency_ms
            cold_requests = server.count
            warm = []
            for _ in range(REPEATS):
                warm.append((await pipeline.handle(Incoming("units")))[0].latency_ms)
            pool.close()
            return cold, warm, cold_requests

        cold, warm, cold_requests = asyncio.run(measure())
        executor.shutdown()
        close_database(opened.db)
    median = statistics.median(warm)
    print(f"one round trip to the PI double: {rtt:.1f} ms (50 ms added per request)")
    print(f"group of 20 tags, first message (WebIds unknown): {cold:.1f} ms "
          f"= {cold / rtt:.2f} round trips, {cold_requests} HTTP request(s)")
    print(f"group of 20 tags, later messages: median {median:.1f} ms = {median / rtt:.2f} "
          f"round trips (min {min(warm):.1f}, max {max(warm):.1f}, {REPEATS} runs)")
    print(f"goal: at most 2 round trips — {'met' if median / rtt <= 2 else 'MISSED'}")


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
