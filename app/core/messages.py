"""The values that cross from the WhatsApp bridge into the rest of the app: one incoming message
(from WhatsApp, the Simulator or `simulate`) and the bridge's connection state. They live in
core so that the bridge, the services and the runtime share them without importing each other
(docs/architecture.md, "One message's path")."""

from __future__ import annotations

import enum
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
    via: str = "whatsapp"  # whatsapp or simulator: who acknowledged an alarm, and how

    @property
    def reply_to(self) -> str:
        """Where the bot answers: the group in a group chat, else the person who wrote (the
        operator's own chat when nobody did)."""
        if self.is_group and self.chat:
            return self.chat
        return self.sender or self.chat or OPERATOR
