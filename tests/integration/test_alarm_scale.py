"""Alarms at plant scale: 5,000 alarms whose PI server is down cost one request per cycle and
one sentence, not one of each per alarm; a cycle reads and evaluates only the alarms that are
due. Against the PI Web API double and a real SQLite file."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarm_cycle, alarms, config_io
from app.sources.pi import MAX_RETRIES
from tests.helpers.alarms import GROUP, cycle, texts

PLANT = 5000


def tag_name(n: int) -> str:
    return f"UNIT{n // 20:03d}.TAG{n:04d}"


def import_alarms(admin, count: int, interval_s: int = 10, first: int = 0) -> None:
    # The file names the group as an approved one: an alarm nobody can receive is refused.
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Boiler", "jid": GROUP, "allowed": True, "tags": []}], "alarms": [
        {"name": f"Alarm {n:04d}", "kind": "pi", "data_source": "PI Plant", "tag": tag_name(n),
         "config": {"condition": "above", "high": 100.0, "units": "bar",
                    "interval_s": interval_s, "recipients": [{"groups": [GROUP]}]}}
        for n in range(first, first + count)]})


def test_5000_alarms_on_a_pi_server_that_is_down_ask_it_once_per_cycle_and_say_why_once(
        plant, admin, pi_server, clock):
    for n in range(PLANT):
        pi_server.add_tag(tag_name(n), 105.0 if n % 2 else 95.0, units="bar")
    import_alarms(admin, PLANT)
    engine = AlarmEngine(SourcePool(), clock=clock)
    healthy = cycle(engine, clock, pi_server, None)
    assert healthy.evaluated == PLANT and healthy.requests == {"PI Plant": 1}
    assert len(texts(GROUP)) == 1  # 2,500 raised: one message to the group
    # 503: the one batched request, retried as the PI client retries 503 (never per alarm);
    # 500: not retried at all.
    for status, requests in ((503, 1 + MAX_RETRIES), (500, 1)):
        pi_server.forced.clear()
        pi_server.force(status, {"Errors": ["Service Unavailable"]}, times=10**6)
        for _ in range(2):
            pi_server.reset_log()
            report = cycle(engine, clock, pi_server, None)
            assert pi_server.log == [("POST", "/piwebapi/batch")] * requests
            assert len(report.errors) == 1 and report.errors[0].startswith("PI Plant: ")
            assert report.events == [] and report.queued == []
    assert len(texts(GROUP)) == 1  # nothing cleared or raised while PI was down
    reason = report.errors[0].removeprefix("PI Plant: ")
    stored = alarm_cycle.due_alarms(clock.now, force=True)
    assert len(stored) == PLANT
    assert {a["last_error"] for a in stored} == {reason}  # the same sentence on every alarm
    assert {a["last_evaluated_at"] for a in stored} == {clock.now}
    assert sum(a["phase"] == "active" for a in stored) == PLANT // 2  # states kept
    assert len(alarms.dashboard_flags()["unreadable"]) == PLANT


def test_a_cycle_reads_only_the_alarms_that_are_due(plant, admin, pi_server, clock):
    for n in range(3):
        pi_server.add_tag(tag_name(n), 95.0, units="bar")
    import_alarms(admin, 2, interval_s=10)
    import_alarms(admin, 1, interval_s=3600, first=2)  # Alarm 0002, once an hour
    engine = AlarmEngine(SourcePool(), clock=clock)
    first = cycle(engine, clock, pi_server, None)
    assert first.evaluated == 3
    evaluated_at = alarms.find_alarm("Alarm 0002")["last_evaluated_at"]
    pi_server.add_tag(tag_name(2), 150.0, units="bar")  # raises it, once it is read
    for _ in range(3):
        soon = clock.now + dt.timedelta(seconds=10)
        assert [a["name"] for a in alarm_cycle.due_alarms(soon)] == ["Alarm 0000",
                                                                     "Alarm 0001"]
        pi_server.reset_log()
        report = cycle(engine, clock, pi_server, None)
        assert report.evaluated == 2 and report.requests == {"PI Plant": 1}
        assert report.events == []  # the hourly alarm's value was not read
        assert alarms.find_alarm("Alarm 0002")["last_evaluated_at"] == evaluated_at
    clock.advance(seconds=3600)
    assert len(alarm_cycle.due_alarms(clock.now)) == 3
    report = cycle(engine, clock, pi_server, None, seconds=0)
    assert report.evaluated == 3
    assert [e["alarm"] for e in report.events] == ["Alarm 0002"]
    assert "Alarm 0002 HIGH 150 bar" in texts(GROUP)[-1]
    assert alarms.find_alarm("Alarm 0002")["last_evaluated_at"] == clock.now


def test_an_alarm_edited_between_cycles_is_evaluated_as_edited_whoever_edited_it(
        plant, admin, db, pi_server, clock):
    """A warm cycle keeps the alarms' definitions between cycles: an edit here, or by another
    program on the same database file, is still what the next cycle evaluates."""
    for n in range(2):
        pi_server.add_tag(tag_name(n), 95.0, units="bar")
    import_alarms(admin, 2)
    other = sqlite3.connect(db.path)  # another program, as `config import` from a terminal
    with other:
        other.execute("UPDATE alarms SET updated_at = '2026-01-05 08:00:00'")
    engine = AlarmEngine(SourcePool(), clock=clock)
    for _ in range(2):
        assert cycle(engine, clock, pi_server, None).events == []  # 95 bar, under 100
    first = alarms.find_alarm("Alarm 0000")
    alarms.save_alarm(admin, first["id"], name=first["name"], active=True, kind="pi",
                      data_source_id=first["data_source_id"], tag=first["tag"],
                      trigger_id=None, config={**first["config"], "high": 90.0})
    report = cycle(engine, clock, pi_server, None)
    assert [e["alarm"] for e in report.events] == ["Alarm 0000"]
    with other:  # the other program lowers the second one's limit
        config = json.loads(other.execute("SELECT config FROM alarms WHERE name = ?",
                                          ["Alarm 0001"]).fetchone()[0])
        other.execute("UPDATE alarms SET config = ?, updated_at = '2026-01-05 08:00:05' "
                      "WHERE name = ?", [json.dumps({**config, "high": 90.0}), "Alarm 0001"])
    other.close()
    report = cycle(engine, clock, pi_server, None)
    assert [e["alarm"] for e in report.events] == ["Alarm 0001"]
    assert "Alarm 0001 HIGH 95 bar" in texts(GROUP)[-1]


def test_alarms_left_steady_between_cycles_still_raise_and_clear_when_their_values_move(
        plant, admin, db, pi_server, clock):
    """A warm cycle skips evaluating an alarm whose state, rule and value are those its last
    evaluation left as they were (alarms saved long ago: their definitions are kept); a new
    value is evaluated."""
    pi_server.add_tag(tag_name(0), 95.0, units="bar")
    pi_server.add_tag(tag_name(1), 105.0, units="bar")
    import_alarms(admin, 2)
    other = sqlite3.connect(db.path)
    with other:
        other.execute("UPDATE alarms SET updated_at = '2026-01-05 08:00:00'")
    other.close()
    engine = AlarmEngine(SourcePool(), clock=clock)
    assert [e["alarm"] for e in cycle(engine, clock, pi_server, None).events] == ["Alarm 0001"]
    for _ in range(2):
        assert cycle(engine, clock, pi_server, None).events == []
    pi_server.add_tag(tag_name(0), 105.0, units="bar")
    report = cycle(engine, clock, pi_server, None)
    assert [(e["kind"], e["alarm"]) for e in report.events] == [("raised", "Alarm 0000")]
    pi_server.add_tag(tag_name(1), 95.0, units="bar")
    report = cycle(engine, clock, pi_server, None)
    assert [(e["kind"], e["alarm"]) for e in report.events] == [("cleared", "Alarm 0001")]
    stored = {a["name"]: a for a in alarm_cycle.due_alarms(clock.now, force=True)}
    assert stored["Alarm 0000"]["phase"] == "active" and stored["Alarm 0001"]["phase"] == "normal"
    assert {a["last_evaluated_at"] for a in stored.values()} == {clock.now}
