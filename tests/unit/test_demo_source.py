"""The demo historian answers like PI, on a machine with no network."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.sources.base import Historian, SourceError
from app.sources.demo import DemoHistorian

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo() -> DemoHistorian:
    return DemoHistorian(clock=lambda: NOON)


def test_it_is_a_historian_and_its_test_says_connected(demo):
    assert isinstance(demo, Historian)
    result = demo.test_blocking(5)
    assert result.ok and result.message.startswith("Connected in ")


def test_current_values_show_numbers_states_faults_and_unknown_tags(demo):
    temp, pump, fault, unknown = demo.current_blocking(
        ["DEMO.BOILER.TEMP", "\\\\DEMO\\DEMO.PUMP.STATE", "demo.flow.fault", "DEMO.NOPE"], 5)
    assert 173 <= temp.value <= 197 and temp.units == "°C" and not temp.is_bad
    assert pump.digital and pump.value in ("Running", "Stopped")
    assert fault.system_state == "I/O Timeout" and fault.value is None and fault.is_bad
    assert unknown.error.startswith("Unknown tag DEMO.NOPE on the demo historian")


def test_values_are_repeatable_and_move_with_time():
    first = DemoHistorian(clock=lambda: NOON).current_blocking(["DEMO.DRUM.PRESS"], 5)[0]
    again = DemoHistorian(clock=lambda: NOON).current_blocking(["DEMO.DRUM.PRESS"], 5)[0]
    later = DemoHistorian(clock=lambda: NOON.replace(hour=15)).current_blocking(
        ["DEMO.DRUM.PRESS"], 5)[0]
    assert first.value == again.value
    assert first.value != later.value
    assert 35 < first.value < 48


def test_recorded_interpolated_and_summaries_cover_the_asked_range(demo):
    recorded = demo.recorded_blocking(["DEMO.TANK.LEVEL"], "*-1h", "*", 1000, 5)[0]
    assert len(recorded.values) == 61  # one archive value a minute, both ends included
    assert recorded.values[0].timestamp == datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    interpolated = demo.interpolated_blocking(["DEMO.BOILER.TEMP"], "*-8h", "*", "1h", 5)[0]
    assert [v.timestamp.hour for v in interpolated.values] == list(range(4, 13))
    summary = demo.summary_blocking(["DEMO.BOILER.TEMP"], "*-1d", "*",
                                    ["Average", "Minimum", "Maximum"], 5)["DEMO.BOILER.TEMP"]
    assert summary["Minimum"].value < summary["Average"].value < summary["Maximum"].value


def test_bad_time_strings_and_oversized_ranges_get_sentences(demo):
    with pytest.raises(SourceError, match="'yesterdayish' is not a PI time"):
        demo.recorded_blocking(["DEMO.TANK.LEVEL"], "yesterdayish", "*", 10, 5)
    with pytest.raises(SourceError, match="too many"):
        demo.interpolated_blocking(["DEMO.TANK.LEVEL"], "*-30d", "*", "1m", 5)


def test_search_finds_tags_by_wildcard(demo):
    assert [t.name for t in demo.search_blocking("DEMO.*.STATE", 10, 5)] == ["DEMO.PUMP.STATE"]
    assert len(demo.search_blocking("*", 10, 5)) == 5
    assert demo.search_blocking("boiler", 10, 5)[0].path == "\\\\DEMO\\DEMO.BOILER.TEMP"
