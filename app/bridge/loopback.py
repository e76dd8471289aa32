"""An in-process WhatsApp stand-in for `simulate`, the Simulator tab and tests: no network."""

from __future__ import annotations

import asyncio
import enum
import inspect
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from app.bridge.base import BridgeError, MessageHandler, QrHandler, ReceiptHandler, StateHandler
from app.core.messages import BridgeState, Incoming, Receipt, ReceiptKind, StateChange

BOT_NUMBER = "+620000000000"
BOT_ID = "620000000000@s.whatsapp.net"
DEFAULT_GROUP = "120363000000000000@g.us"
PAIRING_CODE = "LOOP-BACK"

_T = TypeVar("_T")

_DEFAULT_DETAIL = {
    BridgeState.STOPPED: "The simulated WhatsApp connection is stopped.",
    BridgeState.STARTING: "Starting the simulated WhatsApp connection.",
    BridgeState.WAITING_FOR_QR: "The simulated phone is waiting to be paired.",
    BridgeState.CONNECTED: f"Connected (simulated) as {BOT_NUMBER}.",
    BridgeState.RECONNECTING: "The simulated connection dropped; it is reconnecting.",
    BridgeState.LOGGED_OUT: "The phone removed this computer: pair again from the Dashboard.",
    BridgeState.BANNED: "The simulated number is temporarily banned.",
    BridgeState.OUTDATED: "WhatsApp refuses this version: update WA-Integration.",
    BridgeState.FAILED: "The simulated connection failed.",
}


RECEIPT_DELAY_S = 0.05  # a simulated phone's pause before each receipt, as a real one's


class Phone(enum.StrEnum):
    """What a simulated recipient's phone reports of each message the bot sends it."""

    READ = "read"  # delivered, and read a moment later
    DELIVERED = "delivered"  # delivered, never read
    NEVER = "never"  # switched off or out of coverage: never delivered, so nothing reported


@dataclass(frozen=True)
class SentItem:
    """One message the bot sent through the loopback, as a person would have received it."""

    to: str
    text: str
    image_png: bytes | None
    caption: str
    message_id: str
    at: datetime
    quoted_id: str | None = None


async def notify(handler: Callable[[_T], Awaitable[None] | None] | None, value: _T) -> None:
    """Call a bridge handler that may be a plain function or a coroutine function."""
    if handler is None:
        return
    result = handler(value)
    if inspect.isawaitable(result):
        await result


def new_message_id() -> str:
    """An id shaped like WhatsApp's own: 20 upper-case hex digits."""
    return secrets.token_hex(10).upper()


def _user_jid(who: str) -> str:
    """A JID from a phone number as people type it ("+62 812-3456") or from a JID as is."""
    if "@" in who:
        return who
    digits = re.sub(r"\D", "", who)
    if not digits:
        raise BridgeError(f"“{who}” is neither a phone number nor a WhatsApp id.", retry=False)
    return f"{digits}@s.whatsapp.net"


def _phone_of(jid: str) -> str | None:
    user, _, server = jid.partition("@")
    user = re.split(r"[:.]", user)[0]
    if server in ("s.whatsapp.net", "c.us") and user.isdigit():
        return "+" + user
    return None


