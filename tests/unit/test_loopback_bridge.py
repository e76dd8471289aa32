"""The loopback bridge behaves like a WhatsApp connection the Simulator and tests can drive."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest

from app.bridge.base import Bridge, BridgeError, BridgeState, StateChange
from app.bridge.loopback import BOT_ID, BOT_NUMBER, LoopbackBridge, Phone, SentItem
from app.core.messages import Incoming, ReceiptKind


class Recorder:
    """What the bridge told its handlers, in order."""

    def __init__(self, bridge: LoopbackBridge) -> None:
        self.states: list[StateChange] = []
        self.messages: list[Incoming] = []
        bridge.on_state = self.states.append  # a plain function handler
        bridge.on_message = self.on_message  # a coroutine handler

    async def on_message(self, msg: Incoming) -> None:
        await asyncio.sleep(0)
        self.messages.append(msg)


async def started() -> tuple[LoopbackBridge, Recorder]:
    bridge = LoopbackBridge()
    seen = Recorder(bridge)
    await bridge.start()
    return bridge, seen


def test_it_is_a_bridge():
    assert isinstance(LoopbackBridge(), Bridge)
    assert LoopbackBridge().state is BridgeState.STOPPED


@pytest.mark.asyncio
async def test_start_goes_through_starting_to_connected_with_the_bot_number():
    bridge, seen = await started()
    assert [c.state for c in seen.states] == [BridgeState.STARTING, BridgeState.CONNECTED]
    assert seen.states[-1].bot_number == BOT_NUMBER == "+620000000000"
    assert seen.states[-1].bot_id == BOT_ID
    assert bridge.state is BridgeState.CONNECTED
    await bridge.start()  # already connected: nothing new
    assert len(seen.states) == 2


@pytest.mark.asyncio
async def test_inject_delivers_a_private_message_shaped_like_whatsapps():
    bridge, seen = await started()
    msg = await bridge.inject("tag1", name="Budi")
    assert seen.messages == [msg]
    assert re.fullmatch(r"[0-9A-F]{20}", msg.message_id)
    assert msg.sender == msg.chat == "628123456789@s.whatsapp.net"
    assert msg.sender_phone == "+628123456789"
    assert (msg.push_name, msg.text, msg.is_group, msg.from_me, msg.mentioned) == \
        ("Budi", "tag1", False, False, False)
    assert msg.timestamp.tzinfo is not None
    assert abs(msg.timestamp - datetime.now(UTC)) < timedelta(seconds=5)
    other = await bridge.inject("tag1")
    assert other.message_id != msg.message_id


@pytest.mark.asyncio
async def test_inject_into_a_group_with_a_mention():
    bridge, seen = await started()
    msg = await bridge.inject("@620000000000 tag1", sender="+62 811-1111-111", is_group=True,
                              mentioned=True)
    assert msg.is_group and msg.mentioned
    assert msg.chat.endswith("@g.us")
    assert msg.sender == "628111111111@s.whatsapp.net"
    named = await bridge.inject("x", chat="simulator-group@g.us", is_group=True)
    assert named.chat == "simulator-group@g.us"
    assert [m.text for m in seen.messages] == ["@620000000000 tag1", "x"]


@pytest.mark.asyncio
async def test_a_message_the_bot_phone_wrote_comes_from_the_bot():
    bridge, _seen = await started()
    msg = await bridge.inject("hello", sender="+628123456789", from_me=True)
    assert msg.from_me
    assert msg.sender == BOT_ID and msg.sender_phone == BOT_NUMBER
    assert msg.chat == "628123456789@s.whatsapp.net"  # the chat is still the other person's


@pytest.mark.asyncio
async def test_sends_are_recorded_and_queued_for_the_ui():
    bridge, _seen = await started()
    first = await bridge.send_text("628123456789@s.whatsapp.net", "TI-101 = 42.0 °C",
                                   quoted_id="ABC")
    second = await bridge.send_image("+628123456789", b"\x89PNG...", caption="Trend")
    assert first != second
    assert [(s.to, s.text, s.image_png, s.caption, s.message_id, s.quoted_id)
            for s in bridge.sent] == [
        ("628123456789@s.whatsapp.net", "TI-101 = 42.0 °C", None, "", first, "ABC"),
        ("+628123456789", "Trend", b"\x89PNG...", "Trend", second, None)]
    queued: list[SentItem] = [bridge.outgoing.get_nowait(), bridge.outgoing.get_nowait()]
    assert queued == bridge.sent
    assert all(s.at.tzinfo is not None for s in queued)


@pytest.mark.asyncio
async def test_fail_next_refuses_exactly_that_many_sends():
    bridge, _seen = await started()
    bridge.fail_next(2, retry=False)
    for _ in range(2):
        with pytest.raises(BridgeError) as refused:
            await bridge.send_text("+628123456789", "x")
        assert refused.value.retry is False
    assert await bridge.send_text("+628123456789", "third")
    assert [s.text for s in bridge.sent] == ["third"]
    bridge.fail_next(1)
    with pytest.raises(BridgeError) as refused:
        await bridge.send_image("+628123456789", b"png")
    assert refused.value.retry is True


@pytest.mark.asyncio
@pytest.mark.parametrize("state", [BridgeState.RECONNECTING, BridgeState.BANNED,
                                   BridgeState.LOGGED_OUT, BridgeState.STOPPED])
async def test_sends_are_refused_while_not_connected_and_resume_after(state):
    bridge, seen = await started()
    until = datetime.now(UTC) + timedelta(hours=1)
    await bridge.set_state(state, "simulated", until=until)
    assert seen.states[-1] == StateChange(state, "simulated", until=until)
    assert not bridge.state.can_send
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text("+628123456789", "x")
    assert refused.value.retry is True and state.value in str(refused.value)
    with pytest.raises(BridgeError):
        await bridge.inject("tag1")  # WhatsApp delivers nothing while the bridge is down
    assert bridge.sent == [] and seen.messages == []
    await bridge.set_state(BridgeState.CONNECTED)
    assert seen.states[-1].bot_number == BOT_NUMBER
    await bridge.send_text("+628123456789", "back")
    assert [s.text for s in bridge.sent] == ["back"]


@pytest.mark.asyncio
async def test_stop_and_logout_say_so():
    bridge, seen = await started()
    await bridge.logout()
    assert bridge.state is BridgeState.LOGGED_OUT
    assert "pair again" in seen.states[-1].detail
    await bridge.stop()
    assert bridge.state is BridgeState.STOPPED and seen.states[-1].detail


@pytest.mark.asyncio
async def test_send_delay_holds_the_send():
    bridge = LoopbackBridge(send_delay_s=0.05)
    await bridge.start()
    loop = asyncio.get_running_loop()
    began = loop.time()
    await bridge.send_text("+628123456789", "slow")
    assert loop.time() - began >= 0.04


@pytest.mark.asyncio
async def test_an_address_no_bridge_could_send_to_is_refused_for_good():
    bridge, _seen = await started()
    with pytest.raises(BridgeError) as refused:
        await bridge.send_text("nobody", "x")
    assert refused.value.retry is False
    with pytest.raises(BridgeError):
        await bridge.request_pairing_code("no phone")
    assert await bridge.request_pairing_code("+62 812 3456 7890")


@pytest.mark.asyncio
async def test_read_receipts_and_typing_are_recorded():
    bridge, _seen = await started()
    await bridge.mark_read("c@s.whatsapp.net", "c@s.whatsapp.net", ["A", "B"])
    await bridge.typing("c@s.whatsapp.net")
    await bridge.typing("g@g.us", on=False)
    assert bridge.read_receipts == [("c@s.whatsapp.net", "c@s.whatsapp.net", ("A", "B"))]
    assert bridge.typing_in == {"c@s.whatsapp.net": True, "g@g.us": False}


# -- the recipients' simulated phones ------------------------------------------------------------
@pytest.mark.asyncio
async def test_each_recipients_phone_reports_as_it_was_set():
    bridge = LoopbackBridge(phone="delivered", receipt_delay_s=0)
    reported: list = []
    bridge.on_receipt = reported.append
    bridge.set_phone("+62 811-1111", "read")
    bridge.set_phone("628222@s.whatsapp.net", "never")
    await bridge.start()
    reader = await bridge.send_text("+628111111", "a")
    receiver = await bridge.send_text("+628333", "b")
    await bridge.send_text("+628222", "c")
    await bridge.receipts_reported()
    got = [(r.message_ids, r.kind, r.chat) for r in reported]
    assert sorted(got) == sorted([
        ((reader,), ReceiptKind.DELIVERED, "628111111@s.whatsapp.net"),
        ((reader,), ReceiptKind.READ, "628111111@s.whatsapp.net"),
        ((receiver,), ReceiptKind.DELIVERED, "628333@s.whatsapp.net")])
    # Delivered comes before read from the same phone.
    kinds = [r.kind for r in reported if r.message_ids == (reader,)]
    assert kinds == [ReceiptKind.DELIVERED, ReceiptKind.READ]
    assert bridge.receipts == reported


@pytest.mark.asyncio
async def test_a_phone_reports_nothing_by_default_and_nothing_after_stop():
    bridge = LoopbackBridge()
    reported: list = []
    bridge.on_receipt = reported.append
    await bridge.start()
    await bridge.send_text("+628111", "to a phone that is off")
    bridge.phone = Phone.READ
    await bridge.send_text("+628111", "read, but the bridge stops first")
    await bridge.stop()
    await bridge.receipts_reported()
    assert reported == []
