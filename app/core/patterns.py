"""Variable patterns that cannot stall the bot: a check when they are saved, a safe match.

Python's `re` backtracks: `(a+)+b` against 26 letters `a` takes seconds, twice as long with
each letter more, and it runs on the event loop. Two guards:

- `pattern_problem` refuses, when a pattern is saved, the shapes that backtrack without end: a
  repeat inside a repeat (`(a+)+`), a repeated alternation (`(a|ab)*`) and backreferences
  (`(\\w)\\1`), with a sentence for the engineer.
- `full_match` decides a whole-value match without backtracking: the pattern, parsed by the
  standard library's own parser, is run as a set of states stepped once per character, so a
  value of n characters costs at most n times the size of the pattern, whatever the pattern;
  values longer than `MAX_MATCHED_CHARS` do not match. Lookarounds and the like, which the
  states cannot follow, are left to `re` on values of at most `MAX_CHECKED_CHARS` characters.

Standard library only (core); `re._parser` is the parser `re` itself uses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from re import _constants as c
from re import _parser as sre
from typing import Any

__all__ = ["MAX_CHECKED_CHARS", "MAX_MATCHED_CHARS", "full_match", "pattern_problem"]

# A value is a word of a message: a tag, a unit, a date. Longer ones do not match, so a match
# costs at most MAX_MATCHED_CHARS steps of at most _MAX_STATES states (a few milliseconds).
MAX_MATCHED_CHARS = 200
MAX_CHECKED_CHARS = 100  # longest value `re` itself is given, for patterns the states cannot run
_MAX_STATES = 300  # a counted repeat such as {1,999} grows the states; past this, use `re`
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)


def pattern_problem(pattern: str) -> str | None:
    """A sentence when `pattern` could keep the bot busy for seconds; None when it is fine."""
    try:
        parsed = sre.parse(pattern)
    except re.error:
        return None  # the caller reports it as not a valid regular expression
    found = _risky(list(parsed), inside_repeat=False)
    if found == "backreference":
        return ("uses a backreference (\\1 or (?P=name)), which can take the bot minutes on a "
                "long message: write the value out instead.")
    if found == "nested":
        return ("repeats something that is itself repeated, such as (a+)+, which can take the "
                "bot minutes on a long message: repeat it once, as in a+.")
    if found == "alternation":
        return ("repeats a choice of several characters, such as (a|ab)*, which can take the "
                "bot minutes on a long message: use a character class such as [ab]* or list "
                "the whole values, as in (B1|B2).")
    return None


def _risky(items: list[tuple[Any, Any]], *, inside_repeat: bool) -> str | None:
    for op, av in items:
        if op in (c.GROUPREF, c.GROUPREF_EXISTS):
            return "backreference"
        if op in _REPEATS:
            low, high, body = av
            # (\d{2}:)+ is fine: only a part of varying length inside a repeat backtracks.
            if inside_repeat and (high is c.MAXREPEAT or high != low):
                return "nested"
            repeats = high is c.MAXREPEAT or high > 1
            found = _risky(list(body), inside_repeat=inside_repeat or repeats)
            if found:
                return found
        elif op is c.BRANCH:
            if inside_repeat and len(av[1]) > 1:
                return "alternation"
            for branch in av[1]:
                found = _risky(list(branch), inside_repeat=inside_repeat)
                if found:
                    return found
        elif op is c.SUBPATTERN:
            found = _risky(list(av[3]), inside_repeat=inside_repeat)
            if found:
                return found
        elif op in (c.ASSERT, c.ASSERT_NOT, c.ATOMIC_GROUP):
            body = av[1] if op is not c.ATOMIC_GROUP else av
            found = _risky(list(body), inside_repeat=inside_repeat)
            if found:
                return found
    return None


def full_match(pattern: str, value: str) -> bool:
    """Whether the whole of `value` matches `pattern` (re.fullmatch), in bounded time."""
    if len(value) > MAX_MATCHED_CHARS:
        return False
    machine = _machine(pattern)
    if machine is None:
        return len(value) <= MAX_CHECKED_CHARS and re.fullmatch(pattern, value) is not None
    return machine.run(value)


# -- the states ---------------------------------------------------------------------------------


class _Unsupported(Exception):
    pass


# A state: ("char", test, next), ("split", [next, …]), ("at", test, next) or ("match",).
_State = tuple


class _Machine:
    def __init__(self, states: list[_State], start: int) -> None:
        self.states = states
        self.start = start

    def _close(self, wanted: list[int], value: str, pos: int) -> set[int]:
        """The states reachable from `wanted` without reading a character."""
        seen: set[int] = set()
        stack = list(wanted)
        while stack:
            index = stack.pop()
            if index in seen:
                continue
            seen.add(index)
            state = self.states[index]
            if state[0] == "split":
                stack.extend(state[1])
            elif state[0] == "at" and state[1](value, pos):
                stack.append(state[2])
        return seen

    def run(self, value: str) -> bool:
        current = self._close([self.start], value, 0)
        for pos, char in enumerate(value):
            following = [s[2] for s in (self.states[i] for i in current)
                         if s[0] == "char" and s[1](char)]
            if not following:
                return False
            current = self._close(following, value, pos + 1)
        return any(self.states[i][0] == "match" for i in current)


@functools.lru_cache(maxsize=256)
def _machine(pattern: str) -> _Machine | None:
    try:
        parsed = sre.parse(pattern)
        states: list[_State] = [("match",)]
        start = _Builder(states).sequence(list(parsed), parsed.state.flags, 0)
    except (re.error, _Unsupported, RecursionError):
        return None
    return _Machine(states, start)


class _Builder:
    """Builds the states back to front: each part is given the state that follows it."""

    def __init__(self, states: list[_State]) -> None:
        self.states = states

    def add(self, state: _State) -> int:
        if len(self.states) >= _MAX_STATES:
            raise _Unsupported
        self.states.append(state)
        return len(self.states) - 1

    def sequence(self, items: list[tuple[Any, Any]], flags: int, after: int) -> int:
        for op, av in reversed(items):
            after = self.one(op, av, flags, after)
        return after

    def one(self, op: Any, av: Any, flags: int, after: int) -> int:
        if op is c.LITERAL:
            return self.add(("char", _literal(av, flags), after))
        if op is c.NOT_LITERAL:
            same = _literal(av, flags)
            return self.add(("char", lambda ch: not same(ch), after))
        if op is c.ANY:
            dotall = bool(flags & c.SRE_FLAG_DOTALL)
            return self.add(("char", (lambda ch: True) if dotall else (lambda ch: ch != "\n"),
                             after))
        if op is c.IN:
            return self.add(("char", _char_set(av, flags), after))
        if op is c.AT:
            return self.add(("at", _position(av, flags), after))
        if op is c.SUBPATTERN:
            _, add_flags, del_flags, body = av
            return self.sequence(list(body), (flags | add_flags) & ~del_flags, after)
        if op is c.BRANCH:
            starts = [self.sequence(list(branch), flags, after) for branch in av[1]]
            return self.add(("split", starts))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            return self.repeat(av, flags, after)
        raise _Unsupported  # backreferences, lookarounds, atomic and possessive parts

    def repeat(self, av: Any, flags: int, after: int) -> int:
        low, high, body = av
        items = list(body)
        if high is c.MAXREPEAT:
            loop = self.add(("split", []))
            inner = self.sequence(items, flags, loop)
            self.states[loop] = ("split", [inner, after])
            start = loop
        else:
            start = after  # each optional copy may be skipped, and with it those after it
            for _ in range(high - low):
                inner = self.sequence(items, flags, start)
                start = self.add(("split", [inner, after]))
        for _ in range(low):
            start = self.sequence(items, flags, start)
        return start


def _literal(code: int, flags: int) -> Callable[[str], bool]:
    char = chr(code)
    if flags & c.SRE_FLAG_IGNORECASE:
        folded = {char, char.lower(), char.upper()}
        return lambda ch: ch in folded or ch.lower() in folded
    return lambda ch: ch == char


_CATEGORIES: dict[Any, Callable[[str, bool], bool]] = {
    c.CATEGORY_DIGIT: lambda ch, ascii_: ch.isdecimal() and (not ascii_ or ch.isascii()),
    c.CATEGORY_NOT_DIGIT: lambda ch, ascii_: not (ch.isdecimal()
                                                  and (not ascii_ or ch.isascii())),
    c.CATEGORY_SPACE: lambda ch, ascii_: _space(ch, ascii_),
    c.CATEGORY_NOT_SPACE: lambda ch, ascii_: not _space(ch, ascii_),
    c.CATEGORY_WORD: lambda ch, ascii_: _word(ch, ascii_),
    c.CATEGORY_NOT_WORD: lambda ch, ascii_: not _word(ch, ascii_),
}


def _space(ch: str, ascii_: bool) -> bool:
    return ch in " \t\n\r\f\v" if ascii_ else re.match(r"\s", ch) is not None


def _word(ch: str, ascii_: bool) -> bool:
    if ascii_:
        return ch.isascii() and (ch.isalnum() or ch == "_")
    return re.match(r"\w", ch) is not None


def _char_set(items: list[tuple[Any, Any]], flags: int) -> Callable[[str], bool]:
    ascii_ = bool(flags & c.SRE_FLAG_ASCII)
    ignore = bool(flags & c.SRE_FLAG_IGNORECASE)
    negate = False
    tests: list[Callable[[str], bool]] = []
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            tests.append(functools.partial(str.__eq__, chr(av)))
        elif op is c.RANGE:
            tests.append(lambda ch, low=av[0], high=av[1]: low <= ord(ch) <= high)
        elif op is c.CATEGORY and av in _CATEGORIES:
            tests.append(lambda ch, test=_CATEGORIES[av]: test(ch, ascii_))
        else:
            raise _Unsupported

    def inside(ch: str) -> bool:
        candidates = {ch, ch.lower(), ch.upper()} if ignore else (ch,)
        found = any(test(x) for x in candidates for test in tests)
        return found != negate

    return inside


def _position(at: Any, flags: int) -> Callable[[str, int], bool]:
    multiline = bool(flags & c.SRE_FLAG_MULTILINE)
    ascii_ = bool(flags & c.SRE_FLAG_ASCII)

    def word_at(value: str, pos: int) -> bool:
        return 0 <= pos < len(value) and _word(value[pos], ascii_)

    if at is c.AT_BEGINNING:
        return (lambda v, p: p == 0 or v[p - 1] == "\n") if multiline else (lambda v, p: p == 0)
    if at is c.AT_BEGINNING_STRING:
        return lambda v, p: p == 0
    if at is c.AT_END:
        if multiline:
            return lambda v, p: p == len(v) or v[p] == "\n"
        return lambda v, p: p == len(v) or (p == len(v) - 1 and v[p] == "\n")
    if at is c.AT_END_STRING:
        return lambda v, p: p == len(v)
    if at is c.AT_BOUNDARY:
        return lambda v, p: word_at(v, p - 1) != word_at(v, p)
    if at is c.AT_NON_BOUNDARY:
        return lambda v, p: bool(v) and word_at(v, p - 1) == word_at(v, p)
    raise _Unsupported
