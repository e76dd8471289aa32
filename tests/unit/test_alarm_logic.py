"""Alarm conditions, deadband, minimum duration, acknowledgement and shelving."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from app.core.alarms import (
    AlarmRule,
    AlarmState,
    acknowledge,
    check_template,
    cleared_text,
    evaluate,
    parse_duration,
    raised_text,
    shelve,
)
from app.core.values import PiValue

T0 = datetime(2026, 3, 2, 3, 42, tzinfo=UTC)
DRUM = AlarmRule(12, "Drum pressure", "above", high=45.0, deadband=0.5, min_duration_s=60,
                 units="bar", severity="critical")


def value(v, at=T0, **kw) -> PiValue:
    return PiValue("DRUM.PRESS", at, v, "bar", **kw)


def run(rule, readings):
    state, events = AlarmState(), []
    for at, reading in readings:
        state, new = evaluate(rule, state, reading, at)
        events += new
    return state, events


def test_a_value_over_the_limit_raises_only_after_the_minimum_duration():
    state, events = run(DRUM, [(T0, value(46.2)), (T0 + timedelta(seconds=30), value(46.0))])
    assert state.phase == "pending" and events == []
    state, events = evaluate(DRUM, state, value(46.1), T0 + timedelta(seconds=61))
    assert state.phase == "active" and [e.kind for e in events] == ["raised"]
    text = raised_text(events[0], UTC)
    assert text == "🔴 #12 Drum pressure HIGH 46.1 bar > 45 since 03:42 — reply *ack 12*"


def test_a_short_spike_does_not_raise():
    _, events = run(DRUM, [(T0, value(46.0)), (T0 + timedelta(seconds=20), value(44.0)),
                           (T0 + timedelta(seconds=90), value(44.0))])
    assert events == []


def test_the_deadband_keeps_a_hovering_value_from_flapping():
    readings = [(T0 + timedelta(seconds=s), value(v)) for s, v in
                [(0, 45.5), (61, 45.5), (120, 44.8), (180, 45.2), (240, 44.4)]]
    state, events = run(DRUM, readings)
    assert [e.kind for e in events] == ["raised", "cleared"]
    assert events[1].at == T0 + timedelta(seconds=240)
    assert cleared_text(events[1]) == "✅ #12 Drum pressure cleared (44.4 bar)"


def test_outside_a_band_below_and_bad_and_stale_and_states():
    band = AlarmRule(3, "Level", "outside", high=80, low=20)
    assert [e.why for e in run(band, [(T0, value(12.0))])[1]] == ["LOW 12 bar < 20"]
    bad = AlarmRule(4, "Flow", "bad")
    assert [e.why for e in run(bad, [(T0, value(None, system_state="I/O Timeout"))])[1]] == [
        "I/O Timeout"]
    stale = AlarmRule(5, "Temp", "stale", stale_minutes=15)
    _, events = run(stale, [(T0 + timedelta(minutes=20), value(180.0, at=T0))])
    assert [e.why for e in events] == ["no new value for 20 min"]
    pump = AlarmRule(6, "Pump", "equals", state_name="Tripped")
    assert len(run(pump, [(T0, value("Tripped", digital=True))])[1]) == 1
    assert run(pump, [(T0, value("Running", digital=True))])[1] == []


def test_a_bad_value_neither_raises_nor_clears_a_limit_alarm():
    state, _ = run(DRUM, [(T0, value(46.0)), (T0 + timedelta(seconds=61), value(46.0))])
    state, events = evaluate(DRUM, state, value(None, system_state="I/O Timeout"),
                             T0 + timedelta(seconds=90))
    assert state.phase == "active" and events == []


def test_acknowledge_once_and_shelving_silences_until_it_ends():
    state, _ = run(DRUM, [(T0, value(46.0)), (T0 + timedelta(seconds=61), value(46.0))])
    state, refusal = acknowledge(state, "Budi")
    assert refusal is None and state.acknowledged_by == "Budi"
    assert acknowledge(state, "Sari")[1] == "Already acknowledged by Budi."
    assert acknowledge(AlarmState(), "Sari")[1] == "That alarm is not active."

    quiet = shelve(AlarmState(), T0 + timedelta(hours=2))
    quiet, events = run_from(quiet, [(T0, value(46.0)), (T0 + timedelta(minutes=2), value(46))])
    assert quiet.phase == "active" and events == []
    later, events = evaluate(DRUM, quiet, value(44.0), T0 + timedelta(hours=3))
    assert later.phase == "normal" and later.shelved_until is None and events == []


def run_from(state, readings):
    events = []
    for at, reading in readings:
        state, new = evaluate(DRUM, state, reading, at)
        events += new
    return state, events


def test_rule_problems_and_durations_people_type():
    assert AlarmRule(1, "x", "outside", high=10, low=20).problems() == [
        "The low limit must be below the high limit."]
    assert AlarmRule(1, "x", "above").problems() == ["Give the high limit."]
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("1 d".replace(" ", "")) == timedelta(days=1)
    assert parse_duration("90") == timedelta(minutes=90)
    assert parse_duration("soon") is None


def test_an_alarm_raised_while_shelved_is_told_when_the_shelf_time_ends():
    quiet = shelve(AlarmState(), T0 + timedelta(minutes=30))
    quiet, events = run_from(quiet, [(T0, value(46.0)), (T0 + timedelta(minutes=2), value(46))])
    assert events == []
    state, events = evaluate(DRUM, quiet, value(46.3), T0 + timedelta(minutes=31))
    assert [e.kind for e in events] == ["raised"] and state.notified
    _, events = evaluate(DRUM, state, value(44.0), T0 + timedelta(minutes=40))
    assert [e.kind for e in events] == ["cleared"]


def test_the_alarm_messages_speak_indonesian_for_a_plant_that_moved_over():
    from datetime import UTC, datetime

    from app.core.alarms import AlarmEvent, AlarmRule, cleared_text, raised_text

    rule = AlarmRule(number=0, name="Tekanan drum", condition="above", high=45.0)
    raised = AlarmEvent("raised", rule, datetime(2026, 3, 1, 10, 42, tzinfo=UTC),
                        "46.2 bar", "HIGH 46.2 bar > 45")
    assert raised_text(raised, UTC, number=12, lang="id") == (
        "🟠 #12 Tekanan drum HIGH 46.2 bar > 45 sejak 10:42 — balas *ack 12*")
    assert raised_text(raised, UTC, number=12, lang="id", late=True).endswith(
        "(terkirim terlambat: bot sedang offline)")
    cleared = AlarmEvent("cleared", rule, raised.at, "43.9 bar", "")
    assert cleared_text(cleared, number=12, lang="id") == (
        "✅ #12 Tekanan drum normal kembali (43.9 bar)")
    custom = raised_text(raised, UTC, number=12, template="ALARM {name}: {value} [#{number}]")
    assert custom == "ALARM Tekanan drum: 46.2 bar [#12]"


def test_a_custom_message_must_carry_the_hash_number():
    assert check_template("{name}: {why} — reply ack {number}") == [
        "The message must contain #{number}: people reply with that number (ack 12), and "
        "the bot finds the alarm by it."]
    assert check_template("{icon} #{number} {name}: {why}") == []


# -- limits at their edges, bad and odd values ---------------------------------------------------

PLAIN = AlarmRule(1, "Drum pressure", "above", high=45.0, units="bar")  # no deadband, no wait
LOW = AlarmRule(2, "Feed flow", "below", low=20.0, deadband=0.5, units="t/h")


def kinds(rule, readings, state=None):
    state = state or AlarmState()
    out = []
    for at, reading in readings:
        state, events = evaluate(rule, state, reading, at)
        out += [e.kind for e in events]
    return state, out


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_rule_without_a_deadband_clears_as_soon_as_the_value_is_back():
    state, told = kinds(PLAIN, [(at(0), value(46.0)), (at(10), value(44.9))])
    assert told == ["raised", "cleared"] and state.phase == "normal"


def test_a_value_on_the_limit_is_not_over_it_and_the_deadband_edge_clears():
    assert kinds(PLAIN, [(at(0), value(45.0))])[1] == []
    assert kinds(LOW, [(at(0), value(20.0))])[1] == []
    # Active, exactly the deadband back inside the limit: cleared.
    assert kinds(DRUM, [(at(0), value(46.0)), (at(61), value(46.0)), (at(70), value(44.5))])[1] \
        == ["raised", "cleared"]
    assert kinds(LOW, [(at(0), value(19.0)), (at(10), value(20.5))])[1] == ["raised", "cleared"]
    assert kinds(LOW, [(at(0), value(19.0)), (at(10), value(20.4))])[1] == ["raised"]


def test_a_bad_quality_number_does_not_raise_a_limit_alarm():
    for reading in (value(46.0, good=False), value(46.0, system_state="I/O Timeout"),
                    value(46.0, error="The tag could not be read."), value(None)):
        state, told = kinds(PLAIN, [(at(0), reading)])
        assert (state.phase, told) == ("normal", []), reading
    low_state, told = kinds(LOW, [(at(0), value(0.0, system_state="I/O Timeout"))])
    assert (low_state.phase, told) == ("normal", [])


def test_a_text_or_a_yes_no_value_neither_raises_nor_clears_a_limit_alarm():
    assert kinds(PLAIN, [(at(0), value("Calibrating")), (at(5), value(True))])[1] == []
    state, told = kinds(PLAIN, [(at(0), value(46.0)), (at(10), value("Calibrating"))])
    assert (state.phase, told, state.last_value) == ("active", ["raised"], "Calibrating bar")


def test_a_limit_the_condition_does_not_use_is_ignored():
    # A rule switched from "outside" to one side keeps the other limit in its settings.
    below = AlarmRule(3, "Level", "below", high=80.0, low=20.0)
    above = AlarmRule(4, "Level", "above", high=80.0, low=20.0)
    assert kinds(below, [(at(0), value(90.0))])[1] == []
    assert kinds(above, [(at(0), value(10.0))])[1] == []


def test_a_digital_state_alarm_keeps_its_phase_through_a_system_state():
    pump = AlarmRule(6, "Pump", "equals", state_name="Tripped")
    state, told = kinds(pump, [(at(0), value("Tripped", digital=True)),
                               (at(10), value(None, system_state="I/O Timeout")),
                               (at(20), value("Bad", good=False))])
    assert (state.phase, told) == ("active", ["raised"])
    assert state.last_value == "Bad bar"


def test_what_people_see_of_a_value():
    shown = {}
    for name, reading in {"error": value(None, error="The tag could not be read."),
                          "system": value(0.0, system_state="I/O Timeout"),
                          "big": value(100000.0), "int": value(46), "none": value(None),
                          "state": PiValue("PUMP", T0, "Running", "", digital=True)}.items():
        shown[name] = evaluate(PLAIN, AlarmState(), reading, T0)[0].last_value
    assert shown == {"error": "The tag could not be read.", "system": "I/O Timeout",
                     "big": "100000 bar", "int": "46 bar", "none": "", "state": "Running bar"}


def test_stale_counts_from_15_minutes_and_a_fresh_value_is_fine():
    stale = AlarmRule(5, "Temp", "stale")
    assert kinds(stale, [(T0 + timedelta(minutes=15), value(180.0))])[1] == []
    assert kinds(stale, [(T0 + timedelta(minutes=15, seconds=30), value(180.0))])[1] == [
        "raised"]
    assert kinds(stale, [(T0, value(180.0))])[1] == []
    _, events = evaluate(stale, AlarmState(), PiValue("T", None, None), T0)
    assert [e.why for e in events] == ["no value at all"]


def test_a_bad_rule_raises_on_bad_quality_and_not_on_a_good_value():
    bad = AlarmRule(4, "Flow", "bad")
    _, events = evaluate(bad, AlarmState(), value(12.0, good=False), T0)
    assert [e.why for e in events] == ["bad value"]
    assert evaluate(bad, AlarmState(), value(12.0), T0)[1] == []


def test_a_shelved_alarm_stays_silent_until_exactly_the_end_of_the_shelf():
    end = T0 + timedelta(minutes=30)
    quiet = shelve(AlarmState(), end)
    state, told = kinds(DRUM, [(at(0), value(46.0)), (at(120), value(46.0)),
                               (at(600), value(46.5))], quiet)
    assert (state.phase, told) == ("active", [])
    state, told = kinds(DRUM, [(end, value(46.5))], state)
    assert told == ["raised"] and state.shelved_until is None


def test_rule_problems_name_each_bad_setting():
    assert AlarmRule(1, "x", "outside", high=20, low=20).problems() == [
        "The low limit must be below the high limit."]
    assert AlarmRule(1, "x", "equals", state_name="Tripped").problems() == []
    assert AlarmRule(1, "x", "equals").problems() == ["Give the state name that raises the alarm."]
    negative = ["Deadband and minimum duration cannot be negative."]
    assert AlarmRule(1, "x", "above", high=1, deadband=-1).problems() == negative
    assert AlarmRule(1, "x", "above", high=1, min_duration_s=-1).problems() == negative


def test_every_unit_people_type_in_a_duration():
    for text, minutes in (("2m", 2), ("2min", 2), ("2mins", 2), ("2minute", 2), ("2minutes", 2),
                          ("2menit", 2), ("2h", 120), ("2hour", 120), ("2hours", 120),
                          ("2j", 120), ("2jam", 120), ("1d", 1440), ("1day", 1440),
                          ("2days", 2880), ("1hari", 1440), ("1.5h", 90)):
        assert parse_duration(text) == timedelta(minutes=minutes), text


def test_rules_states_and_events_cannot_be_changed_by_whoever_receives_them():
    _, [event] = evaluate(PLAIN, AlarmState(), value(46.0), T0)
    for thing, field in ((PLAIN, "high"), (AlarmState(), "phase"), (event, "kind")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(thing, field, None)


def test_a_duration_may_be_a_year_and_a_day_and_not_a_minute_more():
    assert parse_duration("366d") == timedelta(days=366)
    assert parse_duration(f"{366 * 24 * 60 + 1}m") is None


def test_an_empty_custom_message_is_fine_and_an_unmatched_brace_is_named():
    assert check_template("   ") == []
    assert check_template("{name #{number}") == [
        "The message has an unmatched { or }; write {{ and }} for the signs themselves."]


def test_a_number_with_two_points_is_no_duration():
    assert parse_duration("1.5.5h") is None


def test_a_custom_message_without_the_hash_number_is_not_used():
    rule = AlarmRule(12, "Drum pressure", "above", high=45.0)
    _, [event] = evaluate(rule, AlarmState(), value(46.2), T0)
    assert raised_text(event, UTC, template="ALARM {name}: {value}") == raised_text(event, UTC)
    assert raised_text(event, UTC).startswith("🟠 #12 Drum pressure HIGH 46.2 bar > 45")
