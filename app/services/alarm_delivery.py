"""What the escalation on delivery reads: when an alarm event's current level was told, the
WhatsApp rows that told it, whether any phone reported one delivered, and the e-mail addresses
of the people behind WhatsApp chats.

The level's telling is the event's last "sent" or "escalated" history entry (its time, level
and chats, typed fields of the entry); its rows are the WhatsApp rows queued since then that
carry a line of the event (outgoing_message_alarm_events) and go to one of those chats,
including an offline summary that carried it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import fn

from app.core.timefmt import format_ts, parse_ts
from app.db.models import AlarmEventRow, OutgoingAlarmLine, OutgoingMessage
from app.services import emails
from app.services.outbox import WHATSAPP
from app.services.recipients import _person_chat

__all__ = ["LevelTold", "addresses_of_chats", "level_told", "told_emails", "whatsapp_rows"]


@dataclass(frozen=True)
class LevelTold:
    at: datetime
    level: int  # 0: the first level
    chats: list[str]
    emails: list[str]


def _history(event_id: int) -> list[dict[str, Any]]:
    row = AlarmEventRow.get_or_none(AlarmEventRow.id == event_id)
    return list(row.history) if row is not None and isinstance(row.history, list) else []


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
    """Every address the event went to by e-mail, as its history records them."""
    found: dict[str, None] = {}
    for entry in history:
        if entry.get("what") in ("sent", "escalated"):
            for address in entry.get("emails") or []:
                found[str(address)] = None
    return list(found)


def whatsapp_rows(event_id: int, since: datetime, chats: list[str]) -> list[dict[str, Any]]:
    """The WhatsApp rows queued since `since` that told these chats of the event: id,
    recipient, status, delivered_at."""
    if not chats:
        return []
    out = OutgoingMessage
    query = (out.select(out.id, out.recipient, out.status, out.delivered_at)
             .join(OutgoingAlarmLine, on=(OutgoingAlarmLine.outgoing == out.id))
             .where((OutgoingAlarmLine.event_id == event_id) & (out.medium == WHATSAPP)
                    & out.recipient.in_(list(chats))
                    & (fn.julianday(out.created_at) >= fn.julianday(format_ts(since))))
             .distinct().order_by(out.id))
    return [{"id": r.id, "recipient": r.recipient, "status": r.status or "pending",
             "delivered_at": r.delivered_at} for r in query]


def addresses_of_chats(chats: list[str], everyone: list[dict[str, Any]]
                       ) -> dict[str, tuple[str, str]]:
    """chat → (the person's name, their e-mail address), for the people who have one."""
    wanted = set(chats)
    people = {_person_chat(c): c for c in everyone if c["kind"] == "person"}
    ids = {chat: people[chat]["id"] for chat in wanted if chat in people}
    found = emails.emails_of(ids.values())
    return {chat: (people[chat]["display_name"], found[cid]) for chat, cid in ids.items()
            if cid in found}
