"""Alarm definitions and their events (with state history); people acting on them are in
alarm_acks.py.

An alarm watches one PI tag (or the first value of a `sql` trigger). Its state between
evaluations lives in `alarms.state`; each time it becomes active an `alarm_events` row is
opened, and that row's id is the number people reply with ("ack 12").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import datetime, timedelta
from typing import Any, TypeVar

from app.core import alarms as logic
from app.core import permissions
from app.core.ids import new_uuid
from app.core.redact import diff
from app.core.timefmt import format_ts, parse_ts, utc_now
from app.db.models import Alarm, AlarmAck, AlarmEventRow, DataSource, Trigger, database_proxy
from app.errors import UserError, ValidationError
from app.services import audit, events, outbox, recipients
from app.services.alarm_config import (  # noqa: F401 - the definition's rules, as callers know them
    CONFIG_KEYS,
    DEFAULT_INTERVAL_S,
    KINDS,
    MIN_INTERVAL_S,
    Known,
    as_float,
    check,
    clean_config,
    config_problems,
    levels_of,
    rule_of,
)
from app.services.alarm_told import history_from_text as _history_text
from app.services.alarm_told import json_text as _dumps
from app.services.alarm_told import mark_notified  # noqa: F401 - as the engine calls it
from app.services.context import Actor

_GONE = "That alarm no longer exists; the list has been refreshed."
# The change notice of an alarm's definition (created, edited, switched, deleted), besides
# "alarms": the cycle's kept copies of the definitions are dropped by it, not by the cycle's
# own writes of states.
DEFINITIONS = "alarm_definitions"
T = TypeVar("T")


# -- reads --------------------------------------------------------------------------------


def names_of(model) -> dict[str, str]:
    """id → name of every row of `model` (the connections, the triggers: a handful of rows,
    read again at every alarm cycle and view read, so a rename by any program is seen)."""
    table = model._meta.table_name
    return dict(database_proxy.execute_sql(f"SELECT id, name FROM {table}").fetchall())


# The state's fields in their order (as asdict gives them, without its deep copy of each value:
# a cycle of 5,000 alarms that raise writes 5,000 states).
_STATE_FIELDS = tuple(f.name for f in fields(logic.AlarmState))


def _state_dict(state: logic.AlarmState, event_id: int | None) -> dict[str, Any]:
    raw = {name: getattr(state, name) for name in _STATE_FIELDS}
    for key in ("condition_since", "active_since", "shelved_until"):
        raw[key] = format_ts(raw[key]) if raw[key] else None
    raw["event_id"] = event_id
    return raw


def state_of(stored: Any) -> tuple[logic.AlarmState, int | None]:
    """The stored state JSON as an AlarmState and the open event's number."""
    raw = stored if isinstance(stored, dict) else {}
    try:
        state = logic.AlarmState(
            phase=str(raw.get("phase") or "normal"),
            condition_since=parse_ts(raw.get("condition_since")),
            active_since=parse_ts(raw.get("active_since")),
            acknowledged_by=raw.get("acknowledged_by") or None,
            shelved_until=parse_ts(raw.get("shelved_until")),
            last_value=str(raw.get("last_value") or ""),
            notified=bool(raw.get("notified")))
    except (TypeError, ValueError):
        return logic.AlarmState(), None
    event_id = raw.get("event_id")
    return state, int(event_id) if isinstance(event_id, int) else None


def plain_alarm(row: Alarm, source_names: dict[str, str], trigger_names: dict[str, str]
           ) -> dict[str, Any]:
    config = dict(row.config) if isinstance(row.config, dict) else {}
    state, event_id = state_of(row.state)
    interval = int(as_float(config.get("interval_s"), DEFAULT_INTERVAL_S))
    return {
        "id": row.id, "name": row.name, "active": bool(row.active), "kind": row.kind or "pi",
        "data_source_id": row.data_source_id,
        "data_source": source_names.get(row.data_source_id or "", ""),
        "tag": row.tag or "", "trigger_id": row.trigger_id,
        "trigger": trigger_names.get(row.trigger_id or "", ""),
        "config": config, "condition": str(config.get("condition") or "above"),
        "severity": str(config.get("severity") or "high"),
        "interval_s": max(MIN_INTERVAL_S, interval),
        "levels": levels_of(config), "audience": list(config.get("audience") or []),
        "quiet_hours": config.get("quiet_hours") or None,
        "template": str(config.get("template") or ""),
        "state": state, "phase": state.phase, "event_id": event_id,
        "last_value": row.last_value or "", "last_error": row.last_error or "",
        "last_evaluated_at": row.last_evaluated_at,
        "created_at": row.created_at, "updated_at": row.updated_at,
    }


