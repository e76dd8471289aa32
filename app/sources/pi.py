"""PI data source: AVEVA PI Web API (batch, stream sets, cached WebIds) or the old site gateway."""

from __future__ import annotations

import errno
import http.client
import json
import math
import socket
import ssl
import statistics
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from requests.adapters import HTTPAdapter

from app import __version__
from app.core.pi_time import (
    check_interval,
    check_pi_time,
    parse_timestamp_text,
    resolve_pi_time,
)
from app.sources.base import PiSeries, PiValue, SourceError, TagInfo, TestResult
from app.sources.http_common import retry_pause, root_cause

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 10.0
MAX_RETRIES = 4  # for 429 and 503 only, and never past the call's deadline
# IIS-style front ends refuse query strings over 2 KB; stay under it per stream-set request.
_WEBID_QUERY_BUDGET = 1800
_GATEWAY_WORKERS = 8  # the gateway has no batch call, so tags are read side by side
_POINT_FIELDS = "WebId;Name;Path;Descriptor;EngineeringUnits;PointType"
_ATTRIBUTE_FIELDS = "WebId;Name;Path;Description;DefaultUnitsNameAbbreviation;DefaultUnitsName;Type"
_SEARCH_FIELDS = ";".join(f"Items.{f}" for f in _POINT_FIELDS.split(";"))
_AUTH_MODES = ("anonymous", "basic", "kerberos", "ntlm", "bearer")

_SUMMARY_TYPES = ("Total", "Average", "Minimum", "Maximum", "Range", "StdDev",
                  "PopulationStdDev", "Count", "PercentGood", "TotalWithUOM", "All")
_SUMMARY_NAMES = {name.lower(): name for name in _SUMMARY_TYPES}
_SUMMARY_NAMES.update({"avg": "Average", "mean": "Average", "min": "Minimum",
                       "max": "Maximum", "std": "StdDev", "stdev": "StdDev", "sum": "Total"})
DEFAULT_SUMMARY_TYPES = ("Average", "Minimum", "Maximum")
_GATEWAY_SUMMARY_ALL = ("Total", "Average", "Minimum", "Maximum", "Range", "StdDev",
                        "PopulationStdDev", "Count", "PercentGood")

# Names of PI's system digital states; the gateway sends them as plain text. Names a plant's
# own digital sets also use ("Manual", "Failed", "Configure") are left out on purpose.
_SYSTEM_STATES = {name.lower() for name in (
    "I/O Timeout", "Shutdown", "Pt Created", "Bad Input", "Bad Data", "Bad Output",
    "Calc Failed", "Calc Off", "Comm Fail", "Scan Off", "Scan Timeout", "Under Range",
    "Over Range", "Out of Serv", "Intf Shut", "No Sample", "No Result", "Arc Off-line",
    "Invalid Data")}
_NO_DATA = "no data"


# --------------------------------------------------------------------------------------------
# The source


class PiSource:
    """A PI historian behind PI Web API (`api: piwebapi`, the default) or the old `/pi/trn` gateway.

    Blocking calls only: each gives up by itself within its `timeout`. Whole-call failures
    (server down, wrong password) raise SourceError; a single tag that fails comes back with
    `error` set while the other tags still answer.
    """

    def __init__(self, config: dict[str, Any], secrets: dict[str, str] | None = None) -> None:
        self.config = dict(config or {})
        secrets = dict(secrets or {})
        self.api = str(self.config.get("api") or "piwebapi").strip().lower()
        self._problem: SourceError | None = None
        self._impl: _WebApi | _Gateway | None = None
        try:
            self._impl = self._build(secrets)
        except SourceError as exc:
            # A half-filled form still makes a source; every call then says what is missing.
            self._problem = exc

    def _build(self, secrets: dict[str, str]) -> _WebApi | _Gateway:
        if self.api not in ("piwebapi", "gateway"):
            raise SourceError(f"Unknown PI interface '{self.api}': choose piwebapi or gateway.",
                              code="config")
        zone = _zone(self.config.get("time_zone"))
        timeout_s = _positive_float(self.config.get("timeout_s"), DEFAULT_TIMEOUT_S)
        verify = _verify_setting(self.config.get("verify_tls", True))
        if self.api == "gateway":
            base = _gateway_base(self.config.get("base_url"))
            http = _Http(base, "PI gateway", "anonymous", "", "", "", verify, timeout_s)
            return _Gateway(http, zone, str(self.config.get("default_tag") or ""))
        base = _webapi_base(self.config.get("base_url"))
        auth = str(self.config.get("auth") or "anonymous").strip().lower()
        if auth not in _AUTH_MODES:
            raise SourceError(f"Unknown sign-in method '{auth}': choose one of "
                              f"{', '.join(_AUTH_MODES)}.", code="config")
        http = _Http(base, "PI Web API", auth, str(self.config.get("username") or ""),
                     str(secrets.get("password") or ""), str(secrets.get("token") or ""),
                     verify, timeout_s)
        server = str(self.config.get("data_server") or "").strip().strip("\\")
        zone_name = str(self.config.get("time_zone") or "").strip()
        return _WebApi(http, server, zone_name)

    def _ready(self) -> _WebApi | _Gateway:
        if self._problem is not None or self._impl is None:
            raise self._problem or SourceError("This PI source is not set up.", code="config")
        return self._impl

    # -- Historian ----------------------------------------------------------------------------

    def test_blocking(self, timeout: float) -> TestResult:
        started = time.perf_counter()
        try:
            return self._ready().test(timeout)
        except SourceError as exc:
            return TestResult(False, (time.perf_counter() - started) * 1000, exc.message,
                              exc.code)

    def current_blocking(self, tags: list[str], timeout: float) -> list[PiValue]:
        impl = self._ready()
        return impl.current(list(tags), timeout) if tags else []

    def recorded_blocking(self, tags: list[str], start: str, end: str, max_count: int,
                          timeout: float) -> list[PiSeries]:
        impl = self._ready()
        _check_range(start, end)
        if int(max_count) < 1:
            raise SourceError(f"Asked for {max_count} values: ask for at least one.")
        return impl.recorded(list(tags), start, end, int(max_count), timeout) if tags else []

    def interpolated_blocking(self, tags: list[str], start: str, end: str, interval: str,
                              timeout: float) -> list[PiSeries]:
        impl = self._ready()
        _check_range(start, end)
        check_interval(interval)
        return impl.interpolated(list(tags), start, end, interval.strip(), timeout) if tags else []

    def summary_blocking(self, tags: list[str], start: str, end: str, summary_types: list[str],
                         timeout: float) -> dict[str, dict[str, PiValue]]:
        """Summaries per tag, keyed by PI's own type names (`Average`, `Maximum`, …)."""
        impl = self._ready()
        _check_range(start, end)
        types = normalise_summary_types(summary_types)
        return impl.summary(list(tags), start, end, types, timeout) if tags else {}

    def plot_blocking(self, tags: list[str], start: str, end: str, intervals: int,
                      timeout: float) -> list[PiSeries]:
        impl = self._ready()
        _check_range(start, end)
        if int(intervals) < 1:
            raise SourceError(f"A chart needs at least one interval, not {intervals}.")
        return impl.plot(list(tags), start, end, int(intervals), timeout) if tags else []

    def search_blocking(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]:
        return self._ready().search(pattern or "*", max(1, int(max_results)), timeout)

    def close(self) -> None:
        if self._impl is not None:
            self._impl.http.close()


