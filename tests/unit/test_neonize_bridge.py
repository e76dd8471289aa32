"""The neonize adapter: real neonize protobufs in, the app's messages and states out; no network."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from app.bridge.base import Bridge, BridgeError, BridgeState, StateChange
from app.bridge.neonize_bridge import (
    GENERIC_CONNECT_DETAIL,
    LOGGED_OUT_DETAIL,
    NO_ANSWER_DETAIL,
    OUTDATED_DETAIL,
    NeonizeBridge,
    _load_neonize,
    _SessionInOwnThread,
    connect_problem,
    message_time,
    pairing_phone,
    parse_recipient,
    send_error,
    translate_message,
    translate_state_event,
)
from tests.helpers.neonize import import_neonize_without_leaking_a_pipe

import_neonize_without_leaking_a_pipe()

from neonize.aioze import events as neonize_events  # noqa: E402
from neonize.events import EVENT_TO_INT  # noqa: E402
from neonize.proto import Neonize_pb2 as P  # noqa: E402
from neonize.proto.waE2E import WAWebProtobufsE2E_pb2 as E  # noqa: E402

BOT = "620000000001"
BOT_JID = f"{BOT}@s.whatsapp.net"
BOT_LID = "177000000000001@lid"
PERSON = "628123456789"
GROUP = "120363012345678901"
NOW = datetime(2025, 5, 3, 7, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection attempt from Python fails the test (the Go library is never connected)."""
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# -- real neonize protobufs -------------------------------------------------------------------
def jid(user: str, server: str = "s.whatsapp.net", device: int = 0) -> P.JID:
    return P.JID(User=user, Server=server, RawAgent=0, Device=device, Integrator=0,
                 IsEmpty=not user and not server)


NO_JID = jid("", "")


def incoming(content: E.Message, *, chat: P.JID | None = None, sender: P.JID | None = None,
             alt: P.JID = NO_JID, is_group: bool = False, from_me: bool = False,
             push_name: str = "Budi", msg_id: str = "3EB0A1B2C3D4E5F60718",
             timestamp: int = 1_746_255_600_000, is_edit: bool = False) -> P.Message:
    """A MessageEv as neonize hands it over: every required field set, through the wire format."""
    sender = sender or jid(PERSON, device=3)
    source = P.MessageSource(Chat=chat or jid(PERSON), Sender=sender, IsFromMe=from_me,
                             IsGroup=is_group, SenderAlt=alt, RecipientAlt=NO_JID,
                             BroadcastListOwner=NO_JID)
    info = P.MessageInfo(MessageSource=source, ID=msg_id, ServerID=0, Type="text",
                         Pushname=push_name, Timestamp=timestamp, Category="", Multicast=False,
                         MediaType="", Edit="")
    ev = P.Message(Info=info, Message=content, IsEphemeral=False, IsViewOnce=False,
                   IsViewOnceV2=False, IsViewOnceV2Extension=False, IsDocumentWithCaption=False,
                   IsLottieSticker=False, IsEdit=is_edit, UnavailableRequestID="", RetryCount=0)
    return P.Message.FromString(ev.SerializeToString())


def wire(ev: Any) -> Any:
    """The event as neonize's dispatcher parses it (fails here if a required field is missing)."""
    return type(ev).FromString(ev.SerializeToString())


# -- translate_message ----------------------------------------------------------------------------
def test_a_private_text():
    msg = translate_message(incoming(E.Message(conversation="tag1")), BOT_JID)
    assert msg is not None
    assert msg.message_id == "3EB0A1B2C3D4E5F60718"
    assert msg.chat == msg.sender == f"{PERSON}@s.whatsapp.net"  # the device part is dropped
    assert msg.sender_phone == "+628123456789"
    assert (msg.push_name, msg.text, msg.message_type) == ("Budi", "tag1", "chat")
    assert not (msg.is_group or msg.from_me or msg.mentioned)
    assert msg.timestamp == datetime(2025, 5, 3, 7, 0, tzinfo=UTC)
    assert msg.raw_ids == {"chat": f"{PERSON}@s.whatsapp.net",
                           "sender": f"{PERSON}@s.whatsapp.net",
                           "jid": f"{PERSON}@s.whatsapp.net"}


def test_a_group_message_mentioning_the_bot():
    text = f"@{BOT} tag1"
    content = E.Message(extendedTextMessage=E.ExtendedTextMessage(
        text=text, contextInfo=E.ContextInfo(mentionedJID=[BOT_JID])))
    ev = incoming(content, chat=jid(GROUP, "g.us"), is_group=True)
    msg = translate_message(ev, f"{BOT}:7@s.whatsapp.net")  # the bot's id names its device
    assert msg is not None
    assert msg.is_group and msg.mentioned
    assert msg.chat == f"{GROUP}@g.us" and msg.sender == f"{PERSON}@s.whatsapp.net"
    assert msg.text == text


def test_a_reply_to_an_alarm_carries_the_quoted_messages_id():
    # Swipe-to-reply on the bot's alarm message and "ack": WhatsApp sends the alarm's id.
    content = E.Message(extendedTextMessage=E.ExtendedTextMessage(
        text="ack", contextInfo=E.ContextInfo(stanzaID="3EB0ALARM0000000001",
                                              participant=BOT_JID)))
    msg = translate_message(incoming(content, chat=jid(GROUP, "g.us"), is_group=True), BOT_JID)
    assert msg is not None and msg.text == "ack"
    assert msg.quoted_id == "3EB0ALARM0000000001"
    plain = translate_message(incoming(E.Message(conversation="ack 12")), BOT_JID)
    assert plain is not None and plain.quoted_id is None


