"""Current values of 1, 20 and 100 PI tags through the PI source alone, at 50 ms per request
(goal: one HTTP request, within 10 ms of one round trip, once the tags' WebIds are known).

Calls `PiSource.current_blocking` directly against the PI Web API double (tests/pi_server.py),
with a new source for each cold ask (WebIds unknown: one batch request resolves and reads) and
the same source again warm (one stream-set request), 5 times each; next to it what a first
client does, one lookup and one value request per tag (2 runs; 1 run at 100 tags). This is
the source's share of a reply only: the whole path a user waits for, with the bot's database
work, is bench_group_latency.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from app.sources.pi import PiSource  # noqa: E402
from tests.pi_server import PiServer  # noqa: E402

SIZES = (1, 20, 100)
LATENCY_S = 0.050
REPEATS = 5
GOAL_MS = 10.0


def tag_paths(size: int) -> list[str]:
    return [f"\\\\PISRV01\\UNIT{i // 5}.TAG{i:03d}" for i in range(size)]


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def naive_blocking(session: requests.Session, base: str, tags: list[str],
                   web_ids: dict[str, str]) -> list[Any]:
    """What a first client does: look each tag up, then ask for its value, one by one."""
    values = []
    for tag in tags:
        if tag not in web_ids:
            point = session.get(f"{base}/points", params={"path": tag}, timeout=5)
            web_ids[tag] = point.json()["WebId"]
        values.append(session.get(f"{base}/streams/{web_ids[tag]}/value", timeout=5).json())
    return values


def measure(server: PiServer, session: requests.Session, tags: list[str]) -> list[tuple]:
    config = {"base_url": server.base_url, "data_server": "PISRV01"}
    cold, warm, cold_requests, warm_requests = [], [], 0, 0
    for _ in range(REPEATS):
        source = PiSource(config, {})
        try:
            server.reset_log()
            cold.append(timed(lambda s=source: s.current_blocking(tags, 10)))
            cold_requests = server.count
            server.reset_log()
            warm.append(timed(lambda s=source: s.current_blocking(tags, 10)))
            warm_requests = server.count
        finally:
            source.close()
    naive_cold, naive_warm = [], []
    for _ in range(2 if len(tags) <= 20 else 1):
        web_ids: dict[str, str] = {}
        server.reset_log()
        naive_cold.append(timed(lambda w=web_ids: naive_blocking(session, server.base_url,
                                                                 tags, w)))
        naive_cold_requests = server.count
        server.reset_log()
        naive_warm.append(timed(lambda w=web_ids: naive_blocking(session, server.base_url,
                                                                 tags, w)))
        naive_warm_requests = server.count
    return [
        ("PiSource, cold cache (batch)", cold, cold_requests),
        ("PiSource, warm cache (stream set)", warm, warm_requests),
        ("naive, resolve + value per tag", naive_cold, naive_cold_requests),
        ("naive, value per tag (ids known)", naive_warm, naive_warm_requests),
    ]


def main() -> None:
    with PiServer() as server:
        for size in SIZES:
            for number, tag in enumerate(tag_paths(size)):
                server.add_tag(tag.rsplit("\\", 1)[1], 100.0 + number, units="bar")
        server.latency = LATENCY_S
        with requests.Session() as session:
            session.get(f"{server.base_url}/system", timeout=5)  # open the connection
            trips = [timed(lambda: session.get(f"{server.base_url}/system", timeout=5))
                     for _ in range(REPEATS)]
            results = {size: measure(server, session, tag_paths(size)) for size in SIZES}
            trips += [timed(lambda: session.get(f"{server.base_url}/system", timeout=5))
                      for _ in range(REPEATS)]
    round_trip = statistics.median(trips)
    print(f"Current values through the PI source alone, {LATENCY_S * 1000:.0f} ms added per "
          f"request (one round trip: {round_trip:.1f} ms, median of {len(trips)})")
    print(f"{'tags':>4} {'way':36} {'median ms':>10} {'requests':>9} {'× RTT':>6} {'+ms':>6}")
    missed = 0
    for size, rows in results.items():
        for label, runs, count in rows:
            millis = statistics.median(runs)
            print(f"{size:4d} {label:36} {millis:10.1f} {count:9d} {millis / round_trip:6.2f} "
                  f"{millis - round_trip:6.1f}")
        warm_ms, warm_requests = statistics.median(rows[1][1]), rows[1][2]
        missed += warm_requests != 1 or warm_ms - round_trip > GOAL_MS
    print(f"Goal: warm PiSource one request within {GOAL_MS:.0f} ms of one round trip at "
          f"{', '.join(map(str, SIZES))} tags: {'met' if not missed else 'MISSED'} "
          f"({len(SIZES) - missed} of {len(SIZES)} met)")


if __name__ == "__main__":
    main()
