"""What one alarm cycle reads and writes, at plant scale (5,000 alarms on 5,000 tags).

Before the values are read: one narrow read of every active alarm (its id, when it was edited,
when it was last evaluated), the due test in Python, and the definitions (config JSON, levels,
recipients, the rule) from copies kept between cycles: an alarm is read in full again only
when its updated_at moved (another program's edit too), and all of them when this process
changes a definition (the change notice DEFINITIONS) or renames a connection or trigger.
After the values are read: the states, in one read, parsed only when their text changed.
Escalation reads the open events with their alarms in one query and without their history.
Rows are read as plain tuples and written with plain statements, several rows each: building a
peewee model or query per row costs more than the cycle's own logic. The alarms and their
events otherwise live in app.services.alarms, whose dictionaries these are.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core import alarms as logic
from app.core.timefmt import format_ts, parse_ts, utc_now
from app.db.models import Alarm, AlarmEventRow, DataSource, JsonText, Trigger, database_proxy
from app.services import events
from app.services.alarms import DEFINITIONS, names_of, plain_alarm, state_of, state_text
from app.services.alarms import rule_of as plain_rule

_COLUMNS = ("id", "name", "active", "kind", "data_source_id", "tag", "trigger_id", "config",
            "state", "last_value", "last_error", "last_evaluated_at", "created_at",
            "updated_at")
_DEFINITION = ("id", "name", "active", "kind", "data_source_id", "tag", "trigger_id",
               "config", "created_at", "updated_at")
# A copy of a row edited this recently is not kept: another program's edit in the same second
# (updated_at counts whole seconds) would look like the row already kept.
_SETTLED_S = 2.0

# An open event surely nothing is to be done about: told (the alarm's state says so too),
# and acknowledged or already at its last level of recipients. Anything SQLite cannot read
# is left for the engine to look at.
_TOLD = ("(e.notified_at IS NOT NULL AND json_valid(a.state) AND json_valid(a.config) "
         "AND json_extract(a.state, '$.notified') = 1 "
         "AND (coalesce(e.acknowledged_by, '') != '' "
         "OR (json_type(a.config, '$.recipients') = 'array' "
         "AND e.escalation_level + 1 >= json_array_length(a.config, '$.recipients'))))")

# Told (the state says so too) after the moment given: waiting for a later level's time.
_TOLD_RECENTLY = ("(e.notified_at IS NOT NULL AND julianday(e.notified_at) > julianday(?) "
                  "AND json_valid(a.state) AND json_extract(a.state, '$.notified') = 1)")


@dataclass
class _Kept:
    """What the cycle keeps between cycles, for the database it was read from."""

    database: Any = None
    # alarm id → [the row's updated_at as stored, the definition, the open event's number
    # and the rule made for it]
    definitions: dict[str, list[Any]] = field(default_factory=dict)
    # alarm id → (the stored state text, the state it says, the open event's number)
    states: dict[str, tuple[str | None, logic.AlarmState, int | None]] = \
        field(default_factory=dict)
    # The JSON text of a part of a definition (its levels, a config value) → one object for
    # every alarm that has it: 5,000 alarms to the same group hold one list of levels, so the
    # garbage collector has thousands of objects fewer to walk (a pause the loop feels).
    shared: dict[str, Any] = field(default_factory=dict)
    stamps: dict[Any, datetime | None] = field(default_factory=dict)
    notices: tuple[int, ...] = ()
    # The least minutes any active alarm's level 2 or later waits, as of the last due read:
    # an event told more recently cannot escalate yet (None: not known).
    least_wait_min: float | None = None
    names: tuple[dict[str, str], dict[str, str]] = ({}, {})


_kept = _Kept()
# How many definitions and states have been kept since the process started (a count that only
# grows): the engine tells from it when a cycle made many objects that will live long.
_made = 0
_lock = threading.Lock()
_json = JsonText().python_value  # the column's own reading: JSON, or the text it is


def _copies() -> _Kept:
    """The kept copies, dropped when an alarm's definition changed (the change notices of
    this process; another program's edit shows in the row's updated_at, which each read
    compares), a connection or trigger was renamed, for another database, or when alarms
    deleted over months left too many behind."""
    global _kept
    notices = events.committed(DEFINITIONS)
    database = database_proxy.obj
    # The names of the connections and triggers (a handful of rows): read every time, so a
    # renamed one is seen whichever program renamed it.
    names = (names_of(DataSource), names_of(Trigger))
    kept = _kept
    if kept.database is not database or kept.notices != notices or kept.names != names or \
            len(kept.definitions) > 50_000:
        kept = _kept = _Kept(database, notices=notices, names=names)
    elif len(kept.stamps) > 10_000:  # parsed times only: the definitions and states stay
        kept.stamps.clear()
    return kept


def _shared(kept: _Kept, value: Any) -> Any:
    if not isinstance(value, (list, dict)) or not value:
        return value
    key = json.dumps(value, sort_keys=True, default=str)
    return kept.shared.setdefault(key, value)


def _stamp(kept: _Kept, raw: Any) -> datetime | None:
    """A stored timestamp, parsed once (a cycle's alarms share their few stamps)."""
    try:
        return kept.stamps[raw]
    except KeyError:
        parsed = kept.stamps[raw] = parse_ts(raw)
        return parsed


class _Row:
    """The attributes plain_alarm reads, from one tuple of _DEFINITION."""

    __slots__ = (*_DEFINITION, "state", "last_value", "last_error", "last_evaluated_at")

    def __init__(self, values: tuple[Any, ...]) -> None:
        for name, value in zip(_DEFINITION, values, strict=True):
            setattr(self, name, value)
        self.state = self.last_value = self.last_error = self.last_evaluated_at = None


def _definition(kept: _Kept, values: tuple[Any, ...], settled: datetime) -> dict[str, Any]:
    """The alarm's definition from one row of _DEFINITION, kept until the row is edited."""
    row = _Row(values)
    config = _json(row.config)
    if isinstance(config, dict):
        config = {key: _shared(kept, value) for key, value in config.items()}
    row.config = config
    row.created_at, row.updated_at = parse_ts(row.created_at), parse_ts(row.updated_at)
    definition = plain_alarm(row, {}, {})
    for key in ("state", "phase", "event_id", "last_value", "last_error",
                "last_evaluated_at", "data_source", "trigger"):
        definition.pop(key)
    for key in ("levels", "audience", "quiet_hours"):
        definition[key] = _shared(kept, definition[key])
    if row.updated_at is None or row.updated_at < settled:
        # One list, not a tuple and a dict: a few thousand objects fewer for the collector.
        kept.definitions[row.id] = [values[-1], definition, None, None]
        _count_made()
    return definition


def _parsed_state(kept: _Kept, alarm_id: str, raw: str | None
                  ) -> tuple[logic.AlarmState, int | None]:
    known = kept.states.get(alarm_id)
    if known is not None and known[0] == raw:
        return known[1], known[2]
    state, event_id = state_of(_json(raw))
    kept.states[alarm_id] = (raw, state, event_id)
    _count_made()
    return state, event_id


def _count_made(count: int = 1) -> None:
    global _made
    _made += count


def copies_made() -> int:
    """How many definitions and states the cycles have kept so far, in this process (only
    grows): a cycle that adds many has made long-lived objects."""
    return _made


def rule_of(alarm: dict[str, Any]) -> logic.AlarmRule:
    """The rule the engine evaluates (app.services.alarms.rule_of), made once per edit and
    event for an alarm read here; made anew for any other alarm dictionary."""
    known = _kept.definitions.get(alarm.get("id") or "")
    if known is None or known[1]["config"] is not alarm["config"]:
        return plain_rule(alarm)
    return _rule(known, alarm, alarm["event_id"])


def _definitions_of(kept: _Kept, rows: list[tuple[Any, ...]]) -> dict[str, dict[str, Any]]:
    """id → definition for rows that start (id, updated_at, ...): the kept ones, and the
    alarms edited since they were kept read in full (and kept)."""
    known = kept.definitions
    out = {}
    fresh = []
    for row in rows:
        found = known.get(row[0])
        if found is not None and found[0] == row[1]:
            out[row[0]] = found[1]
        else:
            fresh.append(row[0])
    if fresh:
        sources, triggers = kept.names
        settled = utc_now() - timedelta(seconds=_SETTLED_S)
        for values in _in_chunks(f"SELECT {', '.join(_DEFINITION)} FROM alarms WHERE id IN",
                                 list(dict.fromkeys(fresh))):
            definition = _definition(kept, values, settled)
            definition["data_source"] = sources.get(definition["data_source_id"] or "", "")
            definition["trigger"] = triggers.get(definition["trigger_id"] or "", "")
            out[values[0]] = definition
    return out


def rule_for(alarm: dict[str, Any], event_id: int | None) -> logic.AlarmRule:
    """rule_of for a definition of due_definitions and the alarm's open event (its number is
    the rule's): the same rule object every cycle until the alarm is edited or the event
    changes."""
    known = _kept.definitions.get(alarm["id"])
    if known is None or known[1] is not alarm:
        return plain_rule({**alarm, "event_id": event_id})
    return _rule(known, alarm, event_id)


def _rule(known: list[Any], alarm: dict[str, Any], event_id: int | None) -> logic.AlarmRule:
    """The kept rule of the alarm's open event (its number is the rule's), made anew when
    the event changed."""
    if known[3] is None or known[2] != event_id:
        known[2], known[3] = event_id, plain_rule({**alarm, "event_id": event_id})
    return known[3]


def due_definitions(now: datetime, force: bool = False) -> list[dict[str, Any]]:
    """The definitions of the active alarms due at `now` (every active one with `force`), by
    name: what the cycle reads before it asks the sources for values.

    One narrow read of every active alarm (its id, when it was edited and last evaluated);
    the definitions come from the kept copies, and only an alarm edited since is read in full.
    The dictionaries are the kept ones, shared from cycle to cycle: read them, never change
    them. Each has its data source's and trigger's names."""
    with _lock:
        kept = _copies()
        rows = database_proxy.execute_sql(
            "SELECT id, updated_at, last_evaluated_at FROM alarms WHERE active "
            "ORDER BY name").fetchall()
        definitions = _definitions_of(kept, rows)
        kept.least_wait_min = _least_wait(definitions.values())
        # An alarm deleted between the two reads is left out (definitions has no entry).
        if force:
            return [definitions[alarm_id] for alarm_id, _updated, _last in rows
                    if alarm_id in definitions]
        out = []
        since: dict[Any, float | None] = {}  # a stored stamp → seconds from it to now
        for alarm_id, _updated, last in rows:
            if last not in since:
                when = _stamp(kept, last)
                # An alarm never evaluated, or evaluated "after" now (the clock was set
                # back), is due.
                since[last] = None if when is None or when > now else \
                    (now - when).total_seconds()
            seconds = since[last]
            definition = definitions.get(alarm_id)
            if definition is None:
                continue
            if seconds is None or seconds >= definition["interval_s"] - 0.5:
                out.append(definition)
        return out


def _least_wait(definitions: Any) -> float:
    """The least minutes a level after the first waits (for an acknowledgement, or for the
    level before's delivery), over these definitions; infinity when none has such a level."""
    least = math.inf
    seen: set[int] = set()
    for definition in definitions:
        levels = definition["levels"]
        if id(levels) in seen:  # shared by the alarms that have the same levels
            continue
        seen.add(id(levels))
        for level in levels[1:]:
            least = min(least, float(level["after_min"]), float(level["undelivered_min"] or
                                                               math.inf))
    return least


def _in_chunks(select: str, ids: list[str]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        out += database_proxy.execute_sql(f"{select} ({', '.join('?' * len(chunk))})",
                                          chunk).fetchall()
    return out


def due_alarms(now: datetime, force: bool = False) -> list[dict[str, Any]]:
    """The active alarms due at `now` (every active one with `force`), by name, each with its
    state as stored: app.services.alarms' dictionaries (new ones, the caller's to change)."""
    due = due_definitions(now, force)
    current = current_states(due)
    stamps: dict[Any, datetime | None] = {}
    out = []
    for alarm in due:
        found = current.get(alarm["id"])
        if found is None:
            continue
        state, event_id, last_value, last_error, last = found
        if last not in stamps:
            stamps[last] = parse_ts(last)
        out.append({**alarm, "state": state, "phase": state.phase, "event_id": event_id,
                    "last_value": last_value, "last_error": last_error,
                    "last_evaluated_at": stamps[last]})
    return out


def last_evaluated() -> datetime | None:
    """When an active alarm was last evaluated (the latest of them), None if never."""
    row = database_proxy.execute_sql(
        "SELECT max(last_evaluated_at) FROM alarms WHERE active "
        "AND last_evaluated_at IS NOT NULL").fetchone()
    return parse_ts(row[0]) if row else None


Current = tuple[logic.AlarmState, int | None, str, str, Any]


def current_states(alarms: list[dict[str, Any]]) -> dict[str, Current]:
    """Each alarm as stored now, in one read (an ack may have landed meanwhile): its state,
    its open event's number, its last value and error, and when it was last evaluated (as
    stored).

    Alarms switched off, edited or deleted since `alarms` were read are left out: the value
    read for them may be of another tag or limit."""
    with _lock:
        kept = _copies()
        as_read = {a["id"]: a for a in alarms}
        select = "SELECT id, state, active, updated_at, last_value, last_error, " \
                 "last_evaluated_at FROM alarms"
        if len(as_read) > 500:  # most of them: one pass over the table beats the lookups
            rows = database_proxy.execute_sql(f"{select} WHERE active").fetchall()
        else:
            rows = _in_chunks(f"{select} WHERE id IN", list(as_read))
        out: dict[str, Current] = {}
        states, stamps = kept.states, kept.stamps
        for alarm_id, state, active, updated, value, error, last in rows:
            alarm = as_read.get(alarm_id)
            if alarm is None or not active:
                continue
            when = stamps[updated] if updated in stamps else _stamp(kept, updated)
            if when != alarm["updated_at"]:
                continue
            known = states.get(alarm_id)
            if known is not None and known[0] == state:
                out[alarm_id] = (known[1], known[2], value or "", error or "", last)
            else:
                parsed, event_id = _parsed_state(kept, alarm_id, state)
                out[alarm_id] = (parsed, event_id, value or "", error or "", last)
        return out


def open_events(now: datetime | None = None) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every open event of an active alarm that escalation may act on, newest first, with its
    alarm as stored now: (event, alarm). Events told and acknowledged, or told to their last
    level, are left in the database; with `now`, so are events told so recently that no
    level of any alarm can be due yet (as of the last due_definitions). The event without
    its history (not needed here)."""
    sql = ("SELECT a.id, a.updated_at, a.state, a.last_value, a.last_error, "
           "a.last_evaluated_at, e.id, e.value, e.why, e.raised_at, e.notified_at, "
           "e.acknowledged_by, e.escalation_level FROM alarm_events e JOIN alarms a "
           f"ON a.id = e.alarm_id WHERE e.state != 'cleared' AND a.active AND NOT {_TOLD}")
    params: list[Any] = []
    with _lock:
        kept = _copies()
        least = kept.least_wait_min
        if now is not None and least is not None and least < 1e6:
            sql += f" AND NOT {_TOLD_RECENTLY}"
            # A second on: the stored times are whole seconds, and an event whose time has
            # come must not be left out by the rounding.
            params.append(format_ts(now - timedelta(minutes=least) + timedelta(seconds=1)))
        rows = database_proxy.execute_sql(sql + " ORDER BY e.id DESC", params).fetchall()
        definitions = _definitions_of(kept, rows)
        out = []
        for (alarm_id, _updated, raw_state, last_value, last_error, last, number, value, why,
             raised_at, notified_at, acknowledged_by, level) in rows:
            state, event_id = _parsed_state(kept, alarm_id, raw_state)
            definition = definitions[alarm_id]
            alarm = {**definition, "state": state, "phase": state.phase, "event_id": event_id,
                     "last_value": last_value or "", "last_error": last_error or "",
                     "last_evaluated_at": _stamp(kept, last)}
            event = {"number": number, "alarm_id": alarm_id, "alarm": definition["name"],
                     "value": value or "", "why": why or "",
                     "raised_at": _stamp(kept, raised_at),
                     "notified_at": _stamp(kept, notified_at),
                     "acknowledged_by": acknowledged_by or "", "escalation_level": level or 0}
            out.append((event, alarm))
        return out


def alarms_of_events(numbers: list[int]) -> dict[int, dict[str, Any]]:
    """Event number → its alarm as app.services.alarms.get_alarm gives it (with its state as
    stored now), for many events in a few statements, not two per event: what the offline
    summary says of where each alarm named stands. Events and alarms gone are left out."""
    wanted = list(dict.fromkeys(numbers))
    alarm_of: dict[int, str] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start:start + 500]
        alarm_of.update(database_proxy.execute_sql(
            f"SELECT id, alarm_id FROM alarm_events WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk).fetchall())
    ids = list(dict.fromkeys(alarm_of.values()))
    sources, triggers = names_of(DataSource), names_of(Trigger)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        for row in Alarm.select().where(Alarm.id.in_(ids[start:start + 500])):
            found[row.id] = plain_alarm(row, sources, triggers)
    return {number: found[alarm_id] for number, alarm_id in alarm_of.items()
            if alarm_id in found}


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
    """One statement for all of them, the ids as one JSON array: for most of the table, one
    pass over it (`+id` keeps SQLite from looking each id up in the key's index, which costs
    more than reading every row once); for a few, by the key."""
    if not alarm_ids:
        return
    sets = ", ".join(f"{name} = ?" for name in columns)
    key = "+id" if len(alarm_ids) > 500 else "id"
    database_proxy.execute_sql(
        f"UPDATE alarms SET {sets} WHERE {key} IN (SELECT value FROM json_each(?))",
        [*columns.values(), json.dumps(alarm_ids)])
    events.changed("alarms")


def _as_stored(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC).replace(microsecond=0)


def save_states(rows: list[tuple[str, logic.AlarmState, int | None, str, str, datetime]]
                ) -> dict[str, logic.AlarmState]:
    """The cycle's new states (alarm id, state, open event, last value, last error, when
    evaluated), one statement run for all of them. Returns each state as the next read will
    find it (its times in whole seconds, as stored), and keeps it as that read's parse, so
    the next cycle parses none of the states this one wrote."""
    if not rows:
        return {}
    with _lock:
        kept = _copies()
        params = []
        out = {}
        for alarm_id, state, event_id, value, error, at in rows:
            stored = replace(state, phase=str(state.phase or "normal"),
                             condition_since=_as_stored(state.condition_since),
                             active_since=_as_stored(state.active_since),
                             acknowledged_by=state.acknowledged_by or None,
                             shelved_until=_as_stored(state.shelved_until),
                             last_value=str(state.last_value or ""),
                             notified=bool(state.notified))
            raw = state_text(stored, event_id)
            kept.states[alarm_id] = (raw, stored, event_id)
            out[alarm_id] = stored
            params.append((raw, value, error, format_ts(at), alarm_id))
        database_proxy.cursor().executemany(
            "UPDATE alarms SET state = ?, last_value = ?, last_error = ?, last_evaluated_at = ? "
            "WHERE id = ?", params)
        events.changed("alarms")
        _count_made(len(out))
        return out


def mark_evaluated(alarm_ids: list[str], at: datetime) -> None:
    """Alarms evaluated with nothing else to record: one write for all of them."""
    _update_each(alarm_ids, {"last_evaluated_at": format_ts(at)})


def mark_unreadable(alarm_ids: list[str], reason: str, at: datetime) -> None:
    """Alarms whose value could not be read, for `reason`: their state stays as it is; the
    reason and the time of evaluation are written for all of them at once."""
    _update_each(alarm_ids, {"last_error": reason, "last_evaluated_at": format_ts(at)})