def test_a_group_message_mentioning_someone_else_or_the_bots_lid():
    def mention(who: str) -> P.Message:
        return incoming(E.Message(extendedTextMessage=E.ExtendedTextMessage(
            text="@x tag1", contextInfo=E.ContextInfo(mentionedJID=[who]))),
            chat=jid(GROUP, "g.us"), is_group=True)

    other = translate_message(mention("628999999999@s.whatsapp.net"), BOT_JID, own_lid=BOT_LID)
    assert other is not None and not other.mentioned
    by_lid = translate_message(mention(BOT_LID), BOT_JID, own_lid=BOT_LID)
    assert by_lid is not None and by_lid.mentioned
    unknown_bot = translate_message(mention(BOT_JID), None)
    assert unknown_bot is not None and not unknown_bot.mentioned


def test_a_lid_sender_with_its_phone_alongside():
    ev = incoming(E.Message(conversation="tag1"), chat=jid("201234567890123", "lid"),
                  sender=jid("201234567890123", "lid", device=2), alt=jid(PERSON))
    msg = translate_message(ev, BOT_JID)
    assert msg is not None
    assert msg.sender == f"{PERSON}@s.whatsapp.net"
    assert msg.sender_phone == "+628123456789"
    assert msg.raw_ids["lid"] == msg.raw_ids["sender"] == "201234567890123@lid"
    assert msg.raw_ids["jid"] == msg.raw_ids["alt"] == f"{PERSON}@s.whatsapp.net"


def test_a_lid_sender_without_a_phone():
    ev = incoming(E.Message(conversation="tag1"), chat=jid(GROUP, "g.us"), is_group=True,
                  sender=jid("201234567890123", "lid"))
    msg = translate_message(ev, BOT_JID)
    assert msg is not None
    assert msg.sender == "201234567890123@lid"
    assert msg.sender_phone is None
    assert msg.raw_ids == {"chat": f"{GROUP}@g.us", "sender": "201234567890123@lid",
                           "lid": "201234567890123@lid"}
    # The session store may know the number: the adapter passes it in.
    known = translate_message(ev, BOT_JID, lid_phone_jid=f"{PERSON}:4@s.whatsapp.net")
    assert known is not None
    assert known.sender == f"{PERSON}@s.whatsapp.net" and known.sender_phone == "+628123456789"
    assert known.raw_ids["lid"] == "201234567890123@lid"


def test_a_message_from_the_bot_itself():
    ev = incoming(E.Message(conversation="sent from the bot phone"), from_me=True,
                  sender=jid(BOT, device=0))
    msg = translate_message(ev, BOT_JID)
    assert msg is not None and msg.from_me
    # Even if WhatsApp left the flag unset, the bot's own id gives it away.
    unflagged = translate_message(incoming(E.Message(conversation="x"), sender=jid(BOT)), BOT_JID)
    assert unflagged is not None and unflagged.from_me


def test_media_give_their_type_and_caption():
    image = translate_message(incoming(E.Message(imageMessage=E.ImageMessage(
        caption="Trend TI-101", mimetype="image/png"))), BOT_JID)
    assert image is not None and (image.message_type, image.text) == ("image", "Trend TI-101")
    document = translate_message(incoming(E.Message(documentMessage=E.DocumentMessage(
        fileName="report.pdf"))), BOT_JID)
    assert document is not None and (document.message_type, document.text) == ("document", "")
    sticker = translate_message(incoming(E.Message(stickerMessage=E.StickerMessage(
        mimetype="image/webp"))), BOT_JID)
    assert sticker is not None and (sticker.message_type, sticker.text) == ("sticker", "")
    voice = translate_message(incoming(E.Message(audioMessage=E.AudioMessage(PTT=True))),
                              BOT_JID)
    assert voice is not None and voice.message_type == "ptt"


def test_emoji_rtl_and_zero_width_text_is_kept_exactly():
    text = "📈 suhu\u200b TI-101 مرحبا 👨‍👩‍👧 \u200fok\u200d"
    msg = translate_message(incoming(E.Message(conversation=text)), BOT_JID)
    assert msg is not None and msg.text == text


def test_messages_nobody_asked_give_none():
    revoke = E.Message(protocolMessage=E.ProtocolMessage(type=E.ProtocolMessage.REVOKE))
    assert translate_message(incoming(revoke), BOT_JID) is None
    reaction = E.Message(reactionMessage=E.ReactionMessage(text="👍"))
    assert translate_message(incoming(reaction), BOT_JID) is None
    assert translate_message(incoming(E.Message(conversation="")), BOT_JID) is None
    assert translate_message(incoming(E.Message()), BOT_JID) is None
    edited = incoming(E.Message(conversation="tag2"), is_edit=True)
    assert translate_message(edited, BOT_JID) is None
    status = incoming(E.Message(conversation="my status"), chat=jid("status", "broadcast"))
    assert translate_message(status, BOT_JID) is None


def test_a_first_group_message_carrying_a_key_share_is_still_a_message():
    content = E.Message(conversation="tag1", senderKeyDistributionMessage=(
        E.SenderKeyDistributionMessage(groupID=f"{GROUP}@g.us")))
    msg = translate_message(incoming(content, chat=jid(GROUP, "g.us"), is_group=True), BOT_JID)
    assert msg is not None and msg.text == "tag1"


def test_wrapped_disappearing_messages_are_unwrapped():
    content = E.Message(ephemeralMessage=E.FutureProofMessage(
        message=E.Message(extendedTextMessage=E.ExtendedTextMessage(text="tag1"))))
    msg = translate_message(incoming(content), BOT_JID)
    assert msg is not None and msg.text == "tag1"


