"""A stand-in for oracledb's connect and connection (there is no Oracle server to test against):
records every call, optionally answers queries from SQLite, and can play a connection the
server has closed."""

from __future__ import annotations

import re
import sqlite3
import threading
from typing import Any

import oracledb

GONE = "DPY-4011: the database or network closed the connection"


class FakeOracleCursor:
    def __init__(self, conn: FakeOracleConnection) -> None:
        self._conn = conn
        self._result: sqlite3.Cursor | None = None
        self.arraysize = 100
        self.prefetchrows = 2
        self.outputtypehandler = None
        self.description: list[tuple[Any, ...]] | None = None

    def execute(self, statement: str, parameters: dict[str, Any] | None = None) -> None:
        self._conn.check()
        self._conn.log.append(("execute", statement, parameters))
        self._conn.timeouts.append(self._conn.call_timeout)
        if self._conn.on_execute is not None:
            self._conn.on_execute(self._conn, statement)
        if self._conn.sqlite is None or statement.startswith("SET TRANSACTION"):
            self.description = [("X",)] if statement.startswith("SELECT") else None
            return
        # SQLite takes the same `:name` dict binds but spells the row limit LIMIT.
        translated = re.sub(r"FETCH FIRST (\d+) ROWS ONLY", r"LIMIT \1", statement)
        self._result = self._conn.sqlite.execute(translated, parameters or {})
        self.description = self._result.description

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        return self._result.fetchmany(size) if self._result is not None else [(1,)]

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._result.fetchall() if self._result is not None else [(1,)]

    def close(self) -> None:
        self._conn.log.append(("cursor.close",))


class FakeOracleConnection:
    """What oracledb.connect returns, recording every call; optionally backed by SQLite."""

    version = "19.3.0.0.0"

    def __init__(self, sqlite: sqlite3.Connection | None = None) -> None:
        self.sqlite = sqlite
        self.log: list[tuple[Any, ...]] = []
        self.call_timeout = 0
        self.cancelled = threading.Event()
        self.on_execute = None
        self.timeouts: list[int] = []  # call_timeout at each round trip
        self.gone = False  # the server closed this connection: every call fails

    def check(self) -> None:
        if self.gone:
            raise oracledb.OperationalError(GONE)

    def ping(self) -> None:
        self.log.append(("ping",))
        self.check()

    def cursor(self) -> FakeOracleCursor:
        return FakeOracleCursor(self)

    def rollback(self) -> None:
        self.check()
        self.log.append(("rollback",))
        self.timeouts.append(self.call_timeout)

    def cancel(self) -> None:
        self.log.append(("cancel",))
        self.cancelled.set()

    def close(self) -> None:
        self.log.append(("close",))

    @property
    def statements(self) -> list[str]:
        return [entry[1] for entry in self.log if entry[0] == "execute"]


ORACLE_CONFIG = {"host": "127.0.0.1", "port": 1521, "service_name": "PLANT",
                 "username": "reader", "connect_timeout_s": 5}


class FakeOracleDriver:
    """Stands in for `oracledb.connect`: records the connect arguments, hands out `conn` (or,
    with `fresh`, a new connection each time, kept in `made`); `refuse` makes it fail."""

    def __init__(self, fresh: bool = False) -> None:
        self.calls: list[dict[str, Any]] = []
        self.conn = FakeOracleConnection()
        self.fresh = fresh
        self.made: list[FakeOracleConnection] = []
        self.refuse: Exception | None = None

    def connect(self, **params: Any) -> FakeOracleConnection:
        self.calls.append(params)
        if self.refuse is not None:
            raise self.refuse
        if self.fresh:
            self.conn = FakeOracleConnection()
            self.made.append(self.conn)
        return self.conn
