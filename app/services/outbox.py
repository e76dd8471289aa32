"""The outbox as data: every message the bot sends is a row here before any send, and the row
says what became of it.

A row's state lives in its own columns (migration 8): its channel and kind, the alarm events it
tells of (outgoing_message_alarm_events), late, merged into, sent again as, cancelled by, and
WhatsApp's id once sent; how many of its sends a crash cut short (migration 9); and what the
recipient's phone reported: delivered, read, played (migration 13, app/services/receipts.py).

A send cut short is sent again at the next start, unless WhatsApp's id was recorded. The bridge
cannot send under an id of our choosing (neonize passes no message id to whatsmeow), so such a
row may reach its recipient twice: `interrupted_sends` above 0 says so to whoever reads it.

`type` and `error_message` are still written as the old system did, for people and for an old
reader, and never read back (docs/old-system.md describes them).

Over 500 lines because a row's every write (queued, claimed, sent and logged, retried, failed,
merged, cancelled) is here, where the next one can see the columns the others leave.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from peewee import SQL, fn

from app.core import permissions
from app.core.ids import new_uuid
from app.core.timefmt import format_ts, utc_now
from app.db.models import Message, OutgoingAlarmLine, OutgoingMessage
from app.db.rows import Prepared, insert_row, slot
from app.errors import UserError
from app.services import audit, events
from app.services.context import Actor

# The outbox's callers (the sending loop) learn of a database that refuses writes from here.
from app.services.writable import LOCKED as LOCKED
from app.services.writable import NotWritable as NotWritable
from app.services.writable import without_waiting as without_waiting
from app.services.writable import writable as writable
from app.services.writable import writes

CANCELLED_PREFIX = "cancelled by "  # the sentence people read; `cancelled_by` holds who


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


DEFAULT_CHANNEL = "whatsapp"
WHATSAPP = "whatsapp"  # the medium of a row WhatsApp sends (the other: email)
# The sentences people read in the Messages tab's Error column after a reconnect.
MERGED_TEXT = "merged into the offline summary"
RESENT_TEXT = " — sent again after reconnecting"
NOT_RESENT_TEXT = " — not sent again: the alarm cleared meanwhile"
MAY_REPEAT_TEXT = ("Sent again after the app stopped in the middle of sending it: the recipient "
                   "may have it twice.")
# Written by the writes that replace `error_message` wholesale: the state it told goes too.
CLEARED_MARKS = {"merged_into_id": None, "resent": False, "resent_as_id": None,
                  "not_resent": False, "cancelled_by": None}


class ChannelKind(str):
    """The `type` text of a queued row ("simulator:reply"), knowing its channel and kind."""

    channel: str
    kind: str

    def __new__(cls, channel: str, kind: str) -> ChannelKind:
        value = super().__new__(cls, kind if channel == DEFAULT_CHANNEL else f"{channel}:{kind}")
        value.channel, value.kind = channel, kind
        return value


def channel_kind(channel: str, kind: str) -> ChannelKind:
    """The `type` of a queued row: the kind, prefixed by its channel unless that is WhatsApp.

    Old rows (manual, manual_send, auto_warning) have no prefix, so they are WhatsApp's; the
    simulator's replies ("simulator:reply") never reach a real phone.
    """
    return ChannelKind(channel, kind)


@dataclass(frozen=True)
class AlarmLine:
    """One alarm line a queued message carries: the event, what it says of it, and the line as
    a later offline summary repeats it."""

    event_id: int
    what: str  # raised, escalated, cleared, now
    line: str


def in_channel(channel: str | None) -> Any:
    """The condition "of this channel's WhatsApp rows" (None: of any row) for a query of the
    outbox; e-mails (medium email, app/services/email_queue.py) have a sender of their own."""
    if channel is None:
        return SQL("1 = 1")
    return (OutgoingMessage.channel == channel) & (OutgoingMessage.medium == WHATSAPP)


def _write_durably(path: Path, data: bytes) -> None:
    # The queue row names this file, so the bytes must be on disk before the row commits.
    temporary = path.with_suffix(path.suffix + ".part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def enqueue(to: str, text: str, *, image_png: bytes | None = None,
            media_dir: Path | None = None, kind: str = "reply",
            channel: str | None = None, reply_to: str | None = None,
            created_at: datetime | None = None, not_before: datetime | None = None,
            late: bool = False, alarm_lines: list[AlarmLine] | None = None) -> int:
    """Queue a message (status pending) for the outbox; returns its id.

    `kind` is the kind ("reply"), or `channel_kind()`'s value, which names the channel too;
    `alarm_lines` are the alarms the message tells of, in the order of its text.
    """
    if not to or not to.strip():
        raise ValueError("a message needs a recipient")
    if isinstance(kind, ChannelKind):
        channel, kind = channel or kind.channel, kind.kind
    channel = channel or DEFAULT_CHANNEL
    media_path = None
    if image_png is not None:
        if media_dir is None:
            raise ValueError("an image needs media_dir")
        media_dir.mkdir(parents=True, exist_ok=True)
        path = media_dir / f"{new_uuid()}.png"
        _write_durably(path, image_png)
        media_path = str(path)
    # Inside a caller's unit (a message's replies with its decision) no savepoint of its own.
    with contextlib.nullcontext() if events.in_unit_of_work() else events.unit_of_work():
        outbox_id = int(insert_row(OutgoingMessage, {
            "recipient": to.strip(), "message": text or "",
            "type": str(channel_kind(channel, kind)), "channel": channel, "kind": kind,
            "late": late, "status": "pending", "retry_count": 0,
            "created_at": format_ts(created_at), "media_path": media_path,
            "reply_to": reply_to,
            "next_attempt_at": format_ts(not_before) if not_before else None,
        }, defaults=True))
        for position, item in enumerate(alarm_lines or ()):
            OutgoingAlarmLine.insert(outgoing=outbox_id, position=position,
                                     event_id=item.event_id, what=item.what,
                                     line=item.line).execute()
        events.changed("outgoing_messages")
    return outbox_id


def plain(row: OutgoingMessage) -> dict[str, Any]:
    """A queued row as the app shows it."""
    return {
        "id": row.id, "recipient": row.recipient, "message": row.message,
        "type": row.type or "", "channel": row.channel or DEFAULT_CHANNEL,
        "kind": row.kind or "manual", "status": row.status or "pending",
        "in_flight": row.in_flight_since is not None, "cancelled": row.cancelled_by is not None,
        "cancelled_by": row.cancelled_by, "late": bool(row.late),
        "merged_into_id": row.merged_into_id, "resent": bool(row.resent),
        "resent_as_id": row.resent_as_id, "not_resent": bool(row.not_resent),
        "sent_at": row.sent_at, "error_message": row.error_message or "",
        "retry_count": row.retry_count or 0,
        "created_at": row.created_at, "media_path": row.media_path,
        "next_attempt_at": row.next_attempt_at, "last_attempt_at": row.last_attempt_at,
        "in_flight_since": row.in_flight_since, "whatsapp_id": row.whatsapp_id,
        "reply_to": row.reply_to, "interrupted_sends": row.interrupted_sends or 0,
        "delivered_at": row.delivered_at, "read_at": row.read_at, "played_at": row.played_at,
        "medium": row.medium or WHATSAPP, "subject": row.subject,
        "stands_for_id": row.stands_for_id,
    }


def get_outgoing(outbox_id: int) -> dict[str, Any]:
    row = OutgoingMessage.get_or_none(OutgoingMessage.id == outbox_id)
    if row is None:
        raise UserError("That queued message no longer exists; the list has been refreshed.")
    return plain(row)


def alarm_lines(outbox_id: int) -> list[AlarmLine]:
    """The alarm lines a queued message carries, in the order of its text."""
    query = (OutgoingAlarmLine.select()
             .where(OutgoingAlarmLine.outgoing == outbox_id)
             .order_by(OutgoingAlarmLine.position))
    return [AlarmLine(r.event_id, r.what, r.line) for r in query]


def _due(any_channel: bool) -> Prepared:
    out = OutgoingMessage
    due = out.next_attempt_at.is_null() | (
        fn.julianday(out.next_attempt_at) <= fn.julianday(slot("now")))
    channel = SQL("1 = 1") if any_channel else (
        (out.channel == slot("channel")) & (out.medium == WHATSAPP))
    return Prepared(lambda: out.select().where(
        (out.status == "pending") & out.in_flight_since.is_null() & due & ~out.held & channel)
        .order_by(out.id).limit(slot("limit")))


_DUE = {True: _due(True), False: _due(False)}


def next_due(now: datetime, limit: int, channel: str | None = None) -> list[dict[str, Any]]:
    """Pending, not in flight, due by `now`; oldest first; only `channel`'s rows when given."""
    rows = _DUE[channel is None].rows(OutgoingMessage, now=format_ts(now), channel=channel,
                                      limit=int(limit))
    return [plain(row) for row in rows]


