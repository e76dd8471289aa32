"""A local PI Web API (and old /pi/trn gateway) double on 127.0.0.1 speaking only documented shapes.

Shapes follow the PI Web API reference and the public bodies in tests/fixtures/piwebapi/
(each with its source beside it): Point, DataServer, TimedValue, stream-set envelopes, the batch
envelope (207, {Status, Headers, Content}, 409 for failed parents), and `{"Errors": [...]}`
bodies. Each test configures tags, sign-in, latency, forced statuses or a silent server.

tests/conftest.py loads the fixtures as a plugin; test modules may also import
names from here, which is why pytest must not rewrite this module: PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

import base64
import datetime as dt
import fnmatch
import functools
import ipaddress
import json
import math
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

UTC = dt.UTC
# The public response bodies this double serves, kept in the repository with their sources.
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "piwebapi"
DEFAULT_SERVER = "PISRV01"
NO_DATA = "No Data"  # an event value that PI shows as the system state 248 and the gateway as text

# PI's system digital states and their codes in the system state set.
SYSTEM_STATES = {"I/O Timeout": 246, "No Data": 248, "Pt Created": 253, "Shutdown": 254}


@dataclass
class Event:
    time: dt.datetime
    value: Any  # number, string, ("On", 1) for a digital state, or a SYSTEM_STATES name
    good: bool = True
    questionable: bool = False
    substituted: bool = False
    system: bool = False


@dataclass
class FakeTag:
    name: str
    server: str = DEFAULT_SERVER
    units: str = ""
    point_type: str = "Float32"
    descriptor: str = ""
    events: list[Event] = field(default_factory=list)
    error: str | None = None  # a per-value field error, e.g. "PI Point not found."
    attribute_path: str | None = None  # set for an AF attribute
    point_id: int = 0
    readable: bool = True  # False: found by path, but its streams answer 404 (no data reference)

    @property
    def path(self) -> str:
        return self.attribute_path or f"\\\\{self.server}\\{self.name}"

    @property
    def web_id(self) -> str:
        return _web_id(self.path, bool(self.attribute_path))


class PiServer:
    """The double: start() / stop(), or use it as a context manager."""

    def __init__(self, *, tls: TlsFiles | None = None,
                 data_servers: tuple[str, ...] = (DEFAULT_SERVER,)) -> None:
        self.data_servers = list(data_servers)
        self.tags: dict[str, FakeTag] = {}
        self.auth: tuple[str, ...] | None = None  # ("basic", user, password) | ("bearer", token)
        self.latency = 0.0  # seconds added to every HTTP request
        self.hang = False  # accept connections, never answer
        self.lists_data_servers = True  # False: /dataservers answers 404, as some servers do
        self.drip = 0.0  # seconds between the bytes of every answer's body (a trickling link)
        self.csrf = True  # POST needs X-Requested-With, as with EnableCSRFDefense
        self.system_status = 200  # e.g. 403 to close /system, as for bearer tokens
        self.forced: list[tuple[int, dict[str, str], Any]] = []  # next answers, in order
        self.gateway_time_format = "%Y-%m-%d %H:%M:%S"  # naive text, like the old gateway
        self.gateway_zone: dt.tzinfo = UTC
        self.log: list[tuple[str, str]] = []  # (method, path with query) of every HTTP request
        self.product = ("PI Web API 2019 SP1", "1.13.0.6298")
        self._tls = tls
        self._lock = threading.Lock()
        self._released = threading.Event()
        # Exceptions raised while answering (not clients that hung up): stop() raises the first,
        # so a fault in the double fails the test instead of looking like a silent server.
        self.faults: list[BaseException] = []
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> PiServer:
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.pi = self
        if self._tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self._tls.cert, self._tls.key)
            self._httpd.tls_context = context
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.faults:
            fault, self.faults = self.faults[0], []
            raise RuntimeError(f"the PI Web API double failed while answering: {fault!r}") \
                from fault

    def __enter__(self) -> PiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/piwebapi"

    # -- configuration ----------------------------------------------------------------------------

    def add_tag(self, name: str, value: Any = 0.0, *, server: str = DEFAULT_SERVER,
                units: str = "", point_type: str | None = None, descriptor: str = "",
                good: bool = True, questionable: bool = False, substituted: bool = False,
                system_state: str | None = None, history: list[tuple[Any, Any]] | None = None,
                error: str | None = None, at: dt.datetime | None = None) -> FakeTag:
        """A PI point whose snapshot is `value` at `at` (now), after `history` events.

        `value` ("On", 1) makes a digital state; `system_state="I/O Timeout"` a system state.
        """
        now = at or dt.datetime.now(UTC).replace(microsecond=0)
        events = [_event(when, what) for when, what in history or []]
        if system_state is not None:
            events.append(Event(now, system_state, good=False, system=True))
        else:
            events.append(Event(now, value, good, questionable, substituted,
                                system=value in SYSTEM_STATES))
        events.sort(key=lambda e: e.time)
        if point_type is None:
            point_type = ("Digital" if isinstance(value, tuple) else
                          "String" if isinstance(value, str) and value not in SYSTEM_STATES else
                          "Int32" if isinstance(value, int) and not isinstance(value, bool)
                          else "Float32")
        tag = FakeTag(name, server, units, point_type, descriptor, events, error,
                      point_id=len(self.tags) + 1)
        self.tags[tag.path.upper()] = tag
        return tag

    def add_attribute(self, path: str, value: Any, *, units: str = "") -> FakeTag:
        """An AF attribute `\\\\AF\\DB\\Element|Attribute` with a current value."""
        name = path.rsplit("|", 1)[-1]
        tag = FakeTag(name, "", units, "Double", "", [Event(_now(), value)],
                      attribute_path=path)
        self.tags[path.upper()] = tag
        return tag

    def remove_tag(self, name_or_path: str) -> None:
        key = name_or_path if name_or_path.startswith("\\\\") else (
            f"\\\\{DEFAULT_SERVER}\\{name_or_path}")
        self.tags.pop(key.upper(), None)

    def force(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
              times: int = 1) -> None:
        """Answer the next `times` HTTP requests with this status instead of the real answer."""
        self.forced.extend([(status, dict(headers or {}), body)] * times)

    @property
    def count(self) -> int:
        return len(self.log)

    def paths(self) -> list[str]:
        return [path for _, path in self.log]

    def reset_log(self) -> None:
        with self._lock:
            self.log.clear()

    # -- HTTP entry point (runs on the handler's thread) -------------------------------------------

    def handle(self, handler: _Handler, method: str) -> None:
        with self._lock:
            self.log.append((method, handler.path))
        if self.hang:
            self._released.wait(30)
            handler.close_connection = True
            return
        if self.latency:
            time.sleep(self.latency)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        with self._lock:
            forced = self.forced.pop(0) if self.forced else None
        if forced is not None:
            status, headers, body = forced
            handler.reply(status, body, headers)
            return
        denied = self._check_auth(handler.headers.get("Authorization", ""))
        if denied:
            handler.reply(401, None, {"WWW-Authenticate": denied})
            return
        parts = urlsplit(handler.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        if parts.path == "/pi/trn" and method == "GET":
            handler.reply(*self._gateway(query))
            return
        if method == "POST" and parts.path.rstrip("/") == "/piwebapi/batch":
            if self.csrf and not handler.headers.get("X-Requested-With"):
                handler.reply(403, {"Errors": ["This request requires the X-Requested-With "
                                               "header (CSRF defense)."]})
                return
            try:
                requests = json.loads(raw or b"{}")
            except ValueError:
                handler.reply(400, {"Errors": ["The request body is not valid JSON."]})
                return
            handler.reply(*self._batch(requests))
            return
        if method != "GET":
            handler.reply(405, {"Errors": [f"The requested resource does not support "
                                           f"http method '{method}'."]})
            return
        status, body = self.route(parts.path, query)
        handler.reply(status, body)

    def _check_auth(self, header: str) -> str:
        if self.auth is None:
            return ""
        if self.auth[0] == "basic":
            expected = base64.b64encode(f"{self.auth[1]}:{self.auth[2]}".encode()).decode()
            return "" if header == f"Basic {expected}" else 'Basic realm="PI Web API"'
        return "" if header == f"Bearer {self.auth[1]}" else "Bearer"

    # -- PI Web API routes (also used by batch sub-requests) ---------------------------------------

    def route(self, path: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if not path.startswith("/piwebapi"):
            return 404, {"Errors": ["The requested resource was not found."]}
        rest = path[len("/piwebapi"):].strip("/")
        parts = rest.split("/") if rest else []
        status, body = self._route(parts, query)
        selected = _one(query, "selectedFields")
        if selected and 200 <= status < 300:
            body = _select(body, selected)
        return status, body

    def _route(self, parts: list[str], query: dict[str, list[str]]) -> tuple[int, Any]:
        if not parts:
            return 200, self._links({"Self": "/", "AssetServers": "/assetservers",
                                     "DataServers": "/dataservers", "System": "/system"})
        head = parts[0].lower()
        if head == "system" and len(parts) == 1:
            if self.system_status != 200:
                return self.system_status, {"Errors": ["Access to this resource is denied."]}
            landing = _fixture("docs_system_landing.json")
            landing["ProductTitle"], landing["ProductVersion"] = self.product
            landing["Links"] = {key: self.base_url + "/system" + ("" if key == "Self" else
                                                                  "/" + key.lower())
                                for key in landing["Links"]}
            return 200, landing
        if head == "dataservers":
            return self._dataservers(parts[1:], query)
        if head == "points" and len(parts) == 1:
            return self._point_by_path(_one(query, "path"))
        if head == "attributes" and len(parts) == 1:
            return self._attribute_by_path(_one(query, "path"))
        if head == "streams" and len(parts) == 3:
            tag = self._by_web_id(parts[1])
            if tag is None:
                return 404, {"Errors": [f"Unknown or invalid WebID format: '{parts[1]}'."]}
            return self._stream(tag, parts[2].lower(), query)
        if head == "streamsets" and len(parts) == 2:
            return self._streamset(parts[1].lower(), query)
        return 404, {"Errors": ["The requested resource was not found."]}

    def _links(self, links: dict[str, str]) -> dict[str, Any]:
        return {"Links": {key: self.base_url + value for key, value in links.items()}}

    def _server_object(self, name: str) -> dict[str, Any]:
        web_id = "P1DS" + base64.urlsafe_b64encode(name.upper().encode()).decode().rstrip("=")
        return {"WebId": web_id, "Id": f"00000000-0000-0000-0000-{len(name):012d}",
                "Name": name, "Path": f"\\\\{name}", "IsConnected": True,
                "ServerVersion": "3.4.440.477", "ServerTime": _iso(_now()),
                "Links": {"Self": f"{self.base_url}/dataservers/{web_id}",
                          "Points": f"{self.base_url}/dataservers/{web_id}/points"}}

    def _dataservers(self, parts: list[str], query: dict[str, list[str]]) -> tuple[int, Any]:
        if not self.lists_data_servers:
            return 404, {"Errors": ["The requested resource was not found."]}
        servers = [self._server_object(name) for name in self.data_servers]
        if not parts:
            wanted = _one(query, "name") or _one(query, "path").lstrip("\\")
            if wanted:
                for server in servers:
                    if server["Name"].upper() == wanted.upper():
                        return 200, server
                return 404, {"Errors": [f"PI Data Archive '{wanted}' was not found."]}
            return 200, {"Items": servers, "Links": {}}
        server = next((s for s in servers if s["WebId"] == parts[0]), None)
        if server is None:
            return 404, {"Errors": [f"Unknown or invalid WebID format: '{parts[0]}'."]}
        if len(parts) == 1:
            return 200, server
        if parts[1].lower() != "points":
            return 404, {"Errors": ["The requested resource was not found."]}
        pattern = (_one(query, "nameFilter") or "*").upper()
        start = int(_one(query, "startIndex") or 0)
        limit = int(_one(query, "maxCount") or 1000)
        found = [self._point_object(tag) for tag in self.tags.values()
                 if not tag.attribute_path and tag.server.upper() == server["Name"].upper()
                 and fnmatch.fnmatchcase(tag.name.upper(), pattern)]
        found.sort(key=lambda p: p["Name"])
        return 200, {"Items": found[start:start + limit], "Links": {}}

    def _point_object(self, tag: FakeTag) -> dict[str, Any]:
        point = _fixture("docs_point_get.json")
        point.update({"WebId": tag.web_id, "Id": tag.point_id, "Name": tag.name,
                      "Path": tag.path, "Descriptor": tag.descriptor,
                      "PointType": tag.point_type, "EngineeringUnits": tag.units,
                      "DigitalSetName": "Modes" if tag.point_type == "Digital" else ""})
        point["Links"] = {"Self": f"{self.base_url}/points/{tag.web_id}",
                          "Value": f"{self.base_url}/streams/{tag.web_id}/value"}
        return point

    def _point_by_path(self, path: str) -> tuple[int, Any]:
        if not path.startswith("\\\\"):
            return 400, {"Errors": [f"The path '{path}' is not valid."]}
        server = path[2:].partition("\\")[0]
        if server.upper() not in (s.upper() for s in self.data_servers):
            return 404, {"Errors": [f"PI Data Archive '{server}' was not found."]}
        tag = self.tags.get(path.upper())
        if tag is None or tag.attribute_path:
            return 404, {"Errors": [f"PI Point not found '{path}'."]}
        return 200, self._point_object(tag)

    def _attribute_by_path(self, path: str) -> tuple[int, Any]:
        tag = self.tags.get(path.upper())
        if tag is None or not tag.attribute_path:
            return 404, {"Errors": [f"Attribute not found '{path}'."]}
        return 200, {"WebId": tag.web_id, "Id": "6f1fbb2c-0000-0000-0000-000000000001",
                     "Name": tag.name, "Description": "", "Path": tag.path, "Type": "Double",
                     "TypeQualifier": "", "DefaultUnitsName": tag.units,
                     "DefaultUnitsNameAbbreviation": tag.units, "DataReferencePlugIn": "PI Point",
                     "ConfigString": "", "IsConfigurationItem": False, "IsExcluded": False,
                     "IsHidden": False, "IsManualDataEntry": False, "HasChildren": False,
                     "CategoryNames": [], "Step": False, "TraitName": "",
                     "Links": {"Self": f"{self.base_url}/attributes/{tag.web_id}",
                               "Value": f"{self.base_url}/streams/{tag.web_id}/value"}}

    def _by_web_id(self, web_id: str) -> FakeTag | None:
        # An index, so 5,000 WebIds cost 5,000 look-ups, not 25 million encodings; checked on
        # every hit, and rebuilt on a miss, so tags added, removed or renamed are seen.
        index = getattr(self, "_web_ids", {})
        tag = index.get(web_id)
        if tag is not None and tag.web_id == web_id and self.tags.get(tag.path.upper()) is tag:
            return tag
        self._web_ids = {t.web_id: t for t in self.tags.values()}
        return self._web_ids.get(web_id)

    def _stream(self, tag: FakeTag, kind: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        if not tag.readable:
            return 404, {"Errors": ["The requested resource was not found."]}
        if kind in ("value", "end"):
            return 200, self._timed(tag, tag.events[-1])
        try:
            start = _pi_time(_one(query, "startTime") or "*-1d")
            end = _pi_time(_one(query, "endTime") or "*")
        except ValueError as exc:
            return 400, {"Errors": [str(exc)]}
        if kind == "recorded":
            limit = int(_one(query, "maxCount") or 1000)
            low, high = sorted((start, end))
            chosen = [e for e in tag.events if low <= e.time <= high]
            if end < start:
                chosen.reverse()
            items = [self._timed(tag, e) for e in chosen[:limit]]
        elif kind == "interpolated":
            step = _seconds(_one(query, "interval") or "1h")
            items, moment = [], start
            while moment <= end:
                items.append(self._timed(tag, _interpolate(tag, moment)))
                moment += dt.timedelta(seconds=step)
        elif kind == "plot":
            items = self._plot(tag, start, end, int(_one(query, "intervals") or 24))
        elif kind == "summary":
            types = query.get("summaryType") or ["Total"]
            return 200, {"Items": [{"Type": name, "Value": self._summary(tag, name, start, end)}
                                   for name in types], "Links": {}}
        else:
            return 404, {"Errors": ["The requested resource was not found."]}
        return 200, {"Items": items, "UnitsAbbreviation": tag.units, "Links": {}}

    def _streamset(self, kind: str, query: dict[str, list[str]]) -> tuple[int, Any]:
        items = []
        for web_id in query.get("webId", []):
            tag = self._by_web_id(web_id)
            if tag is None:
                return 404, {"Errors": [f"Unknown or invalid WebID format: '{web_id}'."]}
            status, body = self._stream(tag, kind, query)
            if status != 200:
                return status, body
            item = {"WebId": tag.web_id, "Name": tag.name, "Path": tag.path}
            if kind in ("value", "end"):
                item["Value"] = body
            else:
                item.update(body)
            item["Links"] = {}
            items.append(item)
        return 200, {"Links": {}, "Items": items}

    def _timed(self, tag: FakeTag, event: Event) -> dict[str, Any]:
        body: dict[str, Any] = {"Timestamp": _iso(event.time), "UnitsAbbreviation": tag.units,
                                "Good": event.good, "Questionable": event.questionable,
                                "Substituted": event.substituted, "Annotated": False}
        if tag.error:
            body.update({"Value": None, "Good": True, "UnitsAbbreviation": None,
                         "Errors": [{"FieldName": "Value", "Message": [tag.error]}]})
        elif event.system or event.value in SYSTEM_STATES:
            body["Value"] = {"Name": event.value, "Value": SYSTEM_STATES.get(event.value, 313),
                             "IsSystem": True}
            body["Good"] = False
        elif isinstance(event.value, tuple):
            body["Value"] = {"Name": event.value[0], "Value": event.value[1], "IsSystem": False}
        else:
            body["Value"] = event.value
        return body

    def _plot(self, tag: FakeTag, start: dt.datetime, end: dt.datetime,
              intervals: int) -> list[dict[str, Any]]:
        chosen: list[Event] = []
        width = (end - start) / max(1, intervals)
        for number in range(max(1, intervals)):
            low, high = start + width * number, start + width * (number + 1)
            inside = [e for e in tag.events if low <= e.time < high or
                      (number == intervals - 1 and e.time == high)]
            numbers = [e for e in inside if _number(e.value) is not None]
            picks = inside[:1] + inside[-1:]
            if numbers:
                picks += [min(numbers, key=lambda e: e.value), max(numbers, key=lambda e: e.value)]
            picks += [e for e in inside if not e.good][:1]
            for event in picks:
                if event not in chosen:
                    chosen.append(event)
        chosen.sort(key=lambda e: e.time)
        return [self._timed(tag, e) for e in chosen]

    def _summary(self, tag: FakeTag, name: str, start: dt.datetime,
                 end: dt.datetime) -> dict[str, Any]:
        inside = [e for e in tag.events if start <= e.time <= end]
        good = [e for e in inside if e.good and _number(e.value) is not None]
        numbers = [float(e.value) for e in good]
        value: Any
        stamp = start
        if name == "Count":
            value = len(inside)
        elif name == "PercentGood":
            value = 100.0 * len(good) / len(inside) if inside else 0.0
        elif not numbers:
            return self._timed(tag, Event(start, NO_DATA, good=False, system=True))
        elif name == "Average":
            value = sum(numbers) / len(numbers)
        elif name == "Minimum":
            event = min(good, key=lambda e: e.value)
            value, stamp = event.value, event.time
        elif name == "Maximum":
            event = max(good, key=lambda e: e.value)
            value, stamp = event.value, event.time
        elif name == "Range":
            value = max(numbers) - min(numbers)
        elif name == "Total":
            value = sum(numbers) / len(numbers) * (end - start).total_seconds() / 86400
        elif name in ("StdDev", "PopulationStdDev"):
            mean = sum(numbers) / len(numbers)
            spread = len(numbers) - (1 if name == "StdDev" else 0)
            value = math.sqrt(sum((n - mean) ** 2 for n in numbers) / max(1, spread))
        else:
            value = sum(numbers) / len(numbers)
        return {"Timestamp": _iso(stamp), "UnitsAbbreviation": tag.units, "Good": True,
                "Questionable": False, "Substituted": False, "Annotated": False, "Value": value}

    # -- batch -------------------------------------------------------------------------------------

    def _batch(self, requests: Any) -> tuple[int, Any]:
        if not isinstance(requests, dict):
            return 400, {"Errors": ["The batch request must be a JSON object."]}
        results: dict[str, dict[str, Any]] = {}
        remaining = dict(requests)
        while remaining:
            ready = [key for key, request in remaining.items()
                     if all(p in results for p in request.get("ParentIds") or [])]
            if not ready:
                return 400, {"Errors": ["The batch request has circular or unknown ParentIds."]}
            for key in ready:
                results[key] = self._sub_request(remaining.pop(key), results)
        return 207, results

    def _sub_request(self, request: dict[str, Any],
                     results: dict[str, dict[str, Any]]) -> dict[str, Any]:
        failed = [p for p in request.get("ParentIds") or []
                  if not 200 <= results[p]["Status"] < 300]
        if failed:
            return {"Status": 409, "Headers": {},
                    "Content": "The following ParentIds did not complete successfully: "
                               + ", ".join(failed) + "."}
        if str(request.get("Method", "GET")).upper() != "GET":
            return {"Status": 405, "Headers": {}, "Content": {"Errors": ["Only GET here."]}}
        tokens = [_json_path(results, expression) for expression in
                  request.get("Parameters") or []]
        template = request.get("RequestTemplate")
        if template:
            answers = []
            for token in tokens[0] if tokens else []:
                answers.append(self._resource(template["Resource"].replace("{0}", str(token))))
            return {"Status": 207, "Headers": {},
                    "Content": {"Total": len(answers), "Items": answers}}
        resource = str(request.get("Resource", ""))
        for number, found in enumerate(tokens):
            resource = resource.replace(f"{{{number}}}", str(found[0]) if found else "")
        return self._resource(resource)

    def _resource(self, resource: str) -> dict[str, Any]:
        parts = urlsplit(resource)  # host and port are ignored, as PI Web API does
        status, body = self.route(parts.path, parse_qs(parts.query, keep_blank_values=True))
        return {"Status": status, "Headers": {"Content-Type": "application/json; charset=utf-8"},
                "Content": body}

    # -- the old gateway ---------------------------------------------------------------------------

    def _gateway(self, query: dict[str, list[str]]) -> tuple[int, Any]:
        name = _one(query, "tag")
        tag = next((t for t in self.tags.values() if not t.attribute_path
                    and t.name.upper() == name.upper()), None)
        if tag is None:
            return 200, []
        try:
            start = _pi_time(_one(query, "start") or "*-1h")
            end = _pi_time(_one(query, "end") or "*")
        except ValueError as exc:
            return 400, {"error": str(exc)}
        interval = _one(query, "interval")
        limit = int(_one(query, "maxCount") or 100000)
        if interval:
            events, moment = [], start
            while moment <= end and len(events) < limit:
                events.append(_interpolate(tag, moment))
                moment += dt.timedelta(seconds=_seconds(interval))
        else:
            events = [e for e in tag.events if start <= e.time <= end][:limit]
        rows = []
        for event in events:
            if event.system or event.value in SYSTEM_STATES:
                shown: Any = event.value
            elif isinstance(event.value, tuple):
                shown = event.value[0]
            else:
                shown = event.value
            local = event.time.astimezone(self.gateway_zone).replace(tzinfo=None)
            rows.append({"v0": local.strftime(self.gateway_time_format), "v1": shown})
        return 200, rows


# --------------------------------------------------------------------------------------------------
# HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    pi: PiServer
    tls_context: ssl.SSLContext | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, address = super().get_request()
        if self.tls_context is not None:
            # The handshake runs on the handler's thread, so a slow client blocks nobody.
            sock = self.tls_context.wrap_socket(sock, server_side=True,
                                                do_handshake_on_connect=False)
        return sock, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        if isinstance(request, ssl.SSLSocket):
            try:
                request.settimeout(5)
                request.do_handshake()
            except (OSError, ssl.SSLError):
                return  # the client refused our certificate: that is the test's point
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that give up early are part of the tests, not failures of the double; any
        # other exception is the double's own fault and is reported by stop().
        import sys

        fault = sys.exc_info()[1]
        if fault is not None and not isinstance(fault, (ConnectionError, TimeoutError,
                                                         ssl.SSLError)):
            self.pi.faults.append(fault)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PI Web API, so latency counts once
    disable_nagle_algorithm = True  # else headers and body wait 40 ms for a delayed ACK
    server: _Server
    timeout = 10

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.server.pi.handle(self, "GET")

    def do_POST(self) -> None:  # noqa: N802
        self.server.pi.handle(self, "POST")

    def reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if self.server.pi.drip or self.request_version == "HTTP/0.9":
            self.end_headers()
            _write(self.wfile, data, self.server.pi.drip)
            return
        # The head and the body in one write, as a server sends a small answer: written
        # apart, the client wakes to read the head while the body is still being handed over.
        self._headers_buffer.append(b"\r\n" + data)
        self.flush_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _write(out: Any, data: bytes, drip: float) -> None:
    if not drip:
        out.write(data)
        return
    for at in range(len(data)):  # a client that gives up ends this with a broken pipe
        out.write(data[at:at + 1])
        time.sleep(drip)


# --------------------------------------------------------------------------------------------------
# TLS


@dataclass(frozen=True)
class TlsFiles:
    ca: str  # the CA bundle a client trusts
    cert: str
    key: str


def make_tls_files(folder: Path) -> TlsFiles:
    """A throw-away CA and a server certificate for 127.0.0.1 / localhost, as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Plant CA")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(days=1))
               .not_valid_after(now + dt.timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                            crl_sign=True, content_commitment=False,
                                            key_encipherment=False, data_encipherment=False,
                                            key_agreement=False, encipher_only=False,
                                            decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                              critical=False)
               .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"),
                x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    folder.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(str(folder / "ca.pem"), str(folder / "server.pem"),
                     str(folder / "server.key"))
    Path(files.ca).write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    Path(files.cert).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    Path(files.key).write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return files


