"""HTTP for the sources that speak it (PI Web API, the old PI gateway, AI services).

One session per source, one deadline per call that covers the whole answer, headers included: at
the deadline the call's connection is shut down (app.sources.cutoff), so a server that sends its
headers or its body a byte at a time is cut off like a silent one and the worker thread is free
again at once; retries that never run past that deadline, and network failures turned into
sentences for a plant engineer. What the sources word differently (their name, where their
settings live, an example address) is given by each source as a `Wording`; everything else is
the same for all of them.
"""

from __future__ import annotations

import errno
import http.client
import socket
import ssl
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError
from urllib3.exceptions import SSLError as Urllib3SSLError

from app import __version__
from app.core.sources import Fault, SourceError
from app.sources.cutoff import Cutoff, shut

__all__ = ["Deadline", "HttpClient", "RetryRule", "Wording", "retry_pause", "root_cause"]

_READ_SIZE = 64 * 1024

# Called with each answer: seconds to wait before asking again, or None to keep the answer.
# A fresh rule is made for every call, so it may count the retries it allowed.
RetryRule = Callable[[requests.Response], float | None]


class Deadline:
    """The moment a call must be over by, whatever its retries and however slowly bytes come."""

    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.05, float(seconds))
        # End a little early so our sentence, not the caller's own timeout, reaches the user.
        self.end = time.monotonic() + self.seconds - min(0.1, self.seconds * 0.1)

    def remaining(self) -> float:
        return self.end - time.monotonic()


@dataclass(frozen=True)
class Wording:
    """The parts of the network sentences that differ from one kind of source to another."""

    service: str  # starts a sentence: "PI Web API", "The AI service"
    service_in_sentence: str  # after "Cannot talk to": "PI Web API", "the ai service"
    settings: str  # where the address is entered: "source settings", "connection settings"
    example: str  # an address written the way this source wants it
    request: str = "the connection"  # what the server accepted before it fell silent
    slow_hint: str = ""  # added to the read-timeout sentence, e.g. why a model may be slow
    # The source has a "check the server certificate" setting (true, false or a CA bundle):
    # certificate sentences point at it, and a CA bundle that cannot be read is named.
    verification_setting: bool = False
    # Sentences for an unreachable network and the https:// hint when a server hangs up.
    network_hints: bool = False


# The cutoff of the call the current thread is making, for the connections it uses.
_calling = threading.local()


def _watched(connection: HTTPConnection) -> None:
    cutoff: Cutoff | None = getattr(_calling, "cutoff", None)
    if cutoff is None:
        return
    connection._wa_cutoff = cutoff  # type: ignore[attr-defined]

    def cut() -> None:
        # A pooled connection may serve another call by now: only cut our own.
        if getattr(connection, "_wa_cutoff", None) is cutoff:
            shut(connection.sock)

    cutoff.watch(cut)


