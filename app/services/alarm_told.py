"""That an alarm event's message went out: its level, to whom, who was left out and why, for the
event's history. For one event, or for many in a few statements: an escalation that tells the
next level of 2,500 open events at once writes them together, not two statements per event.
Plain statements, as the alarm cycle's other writes (app.services.alarms)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.timefmt import format_ts
from app.db.models import database_proxy
from app.services import events


@dataclass(frozen=True)
class Told:
    """The event's message went out at `level` (0: the first) to `to` (names; `chats`, their
    WhatsApp ids, are who hears that it cleared); `left_out` says who did not get it and why
    (a group not approved, or without the trigger's tags); `because`: why it escalated (not
    acknowledged, not delivered); `emails`: the addresses it went to by e-mail (who hears by
    e-mail that it cleared)."""

    event_id: int
    at: datetime
    level: int
    late: bool
    to: list[str]
    left_out: str = ""
    chats: list[str] | None = None
    because: str = ""
    emails: list[str] | None = None


def mark_notified(event_id: int, at: datetime, level: int, late: bool, to: list[str],
                  left_out: str = "", chats: list[str] | None = None, because: str = "",
                  emails: list[str] | None = None) -> None:
    """One event's message went out (see Told)."""
    mark_all_notified([Told(event_id, at, level, late, to, left_out, chats, because, emails)])


def mark_all_notified(told: list[Told]) -> None:
    """Each of these messages went out, in this order (an event named twice has both on its
    record): one read and one statement per 500 events."""
    if not told:
        return
    wanted = list(dict.fromkeys(t.event_id for t in told))
    stored: dict[int, list[Any]] = {}
    for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
        chunk = wanted[start:start + 500]
        for event_id, *columns in database_proxy.execute_sql(
                "SELECT id, notified_at, state, late, history FROM alarm_events "
                f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall():
            stored[event_id] = [*columns[:3], history_from_text(columns[3])]
    for item in told:
        row = stored.get(item.event_id)
        if row is None:
            continue  # deleted meanwhile
        if row[0] is None:
            row[0] = format_ts(item.at)
        if item.late:
            row[2] = 1
        if row[1] == "shelved":
            row[1] = "active"
        details = {"level": item.level + 1, "to": ", ".join(item.to), "detail": item.left_out,
                   "chats": None if item.chats is None else list(item.chats),
                   "because": item.because,
                   "emails": list(item.emails) if item.emails else None}
        # As append_history: empty details are left out, a list is kept even when empty.
        row[3].append({"at": format_ts(item.at),
                       "what": "escalated" if item.level else "sent",
                       **{k: v for k, v in details.items() if v or isinstance(v, list)}})
        row.append(item.level)
    params = [(level[-1], notified_at, state, late, json_text(history), event_id)
              for event_id, (notified_at, state, late, history, *level) in stored.items()
              if level]
    if not params:
        return
    database_proxy.cursor().executemany(
        "UPDATE alarm_events SET escalation_level = ?, notified_at = ?, state = ?, late = ?, "
        "history = ? WHERE id = ?", params)
    events.changed("alarms")


def history_from_text(raw: Any) -> list[dict[str, Any]]:
    """An event's history as its column holds it (JSON text), [] for what is not a list."""
    try:
        found = json.loads(raw) if raw else []
    except (TypeError, ValueError):
        return []
    return found if isinstance(found, list) else []


def json_text(value: Any) -> str:
    """JSON as the JsonText columns store it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