def list_alarms() -> list[dict[str, Any]]:
    sources, triggers = names_of(DataSource), names_of(Trigger)
    return [plain_alarm(r, sources, triggers) for r in Alarm.select().order_by(Alarm.name)]


def get_alarm(alarm_id: str) -> dict[str, Any]:
    row = Alarm.get_or_none(Alarm.id == alarm_id)
    if row is None:
        raise UserError(_GONE)
    # Only the names this alarm shows, not every connection's and trigger's.
    source = DataSource.get_or_none(DataSource.id == row.data_source_id) \
        if row.data_source_id else None
    trigger = Trigger.get_or_none(Trigger.id == row.trigger_id) if row.trigger_id else None
    return plain_alarm(row, {source.id: source.name} if source else {},
                       {trigger.id: trigger.name} if trigger else {})


def mark_evaluated(alarm_ids: list[str], at: datetime) -> None:
    """Alarms evaluated with nothing else to record: one write for all of them."""
    for start in range(0, len(alarm_ids), 500):
        Alarm.update(last_evaluated_at=format_ts(at)).where(
            Alarm.id.in_(alarm_ids[start:start + 500])).execute()
    if alarm_ids:
        events.changed("alarms")


def with_current_state(alarm: dict[str, Any]) -> dict[str, Any]:
    """The alarm with its state as stored now (an ack may have landed since it was read)."""
    row = Alarm.select(Alarm.state).where(Alarm.id == alarm["id"]).first()
    if row is None:
        raise UserError(_GONE)
    state, event_id = state_of(row.state)
    return {**alarm, "state": state, "phase": state.phase, "event_id": event_id}


def any_active() -> bool:
    """Whether some alarm is switched on (the alarm commands are then worth listing)."""
    return Alarm.select().where(Alarm.active == True).exists()  # noqa: E712


def find_alarm(name: str) -> dict[str, Any] | None:
    wanted = " ".join(name.split()).casefold()
    for alarm in list_alarms():
        if alarm["name"].casefold() == wanted:
            return alarm
    return None


# -- writes -------------------------------------------------------------------------------


def save_alarm(actor: Actor, alarm_id: str | None, *, name: str, active: bool, kind: str,
               data_source_id: str | None, tag: str, trigger_id: str | None,
               config: dict[str, Any]) -> dict[str, Any]:
    actor.require(permissions.CONFIG_WRITE)
    name = " ".join((name or "").split())
    existing = Alarm.get_or_none(Alarm.id == alarm_id) if alarm_id else None
    if alarm_id and existing is None:
        raise UserError(_GONE)
    tag = (tag or "").strip()
    problems = check(name, kind, data_source_id, tag, trigger_id, config, alarm_id)
    if problems:
        raise ValidationError("The alarm was not saved:", problems)
    stored = clean_config(config)
    fields = {"name": name, "active": active, "kind": kind,
              "data_source_id": data_source_id if kind == "pi" else None,
              "tag": tag if kind == "pi" else None,
              "trigger_id": trigger_id if kind == "sql" else None, "config": stored}
    now = format_ts()
    with events.unit_of_work():
        if existing is None:
            alarm_id = new_uuid()
            Alarm.insert(id=alarm_id, state=_state_dict(logic.AlarmState(), None),
                         created_at=now, updated_at=now, **fields).execute()
            audit.record(actor, "alarm_created", {"name": name, "kind": kind, "tag": tag,
                                                  "config": stored})
        else:
            before = {"name": existing.name, "active": bool(existing.active),
                      "kind": existing.kind, "data_source_id": existing.data_source_id,
                      "tag": existing.tag, "trigger_id": existing.trigger_id,
                      **(existing.config if isinstance(existing.config, dict) else {})}
            after = {k: v for k, v in fields.items() if k != "config"} | stored
            changes = diff(before, after)
            # What is watched changed: the old state says nothing about the new condition.
            watched = (existing.kind, existing.data_source_id, existing.tag,
                       existing.trigger_id) != (kind, fields["data_source_id"], fields["tag"],
                                                fields["trigger_id"])
            extra = {}
            if watched or (existing.active and not active):
                # Nobody would hear an open event clear: it ends here, on record.
                _close_open_event(alarm_id, "what the alarm watches was changed" if watched
                                  else "the alarm was switched off")
                extra["state"] = _state_dict(logic.AlarmState(), None)
            Alarm.update(updated_at=now, **fields, **extra).where(
                Alarm.id == alarm_id).execute()
            if changes:
                audit.record(actor, "alarm_updated", {"name": name, "changes": changes})
        events.changed("alarms", DEFINITIONS)
    return get_alarm(alarm_id)


