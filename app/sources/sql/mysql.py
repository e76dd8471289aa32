"""MySQL and MariaDB through pymysql: checked, read-only, time-limited queries on pooled
connections (app.sources.sql.pool).

A query is stopped at its limit three ways, in this order: the server's own statement limit a
little before the deadline, KILL QUERY from a second connection just before it, and at the
deadline itself the connection's socket is shut down (app.sources.cutoff), so a server that
answers a byte at a time cannot hold the worker thread either. A statement the server cut off
without an error (MariaDB answers an interrupted BENCHMARK() with 0) is recognised by the
session's count of statements over their limit and reported as the time limit, never as a
result. A connection whose query failed, timed out or was cut off is closed, never pooled.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import time
from typing import Any

import pymysql

from app.sources.base import Fault, QueryResult, SourceError
from app.sources.cutoff import Cutoff, shut
from app.sources.sql.common import (
    KILL_TIMEOUT_S,
    MIN_WAIT_S,
    ConnectionLost,
    SqlSource,
    Watchdog,
    ms_since,
    timeout_error,
)
from app.sources.sql.pool import Pooled

log = logging.getLogger(__name__)

_MYSQL_TIMEOUT_CODES = {1969, 3024, 1317}
# What kind of failure each server error code with its own sentence is (app.core.sources.Fault).
_MYSQL_FAULTS = {
    "1045": Fault.SIGN_IN, "1044": Fault.SIGN_IN, "1130": Fault.SIGN_IN, "1049": Fault.SETUP,
    "1040": Fault.BUSY, "1203": Fault.BUSY, "1792": Fault.REFUSED, "2026": Fault.UNREACHABLE,
    "1060": Fault.REFUSED, "1142": Fault.REFUSED, "1143": Fault.REFUSED, "1146": Fault.NO_DATA,
    "1054": Fault.REFUSED, "1064": Fault.REFUSED,
}
# The session's count of statements stopped by their time limit, by server flavour.
_OVER_LIMIT_STATUS = {"MariaDB": "Max_statement_time_exceeded",
                      "MySQL": "Max_execution_time_exceeded"}
# After the deadline, before the socket is shut: a silent server trips the read timeout first
# and keeps its own sentence.
_CUT_GRACE_S = 0.05
# What a connection the server closed while it sat idle answers to its next statement: gone
# away, lost, killed (MariaDB 1927), closed for inactivity (MySQL 4031), server shutting down.
_GONE_CODES = {2006, 2013, 2055, 1927, 4031, 1053}
# Longest wait for the liveness check of an idle pooled connection.
_PING_TIMEOUT_S = 2.0


class MySqlSource(SqlSource):
    """A MySQL or MariaDB database through pymysql."""

    dialect = "mysql"
    default_port = 3306

    def __init__(self, config: dict[str, Any], secrets: dict[str, Any]) -> None:
        super().__init__(config, secrets)
        if not self._host:
            raise SourceError("The MySQL connection has no host name.", kind=Fault.SETUP)
        self._database = str(config.get("database") or "") or None

    def _connect(self, deadline: float, cutoff: Cutoff) -> pymysql.connections.Connection:
        budget = self._connect_budget(deadline)
        remaining = max(MIN_WAIT_S, deadline - time.monotonic())
        conn = pymysql.connections.Connection(
            host=self._host, port=self._port, user=self._user, password=self._password,
            database=self._database, charset="utf8mb4", autocommit=False,
            connect_timeout=budget,
            # pymysql's read timeout also bounds each read of the handshake, so a server that
            # accepts and never answers cannot hold the call past its deadline.
            read_timeout=remaining, write_timeout=remaining,
            ssl=self._tls, local_infile=False, defer_connect=True)
        cutoff.watch(lambda: shut(conn._sock))
        try:
            conn.connect()
        except pymysql.MySQLError as exc:
            if cutoff.fired:
                raise SourceError(f"The database at {self._where} accepted the connection but "
                                  "did not answer in time.", _mysql_code(exc), str(exc),
                                  kind=Fault.TIMEOUT) from exc
            raise self._error(exc, connecting=True, budget=budget) from exc
        return conn

    def _close_connection(self, conn: pymysql.connections.Connection) -> None:
        _close_mysql(conn)

    def _alive(self, conn: pymysql.connections.Connection, deadline: float,
               cutoff: Cutoff) -> bool:
        """The liveness check of an idle pooled connection: one ping, no reconnect."""
        cutoff.watch(lambda: shut(conn._sock))
        _io_timeout(conn, min(_PING_TIMEOUT_S, max(MIN_WAIT_S, deadline - time.monotonic())))
        try:
            conn.ping(reconnect=False)
        except (pymysql.MySQLError, OSError):
            return False
        return True

    def _probe_blocking(self, deadline: float) -> str:
        budget = deadline - time.monotonic()
        with Cutoff(deadline + _CUT_GRACE_S) as cutoff:
            conn = self._connect(deadline, cutoff)
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT 1")
                    cursor.fetchall()
                return _mysql_server(conn.get_server_info())[2]
            except pymysql.MySQLError as exc:
                if cutoff.fired:
                    raise self._no_answer(budget, "2013") from exc
                raise self._error(exc) from exc
            finally:
                _close_mysql(conn)

    def _execute_blocking(self, statement: str, binds: dict[str, Any], max_rows: int,
                          deadline: float, limit: float) -> QueryResult:
        """Runs an already checked and capped statement in a read-only transaction."""
        started = time.monotonic()
        with Cutoff(deadline + _CUT_GRACE_S) as cutoff:
            return self._pooled(
                lambda: self._connect(deadline, cutoff),
                lambda conn: self._alive(conn, deadline, cutoff),
                lambda item: self._query(item, statement, binds, max_rows, deadline, limit,
                                         cutoff, started))

    def _query(self, item: Pooled, statement: str, binds: dict[str, Any], max_rows: int,
               deadline: float, limit: float, cutoff: Cutoff, started: float) -> QueryResult:
        conn = item.conn
        cutoff.watch(lambda: shut(conn._sock))
        _io_timeout(conn, max(MIN_WAIT_S, deadline - time.monotonic()))
        watchdog: Watchdog | None = None
        reached = False  # whether a statement of this query got an answer on this connection
        try:
            flavour, version, _ = _mysql_server(conn.get_server_info())
            remaining = deadline - time.monotonic()
            if remaining < MIN_WAIT_S:
                raise timeout_error(limit, None)
            # The server stops the statement a little before our own deadline, so the normal
            # outcome is its clean error and a connection that stays usable.
            margin = min(0.25, remaining * 0.1)
            server_limit = remaining - margin
            limited = flavour == "MariaDB" or version >= (5, 7, 8)
            with conn.cursor() as cursor:
                if flavour == "MariaDB":
                    statement = (f"SET STATEMENT max_statement_time={server_limit:.3f} "
                                 f"FOR {statement}")
                elif version >= (5, 7, 8):
                    # MySQL's limit applies to SELECT only, which is all that may run here.
                    cursor.execute(f"SET SESSION max_execution_time = {int(server_limit * 1000)}")
                    reached = True
                cursor.execute("START TRANSACTION READ ONLY")
                reached = True
                thread_id = conn.thread_id()
                watchdog = Watchdog(deadline - margin / 2, lambda: self._kill_query(thread_id))
                running = time.monotonic()
                cursor.execute(statement, binds)
                rows = list(cursor.fetchmany(max_rows + 1))
                columns = [d[0] for d in cursor.description or ()]
                watchdog.stop()
                if watchdog.fired or cutoff.fired:
                    # MySQL answers an interrupted SLEEP() with 1, not an error: drop the row.
                    raise timeout_error(limit, "1317")
                if limited and time.monotonic() - running >= server_limit and \
                        _stopped_by_its_limit(cursor, flavour):
                    # An interrupted BENCHMARK() answers 0 without an error: drop the row.
                    raise timeout_error(limit, "1969" if flavour == "MariaDB" else "3024")
            conn.rollback()
        except pymysql.MySQLError as exc:
            if watchdog is not None:
                watchdog.stop()
                if watchdog.fired:
                    raise timeout_error(limit, _mysql_code(exc) or "1317") from exc
            if cutoff.fired:
                raise timeout_error(limit, _mysql_code(exc) or "2013") from exc
            if not reached and _gone(exc):
                raise ConnectionLost(self._error(exc, limit=limit)) from exc
            raise self._error(exc, limit=limit) from exc
        finally:
            if watchdog is not None:
                watchdog.stop()
        return QueryResult(columns, rows[:max_rows], len(rows) > max_rows, ms_since(started))

    def _kill_query(self, thread_id: int) -> None:
        """Stops a statement that outlived its limit, from a second connection of the same user."""
        try:
            killer = pymysql.connect(
                host=self._host, port=self._port, user=self._user, password=self._password,
                connect_timeout=KILL_TIMEOUT_S, read_timeout=KILL_TIMEOUT_S,
                write_timeout=KILL_TIMEOUT_S, ssl=self._tls)
            try:
                with killer.cursor() as cursor:
                    cursor.execute(f"KILL QUERY {int(thread_id)}")
            finally:
                _close_mysql(killer)
        except (pymysql.MySQLError, OSError) as exc:
            log.warning("Could not stop query %s on %s: %s", thread_id, self._where, exc)

    def _error(self, exc: pymysql.MySQLError, *, connecting: bool = False,
               budget: float | None = None, limit: float | None = None) -> SourceError:
        code = _mysql_code(exc)
        text = _server_text(exc)
        original = getattr(exc, "original_exception", None)
        where, user, database = self._where, self._user, self._database
        if code == "2003":
            if isinstance(original, ssl.SSLCertVerificationError):
                sentence = (f"The TLS certificate of the database at {where} could not be "
                            f"verified: {original.verify_message or original.reason}.")
            elif isinstance(original, ssl.SSLError):
                sentence = f"The TLS connection to the database at {where} failed: {original}."
            elif isinstance(original, socket.gaierror):
                sentence = f"Unknown host name {self._host}: check the address."
            elif isinstance(original, ConnectionRefusedError):
                sentence = (f"Cannot reach the database at {where}: server down, wrong port or "
                            "firewall.")
            elif isinstance(original, TimeoutError):
                return self._no_answer(budget or self._connect_timeout, code)
            else:
                reason = getattr(original, "strerror", None) or original or text
                sentence = f"Cannot reach the database at {where}: {reason}."
            return SourceError(sentence, code, str(exc), kind=Fault.UNREACHABLE)
        sentences = {
            "1045": "Wrong user name or password.",
            "1044": f"The user {user} may not open the database {database}.",
            "1049": f"The database {database} does not exist on the server at {where}.",
            "1130": f"The database at {where} does not accept user {user} from this computer.",
            "1040": "The database refuses connections now (too many connections); try later.",
            "1203": "The database refuses connections now (too many connections); try later.",
            "1792": "The database refused to change data: this connection only reads.",
            "2026": f"The TLS connection to the database at {where} failed: {text}.",
            "1060": f"Two result columns have the same name; give one an alias with AS ({text}).",
            "1142": f"The user {user} may not read this: {text}.",
            "1143": f"The user {user} may not read this: {text}.",
            "1146": f"The query names a table that does not exist: {text}.",
            "1054": f"The query names a column that does not exist: {text}.",
            "1064": f"The database could not understand the query: {text}.",
        }
        if code in sentences:
            return SourceError(sentences[code], code, str(exc), kind=_MYSQL_FAULTS[code])
        if code is not None and int(code) in _MYSQL_TIMEOUT_CODES:
            return timeout_error(limit, code)
        if code in ("2013", "2006"):
            if connecting:
                return SourceError(f"The database at {where} accepted the connection but did "
                                   "not answer in time.", code, str(exc), kind=Fault.TIMEOUT)
            return SourceError("The connection to the database was lost during the query.",
                               code, str(exc), kind=Fault.UNREACHABLE)
        return SourceError(f"The database reported an error: {text}.", code, str(exc),
                           kind=Fault.REFUSED)


def _stopped_by_its_limit(cursor: Any, flavour: str) -> bool:
    """Whether the server stopped a statement on this connection for running over its limit.

    A connection whose statement hit its limit is closed, never pooled, so any count above
    zero is this query's. When the
    count cannot be read (the connection broke), the statement that ran as long as its limit
    counts as stopped; a server that keeps no such count is taken at its word.
    """
    try:
        cursor.execute(f"SHOW SESSION STATUS LIKE '{_OVER_LIMIT_STATUS[flavour]}'")
        row = cursor.fetchone()
    except pymysql.MySQLError:
        log.debug("Could not read the statement-limit count", exc_info=True)
        return True
    if row is None:
        return False
    try:
        return int(row[1]) > 0
    except (TypeError, ValueError):
        return True


def _gone(exc: BaseException) -> bool:
    """Whether the error says the connection was already closed (not that a statement failed)."""
    if isinstance(exc, pymysql.err.InterfaceError):  # pymysql's "the socket is closed"
        return True
    code = exc.args[0] if exc.args else None
    return isinstance(code, int) and code in _GONE_CODES


def _io_timeout(conn: pymysql.connections.Connection, seconds: float) -> None:
    """The read and write timeouts of an open connection, for its next calls.

    pymysql takes them only when connecting; the connection applies these attributes to its
    socket before each read and write, so a pooled connection gets this query's remaining time.
    """
    conn._read_timeout = seconds
    conn._write_timeout = seconds


def _mysql_code(exc: BaseException) -> str | None:
    return str(exc.args[0]) if exc.args and isinstance(exc.args[0], int) else None


def _server_text(exc: BaseException) -> str:
    text = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
    return text.strip().rstrip(".")


def _mysql_server(info: str) -> tuple[str, tuple[int, ...], str]:
    """("MariaDB", (10, 11, 6), "MariaDB 10.11.6") from the version the server announces."""
    # MariaDB before 11 prefixes "5.5.5-" for old replication clients.
    text = info.removeprefix("5.5.5-")
    flavour = "MariaDB" if "mariadb" in text.lower() else "MySQL"
    match = re.match(r"(\d+)\.(\d+)\.(\d+)", text)
    if not match:
        return flavour, (), f"{flavour} {text}"
    return flavour, tuple(int(part) for part in match.groups()), f"{flavour} {match.group(0)}"


def _close_mysql(conn: pymysql.connections.Connection) -> None:
    if conn.open:
        try:
            conn.close()
        except (pymysql.MySQLError, OSError):
            log.debug("Closing a MySQL connection failed", exc_info=True)
