"""PI Web API's values as the bot reads them: the times in PI's own form are read at once, to
the same moment the general time reader gives, and a value's error is told only when it has
one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.pi_time import parse_timestamp_text
from app.sources.pi.decode import decode_value, parse_pi_timestamp


@pytest.mark.parametrize("text", [
    "2025-10-30T06:00:00.1234567Z",  # PI Web API: seven fractional digits
    "2025-10-30T06:00:00Z",
    "2025-10-30T06:00:00.9999999Z",  # cut to microseconds, never rounded into the next second
    "2024-02-29T23:59:59.0000001Z",
    "2025-10-30T06:00:00.123456Z",
    "2025-10-30t06:00:00.1234567z",
    "2025-10-30T06:00:00,1234567Z",
    "2025-10-30T06:00:00.123456xZ",
    "2025-13-30T06:00:00.1234567Z",  # no 13th month
    "2025-02-29T06:00:00Z",  # not a leap year
    "2025-10-30T24:00:00Z",
    "2025-W44-1T06:00:00Z",
    "2025-10-30T06:00:00+07:00",
    " 2025-10-30T06:00:00Z",
    "30-Oct-25 06:00:00",
])
def test_a_pi_time_reads_as_the_general_reader_reads_it(text):
    assert parse_pi_timestamp(text) == parse_timestamp_text(text, UTC)
    fast, general = parse_pi_timestamp(text), parse_timestamp_text(text, UTC)
    assert (fast is None) == (general is None)
    if fast is not None:
        assert fast.utcoffset() == general.utcoffset()


def test_pi_web_api_times_are_utc_to_the_microsecond():
    assert parse_pi_timestamp("2025-10-30T06:00:00.9999999Z") == datetime(
        2025, 10, 30, 6, 0, 0, 999999, tzinfo=UTC)
    assert parse_pi_timestamp("2025-02-29T06:00:00Z") is None


def test_a_value_tells_its_error_only_when_it_has_one():
    clean = decode_value("T1", {"Timestamp": "2025-10-30T06:00:00Z", "Value": 41.5,
                                "Good": True})
    assert clean.value == 41.5 and clean.error is None and clean.good
    missing = decode_value("T1", {"Timestamp": "2025-10-30T06:00:00Z", "Value": None,
                                  "Errors": ["Point not found."]})
    assert missing.error == "Unknown PI tag 'T1'."
    failed = decode_value("T1", {"Value": None, "Message": "Read failed."})
    assert failed.error == "PI could not read 'T1': Read failed."
    assert not failed.good
