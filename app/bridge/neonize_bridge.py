"""WhatsApp through neonize (Go whatsmeow, WhatsApp Web multi-device): the adapter for real use.

Longer than 500 lines on purpose: everything that knows neonize's types lives here, so a new
neonize release is checked against one file. The first half translates its messages, events and
errors into app/core values (pure functions, tested one by one); the second is the bridge that
owns the Go library's threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import phonenumbers

from app.bridge.base import (
    BridgeError,
    MessageHandler,
    QrHandler,
    ReceiptHandler,
    StateHandler,
)
from app.core.messages import BridgeState, Incoming, Receipt, ReceiptKind, StateChange
from app.core.proxy import effective_proxy

# Nothing here imports neonize at module level: importing it loads (or, when the file is
# missing, downloads) its 19 MB Go library, which `simulate` and the tests of other parts
# never need.

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# whatsmeow shows one QR code for 60 s and five more for 20 s each, then closes the login socket
# without telling Python (neonize 0.5.2). The watchdog acts a little after that window so the
# login has ended by itself before it is stopped: stopping it earlier leaves the Go call waiting
# on a QR channel that never closes.
QR_WINDOW_S = 160.0
QR_WATCHDOG_S = 170.0
MAX_QR_ROUNDS = 10  # about half an hour of unanswered QR codes, then wait for a person
PAIR_MIN_LEFT_S = 60.0  # a pairing code needs time to be typed on the phone
PAIR_WAIT_S = 240.0
BACKOFF_FIRST_S = 2.0
BACKOFF_MAX_S = 300.0
STREAM_REPLACED_RETRY_S = 300.0  # quick retries would throw the other computer off in turn
BAN_UNKNOWN_RETRY_S = 1800.0
BAN_MARGIN_S = 30.0
STOP_WAIT_S = 10.0  # a live session's time to end after being told to stop
STOP_HANGING_S = 1.0  # the same while it has not got past connecting: it is abandoned then
LOGOUT_WAIT_S = 15.0
# A dial that hangs (a firewall that swallows packets) ends in whatsmeow only after 60 s; the
# handshake takes a few seconds on any working network. No word from the session for this long
# ends the attempt: it is reported and tried again with backoff.
CONNECT_SILENCE_S = 15.0
RECENT_FOR_QUOTES = 200  # incoming messages kept so a reply can quote them

LOGGED_OUT_DETAIL = "The phone removed this computer: pair again from the Dashboard."
NO_ANSWER_DETAIL = ("WhatsApp's servers do not answer from this computer: a firewall may drop "
                    "the connection, or a proxy may be needed")
OUTDATED_DETAIL = "WhatsApp refuses this version: update WA-Integration."
STREAM_REPLACED_DETAIL = (
    "WhatsApp is open for this number on another computer with this same login (another copy "
    "of WA-Integration?): close it there. This computer tries again in 5 minutes.")

# neonize's TemporaryBan.Code enum (1–5) stands for whatsmeow's TempBanReason codes.
_BAN_CODES = {1: 101, 2: 102, 3: 103, 4: 104, 5: 106}
_BAN_REASONS = {
    101: "messages went to too many people who do not have this number in their contacts",
    102: "too many people blocked this number",
    103: "too many groups were created with people who do not have this number in their "
         "contacts",
    104: "the same message went to too many people",
    105: "a reason WhatsApp does not name",  # whatsmeow names no code 105
    106: "too many messages went to a broadcast list",
}
# neonize's ConnectFailureReason enum (1–10) stands for whatsmeow's status codes.
_FAILURE_CODES = {1: 400, 2: 401, 3: 402, 4: 403, 5: 406, 6: 405, 7: 409, 8: 500, 9: 501,
                  10: 503}

_PHONE_SERVERS = ("s.whatsapp.net", "c.us")
_RECIPIENT_SERVERS = {"s.whatsapp.net": "s.whatsapp.net", "c.us": "s.whatsapp.net",
                      "g.us": "g.us", "lid": "lid"}
# Errors whatsmeow gives for a send that no retry can heal (errors.go, send.go).
_PERMANENT_SEND_ERRORS = (
    "no lid found for",  # the number is not on WhatsApp
    "can't send message to unknown server",
    "must be a user jid with no device part",
    "not yet supported",
    "you're not participating in that group",
    "that group does not exist",
    "item-not-found",
    "phone number too short",
    "international phone number required",
)
_NOT_ON_WHATSAPP = "no lid found for"

# Message fields that wrap the real content; whatsmeow unwraps most of them already.
_WRAPPERS = ("ephemeralMessage", "viewOnceMessage", "viewOnceMessageV2",
             "viewOnceMessageV2Extension", "documentWithCaptionMessage")
# Content fields and the type names WhatsApp's own clients use for them. Checked in order:
# a group's first message also carries a senderKeyDistributionMessage, which is no content.
_CONTENT = (
    ("conversation", "chat"), ("extendedTextMessage", "chat"), ("imageMessage", "image"),
    ("videoMessage", "video"), ("ptvMessage", "video"), ("documentMessage", "document"),
    ("stickerMessage", "sticker"), ("lottieStickerMessage", "sticker"),
    ("audioMessage", "audio"), ("locationMessage", "location"),
    ("liveLocationMessage", "location"), ("contactMessage", "vcard"),
    ("contactsArrayMessage", "multi_vcard"),
)


# -- pure translations --------------------------------------------------------------------------
def bare_jid(jid: str) -> str:
    """"628123:12@s.whatsapp.net" → "628123@s.whatsapp.net": one account, whatever device."""
    user, at, server = jid.partition("@")
    if not at:
        return jid
    return f"{re.split(r'[:.]', user)[0]}@{server}"


def phone_of_jid(jid: str | None) -> str | None:
    """E.164 ("+628…") when the JID's user part is a phone number; None for LIDs and groups."""
    if not jid or "@" not in jid:
        return None
    user, _, server = bare_jid(jid).partition("@")
    if server not in _PHONE_SERVERS or not user.isdigit():
        return None
    try:
        number = phonenumbers.parse("+" + user, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    # The JID's digits are WhatsApp's E.164 already. Formatting them again would drop a 0 after
    # the country code as if it were a trunk prefix ("+62 0…"), naming another person.
    return "+" + user


def parse_recipient(to: str) -> tuple[str, str]:
    """(user, server) of whom to send to: a JID, or a phone number as people type it.

    Raises BridgeError(retry=False): no retry makes a malformed address valid.
    """
    text = (to or "").strip()
    if "@" in text:
        user, _, server = bare_jid(text).partition("@")
        server = _RECIPIENT_SERVERS.get(server.lower(), "")
        valid = bool(server) and (re.fullmatch(r"\d{5,20}(-\d{5,20})?", user) is not None
                                  if server == "g.us" else user.isdigit())
    else:
        user, server = re.sub(r"[\s\-().+\u00a0/]", "", text), "s.whatsapp.net"
        valid = user.isdigit() and 7 <= len(user) <= 15 and not user.startswith("0")
    if not valid:
        raise BridgeError(f"“{to}” is not a WhatsApp address: use an international phone "
                          "number (+62…) or a chat id from a message.", retry=False)
    return user, server


def pairing_phone(phone: str) -> str:
    """The digits whatsmeow wants for a pairing code; BridgeError(retry=False) if not a number."""
    cleaned = re.sub(r"[\s\-().\u00a0/]", "", phone or "")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    number = None
    if re.fullmatch(r"\+?[1-9]\d{6,14}", cleaned):
        with contextlib.suppress(phonenumbers.NumberParseException):
            number = phonenumbers.parse("+" + cleaned.lstrip("+"), None)
    if number is None or not phonenumbers.is_possible_number(number):
        raise BridgeError(f"“{phone}” is not the bot phone's number in international form, "
                          "such as +62 812 3456 7890.", retry=False)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def message_time(value: int) -> datetime:
    """neonize sends milliseconds since 1970 (older builds seconds): an aware UTC datetime."""
    if value <= 0:
        return datetime.now(UTC)
    # 10^11 s lies in the year 5138 and 10^11 ms in 1973: no real message is near either.
    seconds = value / 1000 if value > 10**11 else value
    return datetime.fromtimestamp(seconds, UTC)


def _content(message: Any) -> tuple[Any, str, Any] | None:
    """(message holding the content, WhatsApp's type name, the content field) or None."""
    for _ in range(3):  # wrappers nest at most a couple deep
        wrapper = next((w for w in _WRAPPERS if message.HasField(w)), None)
        if wrapper is None:
            break
        message = getattr(message, wrapper).message
    if message.HasField("protocolMessage") or message.HasField("editedMessage"):
        return None  # revokes, edits, history and key notices: nothing a person asked
    for field, kind in _CONTENT:
        if message.HasField(field):
            if kind == "audio" and message.audioMessage.PTT:
                kind = "ptt"
            return message, kind, getattr(message, field)
    return None


def _mentions(content: Any) -> list[str]:
    fields = getattr(getattr(content, "DESCRIPTOR", None), "fields_by_name", {})
    if "contextInfo" not in fields:
        return []  # plain text ("conversation") carries no mentions
    return [bare_jid(j) for j in content.contextInfo.mentionedJID]


def _quoted(content: Any) -> str | None:
    """WhatsApp's id of the message this one replies to (swipe to reply), if any."""
    fields = getattr(getattr(content, "DESCRIPTOR", None), "fields_by_name", {})
    if "contextInfo" not in fields or not content.HasField("contextInfo"):
        return None
    return content.contextInfo.stanzaID or None


def translate_message(ev: Any, own_jid: str | None, *, own_lid: str | None = None,
                      lid_phone_jid: str | None = None) -> Incoming | None:
    """A neonize MessageEv as the app's Incoming; None when no person asked anything.

    `own_jid`/`own_lid` are the bot's ids (for mentions and its own messages); `lid_phone_jid`
    is the phone JID the session store knows for a LID sender that came without one.
    """
    from neonize.utils.jid import Jid2String, JIDToNonAD
    from neonize.utils.message import extract_text

    def jid_text(jid: Any) -> str:
        return Jid2String(JIDToNonAD(jid)) if jid.User or jid.Server else ""

    if ev.IsEdit or not ev.HasField("Message"):
        return None  # an edit would answer the same question a second time
    info = ev.Info
    source = info.MessageSource
    chat = jid_text(source.Chat)
    if not chat or chat == "status@broadcast" or chat.endswith("@newsletter"):
        return None  # status updates and channels are not messages to the bot
    found = _content(ev.Message)
    if found is None:
        return None
    inner, kind, content = found
    text = extract_text(inner)
    if kind == "chat" and not text.strip():
        return None

    sender_raw = jid_text(source.Sender)
    alt = jid_text(source.SenderAlt)
    if source.Sender.Server == "lid":
        # A LID hides the number; WhatsApp usually sends the phone JID alongside (SenderAlt).
        lid = sender_raw
        phone_jid = alt if alt.endswith("@s.whatsapp.net") else bare_jid(lid_phone_jid or "")
    else:
        phone_jid = sender_raw
        lid = alt if alt.endswith("@lid") else ""
    sender = phone_jid or sender_raw
    raw_ids = {key: value for key, value in (("chat", chat), ("sender", sender_raw), ("alt", alt),
                                             ("jid", phone_jid), ("lid", lid)) if value}

    own = {bare_jid(j) for j in (own_jid, own_lid) if j}
    from_me = bool(source.IsFromMe) or any(i in own for i in (sender_raw, phone_jid, lid) if i)
    return Incoming(
        message_id=info.ID, chat=chat, sender=sender, sender_phone=phone_of_jid(phone_jid),
        push_name=info.Pushname, text=text, timestamp=message_time(info.Timestamp),
        is_group=bool(source.IsGroup) or chat.endswith("@g.us"), from_me=from_me,
        mentioned=bool(own & set(_mentions(content))), message_type=kind, raw_ids=raw_ids,
        quoted_id=_quoted(content))


# neonize's Receipt.Type names the app keeps: what a recipient's phone did. The others are the
# bot's own devices reading (READ_SELF, PLAYED_SELF), retries, errors and sync notices.
_RECEIPT_KINDS = {"DELIVERED": ReceiptKind.DELIVERED, "READ": ReceiptKind.READ,
                  "PLAYED": ReceiptKind.PLAYED}


def translate_receipt(ev: Any) -> Receipt | None:
    """A neonize ReceiptEv as the app's Receipt; None when it tells nothing of a recipient."""
    from neonize.utils.jid import Jid2String, JIDToNonAD

    def jid_text(jid: Any) -> str | None:
        return Jid2String(JIDToNonAD(jid)) if jid.User or jid.Server else None

    kind = _RECEIPT_KINDS.get(_enum_name(ev, "Type"))
    source = ev.MessageSource
    ids = tuple(dict.fromkeys(i for i in ev.MessageIDs if i))
    if kind is None or source.IsFromMe or not ids:
        return None
    return Receipt(message_ids=ids, kind=kind, at=message_time(ev.Timestamp),
                   chat=jid_text(source.Chat), sender=jid_text(source.Sender))


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b %Y %H:%M")


def _enum_name(ev: Any, field: str) -> str:
    descriptor = ev.DESCRIPTOR.fields_by_name[field].enum_type
    value = descriptor.values_by_number.get(getattr(ev, field))
    return value.name if value is not None else str(getattr(ev, field))


def translate_state_event(ev: Any, *, bot_id: str | None = None, now: datetime | None = None,
                          attempts: int = 0) -> StateChange | None:
    """A neonize connection event as a StateChange with a sentence saying what to do.

    Pure: reads the event's protobuf descriptor, so it needs no neonize import. None for
    events that change nothing a person needs to see.
    """
    name = ev.DESCRIPTOR.name
    now = now or datetime.now(UTC)
    number = phone_of_jid(bot_id)
    me = f" as {number}" if number else ""
    if name == "Connected":
        return StateChange(BridgeState.CONNECTED, f"Connected to WhatsApp{me}.",
                           bot_number=number, bot_id=bot_id)
    if name == "KeepAliveRestored":
        return StateChange(BridgeState.CONNECTED, f"The connection to WhatsApp is back{me}.",
                           bot_number=number, bot_id=bot_id)
    if name == "Disconnected":
        return StateChange(BridgeState.RECONNECTING,
                           "The connection to WhatsApp dropped; it reconnects by itself. "
                           "Replies wait until it is back.", reconnect_attempts=attempts)
    if name == "KeepAliveTimeout":
        last = ""
        if ev.LastSuccess > 0:
            last = f" (the last answer came at {_local(message_time(ev.LastSuccess))})"
        return StateChange(BridgeState.RECONNECTING,
                           f"WhatsApp has not answered {ev.ErrorCount} connection checks{last}; "
                           "waiting for the network to recover.", reconnect_attempts=attempts)
    if name == "LoggedOut":
        reason = _enum_name(ev, "Reason")
        detail = LOGGED_OUT_DETAIL
        if reason == "MAIN_DEVICE_GONE":
            detail = ("WhatsApp on the bot phone was logged out or moved to another phone: "
                      "pair again from the Dashboard.")
        elif reason == "UNKNOWN_LOGOUT":
            detail = ("WhatsApp logged this computer out without saying why (this can mean the "
                      "number was banned): check WhatsApp on the bot phone, then pair again "
                      "from the Dashboard.")
        return StateChange(BridgeState.LOGGED_OUT, detail)
    if name == "TemporaryBan":
        code = _BAN_CODES.get(ev.Code, 105)
        until = now + timedelta(seconds=ev.Expire) if ev.Expire > 0 else None
        when = (f"Sending is paused until {_local(until)}; the bot reconnects by itself then."
                if until else "WhatsApp did not say for how long; the bot tries again later.")
        return StateChange(
            BridgeState.BANNED,
            f"WhatsApp has temporarily banned this number (reason {code}: {_BAN_REASONS[code]}). "
            f"{when} To avoid another ban, answer only people who wrote first and send alerts "
            "to a group rather than the same text to many people.", until=until)
    if name == "ConnectFailure":
        reason = _enum_name(ev, "Reason")
        code = _FAILURE_CODES.get(ev.Reason, 0)
        said = f": {ev.Message}" if ev.Message else ""
        if reason in ("LOGGED_OUT", "MAIN_DEVICE_GONE", "UNKNOWN_LOGOUT"):
            return StateChange(BridgeState.LOGGED_OUT, LOGGED_OUT_DETAIL)
        if reason == "TEMP_BANNED":
            return StateChange(BridgeState.BANNED,
                               "WhatsApp has temporarily banned this number; the bot tries "
                               "again later.")
        if reason in ("CLIENT_OUTDATED", "BAD_USER_AGENT"):
            return StateChange(BridgeState.OUTDATED, OUTDATED_DETAIL)
        if reason in ("INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"):
            return StateChange(BridgeState.RECONNECTING,
                               f"WhatsApp's servers are having trouble ({code}{said}); the bot "
                               "reconnects by itself.", reconnect_attempts=attempts)
        return StateChange(BridgeState.FAILED,
                           f"WhatsApp refused the connection ({code}{said}). The bot tries "
                           "again by itself; if this keeps happening, check the network and "
                           "the proxy setting.", reconnect_attempts=attempts)
    if name == "ClientOutdated":
        return StateChange(BridgeState.OUTDATED, OUTDATED_DETAIL)
    if name == "StreamReplaced":
        return StateChange(BridgeState.RECONNECTING, STREAM_REPLACED_DETAIL,
                           reconnect_attempts=attempts)
    if name == "PairStatus":
        if _enum_name(ev, "Status") == "SUCCESS":
            paired = phone_of_jid(bare_jid(f"{ev.ID.User}@{ev.ID.Server}")) or "the bot phone"
            return StateChange(BridgeState.STARTING,
                               f"Paired with {paired}; finishing the login.")
        return StateChange(BridgeState.WAITING_FOR_QR,
                           f"Pairing failed ({ev.Error or 'no reason given'}): scan the new QR "
                           "code or ask for a new pairing code.")
    return None


def send_error(exc: BaseException) -> BridgeError:
    """A neonize send failure as BridgeError: retry=False only for what no retry can heal."""
    said = _short(exc)
    lowered = said.lower()
    if _NOT_ON_WHATSAPP in lowered:
        return BridgeError(f"This number is not on WhatsApp ({said}).", retry=False)
    if any(marker in lowered for marker in _PERMANENT_SEND_ERRORS):
        return BridgeError(f"WhatsApp cannot deliver to this address: {said}.", retry=False)
    return BridgeError(f"WhatsApp did not take the message: {said}.", retry=True)


# whatsmeow's and Go's error texts for a session that could not start, as plain sentences (no
# trailing full stop: the supervisor adds when it tries again). Checked in order, lower case.
_CONNECT_ERRORS = (
    (("context deadline exceeded", "i/o timeout", "timeout awaiting", "tls handshake timeout",
      "deadline exceeded"), NO_ANSWER_DETAIL),
    (("proxyconnect", "socks connect", "proxy authentication", "proxy refused",
      "bad response from proxy", "unexpected proxy"),
     "The proxy did not let the connection to WhatsApp through: check the proxy setting"),
    (("no such host", "server misbehaving", "lookup "),
     "This computer cannot find WhatsApp's servers by name (DNS): check the network "
     "connection, or set a proxy"),
    (("connection refused",),
     "The connection to WhatsApp was refused: a firewall or the proxy blocks it"),
    (("network is unreachable", "no route to host"),
     "This computer has no network route to WhatsApp: check the network connection"),
    (("x509", "certificate", "tls:", "remote error: tls"),
     "The secure connection to WhatsApp failed: a firewall or proxy may inspect the traffic; "
     "ask for web.whatsapp.com to be let through unchanged"),
    (("401", "logged out", "unauthorized"), LOGGED_OUT_DETAIL.rstrip(".")),
    (("403", "forbidden", "banned"),
     "WhatsApp refuses this number (it may be banned): check WhatsApp on the bot phone"),
    (("405", "outdated"), OUTDATED_DETAIL.rstrip(".")),
    (("connection reset", "eof", "broken pipe"),
     "The connection to WhatsApp was cut off while connecting: a firewall or proxy may end it"),
)
GENERIC_CONNECT_DETAIL = "WhatsApp could not be reached (the log has the details)"


def connect_problem(text: str) -> str:
    """A whatsmeow error chain as one plain sentence without a full stop; the chain is logged."""
    lowered = (text or "").lower()
    for markers, sentence in _CONNECT_ERRORS:
        for marker in markers:
            # A status code only as a number of its own, not inside a port or an address.
            found = (re.search(rf"(?<![\d:.]){marker}(?!\d)", lowered) if marker.isdigit()
                     else marker in lowered)
            if found:
                return sentence
    return GENERIC_CONNECT_DETAIL


def _short(exc: BaseException, limit: int = 240) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    return f"{round(seconds / 60)} min"


async def _call(handler: Callable[[_T], Awaitable[None] | None] | None, value: _T) -> None:
    if handler is None:
        return
    result = handler(value)
    if inspect.isawaitable(result):
        await result


# -- the session thread ---------------------------------------------------------------------------
def run_in_own_thread(func: Callable[..., _T], *args: Any, name: str) -> asyncio.Future[_T]:
    """Run a blocking call in a new daemon thread; the future settles on the running loop."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[_T] = loop.create_future()

    def settle(ok: bool, value: Any) -> None:
        if not future.done():  # cancelled meanwhile: nobody waits for the outcome
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def body() -> None:
        try:
            outcome = (True, func(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the awaiting task below
            outcome = (False, exc)
        with contextlib.suppress(RuntimeError):  # the loop closed while the call ran
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=body, name=name, daemon=True).start()
    return future


# Go calls that can block as long as a network that never answers: each gets a thread of its own.
_OWN_THREAD_CALLS = ("Stop", "Logout", "Disconnect")


class _SessionInOwnThread:
    """Stands in for neonize's GoCode on one client: the session call gets a thread of its own.

    neonize 0.5.2 runs every Go call through asyncio.to_thread, so its session call, which
    returns only when the session ends, holds a worker of the loop's default executor for the
    whole run (qasync's has 10, and joins them when the loop closes: a Go call that never returns
    hangs the exit). A daemon thread of its own frees that worker and never blocks the exit.
    Stop, Logout and Disconnect wait for a dial in progress (up to 60 s on a network that never
    answers), so they get one too; the other calls are short and keep neonize's way.
    """

    def __init__(self, inner: Any, session_call: Callable[..., Any],
                 own_thread: dict[str, Callable[..., Any]] | None = None) -> None:
        self._inner = inner
        self._session_call = session_call
        self._own_thread = own_thread or {}
        self._session: asyncio.Future[Any] | None = None
        self.returned = False  # the Go session call came back (an abandoned one, too)

    def __getattr__(self, name: str) -> Any:
        if name == "Neonize":
            return self._run_session
        if name in self._own_thread:
            call = self._own_thread[name]
            return lambda *args: run_in_own_thread(call, *args, name=f"whatsapp-{name.lower()}")
        return getattr(self._inner, name)

    def _run_session(self, *args: Any) -> asyncio.Future[Any]:
        def call() -> Any:
            try:
                return self._session_call(*args)
            finally:
                self.returned = True

        self._session = run_in_own_thread(call, name="whatsapp-session")
        return self._session

    def abandon(self) -> bool:
        """End the wait for a session call that does not return, without cancelling neonize's
        task: its cancel handler would call the blocking Go Stop on the event loop's thread.
        The Go call goes on in its daemon thread; what it returns is dropped."""
        session = self._session
        if session is None or session.done():
            return False
        session.set_result(b"")
        return True


def _go_returned(client: Any) -> bool:
    handle = getattr(client, "_NewAClient__client", None)
    return isinstance(handle, _SessionInOwnThread) and handle.returned


def _outcome_seen(session: asyncio.Future[Any]) -> None:
    """Mark a session's failure as seen: one left behind may end long after anyone waits."""
    if not session.cancelled() and session.exception() is not None:
        log.debug("A WhatsApp session ended: %s", session.exception())


class _NotTheFfmpegWarning(logging.Filter):
    """neonize warns at every connect that ffmpeg is missing; this bot sends only PNG images,
    which need no ffmpeg. Every other record of that logger passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "not found on PATH" not in str(record.msg)


def _load_neonize() -> None:
    """Import neonize, which loads its Go library (blocking: run it off the event loop)."""
    import neonize._binder  # noqa: F401
    import neonize.aioze.client  # noqa: F401

    ffmpeg_log = logging.getLogger("neonize.utils.ffmpeg")
    if not any(isinstance(f, _NotTheFfmpegWarning) for f in ffmpeg_log.filters):
        ffmpeg_log.addFilter(_NotTheFfmpegWarning())


def _neonize_client(session_file: str, session_id: str) -> Any:
    _load_neonize()
    from neonize._binder import gocode
    from neonize.aioze.client import NewAClient
    from neonize.proto.waCompanionReg.WAWebProtobufsCompanionReg_pb2 import DeviceProps

    # The phone lists the bot under Linked devices by this name.
    props = DeviceProps(os="WA-Integration", platformType=DeviceProps.CHROME)
    client = NewAClient(session_file, props=props, uuid=session_id)
    private = "_NewAClient__client"  # neonize's handle on its Go calls (name-mangled)
    if hasattr(client, private):
        own = {name: getattr(gocode, name) for name in _OWN_THREAD_CALLS}
        setattr(client, private, _SessionInOwnThread(getattr(client, private), gocode.Neonize,
                                                     own))
    else:
        log.warning("neonize changed its internals: the WhatsApp session holds a worker of the "
                    "event loop's default executor")
    return client


ClientFactory = Callable[[str, str], Any]  # (session file, session id) → a NewAClient


class NeonizeBridge:
    """WhatsApp Web multi-device through neonize's asyncio client, on the running loop.

    One Go session at a time; this class decides when to start another: after a failed first
    connect (whatsmeow retries only once logged in), an unused QR code, a ban that expired, a
    session that ended by itself. Logged out and outdated wait for a person.
    """

    def __init__(self, session_path: Path, *, proxy: str | None = None,
                 client_factory: ClientFactory | None = None,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
                 backoff_first_s: float = BACKOFF_FIRST_S, backoff_max_s: float = BACKOFF_MAX_S,
                 qr_watchdog_s: float = QR_WATCHDOG_S, max_qr_rounds: int = MAX_QR_ROUNDS,
                 connect_silence_s: float = CONNECT_SILENCE_S) -> None:
        self.on_state: StateHandler | None = None
        self.on_qr: QrHandler | None = None
        self.on_message: MessageHandler | None = None
        self.on_receipt: ReceiptHandler | None = None
        self.session_path = Path(session_path)
        try:  # None or "": the system's proxy; "direct": none (app.core.proxy)
            self.proxy = effective_proxy(proxy)
        except ValueError as exc:
            raise BridgeError(str(exc), retry=False) from None
        self._connect_silence_s = connect_silence_s
        self._heard = False  # the running session has sent an event (it got past the dial)
        self._abandoned = False  # the last session did not end when told to: left behind
        self._stopping_calls: set[asyncio.Future[Any]] = set()
        self._factory = client_factory or _neonize_client
        self._sleep = sleep
        self._backoff_first_s = backoff_first_s
        self._backoff_max_s = backoff_max_s
        self._qr_watchdog_s = qr_watchdog_s
        self._max_qr_rounds = max_qr_rounds
        self._state = BridgeState.STOPPED
        self._client: Any = None
        self._session: asyncio.Future[Any] | None = None  # the running Go session
        self._supervisor: asyncio.Task[None] | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._stopping = False
        self._resume_after: float | None = None  # set when this side ends a session on purpose
        self._attempts = 0
        self._sessions = 0
        self._own_jid: str | None = None
        self._own_lid: str | None = None
        self._login_started: float | None = None  # loop time of this login's first QR code
        self._qr_rounds = 0
        self._recent: OrderedDict[str, Any] = OrderedDict()
        self._kept: list[Any] = []  # clients whose Go call never returned: keep callbacks alive

    @property
    def state(self) -> BridgeState:
        return self._state

    @property
    def bot_id(self) -> str | None:
        return self._own_jid

    # -- life ---------------------------------------------------------------------------------
    async def start(self) -> None:
        """Start connecting (or pairing, when no phone is linked yet); returns at once."""
        if self._supervisor is not None and not self._supervisor.done():
            return
        self._stopping = False
        self._attempts = 0
        self._qr_rounds = 0
        self.session_path.parent.mkdir(parents=True, exist_ok=True)
        await self._emit(StateChange(BridgeState.STARTING, "Connecting to WhatsApp…"))
        self._supervisor = asyncio.create_task(self._supervise(), name="whatsapp-bridge")

    async def stop(self) -> None:
        self._stopping = True
        self._abandoned = False
        self._cancel_watchdog()
        await self._end_session(math.inf)
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None and not supervisor.done():
            supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await supervisor
        detail = "The WhatsApp connection is stopped."
        if self._abandoned:
            detail = ("The WhatsApp connection is stopped. The connection attempt in progress "
                      "got no answer and is left to end by itself.")
        await self._emit(StateChange(BridgeState.STOPPED, detail))

    async def logout(self) -> None:
        """Unlink this computer from the bot phone. The session file stays; whatsmeow forgets
        the device in it, so the next start shows a new QR code."""
        client = self._live_client()
        if client is None or self._state is not BridgeState.CONNECTED:
            raise BridgeError("WhatsApp is not connected, so it cannot be told about the logout: "
                              "connect first, or remove this computer on the bot phone under "
                              "Linked devices.", retry=True)
        try:
            await asyncio.wait_for(client.logout(), LOGOUT_WAIT_S)  # Go's call runs in its thread
        except Exception as exc:  # noqa: BLE001 - any refusal is reported the same way
            log.warning("WhatsApp did not confirm the logout: %s", exc)
            said = (f"no answer within {_duration(LOGOUT_WAIT_S)}" if isinstance(exc, TimeoutError)
                    else connect_problem(str(exc)))
            raise BridgeError(f"WhatsApp did not confirm the logout ({said}): try again, or "
                              "remove this computer on the bot phone under Linked devices.",
                              retry=True) from exc
        await self._emit(StateChange(BridgeState.LOGGED_OUT,
                                     "This computer is logged out of WhatsApp: pair again from "
                                     "the Dashboard to use it."))
        await self._end_session(math.inf)

    async def request_pairing_code(self, phone: str) -> str:
        """The code to type on the bot phone (Linked devices → Link with phone number)."""
        digits = pairing_phone(phone)
        if self._state is BridgeState.CONNECTED:
            raise BridgeError("A phone is already linked: log out first to link another.",
                              retry=False)
        if self._supervisor is None or self._supervisor.done():
            await self.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + PAIR_WAIT_S
        # whatsmeow closes the login socket when the QR codes run out, taking a pairing code
        # with it: ask only with time left, else wait for the watchdog's next login.
        while True:
            client, left = self._live_client(), self._login_time_left()
            if client is not None and left is not None and left >= PAIR_MIN_LEFT_S:
                break
            if self._supervisor is None or self._supervisor.done():
                raise BridgeError(f"WhatsApp cannot be linked now ({self._state.value}).",
                                  retry=False)
            if loop.time() >= deadline:
                raise BridgeError("WhatsApp offered no login within 4 minutes: check the "
                                  "network, then try again.", retry=True)
            await asyncio.sleep(0.5)
        try:
            code = str(await client.PairPhone(digits, True))
        except Exception as exc:  # noqa: BLE001 - classified below
            said = _short(exc)
            permanent = any(m in said.lower() for m in _PERMANENT_SEND_ERRORS)
            raise BridgeError(f"WhatsApp gave no pairing code: {said}.",
                              retry=not permanent) from exc
        await self._emit(StateChange(
            BridgeState.WAITING_FOR_QR,
            f"Type the code {code} on the bot phone: WhatsApp → Linked devices → Link with phone "
            f"number. It works for about {_duration(left)}."))
        return code

    # -- sending --------------------------------------------------------------------------------
    # WhatsApp's message id is chosen inside neonize: its send_message passes whatsmeow no
    # SendRequestExtra (whose ID field would let us choose it), so a send repeated after a crash
    # gets a new id and the phone shows both. The outbox marks such a resend (interrupted_sends).
    async def send_text(self, to: str, text: str, quoted_id: str | None = None) -> str:
        from neonize.proto.waE2E.WAWebProtobufsE2E_pb2 import ExtendedTextMessage, Message
        from neonize.utils.jid import build_jid

        user, server = parse_recipient(to)
        client = self._sending_client()
        quoted = self._recent.get(quoted_id) if quoted_id else None
        try:
            if quoted is not None:
                copy = type(quoted)()
                copy.CopyFrom(quoted)  # neonize clears the quoted message's context in place
                message = await client.build_reply_message(ExtendedTextMessage(text=text), copy)
            else:
                # A Message, not a str: neonize would turn "@digits" in a reply into mentions.
                message = Message(conversation=text)
            response = await client.send_message(build_jid(user, server), message)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a BridgeError
            raise send_error(exc) from exc
        return str(response.ID)

    async def send_image(self, to: str, png: bytes, caption: str = "") -> str:
        from neonize.utils.jid import build_jid

        user, server = parse_recipient(to)
        client = self._sending_client()
        try:
            response = await client.send_image(build_jid(user, server), png,
                                               caption=caption or None)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a BridgeError
            raise send_error(exc) from exc
        return str(response.ID)

    async def mark_read(self, chat: str, sender: str, message_ids: list[str]) -> None:
        """Blue ticks; best effort, never raises: a missing tick harms nobody."""
        from neonize.utils.enum import ReceiptType
        from neonize.utils.jid import build_jid

        client = self._live_client()
        if client is None or not message_ids or not self._state.can_send:
            return
        try:
            chat_jid = build_jid(*parse_recipient(chat))
            sender_jid = build_jid(*parse_recipient(sender))
            await client.mark_read(*message_ids, chat=chat_jid, sender=sender_jid,
                                   receipt=ReceiptType.READ)
        except Exception:  # noqa: BLE001 - logged, see docstring
            log.warning("Marking %d message(s) in %s as read failed", len(message_ids), chat,
                        exc_info=True)

    async def typing(self, chat: str, on: bool = True) -> None:
        """"typing…" in the chat; best effort, never raises."""
        from neonize.utils.enum import ChatPresence, ChatPresenceMedia
        from neonize.utils.jid import build_jid

        client = self._live_client()
        if client is None or not self._state.can_send:
            return
        presence = (ChatPresence.CHAT_PRESENCE_COMPOSING if on
                    else ChatPresence.CHAT_PRESENCE_PAUSED)
        try:
            await client.send_chat_presence(build_jid(*parse_recipient(chat)), presence,
                                            ChatPresenceMedia.CHAT_PRESENCE_MEDIA_TEXT)
        except Exception:  # noqa: BLE001 - logged, see docstring
            log.debug("Typing indicator for %s failed", chat, exc_info=True)

    def _sending_client(self) -> Any:
        client = self._live_client()
        if client is None or not self._state.can_send:
            raise BridgeError(f"WhatsApp is not connected ({self._state.value}): the message "
                              "waits until it is.", retry=True)
        return client

    # -- events ---------------------------------------------------------------------------------
    async def handle_event(self, ev: Any) -> None:
        """Apply one neonize connection event: the new state, its sentence, and what the
        session does next where whatsmeow gives up by itself."""
        name = ev.DESCRIPTOR.name
        if name in ("Connected", "KeepAliveRestored"):
            await self._learn_own_ids()
        if name == "Connected":
            self._attempts = 0
            self._qr_rounds = 0
            self._login_started = None
            self._cancel_watchdog()
        elif name == "PairStatus" and _enum_name(ev, "Status") == "SUCCESS":
            self._cancel_watchdog()  # paired: whatsmeow reconnects to log in; no new QR
        elif name == "Disconnected":
            self._attempts += 1
        change = translate_state_event(ev, bot_id=self._own_jid, attempts=self._attempts)
        if change is None:
            log.info("WhatsApp event %s: %s", name, ev)
            return
        await self._emit(change)
        if change.state in (BridgeState.LOGGED_OUT, BridgeState.OUTDATED):
            await self._end_session(math.inf)  # a person must pair again or update the app
        elif change.state is BridgeState.BANNED:
            wait = BAN_UNKNOWN_RETRY_S
            if change.until is not None:
                wait = (change.until - datetime.now(UTC)).total_seconds() + BAN_MARGIN_S
            await self._end_session(max(wait, BAN_MARGIN_S))
        elif name == "StreamReplaced":
            await self._end_session(STREAM_REPLACED_RETRY_S)
        elif change.state is BridgeState.FAILED:
            self._attempts += 1
            await self._end_session(self._backoff(self._attempts))

    async def _on_state_event(self, client: Any, ev: Any) -> None:
        if client is not self._client:
            return  # from a session that has ended
        self._heard = True
        try:
            await self.handle_event(ev)
        except Exception:  # noqa: BLE001 - neonize's dispatcher would drop it silently
            log.exception("The WhatsApp event %s could not be handled", ev.DESCRIPTOR.name)

    async def _on_qr_event(self, client: Any, payload: bytes | str) -> None:
        if client is not self._client:
            return
        self._heard = True
        try:
            text = payload.decode() if isinstance(payload, bytes) else str(payload)
            if self._login_started is None:  # the first code of this login
                self._login_started = asyncio.get_running_loop().time()
                self._watchdog = asyncio.create_task(self._qr_watchdog(client),
                                                     name="whatsapp-qr-watchdog")
                await self._emit(StateChange(
                    BridgeState.WAITING_FOR_QR,
                    "Scan the QR code with the bot phone: WhatsApp → Linked devices → Link a "
                    "device. Or ask for a pairing code."))
            await _call(self.on_qr, text)
        except Exception:  # noqa: BLE001 - neonize's dispatcher would drop it silently
            log.exception("The WhatsApp QR code could not be passed on")

    async def _on_message_event(self, client: Any, ev: Any) -> None:
        if client is not self._client:
            return
        try:
            source = ev.Info.MessageSource
            lid_phone = None
            if source.Sender.Server == "lid" and not source.SenderAlt.User:
                lid_phone = await self._phone_for_lid(source.Sender)
            message = translate_message(ev, self._own_jid, own_lid=self._own_lid,
                                        lid_phone_jid=lid_phone)
            if message is None:
                return
            self._recent[message.message_id] = ev
            while len(self._recent) > RECENT_FOR_QUOTES:
                self._recent.popitem(last=False)
            await _call(self.on_message, message)
        except Exception:  # noqa: BLE001 - neonize's dispatcher would drop it silently
            log.exception("A WhatsApp message could not be handled")

    async def _on_receipt_event(self, client: Any, ev: Any) -> None:
        if client is not self._client:
            return
        try:
            receipt = translate_receipt(ev)
            if receipt is not None:
                await _call(self.on_receipt, receipt)
        except Exception:  # noqa: BLE001 - neonize's dispatcher would drop it silently
            log.exception("A WhatsApp receipt could not be handled")

    async def _phone_for_lid(self, lid: Any) -> str | None:
        client = self._live_client()
        if client is None:
            return None
        from neonize.utils.jid import Jid2String, JIDToNonAD

        try:
            found = await client.get_pn_from_lid(JIDToNonAD(lid))
        except Exception:  # noqa: BLE001 - an unknown LID simply stays a LID
            log.debug("No phone number known for LID %s", lid.User, exc_info=True)
            return None
        return Jid2String(JIDToNonAD(found)) if found.User else None

    async def _learn_own_ids(self) -> None:
        from neonize.utils.jid import Jid2String, JIDToNonAD

        client = self._live_client()
        if client is None:
            return
        try:
            me = await client.get_me()
        except Exception:  # noqa: BLE001 - the number is shown later, nothing else depends on it
            log.warning("WhatsApp did not say which number the bot is", exc_info=True)
            return
        if me.HasField("JID") and me.JID.User:
            self._own_jid = Jid2String(JIDToNonAD(me.JID))
        if me.HasField("LID") and me.LID.User:
            self._own_lid = Jid2String(JIDToNonAD(me.LID))

    # -- sessions -------------------------------------------------------------------------------
    async def _supervise(self) -> None:
        try:
            while not self._stopping:
                self._resume_after = None
                problem = await self._run_session()
                self._cancel_watchdog()
                if self._stopping:
                    return
                wait, self._resume_after = self._resume_after, None
                if wait is None and "TemporaryBan" in problem:
                    # neonize cannot pass on a ban code it does not know; its session ends instead.
                    wait = BAN_UNKNOWN_RETRY_S
                    await self._emit(StateChange(
                        BridgeState.BANNED, "WhatsApp has temporarily banned this number; the "
                        f"bot tries again in {_duration(wait)}."))
                elif wait is None:
                    self._attempts += 1
                    wait = self._backoff(self._attempts)
                    said = (problem if problem == NO_ANSWER_DETAIL
                            else connect_problem(problem) if problem
                            else "The WhatsApp session ended")
                    await self._emit(StateChange(
                        BridgeState.RECONNECTING, f"{said}; trying again in {_duration(wait)}.",
                        reconnect_attempts=self._attempts))
                if math.isinf(wait):
                    return  # logged out, outdated or given up: wait for a person
                if wait > 0:
                    await self._sleep(wait)
                    if self._state is not BridgeState.RECONNECTING:
                        await self._emit(StateChange(BridgeState.RECONNECTING,
                                                     "Reconnecting to WhatsApp…",
                                                     reconnect_attempts=self._attempts))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a bug here must still reach the Dashboard
            log.exception("The WhatsApp connection supervisor failed")
            await self._emit(StateChange(BridgeState.FAILED,
                                         "The WhatsApp connection stopped because of an error in "
                                         "WA-Integration (see the log): press Start to try "
                                         "again."))

    async def _run_session(self) -> str:
        """Run one Go session to its end: "" when it ended quietly, else what went wrong (Go's
        error chain, or NO_ANSWER_DETAIL when the session said nothing in time)."""
        if self._factory is _neonize_client:
            await run_in_own_thread(_load_neonize, name="whatsapp-load")  # 19 MB: not on the loop
        client = self._open_client()
        self._heard = False
        try:
            self._bind_event_loop()
            session = await client.connect(self._proxy_settings())
            self._session = session
            session.add_done_callback(_outcome_seen)  # a session left behind may fail later
            # Never await the session task itself: cancelling this task would cancel it, and
            # neonize's cancel handler calls the blocking Go Stop on the loop's thread.
            done, _ = await asyncio.wait({session}, timeout=self._connect_silence_s)
            if not done and not self._heard and not self._stopping:
                log.warning("WhatsApp's servers sent nothing within %.0f s (proxy: %s); this "
                            "attempt is ended", self._connect_silence_s, self.proxy or "none")
                await self._end_session(None)
                return NO_ANSWER_DETAIL
            await asyncio.shield(session)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is retried with backoff
            log.warning("WhatsApp session ended: %s", exc)  # the whole chain, for the log
            return _short(exc, limit=2000)
        finally:
            self._session = None
        return ""

    def _open_client(self) -> Any:
        """A new client for one session, with this bridge's handlers registered.

        Each session gets its own id: neonize keys its Go state by it, so an old session that
        never returned cannot collide with the new one.
        """
        from neonize.aioze.events import (
            ClientOutdatedEv,
            ConnectedEv,
            ConnectFailureEv,
            DisconnectedEv,
            KeepAliveRestoredEv,
            KeepAliveTimeoutEv,
            LoggedOutEv,
            MessageEv,
            PairStatusEv,
            ReceiptEv,
            StreamErrorEv,
            StreamReplacedEv,
            TemporaryBanEv,
        )

        self._sessions += 1
        self._login_started = None
        client = self._factory(self.session_path.as_posix(),
                               f"wa-integration-{id(self):x}-{self._sessions}")
        for event_type in (ConnectedEv, DisconnectedEv, KeepAliveTimeoutEv, KeepAliveRestoredEv,
                           LoggedOutEv, TemporaryBanEv, ConnectFailureEv, ClientOutdatedEv,
                           StreamReplacedEv, StreamErrorEv, PairStatusEv):
            client.event(event_type)(self._on_state_event)
        client.event(MessageEv)(self._on_message_event)
        client.event(ReceiptEv)(self._on_receipt_event)
        client.event.qr(self._on_qr_event)
        self._client = client
        return client

    async def _end_session(self, resume_after: float | None) -> None:
        """Stop the running Go session; the supervisor resumes after `resume_after` seconds
        (None: with backoff, inf: not until a person asks)."""
        self._resume_after = resume_after
        client, session = self._client, self._session
        if client is None or session is None or session.done():
            return
        # While QR codes are still shown, neonize's Go call waits on whatsmeow's QR channel,
        # which a stop does not close (whatsmeow qrchan.go): waiting for it only delays the exit.
        left = self._login_time_left()
        patience = (1.0 if left is not None and left > 0
                    else STOP_WAIT_S if self._heard else STOP_HANGING_S)
        self._abandoned = False
        # Go's Stop runs in a thread of its own (_SessionInOwnThread) and waits for a dial in
        # progress; nothing here waits for it longer than the session is given.
        stopping = asyncio.ensure_future(client.stop())
        self._stopping_calls.add(stopping)
        stopping.add_done_callback(self._stop_call_ended)
        done, _ = await asyncio.wait({session}, timeout=patience)
        if not done:
            log.warning("The WhatsApp session did not end within %.0f s of being told to stop; "
                        "it is abandoned", patience)
            await self._abandon(client, session)

    def _stop_call_ended(self, call: asyncio.Future[Any]) -> None:
        self._stopping_calls.discard(call)
        if not call.cancelled() and call.exception() is not None:
            log.warning("Stopping the WhatsApp session failed: %s", call.exception())

    async def _abandon(self, client: Any, session: asyncio.Future[Any]) -> None:
        """Leave a session that does not end behind, never blocking the loop on it."""
        self._abandoned = True
        self._kept = [c for c in self._kept if not _go_returned(c)]  # their callbacks are done
        self._kept.append(client)  # its Go callbacks must stay alive while the Go call runs
        finalizer = getattr(client, "_stop_finalizer", None)
        if finalizer is not None:
            finalizer.detach()  # it would call the blocking Go Stop when the app exits
        handle = getattr(client, "_NewAClient__client", None)
        if isinstance(handle, _SessionInOwnThread):
            handle.abandon()  # neonize's task then ends by itself, its cancel handler unused
            await asyncio.wait({session}, timeout=1.0)
        elif not session.done():
            session.cancel()  # a client without neonize's Go handle

    async def _qr_watchdog(self, client: Any) -> None:
        await self._sleep(self._qr_watchdog_s)
        if client is not self._client or self._state is not BridgeState.WAITING_FOR_QR:
            return
        self._watchdog = None  # the supervisor must not cancel this while it restarts the login
        self._qr_rounds += 1
        if self._qr_rounds >= self._max_qr_rounds:
            minutes = round(self._qr_rounds * self._qr_watchdog_s / 60)
            await self._emit(StateChange(BridgeState.FAILED,
                                         f"Nobody linked the bot phone for {minutes} minutes: "
                                         "press Start on the Dashboard to show a new QR code."))
            await self._end_session(math.inf)
            return
        await self._emit(StateChange(BridgeState.WAITING_FOR_QR,
                                     "The QR code expired unused; showing a new one."))
        await self._end_session(0.0)

    def _cancel_watchdog(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None and watchdog is not asyncio.current_task():
            watchdog.cancel()

    def _login_time_left(self) -> float | None:
        if self._login_started is None or self._state is not BridgeState.WAITING_FOR_QR:
            return None
        return QR_WINDOW_S - (asyncio.get_running_loop().time() - self._login_started)

    def _live_client(self) -> Any:
        """The client while its Go session runs; neonize's Go side crashes the whole process on
        a call for a client it does not hold, so nothing calls it at other times."""
        if self._session is None or self._session.done():
            return None
        return self._client

    def _backoff(self, attempt: int) -> float:
        return min(self._backoff_max_s, self._backoff_first_s * 2 ** max(0, attempt - 1))

    def _proxy_settings(self) -> Any:
        if not self.proxy:
            return None
        from neonize._binder import ProxySettings

        return ProxySettings(proxy_address=self.proxy)

    @staticmethod
    def _bind_event_loop() -> None:
        """neonize delivers events to the first loop that ever connected; make it this one."""
        from neonize.aioze import events as neonize_events

        loop = asyncio.get_running_loop()
        current = neonize_events.event_global_loop
        if current is not loop:
            if current is not None and not current.is_closed():
                log.warning("WhatsApp events move to another event loop in this process")
            neonize_events.event_global_loop = loop

    async def _emit(self, change: StateChange) -> None:
        self._state = change.state
        try:
            await _call(self.on_state, change)
        except Exception:  # noqa: BLE001 - a display problem must not stop the connection
            log.exception("The WhatsApp state handler failed")
