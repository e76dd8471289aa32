"""Oracle through oracledb in thin mode (no Oracle client needed): checked, read-only queries on
pooled connections (app.sources.sql.pool).

The deadline is total: the connect runs in a thread given up at the deadline (the thin driver has
no limit of its own there), and before every round trip on an open connection its
`call_timeout` is set to the time left, so a stuck call ends with the driver's own timeout
(DPY-4024) and a series of slow round trips cannot add up past the deadline. A cancel from a
watchdog is the fallback for a call that ignores it.
"""

from __future__ import annotations

import logging
import re
import socket
import ssl
import time
from typing import Any

import oracledb

from app.sources.base import Fault, QueryResult, SourceError
from app.sources.sql.common import (
    MIN_WAIT_S,
    ConnectionLost,
    SqlSource,
    TooLate,
    Watchdog,
    call_before,
    ms_since,
    remaining_ms,
    timeout_error,
)

log = logging.getLogger(__name__)

_ORACLE_TIMEOUT_CODES = {"DPY-4024", "ORA-01013"}
# What kind of failure each error code with its own sentence is (app.core.sources.Fault).
_ORACLE_FAULTS = {
    "ORA-01017": Fault.SIGN_IN, "ORA-28000": Fault.SIGN_IN, "ORA-28001": Fault.SIGN_IN,
    "DPY-6001": Fault.SETUP, "DPY-6003": Fault.SETUP, "DPY-6000": Fault.BUSY,
    "DPY-2049": Fault.SETUP, "DPY-4027": Fault.SETUP, "DPY-3010": Fault.SETUP,
    "DPY-3001": Fault.SETUP, "DPY-4011": Fault.UNREACHABLE, "ORA-01456": Fault.REFUSED,
    "ORA-00942": Fault.NO_DATA, "ORA-00904": Fault.REFUSED, "ORA-00918": Fault.REFUSED,
    "ORA-01031": Fault.REFUSED,
}
_ORACLE_CODE = re.compile(r"\b((?:ORA|DPY)-\d+)")
# What a connection the server (or a firewall) closed while it sat idle answers: not connected,
# closed, end of file on the channel, session killed, idle time exceeded, not logged on.
_GONE_CODES = {"DPY-1001", "DPY-4011", "ORA-03113", "ORA-03114", "ORA-03135", "ORA-00028",
               "ORA-02396", "ORA-01012"}
# Longest wait for the liveness check of an idle pooled connection, and for closing one.
_PING_TIMEOUT_MS = 2000
_CLOSE_TIMEOUT_MS = 1000


