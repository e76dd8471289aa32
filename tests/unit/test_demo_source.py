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


def test_a_value_is_the_same_in_a_series_over_an_hour_and_over_months(demo):
    tag = ["DEMO.DRUM.PRESS"]
    hour = demo.interpolated_blocking(tag, "*-1h", "*", "1h", 5)[0].values
    months = demo.interpolated_blocking(tag, "*-2880h", "*", "1h", 5)[0].values
    assert hour[-1] == months[-1] and hour[0] == months[-2]
    numbers = [v.value for v in months]
    assert 35 < min(numbers) < max(numbers) < 48 and len(set(numbers)) > 2800


def test_one_call_computes_a_bounded_number_of_values(demo):
    five = ["DEMO.BOILER.TEMP", "DEMO.TANK.LEVEL", "DEMO.DRUM.PRESS", "DEMO.PUMP.STATE",
            "DEMO.FLOW.FAULT"]
    with pytest.raises(SourceError, match="7205 values is too many: choose a longer interval "
                                          "than 1m"):
        demo.interpolated_blocking(five, "*-1d", "*", "1m", 5)
    recorded = demo.recorded_blocking(five, "*-30d", "*", 100_000, 5)
    assert [len(s.values) for s in recorded] == [600] * 5  # the oldest first, as PI cuts
    assert recorded[0].values[0].timestamp == datetime(2026, 1, 31, 12, 0, tzinfo=UTC)
    chart = demo.plot_blocking(five * 4, "*-1d", "*", 300, 5)
    assert {len(s.values) for s in chart} == {150}


def test_search_finds_tags_by_wildcard(demo):
    assert [t.name for t in demo.search_blocking("DEMO.*.STATE", 10, 5)] == ["DEMO.PUMP.STATE"]
    assert len(demo.search_blocking("*", 10, 5)) == 5
    assert demo.search_blocking("boiler", 10, 5)[0].path == "\\\\DEMO\\DEMO.BOILER.TEMP"