def create_from_file(actor: Actor, entries: list[dict[str, Any]]) -> list[str]:
    """New alarms of a configuration file, all at once: each checked by save_alarm's rules
    (the names, connections and triggers read once for all), inserted a few hundred per
    statement, one audit entry each. The caller's unit of work holds them: on any problem,
    a ValidationError naming every entry's problems, and nothing is saved. Returns the ids.

    Each entry: name, active, kind, data_source_id, tag, trigger_id, config (as save_alarm),
    and the label its problems start with (default: its name)."""
    actor.require(permissions.CONFIG_WRITE)
    known = Known()
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    now = format_ts()
    fresh = _state_dict(logic.AlarmState(), None)
    for entry in entries:
        name, kind = " ".join((entry["name"] or "").split()), entry["kind"]
        tag = (entry["tag"] or "").strip()
        found = check(name, kind, entry["data_source_id"], tag, entry["trigger_id"],
                      entry["config"], None, known)
        if found:
            problems += [f"{entry.get('label') or name or 'An alarm'}: {p}" for p in found]
            continue
        alarm_id = new_uuid()
        known.names[name.casefold()] = (alarm_id, name)  # a second one of the file is refused
        stored = clean_config(entry["config"])
        rows.append({"id": alarm_id, "name": name, "active": entry["active"], "kind": kind,
                     "data_source_id": entry["data_source_id"] if kind == "pi" else None,
                     "tag": tag if kind == "pi" else None,
                     "trigger_id": entry["trigger_id"] if kind == "sql" else None,
                     "config": stored, "state": fresh, "created_at": now, "updated_at": now})
        audits.append({"name": name, "kind": kind, "tag": tag, "config": stored})
    if problems:
        raise ValidationError("The alarms were not saved:", problems)
    with events.unit_of_work():
        for start in range(0, len(rows), 200):
            Alarm.insert_many(rows[start:start + 200]).execute()
        audit.record_many(actor, "alarm_created", audits)
        if rows:
            events.changed("alarms", DEFINITIONS)
    return [row["id"] for row in rows]


def set_active(actor: Actor, alarm_id: str, active: bool) -> dict[str, Any]:
    actor.require(permissions.CONFIG_WRITE)
    alarm = get_alarm(alarm_id)
    if alarm["active"] == active:
        return alarm
    with events.unit_of_work():
        extra = {}
        if not active:
            # Switched off: nobody hears it clear, so its open event ends here.
            _close_open_event(alarm_id, "the alarm was switched off")
            extra["state"] = _state_dict(logic.AlarmState(), None)
        Alarm.update(active=active, updated_at=format_ts(), **extra).where(
            Alarm.id == alarm_id).execute()
        audit.record(actor, "alarm_enabled" if active else "alarm_disabled",
                     {"name": alarm["name"]})
        events.changed("alarms", DEFINITIONS)
    return get_alarm(alarm_id)


def delete_alarm(actor: Actor, alarm_id: str) -> None:
    actor.require(permissions.CONFIG_WRITE)
    alarm = get_alarm(alarm_id)
    with events.unit_of_work():
        Alarm.delete().where(Alarm.id == alarm_id).execute()
        audit.record(actor, "alarm_deleted", {"name": alarm["name"]})
        events.changed("alarms", DEFINITIONS)


