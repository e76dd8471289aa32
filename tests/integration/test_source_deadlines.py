"""No source can starve another: a call past its deadline lets go of its thread and its server.

Real sockets on 127.0.0.1: a server that drips its answer one byte every half second (in the
headers or in the body) and one that accepts and never says a word. What an engineer notices:
the call ends at its time limit with the time-limit sentence, and the server sees the
connection closed then, instead of the worker thread reading on for minutes.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from app.runtime import executor
from app.sources.ai import AiSource
from app.sources.base import CONCURRENT_REQUESTS, SourceError
from app.sources.demo import DemoHistorian
from app.sources.http import Deadline, HttpClient, Wording
from app.sources.pi import PiSource
from tests.pi_server import PiServer

LIMIT_S = 1.0
DRIP_S = 0.5
QUESTION = [{"role": "user", "content": "How is unit 2?"}]
ANSWER = b'{"Items": [], "data": [], "choices": []}'


class DripServer:
    """HTTP on 127.0.0.1 that answers one byte every `drip` seconds, or not at all.

    `mode`: "headers" drips from the status line on; "body" sends the headers at once and then
    drips the body; "silent" accepts the connection and never reads or writes. `closed` is set
    when the client has shut its side of a connection (what a worker thread that let go does).
    """

    def __init__(self, mode: str, drip: float = DRIP_S) -> None:
        self.mode = mode
        self.drip = drip
        self.accepted = 0
        self.closed = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            if self.mode == "silent":
                self._wait_for_close(conn)
                return
            conn.settimeout(5)
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    part = conn.recv(4096)
                    if not part:
                        self.closed.set()
                        return
                    request += part
                head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(ANSWER))
                if self.mode == "body":
                    conn.sendall(head)
                    head = b""
                for byte in head + ANSWER:
                    if self._stop.wait(self.drip):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                self.closed.set()  # the client hung up while we were dripping
                return
            self._wait_for_close(conn)

    def _wait_for_close(self, conn: socket.socket) -> None:
        conn.settimeout(0.05)
        while not self._stop.is_set():
            try:
                if not conn.recv(1):
                    self.closed.set()
                    return
            except TimeoutError:
                continue
            except OSError:
                self.closed.set()
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()
        for worker in self._threads:
            worker.join(2)

    def __enter__(self) -> DripServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture(params=["headers", "body", "silent"])
def bad_server(request) -> Iterator[DripServer]:
    with DripServer(request.param) as server:
        yield server


def _given_up(call) -> tuple[SourceError, float]:
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        call()
    return caught.value, time.monotonic() - started


def test_the_helper_lets_go_of_a_dripping_or_silent_server_at_its_deadline(bad_server):
    client = HttpClient(bad_server.base_url, Wording(
        "The plant server", "the plant server", "connection settings", "http://plant-server"),
        timeout_s=30)
    try:
        error, elapsed = _given_up(lambda: client.send(
            "GET", f"{bad_server.base_url}/data", Deadline(LIMIT_S)))
    finally:
        client.close()
    where = f"The plant server at 127.0.0.1:{bad_server.port}"
    if bad_server.mode == "silent":  # not a byte: the read timeout's own sentence, as before
        assert error.message == f"{where} accepted the connection but did not answer within 0.9 s."
    else:
        assert error.message == f"{where} did not answer within 1.0 s."
    # Before, a trickle of headers held the thread for as long as the trickle lasted (minutes).
    assert elapsed < LIMIT_S + 1, elapsed
    assert bad_server.closed.wait(5), "the connection stayed open after the deadline"


@pytest.mark.parametrize("api", ["piwebapi", "gateway"])
def test_a_pi_server_dripping_its_headers_is_given_up_at_the_time_limit(api):
    with DripServer("headers") as plant:
        source = PiSource({"api": api, "base_url": plant.base_url, "data_server": "PISRV01",
                           "auth": "anonymous", "timeout_s": 30})
        try:
            error, elapsed = _given_up(lambda: source.current_blocking(
                ["DRUM.PRESS", "DRUM.LEVEL"], LIMIT_S))
        finally:
            source.close()
        assert plant.closed.wait(5)
    service = "PI Web API" if api == "piwebapi" else "PI gateway"
    assert f"{service} at 127.0.0.1:{plant.port} did not answer within 1.0 s." in error.message
    assert elapsed < LIMIT_S + 1, elapsed


def test_an_ai_service_dripping_its_headers_is_given_up_at_the_time_limit():
    with DripServer("headers") as service:
        source = AiSource({"kind": "openai", "base_url": f"{service.base_url}/v1",
                           "model": "llama3", "timeout_s": 30})
        try:
            error, elapsed = _given_up(lambda: source.chat_blocking(QUESTION, None, LIMIT_S))
        finally:
            source.close()
        assert service.closed.wait(5)
    assert error.message == (f"The AI service at 127.0.0.1:{service.port} did not answer "
                             "within 1.0 s.")
    assert elapsed < LIMIT_S + 1, elapsed


def test_a_slow_answer_that_ends_before_the_deadline_still_arrives():
    with DripServer("headers", drip=0.001) as server:
        client = HttpClient(server.base_url, Wording(
            "The plant server", "the plant server", "connection settings",
            "http://plant-server"), timeout_s=30)
        try:
            answer = client.send("GET", f"{server.base_url}/data", Deadline(10))
        finally:
            client.close()
    assert answer.content == ANSWER


# --- one bad server cannot take the pool ------------------------------------------------------


def _pi(base_url: str) -> PiSource:
    return PiSource({"base_url": base_url, "data_server": "PISRV01", "auth": "anonymous",
                     "timeout_s": 30})


@pytest.mark.asyncio
async def test_six_calls_to_a_dripping_pi_server_leave_threads_for_the_others():
    with DripServer("headers") as bad, PiServer() as good:
        good.add_tag("DRUM.PRESS", 41.7, units="bar")
        dripping, healthy, demo = _pi(bad.base_url), _pi(good.base_url), DemoHistorian()
        try:
            stuck = [asyncio.ensure_future(executor.run_blocking(
                dripping.current_blocking, ["DRUM.PRESS"], 4.0, timeout=5.5))
                for _ in range(6)]
            await asyncio.sleep(0.3)  # the bad server's calls are under way
            # Both would have waited behind the six for a free thread and been given up.
            pressure = await executor.run_blocking(healthy.current_blocking, ["DRUM.PRESS"],
                                                   2.0, timeout=2.5)
            level = await executor.run_blocking(demo.current_blocking, ["DEMO.TANK.LEVEL"],
                                                2.0, timeout=2.5)
            assert not any(call.done() for call in stuck)
            outcomes = await asyncio.gather(*stuck, return_exceptions=True)
        finally:
            for source in (dripping, healthy, demo):
                source.close()
    assert [v.value for v in pressure] == [41.7]
    assert level[0].good and level[0].value is not None
    # Three calls ran and were cut off at their limit; the other three waited for the bad
    # server's own threads and were given up as not answering in time.
    said = [o.message if isinstance(o, SourceError) else type(o).__name__ for o in outcomes]
    cut = f"PI Web API at 127.0.0.1:{bad.port} did not answer within 4.0 s."
    assert sorted(said) == [cut] * CONCURRENT_REQUESTS + ["TimeoutError"] * 3, said


@pytest.mark.asyncio
async def test_the_demo_answers_current_values_without_a_thread():
    gate = threading.Event()
    busy = [asyncio.ensure_future(executor.run_blocking(gate.wait, 10, timeout=10))
            for _ in range(executor.MAX_WORKERS)]
    try:
        await asyncio.sleep(0.1)  # every thread of the pool is taken
        demo = DemoHistorian()
        values = await executor.run_blocking(demo.current_blocking, ["DEMO.BOILER.TEMP"], 1.0,
                                             timeout=1.0)
        found = await executor.run_blocking(demo.search_blocking, "BOILER", 5, 1.0, timeout=1.0)
        result = await executor.run_blocking(demo.test_blocking, 1.0, timeout=1.0)
    finally:
        gate.set()
        await asyncio.gather(*busy)
    assert values[0].good and values[0].units == "°C"
    assert [t.name for t in found] == ["DEMO.BOILER.TEMP"]
    assert result.ok


@pytest.mark.asyncio
async def test_the_demo_answers_trends_and_summaries_without_a_thread():
    gate = threading.Event()
    busy = [asyncio.ensure_future(executor.run_blocking(gate.wait, 10, timeout=10))
            for _ in range(executor.MAX_WORKERS)]
    tags = ["DEMO.BOILER.TEMP", "DEMO.DRUM.PRESS"]
    try:
        await asyncio.sleep(0.1)  # every thread of the pool is taken
        demo = DemoHistorian(clock=lambda: datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
        chart = await executor.run_blocking(demo.plot_blocking, tags, "*-300d", "*", 300, 1.0,
                                            timeout=1.0)
        recorded = await executor.run_blocking(demo.recorded_blocking, tags, "*-2h", "*", 1000,
                                               1.0, timeout=1.0)
        hourly = await executor.run_blocking(demo.interpolated_blocking, tags, "*-1d", "*",
                                             "1h", 1.0, timeout=1.0)
        summary = await executor.run_blocking(demo.summary_blocking, tags, "*-30d", "*",
                                              ["Average"], 1.0, timeout=1.0)
    finally:
        gate.set()
        await asyncio.gather(*busy)
    assert [len(s.values) for s in chart] == [600, 600]
    assert [len(s.values) for s in recorded] == [121, 121]
    assert [len(s.values) for s in hourly] == [25, 25]
    assert 35 < summary["DEMO.DRUM.PRESS"]["Average"].value < 48
