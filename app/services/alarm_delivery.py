"""What the escalation on delivery reads: when an alarm event's current level was told, the
WhatsApp rows that told it, whether any phone reported one delivered, and the e-mail addresses
of the people behind WhatsApp chats.

The level's telling is the event's last "sent" or "escalated" history entry (its time, level
and chats, typed fields of the entry); its rows are the WhatsApp rows queued since then that
carry a line of the event (outgoing_message_alarm_events) and go to one of those chats,
including an offline summary that carried it instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.timefmt import format_ts, parse_ts
from app.db.models import database_proxy
from app.services import emails, events
from app.services.outbox import WHATSAPP
from app.services.recipients import _person_chat

__all__ = ["LevelTold", "addresses_of_chats", "level_told", "record_emailed", "told_emails",
           "whatsapp_rows"]


@dataclass(frozen=True)
class LevelTold:
    at: datetime
    level: int  # 0: the first level
    chats: list[str]
    emails: list[str]


# Plain statements, as the alarm cycle's own writes (app/services/alarms.py): escalation on
# delivery may look at thousands of open events in one cycle.
def _history(event_id: int) -> list[dict[str, Any]]:
    row = database_proxy.execute_sql("SELECT history FROM alarm_events WHERE id = ?",
                                      [event_id]).fetchone()
    try:
        found = json.loads(row[0]) if row and row[0] else []
    except (TypeError, ValueError):
        return []
    return found if isinstance(found, list) else []


def record_emailed(event_id: int, at: datetime, to: list[str], addresses: list[str],
                   detail: str) -> None:
    """The event's history: a copy went by e-mail to these people, and why."""
    entry = {"at": format_ts(at), "what": "emailed", "to": ", ".join(to),
             "emails": list(addresses), "detail": detail}
    history = _history(event_id) + [entry]
    database_proxy.execute_sql("UPDATE alarm_events SET history = ? WHERE id = ?",
                               [json.dumps(history, ensure_ascii=False, separators=(",", ":")),
                                event_id])
    events.changed("alarms")


def level_told(event_id: int) -> LevelTold | None:
    """The last telling of the event (its first message or its last escalation)."""
    for entry in reversed(_history(event_id)):
        if entry.get("what") in ("sent", "escalated"):
            at = parse_ts(entry.get("at"))
            if at is None:
                return None
            return LevelTold(at, int(entry.get("level") or 1) - 1,
                             [str(c) for c in entry.get("chats") or []],
                             [str(a) for a in entry.get("emails") or []])
    return None


def told_emails(history: list[dict[str, Any]]) -> list[str]:
    """Every address the event went to by e-mail, as its history records them (a stand-in
    copy of an undelivered WhatsApp message included)."""
    found: dict[str, None] = {}
    for entry in history:
        if entry.get("what") in ("sent", "escalated", "emailed"):
            for address in entry.get("emails") or []:
                found[str(address)] = None
    return list(found)


def whatsapp_rows(event_id: int, since: datetime, chats: list[str]) -> list[dict[str, Any]]:
    """The WhatsApp rows queued since `since` that told these chats of the event: id,
    recipient, status, delivered_at."""
    if not chats:
        return []
    wanted = list(dict.fromkeys(chats))[:500]  # well inside SQLite's limit of bound values
    rows = database_proxy.execute_sql(
        "SELECT DISTINCT o.id, o.recipient, o.status, o.delivered_at FROM outgoing_messages o "
        "JOIN outgoing_message_alarm_events l ON l.outgoing_id = o.id "
        "WHERE l.event_id = ? AND o.medium = ? AND julianday(o.created_at) >= julianday(?) "
        f"AND o.recipient IN ({', '.join('?' * len(wanted))}) ORDER BY o.id",
        [event_id, WHATSAPP, format_ts(since), *wanted]).fetchall()
    return [{"id": r[0], "recipient": r[1], "status": r[2] or "pending",
             "delivered_at": parse_ts(r[3])} for r in rows]


def addresses_of_chats(chats: list[str], everyone: list[dict[str, Any]]
                       ) -> dict[str, tuple[str, str]]:
    """chat → (the person's name, their e-mail address), for the people who have one."""
    wanted = set(chats)
    people = {_person_chat(c): c for c in everyone if c["kind"] == "person"}
    ids = {chat: people[chat]["id"] for chat in wanted if chat in people}
    found = emails.emails_of(ids.values())
    return {chat: (people[chat]["display_name"], found[cid]) for chat, cid in ids.items()
            if cid in found}
