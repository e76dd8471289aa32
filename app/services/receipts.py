"""What WhatsApp reported of each message the bot sent: delivered to the phone, read, played.

The part of the outbox (app/services/outbox.py) that hears from the recipients' phones after a
send, in its own module so the queue's module stays readable. The times are typed columns of the
outgoing row (migration 13); a receipt finds its row by WhatsApp's id, kept when it was sent.

Receipts come late, twice, and out of order: a phone that was off reports "read" and "delivered"
in the same second, in either order, and a group's members each report for themselves. So each
time is kept from the first receipt that gives it and never moves: read implies delivered (the
delivered time becomes the read time when no delivery was reported), and no time is earlier
than the one before it (sent ≤ delivered ≤ read ≤ played), whatever the phones' clocks say.
In a group the first member's phone to report gives each time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import fn

from app.core.messages import Receipt, ReceiptKind
from app.core.timefmt import format_ts, local_text
from app.db.models import OutgoingAlarmLine, OutgoingMessage
from app.services import contacts, events
from app.services.outbox import in_channel
from app.services.writable import writes

log = logging.getLogger(__name__)

# The columns in the order a message goes through them, after `sent_at`.
_ORDER = (ReceiptKind.DELIVERED, ReceiptKind.READ, ReceiptKind.PLAYED)
_COLUMN = {ReceiptKind.DELIVERED: "delivered_at", ReceiptKind.READ: "read_at",
           ReceiptKind.PLAYED: "played_at"}


@dataclass(frozen=True)
class Delivery:
    """What became of one sent message on the recipient's side (None: not reported)."""

    outbox_id: int
    recipient: str
    status: str  # pending, sent or failed: the outbox's own word
    sent_at: datetime | None
    delivered_at: datetime | None = None
    read_at: datetime | None = None
    played_at: datetime | None = None

    def sentence(self, who: str = "") -> str:
        """The receipts as people read them: "delivered to Sari 10:43, read 10:45".

        `who` is the recipient's name when the caller knows it (the contact's, the group's)."""
        if self.status != "sent" or self.sent_at is None:
            return "not sent yet" if self.status == "pending" else "not sent"
        to = f" to {who}" if who else ""
        if self.delivered_at is None:
            return f"sent{to} {_time(self.sent_at, self.sent_at)}, not delivered yet"
        parts = [f"delivered{to} {_time(self.delivered_at, self.sent_at)}"]
        if self.read_at is not None:
            parts.append(f"read {_time(self.read_at, self.sent_at)}")
        if self.played_at is not None:
            parts.append(f"played {_time(self.played_at, self.sent_at)}")
        return ", ".join(parts)

    def plain(self) -> dict[str, Any]:
        """For JSON (`simulate --json`): the times in ISO form, None where not reported."""
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {"sent_at": iso(self.sent_at), "delivered_at": iso(self.delivered_at),
                "read_at": iso(self.read_at), "played_at": iso(self.played_at),
                "text": self.sentence()}


def _time(moment: datetime, sent: datetime) -> str:
    """"10:43"; with the date when it is not the day the message was sent."""
    other_day = moment.astimezone().date() != sent.astimezone().date()
    return local_text(moment, with_date=other_day)


def _delivery(row: OutgoingMessage) -> Delivery:
    return Delivery(outbox_id=row.id, recipient=row.recipient, status=row.status or "pending",
                    sent_at=row.sent_at, delivered_at=row.delivered_at, read_at=row.read_at,
                    played_at=row.played_at)


def _apply(row: OutgoingMessage, kind: ReceiptKind, at: datetime) -> dict[str, datetime]:
    """The columns this receipt sets on `row`: only empty ones, never before an earlier step."""
    fields: dict[str, datetime] = {}
    floor = row.sent_at
    for step in _ORDER[:_ORDER.index(kind) + 1]:  # read implies delivered, played implies read
        current = getattr(row, _COLUMN[step])
        if current is None:
            current = at if floor is None else max(at, floor)
            fields[_COLUMN[step]] = current
        floor = current if floor is None else max(floor, current)
    return fields


@writes
def record_receipt(receipt: Receipt, channel: str | None = None) -> list[str]:
    """Note on each sent row what its recipient's phone reported; returns the ids no row of
    `channel` (None: any) has, which may be messages of another program on the same number,
    or of a row whose send is not recorded yet."""
    unknown: list[str] = []
    with events.unit_of_work():
        touched = False
        for whatsapp_id in dict.fromkeys(receipt.message_ids):
            rows = list(OutgoingMessage.select().where(
                (OutgoingMessage.whatsapp_id == whatsapp_id) & in_channel(channel)))
            if not rows:
                unknown.append(whatsapp_id)
                continue
            for row in rows:
                fields = _apply(row, receipt.kind, receipt.at)
                if fields:
                    OutgoingMessage.update(**fields).where(
                        OutgoingMessage.id == row.id).execute()
                    touched = True
        if touched:
            events.changed("outgoing_messages")
    if unknown:
        log.debug("A %s receipt for messages this app did not send (or not yet): %s",
                  receipt.kind.value, ", ".join(unknown))
    return unknown


def delivery(outbox_id: int) -> Delivery | None:
    """What the recipient's phone reported of one outgoing row (the Messages tab's column)."""
    row = OutgoingMessage.get_or_none(OutgoingMessage.id == outbox_id)
    return _delivery(row) if row else None


def delivery_by_whatsapp_id(whatsapp_id: str, channel: str | None = None) -> Delivery | None:
    """The same for the row WhatsApp knows by this id."""
    row = (OutgoingMessage.select()
           .where((OutgoingMessage.whatsapp_id == whatsapp_id) & in_channel(channel))
           .order_by(OutgoingMessage.id).first())
    return _delivery(row) if row else None


def deliveries_of_event(event_id: int) -> list[Delivery]:
    """Every message that told of an alarm event, oldest first, with what its recipient's
    phone reported (an alarm event's history: who was told, delivered, read)."""
    query = (OutgoingMessage.select()
             .join(OutgoingAlarmLine, on=(OutgoingAlarmLine.outgoing == OutgoingMessage.id))
             .where(OutgoingAlarmLine.event_id == event_id)
             .distinct().order_by(OutgoingMessage.id))
    return [_delivery(row) for row in query]


def told(item: Delivery) -> str:
    """The receipts with the recipient's name when the contacts know it (a person's, a
    group's): "delivered to Sari 10:43, read 10:45"."""
    contact = contacts.find_contact(item.recipient)
    return item.sentence(contact["name"] if contact else "")


def event_receipt_lines(event_id: int) -> list[str]:
    """One line per message that told of an alarm event, for the event's history."""
    return [told(item) for item in deliveries_of_event(event_id)]


def undelivered_since(sent_before: datetime, channel: str | None = None,
                      kind: str | None = None) -> list[Delivery]:
    """Sent rows no phone has reported delivered, sent before `sent_before` (for a delivery
    timeout: "if not delivered within 5 minutes, tell the next level")."""
    out = OutgoingMessage
    query = out.select().where((out.status == "sent") & out.delivered_at.is_null()
                               & (fn.julianday(out.sent_at) <= fn.julianday(format_ts(sent_before)))
                               & in_channel(channel))
    if kind is not None:
        query = query.where(out.kind == kind)
    return [_delivery(row) for row in query.order_by(out.id)]

