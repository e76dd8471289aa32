"""Deciding what an incoming message asks for: built-in, AI, group or trigger."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

BUILTINS = ("help", "bantuan", "menu", "halo")
LIST_WORDS = ("help", "bantuan", "menu")  # list what the sender may use
GREETING_WORDS = ("halo",)  # greet, then list

KINDS = ("builtin", "alarm", "ai", "group", "trigger", "unknown", "ignore")

_WHITESPACE = re.compile(r"\s+")
# Invisible characters phones and WhatsApp Web slip into text (zero-width spaces, word joiners,
# direction marks, the byte-order mark); they are not \s, yet a person cannot see or avoid them.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\u202a-\u202e\ufeff]")
# WhatsApp writes a mention as "@" and the phone number; a plus sign appears in pasted numbers.
_MENTION = re.compile(r"@\+?\d+")
# Words split on whitespace; "quoted words" stay together (curly quotes: phones autocorrect).
_WORD = re.compile(r'"([^"]*)"|“([^”]*)”|„([^“”]*)[“”]|(\S+)')
_COMMAND_MARKS = ("!", "/")


def _clean(text: str) -> str:
    return _INVISIBLE.sub("", text or "")


def _strip_mark(text: str) -> str:
    """Text without one leading `!` or `/`."""
    return text[1:] if text[:1] in _COMMAND_MARKS else text


def normalise(text: str) -> str:
    """The old system's comparison form: lower-case, no whitespace at all, no leading ! or /."""
    return _strip_mark(_WHITESPACE.sub("", _clean(text)).lower())


def split_words(text: str) -> list[str]:
    """Whitespace-separated words, keeping "quoted words" together without their quotes."""
    return [next(g for g in m.groups() if g is not None) for m in _WORD.finditer(text)]


def _starts_with_prefix(text: str, prefix: str) -> bool:
    """Letters compared case-insensitively, one character at a time so lengths never shift."""
    if not prefix or len(text) < len(prefix):
        return False
    if not all(a.lower() == b.lower() for a, b in zip(text, prefix, strict=False)):
        return False
    # A prefix ending in a letter or digit ("ai") must end a word, or it would swallow every
    # trigger that begins with the same letters ("airflow"). Old prefixes end in "=" anyway.
    if prefix[-1].isalnum() and len(text) > len(prefix) and text[len(prefix)].isalnum():
        return False
    return True


@dataclass(frozen=True)
class Catalog:
    """What can be asked for right now: names as stored, active or enabled ones only."""

    triggers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    ai_prefixes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Callers often hold lists; a frozen catalog should not share a list someone may change.
        object.__setattr__(self, "triggers", tuple(self.triggers))
        object.__setattr__(self, "groups", tuple(self.groups))
        object.__setattr__(self, "ai_prefixes", tuple(p for p in self.ai_prefixes if p))

    @cached_property
    def _group_index(self) -> dict[str, str]:
        return _index(self.groups)

    @cached_property
    def _trigger_index(self) -> dict[str, str]:
        return _index(self.triggers)

    @cached_property
    def _prefixes_longest_first(self) -> tuple[str, ...]:
        return tuple(sorted(self.ai_prefixes, key=len, reverse=True))

    def find(self, key: str) -> tuple[str, str] | None:
        """("group" | "trigger", stored name) for a normalised name; groups win
        (docs/old-system.md §8)."""
        if key in self._group_index:
            return "group", self._group_index[key]
        if key in self._trigger_index:
            return "trigger", self._trigger_index[key]
        return None

    def ai_prefix(self, text: str) -> str | None:
        """The longest enabled prefix `text` starts with."""
        for prefix in self._prefixes_longest_first:
            if _starts_with_prefix(text, prefix):
                return prefix
        return None

    def starts_with_name(self, text: str) -> bool:
        key = normalise(text)
        return any(key.startswith(name) for name in (*self._group_index, *self._trigger_index))


