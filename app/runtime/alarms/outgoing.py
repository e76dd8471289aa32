"""What the alarm engine, the offline summary and the schedules share: a queued message, the
reply language and zone, and the alarm lines a message carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from app.services import settings
from app.services.outbox import AlarmLine

SUMMARY_HINT = " — "  # what precedes the reply hint of an alarm line ("— reply *ack 12*")


@dataclass
class Queued:
    to: str
    text: str
    kind: str  # alarm, schedule
    outbox_id: int
    image_png: bytes | None = None
    channel: str = "whatsapp"  # how it goes out: whatsapp (or the Simulator's, simulator)


@dataclass
class Entry:
    """One alarm's words in a message, and the typed lines they stand for."""

    text: str
    lines: list[AlarmLine] = field(default_factory=list)


def zone() -> tzinfo:
    return settings.reply_style().zone


def lang() -> str:
    return settings.reply_style().lang


def clock_text(moment: datetime | None, where: tzinfo) -> str:
    return moment.astimezone(where).strftime("%H:%M") if moment else "?"


def entry(text: str, number: int, what: str) -> Entry:
    """The message words of alarm `number` (raised, escalated or cleared) and the line a
    later offline summary repeats: each line of them naming #number, without the reply hint
    (it comes once, at the end of a summary)."""
    mark = f"#{number}"
    said = [line.split(SUMMARY_HINT)[0] for line in text.split("\n") if mark in line]
    return Entry(text, [AlarmLine(number, what, "\n".join(said or [text.split("\n")[0]]))])
