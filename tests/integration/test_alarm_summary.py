"""The control room's alarm summary: open alarms needing someone first, who was told and what
their phones reported; acknowledging and shelving from the desk, as a WhatsApp reply does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.core.messages import Receipt, ReceiptKind
from app.db.models import AlarmAck, OutgoingMessage
from app.errors import PermissionDenied
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.source_pool import SourcePool
from app.services import alarm_acks, alarm_summary, alarms, audit, outbox, receipts
from app.services import sources as source_service
from app.services.context import Actor
from tests.helpers.alarms import OPERATOR_JID, approved_operator, in_asyncio

BUDI_JID = OPERATOR_JID
budi = approved_operator


def always_in_alarm(admin, name: str, severity: str, tag: str = "DEMO.BOILER.TEMP") -> dict:
    """The demo historian's tags are always above -1000."""
    return alarms.save_alarm(
        admin, None, name=name, active=True, kind="pi",
        data_source_id=source_service.find_by_name("demo")["id"], tag=tag, trigger_id=None,
        config={"condition": "above", "high": -1000, "severity": severity,
                "recipients": [{"tags": ["operators"]}]})


async def four_open_alarms(admin) -> dict[str, int]:
    """Four raised alarms told to Budi; their event numbers by name."""
    budi(admin)
    engine = AlarmEngine(SourcePool())
    for name, severity, tag in (("Tank level", "low", "DEMO.TANK.LEVEL"),
                                ("Boiler temperature", "critical", "DEMO.BOILER.TEMP"),
                                ("Drum pressure", "critical", "DEMO.DRUM.PRESS"),
                                ("Boiler again", "critical", "DEMO.BOILER.TEMP")):
        always_in_alarm(admin, name, severity, tag)
        report = await engine.run_cycle(force=True)  # one message each
        assert len(report.queued) == 1
    return {a["name"]: a["event_id"] for a in alarms.list_alarms()}


def sent_and_reported(now: datetime) -> None:
    """Every alarm message counts as sent; Budi's phone reports the first delivered and read,
    the second delivered only."""
    rows = list(OutgoingMessage.select().where(OutgoingMessage.kind == "alarm")
                .order_by(OutgoingMessage.id))
    for n, row in enumerate(rows):
        outbox.mark_sent(row.id, f"WA{n}", now)
    receipts.record_receipt(Receipt(("WA0", "WA1"), ReceiptKind.DELIVERED,
                                    now + timedelta(minutes=1)))
    receipts.record_receipt(Receipt(("WA0",), ReceiptKind.READ, now + timedelta(minutes=3)))


@in_asyncio
async def test_active_first_then_acknowledged_then_shelved_with_who_was_told(db, admin):
    numbers = await four_open_alarms(admin)
    now = datetime.now(UTC)
    sent_and_reported(now)
    acked = alarm_acks.act_from_desk(admin, numbers["Drum pressure"], comment="checked on site")
    shelved = alarm_acks.act_from_desk(admin, numbers["Boiler again"],
                                       shelve_for=timedelta(hours=2), comment="maintenance")
    assert acked.ok and shelved.ok

    rows = alarm_summary.open_alarms()
    assert [(r.alarm, r.state, r.severity) for r in rows] == [
        ("Boiler temperature", "active", "critical"),  # needs someone, most severe first
        ("Tank level", "active", "low"),
        ("Drum pressure", "acknowledged", "critical"),
        ("Boiler again", "shelved", "critical")]
    assert rows[2].acknowledged_by == "admin" and rows[3].shelved_until > now
    assert all(r.last_value and r.raised_at <= datetime.now(UTC) for r in rows)
    # Who was told, with what the phone reported: the first message read, the second
    # delivered, the others sent only.
    by_name = {r.alarm: r for r in rows}
    first = min(numbers.values())
    order = sorted(numbers, key=numbers.get)
    assert [t.status for t in by_name[order[0]].told] == ["read"]
    assert [t.status for t in by_name[order[1]].told] == ["delivered"]
    assert [t.status for t in by_name[order[2]].told] == ["sent"]
    [told] = by_name[order[0]].told
    assert (told.name, told.recipient) == ("Budi", BUDI_JID)
    assert told.at == told.read_at and told.delivered_at < told.read_at
    assert by_name[order[0]].number == first
    # Cleared events leave the summary.
    alarms.close_event(numbers["Tank level"], datetime.now(UTC), "12")
    assert "Tank level" not in [r.alarm for r in alarm_summary.open_alarms()]