def _index(names: tuple[str, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name in names:
        key = normalise(name)
        if key:
            index.setdefault(key, name)  # two names alike once normalised: the first one wins
    return index


@dataclass(frozen=True)
class Route:
    """The decision: `kind` and `name` say what to run, `args`/`question` what to give it."""

    kind: str  # one of KINDS
    name: str = ""  # builtin word, AI prefix, or group/trigger name as stored
    args: tuple[str, ...] = ()
    question: str = ""  # the text after an AI prefix, trimmed
    text: str = ""  # the message without mentions, trimmed
    reason: str = ""  # for "ignore" and "unknown": why, for the Messages tab
    matched_by: str = ""  # "name" (whole message), "first_word" or "words"; for the log

    @property
    def is_greeting(self) -> bool:
        return self.kind == "builtin" and self.name in GREETING_WORDS


def route(text: str, catalog: Catalog, *, group_chat: bool = False,
          mentioned: bool = False) -> Route:
    """Route one message: built-ins, then AI prefix, then group/trigger."""
    cleaned = _clean(text)
    if group_chat:
        cleaned = _MENTION.sub(" ", cleaned)
    cleaned = cleaned.strip()
    if not cleaned:
        return Route("ignore", text=cleaned, reason="empty")

    if group_chat and not mentioned and not _addressed(cleaned, catalog):
        return Route("ignore", text=cleaned, reason="not addressed to the bot")

    found = _route(cleaned, catalog)
    if found.kind == "unknown" and group_chat:
        # In a group, people talk among themselves: an unknown word gets silence, not a hint.
        return Route("ignore", text=cleaned, reason="unknown command in a group chat")
    return found


def _addressed(text: str, catalog: Catalog) -> bool:
    """A group message is for the bot when it starts with ! or /, an AI prefix or a name."""
    return (text[:1] in _COMMAND_MARKS or catalog.ai_prefix(text) is not None
            or catalog.starts_with_name(text))


def _builtin(word: str, catalog: Catalog) -> str | None:
    """The built-in word meant, if any; "Halo!" and "halo," greet too."""
    word = word.rstrip("!?.,")
    if word not in BUILTINS or (word == "menu" and catalog.find(word) is not None):
        return None
    return word


def _route(text: str, catalog: Catalog) -> Route:
    key = normalise(text)
    bare = _strip_mark(text).lstrip()
    words = split_words(bare)
    first = normalise(words[0]) if words else ""
    args = tuple(words[1:])

    # a. Built-ins by the whole message. The old bot passed `menu` through to the triggers, so
    # an old trigger named "menu" keeps answering (docs/old-system.md §8); the other words were
    # always ours.
    word = _builtin(key, catalog)
    if word:
        return Route("builtin", word, text=text)

    # b. AI prefix, on the text as sent; then after a ! or / so "!ai: why" also asks the AI.
    for candidate in (text, bare):
        prefix = catalog.ai_prefix(candidate)
        if prefix is not None:
            return Route("ai", prefix, question=candidate[len(prefix):].strip(), text=text)

    # c. The whole message equals a name ("Data Alarms" = "data alarms" = "dataalarms").
    hit = catalog.find(key)
    if hit:
        return Route(hit[0], hit[1], text=text, matched_by="name")

    # A built-in word followed by more words ("help demo", "halo semua"); after (c) so that an
    # old name beginning with such a word ("Help Desk") stays reachable.
    word = _builtin(first, catalog)
    if word:
        return Route("builtin", word, args, text=text)

    # d. The first word is a name; the other words are the arguments.
    hit = catalog.find(first) if first else None
    if hit:
        return Route(hit[0], hit[1], args, text=text, matched_by="first_word")

    # A name of several words followed by arguments ("Tekanan Drum B2"): the first-word rule
    # alone would leave such old names unreachable with arguments. Longest leading run first.
    for count in range(len(words) - 1, 1, -1):
        hit = catalog.find(normalise("".join(words[:count])))
        if hit:
            return Route(hit[0], hit[1], tuple(words[count:]), text=text, matched_by="words")

    return Route("unknown", text=text, reason="no command with that name")