class _CutHttpConnection(HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _watched(self)
        super().request(*args, **kwargs)


class _CutHttpsConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        _watched(self)
        super().request(*args, **kwargs)


class _CutHttpPool(HTTPConnectionPool):
    ConnectionCls = _CutHttpConnection


class _CutHttpsPool(HTTPSConnectionPool):
    ConnectionCls = _CutHttpsConnection


class _CutAdapter(HTTPAdapter):
    """requests' adapter whose connections are shut down when their call's deadline passes."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _CutHttpPool,
                                                   "https": _CutHttpsPool}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = {"http": _CutHttpPool, "https": _CutHttpsPool}
        return manager


def _never_retry(response: requests.Response) -> float | None:
    return None


class HttpClient:
    """Requests to one server for one source; thread-safe, the session opened on first use.

    Subclasses add their sign-in in `configure` (called on every new session).
    """

    def __init__(self, base: str, wording: Wording, *, timeout_s: float,
                 verify: bool | str = True, pool_connections: int = 1, pool_size: int = 4,
                 retries: Callable[[], RetryRule] = lambda: _never_retry) -> None:
        self.base = base
        self.wording = wording
        self.service = wording.service
        self.timeout_s = timeout_s
        self.verify = verify
        self._pool = (pool_connections, pool_size)
        self._retries = retries
        self._session: requests.Session | None = None
        self._lock = threading.Lock()
        parts = urlsplit(base)
        self.host = parts.hostname or base
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.where = f"{self.host}:{self.port}"

    # -- session ------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._session is not None:
                self._session.close()
                self._session = None

    def session(self) -> requests.Session:
        with self._lock:
            if self._session is None:
                self._session = self._new_session()
            return self._session

    def configure(self, session: requests.Session) -> None:
        """Sign-in for a new session; raise SourceError when the settings cannot sign in."""

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        try:
            self.configure(session)
        except BaseException:
            session.close()
            raise
        connections, size = self._pool
        adapter = _CutAdapter(pool_connections=connections, pool_maxsize=size, max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.verify = self.verify
        session.headers["Accept"] = "application/json"
        session.headers["User-Agent"] = f"WA-Integration/{__version__}"
        if self.verify is False:
            # The engineer turned verification off on purpose (most PI servers use self-signed
            # certificates); urllib3 would otherwise warn on every single request.
            from urllib3.exceptions import InsecureRequestWarning

            warnings.filterwarnings("ignore", category=InsecureRequestWarning)
        return session

    # -- one request --------------------------------------------------------------------------

    def send(self, method: str, url: str, deadline: Deadline, *, params: Any = None,
             body: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
        """One request, retried as the source's rule says while the deadline allows.

        Any status is returned, with its body read; the deadline covers the whole answer.
        """
        session = self.session()
        # A little after the deadline (5 %, at most half a second, so a busy machine cannot
        # make the two race), so a silent server still trips the read timeout first and keeps
        # its own sentence; still before the caller's own time limit.
        with Cutoff(deadline.end + min(0.5, deadline.seconds * 0.05)) as cutoff:
            outer, _calling.cutoff = getattr(_calling, "cutoff", None), cutoff
            try:
                return self._send(session, method, url, deadline, cutoff, params=params,
                                  body=body, headers=headers)
            finally:
                _calling.cutoff = outer

    def _send(self, session: requests.Session, method: str, url: str, deadline: Deadline,
              cutoff: Cutoff, *, params: Any, body: Any,
              headers: dict[str, str] | None) -> requests.Response:
        retry = self._retries()
        while True:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise self._too_late(deadline)
            limit = min(self.timeout_s, remaining)
            try:
                # verify per request: a session-wide setting loses to REQUESTS_CA_BUNDLE.
                response = session.request(method, url, params=params, json=body,
                                           headers=headers, timeout=(limit, limit),
                                           verify=self.verify, stream=True)
                self._read_body(response, deadline)
            except (requests.RequestException, OSError) as exc:
                if cutoff.fired and not isinstance(exc, requests.exceptions.Timeout):
                    raise self._too_late(deadline) from exc
                raise self.network_error(exc, limit) from exc
            if cutoff.fired:  # the answer may have been cut short
                response.close()
                raise self._too_late(deadline)
            pause = retry(response)
            if pause is None:
                return response
            # Only wait if the retry itself still has time to run before the deadline.
            if pause + min(0.2, remaining / 4) >= deadline.remaining():
                return response
            response.close()
            time.sleep(pause)

    def _too_late(self, deadline: Deadline) -> SourceError:
        return SourceError(f"{self.service} at {self.where} did not answer within "
                           f"{deadline.seconds:.1f} s.", code="timeout", kind=Fault.TIMEOUT)

    def _read_body(self, response: requests.Response, deadline: Deadline) -> None:
        """The body as whatever arrives comes in, given up at the deadline.

        Errors are raised as requests raises them when it reads a body itself, so the
        sentences stay those of a body read in one go.
        """
        if response._content_consumed:  # a sign-in hook (NTLM, Kerberos) already read it
            return
        raw = response.raw
        parts: list[bytes] = []
        try:
            while True:
                if deadline.remaining() <= 0:
                    response.close()
                    raise self._too_late(deadline)
                try:
                    part = raw.read1(_READ_SIZE, decode_content=True)
                except ProtocolError as exc:
                    raise requests.exceptions.ChunkedEncodingError(exc) from exc
                except DecodeError as exc:
                    raise requests.exceptions.ContentDecodingError(exc) from exc
                except ReadTimeoutError as exc:
                    raise requests.exceptions.ConnectionError(exc) from exc
                except Urllib3SSLError as exc:
                    raise requests.exceptions.SSLError(exc) from exc
                if not part:
                    break
                parts.append(part)
        except BaseException:
            response.close()
            raise
        response._content = b"".join(parts)  # what requests itself keeps once a body is read
        response._content_consumed = True

    # -- sentences ----------------------------------------------------------------------------

    def network_error(self, exc: BaseException, waited: float) -> SourceError:
        words = self.wording
        root = root_cause(exc)
        text = f"{exc} {root}"
        name = type(root).__name__
        if isinstance(exc, requests.exceptions.SSLError) or isinstance(root, ssl.SSLError):
            if isinstance(root, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY" in text:
                if not words.verification_setting:
                    return SourceError(f"The certificate of {self.host} is not trusted by this "
                                       "workstation.", code="SSLCertVerificationError",
                                       kind=Fault.UNREACHABLE)
                if "mismatch" in text.lower() or "doesn't match" in text:
                    return SourceError(f"The certificate of {self.host} names another server: "
                                       "use the host name written in the certificate, or turn "
                                       "off verification.", code="SSLCertVerificationError",
                                       kind=Fault.UNREACHABLE)
                return SourceError("Certificate not trusted — set a CA bundle or turn off "
                                   "verification.", code="SSLCertVerificationError",
                                   kind=Fault.UNREACHABLE)
            if "WRONG_VERSION_NUMBER" in text or "record layer" in text:
                return SourceError(f"{self.where} does not speak HTTPS: check http:// versus "
                                   "https:// in the address.", code="SSLError",
                                   kind=Fault.SETUP)
            return SourceError(f"The secure connection to {self.where} failed.", code="SSLError",
                               details=str(exc), kind=Fault.UNREACHABLE)
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return SourceError(f"No answer from {self.where} within {waited:.1f} s — server "
                               "down or a firewall drops the traffic.", code="ConnectTimeout",
                               kind=Fault.UNREACHABLE)
        if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(root, TimeoutError):
            return SourceError(f"{self.service} at {self.where} accepted {words.request} but did "
                               f"not answer within {waited:.1f} s{words.slow_hint}.",
                               code="ReadTimeout", kind=Fault.TIMEOUT)
        if isinstance(root, socket.gaierror) or "NameResolutionError" in text:
            return SourceError(f"Unknown host name '{self.host}': check the address in the "
                               f"{words.settings} and this workstation's DNS.", code="gaierror",
                               kind=Fault.UNREACHABLE)
        if isinstance(root, ConnectionRefusedError):
            return SourceError(f"Cannot reach {self.where} — server down or firewall.",
                               code="ConnectionRefusedError", kind=Fault.UNREACHABLE)
        if words.network_hints and isinstance(root, OSError) and root.errno in (
                errno.ENETUNREACH, errno.EHOSTUNREACH):
            return SourceError(f"Cannot reach {self.where}: no network route to it (network "
                               "cable, VPN or firewall).", code=name, kind=Fault.UNREACHABLE)
        if isinstance(root, (http.client.RemoteDisconnected, ConnectionResetError,
                             ConnectionAbortedError, BrokenPipeError)):
            hint = (": if the server uses HTTPS, write https:// in the address."
                    if words.network_hints and self.base.startswith("http://") else ".")
            return SourceError(f"{self.where} closed the connection without answering{hint}",
                               code=name, kind=Fault.UNREACHABLE)
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return SourceError(f"'{self.base}' is not a usable address: write it like "
                               f"{words.example}.", code=type(exc).__name__, kind=Fault.SETUP)
        if words.verification_setting and isinstance(exc, OSError) and \
                "CA certificate bundle" in str(exc):
            return SourceError(f"The CA bundle '{self.verify}' cannot be read: fix the path or "
                               "turn off certificate verification.", code="OSError",
                               kind=Fault.SETUP)
        if isinstance(exc, (requests.exceptions.ChunkedEncodingError,
                            requests.exceptions.ContentDecodingError)):
            return SourceError(f"The answer from {self.where} broke off halfway.", code=name,
                               kind=Fault.UNREACHABLE)
        return SourceError(f"Cannot talk to {words.service_in_sentence} at {self.where}.",
                           code=name, details=str(exc), kind=Fault.UNREACHABLE)


def retry_pause(response: requests.Response, attempt: int, first_s: float = 0.2) -> float:
    """Seconds to wait before trying again: the server's Retry-After, else a doubling pause."""
    header = response.headers.get("Retry-After", "").strip()
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                moment = parsedate_to_datetime(header)
                return max(0.0, (moment - datetime.now(UTC)).total_seconds())
            except (TypeError, ValueError):
                pass
    return min(4.0, first_s * 2 ** attempt)


def root_cause(exc: BaseException) -> BaseException:
    """The innermost error under requests' and urllib3's wrappers (refused, DNS, TLS…)."""
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        reason = getattr(current, "reason", None)
        following = reason if isinstance(reason, BaseException) else None
        following = following or current.__cause__ or current.__context__
        if following is None and current.args and isinstance(current.args[0], BaseException):
            following = current.args[0]
        if following is None:
            break
        current = following
    return current
