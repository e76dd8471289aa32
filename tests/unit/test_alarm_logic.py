"""Alarm conditions, deadband, minimum duration, acknowledgement and shelving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