class OracleSource(SqlSource):
    """An Oracle database through oracledb in thin mode (no Oracle client needed)."""

    dialect = "oracle"
    default_port = 1521

    def __init__(self, config: dict[str, Any], secrets: dict[str, Any]) -> None:
        super().__init__(config, secrets)
        self._dsn = str(config.get("dsn") or "").strip() or None
        self._service_name = str(config.get("service_name") or "").strip() or None
        if self._dsn is None and not self._host:
            raise SourceError("The Oracle connection needs a host name or a connect string.",
                              kind=Fault.SETUP)
        if self._dsn is None and self._service_name is None:
            raise SourceError("The Oracle connection needs a service name or a connect string.",
                              kind=Fault.SETUP)
        if self._dsn is not None:  # the driver ignores host and port then
            self._where = self._dsn

    def _connect(self, deadline: float) -> Any:
        budget = self._connect_budget(deadline)
        # The TCP timeout is a little shorter than ours so that a silent firewall is reported
        # by the driver with its own code, and our deadline covers a silent server.
        params: dict[str, Any] = {"user": self._user, "password": self._password,
                                  "tcp_connect_timeout": max(MIN_WAIT_S, budget * 0.8)}
        if self._dsn is not None:
            params["dsn"] = self._dsn
        else:
            params.update(host=self._host, port=self._port, service_name=self._service_name)
        if self._tls is not None:
            params.update(protocol="tcps", ssl_context=self._tls,
                          ssl_server_dn_match=self._tls_verified)
        try:
            return call_before(time.monotonic() + budget, lambda: oracledb.connect(**params),
                                _close_oracle, "oracle-connect")
        except TooLate:
            raise self._no_answer(budget) from None
        except (oracledb.Error, OSError) as exc:
            raise self._error(exc, budget=budget) from exc

    def _close_connection(self, conn: Any) -> None:
        _close_oracle(conn)

    @staticmethod
    def _alive(conn: Any, deadline: float) -> bool:
        """The liveness check of an idle pooled connection: one ping within the time left."""
        try:
            conn.call_timeout = min(_PING_TIMEOUT_MS, remaining_ms(deadline))
            conn.ping()
        except (oracledb.Error, OSError):
            return False
        return True

    def _probe_blocking(self, deadline: float) -> str:
        conn = self._connect(deadline)
        try:
            conn.call_timeout = remaining_ms(deadline)
            cursor = conn.cursor()
            cursor.execute("SELECT 1 FROM DUAL")
            cursor.fetchall()
            cursor.close()
            return f"Oracle Database {conn.version}"
        except oracledb.Error as exc:
            raise self._error(exc) from exc
        finally:
            _close_oracle(conn)

    def _execute_blocking(self, statement: str, binds: dict[str, Any], max_rows: int,
                          deadline: float, limit: float) -> QueryResult:
        """Runs an already checked and capped statement in a read-only transaction."""
        started = time.monotonic()
        return self._pooled(
            lambda: self._connect(deadline),
            lambda conn: self._alive(conn, deadline),
            lambda item: self._query(item.conn, statement, binds, max_rows, deadline, limit,
                                     started))

    def _query(self, conn: Any, statement: str, binds: dict[str, Any], max_rows: int,
               deadline: float, limit: float, started: float) -> QueryResult:
        watchdog: Watchdog | None = None
        reached = False  # whether a round trip of this query got an answer on this connection
        try:
            remaining = deadline - time.monotonic()
            if remaining < MIN_WAIT_S:
                raise timeout_error(limit, None)
            margin = min(0.25, remaining * 0.1)
            # The driver's own limit comes first and keeps the connection usable; the cancel
            # is the fallback when a call ignores it.
            ends = deadline - margin

            def budget() -> None:
                conn.call_timeout = remaining_ms(ends)

            budget()
            # SET TRANSACTION must be the first statement of a transaction.
            conn.rollback()
            reached = True
            cursor = conn.cursor()
            cursor.arraysize = max_rows + 1
            cursor.prefetchrows = max_rows + 2  # all rows in the execute round trip
            cursor.outputtypehandler = _lobs_as_values
            budget()
            cursor.execute("SET TRANSACTION READ ONLY")
            watchdog = Watchdog(deadline - margin / 2, conn.cancel)
            budget()
            cursor.execute(statement, binds)
            budget()
            rows = [tuple(row) for row in cursor.fetchmany(max_rows + 1)]
            columns = [d[0] for d in cursor.description or ()]
            watchdog.stop()
            if watchdog.fired:
                raise timeout_error(limit, "ORA-01013")
            cursor.close()
            budget()
            conn.rollback()
        except oracledb.Error as exc:
            if watchdog is not None:
                watchdog.stop()
                if watchdog.fired:
                    raise timeout_error(limit, _oracle_code(exc) or "ORA-01013") from exc
            if not reached and _oracle_code(exc) in _GONE_CODES:
                raise ConnectionLost(self._error(exc, limit=limit)) from exc
            raise self._error(exc, limit=limit) from exc
        finally:
            if watchdog is not None:
                watchdog.stop()
        return QueryResult(columns, rows[:max_rows], len(rows) > max_rows, ms_since(started))

    def _error(self, exc: BaseException, *, budget: float | None = None,
               limit: float | None = None) -> SourceError:
        where = self._where
        unknown_host = (f"Unknown host name {self._host}: check the address."
                        if self._dsn is None else
                        f"Unknown host name in the connect string {self._dsn}: check the address.")
        if isinstance(exc, socket.gaierror):
            return SourceError(unknown_host, None, str(exc), kind=Fault.UNREACHABLE)
        if not isinstance(exc, oracledb.Error):
            reason = getattr(exc, "strerror", None) or exc
            return SourceError(f"Cannot reach the database at {where}: {reason}.", None, str(exc),
                               kind=Fault.UNREACHABLE)
        code = _oracle_code(exc)
        cause = exc.__cause__
        if code == "DPY-6005":
            if isinstance(cause, ConnectionRefusedError):
                sentence = (f"Cannot reach the database at {where}: server down, wrong port or "
                            "firewall.")
            elif isinstance(cause, TimeoutError):
                return self._no_answer(budget or self._connect_timeout, code)
            elif isinstance(cause, socket.gaierror):
                sentence = unknown_host
            elif isinstance(cause, ssl.SSLError):
                sentence = f"The TLS connection to the database at {where} failed: {cause}."
            else:
                sentence = f"Cannot connect to the database at {where}: {_first_line(exc)}."
            return SourceError(sentence, code, str(exc), kind=Fault.UNREACHABLE)
        if code in _ORACLE_TIMEOUT_CODES:
            return timeout_error(limit, code)
        service = f" {self._service_name}" if self._service_name else ""
        sentences = {
            "ORA-01017": "Wrong user name or password.",
            "DPY-6001": f"The database at {where} is up but does not know the service{service}.",
            "DPY-6003": f"The database at {where} is up but does not know that SID.",
            "DPY-6000": "The database refuses connections now (busy); try later.",
            "ORA-28000": "The database account is locked: ask the DBA.",
            "ORA-28001": "The database password has expired: ask the DBA.",
            "DPY-2049": f"The connection settings are invalid: {_first_line(exc)}.",
            "DPY-4027": ("The connection settings are invalid: the connect string is not a "
                         "host/service address, and named aliases need a tnsnames.ora."),
            "DPY-3010": "This Oracle database is too old for the built-in driver (thin mode).",
            "DPY-3001": ("This Oracle database requires network encryption, which the built-in "
                         "driver (thin mode) does not support."),
            "DPY-4011": "The database closed the connection unexpectedly.",
            "ORA-01456": "The database refused to change data: this connection only reads.",
            "ORA-00942": "The query names a table or view that does not exist or may not be read.",
            "ORA-00904": f"The query names a column that does not exist: {_first_line(exc)}.",
            "ORA-00918": ("Two result columns have the same name; give one an alias "
                          f"({_first_line(exc)})."),
            "ORA-01031": f"The user {self._user} may not do this (insufficient privileges).",
        }
        if code in sentences:
            return SourceError(sentences[code], code, str(exc),
                               kind=_ORACLE_FAULTS.get(code, Fault.FAILED))
        return SourceError(f"The database reported an error: {_first_line(exc)}.", code, str(exc),
                           kind=Fault.REFUSED)


