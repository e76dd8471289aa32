"""The message log as data: what came in, what was decided, what went out; the Messages tab's
and the Dashboard's queries. The outbox itself is app.services.outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from app.core import permissions
from app.core.ids import new_uuid
from app.core.messages import Incoming, excerpt, storable
from app.core.timefmt import format_ts, parse_ts, utc_now
from app.db.models import Message, OutgoingMessage, database_proxy
from app.db.rows import insert_row
from app.errors import UserError
from app.services import audit, contacts, events, outbox
from app.services.contacts import GROUP_DOMAIN, PERSON_DOMAINS, normalise_phone
from app.services.context import Actor

# The Messages tab's search, as the tab and the Dashboard know it (messages.page, …).
from app.services.message_search import (  # noqa: F401
    COUNT_CAP,
    MessageFilter,
    count,
    load_metadata,
    page,
    statuses,
)

# The outbox's calls as the bot and the Messages tab know them (messages.enqueue, …), kept
# while they move over to app.services.outbox.
from app.services.outbox import (  # noqa: F401
    DEFAULT_CHANNEL,
    OutboxFilter,
    cancel,
    channel_kind,
    enqueue,
    get_outgoing,
    interrupted_in_flight,
    mark_failed,
    mark_in_flight,
    mark_retry,
    mark_sent,
    next_due,
    outbox_count,
    outbox_page,
    pending_count,
    release,
    retry,
)
from app.services.writable import writes

MAX_COMPOSE_LENGTH = 65536  # WhatsApp refuses longer texts

# ---------------------------------------------------------------------------------------------
# Incoming messages and what the pipeline decided about them


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


_load = load_metadata  # one reading of the metadata column, shared with the search


def _moment(value: Any) -> datetime:
    return parse_ts(value) or utc_now()


def seen(message_id: str) -> bool:
    """True when this WhatsApp message is logged already (a redelivery after a restart)."""
    return bool(message_id) and Message.select().where(Message.id == message_id).exists()


def already_handled(message_id: str) -> bool:
    """True when this message was logged and decided: WhatsApp delivered it again."""
    if not message_id:
        return False
    row = database_proxy.execute_sql("SELECT status FROM messages WHERE id = ?",
                                     (message_id,)).fetchone()
    return row is not None and (row[0] or "received") != "received"


@writes
def record_incoming(msg: Incoming, contact_id: str | None,
                    channel: str = "whatsapp", keep: int | None = None,
                    original_length: int | None = None) -> str:
    """Log one incoming message (status "received") before anything is decided about it.

    The text is stored as `storable` makes it (characters SQLite cannot keep replaced by
    U+FFFD), cut to an excerpt of `keep` characters when given (a sender who is not allowed),
    with the length it arrived with in `original_length` (given when `msg.text` was cut before,
    as for a message kept in a file while the database was not writable). A message WhatsApp
    delivers twice keeps its first row; check `seen()` first to skip it.
    Raises NotWritable when the database refuses the write for now.
    """
    return _record_incoming(msg, contact_id, channel, keep, original_length)[0]


@writes
def record_if_new(msg: Incoming, contact_id: str | None, channel: str = "whatsapp",
                  keep: int | None = None, original_length: int | None = None
                  ) -> tuple[str, bool]:
    """`record_incoming`, and whether the message was new: False when WhatsApp delivered it
    again and its first row stays (see `already_handled`), told by the write itself."""
    return _record_incoming(msg, contact_id, channel, keep, original_length)


def _record_incoming(msg: Incoming, contact_id: str | None, channel: str, keep: int | None,
                     original_length: int | None) -> tuple[str, bool]:
    message_id = (msg.message_id or "").strip() or f"in-{new_uuid()}"
    text = storable(msg.text or "")
    if keep is not None:
        text = excerpt(text, keep)
    metadata = {
        "chat": msg.chat, "is_group": msg.is_group, "push_name": msg.push_name,
        "message_type": msg.message_type, "from_me": msg.from_me, "mentioned": msg.mentioned,
        "raw_ids": dict(msg.raw_ids), "contact_id": contact_id,
        "sender_phone": msg.sender_phone, "channel": channel,
    }
    length = len(msg.text or "") if original_length is None else original_length
    if keep is not None and length > keep:
        metadata["excerpt"] = True
    written = insert_row(Message, {  # delivered again: the first row stays
        "id": message_id, "type": "incoming", "content": text, "sender": msg.sender,
        "recipient": None, "status": "received", "processed_at": None,
        "metadata": _json(metadata), "created_at": format_ts(_moment(msg.timestamp)),
        "original_length": length,
    }, or_ignore=True)
    events.changed("messages")
    return message_id, written is not None


# The metadata a row holds, as decide() merges into it: a JSON object as it is; other JSON
# as {"value": ...} and plain text as {"text": ...} (see load_metadata), nothing as {}.
_HELD = ("CASE WHEN metadata IS NULL OR metadata = '' THEN '{}' "
         "WHEN NOT json_valid(metadata) THEN json_object('text', metadata) "
         "WHEN json_type(metadata) = 'object' THEN metadata "
         "ELSE json_object('value', json(metadata)) END")
_DECIDES: dict[tuple[str, ...], str] = {}  # by the names decide() merges


def _decides(names: tuple[str, ...]) -> str:
    sql = _DECIDES.get(names)
    if sql is None:
        for name in names:  # keyword names: never anything but a plain path step
            if not name.isidentifier():
                raise ValueError(f"not a metadata name: {name!r}")
        pairs = "".join(f", '$.\"{name}\"', json(?)" for name in names)
        sql = _DECIDES[names] = (f"UPDATE messages SET status = ?, processed_at = ?, "
                                 f"metadata = json_set({_HELD}{pairs}) WHERE id = ?")
    return sql


def _json_value(value: Any) -> str:
    """`value` as JSON text SQLite's json() takes (not NaN, which it refuses: a text then)."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str,
                          allow_nan=False)
    except ValueError:
        return _json(str(value))


