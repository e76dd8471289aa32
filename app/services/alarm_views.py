"""The alarms as the desktop's views read them every few seconds, at plant scale (read-only).

The Alarms tab and the Dashboard read every alarm again every few seconds while shown. Through
the ORM that was a model object per alarm with its JSON parsed and its times converted, every
time: about a second of Python for 5,000 alarms, on a worker thread that held the interpreter
lock the window's thread needs (app/ui/off_loop.py). Here the rows are read as plain tuples in
one statement; an alarm whose stored row (and the names of its connection and trigger) is the
same as at the last read is given back as the very dict built then, so only the alarms that
changed are built again. The dicts are exactly those of alarms.list_alarms(); callers must not
change them (they are shared between reads).
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from app.core.timefmt import utc_now
from app.db.models import Alarm, AlarmEventRow, DataSource, Trigger, database_proxy
from app.services import outbox, recipients
from app.services.alarms import event_plain, names_of, plain_alarm

__all__ = ["alarm_list", "dashboard_flags", "recent_events"]

_FIELDS = ("id", "name", "active", "kind", "data_source_id", "tag", "trigger_id", "config",
           "state", "last_value", "last_error", "last_evaluated_at", "created_at", "updated_at")
# Each stored value read as the model's own field reads it (JSON, times, booleans).
_CONVERT = tuple(Alarm._meta.fields[name].python_value for name in _FIELDS)
_lock = threading.Lock()
_built: dict[str, tuple[tuple, dict[str, Any]]] = {}  # alarm id → (its stored row, its dict)


def alarm_list() -> list[dict[str, Any]]:
    """Every alarm by name, as alarms.list_alarms() gives them; unchanged ones not rebuilt."""
    global _built
    sources, triggers = names_of(DataSource), names_of(Trigger)
    stored = database_proxy.execute_sql(
        f"SELECT {', '.join(_FIELDS)} FROM alarms ORDER BY name").fetchall()
    with _lock:
        before, built, out = _built, {}, []
        for raw in stored:
            key = (raw, sources.get(raw[4] or ""), triggers.get(raw[6] or ""))
            seen = before.get(raw[0])
            if seen is not None and seen[0] == key:
                row = seen[1]
            else:
                row = plain_alarm(SimpleNamespace(**{
                    name: convert(value)
                    for name, convert, value in zip(_FIELDS, _CONVERT, raw, strict=True)}),
                    sources, triggers)
            built[raw[0]] = (key, row)
            out.append(row)
        _built = built
    return out


def recent_events(limit: int, open_only: bool, alarm_names: dict[str, str]
                  ) -> list[dict[str, Any]]:
    """As alarms.list_events(limit, open_only), newest first, with the alarms' names the
    caller has read already (rather than every alarm's name read again)."""
    query = AlarmEventRow.select().order_by(AlarmEventRow.id.desc()).limit(limit)
    if open_only:
        query = query.where(AlarmEventRow.state != "cleared")
    return [event_plain(row, alarm_names) for row in query]


def dashboard_flags(now: datetime | None = None) -> dict[str, Any]:
    """As alarms.dashboard_flags(): open alarms, unacknowledged ones, alarm messages waiting
    for WhatsApp or failed, alarms whose data cannot be read, alarms nobody can be told of;
    the open events counted in one statement."""
    now = now or utc_now()
    opened, unacknowledged, late = database_proxy.execute_sql(
        "SELECT count(*), coalesce(sum(state = 'active'), 0), coalesce(sum(late), 0) "
        "FROM alarm_events WHERE state != 'cleared'").fetchone()
    waiting, failed = outbox.alarm_outbox_counts(now - timedelta(hours=24))
    every = alarm_list()
    nobody = recipients.unreachable_alarms(every)
    return {"nobody": [a["name"] for a in every if a["id"] in nobody],
            "open": opened, "unacknowledged": unacknowledged, "late": late,
            "waiting": waiting, "failed": failed,
            "unreadable": [a["name"] for a in every if a["active"] and a["last_error"]]}
