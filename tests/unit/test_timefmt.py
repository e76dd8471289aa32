"""The three timestamp forms of old databases are read as the same moments; one form is written."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.core.timefmt import format_ts, local_text, parse_ts

MOMENT = datetime(2025, 10, 30, 7, 22, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "stored",
    [
        "2025-10-30 07:22:01",  # SQLite's CURRENT_TIMESTAMP (UTC)
        "2025-10-30T07:22:01.000Z",  # the old code's toISOString()
        "2025-10-30T07:22:01Z",
        "2025-10-30T14:22:01+07:00",
        "2025-10-30T14:22:01+0700",
        "2025-10-30T00:22:01-07:00",
    ],
)
def test_every_stored_form_reads_as_the_same_moment(stored):
    assert parse_ts(stored) == MOMENT


def test_milliseconds_of_the_iso_form_are_kept():
    assert parse_ts("2025-10-30T07:10:05.412Z") == datetime(2025, 10, 30, 7, 10, 5, 412000, UTC)


def test_naive_last_login_is_read_in_the_workstations_zone(local_zone):
    # users.last_login: the old server's local time with milliseconds and no zone.
    local_zone("WIB-7")
    assert parse_ts("2025-10-30 14:22:01.123", None) == datetime(
        2025, 10, 30, 7, 22, 1, 123000, UTC
    )
    local_zone("UTC0")
    assert parse_ts("2025-10-30 14:22:01.123", None) == datetime(
        2025, 10, 30, 14, 22, 1, 123000, UTC
    )


def test_moments_are_ordered_by_time_not_by_text():
    sqlite_form = "2025-10-30 07:22:01"
    iso_form_earlier = "2025-10-30T07:21:00.000Z"
    assert sqlite_form < iso_form_earlier  # compared as text the order would be wrong
    assert parse_ts(iso_form_earlier) < parse_ts(sqlite_form)


@pytest.mark.parametrize(
    "stored", [None, "", "yesterday", "30/10/2025 07:22", "2025-02-30 00:00:00", "2025-13-01",
               "2025-10-30 07:22+01", "2025-10-30 07:22:6x", "2025-10-30 24:00:00"]
)
def test_empty_or_unreadable_values_read_as_no_time(stored):
    assert parse_ts(stored) is None


def test_epoch_seconds_and_milliseconds_are_read():
    # messages.metadata.timestamp holds epoch seconds; JavaScript writes milliseconds.
    assert parse_ts(1761808542) == datetime(2025, 10, 30, 7, 15, 42, tzinfo=UTC)
    assert parse_ts(1761808542123) == datetime(2025, 10, 30, 7, 15, 42, 123000, UTC)


def test_written_form_reads_back_as_the_same_moment():
    moment = datetime(2025, 10, 30, 7, 22, 1, 987654, UTC)
    written = format_ts(moment)
    # New timestamps use SQLite's CURRENT_TIMESTAMP form, UTC, whole seconds.
    assert written == "2025-10-30 07:22:01"
    assert parse_ts(written) == moment.replace(microsecond=0)
    other_zone = moment.astimezone(timezone(timedelta(hours=7)))
    assert format_ts(other_zone) == written


def test_written_form_is_understood_by_sqlite_date_functions():
    # The audit log filters with julianday(): old and new rows must compare inside SQLite too.
    conn = sqlite3.connect(":memory:")
    try:
        row = conn.execute(
            "SELECT datetime(?), julianday(?) = julianday(?)",
            (format_ts(MOMENT), format_ts(MOMENT), "2025-10-30 07:22:01"),
        ).fetchone()
    finally:
        conn.close()
    assert row == ("2025-10-30 07:22:01", 1)


def test_the_written_form_is_read_in_the_zone_given_for_values_without_one(local_zone):
    local_zone("WIB-7")
    assert parse_ts("2025-10-30 14:22:01", None) == MOMENT
    assert parse_ts("2025-10-30 07:22:01") == MOMENT
    assert format_ts(datetime(2025, 10, 30, 14, 22, 1, 999999,
                              timezone(timedelta(hours=7)))) == "2025-10-30 07:22:01"
    assert format_ts(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02 03:04:05"


def test_writing_a_time_without_zone_is_refused():
    with pytest.raises(ValueError):
        format_ts(datetime(2025, 10, 30, 7, 22, 1))


def test_people_see_local_time(local_zone):
    local_zone("WIB-7")
    assert local_text(MOMENT) == "2025-10-30 14:22"
    assert local_text(MOMENT, with_date=False) == "14:22"
    assert local_text(None) == ""
