"""Spam policy per sender: floods mute, repeats are ignored, long texts refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.core import settings_spec
from app.core.i18n import tr
from app.core.timefmt import local_text

# Statuses of earlier messages that do not count as commands towards the flood limit: they were
# refused or ignored already, so counting them again would punish the same message twice and
# keep a sender muted by the messages they sent while muted.
NOT_COUNTED = frozenset({"repeat", "muted", "spam", "blocked", "too_long", "ignored"})
# A stranger approved right after the "not authorised" notice may send the same command again
# at once: a refusal for access does not make the next text a repeat (it still counts as a
# command towards a flood).
NOT_A_REPEAT_BASE = NOT_COUNTED | {"waiting", "unauthorized"}

STATUSES = ("ok", "spam", "blocked", "too_long", "repeat", "muted")


@dataclass(frozen=True)
class SpamSettings:
    max_commands: int = 5
    window_s: int = 60
    mute_minutes: int = 5
    repeat_window_s: int = 10
    max_length: int = 2000
    # Text of the polite notice; empty means the caller's own sentence in the reply language.
    notice_text: str = ""

    @property
    def history_s(self) -> int:
        """How far back the caller must read this sender's messages for `check`."""
        return max(self.window_s, self.repeat_window_s)

    @classmethod
    def from_settings(cls, values: Mapping[str, Any] | None) -> SpamSettings:
        """From the `spam` category ({key: value}) or from all settings ({"spam": {...}}).

        A value that does not parse falls back to its default, so a bad entry never turns
        spam protection off.
        """
        values = values or {}
        nested = values.get("spam")
        if isinstance(nested, Mapping):
            values = nested
        fields: dict[str, Any] = {}
        for key in ("max_commands", "window_s", "mute_minutes", "repeat_window_s", "max_length"):
            spec = settings_spec.find("spam", key)
            raw = values.get(key)
            if spec is None or raw is None:
                continue
            try:
                fields[key] = int(spec.parse(raw))
            except ValueError:
                continue
        notice = values.get("notice_text")
        if isinstance(notice, str) and notice.strip():
            fields["notice_text"] = notice.strip()
        return cls(**fields)


@dataclass(frozen=True)
class SpamVerdict:
    allowed: bool
    status: str  # one of STATUSES
    reason: str  # a sentence for the Messages tab; empty when allowed
    mute_until: datetime | None = None  # set when this message starts a mute: store it
    notify: bool = False  # send the one polite notice for this window or mute


OK = SpamVerdict(True, "ok", "")


def _second(moment: datetime) -> datetime:
    # Stored times have whole seconds; comparing at that resolution keeps a verdict the same
    # whether its inputs came from memory or from the database.
    return moment.replace(microsecond=0)


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def check(
    text: str,
    now: datetime,
    recent: Sequence[tuple[datetime, str, str]],
    muted_until: datetime | None,
    blocked: bool,
    settings: SpamSettings,
    notified_since: datetime | None,
) -> SpamVerdict:
    """The verdict on one message from one sender.

    `recent` holds this sender's earlier messages of the last `settings.history_s` seconds as
    (time, text, status), read from the database, so a restart changes nothing. `muted_until` is
    the stored end of the sender's mute, `notified_since` the time of the last spam notice sent
    to them. Order: blocked, muted, repeat, too long, flood.
    """
    now = _second(now)
    notified = _second(notified_since) if notified_since else None
    if blocked:
        return SpamVerdict(False, "blocked", "The sender is blocked, so the message was ignored.")

    if muted_until is not None and _second(muted_until) > now:
        until = _second(muted_until)
        started = until - timedelta(minutes=settings.mute_minutes)
        return SpamVerdict(
            False, "muted",
            f"The sender is muted until {local_text(until)} after sending too many commands.",
            # The notice normally went out with the mute; this covers a stop in between.
            notify=notified is None or notified < started,
        )

    history = [(_second(when), old_text, status or "") for when, old_text, status in recent]

    if settings.repeat_window_s > 0:
        key = _same_text(text)
        repeat_since = now - timedelta(seconds=settings.repeat_window_s)
        for when, old_text, status in history:
            # Only a text that was dealt with counts: a repeat of a refused one deserves a try.
            if status in NOT_A_REPEAT_BASE or not repeat_since <= when <= now:
                continue
            if _same_text(old_text or "") == key:
                ago = int((now - when).total_seconds())
                return SpamVerdict(
                    False, "repeat",
                    f"The same text arrived {ago} s earlier; repeats within "
                    f"{settings.repeat_window_s} s are ignored.",
                )

    window_start = now - timedelta(seconds=settings.window_s)
    if len(text) > settings.max_length:
        return SpamVerdict(
            False, "too_long",
            f"The message has {len(text):,} characters; the limit is "
            f"{settings.max_length:,}.",
            notify=notified is None or notified <= window_start,
        )

    # A mute that has been served wipes the slate: only commands after it count.
    since = window_start
    if muted_until is not None and _second(muted_until) > since:
        since = _second(muted_until)
    counted = sorted(when for when, _t, status in history
                     if since < when <= now and status not in NOT_COUNTED)
    if len(counted) + 1 > settings.max_commands:
        until = now + timedelta(minutes=settings.mute_minutes)
        # A notice sent during this burst already told them (a stop between sending it and
        # storing the mute); one sent before the burst was about something else.
        burst_start = counted[0] if counted else now
        return SpamVerdict(
            False, "spam",
            f"{len(counted) + 1} commands within {settings.window_s} s (the limit is "
            f"{settings.max_commands}): the sender is muted for {settings.mute_minutes} "
            f"minute{'s' if settings.mute_minutes != 1 else ''}.",
            mute_until=until,
            notify=notified is None or notified < burst_start,
        )
    return OK


