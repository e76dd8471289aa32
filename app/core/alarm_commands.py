"""The replies people send about alarms: `ack 12`, `ack` (quoting the alarm), `shelve 12 2h
reason`, `alarms`. Indonesian words work too (`tunda`, `alarm`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from app.core.alarms import parse_duration

ACK_WORDS = ("ack", "acknowledge")
SHELVE_WORDS = ("shelve", "tunda")
LIST_WORDS = ("alarms", "alarm")
WORDS = ACK_WORDS + SHELVE_WORDS + LIST_WORDS
_MENTION = re.compile(r"@\+?\d+")
_NUMBER = re.compile(r"^#?(\d{1,9})[.,;:!]*$")  # longer is no alarm number
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\u202a-\u202e\ufeff]")


@dataclass(frozen=True)
class AlarmCommand:
    verb: str  # ack, shelve, list
    number: int | None = None
    duration: timedelta | None = None
    reason: str = ""
    usage_error: bool = False  # the words after the verb could not be read


def parse(text: str) -> AlarmCommand | None:
    """The alarm command a message is, or None when it is about something else."""
    cleaned = _MENTION.sub(" ", _INVISIBLE.sub("", text or "")).strip()
    if cleaned[:1] in ("!", "/"):
        cleaned = cleaned[1:]
    words = cleaned.split()
    if not words:
        return None
    verb = words[0].lower().rstrip(".:,")
    rest = words[1:]
    if verb in LIST_WORDS:
        return AlarmCommand("list") if not rest else None
    if verb not in ACK_WORDS + SHELVE_WORDS:
        return None
    number = None
    if rest:
        found = _NUMBER.match(rest[0])
        if found:
            number = int(found.group(1))
            rest = rest[1:]
        elif verb in ACK_WORDS:
            return None  # "ack everything is fine": a sentence, not a command
    if verb in ACK_WORDS:
        return AlarmCommand("ack", number, reason=" ".join(rest))
    if not rest:
        return AlarmCommand("shelve", number, usage_error=True)
    duration = parse_duration(rest[0])
    used = 1
    if len(rest) > 1 and rest[0].replace(".", "", 1).isdigit():
        # "2 jam", "30 min": the unit written as a word of its own.
        joined = parse_duration(rest[0] + rest[1].lower().rstrip(".,"))
        if joined is not None:
            duration, used = joined, 2
    if duration is None:
        return AlarmCommand("shelve", number, usage_error=True)
    return AlarmCommand("shelve", number, duration, " ".join(rest[used:]))


def addressed_in_group(text: str, command: AlarmCommand, mentioned: bool,
                       quotes_alarm: bool) -> bool:
    """Whether a command-like message in a group chat is meant for the bot: marked with ! or
    /, mentioning it, naming an alarm's number, or replying to an alarm message. "Alarm!" or
    "ack" among people is talk, not a command."""
    cleaned = _MENTION.sub(" ", _INVISIBLE.sub("", text or "")).strip()
    if mentioned or cleaned[:1] in ("!", "/"):
        return True
    if command.verb in ("ack", "shelve") and command.number is not None:
        return True
    return command.verb in ("ack", "shelve") and quotes_alarm
