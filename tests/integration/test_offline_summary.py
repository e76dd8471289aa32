"""The offline summary decides from the outbox rows' columns, not from their words: a changed
translation does not make it send an alarm message again, nor lose which alarms it names."""

from __future__ import annotations

import asyncio

from app.core import i18n
from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarms, outbox

GROUP = "120363111111111111@g.us"


def _alarm_rows() -> list[OutgoingMessage]:
    return list(OutgoingMessage.select().where(OutgoingMessage.kind == "alarm")
                .order_by(OutgoingMessage.id))


def _raise(engine: AlarmEngine, clock, pi_server, name: str, tag: str, value: float) -> None:
    clock.advance(seconds=10)
    pi_server.add_tag(tag, value, units="bar")
    asyncio.run(engine.run_cycle())


def _make(admin, plant, name: str, tag: str) -> None:
    alarms.save_alarm(admin, None, name=name, active=True, kind="pi", data_source_id=plant,
                      tag=tag, trigger_id=None,
                      config={"condition": "above", "high": 45.0, "units": "bar",
                              "interval_s": 10, "recipients": [{"groups": [GROUP]}]})


def test_a_late_copy_is_not_sent_again_after_its_words_were_retranslated(
        plant, admin, pi_server, clock, monkeypatch):
    _make(admin, plant, "Drum pressure", "DRUM.PRESS")
    engine = AlarmEngine(SourcePool(), clock=clock)
    _raise(engine, clock, pi_server, "Drum pressure", "DRUM.PRESS", 46.0)
    [first] = _alarm_rows()
    outbox.mark_failed(first.id, "WhatsApp refused it.")
    engine.consolidate()
    copy = _alarm_rows()[-1]
    assert copy.late and copy.message.endswith("(sent late: the bot was offline)")
    outbox.mark_failed(copy.id, "WhatsApp refused it again.")
    # A new release words "late" differently; the copy in the outbox keeps the old words.
    monkeypatch.setitem(i18n.TEXTS["en"], "alarm_late", "(delayed: the bot was offline)")
    engine.consolidate()
    assert len(_alarm_rows()) == 2  # once late is enough


def test_a_summary_names_the_alarms_of_the_rows_it_replaces(plant, admin, pi_server, clock):
    _make(admin, plant, "Drum pressure", "DRUM.PRESS")
    _make(admin, plant, "Boiler #1 pressure", "BOILER.PRESS")
    engine = AlarmEngine(SourcePool(), clock=clock, connected=lambda: False)
    _raise(engine, clock, pi_server, "Drum pressure", "DRUM.PRESS", 46.0)
    clock.advance(minutes=5)
    _raise(engine, clock, pi_server, "Boiler #1 pressure", "BOILER.PRESS", 47.0)
    clock.advance(minutes=5)
    assert engine.consolidate() == 1
    summary = _alarm_rows()[-1]
    drum = alarms.find_alarm("Drum pressure")["event_id"]
    boiler = alarms.find_alarm("Boiler #1 pressure")["event_id"]
    assert summary.late and summary.status == "pending"
    assert [(line.event_id, line.what) for line in outbox.alarm_lines(summary.id)] == [
        (drum, "raised"), (boiler, "raised"), (drum, "now"), (boiler, "now")]
    merged = [r for r in _alarm_rows() if r.id != summary.id]
    assert [r.merged_into_id for r in merged] == [summary.id, summary.id]
    assert all(r.error_message == f"merged into the offline summary (#{summary.id})"
               for r in merged)