def next_attempt_at(channel: str | None = None) -> datetime | None:
    """When the earliest waiting row (not being sent) falls due; None when none waits."""
    out = OutgoingMessage
    row = (out.select(out.next_attempt_at)
           .where((out.status == "pending") & out.in_flight_since.is_null() & ~out.held
                  & out.next_attempt_at.is_null(False) & in_channel(channel))
           .order_by(fn.julianday(out.next_attempt_at)).first())
    return row.next_attempt_at if row else None


@writes
def mark_in_flight(outbox_id: int, now: datetime) -> OutgoingMessage | None:
    """Claim a pending row for one send: the row as claimed (for `mark_sent`), or None when it
    is not pending or already claimed."""
    claimed = _CLAIM.rows(OutgoingMessage, at=format_ts(now), id=outbox_id)
    return claimed[0] if claimed else None


_CLAIM = Prepared(lambda: OutgoingMessage.update(
    in_flight_since=slot("at"), last_attempt_at=slot("at")).where(
    (OutgoingMessage.id == slot("id")) & (OutgoingMessage.status == "pending")
    & OutgoingMessage.in_flight_since.is_null()).returning(OutgoingMessage))
_ROW = Prepared(lambda: OutgoingMessage.select().where(OutgoingMessage.id == slot("id")))
_SENT = Prepared(lambda: OutgoingMessage.update(
    status="sent", sent_at=slot("at"), in_flight_since=None, next_attempt_at=None,
    whatsapp_id=slot("whatsapp_id"), error_message=slot("error"), **CLEARED_MARKS,
).where(OutgoingMessage.id == slot("id")))


