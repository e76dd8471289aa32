"""The old site gateway (`GET /pi/trn`, rows of v0/v1, no sign-in): one request per tag."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar

from app.core.pi_time import resolve_pi_time
from app.sources.base import Fault, PiSeries, PiValue, SourceError, TagInfo, TestResult
from app.sources.http import Deadline
from app.sources.pi.decode import decode_gateway_row, failed_value
from app.sources.pi.session import PiHttp
from app.sources.pi.settings import GATEWAY_WORKERS

T = TypeVar("T")

_GATEWAY_SUMMARY_ALL = ("Total", "Average", "Minimum", "Maximum", "Range", "StdDev",
                        "PopulationStdDev", "Count", "PercentGood")


class _TagProblem(SourceError):
    """A failure that concerns one tag only; the others still answer."""


class Gateway:
    def __init__(self, http: PiHttp, zone: tzinfo, default_tag: str) -> None:
        self.http = http
        self.zone = zone
        self.default_tag = default_tag

    def test(self, timeout: float) -> TestResult:
        deadline = Deadline(timeout)
        started = time.perf_counter()
        params = {"tag": self.default_tag, "interval": "1h", "start": "*-1h", "end": "*",
                  "maxCount": "1"}
        response = self.http.send("GET", f"{self.http.base}/pi/trn", deadline, params=params)
        latency = (time.perf_counter() - started) * 1000
        if response.status_code == 404:
            raise SourceError(f"The server at {self.http.where} has no /pi/trn: is this the old "
                              "PI gateway?", code="404", kind=Fault.SETUP)
        if response.status_code >= 500 or response.status_code in (401, 403):
            raise self.http.status_error(response)
        return TestResult(True, latency, f"Connected in {latency:.0f} ms (old PI gateway)",
                          None, "PI gateway")

    def current(self, tags: list[str], timeout: float) -> list[PiValue]:
        deadline = Deadline(timeout)

        def newest(tag: str) -> PiValue:
            values, _ = self._rows(tag, "*-1h", "*", "1m", None, deadline)
            if not values:
                raise _TagProblem(f"No data for '{tag}' in the last hour.")
            # Rows may come oldest or newest first; without readable times, the last row wins.
            oldest = datetime.min.replace(tzinfo=UTC)
            return max(enumerate(values), key=lambda row: (row[1].timestamp or oldest, row[0]))[1]

        return self._each(tags, newest, deadline, lambda tag, error: failed_value(tag, error))

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
        deadline = Deadline(timeout)
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
                             lambda tag, error: {n: failed_value(tag, error) for n in names})
        return dict(zip(tags, results, strict=True))

    def search(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]:
        raise SourceError("The old PI gateway cannot search for tags: switch this source to PI "
                          "Web API to use the tag picker.", code="gateway", kind=Fault.SETUP)

    def _series(self, tags: list[str], start: str, end: str, interval: str,
                max_count: int | None, timeout: float) -> list[PiSeries]:
        deadline = Deadline(timeout)

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
              max_count: int | None, deadline: Deadline) -> tuple[list[PiValue], int]:
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
                              "PI gateway.", code="not-gateway", kind=Fault.SETUP) from None
        rows = _gateway_rows(body)
        if rows is None:
            raise SourceError(f"The server at {self.http.where} answered, but not like the old "
                              "PI gateway.", code="not-gateway", kind=Fault.SETUP)
        values = []
        for row in rows:
            value = decode_gateway_row(tag, row, self.zone)
            if value is not None:
                values.append(value)
        return values, len(rows)

    def _each(self, tags: list[str], work: Callable[[str], T], deadline: Deadline,
              failed: Callable[[str, str], T]) -> list[T]:
        """Run `work` for every tag side by side; tag problems become `failed` entries."""
        unique = list(dict.fromkeys(tags))
        results: dict[str, T] = {}
        errors: dict[str, SourceError] = {}
        pool = ThreadPoolExecutor(max_workers=min(GATEWAY_WORKERS, len(unique)),
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
            result[name] = failed_value(tag, f"No good values for '{tag}' in that period.")
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
