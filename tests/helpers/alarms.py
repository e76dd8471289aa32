"""Alarms for the integration tests: saving one, running a cycle on the test clock, what was
queued, and the bot over the loopback bridge with its alarm engine."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.core.messages import Incoming
from app.db.models import OutgoingMessage
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import alarms, contacts, groups
from tests.helpers.clock import Clock
from tests.pi_server import PiServer

GROUP = "120363111111111111@g.us"
BUDI = "+6281234567890"
SARI = "+6281111111111"
TONO = "+6282222222222"


def in_asyncio(test):
    """Run an async test on a plain asyncio loop (the bot needs no Qt)."""
    import functools
    import inspect

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    run.__signature__ = inspect.signature(test)
    return run


def make_alarm(admin, source_id: str, name: str = "Drum pressure", tag: str = "DRUM.PRESS",
               **config) -> dict:
    """An alarm on the PI tag, by default to GROUP. When its first level is GROUP alone,
    GROUP is made an approved group in Contacts first (an alarm nobody can receive is refused
    on save); named beside others, GROUP is left as Contacts has it."""
    base = {"condition": "above", "high": 45.0, "units": "bar", "interval_s": 10,
            "recipients": [{"groups": [GROUP]}]}
    base.update(config)
    if base["recipients"] and base["recipients"][0] == {"groups": [GROUP]}:
        approve_group(admin)
    return alarms.save_alarm(admin, None, name=name, active=True, kind="pi",
                             data_source_id=source_id, tag=tag, trigger_id=None, config=base)


OPERATOR_JID = "628123456789@s.whatsapp.net"


def approved_operator(admin) -> dict:
    """Budi, who wrote to the bot once, approved and tagged "operators"."""
    contact = contacts.upsert_from_message(Incoming(
        message_id="first", chat=OPERATOR_JID, sender=OPERATOR_JID,
        sender_phone="+628123456789", push_name="Budi", text="hi", timestamp=datetime.now(UTC)))
    contacts.approve(admin, contact["id"])
    return contacts.update(admin, contact["id"], "Budi", ["operators"])


def approve_group(admin, jid: str = GROUP) -> None:
    """The group as an approved group in Contacts, as if the bot were in it (no change when it
    is known already: a test that blocked it keeps it blocked)."""
    if groups.get(jid) is None:
        groups.save_from_file(admin, jid=jid, name=None, allowed=True, tags=[])


def alarm_rows() -> list[OutgoingMessage]:
    return list(OutgoingMessage.select().where(OutgoingMessage.type == "alarm")
                .order_by(OutgoingMessage.id))


def texts(to: str | None = None) -> list[str]:
    return [r.message for r in alarm_rows() if to is None or r.recipient == to]


def cycle(engine: AlarmEngine, clock: Clock, pi: PiServer, value: float | None,
          seconds: float = 10, tag: str = "DRUM.PRESS", deliver: bool = True, **tag_args):
    """One alarm cycle `seconds` after the last; with `deliver`, what it queued counts as
    sent (as a connected bot's outbox would do), so it is not summarised later."""
    clock.advance(seconds=seconds)
    if value is not None:
        pi.add_tag(tag, value, units="bar", **tag_args)
    report = asyncio.run(engine.run_cycle())
    if deliver:
        OutgoingMessage.update(status="sent").where(OutgoingMessage.status == "pending").execute()
    return report


def no_wait() -> Throttle:
    return Throttle(0.0, 0.0, 10**6, 10**6)


class Bot:
    """The bot over the loopback bridge, its alarm engine on the test clock."""

    def __init__(self, clock: Clock, data_dir: Path) -> None:
        self.bridge = LoopbackBridge()
        pool = SourcePool()
        self.engine = AlarmEngine(pool, clock=clock,
                                  connected=lambda: self.bridge.state.can_send)
        self.runtime = build_bot(self.bridge, pool, data_dir / "media", throttle=no_wait,
                                 alarms=self.engine)
        self.engine.on_queued = self.runtime.outbox.wake

    async def start(self) -> None:
        await self.runtime.start()

    async def sent(self) -> list:
        await self.runtime.outbox.drain()
        out = []
        while not self.bridge.outgoing.empty():
            out.append(self.bridge.outgoing.get_nowait())
        return out

    async def say(self, text: str, sender: str, group: bool = True, quoted: str | None = None):
        await self.bridge.inject(text, sender=sender, name="", chat=GROUP if group else None,
                                 is_group=group, quoted_id=quoted)
        return await self.sent()
