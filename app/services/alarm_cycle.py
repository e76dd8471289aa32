"""What one alarm cycle reads, at plant scale (5,000 alarms on 5,000 tags).

A cycle reads only the alarms that are due, once, with the due test in SQL; each alarm's
definition (its config JSON, levels, recipients) is parsed once per edit and kept, keyed by the
stored columns it comes from, so a warm cycle parses only the states. Escalation reads the open
events with their alarms in one query and without their history. Rows are read as plain tuples:
building a peewee model per row costs more than the cycle's own logic. The alarms and their
events otherwise live in app.services.alarms, whose dictionaries these are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core import alarms as logic
from app.core.timefmt import format_ts, parse_ts
from app.db.models import AlarmEventRow, DataSource, JsonText, Trigger, database_proxy
from app.services import events
from app.services.alarms import names_of, plain_alarm, state_of
from app.services.alarms import rule_of as plain_rule

_COLUMNS = ("id", "name", "active", "kind", "data_source_id", "tag", "trigger_id", "config",
            "state", "last_value", "last_error", "last_evaluated_at", "created_at",
            "updated_at")
_SELECT = ", ".join(f"a.{c}" for c in _COLUMNS)
# The seconds since the last evaluation against the alarm's interval, as plain_alarm reads it.
# A margin of a second and any stamp SQLite cannot read let the row through: the engine's own
# test, in Python, is the exact one; this only keeps the alarms that are surely not due unread.
_INTERVAL = ("max(10, CAST(coalesce(CASE WHEN json_valid(a.config) THEN "
             "json_extract(a.config, '$.interval_s') END, 60) AS INTEGER))")
_SINCE = "(julianday(?) - julianday(a.last_evaluated_at)) * 86400.0"
_DUE = (f"(a.last_evaluated_at IS NULL OR julianday(a.last_evaluated_at) IS NULL "
        f"OR {_SINCE} < 0 OR {_SINCE} >= {_INTERVAL} - 1.5)")

# An open event surely nothing is to be done about: told (the alarm's state says so too),
# and acknowledged or already at its last level of recipients. Anything SQLite cannot read
# is left for the engine to look at.
_TOLD = ("(e.notified_at IS NOT NULL AND json_valid(a.state) AND json_valid(a.config) "
         "AND json_extract(a.state, '$.notified') = 1 "
         "AND (coalesce(e.acknowledged_by, '') != '' "
         "OR (json_type(a.config, '$.recipients') = 'array' "
         "AND e.escalation_level + 1 >= json_array_length(a.config, '$.recipients'))))")

# alarm id → (the stored columns a definition is made of, the definition, its rule by event)
_definitions: dict[str, tuple[tuple[Any, ...], dict[str, Any],
                              dict[int | None, logic.AlarmRule]]] = {}
# alarm id → (the stored state text, what it says)
_states: dict[str, tuple[str | None, tuple[logic.AlarmState, int | None]]] = {}


_json = JsonText().python_value  # the column's own reading: JSON, or the text it is


class _Row:
    """The attributes plain_alarm reads, from one tuple of _COLUMNS."""

    __slots__ = _COLUMNS

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(_COLUMNS, values, strict=True):
            setattr(self, name, value)


def _parsed_state(alarm_id: str, raw: str | None) -> tuple[logic.AlarmState, int | None]:
    known = _states.get(alarm_id)
    if known is not None and known[0] == raw:
        return known[1]
    parsed = state_of(_json(raw))
    _states[alarm_id] = (raw, parsed)
    return parsed


def _plain(values: tuple[Any, ...], sources: dict[str, str], triggers: dict[str, str],
           stamps: dict[Any, datetime | None]) -> dict[str, Any]:
    alarm_id = values[0]
    static = values[:8] + values[12:]
    known = _definitions.get(alarm_id)
    if known is None or known[0] != static:
        row = _Row(values)
        row.config = _json(row.config)
        row.state = None
        row.created_at, row.updated_at = parse_ts(row.created_at), parse_ts(row.updated_at)
        definition = plain_alarm(row, {}, {})
        for key in ("state", "phase", "event_id", "last_value", "last_error",
                    "last_evaluated_at"):
            definition.pop(key)
        known = (static, definition, {})
        _definitions[alarm_id] = known
    state, event_id = _parsed_state(alarm_id, values[8])
    last = values[11]
    if last not in stamps:
        stamps[last] = parse_ts(last)
    definition = known[1]
    return {**definition,
            "data_source": sources.get(definition["data_source_id"] or "", ""),
            "trigger": triggers.get(definition["trigger_id"] or "", ""),
            "state": state, "phase": state.phase, "event_id": event_id,
            "last_value": values[9] or "", "last_error": values[10] or "",
            "last_evaluated_at": stamps[last]}


def rule_of(alarm: dict[str, Any]) -> logic.AlarmRule:
    """The rule the engine evaluates (app.services.alarms.rule_of), made once per edit and
    event for an alarm read here; made anew for any other alarm dictionary."""
    known = _definitions.get(alarm.get("id") or "")
    if known is None or known[1]["config"] is not alarm["config"]:
        return plain_rule(alarm)
    rules = known[2]
    rule = rules.get(alarm["event_id"])
    if rule is None:
        rule = rules[alarm["event_id"]] = plain_rule(alarm)
    return rule


def due_alarms(now: datetime, force: bool = False) -> list[dict[str, Any]]:
    """The active alarms due at `now` (every active one with `force`), by name, in one read."""
    sql = f"SELECT {_SELECT} FROM alarms a WHERE a.active"
    params: list[Any] = []
    if not force:
        moment = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        sql += f" AND {_DUE}"
        params = [moment, moment]
    sql += " ORDER BY a.name"
    sources, triggers = names_of(DataSource), names_of(Trigger)
    stamps: dict[Any, datetime | None] = {}
    if len(_definitions) > 50_000:  # alarms deleted over months leave theirs behind
        _definitions.clear()
        _states.clear()
    return [_plain(values, sources, triggers, stamps)
            for values in database_proxy.execute_sql(sql, params).fetchall()]


def last_evaluated() -> datetime | None:
    """When an active alarm was last evaluated (the latest of them), None if never."""
    row = database_proxy.execute_sql(
        "SELECT max(last_evaluated_at) FROM alarms WHERE active "
        "AND last_evaluated_at IS NOT NULL").fetchone()
    return parse_ts(row[0]) if row else None


def current_states(alarms: list[dict[str, Any]]
                   ) -> dict[str, tuple[logic.AlarmState, int | None]]:
    """The stored state of each alarm now, in one read (an ack may have landed meanwhile).

    Alarms switched off, edited or deleted since `alarms` were read are left out: the value
    read for them may be of another tag or limit."""
    out: dict[str, tuple[logic.AlarmState, int | None]] = {}
    as_read = {a["id"]: a for a in alarms}
    ids = list(as_read)
    stamps: dict[Any, datetime | None] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        marks = ", ".join("?" * len(chunk))
        for alarm_id, state, active, updated in database_proxy.execute_sql(
                f"SELECT id, state, active, updated_at FROM alarms WHERE id IN ({marks})",
                chunk).fetchall():
            if updated not in stamps:
                stamps[updated] = parse_ts(updated)
            if active and stamps[updated] == as_read[alarm_id]["updated_at"]:
                out[alarm_id] = _parsed_state(alarm_id, state)
    return out


def open_events() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every open event of an active alarm that escalation may act on, newest first, with its
    alarm as stored now: (event, alarm). Events told and acknowledged, or told to their last
    level, are left in the database. The event without its history (not needed here)."""
    sql = (f"SELECT e.id, e.value, e.why, e.raised_at, e.notified_at, e.acknowledged_by, "
           f"e.escalation_level, {_SELECT} FROM alarm_events e JOIN alarms a "
           f"ON a.id = e.alarm_id WHERE e.state != 'cleared' AND a.active AND NOT {_TOLD} "
           f"ORDER BY e.id DESC")
    sources, triggers = names_of(DataSource), names_of(Trigger)
    stamps: dict[Any, datetime | None] = {}
    out = []
    for values in database_proxy.execute_sql(sql).fetchall():
        alarm = _plain(values[7:], sources, triggers, stamps)
        for at in (values[3], values[4]):
            if at not in stamps:
                stamps[at] = parse_ts(at)
        event = {"number": values[0], "alarm_id": alarm["id"], "alarm": alarm["name"],
                 "value": values[1] or "", "why": values[2] or "",
                 "raised_at": stamps[values[3]], "notified_at": stamps[values[4]],
                 "acknowledged_by": values[5] or "", "escalation_level": values[6] or 0}
        out.append((event, alarm))
    return out