def notice_text(verdict: SpamVerdict, lang: str, settings: SpamSettings | None = None) -> str:
    """The polite notice for a verdict with `notify`, in the reply language.

    A mute uses the site's own notice text when there is one (the old system's warning after a
    migration); a refused long text always says what the limit is.
    """
    settings = settings or SpamSettings()
    if verdict.status == "too_long":
        return tr(lang, "spam_too_long", limit=f"{settings.max_length:,}")
    if settings.notice_text:
        return settings.notice_text
    return tr(lang, "spam_muted", minutes=settings.mute_minutes)


def legacy_notice_text(old: Mapping[str, Any]) -> str | None:
    """The old `spam_detection.warningMessage`, to be used as the notice; None when absent."""
    text = old.get("warningMessage")
    if not isinstance(text, str) or not text.strip():
        return None
    return text.strip()


def _number(old: Mapping[str, Any], key: str, default: int) -> tuple[int | None, str]:
    raw = old.get(key)
    if raw is None or str(raw).strip() == "":
        return default, str(default)  # the old system's own default
    try:
        value = int(float(str(raw).strip()))
    except ValueError:
        return None, repr(str(raw))
    return value, str(value)


def legacy_settings_note(old: Mapping[str, Any], current: SpamSettings | None = None) -> str:
    """For Settings: what the old system's spam detection did, and why it is not applied.

    `old` is the old `spam_detection` category as stored ({key: text}); empty means there were no
    old settings and the note is empty.
    """
    if not old:
        return ""
    current = current or SpamSettings()
    _w, window = _number(old, "windowSeconds", 6)
    limit_value, limit = _number(old, "maxMessagesPerWindow", 1)
    _t, threshold = _number(old, "warningThreshold", 3)
    cooldown_value, cooldown = _number(old, "cooldownMinutes", 1)
    enabled = str(old.get("enabled", "true")).strip().lower() not in ("false", "0", "no", "off")
    messages = "message" if limit_value == 1 else "messages"
    parts = [
        f"The old system marked a message as spam when a sender sent more than {limit} "
        f"{messages} within {window} seconds, and sent its warning from message {threshold} on "
        f"(cooldown {cooldown} minute{'' if cooldown_value == 1 else 's'}; detection was "
        f"{'on' if enabled else 'off'}).",
        "It never muted or blocked anyone. Those thresholds are far stricter than this app's "
        f"({current.max_commands} commands in {current.window_s} seconds, then a "
        f"{current.mute_minutes}-minute mute) and would mute people who were used to asking "
        "freely, so they are not applied: choose the limits here.",
    ]
    notice = legacy_notice_text(old)
    if notice:
        parts.append(f"The old warning is kept as the notice text: \u201c{notice}\u201d")
    return " ".join(parts)