class LoopbackBridge:
    """A bridge whose WhatsApp is this process: `inject` plays a person writing to the bot,
    `sent` and `outgoing` hold what the bot answered, `set_state` plays the network, and the
    recipients' phones (`phone`, `set_phone`) report delivered and read, or nothing."""

    default_group = DEFAULT_GROUP  # the group chat a message `is_group` without a chat is in

    def __init__(self, *, send_delay_s: float = 0.0, phone: Phone | str = Phone.NEVER,
                 receipt_delay_s: float = RECEIPT_DELAY_S) -> None:
        self.on_state: StateHandler | None = None
        self.on_qr: QrHandler | None = None
        self.on_message: MessageHandler | None = None
        self.on_receipt: ReceiptHandler | None = None
        self.send_delay_s = send_delay_s
        self.phone = Phone(phone)  # every recipient's phone but those set with `set_phone`
        self.phones: dict[str, Phone] = {}
        self.receipt_delay_s = receipt_delay_s
        self.receipts: list[Receipt] = []  # every receipt the phones reported, in order
        self._reporting: set[asyncio.Task[None]] = set()
        self.sent: list[SentItem] = []
        self.outgoing: asyncio.Queue[SentItem] = asyncio.Queue()
        self.read_receipts: list[tuple[str, str, tuple[str, ...]]] = []
        self.typing_in: dict[str, bool] = {}
        self._state = BridgeState.STOPPED
        self._failures_left = 0
        self._failures_retry = True

    @property
    def state(self) -> BridgeState:
        return self._state

    # -- life ---------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._state is BridgeState.CONNECTED:
            return
        await self.set_state(BridgeState.STARTING)
        await self.set_state(BridgeState.CONNECTED)

    async def stop(self) -> None:
        for task in list(self._reporting):  # a phone's report still to come goes with it
            task.cancel()
        await self.set_state(BridgeState.STOPPED)

    async def logout(self) -> None:
        await self.set_state(BridgeState.LOGGED_OUT,
                             "This computer was logged out (simulated): pair again from the "
                             "Dashboard.")

    async def request_pairing_code(self, phone: str) -> str:
        if not re.sub(r"\D", "", phone):
            raise BridgeError(f"“{phone}” is not a phone number.", retry=False)
        return PAIRING_CODE

    async def set_state(self, state: BridgeState, detail: str = "",
                        until: datetime | None = None) -> None:
        """Play a network event: a disconnect, a ban (`until`), a logout, a reconnect…"""
        self._state = state
        connected = state is BridgeState.CONNECTED
        await notify(self.on_state, StateChange(
            state, detail or _DEFAULT_DETAIL[state], bot_number=BOT_NUMBER if connected else None,
            bot_id=BOT_ID if connected else None, until=until))

    def fail_next(self, n: int = 1, retry: bool = True) -> None:
        """Make the next `n` sends raise BridgeError(retry=`retry`), as WhatsApp refusing them."""
        self._failures_left = n
        self._failures_retry = retry

    # -- a person writes ------------------------------------------------------------------------
    async def inject(self, text: str, sender: str = "+628123456789", name: str = "",
                     chat: str | None = None, is_group: bool = False, mentioned: bool = False,
                     from_me: bool = False, quoted_id: str | None = None,
                     message_id: str | None = None) -> Incoming:
        """Deliver a message as if `sender` had written it; returns it after on_message ran.

        `quoted_id` is the id of a message it replies to (a SentItem's message_id);
        `message_id` plays WhatsApp delivering a message again (the id it had before)."""
        if self._state is not BridgeState.CONNECTED:
            raise BridgeError(f"The simulated WhatsApp is not connected ({self._state.value}): "
                              "start it first.", retry=True)
        person = _user_jid(sender)
        if is_group:
            chat_id = DEFAULT_GROUP if chat is None else chat if "@" in chat else f"{chat}@g.us"
        else:
            # In a private chat the chat is the other person, also for what the bot phone wrote.
            chat_id = person if chat is None else _user_jid(chat)
        author = BOT_ID if from_me else person
        raw_ids = {"chat": chat_id, "sender": author}
        if author.endswith("@lid"):
            raw_ids["lid"] = author
        else:
            raw_ids["jid"] = author
        message = Incoming(
            message_id=message_id or new_message_id(), chat=chat_id, sender=author,
            sender_phone=BOT_NUMBER if from_me else _phone_of(person), push_name=name,
            text=text, timestamp=datetime.now(UTC), is_group=is_group, from_me=from_me,
            mentioned=mentioned, message_type="chat", raw_ids=raw_ids, quoted_id=quoted_id)
        await notify(self.on_message, message)
        return message

    # -- the recipients' phones ----------------------------------------------------------------
    def set_phone(self, who: str, phone: Phone | str) -> None:
        """How the phone of `who` (a number as people type it, a JID, a group's id) behaves."""
        self.phones[_user_jid(who)] = Phone(phone)

    def phone_of(self, to: str) -> Phone:
        return self.phones.get(_user_jid(to), self.phone)

    async def receipt(self, message_ids: str | list[str], kind: ReceiptKind | str,
                      at: datetime | None = None, chat: str | None = None,
                      sender: str | None = None) -> Receipt:
        """Play a phone reporting: any ids (also ones the bot never sent), any order, twice."""
        ids = (message_ids,) if isinstance(message_ids, str) else tuple(message_ids)
        if chat is None:
            chat = next((item.to for item in self.sent if item.message_id in ids), None)
        chat = _user_jid(chat) if chat else None
        receipt = Receipt(message_ids=ids, kind=ReceiptKind(kind), at=at or datetime.now(UTC),
                          chat=chat, sender=_user_jid(sender) if sender else chat)
        self.receipts.append(receipt)
        await notify(self.on_receipt, receipt)
        return receipt

    async def receipts_reported(self) -> None:
        """Wait until the phones have reported what they will of the messages sent so far."""
        while self._reporting:
            await asyncio.wait(set(self._reporting))

    async def _report(self, item: SentItem, phone: Phone) -> None:
        steps = [ReceiptKind.DELIVERED] + ([ReceiptKind.READ] if phone is Phone.READ else [])
        for kind in steps:
            await asyncio.sleep(self.receipt_delay_s)
            await self.receipt(item.message_id, kind, chat=item.to)

    def _phone_receives(self, item: SentItem) -> None:
        phone = self.phone_of(item.to)
        if phone is Phone.NEVER:
            return
        task = asyncio.get_running_loop().create_task(self._report(item, phone),
                                                      name="loopback-phone")
        self._reporting.add(task)
        task.add_done_callback(self._reporting.discard)

    # -- the bot writes -------------------------------------------------------------------------
    async def send_text(self, to: str, text: str, quoted_id: str | None = None) -> str:
        return await self._send(to, text, None, "", quoted_id)

    async def send_image(self, to: str, png: bytes, caption: str = "") -> str:
        return await self._send(to, caption, png, caption, None)

    async def mark_read(self, chat: str, sender: str, message_ids: list[str]) -> None:
        self.read_receipts.append((chat, sender, tuple(message_ids)))

    async def typing(self, chat: str, on: bool = True) -> None:
        self.typing_in[chat] = on

    async def _send(self, to: str, text: str, png: bytes | None, caption: str,
                    quoted_id: str | None) -> str:
        # A new id for every send, as the real bridge (neonize chooses it, not the caller): the
        # same text sent twice reaches the simulated phone twice, so tests can count repeats.
        if not self._state.can_send:
            raise BridgeError(f"WhatsApp is not connected ({self._state.value}): the message "
                              "waits until it is.", retry=True)
        _user_jid(to)  # refuses what no real bridge could send to
        if self.send_delay_s > 0:
            await asyncio.sleep(self.send_delay_s)
        if self._failures_left > 0:
            self._failures_left -= 1
            raise BridgeError("WhatsApp refused the message (simulated failure).",
                              retry=self._failures_retry)
        item = SentItem(to=to, text=text, image_png=png, caption=caption,
                        message_id=new_message_id(), at=datetime.now(UTC), quoted_id=quoted_id)
        self.sent.append(item)
        self.outgoing.put_nowait(item)
        self._phone_receives(item)
        return item.message_id
