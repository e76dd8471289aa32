"""10,000 hostile messages through the whole bot over the loopback bridge: every message that no
rule ignores is recorded with a decision, nothing is logged as a failure, and the database grows
by a few hundred bytes per message (printed; run with -s to see it)."""

from __future__ import annotations

import asyncio
import logging
import random
import time

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.core.messages import ignored_because
from app.db.models import Contact, Message, database_proxy
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, strangers

COUNT = int(__import__("os").environ.get("FUZZ_COUNT", "10000"))
ALLOWED = [f"+62812000{n:04d}" for n in range(8)]
STRANGERS = [f"+62813000{n:04d}" for n in range(12)]
LIDS = [f"{n:015d}@lid" for n in range(100000000000001, 100000000000005)]
GROUPS = ["120363000000000001@g.us", "6281200000000-1600000000@g.us"]
MALFORMED = ["status@broadcast", "120363000000000099@newsletter", "1600000000@broadcast", "@lid",
             "budi@s.whatsapp.net", "628111@example.com", "62811\udc80@s.whatsapp.net",
             "a@b@c", "@s.whatsapp.net", "%s@lid", "{0}@s.whatsapp.net"]

PIECES = [
    "demo", "help", "status", "tag1", "ai tell me", "alarms", "ack 1",
    "%s%s%s%n", "{0}", "{name}", "{{}}", "%(x)s", "${jndi:ldap://x}", "'; DROP TABLE messages;--",
    "\" OR 1=1 --", "UNION SELECT * FROM users", '{"a": [1, {"b": null}]}', "]}\"\\", "\\u0000",
    "\x00", "\x01\x02\x1b[31m", "\r\n\t", "\u202e\u2066abc\u2069", "مرحبا", "שלום", "👍🏽‍🔥",
    "\u200b\u200d\ufeff", "\udcff", "\ud800", "\udfff\ud800", "a\x7f", "ℌ𝔢𝔩𝔩𝔬", "\ufffd",
    "<script>alert(1)</script>", "../../etc/passwd", "NULL", "None", "-1", "9" * 40,
]


def hostile_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.004:
        return rng.choice(PIECES) * rng.randint(10_000, 60_000)  # huge
    if roll < 0.01:
        return ""
    return " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))


def hostile_message(rng: random.Random, n: int) -> dict:
    roll = rng.random()
    kw: dict = {"text": hostile_text(rng)}
    if roll < 0.30:
        kw["sender"] = rng.choice(ALLOWED)
    elif roll < 0.45:
        kw["sender"] = rng.choice(STRANGERS)
    elif roll < 0.55:
        kw["sender"] = rng.choice(LIDS)
    elif roll < 0.65:
        kw["sender"] = f"+6281{n:09d}"  # a new stranger every time
    elif roll < 0.75:
        kw["sender"] = rng.choice(MALFORMED)
    elif roll < 0.95:
        kw.update(sender=rng.choice(ALLOWED + STRANGERS), chat=rng.choice(GROUPS + MALFORMED[:2]),
                  is_group=True, mentioned=rng.random() < 0.5)
    else:
        kw.update(sender=rng.choice(ALLOWED), from_me=True)
    kw["name"] = rng.choice(["", "Budi", "\u202eidub", "\udcff", "%s", "x" * 300])
    return kw


def _size(data_dir) -> int:
    database_proxy.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in data_dir.glob("app.db*"))


def test_ten_thousand_hostile_messages_are_each_kept_and_decided_or_ignored_by_rule(
        db, admin, data_dir, caplog):
    for phone in ALLOWED:
        contacts.save_from_file(admin, phone=phone, name=None, jid=None, allowed=True,
                                tags=None)
    rng = random.Random(13)
    plan = [hostile_message(rng, n) for n in range(COUNT)]
    before = _size(data_dir)
    delivered = []

    async def main() -> None:
        bridge = LoopbackBridge()
        runtime = build_bot(bridge, SourcePool(), data_dir / "media",
                             throttle=lambda: Throttle(0, 0, 10**6, 10**6))
        await runtime.start()
        try:
            for kw in plan:
                delivered.append(await bridge.inject(**kw))
            await runtime.outbox.drain()
        finally:
            await runtime.stop()

    caplog.set_level(logging.WARNING)
    started = time.perf_counter()
    asyncio.run(main())
    took = time.perf_counter() - started
    after = _size(data_dir)

    rows = {m.id: m.status for m in Message.select(Message.id, Message.status)
            .where(Message.type == "incoming")}
    by_rule = [m for m in delivered if m.from_me or ignored_because(m)]
    ignored_ids = {m.message_id for m in by_rule}
    missing = [m for m in delivered if m.message_id not in ignored_ids
               and m.message_id not in rows]
    assert not [m for m in by_rule if m.message_id in rows]  # nothing of them stored
    # The only other messages not stored are new strangers past the hour's share of contacts.
    created, refused = strangers.counts()
    assert len(missing) == refused
    assert refused > 0 and created == strangers.CONTACTS_PER_HOUR
    assert Contact.select().count() <= len(ALLOWED) + created + len(GROUPS) + 1
    kept = [m for m in delivered if m.message_id in rows]
    assert len(kept) == len(delivered) - len(by_rule) - refused
    assert not [m.message_id for m in kept if rows[m.message_id] in ("received", None)]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    print(f"\n{COUNT} hostile messages in {took:.1f} s: {len(kept)} kept and decided, "
          f"{len(by_rule)} ignored by rule, {refused} strangers past the hour's share; "
          f"statuses {sorted(set(rows.values()))}; the database grew by "
          f"{after - before:,} bytes, {(after - before) / COUNT:.0f} bytes per message "
          f"({(after - before) / max(len(kept), 1):.0f} per kept message)")
