"""The bot as a phone meets it: floods, repeats, huge texts, its own messages, strangers."""

from __future__ import annotations

import asyncio

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.db.models import Message
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts

BUDI = "+6281234567890"


def run_bot(data_dir, script) -> LoopbackBridge:
    async def main() -> LoopbackBridge:
        bridge = LoopbackBridge()
        runtime = build_bot(bridge, SourcePool(), data_dir / "media",
                             throttle=lambda: Throttle(0, 0, 10**6, 10**6))
        await runtime.start()
        try:
            await script(bridge)
            await runtime.outbox.drain()
        finally:
            await runtime.stop()
        return bridge

    return asyncio.run(main())


def statuses() -> list[str]:
    return [m.status for m in Message.select().where(Message.type == "incoming")
            .order_by(Message.created_at, Message.id)]


def test_a_flood_of_50_messages_gets_one_notice_and_a_mute(db, admin, data_dir):
    async def script(bridge):
        await bridge.inject("halo", sender=BUDI)  # a stranger first: waits for approval
        contacts.approve(admin, contacts.find_contact(BUDI)["id"])
        for n in range(50):
            await bridge.inject(f"demo {n}" if n % 2 else "demo", sender=BUDI)

    bridge = run_bot(data_dir, script)
    texts = [s.text for s in bridge.sent]
    notices = [t for t in texts if "many commands" in t]
    assert len(notices) == 1
    answered = [t for t in texts if t.startswith("*Demo plant*") or "takes no arguments" in t]
    assert 1 <= len(answered) <= 5  # at most the allowed commands of the window
    assert statuses().count("spam") + statuses().count("muted") >= 40


def test_the_same_text_ten_times_is_answered_once_and_huge_texts_are_refused(
        db, admin, data_dir):
    async def script(bridge):
        await bridge.inject("halo", sender=BUDI)
        contacts.approve(admin, contacts.find_contact(BUDI)["id"])
        for _ in range(10):
            await bridge.inject("demo", sender=BUDI)
        await bridge.inject("x" * 100_000, sender="+6281299990000")

    bridge = run_bot(data_dir, script)
    demo_replies = [s for s in bridge.sent if s.text.startswith("*Demo plant*")]
    assert len(demo_replies) == 1
    huge = [s for s in bridge.sent if s.to.startswith("6281299990000")]
    assert len(huge) == 1 and "too long" in huge[0].text
    stored = Message.get(Message.sender.startswith("6281299990000"))
    # A stranger: refused, and only an excerpt is stored, with the length it came with.
    assert stored.content == "x" * 200 + "…" and stored.original_length == 100_000


def test_the_bots_own_messages_and_group_chatter_get_no_answer(db, admin, data_dir):
    async def script(bridge):
        await bridge.inject("demo", sender=BUDI, from_me=True)
        await bridge.inject("good morning all", sender=BUDI, is_group=True)

    bridge = run_bot(data_dir, script)
    assert bridge.sent == []


def test_emoji_rtl_and_zero_width_characters_reach_the_trigger(db, admin, data_dir):
    async def script(bridge):
        await bridge.inject("halo", sender=BUDI)
        contacts.approve(admin, contacts.find_contact(BUDI)["id"])
        await bridge.inject("\u200bdemo 👍", sender=BUDI)
        await bridge.inject("مرحبا", sender=BUDI)

    bridge = run_bot(data_dir, script)
    contents = [m.content for m in Message.select().where(Message.type == "incoming")]
    assert "\u200bdemo 👍" in contents and "مرحبا" in contents
    assert any(s.text for s in bridge.sent[1:])  # each got a sentence back, nothing crashed


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
        contacts.approve(admin, bridge.default_group)  # the bot answers only approved groups
        await bridge.inject("!demo", sender=BUDI, is_group=True)
        await runtime.outbox.drain()
        await runtime.stop()
        return bridge.sent

    sent = asyncio.run(run())
    answers = [s for s in sent if s.text.startswith("*Demo plant*")]
    assert len(answers) == 2  # once in private, once in the group; never twice for one ask
    assert not any("many commands" in s.text for s in sent)
