"""People acting on an alarm's event: acknowledging, shelving for a while, unshelving.

Who may act is the alarm's audience tags, or else anyone the alarm is sent to; every action
is an `alarm_acks` row, a line of the event's history and an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.core import alarms as logic
from app.core import permissions
from app.core.timefmt import format_ts, utc_now
from app.db.models import Alarm, AlarmAck, AlarmEventRow, DataSource, Trigger
from app.services import audit, events, recipients
from app.services.alarms import (
    append_history,
    get_alarm,
    get_event,
    names_of,
    plain_alarm,
    save_state,
    state_of,
)
from app.services.context import Actor

MAX_SHELVE = timedelta(hours=72)


@dataclass(frozen=True)
class Who:
    """The person acting: a contact on WhatsApp, or a user of the app."""

    name: str
    contact_id: str | None = None
    via: str = "whatsapp"  # whatsapp, simulator, gui, cli

    def actor(self) -> Actor:
        return Actor(None, f"{self.name} ({self.via})", "user", self.via)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    key: str  # an i18n key for the reply: alarm_acked, alarm_unknown, …
    values: dict[str, Any]
    event: dict[str, Any] | None = None
    alarm: dict[str, Any] | None = None


def may_act(alarm: dict[str, Any], contact: dict[str, Any] | None, chat: str | None) -> bool:
    """The alarm's own audience tags, or else anyone it is sent to, may ack or shelve it."""
    if contact is None and chat is None:
        return True  # the workstation's operator
    audience = {a.casefold() for a in alarm["audience"]}
    if audience:
        return bool(contact) and bool(audience & {t.casefold() for t in contact["tags"]})
    return any(recipients.covers(level, contact, chat) for level in alarm["levels"])


def _clock(moment: datetime | None, zone) -> str:
    return moment.astimezone(zone).strftime("%H:%M") if moment else "?"


def _find(number: int) -> tuple[AlarmEventRow | None, dict[str, Any] | None]:
    row = AlarmEventRow.get_or_none(AlarmEventRow.id == number)
    if row is None:
        return None, None
    alarm_row = Alarm.get_or_none(Alarm.id == row.alarm_id)
    if alarm_row is None:
        return row, None
    return row, plain_alarm(alarm_row, names_of(DataSource), names_of(Trigger))


def _find_for(number: int, contact: dict[str, Any] | None, chat: str | None
              ) -> tuple[Any, Any, Outcome | None]:
    """The event and its alarm, or the refusal when there is none or it is not theirs."""
    row, alarm = _find(number)
    if row is None or alarm is None:
        return None, None, Outcome(False, "alarm_unknown", {"number": number})
    if not may_act(alarm, contact, chat):
        return row, alarm, Outcome(False, "alarm_not_yours", {"number": number})
    return row, alarm, None


def acknowledge(number: int, who: Who, contact: dict[str, Any] | None = None,
                chat: str | None = None, zone=None, now: datetime | None = None) -> Outcome:
    now = now or utc_now()
    row, alarm, refusal = _find_for(number, contact, chat)
    if refusal is not None:
        return refusal
    names = {"number": number, "name": alarm["name"]}
    if row.state == "cleared":
        return Outcome(False, "alarm_not_active", {**names, "time": _clock(row.cleared_at,
                                                                             zone)})
    if row.acknowledged_by:
        return Outcome(False, "alarm_already_acked", {
            "number": number, "who": row.acknowledged_by,
            "time": _clock(row.acknowledged_at, zone)})
    with events.unit_of_work():
        AlarmEventRow.update(state="acknowledged", acknowledged_by=who.name,
                             acknowledged_at=format_ts(now)).where(
            AlarmEventRow.id == number).execute()
        AlarmAck.insert(event=number, action="ack", by_id=who.contact_id, by_name=who.name,
                        via=who.via, created_at=format_ts(now)).execute()
        append_history(number, "acknowledged", now, by=who.name)
        state, event_id = state_of(Alarm.get_by_id(alarm["id"]).state)
        if event_id == number:
            save_state(alarm["id"], replace(state, acknowledged_by=who.name), event_id)
        audit.record(who.actor(), "alarm_acknowledged",
                     {"alarm": alarm["name"], "number": number, "by": who.name,
                      "via": who.via})
        events.changed("alarms")
    return Outcome(True, "alarm_acked", {**names, "who": who.name}, get_event(number), alarm)


def shelve(number: int, duration: timedelta, reason: str, who: Who,
           contact: dict[str, Any] | None = None, chat: str | None = None, zone=None,
           now: datetime | None = None) -> Outcome:
    """Silence the alarm of event `number` for `duration`: no messages, no escalation."""
    now = now or utc_now()
    row, alarm, refusal = _find_for(number, contact, chat)
    if refusal is not None:
        return refusal
    if duration <= timedelta(0):
        return Outcome(False, "alarm_shelve_usage", {})
    if duration > MAX_SHELVE:
        return Outcome(False, "alarm_shelve_too_long",
                       {"hours": int(MAX_SHELVE.total_seconds() // 3600)})
    until = now + duration
    reason = " ".join((reason or "").split())[:300]
    with events.unit_of_work():
        fields: dict[str, Any] = {"shelved_until": format_ts(until)}
        if row.state in ("active", "acknowledged"):
            fields["state"] = "shelved"
        AlarmEventRow.update(**fields).where(AlarmEventRow.id == number).execute()
        AlarmAck.insert(event=number, action="shelve", by_id=who.contact_id, by_name=who.name,
                        via=who.via, reason=reason or None, until=format_ts(until),
                        created_at=format_ts(now)).execute()
        append_history(number, "shelved", now, by=who.name, detail=reason,
                       until=format_ts(until))
        state, event_id = state_of(Alarm.get_by_id(alarm["id"]).state)
        save_state(alarm["id"], logic.shelve(state, until), event_id)
        audit.record(who.actor(), "alarm_shelved",
                     {"alarm": alarm["name"], "number": number, "by": who.name,
                      "until": format_ts(until), "reason": reason, "via": who.via})
        events.changed("alarms")
    return Outcome(True, "alarm_shelved", {
        "number": number, "name": alarm["name"], "who": who.name,
        "time": until.astimezone(zone).strftime("%d %b %H:%M"),
        "reason": f": {reason}" if reason else ""}, get_event(number), alarm)


def unshelve(actor: Actor, alarm_id: str) -> dict[str, Any]:
    """End a shelf early from the app; the next evaluation tells people if it is active."""
    actor.require(permissions.CONFIG_WRITE)
    alarm = get_alarm(alarm_id)
    state, event_id = alarm["state"], alarm["event_id"]
    if state.shelved_until is None:
        return alarm
    now = utc_now()
    with events.unit_of_work():
        save_state(alarm_id, replace(state, shelved_until=now), event_id)
        if event_id is not None:
            AlarmEventRow.update(shelved_until=None).where(
                AlarmEventRow.id == event_id).execute()
            AlarmAck.insert(event=event_id, action="unshelve", by_name=actor.username,
                            via=actor.via, created_at=format_ts(now)).execute()
            append_history(event_id, "unshelved", now, by=actor.username)
        audit.record(actor, "alarm_unshelved", {"alarm": alarm["name"]})
        events.changed("alarms")
    return get_alarm(alarm_id)


def acknowledge_in_app(actor: Actor, number: int) -> Outcome:
    actor.require(permissions.MESSAGES_SEND)
    return acknowledge(number, Who(actor.username, None, actor.via))
