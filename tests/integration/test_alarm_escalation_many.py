"""Escalation of many open events at once: each one's record says its second level was told,
to whom and why, as for a single event, though they are written together; an event raised
while its alarm was shelved is active on record once it is told. Against the PI Web API double
and a real SQLite file."""

from __future__ import annotations

import datetime as dt

from app.db.models import AlarmEventRow
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarm_acks, alarms, config_io
from tests.helpers.alarms import GROUP, cycle, make_alarm, texts
from tests.integration.test_alarm_scale import tag_name

OPEN = 620  # more than one statement's worth (500)


def test_every_open_event_escalates_and_its_record_says_so(plant, admin, pi_server, clock):
    for n in range(OPEN):
        pi_server.add_tag(tag_name(n), 105.0, units="bar")
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Boiler", "jid": GROUP, "allowed": True, "tags": []}], "alarms": [
        {"name": f"Alarm {n:04d}", "kind": "pi", "data_source": "PI Plant", "tag": tag_name(n),
         "config": {"condition": "above", "high": 100.0, "units": "bar", "interval_s": 10,
                    "recipients": [{"groups": [GROUP]},
                                   {"after_min": 15, "groups": [GROUP]}]}}
        for n in range(OPEN)]})
    engine = AlarmEngine(SourcePool(), clock=clock)
    raised = cycle(engine, clock, pi_server, None)
    assert sum(e["kind"] == "raised" for e in raised.events) == OPEN
    acked = alarms.find_alarm("Alarm 0007")["event_id"]
    AlarmEventRow.update(acknowledged_by="Budi").where(AlarmEventRow.id == acked).execute()
    for _ in range(3):  # 14.5 minutes on: nobody acknowledged the others, not yet due
        cycle(engine, clock, pi_server, None, seconds=290)
    assert len(texts(GROUP)) == 1
    escalated = cycle(engine, clock, pi_server, None, seconds=30)
    assert escalated.events == []  # nothing raised or cleared: only told further
    assert len(texts(GROUP)) == 2  # the raise, then the escalation of the others: one each
    assert texts(GROUP)[1].count("not acknowledged for 15 min") == OPEN - 1
    rows = {r.id: r for r in AlarmEventRow.select()}
    assert len(rows) == OPEN
    for number, row in rows.items():
        told = [h for h in row.history if h["what"] in ("sent", "escalated")]
        if number == acked:
            assert row.escalation_level == 0 and len(told) == 1
            continue
        assert row.escalation_level == 1 and row.state == "active"
        sent, again = told
        assert (sent["level"], again["level"]) == (1, 2)
        assert again["to"] == "Boiler" and again["chats"] == [GROUP]
        assert again["because"] == "not acknowledged"
        assert dt.datetime.fromisoformat(again["at"]) > dt.datetime.fromisoformat(sent["at"])
    # Escalated, nothing more to do: the next cycle tells nobody.
    cycle(engine, clock, pi_server, None)
    assert len(texts(GROUP)) == 2


def test_an_alarm_raised_while_shelved_is_told_and_active_on_record_once_the_shelf_ends(
        plant, admin, pi_server, clock):
    make_alarm(admin, plant)
    engine = AlarmEngine(SourcePool(), clock=clock)
    cycle(engine, clock, pi_server, 46.0)
    first = alarms.find_alarm("Drum pressure")["event_id"]
    shelved = alarm_acks.shelve(first, dt.timedelta(minutes=10), "maintenance",
                                alarm_acks.Who("Budi"), now=clock.now)
    assert shelved.ok
    cycle(engine, clock, pi_server, 44.0)  # clears in silence, as it is shelved
    cycle(engine, clock, pi_server, 47.0)  # raised again while shelved: on record only
    again = alarms.find_alarm("Drum pressure")["event_id"]
    assert again != first and AlarmEventRow.get_by_id(again).state == "shelved"
    assert len(texts(GROUP)) == 1
    for _ in range(3):  # the shelf ends while it is still high
        cycle(engine, clock, pi_server, None, seconds=250)
    assert len(texts(GROUP)) == 2 and f"#{again} Drum pressure HIGH 47 bar" in texts(GROUP)[1]
    row = AlarmEventRow.get_by_id(again)
    assert row.state == "active" and row.notified_at is not None
    assert [h["what"] for h in row.history][-1] == "sent"