def mark_unreachable(event_id: int, at: datetime, level: int, why: str,
                     advance: bool = False) -> bool:
    """Nobody on `level` (0: the first) could be told of the event, for these reasons: a
    history entry "unreachable", written once while the level and the reasons stay the same.
    With `advance` (an escalation), the event counts as escalated to that level, so the next
    level is told in its time. Returns whether anything was written."""
    row = AlarmEventRow.get_or_none(AlarmEventRow.id == event_id)
    if row is None:
        return False
    history = list(row.history) if isinstance(row.history, list) else []
    last = next((h for h in reversed(history) if h.get("what") == "unreachable"), None)
    fields: dict[str, Any] = {}
    if advance and (row.escalation_level or 0) < level:
        fields["escalation_level"] = level
    if last is None or (last.get("level"), last.get("detail", "")) != (level + 1, why):
        entry = {"at": format_ts(at), "what": "unreachable", "level": level + 1}
        fields["history"] = history + [{**entry, "detail": why} if why else entry]
    if not fields:
        return False
    AlarmEventRow.update(**fields).where(AlarmEventRow.id == event_id).execute()
    events.changed("alarms")
    return True


def _update_each(alarm_ids: list[str], columns: dict[str, Any]) -> None:
    sets = ", ".join(f"{name} = ?" for name in columns)
    for start in range(0, len(alarm_ids), 500):  # SQLite's limit on bound parameters
        chunk = alarm_ids[start:start + 500]
        database_proxy.execute_sql(
            f"UPDATE alarms SET {sets} WHERE id IN ({', '.join('?' * len(chunk))})",
            [*columns.values(), *chunk])
    if alarm_ids:
        events.changed("alarms")


def mark_evaluated(alarm_ids: list[str], at: datetime) -> None:
    """Alarms evaluated with nothing else to record: one write for all of them."""
    _update_each(alarm_ids, {"last_evaluated_at": format_ts(at)})


def mark_unreadable(alarm_ids: list[str], reason: str, at: datetime) -> None:
    """Alarms whose value could not be read, for `reason`: their state stays as it is; the
    reason and the time of evaluation are written for all of them at once."""
    _update_each(alarm_ids, {"last_error": reason, "last_evaluated_at": format_ts(at)})
