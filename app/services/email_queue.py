"""E-mails the bot sends (alarms, their stand-in copies, the bot's own health), as rows of the
outbox with medium "email" (migration 14): the recipient is the address, `subject` the subject
line, `stands_for_id` the WhatsApp row an e-mail was sent in place of.

Like a WhatsApp message, an e-mail is a row before any send, so a crash loses none: a row a
crash caught mid-send is sent again at the next start. Its state is the outbox's own columns
(status, retry_count, next_attempt_at, error_message with the mail server's sentence); the
WhatsApp outbox never picks these rows up (app.services.outbox.in_channel). An e-mail joins
the message log when the server took it or it was given up, through the same write as a sent
WhatsApp message (app.services.outbox.log_outcome), so the Messages tab's Log lists both.

Which e-mail connection sends them is the setting alarms.email_connection; unset, the one
e-mail connection there is, when there is exactly one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from peewee import fn

from app.core.timefmt import format_ts
from app.db.models import DataSource, Message, OutgoingMessage
from app.services import events, outbox, settings
from app.services.outbox import plain
from app.services.writable import writes

EMAIL = "email"
EMAIL_KIND = "email"  # the plugin of an e-mail connection

__all__ = ["EMAIL", "connection", "due", "enqueue_email", "interrupted", "mark_email_failed",
           "mark_emailed", "pending", "stand_ins_of"]


def _of(channel: str | None) -> Any:
    out = OutgoingMessage
    condition = out.medium == EMAIL
    return condition if channel is None else condition & (out.channel == channel)


def enqueue_email(address: str, subject: str, body: str, *, kind: str = "alarm",
                  channel: str = "whatsapp", created_at: datetime | None = None,
                  not_before: datetime | None = None,
                  stands_for_id: int | None = None) -> int:
    """Queue one e-mail to one address; returns its row id (inside the caller's unit, if any)."""
    if not address or not address.strip():
        raise ValueError("an e-mail needs an address")
    with events.unit_of_work():
        outbox_id = int(OutgoingMessage.insert(
            recipient=address.strip(), message=body or "", subject=subject or "",
            type=f"email:{kind}", channel=channel, kind=kind, medium=EMAIL,
            status="pending", retry_count=0, created_at=format_ts(created_at),
            next_attempt_at=format_ts(not_before) if not_before else None,
            stands_for_id=stands_for_id,
        ).execute())
        events.changed("outgoing_messages")
    return outbox_id


def due(now: datetime, channel: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """E-mails waiting and due by `now`, not being sent; oldest first."""
    out = OutgoingMessage
    when = out.next_attempt_at.is_null() | (
        fn.julianday(out.next_attempt_at) <= fn.julianday(format_ts(now)))
    query = (out.select()
             .where(_of(channel) & (out.status == "pending") & out.in_flight_since.is_null()
                    & when)
             .order_by(out.id).limit(limit))
    return [plain(row) for row in query]


def pending(channel: str | None = None) -> int:
    return OutgoingMessage.select().where(
        _of(channel) & (OutgoingMessage.status == "pending")).count()


def interrupted(channel: str | None = None) -> list[dict[str, Any]]:
    """E-mails a previous run was sending when it stopped."""
    out = OutgoingMessage
    query = out.select().where(_of(channel) & (out.status == "pending")
                               & out.in_flight_since.is_null(False)).order_by(out.id)
    return [plain(row) for row in query]


def _log_id(outbox_id: int) -> str:
    """The log's id for this e-mail's outcome: one log row per outcome, so an e-mail given up
    and later sent again by a person is in the log twice, failed and then sent."""
    first = f"email-{outbox_id}"
    # "email-7" and "email-7-2", … but not "email-70": a range of the log's primary key.
    earlier = Message.select().where((Message.id == first) | (
        (Message.id >= f"{first}-") & (Message.id < f"{first}."))).count()
    return first if not earlier else f"{first}-{earlier + 1}"


def _logged_as(outbox_id: int, status: str, now: datetime, **more: Any) -> None:
    row = OutgoingMessage.get_or_none(OutgoingMessage.id == outbox_id)
    if row is not None:
        outbox.log_outcome(row, _log_id(outbox_id), format_ts(now), status, **more)


@writes
def mark_emailed(outbox_id: int, now: datetime) -> None:
    """The mail server took it: status sent, and the e-mail joins the message log."""
    with events.unit_of_work():
        OutgoingMessage.update(status="sent", sent_at=format_ts(now), in_flight_since=None,
                               next_attempt_at=None, error_message=None).where(
            OutgoingMessage.id == outbox_id).execute()
        _logged_as(outbox_id, "sent", now)
        events.changed("outgoing_messages", "messages")


@writes
def mark_email_failed(outbox_id: int, reason: str, now: datetime) -> None:
    """Given up (the server refused the recipient, or too many tries): status failed with the
    mail server's sentence, and the e-mail joins the message log as failed."""
    with events.unit_of_work():
        outbox.mark_failed(outbox_id, reason)
        _logged_as(outbox_id, "failed", now, error=reason)
        events.changed("messages")


def stand_ins_of(outbox_ids: list[int]) -> list[dict[str, Any]]:
    """The e-mails sent in place of these WhatsApp rows."""
    query = OutgoingMessage.select().where(_of(None) & OutgoingMessage.stands_for_id.in_(
        list(outbox_ids))).order_by(OutgoingMessage.id)
    return [plain(row) for row in query]


def connection() -> tuple[dict[str, Any] | None, str]:
    """(the e-mail connection alarm e-mails go through, or None with the reason)."""
    wanted = str(settings.get("alarms", "email_connection") or "").strip()
    rows = [r for r in DataSource.select().where(DataSource.plugin == EMAIL_KIND)]
    if wanted:
        found = [r for r in rows if r.name.strip().casefold() == wanted.casefold()]
        if not found:
            return None, (f"The e-mail connection “{wanted}” named in Settings (alarms: e-mail "
                          "connection) does not exist.")
        row = found[0]
    elif len(rows) == 1:
        row = rows[0]
    elif not rows:
        return None, "No e-mail connection is set up: add one in Connections."
    else:
        return None, ("There are several e-mail connections: choose the one for alarms in "
                      "Settings (alarms: e-mail connection).")
    if not row.active:
        return None, f"The e-mail connection {row.name} is switched off."
    return {"id": row.id, "name": row.name}, ""
