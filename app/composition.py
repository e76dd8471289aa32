"""The composition root: the one place that builds the bot from its parts, for the desktop app,
`serve` and `simulate` alike (docs/architecture.md, "Layers" and "One message's path").

One process has one source pool (`Parts.pool`): the bots, the alarms and schedules, and the
tabs of the app all read through it, so a PI source's cached WebIds and an open SQL connection
serve everybody, and an edit of a data source is seen once. The pool belongs to `Parts` and
closes with it; a bot stopping leaves it open for the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.bridge.base import Bridge
from app.bridge.loopback import LoopbackBridge, Phone
from app.db.database import OpenResult, close_database
from app.runtime.ai_chat import AiResponder
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import settings

if TYPE_CHECKING:
    from app.runtime.alarms.engine import AlarmEngine
    from app.runtime.bot import BotRuntime
    from app.runtime.outbox import Throttle
    from app.ui.bot_host import BotHost

# The bot, its outbox and the alarms are imported when a bot or an alarm engine is built:
# `simulate` as the operator needs only the pipeline (tests/integration/test_startup_imports.py).

SESSION_FILE = "whatsapp-session.db"  # the WhatsApp login, in the data folder


def simulator_throttle() -> Throttle:
    """Nobody's number is at risk in the Simulator: replies go out as soon as they are queued."""
    from app.runtime.outbox import Throttle

    return Throttle(min_gap_s=0.0, jitter_s=0.0, per_chat_per_minute=10**6, per_minute=10**6)


def whatsapp_bridge(session_path: Path, proxy: str | None = None) -> Bridge:
    # Imported only when the bot starts: neonize loads an 18 MB Go library.
    from app.bridge.neonize_bridge import NeonizeBridge

    # `serve --proxy` goes before the setting; both empty: the system's proxy.
    return NeonizeBridge(session_path, proxy=proxy or settings.get("whatsapp", "proxy"))


def build_pipeline(pool: SourcePool) -> Pipeline:
    runner = TriggerRunner(pool)
    return Pipeline(runner, AiResponder(pool, runner))


def build_bot(bridge: Bridge, pool: SourcePool, media_dir: Path, *,
              throttle: Callable[[], Throttle] | None = None,
              channel: str = "whatsapp", alarms: AlarmEngine | bool | None = None,
              pipeline: Pipeline | None = None) -> BotRuntime:
    """A bot on `bridge`. `alarms=True` runs alarms and schedules inside it (`serve`); an
    engine owned elsewhere (the desktop app's) is only told when WhatsApp reconnects.
    `throttle` makes the outbox's pace; by default the one in Settings."""
    from app.runtime.alarms.engine import AlarmEngine
    from app.runtime.alarms.ticker import AlarmScheduler
    from app.runtime.bot import BotRuntime
    from app.runtime.health import HealthMonitor
    from app.runtime.outbox import Outbox, Throttle
    from app.runtime.receipts import ReceiptRecorder

    if throttle is None:
        throttle = Throttle.from_settings
    outbox = Outbox(bridge, throttle, channel=channel)
    # Delivered and read, as the recipients' phones report them, onto this channel's rows.
    bridge.on_receipt = ReceiptRecorder(channel).on_receipt
    engine: AlarmEngine | None = None
    scheduler: AlarmScheduler | None = None
    if alarms is True:
        engine = AlarmEngine(pool, channel=channel, connected=lambda: bridge.state.can_send,
                             media_dir=media_dir, on_queued=outbox.wake)
        scheduler = AlarmScheduler(engine)
    elif isinstance(alarms, AlarmEngine):
        engine = alarms
    runtime = BotRuntime(bridge, pipeline or build_pipeline(pool), outbox, media_dir,
                         channel=channel, alarm_engine=engine, scheduler=scheduler)
    if channel == "whatsapp":  # the real number's health: administrators told by e-mail
        runtime.health = HealthMonitor(channel)
    return runtime


@dataclass
class Parts:
    """What one process builds its bots from: its data folder and its one source pool."""

    data_dir: Path
    pool: SourcePool = field(default_factory=SourcePool)
    # The real WhatsApp bridge for a session file; tests give a loopback instead.
    bridge_factory: Callable[[Path], Bridge] = whatsapp_bridge

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    def whatsapp_bridge(self) -> Bridge:
        return self.bridge_factory(self.data_dir / SESSION_FILE)

    @staticmethod
    def loopback_bridge(phone: Phone | str = Phone.READ) -> LoopbackBridge:
        """The Simulator's WhatsApp. `phone`: what every simulated recipient's phone reports
        (read, delivered, never); the Simulator's phones read what they get."""
        return LoopbackBridge(phone=phone)

    def pipeline(self) -> Pipeline:
        return build_pipeline(self.pool)

    def whatsapp_bot(self, bridge: Bridge | None = None,
                     alarms: AlarmEngine | bool | None = None) -> BotRuntime:
        return build_bot(bridge if bridge is not None else self.whatsapp_bridge(), self.pool,
                         self.media_dir, channel="whatsapp", alarms=alarms)

    def simulator_bot(self, bridge: Bridge) -> BotRuntime:
        """The Simulator's bot: its own outbox channel, so it never sends WhatsApp's rows."""
        return build_bot(bridge, self.pool, self.media_dir, channel="simulator",
                         throttle=simulator_throttle)

    def alarm_engine(self, *, connected: Callable[[], bool],
                     on_queued: Callable[[], None] | None = None,
                     on_message: Callable[[Any], Any] | None = None) -> AlarmEngine:
        """The alarms and schedules of WhatsApp's channel."""
        from app.runtime.alarms.engine import AlarmEngine

        return AlarmEngine(self.pool, channel="whatsapp", connected=connected,
                           media_dir=self.media_dir, on_queued=on_queued,
                           on_message=on_message)

    def close(self) -> None:
        self.pool.close()


def bot_host(data_dir: Path, pool: SourcePool | None = None,
             bridge_factory: Callable[[Path], Bridge] = whatsapp_bridge) -> BotHost:
    """The desktop app's two bots (the real one and the Simulator's)."""
    # Qt loads only for the desktop app: `serve` and `simulate` never reach this import.
    from app.ui.bot_host import BotHost

    parts = Parts(Path(data_dir), pool if pool is not None else SourcePool(), bridge_factory)
    return BotHost(parts)


@dataclass
class Desktop:
    """What the desktop app runs on: the opened database and the parts of its bots."""

    opened: OpenResult
    parts: Parts
    bot: BotHost

    @property
    def pool(self) -> SourcePool:
        return self.parts.pool

    def close(self) -> None:
        self.parts.close()
        close_database(self.opened.db)


def desktop(opened: OpenResult, data_dir: Path) -> Desktop:
    """The app's bots over one pool, on an opened database."""
    host = bot_host(data_dir)
    return Desktop(opened, host.parts, host)