def test_timestamps_in_milliseconds_or_seconds():
    assert message_time(1_746_255_600_000) == message_time(1_746_255_600) == NOW
    assert message_time(0).tzinfo is UTC


# -- translate_state_event ------------------------------------------------------------------
def test_connected_names_the_bot():
    change = translate_state_event(wire(P.Connected(status=True)), bot_id=BOT_JID)
    assert change == StateChange(BridgeState.CONNECTED, "Connected to WhatsApp as +620000000001.",
                                 bot_number="+620000000001", bot_id=BOT_JID)


def test_logged_out_says_to_pair_again():
    ev = wire(P.LoggedOut(OnConnect=False, Reason=P.LOGGED_OUT))
    assert translate_state_event(ev) == StateChange(BridgeState.LOGGED_OUT, LOGGED_OUT_DETAIL)
    assert LOGGED_OUT_DETAIL == "The phone removed this computer: pair again from the Dashboard."
    moved = translate_state_event(wire(P.LoggedOut(OnConnect=True, Reason=P.MAIN_DEVICE_GONE)))
    assert moved is not None and moved.state is BridgeState.LOGGED_OUT
    assert "another phone" in moved.detail


@pytest.mark.parametrize(("code", "number", "words"), [
    (P.TemporaryBan.SEND_TO_TOO_MANY_PEOPLE, 101, "do not have this number in their contacts"),
    (P.TemporaryBan.BLOCKED_BY_USERS, 102, "blocked this number"),
    (P.TemporaryBan.CREATED_TOO_MANY_GROUPS, 103, "groups"),
    (P.TemporaryBan.SENT_TOO_MANY_SAME_MESSAGE, 104, "the same message"),
    (P.TemporaryBan.BROADCAST_LIST, 106, "broadcast list"),
])
def test_a_temporary_ban_says_why_and_until_when(code, number, words):
    ev = wire(P.TemporaryBan(Code=code, Expire=7200))
    change = translate_state_event(ev, now=NOW)
    assert change is not None and change.state is BridgeState.BANNED
    assert change.until == NOW + timedelta(hours=2)
    assert f"reason {number}: " in change.detail and words in change.detail
    assert "until" in change.detail


def test_client_outdated_says_to_update():
    change = translate_state_event(wire(P.ClientOutdated()))
    assert change == StateChange(BridgeState.OUTDATED, OUTDATED_DETAIL)
    assert OUTDATED_DETAIL == "WhatsApp refuses this version: update WA-Integration."


def test_stream_replaced_names_the_other_computer():
    change = translate_state_event(wire(P.StreamReplaced()))
    assert change is not None and change.state is BridgeState.RECONNECTING
    assert change.detail.startswith("WhatsApp is open for this number on another computer")


def test_dropped_connections_reconnect():
    dropped = translate_state_event(wire(P.Disconnected(status=True)), attempts=2)
    assert dropped is not None and dropped.state is BridgeState.RECONNECTING
    assert dropped.reconnect_attempts == 2
    timeout = translate_state_event(wire(P.KeepAliveTimeout(ErrorCount=3,
                                                            LastSuccess=1_746_255_600)))
    assert timeout is not None and timeout.state is BridgeState.RECONNECTING
    assert "3 connection checks" in timeout.detail
    back = translate_state_event(wire(P.KeepAliveRestored()), bot_id=BOT_JID)
    assert back is not None and back.state is BridgeState.CONNECTED


@pytest.mark.parametrize(("reason", "state"), [
    (P.GENERIC, BridgeState.FAILED),
    (P.EXPERIMENTAL, BridgeState.FAILED),
    (P.SERVICE_UNAVAILABLE, BridgeState.RECONNECTING),
    (P.INTERNAL_SERVER_ERROR, BridgeState.RECONNECTING),
    (P.BAD_USER_AGENT, BridgeState.OUTDATED),
    (P.CLIENT_OUTDATED, BridgeState.OUTDATED),
    (P.UNKNOWN_LOGOUT, BridgeState.LOGGED_OUT),
    (P.TEMP_BANNED, BridgeState.BANNED),
])
def test_connect_failures_by_reason(reason, state):
    ev = wire(P.ConnectFailure(Reason=reason, Message="nope", Raw=P.Node(Tag="failure")))
    change = translate_state_event(ev)
    assert change is not None and change.state is state and change.detail


def test_connect_failure_sentence_carries_the_code_and_message():
    ev = wire(P.ConnectFailure(Reason=P.GENERIC, Message="bad request", Raw=P.Node(Tag="x")))
    change = translate_state_event(ev)
    assert change is not None and "(400: bad request)" in change.detail


def test_pairing_outcomes():
    ok = wire(P.PairStatus(ID=jid(BOT, device=5), BusinessName="", Platform="android",
                           Status=P.PairStatus.SUCCESS))
    change = translate_state_event(ok)
    assert change is not None and change.state is BridgeState.STARTING
    assert "+620000000001" in change.detail
    failed = wire(P.PairStatus(ID=NO_JID, BusinessName="", Platform="",
                               Status=P.PairStatus.ERROR, Error="invalid device signature"))
    change = translate_state_event(failed)
    assert change is not None and change.state is BridgeState.WAITING_FOR_QR
    assert "invalid device signature" in change.detail


def test_events_that_change_nothing_give_none():
    assert translate_state_event(wire(P.StreamError(Code="999", Raw=P.Node(Tag="x")))) is None


