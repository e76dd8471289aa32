"""The running bot: bridge events in, the pipeline, the outbox out; staged start and stop."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from datetime import timedelta
from pathlib import Path

from app.bridge.base import Bridge
from app.core import access, spam
from app.core.i18n import tr
from app.core.messages import BridgeState, Incoming, StateChange
from app.core.timefmt import utc_now
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.alarms.ticker import AlarmScheduler
from app.runtime.answers import reply_context
from app.runtime.outbox import Outbox
from app.runtime.pipeline import Outcome, Pipeline
from app.services import contacts, messages, settings, wa_status
from app.services.messages import Draft

log = logging.getLogger(__name__)


class BotRuntime:
    """Owns the bridge, the pipeline and the outbox for as long as the bot runs.

    Built by app.composition, which gives it its parts; the source pool they read through
    belongs to the composition root and outlives the bot."""

    def __init__(self, bridge: Bridge, pipeline: Pipeline, outbox: Outbox, media_dir: Path,
                 channel: str = "whatsapp", alarm_engine: AlarmEngine | None = None,
                 scheduler: AlarmScheduler | None = None) -> None:
        self.bridge = bridge
        self.pipeline = pipeline
        self.outbox = outbox
        self.media_dir = media_dir
        # "whatsapp" or "simulator": each runtime's outbox sends only its own channel's rows.
        self.channel = channel
        # Alarms and schedules: a scheduler runs them here (serve); an engine owned elsewhere
        # (the desktop app runs it for as long as the app is open) is only told of reconnects.
        self.scheduler = scheduler
        self.alarm_engine = alarm_engine
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
        current send, then close the bridge."""
        self._accepting = False
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self._handling:
            await asyncio.wait(self._handling, timeout=timeout)
        await self.outbox.stop(timeout)
        await self.bridge.stop()

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

    async def on_message(self, msg: Incoming) -> None:
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

    async def _handle(self, msg: Incoming) -> None:
        if msg.from_me:
            return  # the bot's own messages (also those typed on the bot phone) are not asks
        if messages.already_handled(msg.message_id):
            return  # WhatsApp delivered it again (after a reconnect): it was answered once
        contact = contacts.upsert_from_message(msg)
        message_id = messages.record_incoming(msg, contact["id"], channel=self.channel)
        routed = self.pipeline.route(msg)
        if msg.is_group and routed.route.kind == "ignore":
            # Talk among people in a group is not a command: it neither counts towards the
            # spam limit nor gets a notice in the group.
            messages.decide(message_id, "ignored", reason="group chat, not addressed to the bot")
            return
        ctx = reply_context()
        now = utc_now()
        rules = spam.SpamSettings.from_settings(settings.all_values().get("spam", {}))
        recent = messages.recent_from(contact["id"], now - timedelta(seconds=rules.history_s),
                                      exclude=message_id)
        verdict = spam.check(msg.text, now, recent, contacts.muted_until(contact["id"]),
                             bool(contact.get("blocked")), rules,
                             contacts.notified_at(contact["id"], "spam"))
        if not verdict.allowed:
            if verdict.mute_until:
                contacts.set_muted(contact["id"], verdict.mute_until)
            notice = []
            if verdict.notify:
                contacts.mark_notified(contact["id"], "spam", now)
                notice = [Draft(msg.reply_to, spam.notice_text(verdict, ctx.lang, rules),
                                "notice")]
            self._finish(message_id, verdict.status, notice, reason=verdict.reason)
            return

        decision = access.decide(contact, operator=False, audience=[])
        if not decision.allowed:
            notice = []
            if decision.notify and not msg.is_group:
                contacts.mark_notified(contact["id"], "access", now)
                notice = [Draft(msg.reply_to, tr(ctx.lang, "not_authorised"), "notice")]
            self._finish(message_id, decision.status, notice, reason=decision.reason)
            return

        asked = dataclasses.replace(msg, tags=tuple(contact.get("tags") or ()), via=self.channel)
        outcome = await self.pipeline.process(asked, routed, ctx)
        drafts = [Draft(r.to, r.text, "reply", r.image_png) for r in outcome.replies]
        drafts += [Draft(chat, text, "alarm_ack") for chat, text in outcome.notices]
        latency = (time.perf_counter() - msg.received_at) * 1000
        self._finish(message_id, outcome.status, drafts, route=outcome.route.kind,
                     target=outcome.route.name, replies=len(outcome.replies),
                     latency_ms=round(latency, 1), **outcome.why)
        self.outcomes = (self.outcomes + [(message_id, outcome)])[-50:]

    def _finish(self, message_id: str, status: str, drafts: list[Draft], **why) -> None:
        """The replies queued and the message's decision recorded in one transaction."""
        messages.finish(message_id, status, drafts, channel=self.channel,
                        media_dir=self.media_dir, **why)
        if drafts:
            self.outbox.wake()

    def queue_reply(self, to: str, text: str, *, image: bytes | None = None,
                    reply_to: str | None = None) -> None:
        """Queue a reply this runtime's outbox will send (used by the Simulator's operator)."""
        messages.enqueue(to, text, image_png=image, media_dir=self.media_dir,
                         kind=messages.channel_kind(self.channel, "reply"), reply_to=reply_to)
        self.outbox.wake()
