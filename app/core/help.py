"""The `help` reply: what a sender may ask, bounded to a few WhatsApp messages however many
triggers there are, and `help WORD` to search them by name and description."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.core.i18n import tr
from app.core.message_split import MESSAGE_LIMIT, split_message

MAX_MESSAGES = 2  # one `help` is at most this many WhatsApp messages
MAX_DESCRIPTION = 100  # characters of a description shown in the list
MAX_PREFIXES = 10  # AI prefixes listed; there are seldom more than two or three


@dataclass(frozen=True)
class HelpEntry:
    """One line of the list: what to send (`shown`, e.g. "lab <point>") and what it answers."""

    name: str
    shown: str
    description: str = ""

    def line(self) -> str:
        text = self.description
        if len(text) > MAX_DESCRIPTION:
            text = text[:MAX_DESCRIPTION - 1].rstrip() + "…"
        return f"• *{self.shown}*" + (f" — {text}" if text else "")

    def matches(self, words: Sequence[str]) -> bool:
        """Every word of the search is part of the name or the description."""
        haystack = f"{self.name} {self.shown} {self.description}".casefold()
        return all(word.casefold() in haystack for word in words)


@dataclass(frozen=True)
class HelpCatalog:
    """What this sender may use, most useful first within each list."""

    groups: Sequence[HelpEntry] = ()
    triggers: Sequence[HelpEntry] = ()
    prefixes: Sequence[HelpEntry] = ()  # `shown` is the prefix, e.g. "ai:"
    alarms: bool = False  # whether the alarm commands are worth listing


def help_message(lang: str, catalog: HelpCatalog, *, greeting: bool = False,
                 search: Sequence[str] = (), limit: int = MESSAGE_LIMIT,
                 max_messages: int = MAX_MESSAGES) -> str:
    """The help text, short enough to go out as at most `max_messages` WhatsApp messages:
    groups and triggers that do not fit are counted ("…and 9,950 more") with a hint to search.
    With `search`, only the groups, triggers and AI prefixes whose name or description holds
    every word are listed."""
    words = [w for w in search if w.strip()]
    groups, triggers, prefixes = catalog.groups, catalog.triggers, catalog.prefixes
    if words:
        groups = [e for e in groups if e.matches(words)]
        triggers = [e for e in triggers if e.matches(words)]
        prefixes = [e for e in prefixes if e.matches(words)]
    entries = [("groups", e) for e in groups] + [("triggers", e) for e in triggers]
    shown = len(entries)
    text = _compose(lang, catalog, greeting, words, entries, shown, prefixes)
    # Cut by length first (a line is at most about 130 characters), then check the real split.
    budget = max_messages * (limit - 20) - 300
    if len(text) > budget:
        used = len(text) - sum(len(e.line()) + 1 for _kind, e in entries)
        shown = 0
        for _kind, entry in entries:
            if used + len(entry.line()) + 1 > budget:
                break
            used += len(entry.line()) + 1
            shown += 1
        text = _compose(lang, catalog, greeting, words, entries, shown, prefixes)
    while shown and len(split_message(text, lang, limit)) > max_messages:
        shown = shown * 4 // 5
        text = _compose(lang, catalog, greeting, words, entries, shown, prefixes)
    return text


def _compose(lang: str, catalog: HelpCatalog, greeting: bool, words: Sequence[str],
             entries: list[tuple[str, HelpEntry]], shown: int,
             prefixes: Sequence[HelpEntry]) -> str:
    lines: list[str] = []
    if greeting:
        lines.append(tr(lang, "greeting"))
    if words:
        lines.append(f"*{tr(lang, 'help_search_title', word=' '.join(words))}*")
    else:
        lines += [f"*{tr(lang, 'help_title')}*", tr(lang, "help_intro")]
    listed = entries[:shown]
    groups = [e for kind, e in listed if kind == "groups"]
    triggers = [e for kind, e in listed if kind == "triggers"]
    if groups:
        lines += ["", f"*{tr(lang, 'help_groups_heading')}*"]
        lines += [e.line() for e in groups]
    if triggers:
        lines += ["", f"*{tr(lang, 'help_triggers_heading')}*"]
        lines += [e.line() for e in triggers]
    hidden = len(entries) - shown
    if hidden:
        lines += ["", tr(lang, "help_more_search" if words else "help_more", count=hidden)]
    if prefixes:
        lines += ["", f"*{tr(lang, 'help_ai_heading')}*"]
        lines += [f"• {e.shown} …" for e in prefixes[:MAX_PREFIXES]]
    if catalog.alarms and not words:
        lines += ["", tr(lang, "help_alarms")]
    if not entries and not prefixes:
        lines += ["", tr(lang, "help_search_none" if words else "help_empty",
                         word=" ".join(words))]
    return "\n".join(lines)
