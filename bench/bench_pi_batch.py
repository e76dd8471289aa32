"""Current values of 20 PI tags at 50 ms per request: PiSource vs one request per tag."""

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

TAGS = [f"\\\\PISRV01\\UNIT{i // 5}.TAG{i:02d}" for i in range(20)]
LATENCY_S = 0.050
REPEATS = 5


def timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def naive_blocking(session: requests.Session, base: str, web_ids: dict[str, str]) -> list[Any]:
    """What a first client does: look each tag up, then ask for its value, one by one."""
    values = []
    for tag in TAGS:
        if tag not in web_ids:
            point = session.get(f"{base}/points", params={"path": tag}, timeout=5)
            web_ids[tag] = point.json()["WebId"]
        values.append(session.get(f"{base}/streams/{web_ids[tag]}/value", timeout=5).json())
    return values


def main() -> None:
    with PiServer() as server:
        for number, tag in enumerate(TAGS):
            server.add_tag(tag.rsplit("\\", 1)[1], 100.0 + number, units="bar")
        server.latency = LATENCY_S
        config = {"base_url": server.base_url, "data_server": "PISRV01"}

        with requests.Session() as session:
            session.get(f"{server.base_url}/system", timeout=5)  # open the connection
            round_trip = statistics.median(
                timed(lambda: session.get(f"{server.base_url}/system", timeout=5))
                for _ in range(REPEATS))

            cold, warm, cold_requests, warm_requests = [], [], 0, 0
            for _ in range(REPEATS):
                source = PiSource(config, {})
                try:
                    server.reset_log()
                    cold.append(timed(lambda s=source: s.current_blocking(TAGS, 10)))
                    cold_requests = server.count
                    server.reset_log()
                    warm.append(timed(lambda s=source: s.current_blocking(TAGS, 10)))
                    warm_requests = server.count
                finally:
                    source.close()

            naive_cold, naive_warm = [], []
            for _ in range(2):
                web_ids: dict[str, str] = {}
                server.reset_log()
                naive_cold.append(timed(lambda w=web_ids: naive_blocking(session, server.base_url,
                                                                         w)))
                naive_cold_requests = server.count
                server.reset_log()
                naive_warm.append(timed(lambda w=web_ids: naive_blocking(session, server.base_url,
                                                                         w)))
                naive_warm_requests = server.count

    rows = [
        ("PiSource, cold cache (batch)", statistics.median(cold), cold_requests),
        ("PiSource, warm cache (stream set)", statistics.median(warm), warm_requests),
        ("naive, resolve + value per tag", statistics.median(naive_cold), naive_cold_requests),
        ("naive, value per tag (ids known)", statistics.median(naive_warm), naive_warm_requests),
    ]
    print(f"Current values of {len(TAGS)} PI tags, {LATENCY_S * 1000:.0f} ms added per request "
          f"(one round trip measured at {round_trip:.1f} ms)")
    print(f"{'way':38} {'median ms':>10} {'requests':>9} {'round trips':>12}")
    for label, millis, count in rows:
        print(f"{label:38} {millis:10.1f} {count:9d} {millis / round_trip:12.2f}")
    verdict = "met" if max(rows[0][1], rows[1][1]) <= 2 * round_trip else "NOT met"
    print(f"Goal: at most 2 round trips for PiSource: {verdict}. "
          f"Speed-up over naive cold: {rows[2][1] / rows[0][1]:.0f}x cold, "
          f"{rows[2][1] / rows[1][1]:.0f}x warm.")


if __name__ == "__main__":
    main()
