"""The WhatsApp bridge interface: what the runtime needs from any adapter (neonize, loopback)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from app.core.messages import BridgeState, Incoming, Receipt, StateChange
from app.errors import UserError


class BridgeError(UserError):
    """A send or a control call failed; `retry` says whether trying again later can help."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


StateHandler = Callable[[StateChange], Awaitable[None] | None]
QrHandler = Callable[[str], Awaitable[None] | None]
MessageHandler = Callable[[Incoming], Awaitable[None] | None]
ReceiptHandler = Callable[[Receipt], Awaitable[None] | None]


@runtime_checkable
class Bridge(Protocol):
    """Async and event driven. Handlers are set before `start`; all run on the event loop."""

    on_state: StateHandler | None
    on_qr: QrHandler | None  # QR payload text (render it as a QR image) or a pairing code
    on_message: MessageHandler | None
    # What the recipients' phones report of sent messages (delivered, read), by WhatsApp's id.
    on_receipt: ReceiptHandler | None

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
