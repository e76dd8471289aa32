"""The end of an offline summary: where each alarm it names stands now, once per alarm (its
event now open, though the summary names an earlier one too), none for an alarm cleared or
deleted meanwhile. Against the PI Web API double and a real SQLite file."""

from __future__ import annotations

import asyncio

from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarms, outbox
from tests.helpers.alarms import GROUP, approve_group


def _make(admin, plant, name: str, tag: str) -> str:
    approve_group(admin)
    return alarms.save_alarm(admin, None, name=name, active=True, kind="pi",
                             data_source_id=plant, tag=tag, trigger_id=None,
                             config={"condition": "above", "high": 45.0, "units": "bar",
                                     "interval_s": 10, "recipients": [{"groups": [GROUP]}]})["id"]


def _read(engine: AlarmEngine, clock, pi_server, values: dict[str, float]) -> None:
    clock.advance(seconds=10)
    for tag, value in values.items():
        pi_server.add_tag(tag, value, units="bar")
    asyncio.run(engine.run_cycle())


def test_the_summary_says_where_each_alarm_named_stands_now_once(plant, admin, pi_server,
                                                                   clock):
    _make(admin, plant, "Drum pressure", "DRUM.PRESS")
    _make(admin, plant, "Boiler pressure", "BOILER.PRESS")
    feed = _make(admin, plant, "Feed pressure", "FEED.PRESS")
    _make(admin, plant, "Steam pressure", "STEAM.PRESS")
    engine = AlarmEngine(SourcePool(), clock=clock, connected=lambda: False)
    _read(engine, clock, pi_server, {"DRUM.PRESS": 46.0, "BOILER.PRESS": 40.0,
                                     "FEED.PRESS": 48.0, "STEAM.PRESS": 49.0})
    first = alarms.find_alarm("Drum pressure")["event_id"]
    _read(engine, clock, pi_server, {"DRUM.PRESS": 44.0, "STEAM.PRESS": 40.0})  # both clear
    _read(engine, clock, pi_server, {"DRUM.PRESS": 47.0, "BOILER.PRESS": 47.0})
    drum = alarms.find_alarm("Drum pressure")["event_id"]
    boiler = alarms.find_alarm("Boiler pressure")["event_id"]
    assert drum != first
    alarms.delete_alarm(admin, feed)
    clock.advance(minutes=5)  # the messages waiting are old news by now
    assert engine.consolidate() == 1
    summary = list(OutgoingMessage.select().where(OutgoingMessage.kind == "alarm")
                   .order_by(OutgoingMessage.id))[-1]
    now = [line for line in outbox.alarm_lines(summary.id) if line.what == "now"]
    assert [line.event_id for line in now] == [drum, boiler]
    assert summary.message.splitlines()[-2:] == [
        f"🟠 #{drum} Drum pressure: now 47 bar — *ack {drum}*",
        f"🟠 #{boiler} Boiler pressure: now 47 bar — *ack {boiler}*"]
