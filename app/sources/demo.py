"""The built-in demo historian: a handful of simulated tags answering the same calls as PI."""

from __future__ import annotations

import fnmatch
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.pi_time import parse_interval, resolve_pi_time
from app.sources.base import PiSeries, PiValue, SourceError, TagInfo, TestResult

SERVER = "DEMO"
STEP_S = 60  # the simulated archive keeps one value a minute
# Every call runs on the event loop (no thread): at most this many values over all its tags,
# which take about 20 ms (bench/bench_demo_series.py). Summaries read fewer.
MAX_VALUES = 3000
SUMMARY_INTERVALS = 100  # a summary is computed from twice this many values a tag
# Repeatable random numbers in [-1, 1), the same in every process: a lattice point picks one.
_RANDOM = random.Random(20260302)
_TABLE = tuple(_RANDOM.uniform(-1.0, 1.0) for _ in range(4096))


def _sine(t: float) -> float:
    return 185.0 + 12.0 * math.sin(2 * math.pi * t / 14400)  # a four-hour swing


def _ramp(t: float) -> float:
    return 20.0 + 75.0 * ((t % 3600) / 3600)  # fills for an hour, then empties at once


# (lattice spacing in archive steps, amplitude in bar, where in the table): a slow drift with
# quicker wobbles on top.
_WALK_OCTAVES = ((240, 2.6, 0), (17, 0.8, 1723))


def _walk(t: float) -> float:
    """A wandering pressure around 41.5 bar, the same for everybody at any moment.

    Computed at each moment on its own (random numbers on lattices of two spacings, joined
    smoothly), so a series over months costs no more per value than one over an hour."""
    steps = t / STEP_S
    value = 41.5
    for spacing, amplitude, salt in _WALK_OCTAVES:
        scaled = steps / spacing
        point = int(scaled)
        fraction = scaled - point
        index = point * 2654435761 + salt
        left = _TABLE[index & 4095]
        right = _TABLE[(index + 2654435761) & 4095]
        value += amplitude * (left + (right - left) * fraction * fraction * (3 - 2 * fraction))
    return value


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

    # Every call is computation of at most MAX_VALUES values, a few tens of milliseconds at
    # most: none takes a thread.
    inline_calls = frozenset({"current_blocking", "search_blocking", "test_blocking",
                              "recorded_blocking", "interpolated_blocking", "plot_blocking",
                              "summary_blocking"})

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
        result: list[PiSeries] = []
        stamps = [m.timestamp() for m in moments]
        for requested in tags:
            tag = self._tag(requested)
            if tag is None:
                result.append(PiSeries(requested, error=self._unknown(requested)))
                continue
            units, fn = tag.units, tag.fn
            if tag.kind == "number" and fn is not None:  # the common case, written out
                values = [PiValue(requested, m, round(fn(t), 4), units)
                          for m, t in zip(moments, stamps, strict=True)]
            else:
                values = [self._value(requested, tag, m) for m in moments]
            result.append(PiSeries(requested, units, values))
        return result

    def recorded_blocking(self, tags: list[str], start: str, end: str, max_count: int,
                          timeout: float) -> list[PiSeries]:
        first, last = self._span(start, end)
        step = math.ceil(first.timestamp() / STEP_S) * STEP_S
        moments: list[datetime] = []
        # As PI, at most max_count values a tag, the oldest first; and MAX_VALUES in all.
        max_count = min(max_count, _per_tag(tags))
        while step <= last.timestamp() and len(moments) < max_count:
            moments.append(datetime.fromtimestamp(step, UTC))
            step += STEP_S
        return self._series(tags, moments)

    def interpolated_blocking(self, tags: list[str], start: str, end: str, interval: str,
                              timeout: float) -> list[PiSeries]:
        first, last = self._span(start, end)
        seconds = parse_interval(interval)
        count = int((last - first).total_seconds() // seconds) + 1
        if count > _per_tag(tags):
            raise SourceError(f"{count * max(1, len(tags))} values is too many: choose a "
                              f"longer interval than {interval}.")
        return self._series(tags, [first + timedelta(seconds=i * seconds) for i in range(count)])

    def plot_blocking(self, tags: list[str], start: str, end: str, intervals: int,
                      timeout: float) -> list[PiSeries]:
        first, last = self._span(start, end)
        count = max(2, min(intervals * 2, 2000, _per_tag(tags)))
        width = (last - first) / (count - 1)
        return self._series(tags, [first + width * i for i in range(count)])

    def summary_blocking(self, tags: list[str], start: str, end: str, summary_types: list[str],
                         timeout: float) -> dict[str, dict[str, PiValue]]:
        first, last = self._span(start, end)
        series = self.plot_blocking(tags, start, end, SUMMARY_INTERVALS, timeout)
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


def _per_tag(tags: list[str]) -> int:
    """How many values each tag may have in one call."""
    return max(2, MAX_VALUES // max(1, len(tags)))


def _summary(kind: str, numbers: list[float], first: datetime, last: datetime) -> float:
    import statistics  # loads with the first summary, not with every `simulate demo`

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