# --------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture
def pi_server() -> Iterator[PiServer]:
    with PiServer() as server:
        yield server


@pytest.fixture(scope="session")
def pi_tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("pi-tls"))


@pytest.fixture
def pi_tls_server(pi_tls_files: TlsFiles) -> Iterator[PiServer]:
    with PiServer(tls=pi_tls_files) as server:
        yield server


# --------------------------------------------------------------------------------------------------
# Small helpers, independent of the code under test


def _now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


@functools.lru_cache(maxsize=65536)
def _web_id(path: str, attribute: bool) -> str:
    # Worked out once per path: a hundred-tag read asks for each tag's WebId several times.
    marker = "Ab" if attribute else "DP"
    encoded = base64.urlsafe_b64encode(path.upper().encode()).decode().rstrip("=")
    return f"P1{marker}{encoded}"


@functools.lru_cache(maxsize=65536)
def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one(query: dict[str, list[str]], name: str) -> str:
    for key, values in query.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return ""


def fixture_body(name: str) -> Any:
    """A stored response body; a missing or unreadable one fails loudly, naming the file."""
    path = FIXTURES / name
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"PI Web API fixture {path} cannot be read: {exc}") from exc


_fixture = fixture_body


def _event(when: Any, what: Any) -> Event:
    moment = when if isinstance(when, dt.datetime) else _pi_time(str(when))
    if what in SYSTEM_STATES:
        return Event(moment, what, good=False, system=True)
    return Event(moment, what)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(text: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([smhd])", text.strip().lower())
    if not match:
        raise ValueError(f"Cannot parse interval '{text}'.")
    return float(match.group(1)) * _UNIT[match.group(2)]


def _pi_time(text: str) -> dt.datetime:
    """Enough of PI time for the double: *, *-8h, t, y, t+6h and ISO 8601 (UTC when naive)."""
    body = text.strip().lower()
    match = re.fullmatch(r"(\*|t|y)?\s*(?:([+-])\s*(\d+(?:\.\d+)?)\s*([smhd]))?", body)
    if match and (match.group(1) or match.group(2)):
        now = _now()
        base = {"*": now, None: now, "t": now.replace(hour=0, minute=0, second=0),
                "y": now.replace(hour=0, minute=0, second=0) - dt.timedelta(days=1)}[
            match.group(1)]
        if match.group(2):
            shift = float(match.group(3)) * _UNIT[match.group(4)]
            base += dt.timedelta(seconds=shift if match.group(2) == "+" else -shift)
        return base
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"Cannot parse time string '{text}'.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _interpolate(tag: FakeTag, moment: dt.datetime) -> Event:
    before = [e for e in tag.events if e.time <= moment]
    after = [e for e in tag.events if e.time > moment]
    if not before:
        return Event(moment, NO_DATA, good=False, system=True)
    left = before[-1]
    if after and _number(left.value) is not None and _number(after[0].value) is not None:
        right = after[0]
        share = (moment - left.time) / (right.time - left.time)
        value = left.value + (right.value - left.value) * share
        return Event(moment, value, left.good and right.good)
    return Event(moment, left.value, left.good, left.questionable, left.substituted,
                 left.system)


def _select(body: Any, selected: str) -> Any:
    tree: dict[str, Any] = {}
    for path in selected.split(";"):
        node = tree
        for part in [p for p in path.strip().split(".") if p]:
            node = node.setdefault(part, {})
    return _prune(body, tree)


def _prune(body: Any, tree: dict[str, Any]) -> Any:
    if not tree:
        return body
    if isinstance(body, list):
        return [_prune(item, tree) for item in body]
    if isinstance(body, dict):
        return {key: _prune(body[key], sub) for key, sub in tree.items() if key in body}
    return body


def _json_path(root: Any, expression: str) -> list[Any]:
    """The tokens a JSONPath such as `$.1.Content.Items[*].WebId` selects (no filters)."""
    steps = re.findall(r"\.([^.\[\]]+)|\[(\*|\d+)\]|\['([^']+)'\]", expression.lstrip("$"))
    found = [root]
    for name, index, quoted in steps:
        following: list[Any] = []
        for node in found:
            if index == "*":
                following.extend(node if isinstance(node, list) else
                                 list(node.values()) if isinstance(node, dict) else [])
            elif index:
                if isinstance(node, list) and int(index) < len(node):
                    following.append(node[int(index)])
            else:
                key = name or quoted
                if isinstance(node, dict) and key in node:
                    following.append(node[key])
        found = following
    return found
