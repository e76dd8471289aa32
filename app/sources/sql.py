"""MySQL/MariaDB (pymysql) and Oracle (oracledb thin) sources: checked, read-only, time-limited."""

from __future__ import annotations

import logging
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import oracledb
import pymysql

from app.core.sql_gate import Dialect, bind_names, cap_rows, check_read_only, to_pyformat
from app.sources.base import QueryResult, SourceError, TestResult

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_CONNECT_TIMEOUT_S = 10.0
# Drivers refuse a zero or negative timeout; below this there is no time left to try.
_MIN_WAIT_S = 0.05
# Seconds the helper connection that cancels a runaway MySQL query may take.
_KILL_TIMEOUT_S = 2.0
_MYSQL_TIMEOUT_CODES = {1969, 3024, 1317}
_ORACLE_TIMEOUT_CODES = {"DPY-4024", "ORA-01013"}
_ORACLE_CODE = re.compile(r"\b((?:ORA|DPY)-\d+)")


class _SqlSource:
    """What both databases share: settings, deadlines and the order of steps of a query."""

    dialect: Dialect
    default_port: int

    def __init__(self, config: dict[str, Any], secrets: dict[str, Any]) -> None:
        self._host = str(config.get("host") or "").strip()
        self._port = _port(config.get("port"), self.default_port)
        self._user = str(config.get("username") or "")
        self._password = str(secrets.get("password") or "")
        self._connect_timeout = _seconds(config.get("connect_timeout_s"), "connect_timeout_s",
                                         DEFAULT_CONNECT_TIMEOUT_S)
        self._query_timeout = _seconds(config.get("query_timeout_s"), "query_timeout_s", None)
        self._tls = _tls_context(config.get("ssl"))
        self._tls_verified = self._tls is not None and self._tls.verify_mode != ssl.CERT_NONE
        self._where = f"{self._host}:{self._port}"

    def close(self) -> None:
        """Nothing stays open between calls: every call opens and closes its own connection."""

    def query_blocking(self, sql: str, params: dict[str, Any], max_rows: int,
                       timeout: float) -> QueryResult:
        limit = self._time_limit(timeout)
        deadline = time.monotonic() + limit
        checked = check_read_only(sql, self.dialect)
        names = bind_names(checked, self.dialect)
        missing = [name for name in names if name not in params]
        if missing:
            listed = ", ".join(f"'{name}'" for name in missing)
            noun = "variable" if len(missing) == 1 else "variables"
            raise SourceError(f"The query needs a value for the {noun} {listed}.")
        binds = {name: params[name] for name in names}
        max_rows = max(0, int(max_rows))
        capped = cap_rows(checked, self.dialect, max_rows + 1)
        return self._execute_blocking(self._driver_sql(capped), binds, max_rows, deadline, limit)

    def test_blocking(self, timeout: float) -> TestResult:
        started = time.monotonic()
        try:
            server = self._probe_blocking(started + max(_MIN_WAIT_S, float(timeout)))
        except SourceError as exc:
            return TestResult(False, _ms_since(started), exc.message, exc.code)
        elapsed = _ms_since(started)
        return TestResult(True, elapsed, f"Connected in {elapsed:.0f} ms ({server})", server=server)

    def _time_limit(self, timeout: float) -> float:
        # The source's own limit is the DBA's ceiling; a trigger may ask for less, never more.
        limit = float(timeout)
        if self._query_timeout is not None:
            limit = min(limit, self._query_timeout)
        return max(_MIN_WAIT_S, limit)

    def _connect_budget(self, deadline: float) -> float:
        remaining = deadline - time.monotonic()
        if remaining < _MIN_WAIT_S:
            raise SourceError(f"There was no time left to connect to the database at "
                              f"{self._where}.")
        return min(self._connect_timeout, remaining)

    def _no_answer(self, budget: float, code: str | None = None) -> SourceError:
        return SourceError(f"The database at {self._where} did not answer within "
                           f"{round(budget, 1):g} s: "
                           "check the address, the port and the firewall.", code)

    def _driver_sql(self, sql: str) -> str:
        return sql

    def _execute_blocking(self, statement: str, binds: dict[str, Any], max_rows: int,
                          deadline: float, limit: float) -> QueryResult:
        raise NotImplementedError

    def _probe_blocking(self, deadline: float) -> str:
        raise NotImplementedError