# -- addresses and errors ----------------------------------------------------------------------
def test_recipients():
    assert parse_recipient("+62 812-3456-789") == ("628123456789", "s.whatsapp.net")
    assert parse_recipient(f"{PERSON}:3@s.whatsapp.net") == (PERSON, "s.whatsapp.net")
    assert parse_recipient(f"{PERSON}@c.us") == (PERSON, "s.whatsapp.net")
    assert parse_recipient(f"{GROUP}@g.us") == (GROUP, "g.us")
    assert parse_recipient("201234567890123@lid") == ("201234567890123", "lid")
    for bad in ("", "budi", "0812345678", "12@example.com", "abc@g.us", "simulator-group@g.us"):
        with pytest.raises(BridgeError) as refused:
            parse_recipient(bad)
        assert refused.value.retry is False


def test_pairing_phone_wants_an_international_number():
    assert pairing_phone("+62 812-3456-7890") == "6281234567890"
    assert pairing_phone("0062 812 3456 7890") == "6281234567890"
    for bad in ("0812 3456 7890", "12", "phone"):
        with pytest.raises(BridgeError) as refused:
            pairing_phone(bad)
        assert refused.value.retry is False


def test_send_errors_that_will_not_heal_are_not_retried():
    gone = send_error(Exception(f"no LID found for {PERSON}@s.whatsapp.net from server"))
    assert gone.retry is False and "not on WhatsApp" in str(gone)
    assert send_error(Exception("can't send message to unknown server example")).retry is False
    assert send_error(Exception("websocket not connected")).retry is True
    assert send_error(Exception("info query timed out")).retry is True


# -- the adapter, with a stand-in for neonize's client at the process boundary -------------------
class FakeEvents:
    """neonize's `client.event`: `event(Type)(handler)` and `event.qr(handler)`."""

    def __init__(self) -> None:
        self.handlers: dict[str, Callable[..., Any]] = {}
        self.qr_handler: Callable[..., Any] | None = None

    def __call__(self, event_type: type) -> Callable[[Callable[..., Any]], None]:
        def register(handler: Callable[..., Any]) -> None:
            self.handlers[event_type.DESCRIPTOR.name] = handler
        return register

    def qr(self, handler: Callable[..., Any]) -> None:
        self.qr_handler = handler


class FakeClient:
    """Stands in for NewAClient: no Go library, no network. connect fails while `plan` says so."""

    def __init__(self, plan: Plan, session_file: str, session_id: str) -> None:
        self.plan, self.session_file, self.session_id = plan, session_file, session_id
        self.event = FakeEvents()
        self.session: asyncio.Future[None] | None = None
        self.sent: list[tuple[P.JID, E.Message]] = []
        self.receipts: list[tuple[Any, ...]] = []
        self.presence: list[tuple[str, str]] = []

    async def connect(self, proxy_settings: Any = None) -> asyncio.Future[None]:
        self.plan.connects += 1
        self.session = asyncio.get_running_loop().create_future()
        if self.plan.failures_left > 0:
            self.plan.failures_left -= 1
            if self.plan.fail_in == "connect":
                raise ConnectionError("dial tcp: lookup web.whatsapp.com: no such host")
            self.session.set_exception(RuntimeError("failed to dial whatsapp web websocket"))
        return self.session

    async def stop(self) -> None:
        if self.plan.stuck_in_qr_login:
            return  # whatsmeow's QR channel stays open: the Go call does not return
        if self.session is not None and not self.session.done():
            self.session.set_result(None)

    async def get_me(self) -> P.Device:
        return P.Device(JID=jid(BOT, device=12), LID=jid("177000000000001", "lid"),
                        Platform="", BussinessName="", PushName="Bot", Initialized=True)

    async def send_message(self, to: P.JID, message: E.Message) -> P.SendResponse:
        if self.plan.send_error:
            raise Exception(self.plan.send_error)  # what neonize's SendMessageError carries
        self.sent.append((to, message))
        return SimpleNamespace(ID=f"3EB0{len(self.sent):016X}")

    async def get_pn_from_lid(self, lid: P.JID) -> P.JID:
        return jid(PERSON) if lid.User == "201234567890123" else NO_JID

    async def mark_read(self, *ids: str, chat: P.JID, sender: P.JID, receipt: Any) -> None:
        if self.plan.send_error:
            raise Exception(self.plan.send_error)
        self.receipts.append((ids, chat.User, sender.User, receipt.name))

    async def send_chat_presence(self, to: P.JID, state: Any, media: Any) -> None:
        if self.plan.send_error:
            raise Exception(self.plan.send_error)
        self.presence.append((to.User, state.name))

    async def state(self, name: str, ev: Any) -> None:
        """Deliver an event the way neonize's dispatcher calls a registered handler."""
        await self.event.handlers[name](self, wire(ev))


class Plan:
    def __init__(self, failures: int = 0, fail_in: str = "connect") -> None:
        self.failures_left, self.fail_in = failures, fail_in
        self.connects = 0
        self.clients: list[FakeClient] = []
        self.send_error = ""
        self.stuck_in_qr_login = False

    def factory(self, session_file: str, session_id: str) -> FakeClient:
        client = FakeClient(self, session_file, session_id)
        self.clients.append(client)
        return client


async def eventually(condition: Callable[[], bool], timeout: float = 3.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.005)


def running(plan: Plan, sessions: int) -> Callable[[], bool]:
    def check() -> bool:
        if len(plan.clients) < sessions:
            return False
        session = plan.clients[sessions - 1].session
        return session is not None and not session.done()
    return check


def make_bridge(tmp_path: Path, plan: Plan, clock: Callable[[float], Any] | None = None,
                **options: Any) -> tuple[NeonizeBridge, list[StateChange], list[float]]:
    states: list[StateChange] = []
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:  # the clock: no test waits for a backoff
        sleeps.append(seconds)
        await asyncio.sleep(0)

    bridge = NeonizeBridge(tmp_path / "wa" / "session.db", client_factory=plan.factory,
                           sleep=clock or sleep, **options)
    bridge.on_state = states.append
    return bridge, states, sleeps