@in_asyncio
async def test_acknowledged_from_the_desk_is_recorded_audited_and_told(db, admin):
    numbers = await four_open_alarms(admin)
    sent_and_reported(datetime.now(UTC))
    number = numbers["Drum pressure"]
    outcome = alarm_acks.act_from_desk(admin, number, comment="checked on site")
    assert outcome.ok
    [ack] = AlarmAck.select().where(AlarmAck.event == number)
    assert (ack.action, ack.by_name, ack.via, ack.reason) == (
        "ack", "admin", "gui", "checked on site")
    event = alarms.get_event(number)
    assert event["acknowledged_by"] == "admin" and event["state"] == "acknowledged"
    assert event["history"][-1]["what"] == "acknowledged"
    assert event["history"][-1]["detail"] == "checked on site"
    [entry] = audit.page(audit.AuditFilter(action="alarm_acknowledged"), None, 10)
    assert entry["user_id"] == admin.user_id and entry["username"] == "admin"
    assert json.loads(entry["details"])["comment"] == "checked on site"
    # Budi, whom the alarm went to, hears who acknowledged it, in one message.
    [told] = OutgoingMessage.select().where(OutgoingMessage.kind == "alarm_ack")
    assert told.recipient == BUDI_JID
    assert told.message == (f"👍 #{number} Drum pressure acknowledged by admin: "
                            "checked on site")
    # Again: refused, nobody told twice.
    again = alarm_acks.act_from_desk(admin, number)
    assert not again.ok and again.key == "alarm_already_acked"
    assert OutgoingMessage.select().where(OutgoingMessage.kind == "alarm_ack").count() == 1


@in_asyncio
async def test_shelved_and_unshelved_from_the_desk(db, admin):
    numbers = await four_open_alarms(admin)
    number = numbers["Boiler again"]
    outcome = alarm_acks.act_from_desk(admin, number, shelve_for=timedelta(hours=2),
                                       comment="maintenance")
    assert outcome.ok
    [ack] = AlarmAck.select().where(AlarmAck.event == number)
    assert (ack.action, ack.by_name, ack.via, ack.reason) == ("shelve", "admin", "gui",
                                                              "maintenance")
    [told] = OutgoingMessage.select().where(OutgoingMessage.kind == "alarm_ack")
    assert told.message.startswith(f"🔕 #{number} Boiler again shelved by admin until ")
    assert told.message.endswith(": maintenance")
    assert audit.count(audit.AuditFilter(action="alarm_shelved")) == 1
    alarm_acks.unshelve(admin, alarms.get_event(number)["alarm_id"])
    [row] = [r for r in alarm_summary.open_alarms() if r.number == number]
    assert row.state == "active"
    assert audit.count(audit.AuditFilter(action="alarm_unshelved")) == 1


@in_asyncio
async def test_a_viewer_can_look_but_not_acknowledge_or_shelve(db, admin):
    numbers = await four_open_alarms(admin)
    viewer = Actor(None, "vera", "viewer")
    number = numbers["Drum pressure"]
    with pytest.raises(PermissionDenied):
        alarm_acks.act_from_desk(viewer, number, comment="mine")
    with pytest.raises(PermissionDenied):
        alarm_acks.act_from_desk(viewer, number, shelve_for=timedelta(hours=1))
    assert AlarmAck.select().count() == 0
    assert alarms.get_event(number)["acknowledged_by"] == ""
    assert OutgoingMessage.select().where(OutgoingMessage.kind == "alarm_ack").count() == 0
    assert audit.count(audit.AuditFilter(action="alarm_acknowledged")) == 0
    assert len(alarm_summary.open_alarms()) == 4  # looking is allowed


@in_asyncio
async def test_acknowledging_while_another_program_holds_the_database_says_so_and_keeps_nothing(
        db, admin, data_dir):
    from app.services.writable import NotWritable
    from tests.integration.test_outbox_locked import Holder

    numbers = await four_open_alarms(admin)
    number = numbers["Drum pressure"]
    holder = Holder(data_dir / "app.db")
    try:
        holder("lock")
        try:
            with pytest.raises(NotWritable) as refused:
                alarm_acks.act_from_desk(admin, number, comment="checked on site")
        finally:
            holder("unlock")
    finally:
        holder.close()
    # A sentence the desk shows, and nothing half-written: acknowledge again and it works.
    assert "another program holds its lock" in str(refused.value)
    assert not alarms.get_event(number)["acknowledged_by"]
    assert alarms.get_event(number)["state"] == "active"
    assert AlarmAck.select().where(AlarmAck.event == number).count() == 0
    assert alarm_acks.act_from_desk(admin, number, comment="checked on site").ok
