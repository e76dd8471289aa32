"""People acting on an alarm's event: acknowledging, shelving for a while, unshelving.

Who may act is the alarm's audience tags, or else anyone the alarm is sent to; every action
is an `alarm_acks` row, a line of the event's history and an audit entry. The chats the
alarm's messages went to hear who acknowledged or shelved it (`chats_told`): on WhatsApp the
reply's other chats, from the desk (`act_from_desk`) every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from app.core import alarms as logic
from app.core import permissions
from app.core.i18n import tr
from app.core.timefmt import format_ts, utc_now
from app.db.models import Alarm, AlarmAck, AlarmEventRow, DataSource, Trigger
from app.services import audit, events, outbox, recipients, settings
from app.services.alarms import (
    append_history,
    get_alarm,
    get_event,
    names_of,
    plain_alarm,
    save_state,
    state_of,
    told_chats,
)
from app.services.context import Actor
from app.services.writable import writes

MAX_SHELVE = timedelta(hours=72)


@dataclass(frozen=True)
class Who:
    """The person acting: a contact on WhatsApp, or a user of the app."""

    name: str
    contact_id: str | None = None
    via: str = "whatsapp"  # whatsapp, simulator, gui, cli
    user_id: str | None = None  # the app's user acting from the desk: their audit entries

    def actor(self) -> Actor:
        return Actor(self.user_id, f"{self.name} ({self.via})", "user", self.via)


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


@writes
def acknowledge(number: int, who: Who, contact: dict[str, Any] | None = None,
                chat: str | None = None, zone=None, now: datetime | None = None,
                comment: str = "") -> Outcome:
    """`comment` is the operator's word on it from the desk ("checked on site")."""
    now = now or utc_now()
    comment = " ".join((comment or "").split())[:300]
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
                        via=who.via, reason=comment or None, created_at=format_ts(now)).execute()
        append_history(number, "acknowledged", now, by=who.name, detail=comment)
        state, event_id = state_of(Alarm.get_by_id(alarm["id"]).state)
        if event_id == number:
            save_state(alarm["id"], replace(state, acknowledged_by=who.name), event_id)
        audit.record(who.actor(), "alarm_acknowledged",
                     {"alarm": alarm["name"], "number": number, "by": who.name,
                      "via": who.via, **({"comment": comment} if comment else {})})
        events.changed("alarms")
    if comment:
        return Outcome(True, "alarm_acked_because", {**names, "who": who.name,
                                                     "reason": comment},
                       get_event(number), alarm)
    return Outcome(True, "alarm_acked", {**names, "who": who.name}, get_event(number), alarm)


@writes
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
    if row.state == "cleared":
        # Shelving the alarm from an event that is over would silence whatever it raises
        # next (and a summary row left on screen, a newer event of the same alarm).
        return Outcome(False, "alarm_not_active", {
            "number": number, "name": alarm["name"], "time": _clock(row.cleared_at, zone)})
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
        if event_id in (number, None):
            save_state(alarm["id"], logic.shelve(state, until), event_id)
        audit.record(who.actor(), "alarm_shelved",
                     {"alarm": alarm["name"], "number": number, "by": who.name,
                      "until": format_ts(until), "reason": reason, "via": who.via})
        events.changed("alarms")
    return Outcome(True, "alarm_shelved", {
        "number": number, "name": alarm["name"], "who": who.name,
        "time": until.astimezone(zone).strftime("%d %b %H:%M"),
        "reason": f": {reason}" if reason else ""}, get_event(number), alarm)


@writes
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


def chats_told(alarm: dict[str, Any], event: dict[str, Any]) -> list[str]:
    """The chats the alarm's message went to (the levels told so far): who hears that
    someone acknowledged or shelved it."""
    if event.get("notified_at") is None:
        return []
    levels = alarm["levels"][: min(event["escalation_level"], len(alarm["levels"]) - 1) + 1]
    chats: list[str] = []
    for level in levels:
        chats += [d.chat for d in recipients.resolve(
            level, audiences=recipients.audiences_of(trigger_id=alarm.get("trigger_id")))[0]]
    heard = told_chats(event.get("history") or [])  # not a group approved since
    return [c for c in dict.fromkeys(chats) if heard is None or c in heard]


def others_told(outcome: Outcome, skip: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The chats of `chats_told` but those in `skip` (where the reply goes already)."""
    if not outcome.ok or outcome.alarm is None or outcome.event is None:
        return []
    return [c for c in chats_told(outcome.alarm, outcome.event) if c not in skip]


@writes
def act_from_desk(actor: Actor, number: int, *, shelve_for: timedelta | None = None,
                  comment: str = "") -> Outcome:
    """Acknowledge (or, with `shelve_for`, shelve) event `number` in the user's name from the
    app, with their comment, as a reply on WhatsApp would; everyone the alarm's messages went
    to hears who did it, in the bot's language, queued with the action in one transaction."""
    actor.require(permissions.MESSAGES_SEND)
    who = Who(actor.username, None, "gui", actor.user_id)
    style = settings.reply_style()

    def act() -> Outcome:
        if shelve_for is None:
            outcome = acknowledge(number, who, zone=style.zone, comment=comment)
        else:
            outcome = shelve(number, shelve_for, comment, who, zone=style.zone)
        chats = others_told(outcome)
        if chats:
            text = tr(style.lang, outcome.key, **outcome.values)
            for chat in chats:
                outbox.enqueue(chat, text, kind="alarm_ack")
        return outcome

    # It reads the event, then writes: a message the bot commits meanwhile must not fail it.
    return events.read_then_write(act)


def acknowledge_in_app(actor: Actor, number: int, comment: str = "") -> Outcome:
    return act_from_desk(actor, number, comment=comment)