class MySqlSource(_SqlSource):
    """A MySQL or MariaDB database through pymysql."""

    dialect = "mysql"
    default_port = 3306

    def __init__(self, config: dict[str, Any], secrets: dict[str, Any]) -> None:
        super().__init__(config, secrets)
        if not self._host:
            raise SourceError("The MySQL connection has no host name.")
        self._database = str(config.get("database") or "") or None

    def _driver_sql(self, sql: str) -> str:
        return to_pyformat(sql)

    def _connect(self, deadline: float) -> pymysql.connections.Connection:
        budget = self._connect_budget(deadline)
        remaining = max(_MIN_WAIT_S, deadline - time.monotonic())
        try:
            return pymysql.connect(
                host=self._host, port=self._port, user=self._user, password=self._password,
                database=self._database, charset="utf8mb4", autocommit=False,
                connect_timeout=budget,
                # pymysql's read timeout also bounds the handshake, so a server that accepts
                # and never answers cannot hold the call past its deadline.
                read_timeout=remaining, write_timeout=remaining,
                ssl=self._tls, local_infile=False)
        except pymysql.MySQLError as exc:
            raise self._error(exc, connecting=True, budget=budget) from exc

    def _probe_blocking(self, deadline: float) -> str:
        conn = self._connect(deadline)
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchall()
            return _mysql_server(conn.get_server_info())[2]
        except pymysql.MySQLError as exc:
            raise self._error(exc) from exc
        finally:
            _close_mysql(conn)

    def _execute_blocking(self, statement: str, binds: dict[str, Any], max_rows: int,
                          deadline: float, limit: float) -> QueryResult:
        """Runs an already checked and capped statement in a read-only transaction."""
        started = time.monotonic()
        conn = self._connect(deadline)
        watchdog: _Watchdog | None = None
        try:
            flavour, version, _ = _mysql_server(conn.get_server_info())
            remaining = deadline - time.monotonic()
            if remaining < _MIN_WAIT_S:
                raise _timeout(limit, None)
            # The server stops the statement a little before our own deadline, so the normal
            # outcome is its clean error and a connection that stays usable.
            margin = min(0.25, remaining * 0.1)
            server_limit = remaining - margin
            with conn.cursor() as cursor:
                if flavour == "MariaDB":
                    statement = (f"SET STATEMENT max_statement_time={server_limit:.3f} "
                                 f"FOR {statement}")
                elif version >= (5, 7, 8):
                    # MySQL's limit applies to SELECT only, which is all that may run here.
                    cursor.execute(f"SET SESSION max_execution_time = {int(server_limit * 1000)}")
                cursor.execute("START TRANSACTION READ ONLY")
                thread_id = conn.thread_id()
                watchdog = _Watchdog(deadline - margin / 2, lambda: self._kill_query(thread_id))
                cursor.execute(statement, binds)
                rows = list(cursor.fetchmany(max_rows + 1))
                columns = [d[0] for d in cursor.description or ()]
                watchdog.stop()
                if watchdog.fired:
                    # MySQL answers an interrupted SLEEP() with 1, not an error: drop the row.
                    raise _timeout(limit, "1317")
            conn.rollback()
        except pymysql.MySQLError as exc:
            if watchdog is not None:
                watchdog.stop()
                if watchdog.fired:
                    raise _timeout(limit, _mysql_code(exc) or "1317") from exc
            raise self._error(exc, limit=limit) from exc
        finally:
            if watchdog is not None:
                watchdog.stop()
            _close_mysql(conn)
        return QueryResult(columns, rows[:max_rows], len(rows) > max_rows, _ms_since(started))

    def _kill_query(self, thread_id: int) -> None:
        """Stops a statement that outlived its limit, from a second connection of the same user."""
        try:
            killer = pymysql.connect(
                host=self._host, port=self._port, user=self._user, password=self._password,
                connect_timeout=_KILL_TIMEOUT_S, read_timeout=_KILL_TIMEOUT_S,
                write_timeout=_KILL_TIMEOUT_S, ssl=self._tls)
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
            return SourceError(sentence, code, str(exc))
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
            return SourceError(sentences[code], code, str(exc))
        if code is not None and int(code) in _MYSQL_TIMEOUT_CODES:
            return _timeout(limit, code)
        if code in ("2013", "2006"):
            if connecting:
                return SourceError(f"The database at {where} accepted the connection but did "
                                   "not answer in time.", code, str(exc))
            return SourceError("The connection to the database was lost during the query.",
                               code, str(exc))
        return SourceError(f"The database reported an error: {text}.", code, str(exc))


