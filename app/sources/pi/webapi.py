"""PI Web API: batch requests, stream sets, cached WebIds, and the data-server list."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from app.sources.base import Fault, PiSeries, PiValue, SourceError, TagInfo, TestResult
from app.sources.http import Deadline
from app.sources.pi import slices
from app.sources.pi.decode import (
    answer_content,
    answer_status,
    body_items,
    decode_value,
    failed_value,
)
from app.sources.pi.query import chunk_web_ids, query_text, web_id_param
from app.sources.pi.session import PiHttp
from app.sources.pi.status import (
    body_or_none,
    error_text,
    raise_web_exception,
    status_sentence,
    value_error_sentence,
)

_POINT_FIELDS = "WebId;Name;Path;Descriptor;EngineeringUnits;PointType"
_ATTRIBUTE_FIELDS = "WebId;Name;Path;Description;DefaultUnitsNameAbbreviation;DefaultUnitsName;Type"
_TARGETS_KEPT = 10_000  # tag names remembered per source, far more than any plant asks for
_SEARCH_FIELDS = ";".join(f"Items.{f}" for f in _POINT_FIELDS.split(";"))


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


class WebApi:
    def __init__(self, http: PiHttp, data_server: str, zone_name: str) -> None:
        self.http = http
        self.base = http.base
        self.data_server = data_server
        self.zone_name = zone_name
        self._cache: dict[str, _Stream] = {}
        self._servers: list[dict[str, Any]] | None = None
        self._known_targets: dict[str, _Target] = {}  # tag as written → what it names
        self._lock = threading.Lock()

    # -- connection test ------------------------------------------------------------------------

    def test(self, timeout: float) -> TestResult:
        deadline = Deadline(timeout)
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
        deadline = Deadline(timeout)
        targets = self._targets(tags, deadline)
        outcomes = self._read(targets, "value", [], deadline)
        values = []
        for target in targets:
            outcome = outcomes[target.key]
            if outcome.error is not None:
                values.append(failed_value(target.tag, outcome.error))
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
        deadline = Deadline(timeout)
        params = [("startTime", start), ("endTime", end)]
        params += [("summaryType", name) for name in types]
        params += [("calculationBasis", "TimeWeighted")] + self._zone_param()
        targets = self._targets(tags, deadline)
        outcomes = self._read(targets, "summary", params, deadline)
        result: dict[str, dict[str, PiValue]] = {}
        for target in targets:
            outcome = outcomes[target.key]
            if outcome.error is not None:
                result[target.tag] = {name: failed_value(target.tag, outcome.error)
                                      for name in types}
                continue
            units = outcome.stream.units if outcome.stream else ""
            per_type: dict[str, PiValue] = {}
            for item in body_items(outcome.body):
                name = str(item.get("Type") or "")
                if name:
                    per_type[name] = decode_value(target.tag, item.get("Value"), units)
            result[target.tag] = per_type
        return result

    def search(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]:
        deadline = Deadline(timeout)
        pattern = pattern.strip()
        server = ""
        if pattern.startswith("\\\\"):
            server, _, pattern = pattern[2:].partition("\\")
        server = server or self._default_server(deadline)
        record = self._find_server(server, deadline)
        if record is None:
            raise SourceError(self._unknown_server_sentence(server, deadline), code="404",
                              kind=Fault.SETUP)
        if not any(ch in pattern for ch in "*?"):
            pattern = f"*{pattern}*"  # people type part of a name, as in PI System Explorer
        url = f"{self.base}/dataservers/{quote(str(record.get('WebId', '')), safe='')}/points"
        params = [("nameFilter", pattern), ("maxCount", str(max_results)),
                  ("selectedFields", _SEARCH_FIELDS)]
        body = self._get(url, params, deadline)
        found = []
        for point in body_items(body)[:max_results]:
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
        deadline = Deadline(timeout)
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
            values = [decode_value(target.tag, item, units) for item in body_items(body)]
            series.append(PiSeries(target.tag, units, values))
        return series

    def _targets(self, tags: list[str], deadline: Deadline) -> list[_Target]:
        targets = []
        known = self._known_targets
        for raw in tags:
            target = known.get(raw) if isinstance(raw, str) else None
            if target is not None:
                targets.append(target)
                continue
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
            elif "*" in tag or "?" in tag:
                targets.append(_Target(tag, tag.upper(), "point", tag, error=(
                    f"'{tag}' contains a wildcard: search for the tag first, then name it "
                    "exactly.")))
            else:
                server = self._default_server(deadline)
                path = f"\\\\{server}\\{tag}"
                targets.append(_Target(tag, path.upper(), "point", path, server))
            if tag and isinstance(raw, str):
                # A name means the same target for as long as this source lives (its data
                # server is a setting, or PI's one server, read once).
                if len(known) >= _TARGETS_KEPT:
                    known.clear()
                known[raw] = targets[-1]
        return targets

    def _default_server(self, deadline: Deadline) -> str:
        if self.data_server:
            return self.data_server
        names = [str(s.get("Name", "")) for s in self._data_servers(deadline)]
        if len(names) == 1:
            return names[0]
        if not names:
            raise SourceError("PI Web API lists no PI data server: check its configuration.",
                              code="data_server", kind=Fault.SETUP)
        raise SourceError(f"PI Web API serves several PI data servers ({', '.join(names)}): "
                          "set data_server in the source settings, or write tags as "
                          "\\\\SERVER\\TAG.", code="data_server", kind=Fault.SETUP)

    def _data_servers(self, deadline: Deadline) -> list[dict[str, Any]]:
        with self._lock:
            if self._servers is not None:
                return self._servers
        response = self.http.send("GET", f"{self.base}/dataservers", deadline, params=[
            ("selectedFields", "Items.WebId;Items.Name;Items.Path")])
        if response.status_code == 404:
            # The server answered as PI Web API a moment ago: it is this one list it lacks.
            raise SourceError(
                f"PI Web API at {self.http.where} does not list its PI data servers "
                "(/dataservers answered 404): write tags as \\\\SERVER\\TAG, or ask the PI "
                "administrator to open the data server list to this account.",
                code="404", kind=Fault.SETUP)
        if not response.ok:
            raise self.http.status_error(response)
        body = self._json(response)
        servers = [item for item in body_items(body) if isinstance(item, dict)]
        with self._lock:
            self._servers = servers
        return servers

    def _find_server(self, name: str, deadline: Deadline) -> dict[str, Any] | None:
        for record in self._data_servers(deadline):
            if str(record.get("Name", "")).upper() == name.upper():
                return record
        return None

    def _unknown_server_sentence(self, server: str, deadline: Deadline, tag: str = "") -> str:
        names = ", ".join(str(s.get("Name", "")) for s in self._data_servers(deadline))
        subject = f"Tag '{tag}' names PI server '{server}', which" if tag else (
            f"PI server '{server}'")
        return f"{subject} is not known to PI Web API (it knows: {names or 'none'})."

    def _read(self, targets: list[_Target], kind: str, params: list[tuple[str, str]],
              deadline: Deadline, retry: bool = True) -> dict[str, _Outcome]:
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
        chunks = chunk_web_ids(list(dict.fromkeys(s.web_id for s in known.values())))
        stale: list[str] = []
        if not unknown and len(chunks) == 1:
            url = f"{self.base}/streamsets/{kind}"
            response = self.http.send("GET", url, deadline,
                                      params=[("webId", w) for w in chunks[0]] + params)
            if response.ok:
                self._fill_stream_set(self._json(response), known, kind, outcomes)
            elif retry and _stale_web_id(response.status_code, body_or_none(response)):
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
                    deadline: Deadline, outcomes: dict[str, _Outcome], stale: list[str],
                    retry: bool) -> None:
        query = query_text(params)
        batch: dict[str, dict[str, Any]] = {}
        for number, chunk in enumerate(chunks):
            resource = f"{self.base}/streamsets/{kind}?" + "&".join(
                [web_id_param(w) for w in chunk] + ([query] if query else []))
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
            in_chunk = set(chunk)
            members = {key: s for key, s in known.items() if s.web_id in in_chunk}
            status = answer_status(answer)
            if 200 <= status < 300:
                self._fill_stream_set(answer_content(answer), members, kind, outcomes)
            elif retry and _stale_web_id(status, answer_content(answer)):
                stale.extend(members)
            else:
                error = self._answer_error(answer)
                for key in members:
                    outcomes[key] = _Outcome(error=error.message, code=error.code)
        lookups_failed: list[tuple[_Target, dict[str, Any]]] = []
        for number, target in enumerate(unknown):
            found = answers.get(f"find{number}") or {}
            if not 200 <= answer_status(found) < 300:
                lookups_failed.append((target, found))
                continue
            stream = _stream_from(answer_content(found), target.kind)
            if stream is None:
                outcomes[target.key] = _Outcome(error=f"PI Web API sent no WebId for "
                                                      f"'{target.tag}'.")
                continue
            with self._lock:
                self._cache[target.key] = stream
            read = answers.get(f"read{number}") or {}
            if 200 <= answer_status(read) < 300:
                body = answer_content(read)
                raise_web_exception(body)
                outcomes[target.key] = _Outcome(stream, body)
            elif answer_status(read) == 404:
                # Found a moment ago, so it exists: its values are what PI Web API lacks (an
                # AF attribute without a data reference, a point the account may not read).
                what = "AF attribute" if target.kind == "attribute" else "PI point"
                outcomes[target.key] = _Outcome(stream, error=(
                    f"The {what} '{target.tag}' exists, but PI Web API has no values for it "
                    "(404): check its data reference in PI System Explorer."), code="404")
            else:
                error = self._answer_error(read, target.tag)
                outcomes[target.key] = _Outcome(stream, error=error.message, code=error.code)
        for target, found in lookups_failed:
            outcomes[target.key] = self._lookup_failure(target, found, deadline)

    def _lookup_url(self, target: _Target) -> str:
        if target.kind == "attribute":
            return f"{self.base}/attributes?" + query_text(
                [("path", target.path), ("selectedFields", _ATTRIBUTE_FIELDS)])
        return f"{self.base}/points?" + query_text(
            [("path", target.path), ("selectedFields", _POINT_FIELDS)])

    def _lookup_failure(self, target: _Target, answer: dict[str, Any],
                        deadline: Deadline) -> _Outcome:
        status = answer_status(answer)
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
        status = answer_status(answer)
        content = answer_content(answer)
        if status == 409:
            return SourceError(f"PI Web API could not read '{subject}'.", code="409",
                               kind=Fault.NO_DATA)
        return status_sentence("PI Web API", self.http.auth, status or 500,
                               error_text(content), subject)

    def _fill_stream_set(self, body: Any, members: dict[str, _Stream], kind: str,
                         outcomes: dict[str, _Outcome]) -> None:
        raise_web_exception(body)
        by_web_id = {str(item.get("WebId")): item for item in body_items(body)
                     if isinstance(item, dict)}
        for key, stream in members.items():
            item = by_web_id.get(stream.web_id)
            if item is None:
                outcomes[key] = _Outcome(stream, error=f"PI Web API sent nothing for "
                                                       f"'{stream.path}'.")
                continue
            errors = error_text(item)
            if errors and not item.get("Value") and not item.get("Items"):
                with self._lock:
                    self._cache.pop(key, None)
                outcomes[key] = _Outcome(stream, error=value_error_sentence(stream.path, errors))
                continue
            outcomes[key] = _Outcome(stream, item.get("Value") if kind in ("value", "end")
                                     else item)

    def _post_batch(self, batch: dict[str, Any], deadline: Deadline) -> dict[str, Any]:
        # PI Web API's CSRF defence refuses a POST without X-Requested-With.
        response = self.http.send("POST", f"{self.base}/batch", deadline, body=batch,
                                  headers={"X-Requested-With": "XMLHttpRequest"})
        if not response.ok:
            raise self.http.status_error(response)
        body = self._json(response)
        if not isinstance(body, dict):
            raise self._not_piwebapi()
        return body

    def _get(self, url: str, params: list[tuple[str, str]], deadline: Deadline) -> Any:
        response = self.http.send("GET", url, deadline, params=params)
        if not response.ok:
            raise self.http.status_error(response)
        return self._json(response)

    def _json(self, response: requests.Response) -> Any:
        try:  # a large answer in slices: its reading never holds the loop long
            body = slices.response_json(response)
        except ValueError:
            raise self._not_piwebapi() from None
        raise_web_exception(body)
        return body

    def _not_piwebapi(self) -> SourceError:
        return SourceError(f"The server at {self.http.where} answered, but not like PI Web API: "
                           "check that the address ends in /piwebapi.", code="not-piwebapi",
                           kind=Fault.SETUP)



def _stream_from(content: Any, kind: str) -> _Stream | None:
    if not isinstance(content, dict) or not content.get("WebId"):
        return None
    units = (content.get("EngineeringUnits") if kind == "point" else
             content.get("DefaultUnitsNameAbbreviation") or content.get("DefaultUnitsName"))
    return _Stream(str(content["WebId"]), str(content.get("Path") or ""), str(units or ""),
                   str(content.get("PointType") or content.get("Type") or ""))


def _stale_web_id(status: int, body: Any) -> bool:
    return status == 404 or (status == 400 and "webid" in error_text(body).lower())
