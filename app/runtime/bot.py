"""The running bot: bridge events in, the pipeline, the outbox out; staged start and stop."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from pathlib import Path

from app.bridge.base import Bridge, BridgeState, IncomingMessage, StateChange
from app.core import access, spam
from app.core.i18n import tr
from app.core.routing import route
from app.core.timefmt import utc_now
from app.runtime.ai_chat import AiResponder
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.alarms.ticker import AlarmScheduler
from app.runtime.outbox import Outbox, Throttle
from app.runtime.pipeline import Incoming, Outcome, Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import contacts, messages, settings, wa_status

log = logging.getLogger(__name__)


class BotRuntime:
    """Owns the bridge, the pipeline and the outbox for as long as the bot runs."""

    def __init__(self, bridge: Bridge, pool: SourcePool, media_dir: Path,
                 throttle=Throttle.from_settings, channel: str = "whatsapp",
                 alarms: AlarmEngine | bool | None = None) -> None:
        self.bridge = bridge
        self.pool = pool
        self.media_dir = media_dir
        # "whatsapp" or "simulator": each runtime's outbox sends only its own channel's rows.
        self.channel = channel
        runner = TriggerRunner(pool)
        self.pipeline = Pipeline(runner, AiResponder(pool, runner))
        self.outbox = Outbox(bridge, throttle, channel=channel)
        # Alarms and schedules: True runs them here (serve); an engine owned elsewhere (the
        # desktop app runs it for as long as the app is open) is only told of reconnects.
        self.scheduler: AlarmScheduler | None = None
        if alarms is True:
            alarms = AlarmEngine(pool, channel=channel, connected=lambda: bridge.state.can_send,
                                 media_dir=media_dir, on_queued=self.outbox.wake)
            self.scheduler = AlarmScheduler(alarms)
        self.alarm_engine: AlarmEngine | None = alarms or None
        self._accepting = False
        self._handling: set[asyncio.Task] = set()
        self.outcomes: list[tuple[str, Outcome]] = []  # the latest few, for simulate
        bridge.on_state = self.handle_state
        bridge.on_qr = self.handle_qr
        bridge.on_message = self.on_message

    # -- life -------------------------------------------------------------------------------
    async def start(self) -> None:
        self.outbox.recover()
        self._accepting = True
        self.outbox.start()
        await self.bridge.start()
        if self.scheduler is not None:
            self.scheduler.start()

    async def stop(self, timeout: float = 10.0) -> None:
        """Staged: stop taking messages, finish answers under way, let the outbox finish its
        current send, then close the bridge and the sources."""
        self._accepting = False
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self._handling:
            await asyncio.wait(self._handling, timeout=timeout)
        await self.outbox.stop(timeout)
        await self.bridge.stop()
        self.pool.close()

    # -- events -----------------------------------------------------------------------------
    async def handle_state(self, change: StateChange) -> None:
        if self.channel == "whatsapp":  # the Dashboard shows the real number's state only
            wa_status.apply(change)
        if change.state is BridgeState.CONNECTED:
            if self.alarm_engine is not None:
                try:
                    # Before the outbox sends: what waited becomes one summary per recipient.
                    self.alarm_engine.consolidate()
                except Exception:  # noqa: BLE001 - sending must go on regardless
                    log.exception("Summarising the alarm messages that waited failed")
            self.outbox.wake()

    async def handle_qr(self, data: str) -> None:
        if self.channel == "whatsapp":
            wa_status.set_qr(data)

    async def on_message(self, msg: IncomingMessage) -> None:
        if not self._accepting:
            return
        task = asyncio.current_task()
        if task is not None:
            self._handling.add(task)
        try:
            await self._handle(msg)
        except Exception:  # noqa: BLE001 - one bad message must not stop the bot
            log.exception("Handling message %s failed", msg.message_id)
        finally:
            if task is not None:
                self._handling.discard(task)

    async def _handle(self, msg: IncomingMessage) -> None:
        if msg.from_me:
            return  # the bot's own messages (also those typed on the bot phone) are not asks
        if messages.already_handled(msg.message_id):
            return  # WhatsApp delivered it again (after a reconnect): it was answered once
        started = time.perf_counter()
        contact = contacts.upsert_from_message(msg)
        message_id = messages.record_incoming(msg, contact["id"], channel=self.channel)
        catalog = self.pipeline.catalog()
        if msg.is_group and route(msg.text, catalog, group_chat=True,
                                  mentioned=msg.mentioned).kind == "ignore" \
                and self.pipeline.alarm_command(msg.text, catalog, True, msg.mentioned,
                                                msg.quoted_id) is None:
            # Talk among people in a group is not a command: it neither counts towards the
            # spam limit nor gets a notice in the group.
            messages.decide(message_id, "ignored", reason="group chat, not addressed to the bot")
            return
        lang = str(settings.get("general", "language") or "en")
        reply_to = msg.chat if msg.is_group else msg.sender

        now = utc_now()
        rules = spam.SpamSettings.from_settings(settings.all_values().get("spam", {}))
        recent = messages.recent_from(contact["id"], now - timedelta(seconds=rules.history_s),
                                      exclude=message_id)
        verdict = spam.check(msg.text, now, recent, contacts.muted_until(contact["id"]),
                             bool(contact.get("blocked")), rules,
                             contacts.notified_at(contact["id"], "spam"))
        if not verdict.allowed:
            messages.decide(message_id, verdict.status, reason=verdict.reason)
            if verdict.mute_until:
                contacts.set_muted(contact["id"], verdict.mute_until)
            if verdict.notify:
                contacts.mark_notified(contact["id"], "spam", now)
                self._queue(reply_to, spam.notice_text(verdict, lang, rules), message_id,
                            "notice")
            return

        decision = access.decide(contact, operator=False, audience=[])
        if not decision.allowed:
            messages.decide(message_id, decision.status, reason=decision.reason)
            if decision.notify and not msg.is_group:
                contacts.mark_notified(contact["id"], "access", now)
                self._queue(reply_to, tr(lang, "not_authorised"), message_id, "notice")
            return

        outcome = await self.pipeline.process(Incoming(
            msg.text, sender=msg.sender, name=msg.push_name, chat_id=msg.chat if msg.is_group
            else None, is_group=msg.is_group, mentioned=msg.mentioned,
            message_id=msg.message_id, received_at=started,
            tags=tuple(contact.get("tags") or ()), quoted_id=msg.quoted_id, via=self.channel))
        for reply in outcome.replies:
            self._queue(reply_to, reply.text, message_id, "reply", reply.image_png)
        for chat, text in outcome.notices:
            self._queue(chat, text, message_id, "alarm_ack")
        latency = (time.perf_counter() - started) * 1000
        messages.decide(message_id, outcome.status, route=outcome.route.kind,
                        target=outcome.route.name, replies=len(outcome.replies),
                        latency_ms=round(latency, 1))
        self.outcomes = (self.outcomes + [(message_id, outcome)])[-50:]

    def queue_reply(self, to: str, text: str, *, image: bytes | None = None,
                    reply_to: str | None = None) -> None:
        """Queue a reply this runtime's outbox will send (used by the Simulator's operator)."""
        self._queue(to, text, reply_to, "reply", image)

    def _queue(self, to: str, text: str, reply_to: str | None, kind: str,
               image: bytes | None = None) -> None:
        messages.enqueue(to, text, image_png=image, media_dir=self.media_dir,
                         kind=messages.channel_kind(self.channel, kind), reply_to=reply_to)
        self.outbox.wake()
