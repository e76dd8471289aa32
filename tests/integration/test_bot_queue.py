"""A burst of messages arriving at once: the loop is free between two messages, each chat's
replies come in the order its questions came, and a stop in the middle of it loses nothing."""

from __future__ import annotations

import asyncio
import itertools
import json

from peewee import SQL

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.db.models import Message, OutgoingMessage
from app.runtime import bot as runtime_bot
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, events, settings

SENDERS = [f"+62811000{n:04d}" for n in range(10)]
TEXTS = ["demo", "help", "frobnicate", "demo 1", "hello"]


def _bot(data_dir):
    return build_bot(LoopbackBridge(), SourcePool(), data_dir / "media",
                     throttle=lambda: Throttle(0, 0, 10**6, 10**6))


def _setup(admin):
    for phone in SENDERS:
        contacts.save_from_file(admin, phone=phone, name=phone, jid=None, allowed=True,
                                tags=None)
    settings.update(admin, {"spam": {"max_commands": 100, "repeat_window_s": 0}})


def _burst(bridge) -> list[asyncio.Task]:
    """Every sender's questions at the same moment, as WhatsApp delivers them."""
    return [asyncio.create_task(bridge.inject(text, sender=phone, message_id=f"{phone}-{n}"))
            for n, text in enumerate(TEXTS) for phone in SENDERS]


def test_a_burst_leaves_the_loop_free_between_messages_and_keeps_each_chats_order(
        db, admin, data_dir):
    _setup(admin)
    seen: list[str] = []  # what happened, in order: a turn of the loop, or a message recorded
    recorded: list[int] = []  # at each turn of the loop, how many messages were recorded
    events.subscribe("messages", lambda _payload: seen.append("recorded"))

    async def main():
        runtime = _bot(data_dir)
        await runtime.start()
        try:
            stop = asyncio.Event()

            async def other_work():  # the window, say: once per turn of the loop
                while not stop.is_set():
                    seen.append("turn")
                    recorded.append(Message.select().where(Message.type == "incoming").count())
                    await asyncio.sleep(0)

            ticking = asyncio.create_task(other_work())
            await asyncio.gather(*_burst(runtime.bridge))
            seen.append("answered")
            stop.set()
            await ticking
            await runtime.outbox.drain()
        finally:
            await runtime.stop()

    asyncio.run(main())
    burst = seen[seen.index("recorded"):seen.index("answered")]
    messages = len(SENDERS) * len(TEXTS)
    commits = burst.count("recorded")
    # The messages that wait together are recorded together, and their answers too: fewer
    # commits than one per message, but never the whole burst in one go; the loop ran other
    # work between two of them (a reply sent may commit in the same turn as the bot).
    assert 3 <= commits < messages, commits
    longest = max(len(list(run)) for key, run in itertools.groupby(burst) if key == "recorded")
    assert longest <= 2, burst
    assert burst.count("turn") >= commits // 2
    # At most a few dozen messages are recorded between two turns of the loop.
    assert recorded[-1] >= messages
    assert max(b - a for a, b in itertools.pairwise(recorded)) <= 32
    for phone in SENDERS:
        asked = [m.id for m in Message.select().where(Message.type == "incoming",
                                                      Message.id.startswith(phone))
                 .order_by(SQL("rowid"))]
        assert asked == [f"{phone}-{n}" for n in range(len(TEXTS))]
        replied = [o.reply_to for o in OutgoingMessage.select()
                   .where(OutgoingMessage.reply_to.startswith(phone))
                   .order_by(OutgoingMessage.id)]
        assert replied == sorted(set(replied), key=asked.index)  # in the order asked
        assert set(replied) >= {f"{phone}-{n}" for n in range(4)}


def test_a_stop_during_a_burst_answers_or_keeps_every_message_for_the_next_start(
        db, admin, data_dir, monkeypatch):
    _setup(admin)
    monkeypatch.setattr(runtime_bot, "STOP_WAIT_S", 0)  # what is not started goes to the file
    counted: dict[str, int] = {}

    async def first_run():
        runtime = _bot(data_dir)
        await runtime.start()
        tasks = _burst(runtime.bridge)
        for _ in range(100):  # until they have arrived; hardly any is answered yet
            await asyncio.sleep(0)
            if runtime.pending >= len(tasks) // 2:
                break
        await runtime.stop()
        await asyncio.gather(*tasks)
        kept = data_dir / "incoming-waiting-whatsapp.json"
        counted["kept"] = len(json.loads(kept.read_text("utf-8"))["messages"]) \
            if kept.exists() else 0
        counted["recorded"] = Message.select().where(Message.type == "incoming").count()

    async def second_run():
        runtime = _bot(data_dir)
        await runtime.start()
        try:
            for _ in range(3000):
                if not runtime.pending:
                    break
                await asyncio.sleep(0.01)
            await runtime.outbox.drain()
        finally:
            await runtime.stop()

    asyncio.run(first_run())
    messages = len(SENDERS) * len(TEXTS)
    assert counted["kept"] > 0
    # None lost (one cut off between its row and its answer is in both, answered once later).
    assert counted["kept"] + counted["recorded"] >= messages
    asyncio.run(second_run())
    rows = Message.select().where(Message.type == "incoming")
    assert rows.count() == messages
    assert all(m.status != "received" for m in rows)  # every one decided
    replied = [o.reply_to for o in OutgoingMessage.select()]
    assert len(replied) == len(set(replied)) >= messages - len(SENDERS)  # once each
    assert not (data_dir / "incoming-waiting-whatsapp.json").exists()
