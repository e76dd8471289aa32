"""What the MySQL and Oracle sources share: settings, deadlines and the order of a query's steps.

A query runs on a pooled connection (app.sources.sql.pool) when one is idle, else on a new one;
a connection test always opens its own, as that is what it tests. Blocking driver calls are
bounded by a deadline (a watchdog that cancels a runaway query, or a thread given up at the
deadline).
"""

from __future__ import annotations

import functools
import logging
import ssl
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from app.core.sql_gate import Dialect, bind_names, cap_rows, check_read_only, to_pyformat
from app.sources.base import CONCURRENT_REQUESTS, Fault, QueryResult, SourceError, TestResult
from app.sources.sql.pool import CHECK_AFTER_S, ConnectionPool, Pooled

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_CONNECT_TIMEOUT_S = 10.0
# Drivers refuse a zero or negative timeout; below this there is no time left to try.
MIN_WAIT_S = 0.05
# Seconds the helper connection that cancels a runaway MySQL query may take.
KILL_TIMEOUT_S = 2.0


class SqlSource:
    """What both databases share: settings, deadlines and the order of steps of a query."""

    concurrent_requests = CONCURRENT_REQUESTS

    dialect: Dialect
    default_port: int

    def __init__(self, config: dict[str, Any], secrets: dict[str, Any]) -> None:
        self._host = str(config.get("host") or "").strip()
        self._port = parse_port(config.get("port"), self.default_port)
        self._user = str(config.get("username") or "")
        self._password = str(secrets.get("password") or "")
        self._connect_timeout = _seconds(config.get("connect_timeout_s"), "connect_timeout_s",
                                         DEFAULT_CONNECT_TIMEOUT_S)
        self._query_timeout = _seconds(config.get("query_timeout_s"), "query_timeout_s", None)
        self._tls = _tls_context(config.get("ssl"))
        self._tls_verified = self._tls is not None and self._tls.verify_mode != ssl.CERT_NONE
        self._where = f"{self._host}:{self._port}"
        # Up to one idle connection per thread the source may hold at once.
        self._pool = ConnectionPool(self.concurrent_requests, self._close_connection,
                                    self.dialect)
        self.check_after_s = CHECK_AFTER_S

    @property
    def pool(self) -> ConnectionPool:
        return self._pool

    def close(self) -> None:
        """Closes the pooled connections (a query under way closes its own when it ends)."""
        self._pool.close()

    def _pooled(self, open_connection: Callable[[], Any], alive: Callable[[Any], bool],
                attempt: Callable[[Pooled], T]) -> T:
        """`attempt` on an idle pooled connection (checked with `alive` when it has been idle a
        while) or on a new one from `open_connection`. A reused connection that turns out to
        have been closed by the server before the query reached it (`attempt` raises
        ConnectionLost) is replaced once by a new one, and the query runs again there: it
        only reads. The connection goes back to the pool only after a clean end."""
        item = self._pool.take()
        if item is not None and time.monotonic() - item.returned_at >= self.check_after_s \
                and not alive(item.conn):
            log.info("An idle connection to the database at %s was closed by the server; "
                     "opening a new one", self._where)
            self._pool.discard(item)
            item = None
        if item is None:
            item = self._pool.adopt(open_connection())
        while True:
            try:
                result = attempt(item)
            except ConnectionLost as lost:
                self._pool.discard(item)
                if not item.reused:
                    raise lost.error from lost.__cause__
                log.info("The database at %s had closed an idle connection; the query runs "
                         "once more on a new one", self._where)
                item = self._pool.adopt(self._reconnect(open_connection))
                continue
            except BaseException:
                self._pool.discard(item)
                raise
            self._pool.give_back(item)
            return result

    def _reconnect(self, open_connection: Callable[[], Any]) -> Any:
        try:
            return open_connection()
        except SourceError as exc:
            raise SourceError(f"The database at {self._where} closed the connection, and a new "
                              f"one could not be opened: {exc.message}", exc.code, exc.details,
                              kind=exc.kind) from exc

    def _close_connection(self, conn: Any) -> None:
        raise NotImplementedError

    def query_blocking(self, sql: str, params: dict[str, Any], max_rows: int,
                       timeout: float) -> QueryResult:
        limit = self._time_limit(timeout)
        deadline = time.monotonic() + limit
        max_rows = max(0, int(max_rows))
        names, statement = prepare(sql, self.dialect, max_rows + 1)
        missing = [name for name in names if name not in params]
        if missing:
            listed = ", ".join(f"'{name}'" for name in missing)
            noun = "variable" if len(missing) == 1 else "variables"
            raise SourceError(f"The query needs a value for the {noun} {listed}.",
                              kind=Fault.SETUP)
        binds = {name: params[name] for name in names}
        return self._execute_blocking(statement, binds, max_rows, deadline, limit)

    def test_blocking(self, timeout: float) -> TestResult:
        started = time.monotonic()
        try:
            server = self._probe_blocking(started + max(MIN_WAIT_S, float(timeout)))
        except SourceError as exc:
            return TestResult(False, ms_since(started), exc.message, exc.code)
        elapsed = ms_since(started)
        return TestResult(True, elapsed, f"Connected in {elapsed:.0f} ms ({server})", server=server)

    def _time_limit(self, timeout: float) -> float:
        # The source's own limit is the DBA's ceiling; a trigger may ask for less, never more.
        limit = float(timeout)
        if self._query_timeout is not None:
            limit = min(limit, self._query_timeout)
        return max(MIN_WAIT_S, limit)

    def _connect_budget(self, deadline: float) -> float:
        remaining = deadline - time.monotonic()
        if remaining < MIN_WAIT_S:
            raise SourceError(f"There was no time left to connect to the database at "
                              f"{self._where}.", kind=Fault.TIMEOUT)
        return min(self._connect_timeout, remaining)

    def _no_answer(self, budget: float, code: str | None = None) -> SourceError:
        return SourceError(f"The database at {self._where} did not answer within "
                           f"{round(budget, 1):g} s: "
                           "check the address, the port and the firewall.", code,
                           kind=Fault.UNREACHABLE)

    def _execute_blocking(self, statement: str, binds: dict[str, Any], max_rows: int,
                          deadline: float, limit: float) -> QueryResult:
        raise NotImplementedError

    def _probe_blocking(self, deadline: float) -> str:
        raise NotImplementedError