def normalise_summary_types(summary_types: Iterable[str] | None) -> list[str]:
    """PI's spelling of each summary type (`avg` → `Average`); the default is average, min, max."""
    names: list[str] = []
    for raw in summary_types or ():
        name = _SUMMARY_NAMES.get(str(raw).strip().lower())
        if name is None:
            raise SourceError(f"'{raw}' is not a PI summary type: use Average, Minimum, Maximum, "
                              "Total, Count, Range, StdDev or PercentGood.")
        if name not in names:
            names.append(name)
    return names or list(DEFAULT_SUMMARY_TYPES)


# --------------------------------------------------------------------------------------------
# HTTP: one session per source, deadlines, retries, and exceptions turned into sentences


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = max(0.05, float(seconds))
        # End a little early so our sentence, not the caller's own timeout, reaches the user.
        self.end = time.monotonic() + self.seconds - min(0.1, self.seconds * 0.1)

    def remaining(self) -> float:
        return self.end - time.monotonic()


class _Http:
    def __init__(self, base: str, service: str, auth: str, username: str, password: str,
                 token: str, verify: bool | str, timeout_s: float) -> None:
        self.base = base
        self.service = service
        self.auth = auth
        self.username = username
        self.verify = verify
        self.timeout_s = timeout_s
        self._password = password
        self._token = token
        self._session: requests.Session | None = None
        self._lock = threading.Lock()
        parts = urlsplit(base)
        self.host = parts.hostname or base
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.where = f"{self.host}:{self.port}"

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

    def _new_session(self) -> requests.Session:
        if isinstance(self.verify, str) and not _file_exists(self.verify):
            raise SourceError(f"The CA bundle file '{self.verify}' does not exist: fix the path "
                              "or turn off certificate verification.", code="config")
        auth = self._auth_object()
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=2, pool_maxsize=_GATEWAY_WORKERS * 2,
                              max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.verify = self.verify
        session.headers["Accept"] = "application/json"
        session.headers["User-Agent"] = f"WA-Integration/{__version__}"
        if self.auth == "bearer":
            session.headers["Authorization"] = f"Bearer {self._token}"
        elif auth is not None:
            session.auth = auth
        if self.verify is False:
            # The engineer turned verification off on purpose (most PI servers use self-signed
            # certificates); urllib3 would otherwise warn on every single request.
            from urllib3.exceptions import InsecureRequestWarning

            warnings.filterwarnings("ignore", category=InsecureRequestWarning)
        return session

    def _auth_object(self) -> Any:
        if self.auth == "anonymous":
            return None
        if self.auth == "bearer":
            if not self._token:
                raise SourceError("No access token is stored for this PI Web API source: enter "
                                  "one in the source settings.", code="config")
            return None
        if self.auth == "kerberos":
            try:
                from requests_kerberos import OPTIONAL, HTTPKerberosAuth
            except ImportError as exc:
                raise SourceError("Kerberos sign-in needs an optional package: run "
                                  "pip install wa-integration[kerberos].",
                                  code="ImportError") from exc
            return HTTPKerberosAuth(mutual_authentication=OPTIONAL)
        if not self.username:
            raise SourceError(f"{self.auth.upper() if self.auth == 'ntlm' else 'Basic'} sign-in "
                              "needs a user name: enter it in the source settings.",
                              code="config")
        if not self._password:
            raise SourceError(f"No password is stored for PI Web API user '{self.username}': "
                              "enter it in the source settings.", code="config")
        if self.auth == "ntlm":
            try:
                from requests_ntlm import HttpNtlmAuth
            except ImportError as exc:
                raise SourceError("NTLM sign-in needs an optional package: run "
                                  "pip install wa-integration[ntlm].", code="ImportError") from exc
            return HttpNtlmAuth(self.username, self._password)
        return requests.auth.HTTPBasicAuth(self.username, self._password)

    def send(self, method: str, url: str, deadline: _Deadline, *,
             params: Any = None, body: Any = None,
             headers: dict[str, str] | None = None) -> requests.Response:
        """One request, retried on 429/503 while the deadline allows; any status is returned."""
        session = self.session()
        attempt = 0
        while True:
            remaining = deadline.remaining()
            if remaining <= 0:
                raise SourceError(f"{self.service} at {self.where} did not answer within "
                                  f"{deadline.seconds:.1f} s.", code="timeout")
            limit = min(self.timeout_s, remaining)
            try:
                # verify per request: a session-wide setting loses to REQUESTS_CA_BUNDLE.
                response = session.request(method, url, params=params, json=body,
                                           headers=headers, timeout=(limit, limit),
                                           verify=self.verify)
            except (requests.RequestException, OSError) as exc:
                raise self.network_error(exc, limit) from exc
            if response.status_code not in (429, 503) or attempt >= MAX_RETRIES:
                return response
            pause = retry_pause(response, attempt)
            # Only wait if the retry itself still has time to run before the deadline.
            if pause + min(0.2, remaining / 4) >= deadline.remaining():
                return response
            response.close()
            time.sleep(pause)
            attempt += 1

    def network_error(self, exc: BaseException, waited: float) -> SourceError:
        root = root_cause(exc)
        text = f"{exc} {root}"
        name = type(root).__name__
        if isinstance(exc, requests.exceptions.SSLError) or isinstance(root, ssl.SSLError):
            if isinstance(root, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY" in text:
                if "mismatch" in text.lower() or "doesn't match" in text:
                    return SourceError(f"The certificate of {self.host} names another server: "
                                       "use the host name written in the certificate, or turn "
                                       "off verification.", code="SSLCertVerificationError")
                return SourceError("Certificate not trusted — set a CA bundle or turn off "
                                   "verification.", code="SSLCertVerificationError")
            if "WRONG_VERSION_NUMBER" in text or "record layer" in text:
                return SourceError(f"{self.where} does not speak HTTPS: check http:// versus "
                                   "https:// in the address.", code="SSLError")
            return SourceError(f"The secure connection to {self.where} failed.", code="SSLError",
                               details=str(exc))
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return SourceError(f"No answer from {self.where} within {waited:.1f} s — server "
                               "down or a firewall drops the traffic.", code="ConnectTimeout")
        if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(root, TimeoutError):
            return SourceError(f"{self.service} at {self.where} accepted the connection but did "
                               f"not answer within {waited:.1f} s.", code="ReadTimeout")
        if isinstance(root, socket.gaierror) or "NameResolutionError" in text:
            return SourceError(f"Unknown host name '{self.host}': check the address in the "
                               "source settings and this workstation's DNS.", code="gaierror")
        if isinstance(root, ConnectionRefusedError):
            return SourceError(f"Cannot reach {self.where} — server down or firewall.",
                               code="ConnectionRefusedError")
        if isinstance(root, OSError) and root.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return SourceError(f"Cannot reach {self.where}: no network route to it (network "
                               "cable, VPN or firewall).", code=name)
        if isinstance(root, (http.client.RemoteDisconnected, ConnectionResetError,
                             ConnectionAbortedError, BrokenPipeError)):
            hint = (": if the server uses HTTPS, write https:// in the address."
                    if self.base.startswith("http://") else ".")
            return SourceError(f"{self.where} closed the connection without answering{hint}",
                               code=name)
        if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                            requests.exceptions.InvalidSchema)):
            return SourceError(f"'{self.base}' is not a usable address: write it like "
                               "https://pi-server/piwebapi.", code=type(exc).__name__)
        if isinstance(exc, OSError) and "CA certificate bundle" in str(exc):
            return SourceError(f"The CA bundle '{self.verify}' cannot be read: fix the path or "
                               "turn off certificate verification.", code="OSError")
        if isinstance(exc, (requests.exceptions.ChunkedEncodingError,
                            requests.exceptions.ContentDecodingError)):
            return SourceError(f"The answer from {self.where} broke off halfway.", code=name)
        return SourceError(f"Cannot talk to {self.service} at {self.where}.", code=name,
                           details=str(exc))

    def status_error(self, response: requests.Response, subject: str = "") -> SourceError:
        return status_sentence(self.service, self.auth, response.status_code,
                               _error_text(_body_or_none(response)), subject)


