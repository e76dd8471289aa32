"""The alarm summary of a control room: every open alarm event, the ones needing someone first.

Active and unacknowledged events come first, then acknowledged ones, then shelved ones; within
each, the most severe and then the oldest first. Each row says who was told and what their
phone reported (sent, delivered, read), from the outgoing rows' receipt columns.

The summary is read again every few seconds while it is shown, over thousands of open events:
it costs three queries whatever the number of rows (the events with their alarms, the receipts
of every recipient of every open event grouped in SQL, the recipients' names), never one per
row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from app.core import alarms as logic
from app.core.timefmt import parse_ts, utc_now
from app.db.database import database_proxy
from app.services.outbox import DEFAULT_CHANNEL

__all__ = ["OpenAlarm", "Told", "open_alarms"]

# The order of the summary's groups: needs someone, someone has it, silenced for a while.
STATES = ("active", "acknowledged", "shelved")
_SEVERITY_RANK = {name: rank for rank, name in enumerate(logic.SEVERITIES)}
# Every state an open event has (the state index finds them; "cleared" is the only other).
_OPEN = "('active', 'acknowledged', 'shelved')"
_CHUNK = 300  # names looked up this many recipients at a time, well inside SQLite's limit


class Told(NamedTuple):
    """One recipient of an event's messages and what their phone reported (the first time it
    reported each step, over every message of the event to them)."""

    recipient: str  # the chat: a person's or a group's WhatsApp id
    name: str  # as people know them: the contact's or group's name, else the number
    status: str  # read, delivered, sent, waiting (not sent yet), failed
    sent_at: datetime | None
    delivered_at: datetime | None
    read_at: datetime | None

    @property
    def at(self) -> datetime | None:
        """The time of the step `status` names."""
        return {"read": self.read_at, "delivered": self.delivered_at,
                "sent": self.sent_at}.get(self.status)


class OpenAlarm(NamedTuple):
    """One row of the summary: an open alarm event."""

    number: int  # what people reply with: "ack 12"
    alarm_id: str
    alarm: str
    state: str  # active, acknowledged or shelved (a shelf that has ended counts as not one)
    severity: str  # critical, high, medium, low
    raised_at: datetime | None
    value: str  # the value that raised it
    why: str
    last_value: str  # the alarm's value as last read
    acknowledged_by: str
    acknowledged_at: datetime | None
    shelved_until: datetime | None
    escalation_level: int
    told: tuple[Told, ...]

    def plain(self) -> dict[str, Any]:
        """A dict for a table row (the GUI's models hold dicts); `told` stays typed."""
        return self._asdict()


def _ts(value: Any) -> datetime | None:
    """A stored time; the app's own form ("YYYY-MM-DD HH:MM:SS", UTC) read the quick way, as
    thousands are read every few seconds, any other through parse_ts."""
    if not value:
        return None
    if isinstance(value, str) and len(value) == 19:
        try:
            return datetime.fromisoformat(value + "+00:00")  # 8 times quicker than replace()
        except ValueError:
            pass
    return parse_ts(value)


def _state(stored: str, acknowledged_by: str, shelved_until: datetime | None,
           now: datetime) -> str:
    if shelved_until is not None and shelved_until > now:
        return "shelved"
    if acknowledged_by or stored == "acknowledged":
        return "acknowledged"
    return "active"


def open_alarms(now: datetime | None = None, channel: str = DEFAULT_CHANNEL) -> list[OpenAlarm]:
    """Every open event in the summary's order, with who was told on `channel` (WhatsApp's
    own messages by default; the Simulator's are apart)."""
    now = now or utc_now()
    events = database_proxy.execute_sql(
        "SELECT e.id, e.alarm_id, a.name, e.state, e.severity, e.raised_at, e.value, e.why, "
        "a.last_value, e.acknowledged_by, e.acknowledged_at, e.shelved_until, "
        "e.escalation_level FROM alarm_events e LEFT JOIN alarms a ON a.id = e.alarm_id "
        f"WHERE e.state IN {_OPEN}").fetchall()
    told = _told(channel)
    names = _names({recipient for rows in told.values() for recipient, *_ in rows})
    out = []
    for (number, alarm_id, alarm, stored, severity, raised, value, why, last_value, by,
         acked_at, until, level) in events:
        shelved_until = _ts(until)
        out.append(OpenAlarm(
            number=number, alarm_id=alarm_id, alarm=alarm or "",
            state=_state(stored, by or "", shelved_until, now),
            severity=severity or "high", raised_at=_ts(raised), value=value or "",
            why=why or "", last_value=last_value or "", acknowledged_by=by or "",
            acknowledged_at=_ts(acked_at), shelved_until=shelved_until,
            escalation_level=level or 0,
            told=tuple(_told_one(row, names) for row in told.get(number, ()))))
    out.sort(key=lambda r: (STATES.index(r.state), _SEVERITY_RANK.get(r.severity, 9),
                            r.raised_at or now, r.number))
    return out


def _told(channel: str) -> dict[int, list[tuple]]:
    """Per open event, per recipient in the order first told: the first sent, delivered and
    read times over its messages to them, whether one was sent, whether one still waits."""
    rows = database_proxy.execute_sql(
        "SELECT l.event_id, m.recipient, min(m.sent_at), min(m.delivered_at), min(m.read_at), "
        "max(m.status = 'sent'), max(m.status = 'pending'), min(m.id) AS first_told "
        # From the open events to their lines to the messages, in that order (CROSS JOIN
        # keeps SQLite to it): a log of a million messages is never walked.
        f"FROM alarm_events e CROSS JOIN outgoing_message_alarm_events l ON l.event_id = e.id "
        "CROSS JOIN outgoing_messages m ON m.id = l.outgoing_id "
        f"WHERE e.state IN {_OPEN} AND m.channel = ? "
        # Grouped by SQLite, not in Python: the window's thread needs the interpreter lock
        # that Python code on the reading thread holds, and SQLite lets go of it.
        "GROUP BY l.event_id, m.recipient ORDER BY l.event_id, first_told",
        [channel]).fetchall()
    by_event: dict[int, list[tuple]] = {}
    for event_id, recipient, sent, delivered, read, any_sent, any_waiting, _first in rows:
        by_event.setdefault(event_id, []).append(
            (recipient, sent, delivered, read, bool(any_sent), bool(any_waiting)))
    return by_event


def _told_one(row: tuple, names: dict[str, str]) -> Told:
    recipient, sent, delivered, read, any_sent, any_waiting = row
    sent_at, delivered_at, read_at = _ts(sent), _ts(delivered), _ts(read)
    if read_at is not None:
        status = "read"
    elif delivered_at is not None:
        status = "delivered"
    elif any_sent:
        status = "sent"
    else:
        status = "waiting" if any_waiting else "failed"
    return Told(recipient, names.get(recipient) or _fallback(recipient), status, sent_at,
                delivered_at, read_at)


def _fallback(recipient: str) -> str:
    local, _, domain = recipient.partition("@")
    if domain == "g.us":
        return "WhatsApp group"
    return f"+{local}" if local.isdigit() else local or recipient


def _names(recipients: set[str]) -> dict[str, str]:
    """The name of each recipient the contacts know (by id, or by the JID or LID they keep)."""
    wanted = sorted(r for r in recipients if r)
    meta = "(CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.{}') END)"
    names: dict[str, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start:start + _CHUNK]
        marks = ", ".join("?" for _ in part)
        rows = database_proxy.execute_sql(
            f"SELECT id, {meta.format('jid')}, {meta.format('lid')}, name, phone FROM contacts "
            f"WHERE id IN ({marks}) OR {meta.format('jid')} IN ({marks}) "
            f"OR {meta.format('lid')} IN ({marks})", part * 3).fetchall()
        for contact_id, jid, lid, name, phone in rows:
            shown = name or phone or ""
            for key in (contact_id, jid, lid):
                if key and shown:
                    names.setdefault(key, shown)
    return names