@writes
def decide(message_id: str, status: str, **metadata: Any) -> bool:
    """Record what became of a message (answered, spam, unauthorized, …) and why.

    `metadata` (route, trigger, reason, latency_ms, …) is merged into the row's metadata, so the
    Messages tab can answer "why did the bot not answer me?". False when the row is gone. One
    statement: SQLite merges the names into what the row holds.
    """
    names = tuple(metadata)
    cursor = database_proxy.execute_sql(
        _decides(names),
        (status, format_ts(), *(_json_value(metadata[n]) for n in names), message_id))
    if cursor.rowcount != 1:
        return False
    events.changed("messages")
    return True


@dataclass(frozen=True)
class Draft:
    """One message the bot means to send in answer to an incoming one."""

    to: str
    text: str
    kind: str = "reply"  # reply, notice (spam, access), alarm_ack (others hear of an ack)
    image_png: bytes | None = None


@writes
def finish(message_id: str, status: str, outgoing: list[Draft] | tuple[Draft, ...] = (), *,
           channel: str = "whatsapp", media_dir: Path | None = None,
           **metadata: Any) -> list[int]:
    """Queue what the bot answers a message (`outgoing`) and record the message's decision
    (`status`, and `metadata` as `decide` takes it) in one transaction: a crash in
    between neither sends an answer to a message still marked "received" (which would be
    answered again after a restart) nor marks a message answered whose reply was lost.
    Returns the outbox ids."""
    with events.unit_of_work():
        ids = [enqueue(d.to, d.text, image_png=d.image_png, media_dir=media_dir, kind=d.kind,
                       channel=channel, reply_to=message_id)
               for d in outgoing]
        decide(message_id, status, **metadata)
    return ids


HISTORY_ROWS = 100  # of a sender's recent messages the spam check reads at most