def status_sentence(service: str, auth: str, status: int, detail: str = "",
                    subject: str = "") -> SourceError:
    """One sentence per HTTP failure status; `subject` is the tag the request was about."""
    code = str(status)
    about = f" '{subject}'" if subject else ""
    tail = f": {detail}" if detail else "."
    if status == 401:
        sentence = {
            "bearer": f"{service} refused the access token; it may have expired, so enter a "
                      "new one.",
            "kerberos": f"{service} refused the Kerberos sign-in: check the ticket (kinit) and "
                        "address the server by its DNS name.",
            "anonymous": f"{service} asks for a sign-in: choose basic, Kerberos or bearer in "
                         "the source settings.",
        }.get(auth, f"Wrong user name or password for {service}.")
        return SourceError(sentence, code=code)
    if status == 403:
        return SourceError(f"{service} refused access{' to' + about if about else ''}: the "
                           f"account has no permission{tail}", code=code)
    if status == 404:
        if subject:
            return SourceError(f"Unknown PI tag{about}.", code=code)
        return SourceError(f"{service} has no such address: check that the base URL ends in "
                           "/piwebapi.", code=code)
    if status == 413:
        return SourceError(f"The request was too large for {service}: ask for fewer tags at "
                           "once.", code=code)
    if status == 429:
        return SourceError(f"{service} is limiting requests from this workstation: try again in "
                           "a minute.", code=code)
    if status == 503:
        return SourceError(f"{service} is unavailable (it may be restarting): try again in a "
                           "minute.", code=code)
    if status >= 500:
        return SourceError(f"{service} had an internal error{tail}", code=code)
    if status == 400:
        return SourceError(f"{service} rejected the request{tail}", code=code)
    return SourceError(f"{service} answered with an error{tail}", code=code)


# --------------------------------------------------------------------------------------------
# PI Web API


@dataclass(frozen=True)
class _Stream:
    web_id: str
    path: str
    units: str = ""
    point_type: str = ""


@dataclass(frozen=True)
class _Target:
    tag: str  # as the trigger wrote it
    key: str  # cache key: the full path, upper case (PI names ignore case)
    kind: str  # point | attribute
    path: str
    server: str = ""
    error: str | None = None


@dataclass
class _Outcome:
    stream: _Stream | None = None
    body: Any = None
    error: str | None = None
    code: str | None = None