@writes
def mark_sent(outbox_id: int, whatsapp_id: str | None, now: datetime,
              claimed: OutgoingMessage | None = None) -> str | None:
    """The send succeeded: status sent, WhatsApp's id kept (a quoted reply finds the row by
    it), and the message joins the log; returns the log's id. `claimed`: the row as
    `mark_in_flight` claimed it (nothing else changes a row being sent), else it is read."""
    found = [claimed] if claimed is not None else _ROW.rows(OutgoingMessage, id=outbox_id)
    if not found:
        return None
    row = found[0]
    stamp = format_ts(now)
    message_id = whatsapp_id or f"out-{outbox_id}"
    interrupted = row.interrupted_sends or 0
    with events.unit_of_work():
        _SENT.execute(at=stamp, whatsapp_id=whatsapp_id, id=outbox_id,
                      error=MAY_REPEAT_TEXT if interrupted else None)
        # Written unless the log has the id already (the write itself tells): WhatsApp's id
        # naming another row of the log, this one's own id is tried; a second outcome of the
        # same send (both taken) leaves the first.
        if not log_outcome(row, message_id, stamp, "sent", whatsapp_id=whatsapp_id) \
                and message_id != f"out-{outbox_id}":
            message_id = f"out-{outbox_id}"
            log_outcome(row, message_id, stamp, "sent", whatsapp_id=whatsapp_id)
        events.changed("outgoing_messages", "messages")
    return message_id


