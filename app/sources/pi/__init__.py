"""PI data source: AVEVA PI Web API (batch, stream sets, cached WebIds) or the old site gateway.

The package: this facade (PiSource), `webapi` and `gateway` (the two clients), `query` (PI Web
API query text), `session` (sign-in over the shared HTTP helper, app.sources.http), `decode`
(values, qualities, digital and system states), `status` (the sentences for PI's errors) and
`settings` (reading the form).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from app.core.pi_time import check_interval, check_pi_time
from app.core.source_fields import verify_setting
from app.sources.base import (
    CONCURRENT_REQUESTS,
    Fault,
    PiSeries,
    PiValue,
    SourceError,
    TagInfo,
    TestResult,
)
from app.sources.pi.decode import decode_gateway_row, decode_value, parse_pi_timestamp
from app.sources.pi.gateway import Gateway
from app.sources.pi.session import MAX_RETRIES, PiHttp
from app.sources.pi.settings import (
    AUTH_MODES,
    DEFAULT_TIMEOUT_S,
    gateway_base,
    positive_float,
    webapi_base,
    zone_setting,
)
from app.sources.pi.status import status_sentence
from app.sources.pi.webapi import WebApi

__all__ = ["DEFAULT_SUMMARY_TYPES", "DEFAULT_TIMEOUT_S", "MAX_RETRIES", "PiSource",
           "decode_gateway_row", "decode_value", "normalise_summary_types",
           "parse_pi_timestamp", "status_sentence"]

_SUMMARY_TYPES = ("Total", "Average", "Minimum", "Maximum", "Range", "StdDev",
                  "PopulationStdDev", "Count", "PercentGood", "TotalWithUOM", "All")
_SUMMARY_NAMES = {name.lower(): name for name in _SUMMARY_TYPES}
_SUMMARY_NAMES.update({"avg": "Average", "mean": "Average", "min": "Minimum",
                       "max": "Maximum", "std": "StdDev", "stdev": "StdDev", "sum": "Total"})
DEFAULT_SUMMARY_TYPES = ("Average", "Minimum", "Maximum")


class PiSource:
    """A PI historian behind PI Web API (`api: piwebapi`, the default) or the old `/pi/trn` gateway.

    Blocking calls only: each gives up by itself within its `timeout`. Whole-call failures
    (server down, wrong password) raise SourceError; a single tag that fails comes back with
    `error` set while the other tags still answer.
    """

    concurrent_requests = CONCURRENT_REQUESTS

    def __init__(self, config: dict[str, Any], secrets: dict[str, str] | None = None) -> None:
        self.config = dict(config or {})
        secrets = dict(secrets or {})
        self.api = str(self.config.get("api") or "piwebapi").strip().lower()
        self._problem: SourceError | None = None
        self._impl: WebApi | Gateway | None = None
        try:
            self._impl = self._build(secrets)
        except SourceError as exc:
            # A half-filled form still makes a source; every call then says what is missing.
            self._problem = exc

    def _build(self, secrets: dict[str, str]) -> WebApi | Gateway:
        if self.api not in ("piwebapi", "gateway"):
            raise SourceError(f"Unknown PI interface '{self.api}': choose piwebapi or gateway.",
                              code="config", kind=Fault.SETUP)
        zone = zone_setting(self.config.get("time_zone"))
        timeout_s = positive_float(self.config.get("timeout_s"), DEFAULT_TIMEOUT_S)
        verify = verify_setting(self.config.get("verify_tls", True))
        if self.api == "gateway":
            base = gateway_base(self.config.get("base_url"))
            http = PiHttp(base, "PI gateway", "anonymous", "", "", "", verify, timeout_s)
            return Gateway(http, zone, str(self.config.get("default_tag") or ""))
        base = webapi_base(self.config.get("base_url"))
        auth = str(self.config.get("auth") or "anonymous").strip().lower()
        if auth not in AUTH_MODES:
            raise SourceError(f"Unknown sign-in method '{auth}': choose one of "
                              f"{', '.join(AUTH_MODES)}.", code="config", kind=Fault.SETUP)
        http = PiHttp(base, "PI Web API", auth, str(self.config.get("username") or ""),
                     str(secrets.get("password") or ""), str(secrets.get("token") or ""),
                     verify, timeout_s)
        server = str(self.config.get("data_server") or "").strip().strip("\\")
        zone_name = str(self.config.get("time_zone") or "").strip()
        return WebApi(http, server, zone_name)

    def _ready(self) -> WebApi | Gateway:
        if self._problem is not None or self._impl is None:
            raise self._problem or SourceError("This PI source is not set up.", code="config",
                                               kind=Fault.SETUP)
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


def _check_range(start: str, end: str) -> None:
    check_pi_time(start)
    check_pi_time(end)
