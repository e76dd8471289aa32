"""Reply rendering: what a plant engineer reads on the phone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from app.core.message_split import split_message
from app.core.render import (
    error_line,
    format_number,
    format_when,
    render_current,
    render_group,
    render_rows,
    render_series,
    render_summary,
    render_text,
    value_line,
)
from app.core.values import PiSeries, PiValue

WIB = timezone(timedelta(hours=7))  # Western Indonesia Time, the plants' zone
NOW = datetime(2025, 10, 30, 3, 42, tzinfo=UTC)  # 10:42 in WIB
FRESH = NOW - timedelta(minutes=2)  # 10:40 WIB


def line(value: PiValue, label: str = "Drum pressure", decimals: int | None = 1,
         lang: str = "en") -> str:
    return value_line(label, value, decimals, WIB, lang, now=NOW)


# -- numbers and times ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (41.7234, 1, "41.7"),
    (41.75, 0, "42"),
    (5, 2, "5.00"),
    (41.7234, None, "41.72"),
    (0.000123456, None, "0.0001235"),
    (1234567.891, None, "1234568"),  # no thousands separator, no exponent
    (1e20, None, "100000000000000000000"),
    (3.0, None, "3"),
    (0.0, None, "0"),
    (-0.04, 1, "0.0"),  # never "-0.0"
    (-12.345, 2, "-12.35"),
    (7, None, "7"),
    (float("nan"), 1, "NaN"),
])
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_times_are_local_and_short_today():
    assert format_when(FRESH, WIB, "en", NOW) == "10:40"
    # 23:00 UTC yesterday is already today in Indonesia.
    assert format_when(datetime(2025, 10, 29, 23, 0, tzinfo=UTC), WIB, "en", NOW) == "06:00"
    assert format_when(datetime(2025, 10, 28, 3, 0, tzinfo=UTC), WIB, "en", NOW) == "28 Oct 10:00"
    assert format_when(datetime(2025, 10, 28, 3, 0, tzinfo=UTC), WIB, "id", NOW) == "28 Okt 10:00"
    assert format_when(datetime(2024, 12, 31, 3, 0, tzinfo=UTC), WIB, "en", NOW) == (
        "31 Dec 2024 10:00")


def test_today_is_that_of_the_zone_asked_for_reply_after_reply():
    # 00:30 on 31 Oct in Indonesia, still 30 Oct in UTC: the same moment, two todays.
    late = datetime(2025, 10, 30, 17, 30, tzinfo=UTC)
    before_midnight_wib = datetime(2025, 10, 30, 16, 45, tzinfo=UTC)  # 23:45 WIB on 30 Oct
    for _ in range(2):
        assert format_when(before_midnight_wib, WIB, "en", late) == "30 Oct 23:45"
        assert format_when(before_midnight_wib, UTC, "en", late) == "16:45"
    values = [PiValue("A", before_midnight_wib, 1.0), PiValue("B", late, 2.0)]
    assert render_current("", values, None, 1, WIB, "en", now=late).splitlines() == [
        "• A: *1.0* · 30 Oct 23:45", "• B: *2.0* · 00:30"]
    assert render_current("", values, None, 1, UTC, "en", now=late).splitlines() == [
        "• A: *1.0* · 16:45", "• B: *2.0* · 17:30"]


# -- one value, every shape -----------------------------------------------------------------------


def test_a_number_with_units_decimals_and_local_time():
    assert line(PiValue("DRUM", FRESH, 41.7234, "bar")) == "• Drum pressure: *41.7 bar* · 10:40"


def test_a_number_without_units():
    assert line(PiValue("X", FRESH, 12.0, ""), "Count", 0) == "• Count: *12* · 10:40"


def test_a_digital_state_shows_its_name_and_is_not_stale_when_old():
    old = NOW - timedelta(days=3)
    assert line(PiValue("PUMP", old, "Running", digital=True), "Feed pump") == (
        "• Feed pump: *Running* · 27 Oct 10:42")


def test_a_system_state_is_bad_and_never_a_number():
    value = PiValue("FLOW", FRESH, 0.0, "t/h", good=False, system_state="I/O Timeout")
    assert line(value, "Steam flow") == "• Steam flow: ✖ I/O Timeout · 10:40"


def test_a_bad_value_without_a_state_name():
    text = line(PiValue("FLOW", FRESH, 12.5, "t/h", good=False), "Steam flow")
    assert text == "• Steam flow: ✖ bad value · 10:40"
    assert "12.5" not in text
    assert "✖ nilai tidak valid" in line(PiValue("F", FRESH, 1.0, good=False), lang="id")


def test_an_error_is_a_sentence():
    value = PiValue("X", None, None, error="Unknown tag X on PI01.")
    assert line(value, "X") == "• X: ✖ Unknown tag X on PI01."


@pytest.mark.parametrize(("flags", "en", "id_"), [
    ({"questionable": True}, "questionable", "diragukan"),
    ({"substituted": True}, "substituted", "nilai pengganti"),
])
def test_questionable_and_substituted_are_marked(flags, en, id_):
    value = PiValue("DRUM", FRESH, 41.7, "bar", **flags)
    assert line(value) == f"• Drum pressure: *41.7 bar* · 10:40 ⚠ {en}"
    assert line(value, lang="id").endswith(f"⚠ {id_}")


def test_a_stale_value_is_marked_and_shows_its_date():
    value = PiValue("DRUM", NOW - timedelta(hours=3), 41.7, "bar")
    assert line(value) == "• Drum pressure: *41.7 bar* · 30 Oct 07:42 ⚠ stale"
    assert line(value, lang="id") == "• Drum pressure: *41.7 bar* · 30 Okt 07:42 ⚠ data lama"
    recent = value_line("D", value, 1, WIB, "en", now=NOW, stale_after=timedelta(hours=4))
    assert "stale" not in recent


def test_several_marks_are_listed_once():
    value = PiValue("D", NOW - timedelta(days=1), 1.0, "", questionable=True, substituted=True)
    assert line(value, "D").endswith("⚠ questionable, substituted, stale")


def test_a_string_value_is_shown_as_it_is_on_one_line():
    value = PiValue("NOTE", FRESH, "Shift B on duty\nall well")
    assert line(value, "Note") == "• Note: *Shift B on duty all well* · 10:40"


def test_no_value_at_all():
    assert line(PiValue("D", FRESH, None)) == "• Drum pressure: no value · 10:40"


# -- current values, summaries, series ------------------------------------------------------------


def test_render_current_uses_labels_and_short_tag_names():
    values = [
        PiValue("\\\\PI01\\BLR1.DRUM.PV", FRESH, 41.72, "bar"),
        PiValue("\\\\PI01\\BLR1.TEMP.PV", FRESH, 512.345, "°C"),
    ]
    text = render_current("Boiler 1", values, {"\\\\PI01\\BLR1.DRUM.PV": "Drum pressure"},
                          {"BLR1.TEMP.PV": 0}, WIB, "en", now=NOW)
    assert text == ("*Boiler 1*\n"
                    "• Drum pressure: *41.72 bar* · 10:40\n"
                    "• BLR1.TEMP.PV: *512 °C* · 10:40")


def test_render_current_with_nothing():
    assert render_current("Boiler 1", [], {}, None, WIB, "id") == "*Boiler 1*\nTidak ada nilai."


def test_a_title_cannot_break_the_bold():
    assert render_current("*Boiler* 1\n", [], {}, None, WIB, "en").startswith("*Boiler 1*\n")


def test_render_summary_one_type():
    summaries = {"DRUM": {"Average": PiValue("DRUM", NOW, 41.234, "bar")},
                 "TEMP": {"Average": PiValue("TEMP", NOW, None, error="No values in range.")}}
    text = render_summary("Shift", summaries, {"DRUM": "Drum pressure"}, 1, WIB, "id",
                          "30 Okt 02:00", "30 Okt 10:00", now=NOW)
    assert text == ("*Shift*\n"
                    "Dari 30 Okt 02:00 sampai 30 Okt 10:00\n"
                    "• Drum pressure (Rata-rata): *41.2 bar*\n"
                    "• TEMP: ✖ No values in range.")


def test_render_summary_several_types_show_when_an_extreme_happened():
    summaries = {"DRUM": {
        "Average": PiValue("DRUM", NOW - timedelta(hours=8), 41.2, "bar"),
        "Maximum": PiValue("DRUM", NOW - timedelta(hours=3), 45.0, "bar"),
    }}
    text = render_summary("Shift", summaries, {}, 1, WIB, "en", "*-8h", "*", now=NOW)
    assert text.splitlines() == [
        "*Shift*",
        "From ```*-8h``` to ```*```",  # PI times must not switch bold on
        "*DRUM*",
        "• Average: *41.2 bar*",  # a summary is never marked stale
        "• Maximum: *45.0 bar* · 07:42",
    ]


def _series(count: int) -> PiSeries:
    values = [PiValue("DRUM", NOW - timedelta(minutes=10 * i), 40 + i / 4, "bar")
              for i in reversed(range(count))]  # oldest first, as sources return them
    return PiSeries("DRUM", "bar", values)


def test_render_series_shows_the_newest_points_and_counts_the_rest():
    text = render_series("Drum trend", [_series(30)], {"DRUM": "Drum pressure"}, 2, WIB, "en",
                         max_points=3, now=NOW)
    assert text == ("*Drum trend*\n\n"
                    "*Drum pressure* (bar)\n"
                    "```\n"
                    "10:42  40.00\n"
                    "10:32  40.25\n"
                    "10:22  40.50\n"
                    "```\n"
                    "…and 27 more")


def test_render_series_errors_bad_points_and_empty_series():
    broken = PiSeries("FLOW", "t/h", [
        PiValue("FLOW", NOW, None, good=False, system_state="I/O Timeout"),
        PiValue("FLOW", NOW - timedelta(minutes=1), 3.5, questionable=True),
    ])
    text = render_series("T", [broken, PiSeries("X", error="Unknown tag X."), PiSeries("Y")],
                         {}, 1, WIB, "id", now=NOW)
    assert "10:42  ✖ I/O Timeout" in text
    assert "10:41          3.5 ⚠" in text  # right-aligned under "✖ I/O Timeout"
    assert "• X: ✖ Unknown tag X." in text
    assert "• Y: Tidak ada nilai." in text
    assert "lainnya" not in text


# -- SQL rows -------------------------------------------------------------------------------------


def test_rows_are_an_aligned_table_with_numbers_on_the_right():
    rows = [(1, "BLR1.DRUM", 41.5, datetime(2025, 10, 30, 10, 1)),
            (12, "TK2", 3.25, datetime(2025, 10, 30, 10, 2)),
            (123, None, Decimal("7"), None)]
    text = render_rows("Alarms", ["id", "tag", "value", "at"], rows, False, None, "en")
    assert text.splitlines() == [
        "*Alarms*",
        "```",
        " id  tag        value  at",
        "---  ---------  -----  ----------------",
        "  1  BLR1.DRUM  41.50  2025-10-30 10:01",
        " 12  TK2         3.25  2025-10-30 10:02",
        "123              7.00",
        "```",
    ]


def test_a_blank_cell_keeps_a_number_column_on_the_right_and_text_on_the_left():
    rows = [("FT101", 12.5), ("FT7", None), ("FT20", 3.25)]
    text = render_rows("Flows", ["tag", "flow"], rows, False, None, "en")
    assert text.splitlines() == [
        "*Flows*",
        "```",
        "tag     flow",
        "-----  -----",
        "FT101  12.50",
        "FT7",
        "FT20    3.25",
        "```",
    ]


def test_long_cells_are_cut_and_lines_stay_in_one_cell():
    rows = [("x" * 100, "a\nb"), ("short", "```c")]
    text = render_rows("T", ["text", "note"], rows, False, None, "en")
    assert "x" * 23 + "…" in text and "x" * 25 not in text
    assert "a b" in text
    assert text.count("```") == 2  # a fence inside a cell cannot end the block


def test_more_rows_than_shown():
    rows = [(i, f"tag{i}") for i in range(25)]
    text = render_rows("T", ["id", "tag"], rows, False, None, "en")
    assert text.endswith("```\n…and 5 more")
    assert "tag19" in text and "tag20" not in text
    assert render_rows("T", ["id"], rows[:21], True, 120, "id", max_rows=20).endswith(
        "…dan 100 lainnya")
    # The source stopped at max_rows + 1 and does not know how many there were.
    assert render_rows("T", ["id"], rows[:21], True, None, "en").endswith("```\n…and more")


def test_ten_thousand_rows_still_make_a_short_message():
    rows = [(i, f"TAG{i:05d}", i * 0.5, datetime(2025, 10, 30, 10, i % 60)) for i in range(10_000)]
    text = render_rows("Everything", ["id", "tag", "value", "at"], rows, False, None, "en")
    assert len(text) < 2000
    assert split_message(text, "en") == [text]
    assert text.endswith("…and 9980 more")


def test_no_rows():
    assert render_rows("Alarms", ["id"], [], False, None, "en") == "*Alarms*\nNo rows."
    assert render_rows("Alarms", ["id"], [], False, None, "id") == "*Alarms*\nTidak ada baris data."


def test_one_row_reads_as_a_list():
    text = render_rows("Count", ["alarms", "since", "note"],
                       [(42, date(2025, 10, 30), None)], False, None, "en")
    assert text == "*Count*\n• alarms: 42\n• since: 2025-10-30\n• note: -"


def test_datetimes_with_seconds_keep_them_and_aware_ones_are_local():
    rows = [(datetime(2025, 10, 30, 3, 0, 5, tzinfo=UTC),), (datetime(2025, 10, 30, 3, 1),)]
    text = render_rows("T", ["at"], rows, False, None, "en", zone=WIB)
    assert "2025-10-30 10:00:05" in text  # aware: shown in the plant's zone
    assert "2025-10-30 03:01:00" in text  # naive: the database's own clock, as it is


# -- text, errors, groups -------------------------------------------------------------------------


def test_text_error_and_group():
    assert render_text("Roster", "Shift A: Budi") == "*Roster*\nShift A: Budi"
    assert render_text("", "plain") == "plain"
    assert error_line("flow", "PI01 did not answer within 10 s.") == (
        "✖ flow: PI01 did not answer within 10 s.")
    text = render_group("Data Alarms", ["*temp*\n• a: *1*", error_line("flow", "failed.")],
                        1, 2, "id")
    assert text == ("*Data Alarms*\n\n*temp*\n• a: *1*\n\n✖ flow: failed.\n\n"
                    "_1 dari 2 terjawab_")


# -- edges a reader would notice ------------------------------------------------------------------


def test_odd_numbers_read_as_plain_digits():
    assert (format_number(True), format_number(False)) == ("1", "0")
    assert (format_number(float("inf")), format_number(float("-inf"))) == ("∞", "-∞")
    assert format_number(1.0, 20) == "1.000000000000"  # at most 12 places
    assert format_number(1.5e-12) == "0.000000000002"


def test_a_time_is_shown_in_the_plant_zone_whatever_zone_it_came_in():
    in_wib = datetime(2025, 10, 30, 10, 40, tzinfo=WIB)
    assert format_when(in_wib, WIB, "en", NOW) == "10:40"
    assert format_when(None, WIB, "en", NOW) == ""


def test_a_value_is_stale_after_more_than_an_hour():
    fresh = PiValue("DRUM.PRESS", NOW - timedelta(hours=1), 41.7, "bar")
    old = PiValue("DRUM.PRESS", NOW - timedelta(hours=1, minutes=1), 41.7, "bar")
    assert "stale" not in line(fresh)
    assert "stale" in line(old)


def test_recorded_values_of_a_digital_tag_show_its_state_names():
    pump = PiSeries("PUMP1.STATE", "", [
        PiValue("PUMP1.STATE", NOW - timedelta(minutes=20), "Running", digital=True),
        PiValue("PUMP1.STATE", NOW - timedelta(minutes=10), "Tripped", digital=True),
        PiValue("PUMP1.STATE", NOW, 1, digital=True),
    ])
    text = render_series("Pump 1", [pump], {}, 1, WIB, "en", now=NOW)
    assert text == ("*Pump 1*\n\n*PUMP1.STATE*\n```\n"
                    "10:42        1\n"
                    "10:32  Tripped\n"
                    "10:22  Running\n```")


def test_series_points_that_are_bad_missing_text_or_unreadable():
    tag = "FLOW"
    series = PiSeries(tag, "t/h", [
        PiValue(tag, NOW, 12.0, good=False),
        PiValue(tag, NOW - timedelta(minutes=1), "Shutdown", good=False),
        PiValue(tag, NOW - timedelta(minutes=2), None),
        PiValue(tag, NOW - timedelta(minutes=3), "Calibrating"),
        PiValue(tag, NOW - timedelta(minutes=4), None, error="The point could not be read."),
    ])
    lines = render_series("T", [series], {}, 1, WIB, "en", now=NOW).splitlines()
    assert lines[4:9] == ["10:42                     ✖ bad value",
                          "10:41                      ✖ Shutdown",
                          "10:40                               -",
                          "10:39                     Calibrating",
                          "10:38  ✖ The point could not be read."]


def test_a_series_shows_12_points_and_at_least_one():
    text = render_series("T", [_series(13)], {}, 2, WIB, "en", now=NOW)
    assert text.count("\n10:") + text.count("\n09:") + text.count("\n08:") == 12
    assert text.endswith("…and 1 more")
    assert render_series("T", [_series(3)], {}, 2, WIB, "en", max_points=0, now=NOW).endswith(
        "```\n…and 2 more")


def test_table_cells_of_every_kind():
    rows = [(time(6, 30), time(6, 30, 15), 3.14159265, b"\x00\x01\x02\x03", 1.5),
            (time(7, 0), time(7, 0), 2.5, None, 2)]
    text = render_rows("T", ["shift", "exact", "pi", "blob", "n"], rows, False, None, "en")
    assert text.splitlines()[4:6] == [
        "06:30  06:30:15  3.14159  <4 bytes>  1.5",
        "07:00  07:00:00  2.50000             2.0"]  # a column keeps one time and decimal form


def test_a_cell_of_24_characters_is_whole_and_25_are_cut():
    rows = [("y" * 24, "x" * 25), ("a", "b")]
    text = render_rows("T", ["one", "two"], rows, False, None, "en")
    assert "y" * 24 in text and "x" * 23 + "…" in text and "x" * 24 not in text


def test_one_more_row_is_counted_and_at_least_one_row_is_shown():
    rows = [(i,) for i in range(21)]
    assert render_rows("T", ["id"], rows, False, None, "en").endswith("```\n…and 1 more")
    assert render_rows("T", ["id"], rows[:3], False, None, "en", max_rows=0) == (
        "*T*\n• id: 0\n…and 2 more")


# -- splitting, exactly at the limits -------------------------------------------------------------

# With limit=100 the English "(n/N)" line leaves 94 characters for a part's text (one digit each).