def log_outcome(row: OutgoingMessage, message_id: str, stamp: str, status: str,
                **more: Any) -> bool:
    """The queued row `row` joins the message log as `message_id`, with what became of it
    (`status` sent or failed): the Messages tab's Log lists it. Called inside the caller's unit
    of work, for a WhatsApp message once sent and for an e-mail once sent or given up.

    An e-mail's text in the log is its subject, then its body; its party the address."""
    text = row.message or ""
    if (row.medium or WHATSAPP) != WHATSAPP:
        text = f"{row.subject or ''}\n\n{text}"
    return insert_row(Message, {
        "id": message_id, "type": "outgoing", "content": text, "sender": None,
        "recipient": row.recipient, "status": status, "processed_at": stamp,
        "created_at": stamp,
        "metadata": _json({"outbox_id": row.id, "kind": row.kind, "reply_to": row.reply_to,
                           "media": bool(row.media_path), "channel": row.channel,
                           "medium": row.medium or WHATSAPP,
                           "attempts": (row.retry_count or 0) + 1,
                           "interrupted_sends": row.interrupted_sends or 0, **more}),
    }, defaults=True, or_ignore=True) is not None


@writes
def mark_retry(outbox_id: int, error: str, next_at: datetime, count: bool = True) -> None:
    """The send failed but may work later: back to pending, due at `next_at`.

    `count` False spends no attempt: the connection went away, the message was not at fault.
    """
    attempts = fn.COALESCE(OutgoingMessage.retry_count, 0) + (1 if count else 0)
    OutgoingMessage.update(
        status="pending", retry_count=attempts, error_message=error,
        next_attempt_at=format_ts(next_at), in_flight_since=None, **CLEARED_MARKS,
    ).where((OutgoingMessage.id == outbox_id) & (OutgoingMessage.status == "pending")).execute()
    events.changed("outgoing_messages")


@writes
def mark_failed(outbox_id: int, reason: str) -> None:
    """Given up (or cannot work): status failed with the reason for people."""
    OutgoingMessage.update(status="failed", error_message=reason, in_flight_since=None,
                           next_attempt_at=None, **CLEARED_MARKS).where(
        OutgoingMessage.id == outbox_id).execute()
    events.changed("outgoing_messages")


def interrupted_in_flight(channel: str | None = None) -> list[dict[str, Any]]:
    """Rows a previous run was sending when it stopped (call at start-up, before sending)."""
    query = (OutgoingMessage.select()
             .where((OutgoingMessage.status == "pending")
                    & OutgoingMessage.in_flight_since.is_null(False) & in_channel(channel))
             .order_by(OutgoingMessage.id))
    return [plain(row) for row in query]


def release(outbox_id: int) -> None:
    """Drop the in-flight marker of an interrupted row so it is sent again, without a retry."""
    OutgoingMessage.update(in_flight_since=None).where(
        (OutgoingMessage.id == outbox_id) & (OutgoingMessage.status == "pending")).execute()
    events.changed("outgoing_messages")


# -- alarm messages after a disconnection (the alarm engine's offline summary) ----------------


def waiting_of_kind(kind: str, channel: str = DEFAULT_CHANNEL) -> list[dict[str, Any]]:
    """Pending rows of one kind ("alarm") of one channel, not being sent right now."""
    query = (OutgoingMessage.select()
             .where((OutgoingMessage.kind == kind) & in_channel(channel)
                    & (OutgoingMessage.status == "pending")
                    & OutgoingMessage.in_flight_since.is_null())
             .order_by(OutgoingMessage.id))
    now = utc_now()
    # A row held for later (a clear during quiet hours, a retry) is not waiting for WhatsApp.
    return [plain(row) for row in query
            if row.next_attempt_at is None or row.next_attempt_at <= now]


def _unsettled_failure() -> Any:
    """Failed, and neither merged into a summary, sent again nor let go as old news."""
    out = OutgoingMessage
    return ((out.status == "failed") & out.merged_into_id.is_null() & ~out.resent
            & ~out.not_resent)


