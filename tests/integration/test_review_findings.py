"""Faults found in review: each one as a person would meet it."""

from __future__ import annotations

import asyncio

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.db.models import Contact, OutgoingMessage
from app.runtime.outbox import Outbox, Throttle
from app.runtime.source_pool import SourcePool
from app.services import config_io, contacts, messages
from app.services import triggers as trigger_service

BUDI = "+6281234567890"


def test_a_message_cancelled_while_waiting_for_its_turn_is_not_sent(db, admin):
    async def run():
        bridge = LoopbackBridge()
        await bridge.start()
        outbox = Outbox(bridge, throttle=lambda: Throttle(0, 1.0, 10**6, 10**6),
                        rng=lambda: 0.9)
        outbox_id = messages.enqueue("6281234567890@s.whatsapp.net", "wrong unit!")
        outbox.start()
        await asyncio.sleep(0.3)  # it waits out its jitter now
        messages.cancel(admin, outbox_id, "wrong text")
        await asyncio.sleep(1.2)
        await outbox.stop()
        return bridge.sent, OutgoingMessage.get_by_id(outbox_id)

    sent, row = asyncio.run(run())
    assert sent == [] and row.status == "failed" and "wrong text" in row.error_message


def _bot(data_dir):
    bridge = LoopbackBridge()
    runtime = build_bot(bridge, SourcePool(), data_dir / "media",
                         throttle=lambda: Throttle(0, 0, 10**6, 10**6))
    return bridge, runtime


def test_a_redelivered_message_is_answered_once_and_group_chatter_is_not_spam(
        db, admin, data_dir):
    async def run():
        bridge, runtime = _bot(data_dir)
        await runtime.start()
        await bridge.inject("halo", sender=BUDI)
        contacts.approve(admin, contacts.find_contact(BUDI)["id"])
        message = await bridge.inject("demo", sender=BUDI)
        await runtime.on_message(message)  # WhatsApp delivers it again after a reconnect
        for n in range(6):
            await bridge.inject(f"morning all {n}", sender=BUDI, is_group=True)
        await bridge.inject("!demo", sender=BUDI, is_group=True)
        await runtime.outbox.drain()
        await runtime.stop()
        return bridge.sent

    sent = asyncio.run(run())
    answers = [s for s in sent if s.text.startswith("*Demo plant*")]
    assert len(answers) == 2  # once in private, once in the group; never twice for one ask
    assert not any("many commands" in s.text for s in sent)


def test_audience_tags_compare_without_capitals(db, admin):
    from app.core.messages import Incoming
    from app.runtime.pipeline import Pipeline
    from app.runtime.trigger_runner import TriggerRunner

    trigger_service.save_trigger(admin, None, name="roster", kind="text", active=True,
                                 data_source_id=None,
                                 config={"text": "Shift B on duty", "audience": ["ops"]})
    pool = SourcePool()
    replies = asyncio.run(Pipeline(TriggerRunner(pool)).handle(
        Incoming("roster", sender=BUDI, tags=("Ops",))))
    pool.close()
    assert "Shift B on duty" in replies[0].text


def test_importing_a_contact_known_only_by_its_lid_gives_that_row_the_number(db, admin):
    Contact.insert(id="99887766@lid", name="Budi", phone=None, metadata={}).execute()
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Budi", "phone": BUDI, "jid": "99887766@lid", "allowed": True}]})
    rows = list(Contact.select())
    assert len(rows) == 1 and rows[0].phone == BUDI and rows[0].metadata["allowed"] is True
