"""The outbox worker: sends queued replies one at a time, throttled, retried, never lost.

Never lost, in two ways. A send a crash cut short is sent again at the next start (`recover`),
counted on the row as interrupted, because WhatsApp may have had it (see app.services.outbox).
And what became of a send is never dropped when the database will not take it (another process
holds the lock, the disk is full): the outcome waits here, in memory, and is written as soon as
the database is writable again; meanwhile nothing new is sent and nothing spins.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

from app.bridge.base import Bridge, BridgeError
from app.core.timefmt import utc_now
from app.services import outbox as queue
from app.services import outbox_restart, settings

log = logging.getLogger(__name__)

MAX_RETRIES = 5
BACKOFF_FIRST_S = 5.0
BACKOFF_MAX_S = 600.0
SEND_TIMEOUT_S = 60.0  # a send WhatsApp has not confirmed by then is retried later
# A row whose sends were cut short this many times may be what stops the app: it is failed.
MAX_INTERRUPTED = 3
WRITE_RETRY_S = 0.5  # how often a locked database is asked again
IDLE_POLL_S = 0.25  # drain(): the longest wait when nothing could go
DUE_READ = 20  # due rows read at once
DUE_KEPT_S = 1.0  # how long rows read as due are sent from without reading again


@dataclass
class Throttle:
    """The sending pace (Settings → Outbox, whose defaults are in app.core.settings_spec),
    read from settings on every send."""

    min_gap_s: float
    jitter_s: float
    per_chat_per_minute: int
    per_minute: int

    @classmethod
    def from_settings(cls) -> Throttle:
        return cls(float(settings.get("outbox", "min_gap_s")),
                   float(settings.get("outbox", "jitter_s")),
                   int(settings.get("outbox", "per_chat_per_minute")),
                   int(settings.get("outbox", "per_minute")))


class Outbox:
    """Owns sending. Rows are written by the pipeline first; this only moves them along."""

    def __init__(self, bridge: Bridge, throttle: Callable[[], Throttle] = Throttle.from_settings,
                 clock: Callable[[], float] = time.monotonic,
                 rng: Callable[[], float] = random.random, channel: str = "whatsapp",
                 backoff_first_s: float = BACKOFF_FIRST_S,
                 send_timeout_s: float = SEND_TIMEOUT_S) -> None:
        self.bridge = bridge
        self.channel = channel
        self.backoff_first_s = backoff_first_s
        self.send_timeout_s = send_timeout_s
        self._throttle = throttle
        self._clock = clock
        self._rng = rng
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._last_send = -math.inf  # no send yet: the gap allows the first at once
        self._recent: deque[tuple[float, str]] = deque()  # (when, chat) of the last minute
        self._by_chat: dict[str, deque[float]] = {}  # the same, by chat
        self.sending_id: int | None = None
        # Outcomes of sends the database did not take yet, oldest first: row id → the write.
        self._unwritten: dict[int, Callable[[], object]] = {}
        self.not_writable: str | None = None  # why the database refuses writes, while it does
        self._holds = 0  # while above 0 nothing is sent (see `held`)
        # The due rows as last read, less those sent since: sent from without reading again
        # while nothing was queued (no wake since) and the read is under DUE_KEPT_S old.
        self._due: list[dict] = []
        self._due_all = False  # the read found fewer than its limit: nothing else was due
        self._due_read_at = -math.inf
        self._woken = 0  # wakes so far
        self._woken_at_read = -1

    # -- life -------------------------------------------------------------------------------
    def recover(self) -> int:
        """At start: rows caught mid-send by a crash are sent again (first, being oldest),
        unless WhatsApp's id was recorded; each counts the interruption, so a reader knows the
        recipient may have it twice. Returns how many were caught."""
        stuck = queue.interrupted_in_flight(self.channel)
        for row in stuck:
            what = outbox_restart.send_again_after_interruption(row["id"], MAX_INTERRUPTED)
            if what == "failed":
                log.warning("Message #%s: sending it was cut short %d times; not sent again",
                            row["id"], MAX_INTERRUPTED)
        if stuck:
            log.warning("%d message(s) were being sent when the app stopped; they are sent "
                        "again and may reach their recipient twice", len(stuck))
        return len(stuck)

    @property
    def unwritten(self) -> int:
        """Sends whose outcome waits in memory for the database."""
        return len(self._unwritten)

    def start(self) -> None:
        self._task = asyncio.ensure_future(self.run())

    def wake(self) -> None:
        self._woken += 1
        self._wake.set()

    async def stop(self, timeout: float = SEND_TIMEOUT_S) -> None:
        """Stop taking new rows; the send in progress may finish within `timeout`."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except TimeoutError:
                self._task.cancel()
        if not self._write_outcomes():
            # Still not writable: those rows stay "in flight" in the database, so the next start
            # sends them again, marked as possibly repeated. Nothing is lost.
            log.warning("%d sent message(s) could not be recorded (%s); they are sent again at "
                        "the next start", len(self._unwritten), self.not_writable)

    # -- work -------------------------------------------------------------------------------
    async def run(self) -> None:
        while not self._stopping:
            try:
                sent_any = await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - a bug must not stop the bot from sending
                log.exception("Outbox step failed")
                sent_any = False
            if not sent_any:
                await self._sleep_until_woken(WRITE_RETRY_S if self._blocked() else 1.0)

    async def drain(self, timeout: float = 30.0) -> None:
        """Send everything due now (for simulate and tests); returns when nothing is left and
        every outcome is written. Waits (woken by `wake`) rather than polls when nothing can
        go: while the database is locked, until the next retry falls due."""
        deadline = self._clock() + timeout
        while self._clock() < deadline:
            if await self._step():
                continue  # one went (or its pace was waited out): the next, without counting
            with queue.without_waiting():  # the loop's wait, as every other step of it
                pending = queue.pending_count(self.channel)
            if not self._unwritten and not pending:
                return
            await self._sleep_until_woken(min(self._idle_wait(), deadline - self._clock()))
            self._forget_due()  # a retry may have fallen due meanwhile

    def _forget_due(self) -> None:
        self._woken_at_read = -1  # the next step reads the due rows again

    def _due_rows(self) -> list[dict]:
        """The rows due now, oldest first (20 at most). Read again only when something was
        queued since the last read (a wake), when the rows read are all sent and there may be
        more, or after DUE_KEPT_S: a row queued by another program, or falling due by its
        retry time, is seen then, as when idle. A row read is still claimed before it goes,
        so one cancelled meanwhile is not sent."""
        if (self._woken == self._woken_at_read and (self._due or self._due_all)
                and time.monotonic() - self._due_read_at < DUE_KEPT_S):
            return self._due
        self._woken_at_read = self._woken
        self._due_read_at = time.monotonic()
        with queue.without_waiting():  # the loop's wait, as the claim and the bot's steps
            self._due = queue.next_due(utc_now(), limit=DUE_READ, channel=self.channel)
        self._due_all = len(self._due) < DUE_READ
        return self._due

    def _blocked(self) -> bool:
        return bool(self._unwritten) or self.not_writable is not None

    def _idle_wait(self) -> float:
        """How long drain() waits after a step that could send nothing: until the next retry
        falls due (at once when it is due already), a quarter second at most, since a
        reconnect or a row queued by another process wakes nobody."""
        if self._blocked():
            return WRITE_RETRY_S
        # While the connection is down a due retry cannot go either: no reason to hurry.
        due = queue.next_attempt_at(self.channel) if self.bridge.state.can_send else None
        if due is None:
            return IDLE_POLL_S
        return min(IDLE_POLL_S, (due - utc_now()).total_seconds())  # <= 0: look again at once

    async def _sleep_until_woken(self, seconds: float) -> None:
        self._wake.clear()
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass

    def _waits(self, pace: Throttle) -> Callable[[str], float]:
        """Seconds each chat must still wait under the gap and the per-minute caps."""
        now = self._clock()
        while self._recent and now - self._recent[0][0] >= 60:
            _, chat = self._recent.popleft()
            times = self._by_chat[chat]
            times.popleft()
            if not times:
                del self._by_chat[chat]
        common = [self._last_send + pace.min_gap_s - now]
        if len(self._recent) >= pace.per_minute:
            common.append(self._recent[0][0] + 60 - now)
        per_chat = self._by_chat

        def wait(chat: str) -> float:
            times = per_chat.get(chat, ())
            extra = [times[0] + 60 - now] if len(times) >= pace.per_chat_per_minute else []
            return max(0.0, *common, *extra)

        return wait

    @contextlib.contextmanager
    def held(self):
        """Nothing is sent inside: the alarm messages that waited are being made one offline
        summary on a worker thread, and must not go out one by one meanwhile."""
        self._holds += 1
        try:
            yield
        finally:
            self._holds -= 1
            self.wake()

    async def _step(self) -> bool:
        """Send at most one due row; False when there was nothing that could go now."""
        if self._holds:
            return False
        if not self._write_outcomes():
            return False  # the database is not writable: nothing new goes out meanwhile
        if not self.bridge.state.can_send:
            return False  # a ban, a logout or a reconnect pauses; rows wait, retries untouched
        pace = self._throttle()
        due = self._due_rows()
        if not due:
            return False
        wait_for = self._waits(pace)
        waits = [(wait_for(r["recipient"]), i, r) for i, r in enumerate(due)]
        wait, _, row = min(waits, key=lambda w: (w[0], w[1]))
        if wait > 0:
            await self._sleep_until_woken(wait)
            return True  # the pace is waited out (or a new row came): look again at once
        due.remove(row)  # claimed below (or found cancelled): not sent from this list again
        await asyncio.sleep(self._rng() * pace.jitter_s)
        return await self._send(row)

    def _write_outcomes(self, ask_first: bool = True) -> bool:
        """Write the outcomes kept in memory, oldest first; True once none is left. Asks first
        without waiting, so a lock never stalls the loop; each write waits the loop's few
        milliseconds at most. (With none kept there is nothing to ask: the next claim asks, in
        _send.)"""
        if not self._unwritten:
            return True
        if ask_first and not self._may_write():
            return False
        while self._unwritten:
            outbox_id, write = next(iter(self._unwritten.items()))
            try:
                with queue.without_waiting():
                    write()
            except queue.NotWritable as exc:
                self._refused(exc)
                return False
            except Exception:  # noqa: BLE001 - a bug must not stop the sending for good
                # The row stays in flight, so the next start sends it again (marked).
                log.exception("Recording what became of message #%s failed", outbox_id)
            del self._unwritten[outbox_id]
            self._writable_again()
        return True

    def _writable_again(self) -> None:
        if self.not_writable is not None:
            log.info("The database takes writes again; every sent message is recorded")
        self.not_writable = None

    def _may_write(self) -> bool:
        """Whether the database would take a write now (asked without waiting)."""
        if queue.writable():
            return True
        self._refused(queue.NotWritable(queue.LOCKED, "asked without waiting"))
        return False

    def _refused(self, exc: queue.NotWritable) -> None:
        if self.not_writable is None:
            log.warning("%s Sent messages are kept in memory and recorded when it is writable "
                        "again; nothing new is sent meanwhile. (%s)", exc, exc.details)
        self.not_writable = str(exc)

    def _record(self, outbox_id: int, write: Callable[[], object]) -> None:
        """Write what became of a send now, or keep it until the database takes it. With
        nothing older waiting, the write itself asks (waiting a few milliseconds at most)."""
        self._unwritten[outbox_id] = write
        self._write_outcomes(ask_first=len(self._unwritten) > 1)

    async def _send(self, row: dict) -> bool:
        """Send one row; False when the database refused to let it be claimed."""
        try:  # asks by claiming, waiting the loop's few milliseconds at most for a lock
            with queue.without_waiting():
                claimed = queue.mark_in_flight(row["id"], utc_now())
        except queue.NotWritable as exc:
            self._refused(exc)
            self._forget_due()  # the row is still due: read again once a claim can be written
            return False
        self._writable_again()
        if not claimed:
            return True  # cancelled (or taken) while it waited for its turn: it must not go out
        self.sending_id = row["id"]
        try:
            if row.get("media_path"):
                png = Path(row["media_path"]).read_bytes()
                coro = self.bridge.send_image(row["recipient"], png, row["message"])
            else:
                coro = self.bridge.send_text(row["recipient"], row["message"])
            whatsapp_id = await asyncio.wait_for(coro, self.send_timeout_s)
        except TimeoutError:
            self._failed(row, TimeoutError(f"WhatsApp did not confirm the send within "
                                           f"{self.send_timeout_s:g} s"))
        except (BridgeError, OSError) as exc:
            self._failed(row, exc)
        else:
            self._record(row["id"], partial(queue.mark_sent, row["id"], whatsapp_id, utc_now(),
                                            claimed=claimed))
            now = self._clock()
            self._last_send = now
            self._recent.append((now, row["recipient"]))
            self._by_chat.setdefault(row["recipient"], deque()).append(now)
        finally:
            self.sending_id = None
        return True

    def _failed(self, row: dict, exc: BaseException) -> None:
        self._record(row["id"], self._failure(row, exc))

    def _failure(self, row: dict, exc: BaseException) -> Callable[[], object]:
        """The write that records a failed send: failed for good, or pending again later."""
        reason = str(exc) or type(exc).__name__
        outbox_id = row["id"]
        if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
            return partial(queue.mark_failed, outbox_id,
                           f"The image of this reply is gone: {reason}")
        if isinstance(exc, BridgeError) and not exc.retry:
            return partial(queue.mark_failed, outbox_id, reason)
        if not self.bridge.state.can_send:
            # Lost the connection mid-send: wait for it, without spending a retry.
            return partial(queue.mark_retry, outbox_id, reason, utc_now(), count=False)
        tries = (row.get("retry_count") or 0) + 1
        if tries > MAX_RETRIES:
            return partial(queue.mark_failed, outbox_id,
                           f"Gave up after {MAX_RETRIES} tries: {reason}")
        delay = min(BACKOFF_MAX_S, self.backoff_first_s * 2 ** (tries - 1))
        return partial(queue.mark_retry, outbox_id, reason,
                       utc_now() + timedelta(seconds=delay))
