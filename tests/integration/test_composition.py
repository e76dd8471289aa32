"""One way through for a message: one source pool per process, the recipient decided once, one
function from an answer to WhatsApp messages, the replies and the decision in one commit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from app.bridge.loopback import LoopbackBridge
from app.composition import Parts
from app.core import message_split
from app.core.messages import OPERATOR, Incoming
from app.db.models import Message, OutgoingMessage
from app.runtime.answers import Answer, ReplyPart, reply_context, whatsapp_messages
from app.services import contacts, events, messages, settings, sources
from app.services.messages import Draft

BUDI = "+6281234567890"
BUDI_JID = "6281234567890@s.whatsapp.net"
GROUP = "120363000000000001@g.us"


def demo_source_id() -> str:
    return next(s["id"] for s in sources.list_sources() if s["plugin"] == "demo")


def test_every_bot_of_a_process_reads_through_the_one_pool_and_a_stop_leaves_it_open(
        db, data_dir):
    parts = Parts(data_dir)

    async def main():
        whatsapp = parts.whatsapp_bot(LoopbackBridge())
        simulator = parts.simulator_bot(LoopbackBridge())
        engine = parts.alarm_engine(connected=lambda: False, on_queued=lambda: None)
        pools = {id(whatsapp.pipeline.runner.pool), id(simulator.pipeline.runner.pool),
                 id(simulator.pipeline.ai.pool), id(engine.pool)}
        live = parts.pool.get(demo_source_id())
        await whatsapp.start()
        await whatsapp.stop()
        return pools, live

    try:
        pools, live = asyncio.run(main())
        assert pools == {id(parts.pool)}
        # The simulator keeps running after the real bot stops: the source stays connected.
        assert parts.pool.get(demo_source_id()) is live
    finally:
        parts.close()


def test_the_recipient_is_the_group_in_a_group_and_the_person_elsewhere():
    assert Incoming("demo", chat=GROUP, sender=BUDI_JID, is_group=True).reply_to == GROUP
    assert Incoming("demo", chat=BUDI_JID, sender=BUDI_JID).reply_to == BUDI_JID
    assert Incoming("demo").reply_to == OPERATOR
    assert Incoming("demo", chat=BUDI_JID).reply_to == BUDI_JID  # the operator in a chat


def test_a_long_answer_with_a_chart_becomes_an_image_with_caption_then_numbered_parts():
    long = "\n\n".join(f"line {n} " + "x" * 80 for n in range(120))
    answer = Answer("t", [ReplyPart("caption", b"PNG"), ReplyPart(long)])
    sent = whatsapp_messages(answer, "en")
    assert sent[0] == ("caption", b"PNG")
    rest = sent[1:]
    assert len(rest) > 1 and all(image is None for _text, image in rest)
    assert all(len(text) <= message_split.MESSAGE_LIMIT for text, _image in rest)
    assert [t for t, _i in rest] == message_split.split_message(long, "en")


def test_replies_and_previews_use_the_language_and_zone_set_in_settings(db, admin):
    settings.update(admin, {"general": {"language": "id", "time_zone": "Asia/Jakarta"}})
    ctx = reply_context(preview=True)
    assert (ctx.lang, ctx.zone, ctx.preview) == ("id", ZoneInfo("Asia/Jakarta"), True)
    assert (settings.reply_style().lang, settings.reply_style().zone) == (ctx.lang, ctx.zone)


def incoming_row(text: str = "demo") -> str:
    msg = Incoming(text, message_id="3EB0FINISH0001", chat=BUDI_JID, sender=BUDI_JID,
                   sender_phone=BUDI, push_name="Budi", timestamp=datetime.now(UTC))
    contact = contacts.upsert_from_message(msg)
    return messages.record_incoming(msg, contact["id"])


def test_the_replies_and_the_decision_commit_together_with_one_notice_each(db, data_dir):
    message_id = incoming_row()
    heard: list[str] = []
    for topic in ("messages", "outgoing_messages"):
        events.subscribe(topic, lambda _payload, topic=topic: heard.append(topic))
    ids = messages.finish(message_id, "answered", [Draft(BUDI_JID, "one"),
                                                   Draft(BUDI_JID, "two", image_png=b"PNG")],
                          media_dir=data_dir / "media", route="trigger", replies=2)
    assert sorted(heard) == ["messages", "outgoing_messages"]
    rows = list(OutgoingMessage.select().where(OutgoingMessage.id.in_(ids))
                .order_by(OutgoingMessage.id))
    assert [(r.message, r.reply_to, r.type) for r in rows] == [
        ("one", message_id, "reply"), ("two", message_id, "reply")]
    assert Message.get_by_id(message_id).status == "answered"


def test_a_decision_that_cannot_be_recorded_queues_no_reply(db, data_dir, monkeypatch):
    message_id = incoming_row()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(messages, "decide", broken)
    with pytest.raises(RuntimeError):
        messages.finish(message_id, "answered", [Draft(BUDI_JID, "lost?")],
                        channel="simulator", media_dir=data_dir / "media")
    assert OutgoingMessage.select().count() == 0  # no reply to a message still "received"
    assert Message.get_by_id(message_id).status == "received"
