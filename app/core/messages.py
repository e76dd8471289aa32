"""The values that cross from the WhatsApp bridge into the rest of the app: one incoming message
(from WhatsApp, the Simulator or `simulate`), a receipt for a message the bot sent, and the
bridge's connection state. They live in core so that the bridge, the services and the runtime
share them without importing each other (docs/architecture.md, "One message's path")."""

from __future__ import annotations

import dataclasses
import enum
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.core.timefmt import utc_now

OPERATOR = "operator"  # who `simulate` speaks as when no --sender is given


class BridgeState(enum.StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    WAITING_FOR_QR = "waiting_for_qr"  # show the QR code or a pairing code
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    LOGGED_OUT = "logged_out"  # the phone removed this device: pair again
    BANNED = "banned"  # temporarily banned until `until`
    OUTDATED = "outdated"  # WhatsApp refuses this client version: update the app
    FAILED = "failed"

    @property
    def can_send(self) -> bool:
        return self is BridgeState.CONNECTED


@dataclass(frozen=True)
class StateChange:
    state: BridgeState
    detail: str = ""  # a sentence for the engineer: what happened and what to do
    bot_number: str | None = None  # E.164 once logged in
    bot_id: str | None = None  # the bot's own JID
    until: datetime | None = None  # end of a temporary ban
    reconnect_attempts: int = 0


class ReceiptKind(enum.StrEnum):
    """What a recipient's phone reported of a message the bot sent (WhatsApp's ticks)."""

    DELIVERED = "delivered"  # reached the phone (two grey ticks)
    READ = "read"  # opened (two blue ticks)
    PLAYED = "played"  # a voice message or video played


@dataclass(frozen=True)
class Receipt:
    """A receipt for messages the bot sent, already translated out of the adapter's types.

    In a group each member's phone reports for itself: `sender` says whose phone it was."""

    message_ids: tuple[str, ...]  # WhatsApp's ids of the messages it is for
    kind: ReceiptKind
    at: datetime  # when it happened, as WhatsApp says (aware, UTC)
    chat: str | None = None  # the chat the messages were sent to
    sender: str | None = None  # the JID of the phone that reported


@dataclass(frozen=True, kw_only=True)
class Incoming:
    """One message to the bot, already translated out of the adapter's own types.

    The bridge fills in what WhatsApp said; the bot adds what it knows of the sender (`tags`)
    and which channel it came by (`via`) before the pipeline sees it.
    """

    text: str = field(kw_only=False)
    message_id: str | None = None
    # JID of the chat: the person's for a private chat, the group's for a group. None when the
    # workstation's operator asks outside any chat (`simulate` without --group).
    chat: str | None = None
    sender: str | None = None  # JID of the person (may be a LID: …@lid); None: the operator
    sender_phone: str | None = None  # E.164 when known (resolved from a LID where possible)
    push_name: str = ""  # the name the sender gave themselves on WhatsApp
    timestamp: datetime = field(default_factory=utc_now)
    is_group: bool = False
    from_me: bool = False
    mentioned: bool = False  # the bot was @-mentioned
    message_type: str = "chat"  # chat, image, document, sticker, … (WhatsApp's words)
    raw_ids: Mapping[str, str] = field(default_factory=dict)  # every id seen: jid, lid, alt
    quoted_id: str | None = None  # WhatsApp's id of the message this one replies to
    received_at: float = field(default_factory=time.perf_counter)  # for the reply's latency
    tags: tuple[str, ...] | None = None  # the contact's tags; None: the operator, allowed all
    # The group chat's own tags (approved in Contacts like a contact); None: not in a group.
    group_tags: tuple[str, ...] | None = None
    via: str = "whatsapp"  # whatsapp or simulator: who acknowledged an alarm, and how

    @property
    def reply_to(self) -> str:
        """Where the bot answers: the group in a group chat, else the person who wrote (the
        operator's own chat when nobody did)."""
        if self.is_group and self.chat:
            return self.chat
        return self.sender or self.chat or OPERATOR


# -- what the bot stores of a message, and whose messages it ignores ----------------------------
REPLACEMENT = "\ufffd"  # shown where a character could not be kept (the Unicode replacement)
STRANGER_EXCERPT = 200  # characters kept of a message from a sender who is not allowed
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
# Chats a person writes from: a phone JID, a LID, the old c.us form; and group chats.
_PERSON_SERVERS = ("s.whatsapp.net", "c.us", "lid")
_GROUP_SERVER = "g.us"


def storable(text: str) -> str:
    """`text` with what SQLite cannot keep replaced visibly: lone surrogates (what invalid UTF-8
    decodes to) and NUL (which ends a text in many readers) become U+FFFD, one for each."""
    return _UNSTORABLE.sub(REPLACEMENT, text)


def cleaned(msg: Incoming) -> Incoming:
    """The message with every text WhatsApp gave made `storable` (ids are checked, not
    changed: `ignored_because` refuses one that holds such characters)."""
    return dataclasses.replace(
        msg, text=storable(msg.text or ""),
        message_id=storable(msg.message_id) if msg.message_id else msg.message_id,
        push_name=storable(msg.push_name or ""),
        message_type=storable(msg.message_type or "chat"),
        quoted_id=storable(msg.quoted_id) if msg.quoted_id else msg.quoted_id,
        sender_phone=storable(msg.sender_phone) if msg.sender_phone else msg.sender_phone,
        raw_ids={storable(str(k)): storable(str(v)) for k, v in msg.raw_ids.items()})


def excerpt(text: str, limit: int = STRANGER_EXCERPT) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _jid_ok(jid: str | None, servers: tuple[str, ...]) -> bool:
    if not jid or jid.count("@") != 1:
        return False
    user, _, server = jid.partition("@")
    if server not in servers:
        return False
    if server == _GROUP_SERVER:  # "120363…" or the older "628…-1600000000"
        return re.fullmatch(r"[\w-]+", user, re.ASCII) is not None
    user = user.split(":")[0].split(".")[0]  # a device suffix (…:12@s.whatsapp.net)
    return user.isdigit() and user.isascii()


def ignored_because(msg: Incoming) -> str | None:
    """Why the bot ignores this message before storing anything of it, or None.

    Status updates (`status@broadcast`), newsletters, broadcast lists and ids that name nobody
    (an empty `@lid`, no server, letters where WhatsApp writes digits) are nobody to answer."""
    if msg.from_me:
        return None  # the bot's own messages are dropped by the bot itself
    for jid in (msg.sender, msg.chat):
        server = (jid or "").rpartition("@")[2].lower()
        if server in ("broadcast", "newsletter"):
            return f"{jid} is a status update, newsletter or broadcast list."
    if not _jid_ok(msg.sender, _PERSON_SERVERS):
        return f"The sender id {msg.sender!r} names no WhatsApp user."
    if msg.is_group and not _jid_ok(msg.chat, (_GROUP_SERVER,)):
        return f"The group id {msg.chat!r} names no WhatsApp group."
    if not msg.is_group and msg.chat is not None and not _jid_ok(msg.chat, _PERSON_SERVERS):
        return f"The chat id {msg.chat!r} names no WhatsApp chat."
    return None
