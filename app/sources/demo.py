"""The built-in demo historian: a handful of simulated tags answering the same calls as PI."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.pi_time import parse_interval, resolve_pi_time
from app.sources.base import PiSeries, PiValue, SourceError, TagInfo, TestResult

SERVER = "DEMO"
STEP_S = 60  # the simulated archive keeps one value a minute


def _noise(tag: str, step: int) -> float:
    """A repeatable number in [-1, 1) for one tag and one archive step."""
    digest = hashlib.blake2b(f"{tag}:{step}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**63 - 1.0


def _sine(t: float) -> float:
    return 185.0 + 12.0 * math.sin(2 * math.pi * t / 14400)  # a four-hour swing


def _ramp(t: float) -> float:
    return 20.0 + 75.0 * ((t % 3600) / 3600)  # fills for an hour, then empties at once


@functools.lru_cache(maxsize=8)
def _walk_day(day_start: int) -> tuple[float, ...]:
    """One day of a mean-reverting random walk, one value per archive step (restarts daily)."""
    values = []
    value = 41.5
    for n in range(day_start, day_start + 1441):
        value += 0.05 * (41.5 - value) + 0.12 * _noise("walk", n)
        values.append(value)
    return tuple(values)


def _walk(t: float) -> float:
    """The walk at any moment, the same for everybody: steps joined by straight lines."""
    step, fraction = divmod(t / STEP_S, 1)
    day_start = int(step) - int(step) % 1440
    day = _walk_day(day_start)
    index = int(step) - day_start
    return day[index] + (day[index + 1] - day[index]) * fraction


def _pump(t: float) -> str:
    return "Running" if int(t // 900) % 3 else "Stopped"


@dataclass(frozen=True)
class DemoTag:
    name: str
    descriptor: str
    units: str
    kind: str  # number, digital, broken
    fn: Callable[[float], Any] | None = None


TAGS: dict[str, DemoTag] = {t.name: t for t in (
    DemoTag("DEMO.BOILER.TEMP", "Boiler outlet temperature (sine)", "°C", "number", _sine),
    DemoTag("DEMO.TANK.LEVEL", "Feed tank level (ramp, refilled hourly)", "%", "number", _ramp),
    DemoTag("DEMO.DRUM.PRESS", "Drum pressure (random walk)", "bar", "number", _walk),
    DemoTag("DEMO.PUMP.STATE", "Feed pump state (digital)", "", "digital", _pump),
    DemoTag("DEMO.FLOW.FAULT", "Steam flow transmitter in fault", "t/h", "broken"),
)}


class DemoHistorian:
    """Answers like a PI server with no network at all; values follow the clock."""

    # Current values, search and the test cost a few milliseconds: no thread for them. A series
    # over months computes for seconds, so those still take one of the demo's own threads.
    inline_calls = frozenset({"current_blocking", "search_blocking", "test_blocking"})
    concurrent_requests = 2

    def __init__(self, config: dict[str, Any] | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))

    # -- helpers ----------------------------------------------------------------------------
    def _tag(self, requested: str) -> DemoTag | None:
        name = requested.strip()
        if name.startswith("\\\\"):
            server, _, name = name[2:].partition("\\")
            if server.upper() != SERVER:
                return None
        return TAGS.get(name.upper())

    def _unknown(self, requested: str) -> str:
        return (f"Unknown tag {requested} on the demo historian (it has "
                f"{', '.join(TAGS)}).")

    def _value(self, requested: str, tag: DemoTag, moment: datetime) -> PiValue:
        if tag.kind == "broken":
            return PiValue(requested, moment, None, tag.units, good=False,
                           system_state="I/O Timeout")
        raw = tag.fn(moment.timestamp()) if tag.fn else None
        if tag.kind == "digital":
            return PiValue(requested, moment, raw, tag.units, digital=True)
        return PiValue(requested, moment, round(float(raw), 4), tag.units)

    def _span(self, start: str, end: str) -> tuple[datetime, datetime]:
        now = self._clock()
        first, last = resolve_pi_time(start, now), resolve_pi_time(end, now)
        if last < first:
            first, last = last, first
        if last - first > timedelta(days=400):
            raise SourceError("That time range is longer than the demo keeps (400 days).")
        return first, last

    # -- Historian --------------------------------------------------------------------------
    def test_blocking(self, timeout: float) -> TestResult:
        started = time.perf_counter()
        self.current_blocking(list(TAGS), timeout)
        elapsed = (time.perf_counter() - started) * 1000
        return TestResult(True, elapsed, f"Connected in {elapsed:.0f} ms (demo historian, "
                          f"{len(TAGS)} tags)", server="Demo historian")

    def current_blocking(self, tags: list[str], timeout: float) -> list[PiValue]:
        now = self._clock().replace(microsecond=0)
        out = []
        for requested in tags:
            tag = self._tag(requested)
            out.append(self._value(requested, tag, now) if tag else
                       PiValue(requested, None, None, good=False,
                               error=self._unknown(requested)))
        return out

    def _series(self, tags: list[str], moments: list[datetime]) -> list[PiSeries]:
        result = []
        for requested in tags:
            tag = self._tag(requested)
            if tag is None:
                result.append(PiSeries(requested, error=self._unknown(requested)))
                continue
            result.append(PiSeries(requested, tag.units,
                                   [self._value(requested, tag, m) for m in moments]))
        return result

    def recorded_blocking(self, tags: list[str], start: str, end: str, max_count: int,
                          timeout: float) -> list[PiSeries]:
        first, last = self._span(start, end)
        step = math.ceil(first.timestamp() / STEP_S) * STEP_S
        moments = []
        while step <= last.timestamp() and len(moments) < max_count:
            moments.append(datetime.fromtimestamp(step, UTC))
            step += STEP_S
        return self._series(tags, moments)

    def interpolated_blocking(self, tags: list[str], start: str, end: str, interval: str,
                              timeout: float) -> list[PiSeries]:
        first, last = self._span(start, end)
        seconds = parse_interval(interval)
        count = int((last - first).total_seconds() // seconds) + 1
        if count > 10_000:
            raise SourceError(f"{count} values is too many: choose a longer interval than "
                              f"{interval}.")
        return self._series(tags, [first + timedelta(seconds=i * seconds) for i in range(count)])

    def plot_blocking(self, tags: list[str], start: str, end: str, intervals: int,
                      timeout: float) -> list[PiSeries]:
        first, last = self._span(start, end)
        count = max(2, min(intervals * 2, 2000))
        width = (last - first) / (count - 1)
        return self._series(tags, [first + width * i for i in range(count)])

    def summary_blocking(self, tags: list[str], start: str, end: str, summary_types: list[str],
                         timeout: float) -> dict[str, dict[str, PiValue]]:
        first, last = self._span(start, end)
        series = self.plot_blocking(tags, start, end, 240, timeout)
        out: dict[str, dict[str, PiValue]] = {}
        for item in series:
            tag = self._tag(item.tag)
            numbers = [v.value for v in item.values if isinstance(v.value, (int, float))]
            per_type: dict[str, PiValue] = {}
            for kind in summary_types:
                if item.error or not numbers:
                    why = item.error or "No numeric values in that time range."
                    per_type[kind] = PiValue(item.tag, last, None, item.units, good=False,
                                             error=why)
                    continue
                per_type[kind] = PiValue(item.tag, last, round(_summary(kind, numbers, first,
                                                                        last), 4),
                                         tag.units if tag else "")
            out[item.tag] = per_type
        return out

    def search_blocking(self, pattern: str, max_results: int, timeout: float) -> list[TagInfo]:
        wanted = (pattern.strip() or "*").upper()
        if "*" not in wanted and "?" not in wanted:
            wanted = f"*{wanted}*"
        found = [TagInfo(f"\\\\{SERVER}\\{t.name}", t.name, t.descriptor, t.units,
                         "Digital" if t.kind == "digital" else "Float32")
                 for t in TAGS.values() if fnmatch.fnmatchcase(t.name, wanted)]
        return found[:max_results]

    def close(self) -> None:
        pass


def _summary(kind: str, numbers: list[float], first: datetime, last: datetime) -> float:
    name = kind.lower()
    if name == "average":
        return statistics.fmean(numbers)
    if name == "minimum":
        return min(numbers)
    if name == "maximum":
        return max(numbers)
    if name == "range":
        return max(numbers) - min(numbers)
    if name == "count":
        return float(len(numbers))
    if name in ("stddev", "populationstddev"):
        return statistics.pstdev(numbers) if name == "populationstddev" else (
            statistics.stdev(numbers) if len(numbers) > 1 else 0.0)
    if name == "total":
        # PI totals assume per-day units: the average rate times the span in days.
        return statistics.fmean(numbers) * (last - first).total_seconds() / 86400
    raise SourceError(f"{kind} is not a summary the demo knows (Average, Minimum, Maximum, "
                      "Range, Count, StdDev, Total).")