def test_it_is_a_bridge_and_importing_it_loads_no_go_library(tmp_path):
    assert isinstance(NeonizeBridge(tmp_path / "s.db"), Bridge)
    probe = ("import sys, app.bridge.neonize_bridge; "
             "print(any(m.split('.')[0] == 'neonize' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.asyncio
@pytest.mark.parametrize("fail_in", ["connect", "session"])
async def test_a_failed_first_connect_is_retried_with_growing_waits(tmp_path, fail_in):
    plan = Plan(failures=4, fail_in=fail_in)
    bridge, states, sleeps = make_bridge(tmp_path, plan, backoff_first_s=2, backoff_max_s=10)
    await bridge.start()
    await eventually(running(plan, 5))
    assert sleeps == [2, 4, 8, 10]  # doubling, capped
    retries = [c for c in states if c.state is BridgeState.RECONNECTING and "trying again in"
               in c.detail]
    assert [c.reconnect_attempts for c in retries] == [1, 2, 3, 4]  # one report per attempt
    assert "trying again in 2 s" in retries[0].detail
    # A plain sentence, not whatsmeow's error chain (that goes to the log).
    assert retries[0].detail.startswith(
        "This computer cannot find WhatsApp's servers by name (DNS)" if fail_in == "connect"
        else "WhatsApp could not be reached (the log has the details)")
    assert "dial" not in retries[0].detail and "web.whatsapp.com:" not in retries[0].detail
    assert len({c.session_id for c in plan.clients}) == 5  # a fresh Go session id each time
    assert plan.clients[0].session_file == (tmp_path / "wa" / "session.db").as_posix()
    assert (tmp_path / "wa").is_dir()

    client = plan.clients[-1]
    await client.state("Connected", P.Connected(status=True))
    assert bridge.state is BridgeState.CONNECTED
    assert states[-1] == StateChange(BridgeState.CONNECTED,
                                     "Connected to WhatsApp as +620000000001.",
                                     bot_number="+620000000001", bot_id=BOT_JID)

    await bridge.stop()
    assert bridge.state is BridgeState.STOPPED and client.session.done()
    await asyncio.sleep(0.01)
    assert plan.connects == 5  # stopping does not reconnect


@pytest.mark.asyncio
async def test_sends_go_to_the_client_as_plain_messages(tmp_path):
    plan = Plan()
    bridge, _states, _sleeps = make_bridge(tmp_path, plan)
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text(f"{PERSON}@s.whatsapp.net", "too early")
    assert refused.value.retry is True
    await bridge.start()
    await eventually(running(plan, 1))
    client = plan.clients[0]
    await client.state("Connected", P.Connected(status=True))

    sent_id = await bridge.send_text("+62 812 3456 789", "suhu @0 = 42 °C")
    assert sent_id == "3EB00000000000000001"
    to, message = client.sent[0]
    assert (to.User, to.Server) == (PERSON, "s.whatsapp.net")
    # A Message, not a str: neonize would have turned "@0" into a mention.
    assert message.conversation == "suhu @0 = 42 °C"

    plan.send_error = f"no LID found for {PERSON}@s.whatsapp.net from server"
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text(PERSON, "x")
    assert refused.value.retry is False
    plan.send_error = "websocket not connected"
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text(PERSON, "x")
    assert refused.value.retry is True
    # Read receipts and "typing…" are cosmetic: a failure is logged, not raised.
    await bridge.mark_read(f"{PERSON}@s.whatsapp.net", f"{PERSON}@s.whatsapp.net", ["A"])
    await bridge.typing(f"{PERSON}@s.whatsapp.net")
    plan.send_error = ""
    await bridge.mark_read(f"{GROUP}@g.us", f"{PERSON}:2@s.whatsapp.net", ["A", "B"])
    await bridge.typing(f"{GROUP}@g.us")
    await bridge.typing(f"{GROUP}@g.us", on=False)
    assert client.receipts == [(("A", "B"), GROUP, PERSON, "READ")]
    assert client.presence == [(GROUP, "CHAT_PRESENCE_COMPOSING"),
                               (GROUP, "CHAT_PRESENCE_PAUSED")]
    await bridge.stop()


@pytest.mark.asyncio
async def test_incoming_messages_resolve_lids_and_can_be_quoted(tmp_path):
    from neonize.aioze.client import NewAClient

    plan = Plan()
    bridge, _states, _sleeps = make_bridge(tmp_path, plan)
    received = []
    bridge.on_message = received.append
    await bridge.start()
    await eventually(running(plan, 1))
    client = plan.clients[0]
    await client.state("Connected", P.Connected(status=True))
    # neonize's own reply builder (pure Python) on a client that never connects.
    client.build_reply_message = NewAClient(str(tmp_path / "q.db"),
                                            uuid="quote-test").build_reply_message

    question = incoming(E.Message(conversation="tag1"), chat=jid(GROUP, "g.us"), is_group=True,
                        sender=jid("201234567890123", "lid"), msg_id="AC0FFEE0000000000001")
    await client.event.handlers["Message"](client, question)
    [msg] = received
    assert msg.sender == f"{PERSON}@s.whatsapp.net" and msg.sender_phone == "+628123456789"
    assert msg.raw_ids["lid"] == "201234567890123@lid"

    await bridge.send_text(f"{GROUP}@g.us", "TI-101 = 42 °C", quoted_id=msg.message_id)
    _to, reply = client.sent[-1]
    assert reply.extendedTextMessage.text == "TI-101 = 42 °C"
    context = reply.extendedTextMessage.contextInfo
    assert context.stanzaID == "AC0FFEE0000000000001"
    assert context.quotedMessage.conversation == "tag1"
    await bridge.send_text(f"{GROUP}@g.us", "no quote", quoted_id="UNKNOWN")
    assert client.sent[-1][1].conversation == "no quote"  # an unknown id sends unquoted
    await bridge.stop()


@pytest.mark.asyncio
async def test_logged_out_ends_the_session_and_waits_for_a_person(tmp_path):
    plan = Plan()
    bridge, states, _sleeps = make_bridge(tmp_path, plan)
    await bridge.start()
    await eventually(running(plan, 1))
    client = plan.clients[0]
    await client.state("Connected", P.Connected(status=True))
    await client.state("LoggedOut", P.LoggedOut(OnConnect=False, Reason=P.LOGGED_OUT))
    assert states[-1] == StateChange(BridgeState.LOGGED_OUT, LOGGED_OUT_DETAIL)
    assert client.session.done()
    await asyncio.sleep(0.02)
    assert plan.connects == 1 and bridge.state is BridgeState.LOGGED_OUT
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text(PERSON, "x")
    assert refused.value.retry is True
    await bridge.start()  # the Dashboard's "pair again": a new session, a new QR
    await eventually(running(plan, 2))
    await bridge.stop()


@pytest.mark.asyncio
async def test_outdated_waits_for_an_update(tmp_path):
    plan = Plan()
    bridge, states, _sleeps = make_bridge(tmp_path, plan)
    await bridge.start()
    await eventually(running(plan, 1))
    await plan.clients[0].state("ClientOutdated", P.ClientOutdated())
    assert states[-1] == StateChange(BridgeState.OUTDATED, OUTDATED_DETAIL)
    await asyncio.sleep(0.02)
    assert plan.connects == 1
    await bridge.stop()


@pytest.mark.asyncio
async def test_a_ban_pauses_until_it_expires_then_reconnects(tmp_path):
    plan = Plan()
    bridge, states, sleeps = make_bridge(tmp_path, plan)
    await bridge.start()
    await eventually(running(plan, 1))
    await plan.clients[0].state("Connected", P.Connected(status=True))
    await plan.clients[0].state("TemporaryBan", P.TemporaryBan(
        Code=P.TemporaryBan.SENT_TOO_MANY_SAME_MESSAGE, Expire=3600))
    banned = next(c for c in states if c.state is BridgeState.BANNED)
    assert banned.until is not None
    assert abs(banned.until - (datetime.now(UTC) + timedelta(hours=1))) < timedelta(seconds=5)
    assert "the same message" in banned.detail
    await eventually(running(plan, 2))
    assert 3600 < sleeps[0] <= 3630  # waited out the ban (and a margin), no quicker retries
    assert states[-1].state is BridgeState.RECONNECTING
    await bridge.stop()


@pytest.mark.asyncio
async def test_stream_replaced_retries_only_after_a_long_pause(tmp_path):
    plan = Plan()
    bridge, states, sleeps = make_bridge(tmp_path, plan)
    await bridge.start()
    await eventually(running(plan, 1))
    await plan.clients[0].state("StreamReplaced", P.StreamReplaced())
    assert "another computer" in next(
        c.detail for c in states if c.state is BridgeState.RECONNECTING)
    await eventually(running(plan, 2))
    assert sleeps == [300.0]
    await bridge.stop()


@pytest.mark.asyncio
async def test_an_unused_qr_code_is_renewed_then_given_up(tmp_path):
    plan = Plan()
    qr_codes: list[str] = []
    bridge, states, sleeps = make_bridge(tmp_path, plan, max_qr_rounds=2)

    async def on_qr(data: str) -> None:
        qr_codes.append(data)

    bridge.on_qr = on_qr
    await bridge.start()
    await eventually(running(plan, 1))
    first = plan.clients[0]
    await first.event.qr_handler(first, b"2@first,abc")
    assert qr_codes == ["2@first,abc"]
    assert any(c.state is BridgeState.WAITING_FOR_QR and "Scan the QR code" in c.detail
               for c in states)
    # The watchdog's 170 s pass at once on the test clock: a new login with a new QR.
    await eventually(running(plan, 2))
    assert first.session.done()
    assert any("expired unused" in c.detail for c in states)
    second = plan.clients[1]
    await second.event.qr_handler(second, b"2@second,def")
    await eventually(lambda: bridge.state is BridgeState.FAILED)
    assert "press Start" in states[-1].detail
    assert sleeps.count(170.0) == 2
    await asyncio.sleep(0.02)
    assert plan.connects == 2 and qr_codes == ["2@first,abc", "2@second,def"]
    await bridge.stop()


@pytest.mark.asyncio
async def test_closing_the_app_while_a_qr_code_shows_does_not_hang(tmp_path):
    plan = Plan()
    # A real clock: the watchdog must not fire during this test.
    bridge, states, _sleeps = make_bridge(tmp_path, plan, clock=asyncio.sleep, qr_watchdog_s=1e6)
    await bridge.start()
    await eventually(running(plan, 1))
    client = plan.clients[0]
    await client.event.qr_handler(client, b"2@code")
    plan.stuck_in_qr_login = True
    loop = asyncio.get_running_loop()
    began = loop.time()
    await bridge.stop()
    assert loop.time() - began < 5  # not the 10 s a live session gets to end
    assert states[-1].state is BridgeState.STOPPED and client.session.cancelled()


@pytest.mark.asyncio
async def test_a_scanned_qr_code_stops_the_watchdog(tmp_path):
    plan = Plan()
    hold = asyncio.Event()

    async def slow_clock(seconds: float) -> None:  # the watchdog waits until told
        await hold.wait()

    bridge, _states, _sleeps = make_bridge(tmp_path, plan, clock=slow_clock)
    await bridge.start()
    await eventually(running(plan, 1))
    client = plan.clients[0]
    await client.event.qr_handler(client, b"2@code")
    await client.state("PairStatus", P.PairStatus(ID=jid(BOT), BusinessName="", Platform="",
                                                  Status=P.PairStatus.SUCCESS))
    await client.state("Connected", P.Connected(status=True))
    hold.set()
    await asyncio.sleep(0.02)
    assert bridge.state is BridgeState.CONNECTED and plan.connects == 1
    await bridge.stop()


@pytest.mark.asyncio
async def test_state_events_fed_directly_to_the_adapter(tmp_path):
    bridge = NeonizeBridge(tmp_path / "s.db")
    states: list[StateChange] = []

    async def on_state(change: StateChange) -> None:
        states.append(change)

    bridge.on_state = on_state
    await bridge.handle_event(wire(P.TemporaryBan(Code=P.TemporaryBan.BLOCKED_BY_USERS,
                                                  Expire=600)))
    assert bridge.state is BridgeState.BANNED and "blocked" in states[-1].detail
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text(PERSON, "x")
    assert refused.value.retry is True
    await bridge.handle_event(wire(P.ClientOutdated()))
    assert states[-1] == StateChange(BridgeState.OUTDATED, OUTDATED_DETAIL)
    await bridge.handle_event(wire(P.Disconnected(status=True)))
    await bridge.handle_event(wire(P.Disconnected(status=True)))
    assert states[-1].state is BridgeState.RECONNECTING and states[-1].reconnect_attempts == 2
    await bridge.handle_event(wire(P.Connected(status=True)))
    assert states[-1].state is BridgeState.CONNECTED and states[-1].reconnect_attempts == 0


# -- neonize's own client and dispatcher, without connecting --------------------------------
@pytest.mark.asyncio
async def test_events_reach_the_adapter_through_neonizes_own_dispatcher(tmp_path, monkeypatch):
    bridge = NeonizeBridge(tmp_path / "s.db")
    messages, states = [], []
    bridge.on_message = messages.append
    bridge.on_state = states.append
    client = bridge._open_client()  # a real NewAClient with the bridge's handlers; not connected
    assert isinstance(client._NewAClient__client, _SessionInOwnThread)
    monkeypatch.setattr(neonize_events, "event_global_loop", asyncio.get_running_loop())

    def dispatch(ev: Any, event_type: type) -> None:
        data = ev.SerializeToString()
        buffer = ctypes.create_string_buffer(data, len(data))
        # What the Go side does: a pointer, a size and the event's number.
        client.event.execute(0, ctypes.addressof(buffer), len(data), EVENT_TO_INT[event_type])

    dispatch(incoming(E.Message(conversation="tag1")), neonize_events.MessageEv)
    await eventually(lambda: len(messages) == 1)
    assert messages[0].text == "tag1" and messages[0].sender_phone == "+628123456789"
    dispatch(P.LoggedOut(OnConnect=True, Reason=P.LOGGED_OUT), neonize_events.LoggedOutEv)
    await eventually(lambda: bool(states))
    assert states[-1] == StateChange(BridgeState.LOGGED_OUT, LOGGED_OUT_DETAIL)


@pytest.mark.asyncio
async def test_the_session_call_runs_in_a_thread_of_its_own():
    seen: dict[str, threading.Thread] = {}
    release = threading.Event()

    def session_call(value: int) -> int:
        seen["thread"] = threading.current_thread()
        release.wait(5)
        return value * 2

    inner = SimpleNamespace(Stop=lambda *a: None)
    go = _SessionInOwnThread(inner, session_call)
    session = go.Neonize(21)
    await eventually(lambda: "thread" in seen)
    assert seen["thread"].name == "whatsapp-session" and seen["thread"].daemon
    # The loop's default executor stays free while the session runs.
    assert await asyncio.to_thread(lambda: threading.current_thread().name) != "whatsapp-session"
    assert go.Stop is inner.Stop  # short calls keep neonize's own path
    release.set()
    assert await session == 42

    def broken() -> None:
        raise RuntimeError("session failed")

    with pytest.raises(RuntimeError, match="session failed"):
        await _SessionInOwnThread(inner, broken).Neonize()


# -- a hard network: silence, error chains, stopping, the proxy, ffmpeg ------------------------
@pytest.mark.parametrize(("chain", "sentence"), [
    ('failed to dial whatsapp web websocket: failed to WebSocket dial: failed to send handshake '
     'request: Get "https://web.whatsapp.com/ws/chat": context deadline exceeded',
     NO_ANSWER_DETAIL),
    ("dial tcp 157.240.1.53:443: i/o timeout", NO_ANSWER_DETAIL),
    ("dial tcp: lookup web.whatsapp.com on 127.0.0.53:53: no such host", "(DNS)"),
    ("proxyconnect tcp: dial tcp 127.0.0.1:9: connect: connection refused", "The proxy did not"),
    ("dial tcp 157.240.1.53:443: connect: connection refused", "was refused"),
    ("tls: failed to verify certificate: x509: certificate signed by unknown authority",
     "secure connection"),
    ("failed to connect: got 401 from server", "The phone removed this computer"),
    ("connect failure: 403 forbidden", "it may be banned"),
    ("got 405: client outdated", "refuses this version"),
    ("websocket: read tcp 10.0.0.2:40100->157.240.1.53:443: unexpected EOF", "cut off"),
    ("something whatsmeow never said before", GENERIC_CONNECT_DETAIL),
])
def test_go_error_chains_become_one_plain_sentence(chain, sentence):
    said = connect_problem(chain)
    assert sentence in said
    assert "dial" not in said and "tcp" not in said and not said.endswith(".")


def test_a_port_number_is_not_taken_for_a_status_code():
    assert connect_problem("dial tcp 127.0.0.1:4013: connect: no route to host").startswith(
        "This computer has no network route")


@pytest.mark.asyncio
async def test_a_session_that_says_nothing_is_reported_once_per_attempt(tmp_path, caplog):
    plan = Plan()  # connect works, then the session is silent: a dial that hangs
    bridge, states, sleeps = make_bridge(tmp_path, plan, connect_silence_s=0.05)
    await bridge.start()
    await eventually(lambda: len(plan.clients) >= 3)
    await bridge.stop()
    reports = [c for c in states if NO_ANSWER_DETAIL in c.detail]
    assert len(reports) >= 2 and all(c.state is BridgeState.RECONNECTING for c in reports)
    assert [c.reconnect_attempts for c in reports] == list(range(1, len(reports) + 1))
    assert reports[0].detail == f"{NO_ANSWER_DETAIL}; trying again in 2 s."
    assert len(reports) == len(sleeps)  # one sentence per attempt, not one per layer
    assert all(c.session.done() for c in plan.clients)  # each silent attempt was stopped
    assert "sent nothing within" in caplog.text


@pytest.mark.asyncio
async def test_a_session_that_heard_from_whatsapp_is_not_cut_off(tmp_path):
    plan = Plan()
    bridge, states, _ = make_bridge(tmp_path, plan, clock=asyncio.sleep, connect_silence_s=0.05)
    await bridge.start()
    await eventually(running(plan, 1))
    await plan.clients[0].event.qr_handler(plan.clients[0], b"2@code")
    await asyncio.sleep(0.15)
    assert plan.connects == 1 and bridge.state is BridgeState.WAITING_FOR_QR
    assert not any(NO_ANSWER_DETAIL in c.detail for c in states)
    await bridge.stop()


@pytest.mark.asyncio
async def test_stopping_a_session_that_will_not_end_abandons_it_and_says_so(tmp_path):
    plan = Plan()
    plan.stuck_in_qr_login = True  # Go's Stop does not end the session
    bridge, states, _ = make_bridge(tmp_path, plan, clock=asyncio.sleep, connect_silence_s=60)
    await bridge.start()
    await eventually(running(plan, 1))
    loop = asyncio.get_running_loop()
    began = loop.time()
    await bridge.stop()
    assert loop.time() - began < 5  # abandoned, not waited for
    assert states[-1].state is BridgeState.STOPPED
    assert "left to end by itself" in states[-1].detail
    assert plan.clients[0] in bridge._kept


@pytest.mark.asyncio
async def test_stop_logout_and_abandon_never_run_go_on_the_loop_thread():
    release = threading.Event()
    threads: dict[str, str] = {}

    def blocking(name: str) -> Callable[..., bytes]:
        def call(*_args: Any) -> bytes:
            threads[name] = threading.current_thread().name
            release.wait(10)
            return b""
        return call

    go = _SessionInOwnThread(SimpleNamespace(), blocking("session"),
                             {"Stop": blocking("Stop"), "Logout": blocking("Logout")})
    session = go.Neonize()
    stop, logout = go.Stop(b"uuid"), go.Logout(b"uuid")
    await eventually(lambda: len(threads) == 3)
    assert threads == {"session": "whatsapp-session", "Stop": "whatsapp-stop",
                       "Logout": "whatsapp-logout"}
    assert go.abandon() and await session == b""  # the wait ends; the Go call goes on
    assert not go.abandon() and not go.returned
    release.set()
    assert await stop == b"" and await logout == b""
    await eventually(lambda: go.returned)  # then the client kept for its callbacks can go


def test_the_proxy_reaches_neonize_as_its_proxy_settings(tmp_path):
    from neonize._binder import ProxySettings

    settings = NeonizeBridge(tmp_path / "s.db", proxy="socks5://gw:1080")._proxy_settings()
    assert isinstance(settings, ProxySettings) and settings.proxy_address == "socks5://gw:1080"
    assert NeonizeBridge(tmp_path / "s.db", proxy="direct")._proxy_settings() is None


def test_no_ffmpeg_warning_at_connect_but_other_warnings_pass(caplog, monkeypatch):
    from neonize.utils import ffmpeg

    _load_neonize()
    monkeypatch.setattr(ffmpeg, "_ffmpeg_checked", False)
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda _name: None)
    with caplog.at_level(logging.INFO, logger="neonize.utils.ffmpeg"):
        ffmpeg.check_ffmpeg_available()  # what neonize's connect calls first
        logging.getLogger("neonize.utils.ffmpeg").warning("another warning")
    assert [r.getMessage() for r in caplog.records] == ["another warning"]


@pytest.mark.asyncio
async def test_a_logout_that_gets_no_answer_is_refused_in_time(tmp_path, monkeypatch):
    import app.bridge.neonize_bridge as adapter

    monkeypatch.setattr(adapter, "LOGOUT_WAIT_S", 0.05)
    plan = Plan()
    bridge, _states, _ = make_bridge(tmp_path, plan, clock=asyncio.sleep)
    await bridge.start()
    await eventually(running(plan, 1))
    client = plan.clients[0]
    await client.state("Connected", P.Connected(status=True))
    never = asyncio.get_running_loop().create_future()
    client.logout = lambda: never  # Go's Logout waits on a network that never answers
    with pytest.raises(BridgeError, match="no answer within 1 s") as refused:
        await bridge.logout()
    assert refused.value.retry is True and bridge.state is BridgeState.CONNECTED
    await bridge.stop()
