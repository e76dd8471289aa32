"""Six calls to a PI server that drips one byte every half second, next to healthy sources.

Prints how long a healthy PI server and the demo historian take to answer while the six are
stuck, when the worker threads of the stuck calls are free again after their time limit, and
the longest gap a heartbeat task on the event loop saw meanwhile (goal: under 50 ms).
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.runtime import executor  # noqa: E402
from app.sources.base import CONCURRENT_REQUESTS  # noqa: E402
from app.sources.demo import DemoHistorian  # noqa: E402
from app.sources.pi import PiSource  # noqa: E402
from bench.heartbeat import Heartbeat  # noqa: E402
from tests.pi_server import PiServer  # noqa: E402

LIMIT_S = 3.0
BEAT_S = 0.005


def dripping_server(stop: threading.Event) -> int:
    """HTTP on 127.0.0.1 that sends its status line and headers one byte every 0.5 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.05)

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 100:
                if stop.wait(0.5):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def accept() -> None:
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


async def run(bad_url: str, good_url: str) -> None:
    async with Heartbeat(BEAT_S) as beat:
        settings = {"data_server": "PISRV01", "auth": "anonymous", "timeout_s": 30}
        bad = PiSource({"base_url": bad_url, **settings})
        good = PiSource({"base_url": good_url, **settings})
        demo = DemoHistorian()
        started = time.perf_counter()
        stuck = [asyncio.ensure_future(executor.run_blocking(
            bad.current_blocking, ["DRUM.PRESS"], LIMIT_S, timeout=LIMIT_S + 0.5))
            for _ in range(6)]
        await asyncio.sleep(0.2)
        for name, source, tag in (("healthy PI", good, "DRUM.PRESS"),
                                  ("demo", demo, "DEMO.TANK.LEVEL")):
            asked = time.perf_counter()
            await executor.run_blocking(source.current_blocking, [tag], 2.0, timeout=2.5)
            print(f"  {name:10s} answered in {(time.perf_counter() - asked) * 1000:7.1f} ms "
                  "while six calls were stuck")
        outcomes = await asyncio.gather(*stuck, return_exceptions=True)
        print(f"  the six stuck calls were answered after {time.perf_counter() - started:.2f} s "
              f"(time limit {LIMIT_S:g} s): {sum(isinstance(o, TimeoutError) for o in outcomes)} "
              "of them waited for a slot of the bad server's own")
        slots = executor._slots[bad][1]
        while slots._value < CONCURRENT_REQUESTS:  # a slot comes back when its thread is done
            await asyncio.sleep(0.01)
        print(f"  the bad server's last thread was free {time.perf_counter() - started:.2f} s "
              "after the first call (the late calls had their own full time limit)")
    print(f"  longest event-loop gap: {beat.longest * 1000:.1f} ms")
    for source in (bad, good, demo):
        source.close()


def main() -> None:
    halt = threading.Event()
    port = dripping_server(halt)
    with PiServer() as good:
        good.add_tag("DRUM.PRESS", 41.7, units="bar")
        asyncio.run(run(f"http://127.0.0.1:{port}", good.base_url))
    halt.set()
    executor.shutdown()


if __name__ == "__main__":
    main()
