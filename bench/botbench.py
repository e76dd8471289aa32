"""What the whole-bot benches share: a fresh data folder with approved senders, the real bot
built by app.composition on a loopback bridge, and stamps for the moments a user waits on.

`reply_queued_at` is noted when the bot wakes its outbox, which it does right after the
transaction that stores the message's decision and its reply rows commits: that is "the reply
in the outbox". `sent_at` is noted when the loopback takes a reply, as WhatsApp would.
"""

from __future__ import annotations

import os
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("WA_INTEGRATION_SECRETS", "file")

from app.bridge.loopback import LoopbackBridge  # noqa: E402
from app.composition import build_bot  # noqa: E402
from app.db.database import OpenResult, background_checkpoints, open_database  # noqa: E402
from app.runtime.bot import BotRuntime  # noqa: E402
from app.runtime.outbox import Throttle  # noqa: E402
from app.runtime.source_pool import SourcePool  # noqa: E402
from app.services import contacts, secrets, settings  # noqa: E402
from app.services.context import SYSTEM  # noqa: E402

# The loosest spam rules the settings allow: repeats never refused, 100 commands per 5 s.
SPAM_OFF = {"spam": {"repeat_window_s": 0, "max_commands": 100, "window_s": 5}}


def no_throttle() -> Throttle:
    return Throttle(0, 0, 10**6, 10**6)


def phone(n: int) -> str:
    return f"+62811{n:07d}"


class StampedLoopback(LoopbackBridge):
    """The loopback bridge, noting when each reply is handed over (perf_counter)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent_at: list[float] = []

    async def send_text(self, to: str, text: str, quoted_id: str | None = None) -> str:
        message_id = await super().send_text(to, text, quoted_id)
        self.sent_at.append(time.perf_counter())
        return message_id


def open_data(folder: Path, senders: int, spam_off: bool = True) -> OpenResult:
    """A fresh (or existing) database in `folder` with `senders` approved contacts."""
    secrets.configure(folder)
    opened = open_database(folder / "app.db")
    background_checkpoints(opened.db)  # as the desktop app and `serve` run it
    for n in range(senders):  # as `config import` adds them: past the strangers' hourly share
        contacts.save_from_file(SYSTEM, phone=phone(n), name=f"Operator {n}",
                                jid=f"{phone(n)[1:]}@s.whatsapp.net", allowed=True, tags=None)
    if spam_off:
        settings.update(SYSTEM, SPAM_OFF)
    return opened


def bot(folder: Path, pool: SourcePool | None = None) -> tuple[StampedLoopback, BotRuntime]:
    """The whole bot as `serve` builds it (alarms aside), replies sent without pauses, with
    `runtime.reply_queued_at` stamped each time a message's replies are committed."""
    bridge = StampedLoopback()
    runtime = build_bot(bridge, pool or SourcePool(), folder / "media", throttle=no_throttle)
    stamps: list[float] = []
    wake = runtime.outbox.wake

    def stamped_wake() -> None:
        stamps.append(time.perf_counter())
        wake()

    runtime.outbox.wake = stamped_wake  # type: ignore[method-assign]
    runtime.reply_queued_at = stamps  # type: ignore[attr-defined]
    return bridge, runtime


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def spread(values: list[float], fmt: str = "{:.0f}") -> str:
    """median (min–max, n runs)"""
    return (f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–"
            f"{fmt.format(max(values))}, {len(values)} runs)")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


_FIRES_TRIGGERS = ("INSERT", "UPDATE", "DELETE", "REPLACE")
_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


class SqlCounter:
    """Every statement the app runs on its connections (sqlite3's trace callback), kept while
    `counting` is on, by kind (first word) and by the tables it names.

    SQLite's trace also reports each trigger program a statement runs (the full-text index of
    the message log): once as a "-- ..." line for the trigger's own statement, and once more
    as the statement that fired it. Those are counted apart, in `triggered`, not as the app's
    statements."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.triggered = 0
        self.counting = False

    def _trace(self, sql: str) -> None:
        if not self.counting:
            return
        if sql.startswith("--") or (self.statements and sql == self.statements[-1]
                                    and sql.split(None, 1)[0].upper() in _FIRES_TRIGGERS):
            self.triggered += 1
            return
        self.statements.append(sql)

    def attach(self, db) -> None:
        """Trace the connection open now and every one the database opens later (threads)."""
        db.connection().set_trace_callback(self._trace)
        connect = db._connect

        def traced_connect(*args, **kwargs) -> sqlite3.Connection:
            conn = connect(*args, **kwargs)
            conn.set_trace_callback(self._trace)
            return conn

        db._connect = traced_connect

    @contextmanager
    def count(self) -> Iterator[list[str]]:
        self.statements = []
        self.triggered = 0
        self.counting = True
        try:
            yield self.statements
        finally:
            self.counting = False

    @staticmethod
    def kinds(statements: list[str]) -> Counter:
        return Counter(s.split(None, 1)[0].upper() for s in statements if s.strip())

    @staticmethod
    def tables(statements: list[str]) -> Counter:
        found: Counter = Counter()
        for s in statements:
            kind = s.split(None, 1)[0].upper() if s.strip() else ""
            for table in dict.fromkeys(_TABLE.findall(s)):
                found[f"{kind} {table}"] += 1
        return found


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000