def _oracle_code(exc: BaseException) -> str | None:
    info = exc.args[0] if exc.args else None
    code = getattr(info, "full_code", None)
    if code:
        return str(code)
    match = _ORACLE_CODE.search(str(exc))
    return match.group(1) if match else None


def _first_line(exc: BaseException) -> str:
    """The driver's message without its code prefix and help link."""
    info = exc.args[0] if exc.args else None
    text = str(getattr(info, "message", None) or exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return _ORACLE_CODE.sub("", line, count=1).lstrip(": ").rstrip(".") or line


def _close_oracle(conn: Any) -> None:
    try:
        conn.call_timeout = _CLOSE_TIMEOUT_MS  # a server that stopped answering cannot hold it
        conn.close()
    except (oracledb.Error, OSError):
        log.debug("Closing an Oracle connection failed", exc_info=True)


def _lobs_as_values(cursor: Any, metadata: Any) -> Any:
    # LOB locators need more round trips and die with the connection: read them as plain values.
    if metadata.type_code is oracledb.DB_TYPE_CLOB:
        return cursor.var(oracledb.DB_TYPE_LONG, arraysize=cursor.arraysize)
    if metadata.type_code is oracledb.DB_TYPE_NCLOB:
        return cursor.var(oracledb.DB_TYPE_LONG_NVARCHAR, arraysize=cursor.arraysize)
    if metadata.type_code is oracledb.DB_TYPE_BLOB:
        return cursor.var(oracledb.DB_TYPE_LONG_RAW, arraysize=cursor.arraysize)
    return None
