"""The outbox worker: sends queued replies one at a time, throttled, retried, never lost."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from app.bridge.base import Bridge, BridgeError
from app.core.timefmt import utc_now
from app.services import outbox as queue
from app.services import settings

log = logging.getLogger(__name__)

MAX_RETRIES = 5
BACKOFF_FIRST_S = 5.0
BACKOFF_MAX_S = 600.0
SEND_TIMEOUT_S = 60.0
INTERRUPTED = ("Interrupted while sending (the app stopped). It was not sent again, so nobody "
               "gets it twice; press Retry in Messages if it did not arrive.")


@dataclass
class Throttle:
    """The sending pace (Settings → Outbox), read from settings on every send."""

    min_gap_s: float = 2.0
    jitter_s: float = 1.5
    per_chat_per_minute: int = 6
    per_minute: int = 20

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
                 backoff_first_s: float = BACKOFF_FIRST_S) -> None:
        self.bridge = bridge
        self.channel = channel
        self.backoff_first_s = backoff_first_s
        self._throttle = throttle
        self._clock = clock
        self._rng = rng
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task | None = None
        self._last_send = -1e9
        self._recent: deque[tuple[float, str]] = deque()  # (when, chat) of the last minute
        self.sending_id: int | None = None

    # -- life -------------------------------------------------------------------------------
    def recover(self) -> int:
        """At start: rows caught mid-send by a crash are marked failed; pending ones resume."""
        stuck = queue.interrupted_in_flight(self.channel)
        for row in stuck:
            queue.mark_failed(row["id"], INTERRUPTED)
        if stuck:
            log.warning("%d message(s) were being sent when the app stopped", len(stuck))
        return len(stuck)

    def start(self) -> asyncio.Task:
        self._task = asyncio.ensure_future(self.run())
        return self._task

    def wake(self) -> None:
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
                await self._sleep_until_woken(1.0)

    async def drain(self, timeout: float = 30.0) -> None:
        """Send everything due now (for simulate and tests); returns when nothing is left."""
        deadline = self._clock() + timeout
        while queue.pending_count(self.channel) and self._clock() < deadline:
            if not await self._step():
                await asyncio.sleep(0.01)

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
            self._recent.popleft()
        common = [self._last_send + pace.min_gap_s - now]
        if len(self._recent) >= pace.per_minute:
            common.append(self._recent[0][0] + 60 - now)
        per_chat: dict[str, list[float]] = {}
        for when, chat in self._recent:
            per_chat.setdefault(chat, []).append(when)

        def wait(chat: str) -> float:
            times = per_chat.get(chat, ())
            extra = [times[0] + 60 - now] if len(times) >= pace.per_chat_per_minute else []
            return max(0.0, *common, *extra)

        return wait

    async def _step(self) -> bool:
        """Send at most one due row; False when there was nothing that could go now."""
        if not self.bridge.state.can_send:
            return False  # a ban, a logout or a reconnect pauses; rows wait, retries untouched
        pace = self._throttle()
        due = queue.next_due(utc_now(), limit=20, channel=self.channel)
        if not due:
            return False
        wait_for = self._waits(pace)
        waits = [(wait_for(r["recipient"]), i, r) for i, r in enumerate(due)]
        wait, _, row = min(waits, key=lambda w: (w[0], w[1]))
        if wait > 0:
            await self._sleep_until_woken(wait)
            return False
        if pace.jitter_s > 0:
            await asyncio.sleep(self._rng() * pace.jitter_s)
        await self._send(row)
        return True

    async def _send(self, row: dict) -> None:
        if not queue.mark_in_flight(row["id"], utc_now()):
            return  # cancelled (or taken) while it waited for its turn: it must not go out
        self.sending_id = row["id"]
        try:
            if row.get("media_path"):
                png = Path(row["media_path"]).read_bytes()
                coro = self.bridge.send_image(row["recipient"], png, row["message"])
            else:
                coro = self.bridge.send_text(row["recipient"], row["message"])
            whatsapp_id = await asyncio.wait_for(coro, SEND_TIMEOUT_S)
        except (BridgeError, TimeoutError, OSError) as exc:
            self._failed(row, exc)
        else:
            queue.mark_sent(row["id"], whatsapp_id, utc_now())
            now = self._clock()
            self._last_send = now
            self._recent.append((now, row["recipient"]))
        finally:
            self.sending_id = None

    def _failed(self, row: dict, exc: BaseException) -> None:
        reason = str(exc) or type(exc).__name__
        if isinstance(exc, OSError) and not isinstance(exc, TimeoutError):
            queue.mark_failed(row["id"], f"The image of this reply is gone: {reason}")
            return
        if isinstance(exc, BridgeError) and not exc.retry:
            queue.mark_failed(row["id"], reason)
            return
        if not self.bridge.state.can_send:
            # Lost the connection mid-send: wait for it, without spending a retry.
            queue.mark_retry(row["id"], reason, utc_now(), count=False)
            return
        tries = (row.get("retry_count") or 0) + 1
        if tries > MAX_RETRIES:
            queue.mark_failed(row["id"], f"Gave up after {MAX_RETRIES} tries: {reason}")
            return
        delay = min(BACKOFF_MAX_S, self.backoff_first_s * 2 ** (tries - 1))
        queue.mark_retry(row["id"], reason, utc_now() + timedelta(seconds=delay))