class OracleSource(_SqlSource):
    """An Oracle database through oracledb in thin mode (no Oracle client needed)."""

    dialect = "oracle"
    default_port = 1521

    def __init__(self, config: dict[str, Any], secrets: dict[str, Any]) -> None:
        super().__init__(config, secrets)
        self._dsn = str(config.get("dsn") or "").strip() or None
        self._service_name = str(config.get("service_name") or "").strip() or None
        if self._dsn is None and not self._host:
            raise SourceError("The Oracle connection needs a host name or a connect string.")
        if self._dsn is None and self._service_name is None:
            raise SourceError("The Oracle connection needs a service name or a connect string.")
        if self._dsn is not None:  # the driver ignores host and port then
            self._where = self._dsn

    def _connect(self, deadline: float) -> Any:
        budget = self._connect_budget(deadline)
        # The TCP timeout is a little shorter than ours so that a silent firewall is reported
        # by the driver with its own code, and our deadline covers a silent server.
        params: dict[str, Any] = {"user": self._user, "password": self._password,
                                  "tcp_connect_timeout": max(_MIN_WAIT_S, budget * 0.8)}
        if self._dsn is not None:
            params["dsn"] = self._dsn
        else:
            params.update(host=self._host, port=self._port, service_name=self._service_name)
        if self._tls is not None:
            params.update(protocol="tcps", ssl_context=self._tls,
                          ssl_server_dn_match=self._tls_verified)
        try:
            return _call_before(time.monotonic() + budget, lambda: oracledb.connect(**params),
                                _close_oracle, "oracle-connect")
        except _TooLate:
            raise self._no_answer(budget) from None
        except (oracledb.Error, OSError) as exc:
            raise self._error(exc, budget=budget) from exc

    def _probe_blocking(self, deadline: float) -> str:
        conn = self._connect(deadline)
        try:
            conn.call_timeout = _remaining_ms(deadline)
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
        conn = self._connect(deadline)
        watchdog: _Watchdog | None = None
        try:
            remaining = deadline - time.monotonic()
            if remaining < _MIN_WAIT_S:
                raise _timeout(limit, None)
            margin = min(0.25, remaining * 0.1)
            # The driver's own limit comes first and keeps the connection usable; the cancel
            # is the fallback when a call ignores it.
            conn.call_timeout = max(1, int((remaining - margin) * 1000))
            # SET TRANSACTION must be the first statement of a transaction.
            conn.rollback()
            cursor = conn.cursor()
            cursor.arraysize = max_rows + 1
            cursor.prefetchrows = max_rows + 2  # all rows in the execute round trip
            cursor.outputtypehandler = _lobs_as_values
            cursor.execute("SET TRANSACTION READ ONLY")
            watchdog = _Watchdog(deadline - margin / 2, conn.cancel)
            cursor.execute(statement, binds)
            rows = [tuple(row) for row in cursor.fetchmany(max_rows + 1)]
            columns = [d[0] for d in cursor.description or ()]
            watchdog.stop()
            if watchdog.fired:
                raise _timeout(limit, "ORA-01013")
            cursor.close()
            conn.rollback()
        except oracledb.Error as exc:
            if watchdog is not None:
                watchdog.stop()
                if watchdog.fired:
                    raise _timeout(limit, _oracle_code(exc) or "ORA-01013") from exc
            raise self._error(exc, limit=limit) from exc
        finally:
            if watchdog is not None:
                watchdog.stop()
            _close_oracle(conn)
        return QueryResult(columns, rows[:max_rows], len(rows) > max_rows, _ms_since(started))

    def _error(self, exc: BaseException, *, budget: float | None = None,
               limit: float | None = None) -> SourceError:
        where = self._where
        unknown_host = (f"Unknown host name {self._host}: check the address."
                        if self._dsn is None else
                        f"Unknown host name in the connect string {self._dsn}: check the address.")
        if isinstance(exc, socket.gaierror):
            return SourceError(unknown_host, None, str(exc))
        if not isinstance(exc, oracledb.Error):
            reason = getattr(exc, "strerror", None) or exc
            return SourceError(f"Cannot reach the database at {where}: {reason}.", None, str(exc))
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
            return SourceError(sentence, code, str(exc))
        if code in _ORACLE_TIMEOUT_CODES:
            return _timeout(limit, code)
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
            return SourceError(sentences[code], code, str(exc))
        return SourceError(f"The database reported an error: {_first_line(exc)}.", code, str(exc))