# -- state and events (written by the alarm engine) ---------------------------------------


def in_one_cycle(work: Callable[[], T]) -> T:
    """One alarm cycle's writes as one unit of work: the new states, the events and the
    messages about them commit together, so a crash leaves all of them or none and no alarm is
    recorded as told without its message. The Alarms tab hears once, after the commit.

    It reads the states it then writes. The write lock is held from its first write to its
    commit only: the bot's messages are not refused while it reads and evaluates. When one of
    them commits in between, SQLite refuses the cycle's first write, and `work` runs again on
    what is committed now (the last try takes the lock first): see events.read_then_write."""
    return events.read_then_write(work)


def _history(row: AlarmEventRow) -> list[dict[str, Any]]:
    return list(row.history) if isinstance(row.history, list) else []


def append_history(event_id: int, what: str, at: datetime, **details: Any) -> None:
    row = AlarmEventRow.get_or_none(AlarmEventRow.id == event_id)
    if row is None:
        return
    # Empty details are left out; a list is kept even when empty ("told nobody" is a fact).
    entry = {"at": format_ts(at), "what": what,
             **{k: v for k, v in details.items() if v or isinstance(v, list)}}
    AlarmEventRow.update(history=_history(row) + [entry]).where(
        AlarmEventRow.id == event_id).execute()


def told_chats(history: list[dict[str, Any]]) -> set[str] | None:
    """The chats an event's messages went to, as its history records them; None for an event
    recorded before the history kept them."""
    told = [h for h in history if h.get("what") in ("sent", "escalated")]
    if not told or any("chats" not in h for h in told):
        return None
    return {c for h in told for c in h["chats"]}


def stop_tracking(alarm_id: str, why: str) -> None:
    """End the open event and start from normal (switched off, or watching something else)."""
    _close_open_event(alarm_id, why)
    Alarm.update(state=_state_dict(logic.AlarmState(), None)).where(
        Alarm.id == alarm_id).execute()
    events.changed("alarms")


def _close_open_event(alarm_id: str, why: str) -> None:
    row = Alarm.get_or_none(Alarm.id == alarm_id)
    if row is None:
        return
    _state, event_id = state_of(row.state)
    if event_id is not None:
        now = utc_now()
        AlarmEventRow.update(state="cleared", cleared_at=format_ts(now)).where(
            (AlarmEventRow.id == event_id) & (AlarmEventRow.state != "cleared")).execute()
        append_history(event_id, "closed", now, detail=why)


# The writes of a cycle are plain statements: building peewee queries for 2,500 alarms that
# raise at once costs more than SQLite's work (a cold cycle of 5,000 alarms).




def _execute(sql: str, params: list[Any]) -> Any:
    return database_proxy.execute_sql(sql, params)


def state_text(state: logic.AlarmState, event_id: int | None) -> str:
    """The state as alarms.state stores it."""
    return _dumps(_state_dict(state, event_id))


def save_state(alarm_id: str, state: logic.AlarmState, event_id: int | None, *,
               last_value: str | None = None, last_error: str | None = None,
               evaluated_at: datetime | None = None) -> None:
    fields: dict[str, Any] = {"state": state_text(state, event_id)}
    if last_value is not None:
        fields["last_value"] = last_value
    if last_error is not None:
        fields["last_error"] = last_error
    if evaluated_at is not None:
        fields["last_evaluated_at"] = format_ts(evaluated_at)
    _execute(f"UPDATE alarms SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
             [*fields.values(), alarm_id])
    events.changed("alarms")


def open_event(alarm: dict[str, Any], event: logic.AlarmEvent, state: str = "active") -> int:
    history = [{"at": format_ts(event.at), "what": "raised", "detail": event.why,
                "value": event.shown_value}] + (
        [{"at": format_ts(utc_now()), "what": "shelved", "detail": "raised while shelved"}]
        if state == "shelved" else [])
    cursor = _execute(
        "INSERT INTO alarm_events (alarm_id, state, severity, value, why, raised_at, "
        "escalation_level, late, history) VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?)",
        [alarm["id"], state, alarm["severity"], event.shown_value, event.why,
         format_ts(event.at), _dumps(history)])
    events.changed("alarms")
    return int(cursor.lastrowid)


