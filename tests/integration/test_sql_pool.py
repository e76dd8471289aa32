"""Pooled SQL connections: MySQL against the real MariaDB (the server's own view of its
connections, KILL from another session), Oracle's bookkeeping through its fake driver."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import oracledb
import pytest

from app.sources.base import SourceError
from app.sources.sql import MySqlSource, OracleSource
from tests.helpers.oracle_driver import GONE, ORACLE_CONFIG, FakeOracleDriver

if TYPE_CHECKING:
    from tests.mariadb import MariaDbServer


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# --- MySQL / MariaDB ---------------------------------------------------------------------------


def connection_id(src: MySqlSource) -> int:
    return src.query_blocking("SELECT CONNECTION_ID()", {}, max_rows=1, timeout=5).rows[0][0]


def server_has(server: MariaDbServer, conn_id: int) -> bool:
    root = server.root()
    try:
        with root.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = %s",
                           (conn_id,))
            return cursor.fetchone()[0] == 1
    finally:
        root.close()


def kill(server: MariaDbServer, conn_id: int) -> None:
    root = server.root()
    try:
        with root.cursor() as cursor:
            cursor.execute(f"KILL {int(conn_id)}")
    finally:
        root.close()
    wait_until(lambda: not server_has(server, conn_id), what="the killed connection to end")


@pytest.fixture
def source(mariadb: MariaDbServer) -> Iterator[MySqlSource]:
    src = MySqlSource(mariadb.config(), mariadb.secrets())
    yield src
    src.close()


def test_queries_share_one_open_connection(source, mariadb):
    first = connection_id(source)
    assert [connection_id(source) for _ in range(5)] == [first] * 5
    assert server_has(mariadb, first)  # kept open between queries
    assert (source.pool.opened, source.pool.idle_count) == (1, 1)


def test_closing_the_source_closes_its_connections_on_the_server(source, mariadb):
    conn_id = connection_id(source)
    source.close()
    wait_until(lambda: not server_has(mariadb, conn_id), what="the pooled connection to close")
    assert source.pool.idle_count == 0
    # A source closed while in use (an edit of the connection) still answers a late query,
    # on a connection of its own that is not kept.
    late = connection_id(source)
    assert late != conn_id
    wait_until(lambda: not server_has(mariadb, late), what="the late connection to close")


def test_an_idle_connection_is_closed_after_a_while(mariadb):
    src = MySqlSource(mariadb.config(), mariadb.secrets())
    src.pool.idle_close_s = 0.3
    conn_id = connection_id(src)
    wait_until(lambda: not server_has(mariadb, conn_id), what="the idle connection to close")
    assert src.pool.idle_count == 0
    assert connection_id(src) != conn_id  # the next query opens a new one


@pytest.mark.parametrize("checked", [True, False], ids=["pinged", "found-dead-by-the-query"])
def test_a_connection_killed_while_idle_is_replaced_once_and_the_query_answers(
        source, mariadb, checked):
    # `checked`: idle long enough to be pinged before use; else the query itself finds it dead.
    source.check_after_s = 0.0 if checked else 3600.0
    first = connection_id(source)
    kill(mariadb, first)
    result = source.query_blocking("SELECT CONNECTION_ID(), 42", {}, max_rows=1, timeout=5)
    assert result.rows[0][1] == 42
    assert result.rows[0][0] != first
    assert (source.pool.opened, source.pool.discarded) == (2, 1)
    assert connection_id(source) == result.rows[0][0]  # the new one is pooled in its turn


class Relay:
    """A TCP relay on 127.0.0.1 to the MariaDB server that can be switched off: then every
    relayed connection is cut and new ones are refused, as when the server goes away."""

    def __init__(self, port: int) -> None:
        self._target = port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self._target))
            self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def off(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() and stops listening
        except OSError:
            pass
        self._listener.close()
        for sock in self._sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def test_when_no_new_connection_can_be_opened_the_query_says_so(mariadb):
    relay = Relay(mariadb.port)
    src = MySqlSource(mariadb.config(host="127.0.0.1", port=relay.port), mariadb.secrets())
    src.check_after_s = 3600.0  # no ping: the query itself finds the connection dead
    try:
        assert src.query_blocking("SELECT 1", {}, max_rows=1, timeout=5).rows == [(1,)]
        relay.off()
        with pytest.raises(SourceError) as caught:
            src.query_blocking("SELECT 1", {}, max_rows=1, timeout=5)
    finally:
        relay.off()
        src.close()
    assert caught.value.message == (
        f"The database at 127.0.0.1:{relay.port} closed the connection, and a new one could "
        f"not be opened: Cannot reach the database at 127.0.0.1:{relay.port}: server down, "
        "wrong port or firewall.")
    assert src.pool.idle_count == 0


def test_a_query_stopped_at_its_limit_leaves_no_connection_behind(source, mariadb):
    conn_id = connection_id(source)
    with pytest.raises(SourceError) as caught:
        source.query_blocking("SELECT SLEEP(5)", {}, max_rows=1, timeout=1)
    assert "limit of 1 s" in caught.value.message
    wait_until(lambda: not server_has(mariadb, conn_id), what="the timed-out connection to close")
    assert connection_id(source) != conn_id
    assert source.pool.discarded == 1


def test_a_failed_query_closes_its_connection_and_the_next_one_answers(source, mariadb):
    conn_id = connection_id(source)
    with pytest.raises(SourceError):
        source.query_blocking("SELECT no_such_column FROM alarms", {}, max_rows=1, timeout=5)
    wait_until(lambda: not server_has(mariadb, conn_id), what="the failed connection to close")
    assert source.query_blocking("SELECT 7", {}, max_rows=1, timeout=5).rows == [(7,)]


def test_the_pool_keeps_no_more_connections_than_the_source_may_use_at_once(source):
    barrier = threading.Barrier(5)
    ids: list[int] = []

    def run() -> None:
        barrier.wait()
        ids.append(source.query_blocking("SELECT CONNECTION_ID(), SLEEP(0.3)", {}, max_rows=1,
                                         timeout=5).rows[0][0])

    threads = [threading.Thread(target=run) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(set(ids)) == 5  # five at once: five connections
    assert source.pool.idle_count == source.concurrent_requests == 3


# --- Oracle: the same code path through the fake driver ----------------------------------------


@pytest.fixture
def oracle_driver(monkeypatch) -> FakeOracleDriver:
    driver = FakeOracleDriver(fresh=True)
    monkeypatch.setattr(oracledb, "connect", driver.connect)
    return driver


def oracle_query(src: OracleSource, timeout: float = 3) -> list[tuple]:
    return src.query_blocking("SELECT 1 FROM dual", {}, max_rows=1, timeout=timeout).rows


def test_oracle_queries_share_one_connection_until_the_source_closes(oracle_driver):
    src = OracleSource(ORACLE_CONFIG, {"password": "p"})
    for _ in range(3):
        assert oracle_query(src) == [(1,)]
    assert len(oracle_driver.made) == 1
    conn = oracle_driver.made[0]
    assert ("close",) not in conn.log
    src.close()
    assert conn.log[-1] == ("close",)


def test_oracle_sets_the_time_left_before_every_round_trip(oracle_driver):
    src = OracleSource(ORACLE_CONFIG, {"password": "p"})
    oracle_query(src, timeout=2)
    timeouts = oracle_driver.made[0].timeouts
    assert len(timeouts) == 4  # rollback, SET TRANSACTION, the query, the closing rollback
    assert all(0 < ms <= 2000 for ms in timeouts)
    assert timeouts == sorted(timeouts, reverse=True)  # a budget that only shrinks


@pytest.mark.parametrize("checked", [True, False], ids=["pinged", "found-dead-by-the-query"])
def test_oracle_connection_closed_while_idle_is_replaced_once(oracle_driver, checked):
    src = OracleSource(ORACLE_CONFIG, {"password": "p"})
    src.check_after_s = 0.0 if checked else 3600.0
    oracle_query(src)
    oracle_driver.made[0].gone = True
    assert oracle_query(src) == [(1,)]
    first, second = oracle_driver.made
    assert (("ping",) in first.log) is checked
    assert first.log[-1] == ("close",)
    assert ("close",) not in second.log
    assert src.pool.idle_count == 1


def test_oracle_says_so_when_no_new_connection_can_be_opened(oracle_driver):
    src = OracleSource(ORACLE_CONFIG, {"password": "p"})
    src.check_after_s = 3600.0
    oracle_query(src)
    oracle_driver.made[0].gone = True
    oracle_driver.refuse = oracledb.DatabaseError(
        "DPY-6000: cannot connect to database. Listener refused connection. (Similar to "
        "ORA-12519)")
    with pytest.raises(SourceError) as caught:
        oracle_query(src)
    assert caught.value.message == (
        "The database at 127.0.0.1:1521 closed the connection, and a new one could not be "
        "opened: The database refuses connections now (busy); try later.")
    assert caught.value.code == "DPY-6000"


def test_oracle_connection_lost_on_a_new_connection_is_not_retried(oracle_driver, monkeypatch):
    src = OracleSource(ORACLE_CONFIG, {"password": "p"})

    def dead_on_arrival(**params):
        conn = oracle_driver.connect(**params)
        conn.gone = True
        return conn

    monkeypatch.setattr(oracledb, "connect", dead_on_arrival)
    with pytest.raises(SourceError) as caught:
        oracle_query(src)
    assert caught.value.message == "The database closed the connection unexpectedly."
    assert len(oracle_driver.made) == 1
    assert src.pool.idle_count == 0
    assert GONE.startswith(caught.value.code)
