"""The bot's own health alarm: the administrators are told by e-mail when the WhatsApp session
is logged out (or banned), or disconnected longer than the setting alarms.session_down_min,
once, and once again when it is back.

Fed by the bot's state changes (BotRuntime.handle_state). What it decided is typed state in
the database (app/services/session_health.py), so a restart in between tells nobody twice.
The e-mails wait in the outbox as e-mails do and go out with the alarm engine's e-mail sender.
A disconnection is looked at again when its time is up (a timer on the loop) and at every
later state change; `check()` may be called at any time.

The administrators are the active users with the admin role and an e-mail address.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from app.core.i18n import tr
from app.core.messages import BridgeState, StateChange
from app.core.timefmt import utc_now
from app.services import session_health, settings, writable
from app.services.session_health import Mail

log = logging.getLogger(__name__)

# How each state counts: told at once, told after the setting's minutes, or no news (the app
# itself starting or stopping, a first pairing).
_AT_ONCE = {BridgeState.LOGGED_OUT: "logged_out", BridgeState.BANNED: "banned",
            BridgeState.OUTDATED: "logged_out"}
_AFTER_A_WHILE = {BridgeState.RECONNECTING, BridgeState.FAILED}
RETRY_S = 2.0  # a state change the database refused is tried again after this long
_KEPT = 50  # state changes kept while the database refuses them (the newest)


class HealthMonitor:
    def __init__(self, channel: str = "whatsapp",
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.channel = channel
        self.clock = clock
        self._timer: asyncio.TimerHandle | None = None
        self._unwritten: list[tuple[BridgeState, datetime]] = []  # refused by the database
        self._retry: asyncio.TimerHandle | None = None
        self._refused = False

    def on_state(self, change: StateChange) -> None:
        """A state change of the bridge; never raises (the bot goes on whatever happens).

        Written at once, waiting at most a few ms for another program's lock (this runs on
        the loop); a change the database refuses is kept, in order, with its time, and
        written when the database takes writes again, so a logout is never forgotten."""
        self._unwritten.append((change.state, self.clock()))
        del self._unwritten[:-_KEPT]
        self._write_unwritten()

    def _write_unwritten(self) -> None:
        self._retry = None
        while self._unwritten:
            state, at = self._unwritten[0]
            try:
                with writable.without_waiting():
                    self._on_state(state, at)
            except writable.NotWritable as exc:
                if not self._refused:
                    log.warning("The WhatsApp session's health waits to be recorded: %s", exc)
                self._refused = True
                self._retry_later()
                return
            except Exception:  # noqa: BLE001 - the health alarm must never stop the bot
                log.exception("The WhatsApp session's health could not be recorded")
            self._unwritten.pop(0)
        if self._refused:
            log.info("The WhatsApp session's health is recorded again")
        self._refused = False

    def _retry_later(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: the next change or check() writes it
        if self._retry is None:
            self._retry = loop.call_later(RETRY_S, self._write_unwritten)

    def _on_state(self, state: BridgeState, now: datetime) -> None:
        if state is BridgeState.CONNECTED:
            self._cancel_timer()
            before = session_health.get(self.channel)
            if before.told_down_at is not None:
                mails = self._mails("health_up_subject", "health_up_body", before, now)
                session_health.came_up(self.channel, now, mails)
                log.info("WhatsApp is back; the administrators are told by e-mail")
            else:
                session_health.came_up(self.channel, now, [])
            return
        if state is BridgeState.STOPPED:  # the app stops it: no news of the network
            self._cancel_timer()
            session_health.stopped(self.channel)
            return
        if state in _AT_ONCE:
            session_health.went_down(self.channel, _AT_ONCE[state], now)
            self._tell_if_down()
        elif state in _AFTER_A_WHILE:
            health = session_health.went_down(self.channel, "disconnected", now)
            if not self._tell_if_down():
                self._look_again(health, now)

    def limit_min(self) -> float:
        return float(settings.get("alarms", "session_down_min") or 10)

    def check(self) -> bool:
        """Tell the administrators now if the session is down long enough; True once told."""
        if self._unwritten:
            self._write_unwritten()
            if self._unwritten:
                return False  # the database still refuses: told once it is written
        try:
            with writable.without_waiting():
                return self._tell_if_down()
        except writable.NotWritable as exc:
            log.warning("The administrators are told once the database takes writes: %s", exc)
            self._check_later(RETRY_S)
            return False

    def _tell_if_down(self) -> bool:
        health = session_health.get(self.channel)
        if health.down_since is None:
            return False
        now = self.clock()
        waited = (now - health.down_since).total_seconds() / 60
        if health.down_state == "disconnected" and waited < self.limit_min():
            return False
        mails = self._mails("health_down_subject", "health_down_body", health, now)
        # Once: the service queues nothing when the administrators were told already.
        if session_health.told_down(self.channel, now, mails):
            log.warning("WhatsApp is %s; %d administrator(s) told by e-mail",
                        health.down_state, len(mails))
        return True

    def _mails(self, subject_key: str, body_key: str, health: session_health.Health,
               now: datetime) -> list[Mail]:
        style = settings.reply_style()
        state = tr(style.lang, f"health_{health.down_state or 'disconnected'}")

        def at(moment: datetime | None) -> str:
            return moment.astimezone(style.zone).strftime("%Y-%m-%d %H:%M") if moment else "?"

        subject = tr(style.lang, subject_key, state=state)
        body = tr(style.lang, body_key, state=state, time=at(now if "up" in subject_key
                                                              else health.down_since),
                  since=at(health.down_since))
        return [Mail(address, subject, body) for address in session_health.admin_addresses()]

    def _look_again(self, health: session_health.Health, now: datetime) -> None:
        """A timer for when a disconnection has lasted long enough (on the running loop)."""
        if health.down_since is None:
            return
        left = self.limit_min() * 60 - (now - health.down_since).total_seconds()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._cancel_timer()
        self._timer = loop.call_later(max(1.0, left + 1.0), self._checked)

    def _check_later(self, seconds: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._cancel_timer()
        self._timer = loop.call_later(seconds, self._checked)

    def _checked(self) -> None:
        self._timer = None
        try:
            self.check()
        except Exception:  # noqa: BLE001 - as on_state
            log.exception("The WhatsApp session's health could not be checked")

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def stop(self) -> None:
        self._cancel_timer()
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