def close_event(event_id: int, at: datetime, value: str) -> None:
    row = _execute("SELECT history FROM alarm_events WHERE id = ?", [event_id]).fetchone()
    fields: dict[str, Any] = {"state": "cleared", "cleared_at": format_ts(at)}
    if row is not None:
        entry = {"at": format_ts(at), "what": "cleared", **({"value": value} if value else {})}
        fields["history"] = _dumps(_history_text(row[0]) + [entry])
    _execute(f"UPDATE alarm_events SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
             [*fields.values(), event_id])
    events.changed("alarms")


def event_plain(row: AlarmEventRow, alarm_names: dict[str, str] | None = None
                ) -> dict[str, Any]:
    names = alarm_names if alarm_names is not None else names_of(Alarm)
    return {
        "number": row.id, "alarm_id": row.alarm_id, "alarm": names.get(row.alarm_id, ""),
        "state": row.state, "severity": row.severity or "high", "value": row.value or "",
        "why": row.why or "", "raised_at": row.raised_at, "cleared_at": row.cleared_at,
        "acknowledged_by": row.acknowledged_by or "", "acknowledged_at": row.acknowledged_at,
        "shelved_until": row.shelved_until, "escalation_level": row.escalation_level or 0,
        "notified_at": row.notified_at, "late": bool(row.late), "history": _history(row),
    }


def get_event(number: int) -> dict[str, Any] | None:
    row = AlarmEventRow.get_or_none(AlarmEventRow.id == number)
    if row is None:
        return None
    alarm = Alarm.select(Alarm.id, Alarm.name).where(Alarm.id == row.alarm_id).first()
    return event_plain(row, {alarm.id: alarm.name} if alarm else {})


def list_events(limit: int | None = 500, open_only: bool = False) -> list[dict[str, Any]]:
    """Newest first; `limit=None` for all of them (the engine's escalation needs every one)."""
    query = AlarmEventRow.select().order_by(AlarmEventRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    if open_only:
        query = query.where(AlarmEventRow.state != "cleared")
    names = names_of(Alarm)
    return [event_plain(r, names) for r in query]


def acks_of(number: int) -> list[dict[str, Any]]:
    return [{"action": a.action, "by": a.by_name or a.by_id or "", "via": a.via or "",
             "reason": a.reason or "", "until": a.until, "at": a.created_at}
            for a in AlarmAck.select().where(AlarmAck.event == number).order_by(AlarmAck.id)]


# -- acknowledgement and shelving ---------------------------------------------------------


def active_events() -> list[dict[str, Any]]:
    """Open events, most severe and oldest first (the reply to *alarms*)."""
    order = list(logic.SEVERITIES)
    rows = list_events(limit=None, open_only=True)
    return sorted(rows, key=lambda e: (order.index(e["severity"]) if e["severity"] in order
                                       else 9, e["raised_at"] or utc_now()))


# -- the Dashboard --------------------------------------------------------------------------


def dashboard_flags(now: datetime | None = None) -> dict[str, Any]:
    """What the Dashboard flags: open alarms, unacknowledged ones, alarm messages waiting
    for WhatsApp or failed, alarms whose data cannot be read, alarms nobody can be told of."""
    now = now or utc_now()
    still_open = AlarmEventRow.select().where(AlarmEventRow.state != "cleared")
    # WhatsApp's own alarm messages; the Simulator's are apart.
    waiting, failed = outbox.alarm_outbox_counts(now - timedelta(hours=24))
    every = list_alarms()
    unreadable = [a["name"] for a in every if a["active"] and a["last_error"]]
    nobody = recipients.unreachable_alarms(every)  # the first level or a later one
    return {"nobody": [a["name"] for a in every if a["id"] in nobody],
            "open": still_open.count(),
            "unacknowledged": still_open.where(AlarmEventRow.state == "active").count(),
            "late": still_open.where(AlarmEventRow.late).count(),
            "waiting": waiting, "failed": failed, "unreadable": unreadable}