def failed_of_kind(kind: str, since: datetime,
                   channel: str = DEFAULT_CHANNEL) -> list[dict[str, Any]]:
    """Rows of one kind and channel that failed since `since`, except those merged or sent
    again already and those a person cancelled."""
    out = OutgoingMessage
    query = (out.select()
             .where((out.kind == kind) & in_channel(channel) & _unsettled_failure()
                    & out.cancelled_by.is_null()
                    & (fn.julianday(out.created_at) >= fn.julianday(format_ts(since))))
             .order_by(out.id))
    return [plain(row) for row in query]


def alarm_outbox_counts(since: datetime, channel: str = DEFAULT_CHANNEL) -> tuple[int, int]:
    """For the Dashboard: alarm messages waiting for WhatsApp, and those failed since `since`
    that were not merged, sent again or let go."""
    out = OutgoingMessage
    alarms = (out.kind == "alarm") & in_channel(channel)
    waiting = out.select().where(alarms & (out.status == "pending")).count()
    failed = out.select().where(alarms & _unsettled_failure()
                                & (out.created_at >= format_ts(since))).count()
    return waiting, failed


def rewrite_pending(outbox_id: int, text: str, late: bool | None = None) -> bool:
    """Change the text of a row still waiting (not being sent); False when it is too late.
    `late` True: the new text tells of the time the bot was offline."""
    fields: dict[str, Any] = {"message": text}
    if late is not None:
        fields["late"] = late
    changed = OutgoingMessage.update(**fields).where(
        (OutgoingMessage.id == outbox_id) & (OutgoingMessage.status == "pending")
        & OutgoingMessage.in_flight_since.is_null()).execute()
    if changed:
        events.changed("outgoing_messages")
    return changed == 1


def _settle(outbox_id: int, **fields: Any) -> None:
    OutgoingMessage.update(status="failed", in_flight_since=None, next_attempt_at=None,
                           **fields).where(OutgoingMessage.id == outbox_id).execute()
    events.changed("outgoing_messages")


def mark_merged(outbox_id: int, summary_id: int) -> None:
    """A waiting row now told by the offline summary `summary_id`: it is not sent itself."""
    _settle(outbox_id, error_message=f"{MERGED_TEXT} (#{summary_id})",
            merged_into_id=summary_id)


def mark_resent(outbox_id: int, error: str, copy_id: int) -> None:
    """A failed row sent again, late, as `copy_id` (its copy or a summary)."""
    _settle(outbox_id, error_message=error + RESENT_TEXT, resent=True, resent_as_id=copy_id)


def mark_not_resent(outbox_id: int, error: str) -> None:
    """A failed row not sent again: every alarm it tells of has cleared since."""
    _settle(outbox_id, error_message=error + NOT_RESENT_TEXT, not_resent=True)


def queue_offline_summary(chat: str, text: str, channel: str, lines: list[AlarmLine],
                          merged: list[dict[str, Any]], created_at: datetime) -> int:
    """One summary for `chat` instead of the rows `merged`, in one unit of work: the waiting
    ones are merged into it, the failed ones count as sent again by it."""
    with events.unit_of_work():
        summary_id = enqueue(chat, text, kind="alarm", channel=channel, created_at=created_at,
                             late=True, alarm_lines=lines)
        for row in merged:
            if row["status"] == "failed":
                mark_resent(row["id"], row["error_message"], summary_id)
            else:
                mark_merged(row["id"], summary_id)
    return summary_id


def resend_late(row: dict[str, Any], text: str, created_at: datetime) -> int:
    """A failed alarm message queued again with `text` (marked late), in one unit of work."""
    with events.unit_of_work():
        copy_id = enqueue(row["recipient"], text, kind=row["kind"], channel=row["channel"],
                          created_at=created_at, late=True, alarm_lines=alarm_lines(row["id"]))
        mark_resent(row["id"], row["error_message"], copy_id)
    return copy_id


def sent_by_whatsapp_id(whatsapp_id: str) -> dict[str, Any] | None:
    """The queued row WhatsApp knows by this id (what a person quoted in a reply)."""
    row = OutgoingMessage.get_or_none(OutgoingMessage.whatsapp_id == whatsapp_id)
    return plain(row) if row else None