class _WebApi:
    def __init__(self, http: _Http, data_server: str, zone_name: str) -> None:
        self.http = http
        self.base = http.base
        self.data_server = data_server
        self.zone_name = zone_name
        self._cache: dict[str, _Stream] = {}
        self._servers: list[dict[str, Any]] | None = None
        self._lock = threading.Lock()

    # -- connection test ------------------------------------------------------------------------

    def test(self, timeout: float) -> TestResult:
        deadline = _Deadline(timeout)
        started = time.perf_counter()
        response = self.http.send("GET", f"{self.base}/system", deadline)
        if response.ok:
            latency = (time.perf_counter() - started) * 1000
            body = self._json(response)
            if not isinstance(body, dict):
                raise self._not_piwebapi()
            title = str(body.get("ProductTitle") or "PI Web API")
            version = str(body.get("ProductVersion") or "")
        else:
            # /system can be closed to some accounts and bearer tokens; the home page is not.
            refused = response
            started = time.perf_counter()
            response = self.http.send("GET", f"{self.base}/", deadline)
            latency = (time.perf_counter() - started) * 1000
            if not response.ok:
                raise self.http.status_error(response if response.status_code != 404 else refused)
            body = self._json(response)
            if not isinstance(body, dict) or "Links" not in body:
                raise self._not_piwebapi()
            title, version = "PI Web API", ""
        message = f"Connected in {latency:.0f} ms ({title})"
        server = f"{title} {version}".strip()
        if self.data_server:
            names = [str(s.get("Name", "")) for s in self._data_servers(deadline)]
            if self.data_server.upper() not in (n.upper() for n in names):
                known = ", ".join(names) or "none"
                return TestResult(False, latency, f"{message}, but it knows no PI data server "
                                  f"'{self.data_server}' (it knows: {known}).", "data_server",
                                  server)
        return TestResult(True, latency, message, None, server)

    # -- reads ----------------------------------------------------------------------------------

    def current(self, tags: list[str], timeout: float) -> list[PiValue]:
        deadline = _Deadline(timeout)
        targets = self._targets(tags, deadline)
        outcomes = self._read(targets, "value", [], deadline)
        values = []
        for target in targets:
            outcome = outcomes[target.key]
            if outcome.error is not None:
                values.append(_failed_value(target.tag, outcome.error))
            else:
                units = outcome.stream.units if outcome.stream else ""
                values.append(decode_value(target.tag, outcome.body, units))
        return values

    def recorded(self, tags: list[str], start: str, end: str, max_count: int,
                 timeout: float) -> list[PiSeries]:
        params = [("startTime", start), ("endTime", end), ("maxCount", str(max_count))]
        return self._series(tags, "recorded", params + self._zone_param(), timeout)

    def interpolated(self, tags: list[str], start: str, end: str, interval: str,
                     timeout: float) -> list[PiSeries]:
        params = [("startTime", start), ("endTime", end), ("interval", interval)]
        return self._series(tags, "interpolated", params + self._zone_param(), timeout)

    def plot(self, tags: list[str], start: str, end: str, intervals: int,
             timeout: float) -> list[PiSeries]:
        params = [("startTime", start), ("endTime", end), ("intervals", str(intervals))]
        return self._series(tags, "plot", params + self._zone_param(), timeout)

    def summary(self, tags: list[str], start: str, end: str, types: list[str],
                timeout: float) -> dict[str, dict[str, PiValue]]:
        deadline = _Deadline(timeout)
        params = [("startTime", start), ("endTime", end)]
        params += [("summaryType", name) for name in types]
        params += [("calculationBasis", "TimeWeighted")] + self._zone_param()
        targets = self._targets(tags, deadline)
        outcomes = self._read(targets, "summary", params, deadline)
        result: dict[str, dict[str, PiValue]] = {}
        for target in targets:
            outcome = outcomes[target.key]
            if outcome.error is not None:
                result[target.tag] = {name: _failed_value(target.tag, outcome.error)
                                      for name in types}
                continue
            units = outcome.stream.units if outcome.stream else ""
            per_type: dict[str, PiValue] = {}
            for item in _items(outcome.body):
                name = str(item.get("Type") or "")
                if name:
                    per_type[name] = decode_value(target.tag, item.get("Value"), units)
            result[target.tag] = per_type
        return result

    def search(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]:
        deadline = _Deadline(timeout)
        pattern = pattern.strip()
        server = ""
        if pattern.startswith("\\\\"):
            server, _, pattern = pattern[2:].partition("\\")
        server = server or self._default_server(deadline)
        record = self._find_server(server, deadline)
        if record is None:
            raise SourceError(self._unknown_server_sentence(server, deadline), code="404")
        if not any(ch in pattern for ch in "*?"):
            pattern = f"*{pattern}*"  # people type part of a name, as in PI System Explorer
        url = f"{self.base}/dataservers/{quote(str(record.get('WebId', '')), safe='')}/points"
        params = [("nameFilter", pattern), ("maxCount", str(max_results)),
                  ("selectedFields", _SEARCH_FIELDS)]
        body = self._get(url, params, deadline)
        found = []
        for point in _items(body)[:max_results]:
            stream = _stream_from(point, "point")
            if stream is not None:
                with self._lock:
                    self._cache[stream.path.upper()] = stream
            found.append(TagInfo(path=str(point.get("Path") or ""),
                                 name=str(point.get("Name") or ""),
                                 descriptor=str(point.get("Descriptor") or ""),
                                 units=str(point.get("EngineeringUnits") or ""),
                                 point_type=str(point.get("PointType") or "")))
        return found

    # -- internals ------------------------------------------------------------------------------

    def _zone_param(self) -> list[tuple[str, str]]:
        return [("timeZone", self.zone_name)] if self.zone_name else []

    def _series(self, tags: list[str], kind: str, params: list[tuple[str, str]],
                timeout: float) -> list[PiSeries]:
        deadline = _Deadline(timeout)
        targets = self._targets(tags, deadline)
        outcomes = self._read(targets, kind, params, deadline)
        series = []
        for target in targets:
            outcome = outcomes[target.key]
            if outcome.error is not None:
                series.append(PiSeries(target.tag, error=outcome.error))
                continue
            body = outcome.body if isinstance(outcome.body, dict) else {}
            units = str(body.get("UnitsAbbreviation") or "") or (
                outcome.stream.units if outcome.stream else "")
            values = [decode_value(target.tag, item, units) for item in _items(body)]
            series.append(PiSeries(target.tag, units, values))
        return series

    def _targets(self, tags: list[str], deadline: _Deadline) -> list[_Target]:
        targets = []
        for raw in tags:
            tag = str(raw).strip()
            if not tag:
                targets.append(_Target(str(raw), f"#empty{len(targets)}", "point", "",
                                       error="An empty tag name was given."))
            elif "|" in tag:
                if not tag.startswith("\\\\"):
                    targets.append(_Target(tag, tag.upper(), "attribute", tag, error=(
                        f"'{tag}' is not a full AF attribute path: write it as "
                        "\\\\AFSERVER\\Database\\Element|Attribute.")))
                else:
                    server = tag[2:].split("\\", 1)[0]
                    targets.append(_Target(tag, tag.upper(), "attribute", tag, server))
            elif tag.startswith("\\\\"):
                server, sep, name = tag[2:].partition("\\")
                if not server or not sep or not name or "\\" in name:
                    targets.append(_Target(tag, tag.upper(), "point", tag, server, error=(
                        f"'{tag}' is not a PI point path: write it as \\\\SERVER\\TAG or just "
                        "TAG.")))
                else:
                    targets.append(_Target(tag, tag.upper(), "point", tag, server))
            elif any(ch in tag for ch in "*?"):
                targets.append(_Target(tag, tag.upper(), "point", tag, error=(
                    f"'{tag}' contains a wildcard: search for the tag first, then name it "
                    "exactly.")))
            else:
                server = self._default_server(deadline)
                path = f"\\\\{server}\\{tag}"
                targets.append(_Target(tag, path.upper(), "point", path, server))
        return targets

    def _default_server(self, deadline: _Deadline) -> str:
        if self.data_server:
            return self.data_server
        names = [str(s.get("Name", "")) for s in self._data_servers(deadline)]
        if len(names) == 1:
            return names[0]
        if not names:
            raise SourceError("PI Web API lists no PI data server: check its configuration.",
                              code="data_server")
        raise SourceError(f"PI Web API serves several PI data servers ({', '.join(names)}): "
                          "set data_server in the source settings, or write tags as "
                          "\\\\SERVER\\TAG.", code="data_server")

    def _data_servers(self, deadline: _Deadline) -> list[dict[str, Any]]:
        with self._lock:
            if self._servers is not None:
                return self._servers
        body = self._get(f"{self.base}/dataservers",
                         [("selectedFields", "Items.WebId;Items.Name;Items.Path")], deadline)
        servers = [item for item in _items(body) if isinstance(item, dict)]
        with self._lock:
            self._servers = servers
        return servers

    def _find_server(self, name: str, deadline: _Deadline) -> dict[str, Any] | None:
        for record in self._data_servers(deadline):
            if str(record.get("Name", "")).upper() == name.upper():
                return record
        return None

    def _unknown_server_sentence(self, server: str, deadline: _Deadline, tag: str = "") -> str:
        names = ", ".join(str(s.get("Name", "")) for s in self._data_servers(deadline))
        subject = f"Tag '{tag}' names PI server '{server}', which" if tag else (
            f"PI server '{server}'")
        return f"{subject} is not known to PI Web API (it knows: {names or 'none'})."

    def _read(self, targets: list[_Target], kind: str, params: list[tuple[str, str]],
              deadline: _Deadline, retry: bool = True) -> dict[str, _Outcome]:
        """Read `kind` for every distinct target in one round trip where PI allows it."""
        outcomes: dict[str, _Outcome] = {}
        pending: dict[str, _Target] = {}
        for target in targets:
            if target.error is not None:
                outcomes[target.key] = _Outcome(error=target.error)
            else:
                pending.setdefault(target.key, target)
        if not pending:
            return outcomes
        with self._lock:
            known = {key: self._cache[key] for key in pending if key in self._cache}
        unknown = [target for key, target in pending.items() if key not in known]
        chunks = _chunk_web_ids(list(dict.fromkeys(s.web_id for s in known.values())))
        stale: list[str] = []
        if not unknown and len(chunks) == 1:
            url = f"{self.base}/streamsets/{kind}"
            response = self.http.send("GET", url, deadline,
                                      params=[("webId", w) for w in chunks[0]] + params)
            if response.ok:
                self._fill_stream_set(self._json(response), known, kind, outcomes)
            elif retry and _stale_web_id(response.status_code, _body_or_none(response)):
                stale = list(known)  # a cached WebId may point at a deleted or moved point
            else:
                raise self.http.status_error(response)
        else:
            self._read_batch(chunks, known, unknown, kind, params, deadline, outcomes, stale,
                             retry)
        if stale:
            with self._lock:
                for key in stale:
                    self._cache.pop(key, None)
            outcomes.update(self._read([pending[key] for key in stale], kind, params, deadline,
                                       retry=False))
        return outcomes

    def _read_batch(self, chunks: list[list[str]], known: dict[str, _Stream],
                    unknown: list[_Target], kind: str, params: list[tuple[str, str]],
                    deadline: _Deadline, outcomes: dict[str, _Outcome], stale: list[str],
                    retry: bool) -> None:
        query = _query(params)
        batch: dict[str, dict[str, Any]] = {}
        for number, chunk in enumerate(chunks):
            resource = f"{self.base}/streamsets/{kind}?" + _query(
                [("webId", w) for w in chunk] + params)
            batch[f"set{number}"] = {"Method": "GET", "Resource": resource}
        for number, target in enumerate(unknown):
            batch[f"find{number}"] = {"Method": "GET", "Resource": self._lookup_url(target)}
            # Each tag's read hangs on its own lookup, so one unknown tag cannot sink the rest.
            batch[f"read{number}"] = {
                "Method": "GET",
                "Resource": f"{self.base}/streams/{{0}}/{kind}" + (f"?{query}" if query else ""),
                "Parameters": [f"$.find{number}.Content.WebId"],
                "ParentIds": [f"find{number}"],
            }
        answers = self._post_batch(batch, deadline)
        for number, chunk in enumerate(chunks):
            answer = answers.get(f"set{number}") or {}
            members = {key: s for key, s in known.items() if s.web_id in chunk}
            status = _status(answer)
            if 200 <= status < 300:
                self._fill_stream_set(_content(answer), members, kind, outcomes)
            elif retry and _stale_web_id(status, _content(answer)):
                stale.extend(members)
            else:
                error = self._answer_error(answer)
                for key in members:
                    outcomes[key] = _Outcome(error=error.message, code=error.code)
        lookups_failed: list[tuple[_Target, dict[str, Any]]] = []
        for number, target in enumerate(unknown):
            found = answers.get(f"find{number}") or {}
            if not 200 <= _status(found) < 300:
                lookups_failed.append((target, found))
                continue
            stream = _stream_from(_content(found), target.kind)
            if stream is None:
                outcomes[target.key] = _Outcome(error=f"PI Web API sent no WebId for "
                                                      f"'{target.tag}'.")
                continue
            with self._lock:
                self._cache[target.key] = stream
            read = answers.get(f"read{number}") or {}
            if 200 <= _status(read) < 300:
                body = _content(read)
                _raise_web_exception(body)
                outcomes[target.key] = _Outcome(stream, body)
            else:
                error = self._answer_error(read, target.tag)
                outcomes[target.key] = _Outcome(stream, error=error.message, code=error.code)
        for target, found in lookups_failed:
            outcomes[target.key] = self._lookup_failure(target, found, deadline)

    def _lookup_url(self, target: _Target) -> str:
        if target.kind == "attribute":
            return f"{self.base}/attributes?" + _query(
                [("path", target.path), ("selectedFields", _ATTRIBUTE_FIELDS)])
        return f"{self.base}/points?" + _query(
            [("path", target.path), ("selectedFields", _POINT_FIELDS)])

    def _lookup_failure(self, target: _Target, answer: dict[str, Any],
                        deadline: _Deadline) -> _Outcome:
        status = _status(answer)
        if status == 404 and target.kind == "attribute":
            return _Outcome(error=f"Unknown AF attribute '{target.path}'.", code="404")
        if status == 404:
            name = target.path[2:].partition("\\")[2]
            try:
                server_known = self._find_server(target.server, deadline) is not None
                if not server_known:
                    return _Outcome(error=self._unknown_server_sentence(
                        target.server, deadline, target.tag), code="404")
            except SourceError:
                pass  # the list of servers is a nicety; the plain sentence below still holds
            return _Outcome(error=f"Unknown PI tag '{name}' on {target.server}.", code="404")
        error = self._answer_error(answer, target.tag)
        return _Outcome(error=error.message, code=error.code)

    def _answer_error(self, answer: dict[str, Any], subject: str = "") -> SourceError:
        status = _status(answer)
        content = _content(answer)
        if status == 409:
            return SourceError(f"PI Web API could not read '{subject}'.", code="409")
        return status_sentence("PI Web API", self.http.auth, status or 500,
                               _error_text(content), subject)

    def _fill_stream_set(self, body: Any, members: dict[str, _Stream], kind: str,
                         outcomes: dict[str, _Outcome]) -> None:
        _raise_web_exception(body)
        by_web_id = {str(item.get("WebId")): item for item in _items(body)
                     if isinstance(item, dict)}
        for key, stream in members.items():
            item = by_web_id.get(stream.web_id)
            if item is None:
                outcomes[key] = _Outcome(stream, error=f"PI Web API sent nothing for "
                                                       f"'{stream.path}'.")
                continue
            errors = _error_text(item)
            if errors and not item.get("Value") and not item.get("Items"):
                with self._lock:
                    self._cache.pop(key, None)
                outcomes[key] = _Outcome(stream, error=_value_error_sentence(stream.path, errors))
                continue
            outcomes[key] = _Outcome(stream, item.get("Value") if kind in ("value", "end")
                                     else item)

    def _post_batch(self, batch: dict[str, Any], deadline: _Deadline) -> dict[str, Any]:
        # PI Web API's CSRF defence refuses a POST without X-Requested-With.
        response = self.http.send("POST", f"{self.base}/batch", deadline, body=batch,
                                  headers={"X-Requested-With": "XMLHttpRequest"})
        if not response.ok:
            raise self.http.status_error(response)
        body = self._json(response)
        if not isinstance(body, dict):
            raise self._not_piwebapi()
        return body

    def _get(self, url: str, params: list[tuple[str, str]], deadline: _Deadline) -> Any:
        response = self.http.send("GET", url, deadline, params=params)
        if not response.ok:
            raise self.http.status_error(response)
        return self._json(response)

    def _json(self, response: requests.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            raise self._not_piwebapi() from None
        _raise_web_exception(body)
        return body

    def _not_piwebapi(self) -> SourceError:
        return SourceError(f"The server at {self.http.where} answered, but not like PI Web API: "
                           "check that the address ends in /piwebapi.", code="not-piwebapi")


# --------------------------------------------------------------------------------------------
# The old site gateway (`GET /pi/trn`, rows of v0/v1, no sign-in)


class _TagProblem(SourceError):
    """A failure that concerns one tag only; the others still answer."""


class _Gateway:
    def __init__(self, http: _Http, zone: tzinfo, default_tag: str) -> None:
        self.http = http
        self.zone = zone
        self.default_tag = default_tag

    def test(self, timeout: float) -> TestResult:
        deadline = _Deadline(timeout)
        started = time.perf_counter()
        params = {"tag": self.default_tag, "interval": "1h", "start": "*-1h", "end": "*",
                  "maxCount": "1"}
        response = self.http.send("GET", f"{self.http.base}/pi/trn", deadline, params=params)
        latency = (time.perf_counter() - started) * 1000
        if response.status_code == 404:
            raise SourceError(f"The server at {self.http.where} has no /pi/trn: is this the old "
                              "PI gateway?", code="404")
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise self.http.status_error(response)
        return TestResult(True, latency, f"Connected in {latency:.0f} ms (old PI gateway)",
                          None, "PI gateway")

    def current(self, tags: list[str], timeout: float) -> list[PiValue]:
        deadline = _Deadline(timeout)

        def newest(tag: str) -> PiValue:
            values, _ = self._rows(tag, "*-1h", "*", "1m", None, deadline)
            if not values:
                raise _TagProblem(f"No data for '{tag}' in the last hour.")
            # Rows may come oldest or newest first; without readable times, the last row wins.
            oldest = datetime.min.replace(tzinfo=UTC)
            return max(enumerate(values), key=lambda row: (row[1].timestamp or oldest, row[0]))[1]

        return self._each(tags, newest, deadline, lambda tag, error: _failed_value(tag, error))

    def recorded(self, tags: list[str], start: str, end: str, max_count: int,
                 timeout: float) -> list[PiSeries]:
        # The gateway only samples at an interval, so a "recorded" read is sampled finely:
        # max_count samples from start to end, both included.
        interval = self._step(start, end, max(1, max_count - 1))
        return self._series(tags, start, end, interval, max_count, timeout)

    def interpolated(self, tags: list[str], start: str, end: str, interval: str,
                     timeout: float) -> list[PiSeries]:
        return self._series(tags, start, end, interval, None, timeout)

    def plot(self, tags: list[str], start: str, end: str, intervals: int,
             timeout: float) -> list[PiSeries]:
        return self._series(tags, start, end, self._step(start, end, intervals * 4), None,
                            timeout)

    def summary(self, tags: list[str], start: str, end: str, types: list[str],
                timeout: float) -> dict[str, dict[str, PiValue]]:
        deadline = _Deadline(timeout)
        now = datetime.now(UTC)
        first = resolve_pi_time(start, now, self.zone)
        last = resolve_pi_time(end, now, self.zone)
        names = [n for n in types if n not in ("All", "TotalWithUOM")]
        if "All" in types or "TotalWithUOM" in types:
            names += [n for n in _GATEWAY_SUMMARY_ALL if n not in names]
        step = self._step(start, end, 720)

        def summarise(tag: str) -> dict[str, PiValue]:
            values, total = self._rows(tag, start, end, step, None, deadline)
            return _summarise(tag, values, total, names, min(first, last), max(first, last))

        results = self._each(tags, summarise, deadline,
                             lambda tag, error: {n: _failed_value(tag, error) for n in names})
        return dict(zip(tags, results, strict=True))

    def search(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]:
        raise SourceError("The old PI gateway cannot search for tags: switch this source to PI "
                          "Web API to use the tag picker.", code="gateway")

    def _series(self, tags: list[str], start: str, end: str, interval: str,
                max_count: int | None, timeout: float) -> list[PiSeries]:
        deadline = _Deadline(timeout)

        def read(tag: str) -> PiSeries:
            values, _ = self._rows(tag, start, end, interval, max_count, deadline)
            values.sort(key=lambda v: v.timestamp or datetime.min.replace(tzinfo=UTC))
            return PiSeries(tag, values[0].units if values else "", values)

        return self._each(tags, read, deadline, lambda tag, error: PiSeries(tag, error=error))

    def _step(self, start: str, end: str, count: int) -> str:
        now = datetime.now(UTC)
        span = abs((resolve_pi_time(end, now, self.zone)
                    - resolve_pi_time(start, now, self.zone)).total_seconds())
        return f"{max(1, math.ceil(span / max(1, count)))}s"

    def _rows(self, tag: str, start: str, end: str, interval: str | None,
              max_count: int | None, deadline: _Deadline) -> tuple[list[PiValue], int]:
        name = _gateway_tag(tag)
        params = {"tag": name, "start": start, "end": end}
        if interval:
            params["interval"] = interval
        if max_count:
            params["maxCount"] = str(max_count)
        response = self.http.send("GET", f"{self.http.base}/pi/trn", deadline, params=params)
        if response.status_code in (401, 403) or response.status_code >= 500:
            raise self.http.status_error(response)
        if response.status_code == 404:
            raise _TagProblem(f"The PI gateway found nothing for '{name}': check the tag name.",
                              code="404")
        if not response.ok:
            error = self.http.status_error(response)
            raise _TagProblem(error.message, code=error.code)
        try:
            body = response.json()
        except ValueError:
            raise SourceError(f"The server at {self.http.where} answered, but not like the old "
                              "PI gateway.", code="not-gateway") from None
        rows = _gateway_rows(body)
        if rows is None:
            raise SourceError(f"The server at {self.http.where} answered, but not like the old "
                              "PI gateway.", code="not-gateway")
        values = []
        for row in rows:
            value = decode_gateway_row(tag, row, self.zone)
            if value is not None:
                values.append(value)
        return values, len(rows)

    def _each(self, tags: list[str], work: Callable[[str], T], deadline: _Deadline,
              failed: Callable[[str, str], T]) -> list[T]:
        """Run `work` for every tag side by side; tag problems become `failed` entries."""
        unique = list(dict.fromkeys(tags))
        results: dict[str, T] = {}
        errors: dict[str, SourceError] = {}
        pool = ThreadPoolExecutor(max_workers=min(_GATEWAY_WORKERS, len(unique)),
                                  thread_name_prefix="pi-gateway")
        try:
            futures = {tag: pool.submit(work, tag) for tag in unique}
            wait_futures(list(futures.values()), timeout=max(0.0, deadline.remaining()) + 0.5)
            for tag, future in futures.items():
                if not future.done():
                    errors[tag] = _TagProblem(f"No answer for '{tag}' in time.", code="timeout")
                    continue
                try:
                    results[tag] = future.result()
                except SourceError as exc:
                    errors[tag] = exc
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        whole = [e for e in errors.values() if not isinstance(e, _TagProblem)]
        if whole and len(errors) == len(unique):
            raise whole[0]  # the server itself failed: one sentence, not one per tag
        return [results[tag] if tag in results else failed(tag, str(errors[tag]))
                for tag in tags]


# --------------------------------------------------------------------------------------------
# Decoding


def decode_value(tag: str, timed: Any, units: str = "") -> PiValue:
    """A PI Web API TimedValue as a PiValue: numbers, strings, digital and system states."""
    if not isinstance(timed, dict):
        return _failed_value(tag, f"PI Web API sent no value for '{tag}'.")
    stamp = parse_pi_timestamp(timed.get("Timestamp"))
    units = str(timed.get("UnitsAbbreviation") or "") or units
    good = _flag(timed.get("Good"), True)
    questionable = _flag(timed.get("Questionable"), False)
    substituted = _flag(timed.get("Substituted"), False)
    raw = timed.get("Value")
    errors = _error_text(timed)
    if errors and raw is None:
        return PiValue(tag, stamp, None, units, good=False,
                       error=_value_error_sentence(tag, errors))
    if isinstance(raw, dict):
        if "Name" not in raw:
            return PiValue(tag, stamp, None, units, good=False,
                           error=f"PI Web API sent a value for '{tag}' that cannot be shown.")
        name = str(raw.get("Name"))
        if _flag(raw.get("IsSystem"), False):
            return PiValue(tag, stamp, None, units, False, questionable, substituted,
                           system_state=name)
        return PiValue(tag, stamp, name, units, good, questionable, substituted, digital=True)
    if raw is None:
        return PiValue(tag, stamp, None, units, good=False,
                       error=f"PI Web API sent an empty value for '{tag}'.")
    if isinstance(raw, bool):
        raw = int(raw)
    if isinstance(raw, float) and not math.isfinite(raw):
        return PiValue(tag, stamp, None, units, good=False,
                       error=f"PI Web API sent a value for '{tag}' that is not a number.")
    if not isinstance(raw, (int, float, str)):
        raw = json.dumps(raw)
    return PiValue(tag, stamp, raw, units, good, questionable, substituted)


def decode_gateway_row(tag: str, row: Any, zone: tzinfo) -> PiValue | None:
    """One gateway row (`v0` time text, `v1` value); None for a `No Data` row."""
    if isinstance(row, dict):
        stamp_text = row.get("v0", row.get("V0"))
        raw = row.get("v1", row.get("V1"))
    elif isinstance(row, (list, tuple)) and len(row) >= 2:
        stamp_text, raw = row[0], row[1]
    else:
        return None
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", _NO_DATA)):
        return None
    stamp = _gateway_time(stamp_text, zone)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return PiValue(tag, stamp, raw)
    text = str(raw).strip()
    try:
        number = float(text)
    except ValueError:
        if text.lower() in _SYSTEM_STATES:
            return PiValue(tag, stamp, None, good=False, system_state=text)
        return PiValue(tag, stamp, text)
    if not math.isfinite(number):
        return PiValue(tag, stamp, None, good=False, system_state=text)
    return PiValue(tag, stamp, int(number) if number.is_integer() and "." not in text else number)


def parse_pi_timestamp(text: Any) -> datetime | None:
    """PI Web API's ISO 8601 UTC timestamps (up to seven fractional digits) as aware datetimes."""
    if not isinstance(text, str) or not text:
        return None
    return parse_timestamp_text(text, UTC)


def _gateway_time(value: Any, zone: tzinfo) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # JavaScript milliseconds
        return datetime.fromtimestamp(seconds, UTC)
    return parse_timestamp_text(str(value), zone) if value is not None else None


def _gateway_rows(body: Any) -> list[Any] | None:
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in ("rows", "Rows", "data", "Data", "items", "Items", "result", "values"):
            if isinstance(body.get(key), list):
                return body[key]
        if "v0" in body or "v1" in body:
            return [body]
    return None


def _gateway_tag(tag: str) -> str:
    tag = tag.strip()
    if "|" in tag:
        raise _TagProblem(f"'{tag}' is an AF attribute: the old PI gateway reads PI points "
                          "only; switch the source to PI Web API.")
    if tag.startswith("\\\\"):
        tag = tag[2:].partition("\\")[2]  # the gateway knows one server, so it takes bare names
    if not tag:
        raise _TagProblem("An empty tag name was given.")
    return tag


def _summarise(tag: str, values: list[PiValue], total: int, names: list[str],
               start: datetime, end: datetime) -> dict[str, PiValue]:
    good = [(v.timestamp, float(v.value)) for v in values
            if not v.is_bad and isinstance(v.value, (int, float))]
    numbers = [number for _, number in good]
    result: dict[str, PiValue] = {}
    days = (end - start).total_seconds() / 86400
    for name in names:
        stamp: datetime | None = start
        number: float | None
        if name == "Count":
            number = float(len(numbers))
        elif name == "PercentGood":
            number = 100.0 * len(numbers) / total if total else 0.0
        elif not numbers:
            result[name] = _failed_value(tag, f"No good values for '{tag}' in that period.")
            continue
        elif name == "Average":
            number = statistics.fmean(numbers)
        elif name in ("Minimum", "Maximum"):
            pick = min if name == "Minimum" else max
            stamp, number = pick(good, key=lambda pair: pair[1])
        elif name == "Range":
            number = max(numbers) - min(numbers)
        elif name == "Total":
            number = statistics.fmean(numbers) * days  # PI's "per day" rule for unknown units
        elif name == "StdDev":
            number = statistics.stdev(numbers) if len(numbers) > 1 else 0.0
        elif name == "PopulationStdDev":
            number = statistics.pstdev(numbers)
        else:
            continue
        result[name] = PiValue(tag, stamp, number)
    return result


def _failed_value(tag: str, error: str) -> PiValue:
    return PiValue(tag, None, None, good=False, error=error)


def _value_error_sentence(tag: str, errors: str) -> str:
    if "not found" in errors.lower():
        return f"Unknown PI tag '{tag}'."
    return f"PI could not read '{tag}': {errors}"


def _stream_from(content: Any, kind: str) -> _Stream | None:
    if not isinstance(content, dict) or not content.get("WebId"):
        return None
    units = (content.get("EngineeringUnits") if kind == "point" else
             content.get("DefaultUnitsNameAbbreviation") or content.get("DefaultUnitsName"))
    return _Stream(str(content["WebId"]), str(content.get("Path") or ""), str(units or ""),
                   str(content.get("PointType") or content.get("Type") or ""))


def _items(body: Any) -> list[Any]:
    items = body.get("Items") if isinstance(body, dict) else None
    return items if isinstance(items, list) else []


def _status(answer: Any) -> int:
    try:
        return int(answer.get("Status", 0)) if isinstance(answer, dict) else 0
    except (TypeError, ValueError):
        return 0


def _content(answer: Any) -> Any:
    content = answer.get("Content") if isinstance(answer, dict) else None
    if isinstance(content, str) and content[:1] in "{[":
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def _body_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _error_text(body: Any) -> str:
    """The messages of PI's `Errors` (strings or per-field objects) or `WebException`, joined."""
    if isinstance(body, str):
        return body.strip()[:300]
    if not isinstance(body, dict):
        return ""
    messages: list[str] = []
    for entry in body.get("Errors") or []:
        if isinstance(entry, dict):
            found = entry.get("Message") or []
            messages.extend(str(m) for m in (found if isinstance(found, list) else [found]))
        else:
            messages.append(str(entry))
    exception = body.get("WebException")
    if isinstance(exception, dict):
        messages.extend(str(m) for m in exception.get("Errors") or [])
    if body.get("Message") and not messages:
        messages.append(str(body["Message"]))
    unique = list(dict.fromkeys(m.strip() for m in messages if m and m.strip()))
    return " ".join(unique)[:300]


def _raise_web_exception(body: Any) -> None:
    # A WebException means the server failed after it had already answered 200.
    if isinstance(body, dict) and isinstance(body.get("WebException"), dict):
        exception = body["WebException"]
        status = exception.get("StatusCode") or 500
        detail = _error_text({"Errors": exception.get("Errors") or []})
        ending = f": {detail}" if detail else "."
        raise SourceError(f"PI Web API failed while sending the answer{ending}", code=str(status))


def _stale_web_id(status: int, body: Any) -> bool:
    return status == 404 or (status == 400 and "webid" in _error_text(body).lower())


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"  # the docs show "true" as a string; accept both
    return bool(value)


def _query(params: list[tuple[str, str]]) -> str:
    return urlencode(params, quote_via=quote)


def _chunk_web_ids(web_ids: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for web_id in web_ids:
        cost = len(web_id) + 7
        if current and size + cost > _WEBID_QUERY_BUDGET:
            chunks.append(current)
            current, size = [], 0
        current.append(web_id)
        size += cost
    if current:
        chunks.append(current)
    return chunks


def _check_range(start: str, end: str) -> None:
    check_pi_time(start)
    check_pi_time(end)


def _zone(name: Any) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(f"Unknown time zone '{name}': use a name such as Asia/Jakarta or UTC.",
                          code="config") from None


def _positive_float(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _verify_setting(value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    if value is None:
        return True
    text = str(value).strip()
    if text.lower() in ("", "true", "1", "yes", "on"):
        return True
    if text.lower() in ("false", "0", "no", "off"):
        return False
    return text  # a path to a CA bundle


def _file_exists(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def _with_scheme(raw: Any, default_scheme: str) -> str:
    text = str(raw or "").strip()
    if not text:
        raise SourceError("The PI source has no address: enter its base URL in the source "
                          "settings.", code="config")
    return text if "://" in text else f"{default_scheme}://{text}"


def _webapi_base(raw: Any) -> str:
    base = _with_scheme(raw, "https").rstrip("/")
    if not urlsplit(base).hostname:
        raise SourceError(f"'{raw}' is not a usable address: write it like "
                          "https://pi-server/piwebapi.", code="config")
    return base


def _gateway_base(raw: Any) -> str:
    # Old rows hold the whole gateway URL with path and query; only scheme, host and port count.
    parts = urlsplit(_with_scheme(raw, "http"))
    if not parts.hostname:
        raise SourceError(f"'{raw}' is not a usable address: write it like "
                          "http://pi-gateway:6066.", code="config")
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
