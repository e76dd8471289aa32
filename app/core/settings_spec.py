"""The settings this app knows: category, key, type, default, bounds and a label for people."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.proxy import proxy_problem


@dataclass(frozen=True)
class SettingSpec:
    category: str
    key: str
    kind: type  # int, float, bool or str
    default: Any
    label: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    check: Callable[[str], str | None] | None = None  # text: a sentence saying what is wrong

    @property
    def path(self) -> str:
        return f"{self.category}.{self.key}"

    def parse(self, raw: Any) -> Any:
        """A typed value from what was stored or typed; ValueError with a sentence if invalid."""
        if self.kind is bool:
            if isinstance(raw, bool):
                value: Any = raw
            elif str(raw).strip().lower() in ("true", "1", "yes", "on"):
                value = True
            elif str(raw).strip().lower() in ("false", "0", "no", "off"):
                value = False
            else:
                raise ValueError(f"{self.label} must be true or false, not {raw!r}.")
        elif self.kind in (int, float):
            if isinstance(raw, bool):
                raise ValueError(f"{self.label} must be a number, not {raw!r}.")
            try:
                value = self.kind(str(raw).strip()) if not isinstance(raw, (int, float)) else raw
                if self.kind is int and float(value) != int(value):
                    raise ValueError
                value = self.kind(value)
            except (TypeError, ValueError):
                raise ValueError(f"{self.label} must be a whole number, not {raw!r}."
                                 if self.kind is int else
                                 f"{self.label} must be a number, not {raw!r}.") from None
            if self.minimum is not None and value < self.minimum or (
                self.maximum is not None and value > self.maximum
            ):
                raise ValueError(
                    f"{self.label} must be between {_num(self.minimum)} and {_num(self.maximum)}."
                )
        else:
            value = "" if raw is None else str(raw)
            if self.choices and value not in self.choices:
                raise ValueError(f"{self.label} must be one of {', '.join(self.choices)}.")
            problem = self.check(value) if self.check is not None else None
            if problem is not None:
                raise ValueError(problem)
        return value

    def to_text(self, value: Any) -> str:
        if self.kind is bool:
            return "true" if value else "false"
        return str(value)


def _language_code(text: str) -> str | None:
    """A language code of the windows (id, en, or one a translator added, e.g. ms or pt_BR)."""
    if re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", text):
        return None
    return f"The language of the windows must be a language code such as id or en, not {text!r}."


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("general", "language", str, "en", "Reply language", choices=("id", "en")),
    # Until chosen, the windows speak the reply language (services.settings.window_language).
    SettingSpec("general", "ui_language", str, "en", "Language of this window",
                check=_language_code),
    SettingSpec("general", "time_zone", str, "",
                "Time zone for times in replies (e.g. Asia/Jakarta; empty = this computer's)"),
    SettingSpec("whatsapp", "proxy", str, "",
                "WhatsApp: proxy (http://host:port or socks5://host:port; empty = this "
                "computer's proxy; direct = none; used from the next Start)",
                check=proxy_problem),
    SettingSpec("whatsapp", "offline_question_minutes", int, 30,
                "A question that waited longer than this while the bot was offline gets "
                "“send it again” instead of data (min)", 1, 1440),
    SettingSpec("security", "idle_lock_minutes", int, 15,
                "Lock the window after this many idle minutes (0 = never)", 0, 480),
    SettingSpec("ai", "memory_turns", int, 4,
                "AI: earlier questions and answers remembered per sender", 0, 20),
    SettingSpec("ai", "max_tool_rounds", int, 4, "AI: rounds of data look-ups per question",
                0, 10),
    SettingSpec("outbox", "min_gap_s", float, 2.0, "Minimum gap between sends (s)", 0, 60),
    SettingSpec("outbox", "jitter_s", float, 1.5, "Random extra gap (s)", 0, 60),
    SettingSpec("outbox", "per_chat_per_minute", int, 6, "Messages per chat per minute", 1, 60),
    SettingSpec("outbox", "per_minute", int, 20, "Messages per minute overall", 1, 600),
    SettingSpec("spam", "max_commands", int, 5, "Commands allowed per window", 1, 100),
    SettingSpec("spam", "window_s", int, 60, "Spam window (s)", 5, 3600),
    SettingSpec("spam", "mute_minutes", int, 5, "Mute time after too many commands (min)", 1, 1440),
    SettingSpec("spam", "repeat_window_s", int, 10, "Ignore the same text repeated within (s)",
                0, 600),
    SettingSpec("spam", "max_length", int, 2000, "Longest accepted message (characters)",
                100, 65536),
    SettingSpec("spam", "notice_text", str, "",
                "Notice sent when a sender is muted (empty = the built-in sentence)"),
    SettingSpec("alarms", "offline_after_s", int, 300,
                "Alarms: a gap longer than this counts as the bot being offline (s)", 60, 86400),
    SettingSpec("alarms", "email_connection", str, "",
                "Alarms: the e-mail connection alarm e-mails go through (empty = the only "
                "one there is)"),
    SettingSpec("alarms", "session_down_min", int, 10,
                "Alarms: tell the administrators by e-mail when WhatsApp is disconnected "
                "longer than this (min; a logout is told at once)", 1, 1440),
    SettingSpec("schedules", "holidays", str, "",
                "Schedules: holidays to skip (dates as YYYY-MM-DD, separated by commas)"),
    SettingSpec("schedules", "grace_minutes", int, 30,
                "Schedules: a run missed by more than this (computer off or asleep) is "
                "skipped (min)", 1, 1440),
)

BY_PATH: dict[str, SettingSpec] = {spec.path: spec for spec in SETTINGS}


def find(category: str, key: str) -> SettingSpec | None:
    return BY_PATH.get(f"{category}.{key}")