def quoted_alarm_numbers(quoted_id: str | None) -> list[int]:
    """The alarm numbers of the bot's alarm message a person replied to (quoted), if any."""
    if not quoted_id:
        return []
    row = OutgoingMessage.get_or_none(OutgoingMessage.whatsapp_id == quoted_id)
    if row is None or row.kind != "alarm":
        return []
    return list(dict.fromkeys(line.event_id for line in alarm_lines(row.id)))


def pending_count(channel: str | None = None) -> int:
    return OutgoingMessage.select().where(
        (OutgoingMessage.status == "pending") & in_channel(channel)).count()


# ---------------------------------------------------------------------------------------------
# The Outbox tab: the queue as listed, Retry and Cancel


@dataclass(frozen=True)
class OutboxFilter:
    status: str | None = None  # pending, sent or failed
    recipient: str | None = None
    text: str | None = None


def _outbox_query(flt: OutboxFilter | None) -> Any:
    out = OutgoingMessage
    query = out.select()
    flt = flt or OutboxFilter()
    if flt.status:
        query = query.where(out.status == flt.status)
    if flt.recipient:
        query = query.where(out.recipient.contains(flt.recipient.strip()))
    if flt.text:
        query = query.where(out.message.contains(flt.text))
    return query


def outbox_page(flt: OutboxFilter | None, before_id: int | None,
                limit: int) -> list[dict[str, Any]]:
    """The queue newest first, `limit` rows older than `before_id` (keyset paging)."""
    query = _outbox_query(flt)
    if before_id is not None:
        query = query.where(OutgoingMessage.id < before_id)
    return [plain(r) for r in query.order_by(OutgoingMessage.id.desc()).limit(limit)]


def outbox_count(flt: OutboxFilter | None = None) -> int:
    return _outbox_query(flt).count()


def retry(actor: Actor, outbox_id: int) -> dict[str, Any]:
    """Send a failed message again, now, with a fresh set of attempts."""
    actor.require(permissions.MESSAGES_SEND)
    before = get_outgoing(outbox_id)
    if before["status"] != "failed":
        raise UserError(f"Only a failed message can be sent again; this one is "
                        f"{before['status']}.")
    with events.unit_of_work():
        OutgoingMessage.update(status="pending", next_attempt_at=None, in_flight_since=None,
                               retry_count=0).where(OutgoingMessage.id == outbox_id).execute()
        audit.record(actor, "message_retried", {
            "outbox_id": outbox_id, "recipient": before["recipient"],
            "previous_error": before["error_message"], "attempts": before["retry_count"],
            "medium": before["medium"], "kind": before["kind"],
        })
        events.changed("outgoing_messages")
    return get_outgoing(outbox_id)


def cancel(actor: Actor, outbox_id: int, reason: str = "") -> dict[str, Any]:
    """Take a pending message out of the queue; it stays listed as failed with the reason."""
    actor.require(permissions.MESSAGES_SEND)
    before = get_outgoing(outbox_id)
    if before["status"] != "pending":
        raise UserError(f"Only a waiting message can be cancelled; this one is "
                        f"{before['status']}.")
    if before["in_flight"]:
        raise UserError("This message is being sent right now and can no longer be cancelled.")
    reason = " ".join((reason or "").split())
    text = f"{CANCELLED_PREFIX}{actor.username}" + (f": {reason}" if reason else "")
    with events.unit_of_work():
        changed = OutgoingMessage.update(status="failed", error_message=text,
                                         next_attempt_at=None,
                                         **{**CLEARED_MARKS, "cancelled_by": actor.username}
                                         ).where(
            (OutgoingMessage.id == outbox_id) & (OutgoingMessage.status == "pending")
            & OutgoingMessage.in_flight_since.is_null()).execute()
        if not changed:
            raise UserError("This message is being sent right now and can no longer be "
                            "cancelled.")
        audit.record(actor, "message_cancelled", {
            "outbox_id": outbox_id, "recipient": before["recipient"], "reason": reason,
            "medium": before["medium"], "kind": before["kind"],
        })
        events.changed("outgoing_messages")
    return get_outgoing(outbox_id)
