"""The running bot: bridge events in, the pipeline, the outbox out; staged start and stop."""

from __future__ import annotations

import asyncio
import collections
import contextvars
import dataclasses
import functools
import logging
import time
from datetime import timedelta
from pathlib import Path

from app.bridge.base import Bridge
from app.core import access, spam
from app.core.i18n import tr
from app.core.messages import (
    STRANGER_EXCERPT,
    BridgeState,
    Incoming,
    StateChange,
    cleaned,
    ignored_because,
)
from app.core.timefmt import utc_now
from app.runtime import executor
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.alarms.ticker import AlarmScheduler
from app.runtime.answers import reply_context
from app.runtime.health import HealthMonitor
from app.runtime.outbox import Outbox
from app.runtime.pipeline import Outcome, Pipeline
from app.services import cache, contacts, groups, messages, settings, spill, wa_status, writable
from app.services.messages import Draft
from app.services.writable import NotWritable

log = logging.getLogger(__name__)

# Messages kept in memory while the database refuses writes (locked by another program, or the
# disk full); past this many the oldest waiting message is given up, and the log says so.
MAX_WAITING = 2000
RETRY_S = (0.2, 1.0)  # first and longest pause between tries to write what waits (asked
# without waiting, so a try costs a fraction of a millisecond)
# At stop, how long the database may still take to accept what waits before it goes to a file.
STOP_WAIT_S = 3.0
MAX_STEPS = 32  # database steps of messages written in one transaction at most,
STEPS_S = 0.005  # and no step begun after this long (the loop's turn comes between two)


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
        if alarm_engine is not None:  # the offline summary is made before anything is sent
            alarm_engine.sending_held = outbox.held
        self._accepting = False
        self._handling: set[asyncio.Task] = set()
        # The one queue worker: messages in the order they came, each recorded and decided in
        # one step, the loop free between two steps (`_in_db`). The answers then run per chat
        # (`_lanes`): in order within a chat, side by side across chats, so one slow PI
        # question does not hold everyone else's.
        self._queue: collections.deque[tuple[Incoming, asyncio.Future]] = collections.deque()
        self._worker: asyncio.Task | None = None
        self._lanes: dict[str, asyncio.Task] = {}
        self._steps: collections.deque[tuple] = collections.deque()  # see _in_db
        self._writer: asyncio.Task | None = None
        self.outcomes: list[tuple[str, Outcome]] = []  # the latest few, for simulate
        # Messages that came while the database refused writes, in the order they came.
        self._waiting: collections.deque[Incoming] = collections.deque()
        self._retrying: asyncio.Task | None = None
        self._try_now = asyncio.Event()  # the stop wakes the retry to try at once
        self._stopping = False
        self._keep_rest = False  # set at stop: what still waits goes to the file, not answered
        self.given_up = 0  # waiting messages dropped because MAX_WAITING were waiting already
        # Read back from the file the last run left (spill): the lengths their texts came with
        # where only an excerpt was kept, and whether the file is still to be deleted.
        self._lengths: dict[str | None, int] = {}
        self._from_file = False
        self._state_unwritten: StateChange | None = None  # WhatsApp's state, while refused
        self.health: HealthMonitor | None = None  # the bot's own health alarm (the real number)
        bridge.on_state = self.handle_state
        bridge.on_qr = self.handle_qr
        bridge.on_message = self.on_message

    # -- life -------------------------------------------------------------------------------
    async def start(self) -> None:
        self._stopping = False
        self._keep_rest = False
        self.outbox.recover()
        try:  # 50,000 contacts: read on a thread, not on the loop at the first message
            await executor.run_blocking(contacts.warm_index, timeout=60)
        except Exception:  # noqa: BLE001 - the first message reads them instead
            log.exception("The contacts could not be read ahead")
        await self._take_back_kept()
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
        # What came but was not started waits with what the database refused: answered in the
        # bounded last chance below, or kept in the file.
        while self._queue:
            msg, done = self._queue.popleft()
            self._wait(msg)
            _settle(done)
        busy = self._handling | set(self._lanes.values())
        if self._worker is not None and not self._worker.done():
            busy.add(self._worker)
        if busy:
            await asyncio.wait(busy, timeout=timeout)
        retrying, self._retrying = self._retrying, None
        if retrying is not None:
            if self._waiting and not retrying.done():
                # The database gets a last, bounded chance to take what waits, tried often.
                self._stopping = True
                self._try_now.set()
                await asyncio.wait({retrying}, timeout=min(STOP_WAIT_S, timeout))
            # The message being answered is finished, no other begun (a cancel alone may be
            # lost in a wait that ends at the same moment).
            self._keep_rest = True
            retrying.cancel()
            await asyncio.wait({retrying}, timeout=1.0)
        if self._waiting or self._from_file:
            await self._keep_in_file()
        await self.outbox.stop(timeout)
        await self.bridge.stop()
        if self.health is not None:
            self.health.stop()

    @property
    def pending(self) -> int:
        """Messages taken, not yet answered: queued, being answered, or waiting in memory."""
        return len(self._queue) + len(self._lanes) + len(self._waiting)

    # -- events -----------------------------------------------------------------------------
    async def handle_state(self, change: StateChange) -> None:
        if self.channel == "whatsapp":  # the Dashboard shows the real number's state only
            try:
                with writable.without_waiting():
                    wa_status.apply(change)
                self._state_unwritten = None
            except NotWritable:
                self._state_unwritten = change  # written with what waits, once it can be
                self._retry()
        if self.health is not None:
            self.health.on_state(change)
        if change.state is BridgeState.CONNECTED:
            if self.alarm_engine is not None:
                try:
                    # Before the outbox sends: what waited becomes one summary per recipient.
                    await self.alarm_engine.consolidate_off_loop()
                except Exception:  # noqa: BLE001 - sending must go on regardless
                    log.exception("Summarising the alarm messages that waited failed")
            self.outbox.wake()

    async def handle_qr(self, data: str) -> None:
        if self.channel == "whatsapp":
            try:
                with writable.without_waiting():
                    wa_status.set_qr(data)
            except NotWritable as exc:  # WhatsApp sends a new code every few seconds
                log.warning("The pairing code could not be shown: %s", exc)

    async def on_message(self, msg: Incoming) -> None:
        if not self._accepting:
            return
        task = asyncio.current_task()
        if task is not None:
            self._handling.add(task)
        try:
            done = asyncio.get_running_loop().create_future()
            self._queue.append((msg, done))
            if self._worker is None or self._worker.done():
                self._worker = asyncio.create_task(self._work())
            await done  # answered, waiting in memory for the database, or given up in the log
        finally:
            if task is not None:
                self._handling.discard(task)

    # -- the queue ------------------------------------------------------------------------------
    async def _work(self) -> None:
        """Take the queued messages in the order they came. Those waiting at the same time (a
        burst, a backlog after a reconnect) are asked for at once, a few dozen at most, so that
        their records and decisions share one transaction (see `_in_db`); each is then answered
        in its turn, and the loop gets its turn between two such groups (a burst of hundreds
        never holds the window)."""
        while self._queue:
            taken = [self._queue.popleft() for _ in range(min(len(self._queue), MAX_STEPS))]
            # One look at other connections' commits for the messages taken together: their
            # steps and answers read the kept copies as they were then.
            with cache.checked():
                asked = [(msg, done, self._admission(msg)) for msg, done in taken]
                for msg, done, admission in asked:
                    try:
                        await self._take(msg, done, admission)
                    except Exception:  # noqa: BLE001 - one bad message must not stop the rest
                        log.exception("Handling message %s failed", msg.message_id)
                        _settle(done)
            await asyncio.sleep(0)

    def _admission(self, msg: Incoming) -> asyncio.Future | bool:
        """The step recording `msg` and deciding its spam and access, asked now; False when
        there is nothing to record, True when it must wait behind messages the database
        refused (it is recorded after them)."""
        if self._waiting:
            return True
        checked = _checked(msg)
        if checked is None:
            return False
        return asyncio.ensure_future(self._in_db(self._admit, checked))

    async def _take(self, msg: Incoming, done: asyncio.Future,
                    admission: asyncio.Future | bool) -> None:
        if admission is True:
            self._wait(msg)  # after those that came first, once the database takes them
            return _settle(done)
        if admission is False:
            return _settle(done)
        # Inside _work's look at other connections' commits: the answer (a task of its own)
        # inherits it, and reads the kept copies as they were when the message was taken.
        try:
            admitted, queued = await admission
        except NotWritable as exc:
            self._wait(msg, exc)
            return _settle(done)
        if queued:
            self.outbox.wake()
        if admitted is None:
            return _settle(done)
        if self._waiting:
            # Recorded, but one that came before waits for the database: answered after it
            # (its row is found again then, not written twice).
            self._wait(msg)
            return _settle(done)
        chat = msg.chat or msg.sender or ""
        lane = asyncio.create_task(self._answer(admitted, self._lanes.get(chat), done))
        self._lanes[chat] = lane
        lane.add_done_callback(functools.partial(self._lane_done, chat))

    def _lane_done(self, chat: str, lane: asyncio.Task) -> None:
        if self._lanes.get(chat) is lane:
            del self._lanes[chat]

    async def _answer(self, admitted: tuple, before: asyncio.Task | None,
                      done: asyncio.Future) -> None:
        """Answer an admitted message after the chat's message before it (its order kept)."""
        msg = admitted[0]
        try:
            if before is not None:
                await asyncio.wait({before})
            await self._reply(admitted)
        except NotWritable as exc:
            self._wait(msg, exc)
        except Exception:  # noqa: BLE001 - one bad message must not stop the bot
            log.exception("Handling message %s failed", msg.message_id)
        finally:
            _settle(done)

    async def _in_db(self, fn, *args, **kwargs):
        """One database step of a message (a millisecond or two: bench/bench_burst.py). The
        steps ready at the same time (a burst's messages, the answers that came back) are
        written in one transaction, a few dozen at most, and the loop gets its turn between
        two such writes: the window and everything else never wait long, and a burst pays one
        commit for many messages. Steps run on the loop's own connection, so they never wait
        for the lock of the outbox or the receipts."""
        step = (fn, args, kwargs, asyncio.get_running_loop().create_future(),
                contextvars.copy_context())  # its message's look at other commits
        self._steps.append(step)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_steps())
        return await step[3]

    async def _write_steps(self) -> None:
        while self._steps:
            batch = [self._steps.popleft() for _ in range(min(len(self._steps), MAX_STEPS))]
            try:  # in the first step's context: its message's one look at other commits
                outcomes = batch[0][4].run(_together, batch)
                self._steps.extendleft(reversed(batch[len(outcomes):]))  # the next turn's
                for (_fn, _a, _k, done, _ctx), (ok, value) in zip(batch, outcomes,
                                                                    strict=False):
                    if not done.done():
                        if ok:
                            done.set_result(value)
                        else:
                            done.set_exception(value)
            finally:
                await asyncio.sleep(0)  # the next steps run in a later turn

    # -- a database that refuses writes ---------------------------------------------------------
    def _wait(self, msg: Incoming, exc: NotWritable | None = None) -> None:
        """Keep `msg` in memory until the database takes writes again (bounded: MAX_WAITING)."""
        reason = writable.incoming_refusal(self.channel)
        if exc is not None:
            if reason is None:  # the text only: a record holding `exc` keeps its frames alive
                log.warning("%s Incoming messages wait in memory and are answered once it can "
                            "be written (SQLite said: %s).", str(exc), exc.details)
            reason = str(exc)
        if len(self._waiting) >= MAX_WAITING:
            lost = self._waiting.popleft()
            self.given_up += 1
            log.error("Message %s from %s was given up: %d messages already wait for the "
                      "database.", lost.message_id, lost.sender, MAX_WAITING)
        self._waiting.append(msg)
        if reason is not None:  # else it waits behind messages read back from the file
            writable.incoming_refused(reason, len(self._waiting), self.channel)
        self._retry()

    def _retry(self) -> None:
        if self._retrying is None or self._retrying.done():
            self._retrying = asyncio.create_task(self._write_waiting())

    async def _write_waiting(self) -> None:
        pause = RETRY_S[0]
        while self._waiting or self._state_unwritten is not None:
            try:
                await asyncio.wait_for(self._try_now.wait(),
                                       RETRY_S[0] if self._stopping else pause)
            except TimeoutError:
                pass
            self._try_now.clear()
            pause = min(pause * 2, RETRY_S[1])
            # Asked without waiting: the loop never sits out the busy timeout to learn it.
            if not writable.writable():
                continue
            if self._state_unwritten is not None:
                try:
                    with writable.without_waiting():
                        wa_status.apply(self._state_unwritten)
                    self._state_unwritten = None
                except NotWritable:
                    continue
            if self._lanes:  # answers under way first: a chat's order is kept
                await asyncio.wait(set(self._lanes.values()))
            while self._waiting and not self._keep_rest:
                msg = self._waiting[0]
                # The loop gets its turn between two messages: an answer that needs no thread
                # (the demo's) does not suspend, and hundreds may wait.
                await asyncio.sleep(0)
                if not self._waiting or self._waiting[0] is not msg:
                    continue
                try:
                    await self._handle(msg)
                except NotWritable as exc:
                    writable.incoming_refused(str(exc), len(self._waiting), self.channel)
                    break
                except Exception:  # noqa: BLE001 - one bad message must not stop the others
                    log.exception("Handling message %s failed", msg.message_id)
                if self._waiting and self._waiting[0] is msg:
                    self._waiting.popleft()
                    if writable.incoming_refusal(self.channel) is not None:
                        writable.incoming_refused(writable.incoming_refusal(self.channel),
                                                  len(self._waiting), self.channel)
            else:
                pause = RETRY_S[0]
            if self._keep_rest:
                return  # the stop keeps the rest in the file
        self._lengths.clear()
        if self._from_file:
            await executor.run_blocking(spill.clear, self.channel, timeout=10)
            self._from_file = False
            log.info("Every incoming message kept in a file at the last stop is recorded.")
        if writable.incoming_refusal(self.channel) is not None:
            writable.incoming_refused(None, channel=self.channel)
            log.info("The database takes writes again: the messages that waited are answered.")

    async def _take_back_kept(self) -> None:
        """At start: the messages the last run kept in a file go first, in their order."""
        try:
            kept = await executor.run_blocking(spill.load, self.channel, timeout=30)
        except Exception:  # noqa: BLE001 - the bot starts; the file stays for the next start
            log.exception("The incoming messages kept at the last stop could not be read")
            return
        if not kept:
            return
        log.warning("%d incoming message(s) that could not be recorded before the bot stopped "
                    "are recorded and answered now.", len(kept))
        self._from_file = True
        for item in kept:
            if item.original_length != len(item.message.text):
                self._lengths[item.message.message_id] = item.original_length
        self._waiting.extendleft(reversed([item.message for item in kept]))
        self._retry()

    async def _keep_in_file(self) -> None:
        """At stop: what still waits for the database goes to a file the next start answers."""
        waiting = list(self._waiting)
        why = (writable.incoming_refusal(self.channel)
               or "the bot was stopping before their turn came")
        try:
            # Reads who may get data (works while locked), then writes the file: on a thread,
            # for hundreds of messages at a stop during a burst.
            where = await executor.run_blocking(_keep, waiting, self.channel, timeout=30)
        except Exception:  # noqa: BLE001 - said in the log, with how many
            log.exception("%d incoming message(s) could not be recorded (%s) nor kept in a "
                          "file; they are lost.", len(waiting), why)
            return
        self._waiting.clear()
        self._lengths.clear()
        self._from_file = False
        writable.incoming_refused(None, channel=self.channel)
        if where is not None:
            log.warning("%d incoming message(s) could not be recorded before the bot stopped "
                        "(%s); they are kept in %s and answered at the next start.",
                        len(waiting), why, where)

    async def _handle(self, msg: Incoming) -> None:
        """Record, decide and answer one message (what waited in memory, one after another)."""
        admitted = await self._admitted(msg)
        if admitted is not None:
            await self._reply(admitted)

    async def _admitted(self, msg: Incoming) -> tuple | None:
        """`msg` recorded and its spam and access decided (one step); what the
        pipeline needs to answer it, or None when that is decided already."""
        checked = _checked(msg)
        if checked is None:
            return None
        # The writes give up at once when another program holds the lock (NotWritable: the
        # message then waits in memory); they never sit out SQLite's busy timeout.
        admitted, queued = await self._in_db(self._admit, checked)
        if queued:
            self.outbox.wake()
        return admitted

    async def _reply(self, admitted: tuple) -> None:
        msg, message_id, contact, routed, ctx, group = admitted
        asked = dataclasses.replace(
            msg, tags=tuple(contact.get("tags") or ()), via=self.channel,
            group_tags=tuple((group or {}).get("tags") or ()) if msg.is_group else None)
        with cache.checked():  # the kept copies as they are when the answer begins
            outcome = await self.pipeline.process(asked, routed, ctx)
        drafts = [Draft(r.to, r.text, "reply", r.image_png) for r in outcome.replies]
        drafts += [Draft(chat, text, "alarm_ack") for chat, text in outcome.notices]
        latency = (time.perf_counter() - msg.received_at) * 1000
        queued = await self._in_db(self._record, message_id, outcome.status, drafts,
                                   route=outcome.route.kind, target=outcome.route.name,
                                   replies=len(outcome.replies), latency_ms=round(latency, 1),
                                   **outcome.why)
        if queued:
            self.outbox.wake()
        self.outcomes = (self.outcomes + [(message_id, outcome)])[-50:]

    def _admit(self, msg: Incoming) -> tuple[tuple | None, bool]:
        """Record `msg` and decide spam and access (one database step): what the
        pipeline needs to answer it, or None when it is decided already (or is nothing to
        answer); and whether a notice was queued for the outbox."""
        contact = contacts.upsert_from_message(msg)
        if contact is None:
            return None, False  # a new stranger past the hour's share: counted, not stored
        # A sender who may not get data costs an excerpt of their text, not all of it.
        trusted = bool(contact.get("allowed")) and not contact.get("blocked")
        message_id, new = messages.record_if_new(
            msg, contact["id"], channel=self.channel, keep=None if trusted else STRANGER_EXCERPT,
            original_length=self._lengths.get(msg.message_id))
        if not new and messages.already_handled(message_id):
            return None, False  # WhatsApp delivered it again (after a reconnect): answered once
        rules = spam.SpamSettings.from_settings(settings.all_values().get("spam", {}))
        # A text over the length limit is refused below whatever it asks; routing reads only
        # its start, so a huge text of many words cannot hold the event loop.
        limit = rules.max_length + 1
        routed = self.pipeline.route(
            msg if len(msg.text) <= limit else dataclasses.replace(msg, text=msg.text[:limit]))
        if msg.is_group and routed.route.kind == "ignore":
            # Talk among people in a group is not a command: it neither counts towards the
            # spam limit nor gets a notice in the group.
            messages.decide(message_id, "ignored", reason="group chat, not addressed to the bot")
            return None, False
        ctx = reply_context()
        now = utc_now()
        group = groups.get(msg.chat) if msg.is_group else None
        if msg.is_group and not contact.get("blocked"):
            # Everyone in the group reads what is posted there: until the group is approved
            # it gets one notice, and not even a spam or length notice after that.
            decision = access.decide_group(group)
            if not decision.allowed:
                notice = []
                if decision.status == "waiting" and group is not None:
                    # Told once per group, not on every message (the mark is on its row).
                    groups.asked_for_approval(group["id"], told=decision.notify)
                    if decision.notify:
                        notice = [Draft(msg.chat, tr(ctx.lang, "group_not_approved"),
                                        "notice")]
                return None, self._record(message_id, decision.status, notice,
                                          reason=decision.reason)
        # The contact as upserted above: its ids, mute and notices, without reading it again.
        recent = messages.sender_history(contact["sender_ids"] or [contact["id"]],
                                         now - timedelta(seconds=rules.history_s),
                                         exclude_id=message_id)
        verdict = spam.check(msg.text, now, recent, contact.get("muted_until"),
                             bool(contact.get("blocked")), rules,
                             (contact.get("notified") or {}).get("spam"))
        if not verdict.allowed:
            if verdict.mute_until:
                contacts.set_muted(contact["id"], verdict.mute_until)
            notice = []
            if verdict.notify:
                contacts.mark_notified(contact["id"], "spam", now)
                notice = [Draft(msg.reply_to, spam.notice_text(verdict, ctx.lang, rules),
                                "notice")]
            return None, self._record(message_id, verdict.status, notice, reason=verdict.reason)

        decision = access.decide(contact, operator=False, audience=[])
        if not decision.allowed:
            notice = []
            if decision.notify and not msg.is_group:
                contacts.mark_notified(contact["id"], "access", now)
                notice = [Draft(msg.reply_to, tr(ctx.lang, "not_authorised"), "notice")]
            return None, self._record(message_id, decision.status, notice,
                                      reason=decision.reason)
        return (msg, message_id, contact, routed, ctx, group), False

    def _record(self, message_id: str, status: str, drafts: list[Draft], **why) -> bool:
        """The replies queued and the message's decision recorded in one transaction; whether
        there is anything for the outbox to send."""
        messages.finish(message_id, status, drafts, channel=self.channel,
                        media_dir=self.media_dir, **why)
        return bool(drafts)

    def queue_reply(self, to: str, text: str, *, image: bytes | None = None,
                    reply_to: str | None = None) -> None:
        """Queue a reply this runtime's outbox will send (used by the Simulator's operator)."""
        messages.enqueue(to, text, image_png=image, media_dir=self.media_dir,
                         kind=messages.channel_kind(self.channel, "reply"), reply_to=reply_to)
        self.outbox.wake()


def _together(batch: list[tuple]) -> list[tuple[bool, object]]:
    """The steps of `batch` written together, with one look at other connections' commits
    for every kept copy they read (the first step's message's, when it took one)."""
    with writable.without_waiting(), cache.checked():
        return writable.together([functools.partial(fn, *args, **kwargs)
                                  for fn, args, kwargs, *_ in batch], STEPS_S)


def _checked(msg: Incoming) -> Incoming | None:
    """`msg` as it is recorded, or None when nothing of it is (the bot's own messages, also
    those typed on the bot phone, are not asks; nor what WhatsApp sends that is no message)."""
    if msg.from_me:
        return None
    why = ignored_because(msg)
    if why is not None:
        log.debug("Ignored before storing anything: %s", why)
        return None
    return cleaned(msg)  # any text can be stored: what SQLite cannot keep shows as U+FFFD


def _keep(waiting: list[Incoming], channel: str) -> Path | None:
    return spill.save(spill.records(waiting), channel)


def _settle(done: asyncio.Future) -> None:
    if not done.done():
        done.set_result(None)