# --- helpers ---------------------------------------------------------------------------------


class _TooLate(Exception):
    """The deadline passed before a blocking call in its own thread returned."""


def _call_before(deadline: float, fn: Callable[[], T], discard: Callable[[T], None],
                 name: str) -> T:
    """Runs `fn` in its own thread and gives up at `deadline` (raises _TooLate).

    oracledb's thin driver waits without limit for a server that accepts the connection and
    never answers. The abandoned thread lives on until the driver returns, then hands its
    result to `discard` so no connection is left open.
    """
    lock = threading.Lock()
    done = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            value = fn()
        except Exception as exc:  # noqa: BLE001 - handed to the waiting caller, which raises it
            with lock:
                box["error"] = exc
                done.set()
            return
        with lock:
            late = box.get("abandoned", False)
            box["value"] = value
            done.set()
        if late:
            try:
                discard(value)
            except Exception:  # noqa: BLE001 - nobody waits for this thread any more
                log.debug("Closing a late connection failed", exc_info=True)

    threading.Thread(target=run, name=name, daemon=True).start()
    finished = done.wait(max(0.0, deadline - time.monotonic()))
    with lock:
        if not finished and not done.is_set():
            box["abandoned"] = True
            raise _TooLate
    if "error" in box:
        raise box["error"]
    return box["value"]


class _Watchdog:
    """Runs `action` once if `at` (monotonic) passes before `stop()`; remembers that it did."""

    def __init__(self, at: float, action: Callable[[], None]) -> None:
        self._event = threading.Event()
        self._timer = threading.Timer(max(0.0, at - time.monotonic()), self._fire, (action,))
        self._timer.daemon = True
        self._timer.start()

    def _fire(self, action: Callable[[], None]) -> None:
        self._event.set()
        action()

    @property
    def fired(self) -> bool:
        return self._event.is_set()

    def stop(self) -> None:
        self._timer.cancel()
        if self._event.is_set() and self._timer is not threading.current_thread():
            self._timer.join(_KILL_TIMEOUT_S * 2)  # let the cancel finish before we go on


def _timeout(limit: float | None, code: str | None) -> SourceError:
    if limit is None:
        return SourceError("The query took longer than its limit and was stopped.", code)
    return SourceError(f"The query took longer than its limit of {limit:g} s and was stopped.",
                       code)


def _mysql_code(exc: BaseException) -> str | None:
    return str(exc.args[0]) if exc.args and isinstance(exc.args[0], int) else None


def _server_text(exc: BaseException) -> str:
    text = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
    return text.strip().rstrip(".")


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


def _close_oracle(conn: Any) -> None:
    try:
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


def _remaining_ms(deadline: float) -> int:
    return max(1, int((deadline - time.monotonic()) * 1000))


def _ms_since(started: float) -> float:
    return (time.monotonic() - started) * 1000


def _port(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise SourceError(f"The port must be a whole number, not '{value}'.") from None
    if not 0 < port < 65536:
        raise SourceError(f"The port must be between 1 and 65535, not {port}.")
    return port


def _seconds(value: Any, key: str, default: float | None) -> float | None:
    if value in (None, ""):
        return default
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise SourceError(f"The setting {key} must be a number of seconds, not '{value}'.") \
            from None
    if seconds <= 0:
        raise SourceError(f"The setting {key} must be more than 0 seconds.")
    return seconds


def _tls_context(option: Any) -> ssl.SSLContext | None:
    """`ssl`: absent or false → plain; true → verified TLS; a dict of `ca`, `cert`, `key`,
    `verify` (false skips certificate checks) and `check_hostname`."""
    if not option:
        return None
    if option is True:
        return ssl.create_default_context()
    if not isinstance(option, dict):
        raise SourceError("The TLS (ssl) setting must be true, false or a set of options.")
    verify = option.get("verify", True)
    ca = option.get("ca") or (verify if isinstance(verify, str) else None)
    try:
        context = ssl.create_default_context(cafile=ca or None)
        if option.get("cert"):
            context.load_cert_chain(option["cert"], option.get("key") or None)
    except OSError as exc:
        reason = exc.strerror or exc
        raise SourceError(f"The TLS certificate files could not be read: {reason}.") from exc
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif option.get("check_hostname") is False:
        context.check_hostname = False
    return context
