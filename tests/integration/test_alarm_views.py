"""The alarms as the desktop's views read them (app/services/alarm_views.py): the same rows
as the alarm service lists, an unchanged alarm not built again, a changed one read anew."""

from __future__ import annotations

from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarm_views, alarms, sources
from tests.helpers.alarms import OPERATOR_JID, approved_operator, in_asyncio

BUDI_JID = OPERATOR_JID
budi = approved_operator


def alarm(admin, name: str, tag: str, high: float) -> dict:
    return alarms.save_alarm(
        admin, None, name=name, active=True, kind="pi",
        data_source_id=sources.find_by_name("demo")["id"], tag=tag, trigger_id=None,
        config={"condition": "above", "high": high, "recipients": [{"tags": ["operators"]}]})


@in_asyncio
async def test_the_views_list_every_alarm_as_the_service_does_and_rebuild_only_changed_ones(
        db, admin):
    budi(admin)
    alarm(admin, "Tank level", "DEMO.TANK.LEVEL", 1000)
    boiler = alarm(admin, "Boiler temperature", "DEMO.BOILER.TEMP", -1000)
    alarm(admin, "Drum pressure", "DEMO.DRUM.PRESS", 1000)
    await AlarmEngine(SourcePool()).run_cycle(force=True)  # the boiler is raised

    first = alarm_views.alarm_list()
    assert first == alarms.list_alarms()
    assert [a["name"] for a in first] == ["Boiler temperature", "Drum pressure", "Tank level"]
    assert first[0]["phase"] == "active" and first[0]["event_id"]
    names = {a["id"]: a["name"] for a in first}
    assert alarm_views.recent_events(300, False, names) == alarms.list_events(300)
    assert alarm_views.recent_events(300, True, names) == alarms.list_events(300, True)
    again = alarm_views.alarm_list()
    assert all(a is b for a, b in zip(first, again, strict=True))  # nothing rebuilt

    alarms.set_active(admin, boiler["id"], False)
    demo = sources.find_by_name("demo")
    sources.save_source(admin, demo["id"], name="Demo historian", plugin=demo["plugin"],
                        active=True, config=demo["config"])
    changed = alarm_views.alarm_list()
    assert changed == alarms.list_alarms()
    assert not changed[0]["active"]  # switched off: read anew
    assert {a["data_source"] for a in changed} == {"Demo historian"}  # the name followed


@in_asyncio
async def test_the_dashboard_flags_are_those_of_the_alarm_service(db, admin):
    budi(admin)
    alarm(admin, "Boiler temperature", "DEMO.BOILER.TEMP", -1000)
    alarm(admin, "Tank level", "DEMO.TANK.LEVEL", -1000)
    await AlarmEngine(SourcePool()).run_cycle(force=True)
    flags = alarm_views.dashboard_flags()
    assert flags == alarms.dashboard_flags()
    assert (flags["open"], flags["unacknowledged"]) == (2, 2)
