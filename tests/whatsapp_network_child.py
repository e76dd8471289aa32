"""A child process that runs the real neonize bridge through a proxy that never answers.

The proxy is a local TCP server on 127.0.0.1 that accepts every connection and never sends a
byte: what a firewall that swallows packets, or a broken plant proxy, looks like from here.
A heartbeat task on the event loop records the longest gap between its beats while the bridge
starts, reports, and is stopped in the middle of a dial. One JSON object goes to stdout.

Run as `python -m tests.whatsapp_network_child SCHEME DATA_DIR` (SCHEME: http or socks5).
Its own process, because Go's abandoned dial goes on for up to a minute after the stop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import sys
import threading
import time
from pathlib import Path

from app.bridge.neonize_bridge import NO_ANSWER_DETAIL, NeonizeBridge


def silent_server() -> tuple[int, list[socket.socket]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            conn, _ = server.accept()
            accepted.append(conn)  # kept open, never read, never answered

    threading.Thread(target=accept, name="silent-proxy", daemon=True).start()
    return server.getsockname()[1], accepted


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}")


async def main(scheme: str, data_dir: Path) -> dict:
    port, accepted = silent_server()
    records = Records()
    logging.getLogger().addHandler(records)
    logging.getLogger().setLevel(logging.INFO)
    loop = asyncio.get_running_loop()
    gaps = {"now": 0.0}
    worst: list[float] = [0.0, 0.0]  # the longest gap of the whole run and when it began

    async def heartbeat() -> None:
        last = loop.time()
        while True:
            await asyncio.sleep(0.005)
            now = loop.time()
            gaps["now"] = max(gaps["now"], now - last)
            if now - last > worst[0]:
                worst[:] = [now - last, last - began]
            last = now

    began = loop.time()
    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.05)
    bridge = NeonizeBridge(data_dir / "session.db", proxy=f"{scheme}://127.0.0.1:{port}")
    states: list[dict] = []
    bridge.on_state = lambda change: states.append(
        {"at": round(loop.time() - began, 2), "state": change.state.value,
         "detail": change.detail})

    await bridge.start()
    deadline = began + 40
    while not any(NO_ANSWER_DETAIL in s["detail"] for s in states) and loop.time() < deadline:
        await asyncio.sleep(0.05)
    reported = next((s["at"] for s in states if NO_ANSWER_DETAIL in s["detail"]), None)
    # Stop in the middle of the next attempt's dial: the case that froze the window.
    while len(accepted) < 2 and loop.time() < deadline + 20:
        await asyncio.sleep(0.05)
    await asyncio.sleep(2.0)
    gap_starting, gaps["now"] = gaps["now"], 0.0
    stop_began = loop.time()
    await bridge.stop()
    stop_s = loop.time() - stop_began
    await asyncio.sleep(0.2)
    beat.cancel()
    return {"reported_at_s": reported, "connections_to_proxy": len(accepted),
            "stop_s": round(stop_s, 3), "max_gap_starting_ms": round(gap_starting * 1000, 1),
            "max_gap_stopping_ms": round(gaps["now"] * 1000, 1),
            "longest_gap_began_at_s": round(worst[1], 3), "states": states,
            "final_state": bridge.state.value, "warnings": records.lines}


if __name__ == "__main__":
    outcome = asyncio.run(main(sys.argv[1], Path(sys.argv[2])))
    print(json.dumps(outcome), flush=True)
    sys.stdout.flush()
    time.sleep(0)
