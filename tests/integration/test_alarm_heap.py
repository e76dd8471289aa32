"""A cycle that kept the definitions and states of a plant's worth of alarms moves them out of
the garbage collector's walk (its full collections hold the event loop, and with them the
window and the bot), and the alarms raise and clear as before; a cycle whose source could not
be read freezes nothing of what it made. Against the PI Web API double and a real SQLite file."""

from __future__ import annotations

import gc
import sqlite3

import pytest

from app.runtime.alarms.engine import AlarmEngine
from app.runtime.alarms.heap import MANY
from app.runtime.source_pool import SourcePool
from app.services import alarm_cycle
from tests.helpers.alarms import GROUP, cycle, texts
from tests.integration.test_alarm_scale import import_alarms, tag_name

ALARMS = MANY + 200


@pytest.fixture
def collector():
    """What the test freezes is given back to the collector after it."""
    yield
    gc.unfreeze()


def saved_long_ago(db) -> None:
    """The alarms were saved long before (a copy of a row edited in the last seconds is not
    kept: another program's edit in the same second would look like it)."""
    other = sqlite3.connect(db.path)
    with other:
        other.execute("UPDATE alarms SET updated_at = '2026-01-05 08:00:00'")
    other.close()


def plant_of_alarms(admin, db, pi_server, clock) -> AlarmEngine:
    """ALARMS alarms, every other one over its limit, saved long ago; the engine to run."""
    for n in range(ALARMS):
        pi_server.add_tag(tag_name(n), 105.0 if n % 2 else 95.0, units="bar")
    import_alarms(admin, ALARMS)
    saved_long_ago(db)
    return AlarmEngine(SourcePool(), clock=clock)


def walked(thing: object) -> bool:
    """Whether the collector's collections look at `thing` (frozen objects are not listed)."""
    return any(found is thing for found in gc.get_objects())


def kept(clock) -> tuple[dict, object]:
    """The first alarm's kept definition and its kept state, as the next cycle reads them."""
    definition = alarm_cycle.due_definitions(clock.now, force=True)[0]
    state = alarm_cycle.current_states([definition])[definition["id"]][0]
    return definition, state


def test_the_kept_copies_of_a_plant_of_alarms_are_not_walked_and_alarms_still_move(
        plant, admin, db, pi_server, clock, collector):
    engine = plant_of_alarms(admin, db, pi_server, clock)
    first = cycle(engine, clock, pi_server, None)
    assert sum(e["kind"] == "raised" for e in first.events) == ALARMS // 2
    definition, state = kept(clock)
    assert definition["name"] == "Alarm 0000" and state.phase == "normal"
    assert not walked(definition) and not walked(state)
    # Frozen, the copies still follow the plant: one raises, one clears, the rest stay.
    pi_server.add_tag(tag_name(0), 105.0, units="bar")
    pi_server.add_tag(tag_name(1), 95.0, units="bar")
    moved = cycle(engine, clock, pi_server, None)
    assert sorted((e["kind"], e["alarm"]) for e in moved.events) == [
        ("cleared", "Alarm 0001"), ("raised", "Alarm 0000")]
    assert cycle(engine, clock, pi_server, None).events == []
    assert kept(clock)[1].phase == "active"
    assert len(texts(GROUP)) == 2  # the first raises, then this raise and clear: one each
    assert "#1 Alarm 0001 cleared" in texts(GROUP)[1]


def test_a_cycle_that_could_not_read_its_source_freezes_none_of_what_it_made(
        plant, admin, db, pi_server, clock, collector):
    engine = plant_of_alarms(admin, db, pi_server, clock)
    pi_server.force(500, {"Errors": ["Internal Server Error"]}, times=10**6)
    down = cycle(engine, clock, pi_server, None)
    assert len(down.errors) == 1 and down.events == []
    # The definitions, read before the values were asked for, are frozen; the states the
    # failed cycle parsed are not, nor is anything once PI answers again, until the
    # collector has run a full collection (which frees the failure's leftovers).
    assert engine.long_lived.frozen == 1
    definition, state = kept(clock)
    assert not walked(definition) and walked(state)
    pi_server.forced.clear()
    pi_server.add_tag(tag_name(0), 95.5, units="bar")
    gc.disable()  # no collection of its own while the cycle runs
    try:
        again = cycle(engine, clock, pi_server, None)
    finally:
        gc.enable()
    assert again.errors == [] and engine.long_lived.frozen == 1
    gc.collect()
    back = cycle(engine, clock, pi_server, None)
    assert back.errors == [] and back.events == []
    assert sum(e["kind"] == "raised" for e in again.events) == ALARMS // 2
    assert engine.long_lived.frozen == 2
    assert not walked(kept(clock)[1])  # the state "again" wrote (95.5 bar)
