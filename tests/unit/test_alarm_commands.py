"""The replies people send about alarms, as they type them on a phone: `ack 12`, `ack` quoting
the alarm, `shelve 12 2h reason`, `alarms`, in English or Indonesian, in a group with a mention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.core import alarm_commands
from app.core.alarm_commands import AlarmCommand, parse
from app.core.alarms import parse_duration


@pytest.mark.parametrize(("text", "number", "reason"), [
    ("ack", None, ""),  # replying to (quoting) the alarm message
    ("ack 12", 12, ""),
    ("ACK 12", 12, ""),
    ("Ack #12", 12, ""),
    ("ack: 12", 12, ""),
    ("ack, 12", 12, ""),
    ("acknowledge 7", 7, ""),
    ("  ack   12  ", 12, ""),
    ("!ack 12", 12, ""),
    ("/ack 12", 12, ""),
    ("ack 12 valve closed by field operator", 12, "valve closed by field operator"),
    ("ack #3 sudah dicek", 3, "sudah dicek"),
    ("@6281234567890 ack 12", 12, ""),
    ("@+6281234567890 ack 12 checked", 12, "checked"),
    ("ack @6281234567890 12", 12, ""),
    ("\u200eack 12", 12, ""),  # an invisible direction mark a phone keyboard put in front
    ("\ufeff!ack\u200b 4", 4, ""),
])
def test_ack_in_the_forms_people_type(text, number, reason):
    assert parse(text) == AlarmCommand("ack", number, reason=reason)


@pytest.mark.parametrize(("text", "number", "duration", "reason"), [
    ("shelve 12 2h pump maintenance", 12, timedelta(hours=2), "pump maintenance"),
    ("Shelve #12 30m", 12, timedelta(minutes=30), ""),
    ("shelve 12 30min sensor swap", 12, timedelta(minutes=30), "sensor swap"),
    ("shelve 12 90", 12, timedelta(minutes=90), ""),  # a bare number is minutes
    ("shelve 12 1.5h", 12, timedelta(minutes=90), ""),
    ("shelve 12 1d", 12, timedelta(days=1), ""),
    ("shelve 2h", None, timedelta(hours=2), ""),  # quoting the alarm
    ("!shelve 5 45m", 5, timedelta(minutes=45), ""),
    ("/shelve 5 45m", 5, timedelta(minutes=45), ""),
    ("@6281234567890 shelve 5 45m", 5, timedelta(minutes=45), ""),
    ("tunda 12 2j ganti pompa", 12, timedelta(hours=2), "ganti pompa"),
    ("Tunda #7 1hari", 7, timedelta(days=1), ""),
    ("tunda 3 30m", 3, timedelta(minutes=30), ""),
    ("tunda 1j", None, timedelta(hours=1), ""),
])
def test_shelve_in_the_forms_people_type(text, number, duration, reason):
    assert parse(text) == AlarmCommand("shelve", number, duration, reason)


@pytest.mark.parametrize("text", ["alarms", "Alarms", "alarm", "ALARM", "!alarms", "/alarm",
                                  "@6281234567890 alarms", "alarms."])
def test_the_list_of_active_alarms(text):
    assert parse(text) == AlarmCommand("list")


@pytest.mark.parametrize("text", [
    "ack everything is fine",
    "Ack, we know already",
    "acknowledged",
    "ack12",
    "alarms are ringing in unit 2",
    "alarm on the drum again?",
    "hello",
    "demo",
    "please ack 12",
    "!!ack 12",
    "",
    "   ",
    "@6281234567890",
    None,
])
def test_sentences_and_other_messages_are_not_alarm_commands(text):
    assert parse(text) is None


@pytest.mark.parametrize(("text", "number"), [
    ("shelve", None),
    ("shelve 12", 12),
    ("shelve 12 soon", 12),
    ("shelve 12 -2h", 12),
    ("shelve 12 2x", 12),
    ("shelve 12 h", 12),
    ("shelve 12 two hours", 12),
    ("shelve everything for now", None),
    ("tunda 12 besok", 12),
    ("tunda", None),
])
def test_a_shelve_without_a_readable_duration_is_a_usage_error(text, number):
    command = parse(text)
    assert command is not None and command.verb == "shelve"
    assert command.usage_error
    assert command.number == number
    assert command.duration is None


@pytest.mark.parametrize("text", ["ack 12.", "ack 12, on it"])
def test_punctuation_after_the_number_still_acknowledges(text):
    command = parse(text)
    assert command is not None and command.verb == "ack" and command.number == 12


@pytest.mark.parametrize(("text", "duration"), [
    ("tunda 12 2 jam perbaikan", timedelta(hours=2)),
    ("shelve 12 2 h repair", timedelta(hours=2)),
])
def test_a_duration_with_a_space_before_its_unit(text, duration):
    command = parse(text)
    assert command is not None and command.duration == duration
    assert command.reason in ("perbaikan", "repair")


def test_numbers_too_long_get_a_plain_answer_not_an_error():
    assert alarm_commands.parse("ack 99999999999999999999") is None
    shelve = alarm_commands.parse("shelve 1 99999999999d")
    assert shelve is not None and shelve.usage_error
    assert parse_duration("99999999999d") is None and parse_duration("400d") is None
