"""What an alarm cycle reads before it asks the sources: an alarm deleted while it reads is
left out (the cycle does not fail), and the definitions it keeps between cycles stay kept
however many different times the alarms and their events carry."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from app.db.models import database_proxy
from app.services import alarm_cycle
from tests.helpers.alarms import make_alarm


def test_an_alarm_deleted_between_the_cycles_two_reads_is_left_out(plant, admin, db, clock):
    make_alarm(admin, plant, name="Drum pressure", tag="DRUM.PRESS")
    gone = make_alarm(admin, plant, name="Feed flow", tag="FEED.FLOW")
    other = sqlite3.connect(db.path)  # the desk of another copy of the app, deleting it

    def deleted_meanwhile(statement: str) -> None:
        if "FROM alarms WHERE id IN" in statement:  # after the list of due alarms was read
            with other:
                other.execute("DELETE FROM alarms WHERE id = ?", (gone["id"],))

    connection = database_proxy.connection()
    connection.set_trace_callback(deleted_meanwhile)
    try:
        every = alarm_cycle.due_definitions(clock.now, force=True)
        due = alarm_cycle.due_definitions(clock.now)
    finally:
        connection.set_trace_callback(None)
        other.close()
    assert [d["name"] for d in every] == ["Drum pressure"]
    assert [d["name"] for d in due] == ["Drum pressure"]


def test_the_kept_definitions_stay_kept_past_ten_thousand_different_times(plant, admin, db,
                                                                         clock):
    make_alarm(admin, plant, name="Drum pressure", tag="DRUM.PRESS")
    other = sqlite3.connect(db.path)
    with other:  # saved long ago: a row edited in the last seconds is not kept
        other.execute("UPDATE alarms SET updated_at = '2026-01-05 08:00:00'")
    first = alarm_cycle.due_definitions(clock.now, force=True)[0]
    start = datetime(2026, 1, 1, 0, 0, 0)
    try:  # a plant's alarms and events, each saved or raised at a moment of its own
        for n in range(10_050):
            with other:
                other.execute("UPDATE alarms SET last_evaluated_at = ?",
                              ((start + timedelta(seconds=n)).strftime("%Y-%m-%d %H:%M:%S"),))
            alarm_cycle.due_definitions(clock.now)
    finally:
        other.close()
    # The very definition kept at the first read: not read and built again.
    assert alarm_cycle.due_definitions(clock.now, force=True)[0] is first