@functools.lru_cache(maxsize=256)
def prepare(sql: str, dialect: Dialect, row_cap: int) -> tuple[tuple[str, ...], str]:
    """The query's `:name` binds and the statement the driver runs: checked read-only (or
    SourceError), capped at `row_cap` rows, in the driver's bind style.

    Parsing takes a few milliseconds, more than a pooled query on a near server, and a trigger
    sends the same text every time: the answer for each text is kept (a query that fails the
    check is checked again each time).
    """
    checked = check_read_only(sql, dialect)
    names = tuple(bind_names(checked, dialect))
    capped = cap_rows(checked, dialect, row_cap)
    return names, to_pyformat(capped) if dialect == "mysql" else capped


class ConnectionLost(Exception):
    """The server had closed the connection before the query reached it (not our deadline)."""

    def __init__(self, error: SourceError) -> None:
        super().__init__(error.message)
        self.error = error


class TooLate(Exception):
    """The deadline passed before a blocking call in its own thread returned."""


def call_before(deadline: float, fn: Callable[[], T], discard: Callable[[T], None],
                 name: str) -> T:
    """Runs `fn` in its own thread and gives up at `deadline` (raises TooLate).

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
            raise TooLate
    if "error" in box:
        raise box["error"]
    return box["value"]


class Watchdog:
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
            self._timer.join(KILL_TIMEOUT_S * 2)  # let the cancel finish before we go on


def timeout_error(limit: float | None, code: str | None) -> SourceError:
    if limit is None:
        return SourceError("The query took longer than its limit and was stopped.", code,
                           kind=Fault.TIMEOUT)
    return SourceError(f"The query took longer than its limit of {limit:g} s and was stopped.",
                       code, kind=Fault.TIMEOUT)


def remaining_ms(deadline: float) -> int:
    return max(1, int((deadline - time.monotonic()) * 1000))


def ms_since(started: float) -> float:
    return (time.monotonic() - started) * 1000


def parse_port(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise SourceError(f"The port must be a whole number, not '{value}'.",
                          kind=Fault.SETUP) from None
    if not 0 < port < 65536:
        raise SourceError(f"The port must be between 1 and 65535, not {port}.",
                          kind=Fault.SETUP)
    return port


def _seconds(value: Any, key: str, default: float | None) -> float | None:
    if value in (None, ""):
        return default
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise SourceError(f"The setting {key} must be a number of seconds, not '{value}'.",
                          kind=Fault.SETUP) \
            from None
    if seconds <= 0:
        raise SourceError(f"The setting {key} must be more than 0 seconds.",
                          kind=Fault.SETUP)
    return seconds


def _tls_context(option: Any) -> ssl.SSLContext | None:
    """`ssl`: absent or false → plain; true → verified TLS; a dict of `ca`, `cert`, `key`,
    `verify` (false skips certificate checks) and `check_hostname`."""
    if not option:
        return None
    if option is True:
        return ssl.create_default_context()
    if not isinstance(option, dict):
        raise SourceError("The TLS (ssl) setting must be true, false or a set of options.",
                          kind=Fault.SETUP)
    verify = option.get("verify", True)
    ca = option.get("ca") or (verify if isinstance(verify, str) else None)
    try:
        context = ssl.create_default_context(cafile=ca or None)
        if option.get("cert"):
            context.load_cert_chain(option["cert"], option.get("key") or None)
    except OSError as exc:
        reason = exc.strerror or exc
        raise SourceError(f"The TLS certificate files could not be read: {reason}.",
                          kind=Fault.SETUP) from exc
    if verify is False:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif option.get("check_hostname") is False:
        context.check_hostname = False
    return context
