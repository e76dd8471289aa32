"""neonize's receipt events as the app's receipts: real neonize protobufs in, through neonize's own
dispatcher, onto the outgoing row; no network."""

from __future__ import annotations

import asyncio
import ctypes
from datetime import UTC, datetime

import pytest

from app.bridge.neonize_bridge import NeonizeBridge, translate_receipt
from app.core.messages import Receipt, ReceiptKind
from app.runtime.receipts import ReceiptRecorder
from app.services import outbox, receipts
from tests.helpers.neonize import import_neonize_without_leaking_a_pipe
from tests.helpers.waiting import until

import_neonize_without_leaking_a_pipe()

from neonize.aioze import events as neonize_events  # noqa: E402
from neonize.events import EVENT_TO_INT  # noqa: E402
from neonize.proto import Neonize_pb2 as P  # noqa: E402

PERSON = "628123456789"
MEMBER = "628111222333"
GROUP = "120363012345678901"
SENT = datetime(2025, 5, 3, 7, 0, tzinfo=UTC)
AT_MS = 1_746_255_780_000  # 07:03:00 UTC, in neonize's milliseconds


def jid(user: str, server: str = "s.whatsapp.net", device: int = 0) -> P.JID:
    return P.JID(User=user, Server=server, RawAgent=0, Device=device, Integrator=0,
                 IsEmpty=not user and not server)


NO_JID = jid("", "")


def receipt_event(kind: int, *ids: str, chat: P.JID | None = None, sender: P.JID | None = None,
                  from_me: bool = False, is_group: bool = False,
                  timestamp: int = AT_MS) -> P.Receipt:
    """A ReceiptEv as neonize hands it over: every required field set, through the wire format."""
    source = P.MessageSource(Chat=chat or jid(PERSON), Sender=sender or jid(PERSON, device=2),
                             IsFromMe=from_me, IsGroup=is_group, SenderAlt=NO_JID,
                             RecipientAlt=NO_JID, BroadcastListOwner=NO_JID)
    ev = P.Receipt(MessageSource=source, MessageIDs=list(ids), Timestamp=timestamp, Type=kind)
    return P.Receipt.FromString(ev.SerializeToString())


def test_delivered_read_and_played_from_the_recipients_phone():
    for kind, expected in ((P.Receipt.DELIVERED, ReceiptKind.DELIVERED),
                           (P.Receipt.READ, ReceiptKind.READ),
                           (P.Receipt.PLAYED, ReceiptKind.PLAYED)):
        got = translate_receipt(receipt_event(kind, "3EB0AA", "3EB0BB"))
        assert got == Receipt(message_ids=("3EB0AA", "3EB0BB"), kind=expected,
                              at=datetime(2025, 5, 3, 7, 3, tzinfo=UTC),
                              chat=f"{PERSON}@s.whatsapp.net",
                              sender=f"{PERSON}@s.whatsapp.net")  # the device part is dropped


def test_in_a_group_the_member_whose_phone_reported_is_the_sender():
    got = translate_receipt(receipt_event(P.Receipt.READ, "3EB0AA", chat=jid(GROUP, "g.us"),
                                          sender=jid(MEMBER, device=5), is_group=True))
    assert got is not None
    assert (got.chat, got.sender) == (f"{GROUP}@g.us", f"{MEMBER}@s.whatsapp.net")


def test_receipts_that_tell_nothing_of_a_recipient_are_dropped():
    # The bot's own other devices reading, retries, errors, and receipts naming no message.
    for kind in (P.Receipt.READ_SELF, P.Receipt.PLAYED_SELF, P.Receipt.RETRY,
                 P.Receipt.SERVER_ERROR, P.Receipt.SENDER, P.Receipt.INACTIVE,
                 P.Receipt.HISTORY_SYNC, P.Receipt.PEER_MSG):
        assert translate_receipt(receipt_event(kind, "3EB0AA")) is None
    assert translate_receipt(receipt_event(P.Receipt.READ, "3EB0AA", from_me=True)) is None
    assert translate_receipt(receipt_event(P.Receipt.DELIVERED)) is None


def test_a_receipt_in_seconds_from_an_older_neonize_has_the_same_time():
    got = translate_receipt(receipt_event(P.Receipt.DELIVERED, "3EB0AA",
                                          timestamp=AT_MS // 1000))
    assert got is not None and got.at == datetime(2025, 5, 3, 7, 3, tzinfo=UTC)


@pytest.mark.asyncio
async def test_a_receipt_reaches_its_row_through_neonizes_own_dispatcher(db, tmp_path,
                                                                          monkeypatch):
    row = outbox.enqueue(f"{PERSON}@s.whatsapp.net", "Drum pressure is 44 bar")
    outbox.mark_sent(row, "3EB0C0FFEE", SENT)
    bridge = NeonizeBridge(tmp_path / "s.db")
    bridge.on_receipt = ReceiptRecorder("whatsapp").on_receipt
    client = bridge._open_client()  # a real NewAClient with the bridge's handlers; not connected
    monkeypatch.setattr(neonize_events, "event_global_loop", asyncio.get_running_loop())

    def dispatch(ev: P.Receipt) -> None:
        data = ev.SerializeToString()
        buffer = ctypes.create_string_buffer(data, len(data))
        # What the Go side does: a pointer, a size and the event's number.
        client.event.execute(0, ctypes.addressof(buffer), len(data),
                             EVENT_TO_INT[neonize_events.ReceiptEv])

    dispatch(receipt_event(P.Receipt.DELIVERED, "3EB0C0FFEE"))
    await until(lambda: receipts.delivery(row).delivered_at is not None, what="delivered")
    dispatch(receipt_event(P.Receipt.READ, "3EB0C0FFEE", timestamp=AT_MS + 120_000))
    await until(lambda: receipts.delivery(row).read_at is not None, what="read")
    got = receipts.delivery(row)
    assert got.delivered_at == datetime(2025, 5, 3, 7, 3, tzinfo=UTC)
    assert got.read_at == datetime(2025, 5, 3, 7, 5, tzinfo=UTC)
    assert got.played_at is None
