"""Incoming messages that still waited for the database when the bot stopped.

While another program holds the database locked (or the disk is full) the bot keeps incoming
messages in memory. If the database still refuses them when the bot stops, they are written to
a file next to the database, readable by the owner only, and the next start records and
answers them before anything newer. The file holds what each message's row would hold: the
text (an excerpt for a sender who may not get data, with the length it arrived with), who sent
it, in which chat, and when. Once every message of the file is recorded the file is deleted;
a message recorded before a crash is recognised by its id and not answered twice.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path
from typing import Any

from app.core.ids import new_uuid
from app.core.messages import STRANGER_EXCERPT, Incoming, cleaned, excerpt
from app.core.timefmt import format_ts, parse_ts, utc_now
from app.db.models import database_proxy
from app.services import contacts

log = logging.getLogger(__name__)

VERSION = 1


@dataclasses.dataclass(frozen=True)
class Kept:
    """One message read back from the file, and the length its text arrived with."""

    message: Incoming
    original_length: int


def path(channel: str) -> Path:
    """The file for `channel`'s messages, in the folder of the database."""
    return Path(database_proxy.database).parent / f"incoming-waiting-{channel}.json"


def _trusted(sender: str | None) -> bool:
    """Whether the sender's row would keep the whole text (reading works while another
    program holds the write lock). When that cannot be read, only an excerpt is kept."""
    try:
        contact = contacts.find_contact(sender or "")
    except Exception:  # noqa: BLE001 - the safe answer is the excerpt
        return False
    return bool(contact and contact.get("allowed") and not contact.get("blocked"))


def records(waiting: list[Incoming]) -> list[dict[str, Any]]:
    """What the file keeps of each message, oldest first (reads the contacts: call it where the
    database is used, and `save` the result from a thread)."""
    trusted: dict[str | None, bool] = {}
    out = []
    for msg in waiting:
        if msg.sender not in trusted:
            trusted[msg.sender] = _trusted(msg.sender)
        out.append(_record(msg, trusted[msg.sender]))
    return out


def _record(msg: Incoming, trusted: bool) -> dict[str, Any]:
    length = len(msg.text or "")
    msg = cleaned(msg)
    text = msg.text if trusted else excerpt(msg.text, STRANGER_EXCERPT)
    return {
        "message_id": msg.message_id or f"in-{new_uuid()}",  # the same id after the restart
        "text": text, "original_length": length, "chat": msg.chat, "sender": msg.sender,
        "sender_phone": msg.sender_phone, "push_name": msg.push_name,
        "timestamp": format_ts(msg.timestamp), "is_group": msg.is_group,
        "from_me": msg.from_me, "mentioned": msg.mentioned, "message_type": msg.message_type,
        "raw_ids": dict(msg.raw_ids), "quoted_id": msg.quoted_id,
    }


def save(kept: list[dict[str, Any]], channel: str) -> Path | None:
    """Write the `records` of the messages that wait, replacing an older file; None when
    nothing waits (an older file is then deleted). File work only: for a thread."""
    target = path(channel)
    if not kept:
        target.unlink(missing_ok=True)
        return None
    body = json.dumps({"version": VERSION, "written_at": format_ts(utc_now()),
                       "messages": kept}, ensure_ascii=False)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.unlink(missing_ok=True)
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        if os.name == "posix":
            os.chmod(partial, 0o600)  # whatever the umask took away, nothing more is granted
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def load(channel: str) -> list[Kept]:
    """The messages a previous run left in the file, oldest first ([] when there is none)."""
    source = path(channel)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except ValueError as exc:  # cut short by a crash while it was written, or edited by hand
        kept_aside = source.with_name(source.name + ".unreadable")
        os.replace(source, kept_aside)
        log.error("%s cannot be read (%s): the messages in it are not answered; it is kept "
                  "as %s for a person to look at.", source, exc, kept_aside)
        return []
    kept = []
    for item in data.get("messages") or []:
        message = Incoming(
            item.get("text") or "", message_id=item.get("message_id"), chat=item.get("chat"),
            sender=item.get("sender"), sender_phone=item.get("sender_phone"),
            push_name=item.get("push_name") or "",
            timestamp=parse_ts(item.get("timestamp")) or utc_now(),
            is_group=bool(item.get("is_group")), from_me=bool(item.get("from_me")),
            mentioned=bool(item.get("mentioned")),
            message_type=item.get("message_type") or "chat",
            raw_ids=dict(item.get("raw_ids") or {}), quoted_id=item.get("quoted_id"))
        kept.append(Kept(message, int(item.get("original_length") or len(message.text))))
    return kept


def clear(channel: str) -> None:
    """Every message of the file is recorded: the file goes."""
    path(channel).unlink(missing_ok=True)