def sender_history(senders: str | list[str], since: datetime,
                   exclude_id: str | None = None) -> list[tuple[datetime, str, str]]:
    """(time, text, status) of messages from these sender JIDs since `since`, for the spam check.

    Pass every JID of the contact (`contacts` gives them as sender_ids): one person may have
    written under a LID and under their phone JID.
    """
    ids = [senders] if isinstance(senders, str) else [s for s in senders if s]
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    # The newest HISTORY_ROWS only: a sender who floods the bot makes each check read a bounded
    # number of rows, not all of the window (more than that many is a flood whatever they are).
    # The index of senders and times reads the sender's rows from the day `since` falls on
    # (both stored forms of a time begin with its date); julianday then compares the moments.
    sql = (f"SELECT id, created_at, content, status FROM messages WHERE type <> 'outgoing' "
           f"AND sender IN ({marks}) AND created_at >= ? "
           "AND julianday(created_at) >= julianday(?) ORDER BY rowid DESC LIMIT ?")
    stamp = format_ts(since)
    rows = database_proxy.execute_sql(sql, [*ids, stamp[:10], stamp, HISTORY_ROWS])
    return [(_moment(created), content or "", status or "")
            for id_, created, content, status in reversed(list(rows)) if id_ != exclude_id]


def recent_from(contact_id: str, since: datetime,
                exclude: str | None = None) -> list[tuple[datetime, str, str]]:
    """`sender_history` for a contact: every JID they wrote under (a LID, a phone JID)."""
    try:
        senders = contacts.get_contact(contact_id)["sender_ids"]
    except UserError:
        senders = [contact_id]  # deleted meanwhile: their own id is all there is
    return sender_history(senders, since, exclude_id=exclude)


# ---------------------------------------------------------------------------------------------
# The Messages tab: its search is app.services.message_search; its calls as the tab and the
# Dashboard know them (messages.page, messages.count, …).


def _recipient(to: str) -> str:
    to = (to or "").strip()
    if "@" in to:
        domain = to.rpartition("@")[2].lower()
        if domain in PERSON_DOMAINS or domain == GROUP_DOMAIN:
            return to
        raise UserError(f"{to} is not a WhatsApp chat this app can write to.")
    phone = normalise_phone(to)
    if phone is None:
        raise UserError(f"{to or 'An empty recipient'} is not a phone number. Type it with the "
                        "country code, such as +62 812 3456 7890.")
    return phone


def compose(actor: Actor, to: str, text: str) -> int:
    """Queue a message typed by a user; returns its outbox id."""
    actor.require(permissions.MESSAGES_SEND)
    recipient = _recipient(to)
    if not (text or "").strip():
        raise UserError("The message is empty; type something to send.")
    if len(text) > MAX_COMPOSE_LENGTH:
        raise UserError(f"The message has {len(text):,} characters; WhatsApp accepts at most "
                        f"{MAX_COMPOSE_LENGTH:,}.")
    with events.unit_of_work():
        outbox_id = enqueue(recipient, text, kind="manual")
        audit.record(actor, "message_sent", {
            "outbox_id": outbox_id, "to": recipient, "length": len(text),
            "text": text if len(text) <= 500 else text[:500] + "…",
        })
    return outbox_id


def _day_start(zone: tzinfo | None, now: datetime | None) -> str:
    local = (now or utc_now()).astimezone(zone) if zone else (now or utc_now()).astimezone()
    return format_ts(local.replace(hour=0, minute=0, second=0, microsecond=0))


