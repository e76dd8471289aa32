"""The WhatsApp bridge interface: what the runtime needs from any adapter (neonize, loopback)."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from app.errors import UserError


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


@dataclass(frozen=True)
class IncomingMessage:
    """One message from WhatsApp, already translated out of the adapter's own types."""

    message_id: str
    chat: str  # JID of the chat: the person's for a private chat, the group's for a group
    sender: str  # JID of the person who wrote (may be a LID: …@lid)
    sender_phone: str | None  # E.164 when known (resolved from a LID where possible)
    push_name: str
    text: str
    timestamp: datetime
    is_group: bool = False
    from_me: bool = False
    mentioned: bool = False  # the bot was @-mentioned
    message_type: str = "chat"  # chat, image, document, sticker, … (WhatsApp's words)
    raw_ids: dict[str, str] = field(default_factory=dict)  # every id seen: jid, lid, alt
    quoted_id: str | None = None  # the id of the message this one replies to (quotes)


class BridgeError(UserError):
    """A send or a control call failed; `retry` says whether trying again later can help."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


StateHandler = Callable[[StateChange], Awaitable[None] | None]
QrHandler = Callable[[str], Awaitable[None] | None]
MessageHandler = Callable[[IncomingMessage], Awaitable[None] | None]


@runtime_checkable
class Bridge(Protocol):
    """Async and event driven. Handlers are set before `start`; all run on the event loop."""

    on_state: StateHandler | None
    on_qr: QrHandler | None  # QR payload text (render it as a QR image) or a pairing code
    on_message: MessageHandler | None

    @property
    def state(self) -> BridgeState: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def logout(self) -> None: ...

    async def request_pairing_code(self, phone: str) -> str: ...

    async def send_text(self, to: str, text: str, quoted_id: str | None = None) -> str:
        """Send; returns WhatsApp's message id. Raises BridgeError."""
        ...

    async def send_image(self, to: str, png: bytes, caption: str = "") -> str: ...

    async def mark_read(self, chat: str, sender: str, message_ids: list[str]) -> None: ...

    async def typing(self, chat: str, on: bool = True) -> None: ...
