"""PI time strings and intervals: what PI accepts passes; anything else is named in a sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.core.pi_time import (
    check_interval,
    check_pi_time,
    parse_interval,
    parse_timestamp_text,
    resolve_pi_time,
)
from app.core.sources import SourceError

JAKARTA = ZoneInfo("Asia/Jakarta")
# Thursday 30 October 2025, 14:22 in Jakarta (07:22 UTC).
NOW = datetime(2025, 10, 30, 7, 22, tzinfo=UTC)


def at(text: str, zone=JAKARTA) -> datetime:
    return resolve_pi_time(text, NOW, zone)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


@pytest.mark.parametrize("text", [
    "*", "*-8h", "t", "y", "t+6h", "*-1d+2h", "today", "yesterday", "T", "Y", "*-8H",
    "* - 8h", "*-8 hours", "-8h", "+30m", "*-1.5h", "t-1mo", "y+1y", "*-2w", "*-90s",
    "2025-10-30T06:00", "2025-10-30T06:00:00Z", "2025-10-30T06:00:00.1234567Z",
    "2025-10-30 06:00:00", "2025-10-30T06:00:00+07:00", "2025-10-30",
    "'30-Oct-2025 06:00'", "\"2025-10-30 06:00\"-1h", "30-Oct-25 06:00:00", "30/Oct/2025",
    "Oct 30, 2025", "dec 25", "mon", "Monday", "sun", "jun", "June", "15", "2024",
    "06:00", "6:30 pm", "08:00:00:000", "", "2025/10/30",
])
def test_pi_accepts_these_and_so_do_we(text):
    assert check_pi_time(text) is None


@pytest.mark.parametrize("text", ["abc", "*-8", "8h", "0", "45", "1969", "2025-13-45",
                                  "tomorrow", "*+", "t++6h", "∗-8h"])
def test_garbage_is_refused_with_a_sentence_that_names_it(text):
    with pytest.raises(SourceError) as caught:
        check_pi_time(text)
    assert str(caught.value) == f"'{text}' is not a PI time: use *-8h, t, y or 2025-10-30T06:00"


def test_the_example_sentence_from_the_spec():
    with pytest.raises(SourceError, match=r"^'abc' is not a PI time: use \*-8h, t, y or "
                                          r"2025-10-30T06:00$"):
        check_pi_time("abc")


def test_a_wrong_unit_is_named():
    with pytest.raises(SourceError) as caught:
        check_pi_time("*-8x")
    assert "'x' is not a time unit" in str(caught.value)
    assert "*-8x" in str(caught.value)


def test_fractional_days_are_refused_as_pi_refuses_them():
    with pytest.raises(SourceError, match="fractions are allowed only for seconds, minutes "
                                          "and hours"):
        check_pi_time("*-1.5d")


def test_now_gets_a_hint_towards_the_star():
    with pytest.raises(SourceError, match=r"PI writes now as \*"):
        check_pi_time("now")


def test_a_numeric_date_whose_order_depends_on_the_server_is_refused_as_ambiguous():
    with pytest.raises(SourceError, match="'10/30/2025' is ambiguous.*2025-10-30"):
        check_pi_time("10/30/2025")


def test_relative_times_resolve_in_the_given_zone():
    assert at("*") == NOW
    assert at("*-8h") == NOW - timedelta(hours=8)
    assert at("t") == local(2025, 10, 30)
    assert at("today") == local(2025, 10, 30)
    assert at("y") == local(2025, 10, 29)
    assert at("t+6h") == local(2025, 10, 30, 6)
    assert at("*-1d+2h") == NOW - timedelta(hours=22)
    assert at("-8h") == NOW - timedelta(hours=8)
    assert at("*-1.5h") == NOW - timedelta(minutes=90)


def test_without_a_zone_today_is_midnight_utc():
    assert resolve_pi_time("t", NOW) == datetime(2025, 10, 30, tzinfo=UTC)


def test_names_of_days_and_months_and_bare_numbers():
    assert at("mon") == local(2025, 10, 27)  # the most recent Monday
    assert at("thu") == local(2025, 10, 30)  # today is Thursday
    assert at("fri") == local(2025, 10, 24)
    assert at("jun") == local(2025, 6, 30)  # today's day of the month, in June
    assert at("feb") == local(2025, 2, 28)  # clamped to the month's length
    assert at("dec 25") == local(2025, 12, 25)
    assert at("15") == local(2025, 10, 15)
    assert at("06:00") == local(2025, 10, 30, 6)
    assert at("6:30 pm") == local(2025, 10, 30, 18, 30)


def test_months_and_years_follow_the_calendar():
    assert at("t-1mo") == local(2025, 9, 30)
    assert resolve_pi_time("*-1mo", datetime(2025, 3, 31, tzinfo=UTC)) == datetime(
        2025, 2, 28, tzinfo=UTC)
    assert at("t-1y") == local(2024, 10, 30)
    assert at("t-2w") == local(2025, 10, 16)


def test_days_keep_the_wall_clock_across_a_dst_change():
    berlin = ZoneInfo("Europe/Berlin")  # summer time ended on 26 October 2025
    moment = resolve_pi_time("t-1w", datetime(2025, 10, 30, 12, tzinfo=UTC), berlin)
    assert moment == datetime(2025, 10, 23, tzinfo=berlin)
    assert moment.utcoffset() == timedelta(hours=2)


def test_absolute_dates():
    assert at("2025-10-30T06:00") == local(2025, 10, 30, 6)
    assert at("2025-10-30T06:00:00Z") == datetime(2025, 10, 30, 6, tzinfo=UTC)
    assert at("2025-10-30T06:00Z-8h") == datetime(2025, 10, 29, 22, tzinfo=UTC)
    assert at("30-Oct-25 06:00:00") == local(2025, 10, 30, 6)
    assert at("30/Oct/2025") == local(2025, 10, 30)
    assert at("'30-Oct-2025 06:00'-1h") == local(2025, 10, 30, 5)
    assert at("Oct 30, 2025") == local(2025, 10, 30)


@pytest.mark.parametrize("text, seconds", [
    ("30m", 1800), ("1h", 3600), ("15s", 15), ("1.5h", 5400), ("1d", 86400), ("1w", 604800),
    ("2 days", 172800), ("90 seconds", 90), ("30M", 1800), ("+5m", 300),
])
def test_intervals_in_seconds(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["abc", "0m", "-1h", "1.5d", "m", "", "1x"])
def test_bad_intervals_are_refused_with_their_text(text):
    with pytest.raises(SourceError) as caught:
        parse_interval(text)
    assert f"'{text}'" in str(caught.value)


def test_months_are_pi_intervals_but_have_no_length_in_seconds():
    assert check_interval("1mo") is None
    with pytest.raises(SourceError, match="'1mo' has no fixed length in seconds"):
        parse_interval("1mo")


def test_timestamps_written_by_servers_are_read_in_the_given_zone():
    assert parse_timestamp_text("2025-10-30 06:00:00", JAKARTA) == local(2025, 10, 30, 6)
    assert parse_timestamp_text("30-Oct-25 06:00:00", JAKARTA) == local(2025, 10, 30, 6)
    assert parse_timestamp_text("2025-10-30T06:00:00Z", JAKARTA) == datetime(
        2025, 10, 30, 6, tzinfo=UTC)
    assert parse_timestamp_text("2025-10-30 06:00:00") == datetime(2025, 10, 30, 6, tzinfo=UTC)
    assert parse_timestamp_text("yesterday-ish") is None