def today_counts(zone: tzinfo | None = None, now: datetime | None = None) -> dict[str, int]:
    """For the Dashboard: today's messages in and out, failures, and what is still queued.

    "Today" starts at local midnight in `zone` (None: this computer's zone). A cancelled message
    is no failure.
    """
    start = _day_start(zone, now)

    def one(sql: str) -> int:
        return database_proxy.execute_sql(sql, (start,)).fetchone()[0]

    # `created_at >= ?` lets SQLite use the index: every timestamp form of a moment at or
    # after the start also sorts at or after it as text; julianday() then decides exactly.
    # Outgoing rows are sent after they were queued, at most a day or so later.
    return {
        "in": one("SELECT COUNT(*) FROM messages WHERE created_at >= ?1 AND type <> 'outgoing' "
                  "AND coalesce(json_extract(CASE WHEN json_valid(metadata) THEN metadata END, "
                  "'$.channel'), 'whatsapp') <> 'simulator' "
                  "AND julianday(created_at) >= julianday(?1)"),
        "out": one("SELECT COUNT(*) FROM outgoing_messages WHERE created_at >= "
                   "datetime(?1, '-2 days') AND status = 'sent' AND channel = 'whatsapp' "
                   "AND julianday(sent_at) >= julianday(?1)"),
        "failed": one("SELECT COUNT(*) FROM outgoing_messages WHERE created_at >= "
                      "datetime(?1, '-2 days') AND status = 'failed' AND channel = 'whatsapp' "
                      "AND julianday(COALESCE(last_attempt_at, created_at)) >= julianday(?1) "
                      "AND cancelled_by IS NULL"),
        "pending": pending_count(DEFAULT_CHANNEL),
    }


def _oldest() -> datetime:
    return datetime.min.replace(tzinfo=utc_now().tzinfo)


def recent_activity(limit: int = 20, channel: str | None = None) -> list[dict[str, Any]]:
    """For the Dashboard, newest first: logged messages, and queued ones not sent yet.

    Each item: at, direction ("in" or "out"), who, text, status, reason, and the id of the
    log row (message_id) or of the queue row (outbox_id).
    """
    items: list[dict[str, Any]] = []
    for m in page(MessageFilter(channel=channel), None, limit):
        items.append({"at": m["created_at"],
                      "direction": "in" if m["direction"] == "incoming" else "out",
                      "who": m["push_name"] or m["party"], "text": m["content"],
                      "status": m["status"], "reason": m["reason"], "message_id": m["id"],
                      "outbox_id": None})
    query = (OutgoingMessage.select()
             .where((OutgoingMessage.status != "sent") & outbox.in_channel(channel))
             .order_by(OutgoingMessage.id.desc()).limit(limit))
    for row in query:
        o = outbox.plain(row)
        items.append({"at": o["last_attempt_at"] or o["created_at"], "direction": "out",
                      "who": o["recipient"], "text": o["message"],
                      "status": "sending" if o["in_flight"] else o["status"],
                      "reason": o["error_message"], "message_id": None, "outbox_id": o["id"]})
    items.sort(key=lambda i: i["at"] or _oldest(), reverse=True)
    return items[:limit]


def last_errors(limit: int = 10) -> list[dict[str, Any]]:
    """For the Dashboard, newest first: sends that failed (not cancelled) and messages whose
    handling failed. Each item: at, who, what (a sentence), and message_id or outbox_id."""
    items: list[dict[str, Any]] = []
    query = (OutgoingMessage.select()
             .where((OutgoingMessage.status == "failed")
                    & OutgoingMessage.cancelled_by.is_null())
             .order_by(OutgoingMessage.id.desc()).limit(limit))
    for row in query:
        o = outbox.plain(row)
        items.append({"at": o["last_attempt_at"] or o["created_at"], "who": o["recipient"],
                      "what": o["error_message"] or "Sending failed.", "message_id": None,
                      "outbox_id": o["id"]})
    for m in page(MessageFilter(status="failed"), None, limit):
        items.append({"at": m["processed_at"] or m["created_at"],
                      "who": m["push_name"] or m["party"],
                      "what": m["reason"] or "The answer to this message failed.",
                      "message_id": m["id"], "outbox_id": None})
    items.sort(key=lambda i: i["at"] or _oldest(), reverse=True)
    return items[:limit]
