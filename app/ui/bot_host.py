"""The app's two bots: the real one on WhatsApp (started from the Dashboard) and the Simulator's."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.core.messages import BridgeState, Incoming, StateChange
from app.core.timefmt import parse_ts
from app.errors import UserError
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.alarms.ticker import AlarmScheduler
from app.runtime.bot import BotRuntime
from app.runtime.source_pool import SourcePool
from app.services import events, wa_status

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0
_NEEDS_A_PERSON = (BridgeState.LOGGED_OUT, BridgeState.BANNED, BridgeState.OUTDATED)


def loopback_jid(who: str) -> str:
    """The JID the loopback bridge gives a number as people type it ("+62 812-3456")."""
    if "@" in who:
        return who
    return "".join(ch for ch in who if ch.isdigit()) + "@s.whatsapp.net"


class BotParts(Protocol):
    """What the composition root (app.composition.Parts) gives the app's bots: the one source
    pool of the process, and how to build a bridge, a bot and the alarm engine."""

    pool: SourcePool
    data_dir: Path

    @property
    def media_dir(self) -> Path: ...

    def whatsapp_bridge(self) -> Any: ...

    def loopback_bridge(self) -> Any: ...

    def whatsapp_bot(self, bridge: Any = None, alarms: AlarmEngine | None = None
                     ) -> BotRuntime: ...

    def simulator_bot(self, bridge: Any) -> BotRuntime: ...

    def alarm_engine(self, *, connected: Callable[[], bool],
                     on_queued: Callable[[], None] | None = None,
                     on_message: Callable[[Any], Any] | None = None) -> AlarmEngine: ...


class BotHost(QObject):
    """Owns both BotRuntimes; each has its own outbox channel, so neither sends the other's rows.

    The real bot runs only between Start and Stop on the Dashboard. The Simulator's bot runs
    over the loopback bridge for as long as the app does, with a zero-gap throttle.
    """

    state_changed = Signal(dict)  # wa_status.get()
    qr_changed = Signal(str)  # QR payload text; "" when no QR is to be shown
    simulator_reply = Signal(object)  # loopback SentItem
    running_changed = Signal(bool)  # the real bot started or stopped
    alarm_message = Signal(object)  # an alarm or schedule message queued for WhatsApp (Queued)

    def __init__(self, parts: BotParts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.parts = parts
        self.data_dir = Path(parts.data_dir)
        self.media_dir = parts.media_dir
        self.real: BotRuntime | None = None
        self.simulator: BotRuntime | None = None
        self.loopback: Any = None  # the Simulator's loopback bridge
        self._pump: asyncio.Task | None = None
        self._busy = False  # a start, stop or logout of the real bot is under way
        self._last_qr: str | None = None
        self._closed = False
        self._unsubscribe = events.subscribe("whatsapp_status", self._on_status_event)
        # Alarms and schedules run for as long as the app is open, whether or not WhatsApp is
        # connected: what they queue meanwhile is summarised when it connects.
        self.alarm_engine: AlarmEngine | None = None
        self.alarm_scheduler: AlarmScheduler | None = None

    # -- the real bot -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.real is not None

    @property
    def busy(self) -> bool:
        return self._busy

    def status(self) -> dict[str, Any]:
        return wa_status.get()

    def forget_stale_state(self) -> None:
        """At app start the real bot is not running: a "connected" or a QR code recorded by the
        last run (which may have crashed) is no longer true. What needs a person stays."""
        state = wa_status.get()["state"]
        if self.real is None and state not in _NEEDS_A_PERSON and state != BridgeState.STOPPED:
            wa_status.apply(StateChange(BridgeState.STOPPED, "The bot is not running."))

    async def start(self) -> None:
        """Connect the bot to WhatsApp; a QR code or a pairing code follows if not yet paired."""
        if self.real is not None or self._busy or self._closed:
            return
        self._busy = True
        try:
            runtime = self.parts.whatsapp_bot(alarms=self.alarm_engine)
            self.real = runtime
            self.running_changed.emit(True)
            try:
                await runtime.start()
            except BaseException:
                self.real = None
                await self._quietly_stop(runtime)
                self.running_changed.emit(False)
                raise
        finally:
            self._busy = False

    async def stop(self) -> None:
        """Staged: stop taking messages, finish the send under way, close the bridge."""
        runtime = self.real
        if runtime is None or self._busy:
            return
        self._busy = True
        before = wa_status.get()
        try:
            await runtime.stop(STOP_TIMEOUT_S)
        finally:
            self.real = None
            self._busy = False
            self._after_stop(before)
            self.running_changed.emit(False)

    @staticmethod
    def _after_stop(before: dict[str, Any]) -> None:
        # A stopped bridge says "stopped", but a logout, a ban or an outdated client still needs
        # the engineer's attention after the bot stops: keep saying it.
        if before["state"] in _NEEDS_A_PERSON:
            wa_status.apply(StateChange(BridgeState(before["state"]), before["detail"],
                                        until=parse_ts(before["banned_until"])))
        elif wa_status.get()["state"] != BridgeState.STOPPED:
            wa_status.apply(StateChange(BridgeState.STOPPED))

    async def logout(self) -> None:
        """Unlink this workstation from the bot phone; the next Start pairs again."""
        runtime = self.real
        if runtime is None or self._busy:
            raise UserError(self.tr("Start the bot first: WhatsApp must be connected to hear "
                                    "about the logout. Or remove this computer on the bot phone "
                                    "under Linked devices."))
        self._busy = True
        try:
            await runtime.bridge.logout()
        except UserError as exc:  # a BridgeError: the phone could not be told
            raise UserError(str(exc)) from exc
        finally:
            self._busy = False
        await self.stop()

    async def request_pairing_code(self, phone: str) -> str:
        """The eight-character code to type on the bot phone instead of scanning the QR."""
        if self.real is None:
            await self.start()
        if self.real is None:
            raise UserError(self.tr("The bot did not start; the log file says why."))
        try:
            return await self.real.bridge.request_pairing_code(phone)
        except UserError as exc:  # a BridgeError
            raise UserError(str(exc)) from exc

    # -- alarms and schedules -------------------------------------------------------------------
    def _whatsapp_connected(self) -> bool:
        return self.real is not None and self.real.bridge.state.can_send

    def _wake_real_outbox(self) -> None:
        if self.real is not None:
            self.real.outbox.wake()

    def _engine(self) -> AlarmEngine:
        if self.alarm_engine is None:
            self.alarm_engine = self.parts.alarm_engine(connected=self._whatsapp_connected,
                                                        on_queued=self._wake_real_outbox,
                                                        on_message=self.alarm_message.emit)
        return self.alarm_engine

    def start_alarms(self) -> None:
        """Evaluate alarms and run schedules from now until the app closes."""
        if self.alarm_scheduler is not None or self._closed:
            return
        self.alarm_scheduler = AlarmScheduler(self._engine())
        self.alarm_scheduler.start()

    async def check_alarms(self) -> int:
        """Check every alarm now, as the app does by itself every few seconds; returns how
        many messages it queued. They go to their recipients on WhatsApp (waiting while it is
        not connected) and are announced by `alarm_message`, so the Simulator shows them."""
        if self._closed:
            raise UserError(self.tr("The app is closing."))
        report = await self._engine().run_cycle(force=True)
        if report.errors and not report.evaluated:
            raise UserError(self.tr("No alarm could read its data: {reasons}").format(
                reasons=" ".join(report.errors)))
        return len(report.queued)

    # -- the Simulator's bot ------------------------------------------------------------------
    async def start_simulator(self) -> None:
        if self.simulator is not None or self._closed:
            return
        bridge = self.parts.loopback_bridge()
        runtime = self.parts.simulator_bot(bridge)
        # The Simulator's connection is not WhatsApp's: keep it out of whatsapp_status, which
        # the Dashboard shows. Only the outbox needs to hear that the loopback is connected.
        bridge.on_state = self._on_simulator_state
        bridge.on_qr = None
        self.loopback, self.simulator = bridge, runtime
        await runtime.start()
        self._pump = asyncio.ensure_future(self._pump_replies(bridge))

    async def _on_simulator_state(self, change: StateChange) -> None:
        if change.state is BridgeState.CONNECTED and self.simulator is not None:
            self.simulator.outbox.wake()

    async def _pump_replies(self, bridge: Any) -> None:
        while True:
            item = await bridge.outgoing.get()  # a loopback SentItem
            self.simulator_reply.emit(item)

    async def simulate(self, text: str, sender: str, name: str = "", is_group: bool = False,
                       as_operator: bool = False) -> None:
        """One message into the Simulator's bot; the replies arrive as `simulator_reply`."""
        if self.simulator is None or self.loopback is None:
            raise UserError(self.tr("The Simulator is not running; the log file says why."))
        if not as_operator:
            # Every access and spam rule applies, exactly as for a message from WhatsApp.
            try:
                await self.loopback.inject(text, sender=sender, name=name, is_group=is_group)
            except UserError as exc:  # a BridgeError: a sender that is no phone number
                raise UserError(str(exc)) from exc
            return
        # The operator is always allowed: straight into the pipeline, past the access and
        # spam rules, as `simulate` without --sender does. The replies still go through the
        # outbox, to the chat the Simulator shows.
        chat = self.loopback.default_group if is_group else loopback_jid(sender)
        outcome = await self.simulator.pipeline.process(Incoming(
            text, sender=None, push_name=name or "Operator", chat=chat, is_group=is_group,
            via="simulator"))
        for reply in outcome.replies:
            self.simulator.queue_reply(reply.to, reply.text, image=reply.image_png)

    # -- life -----------------------------------------------------------------------------------
    def _on_status_event(self, _payload: dict) -> None:
        status = wa_status.get()
        self.state_changed.emit(status)
        qr = status["qr_data"] or ""
        if qr != (self._last_qr or ""):
            self._last_qr = qr
            self.qr_changed.emit(qr)

    async def shutdown(self) -> None:
        """Staged: the real bot first (it may be sending to a person), then the Simulator's."""
        self._closed = True
        self._unsubscribe()
        scheduler, self.alarm_scheduler = self.alarm_scheduler, None
        if scheduler is not None:
            await scheduler.stop()
        if self.real is not None:
            self._busy = False
            try:
                await self.stop()
            except Exception:  # noqa: BLE001 - shutting down goes on whatever a bridge does
                log.exception("Stopping the WhatsApp bot failed")
        if self._pump is not None:
            self._pump.cancel()
            await asyncio.wait([self._pump], timeout=1.0)
        simulator, self.simulator = self.simulator, None
        if simulator is not None:
            await self._quietly_stop(simulator)

    @staticmethod
    async def _quietly_stop(runtime: BotRuntime) -> None:
        try:
            await runtime.stop(STOP_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - shutting down goes on whatever a bridge does
            log.exception("Stopping a bot failed")
