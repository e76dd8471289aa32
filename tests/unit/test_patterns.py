"""Variable patterns cannot stall the bot (app.core.patterns, used by app.core.variables).

What an engineer notices: a pattern shaped to backtrack without end is refused when it is saved,
with a sentence saying why and what to write instead; a pattern stored before that check still
answers at once, because matching never backtracks; every other pattern matches exactly as
Python's `re.fullmatch` does.
"""

from __future__ import annotations

import random
import re

import pytest

from app.core import patterns
from app.core.patterns import MAX_MATCHED_CHARS, full_match, pattern_problem
from app.core.variables import PatternError, VariableError, VariableSpec, bind, parse_specs

# Patterns as engineers write them, and corner cases of the parts the safe matcher follows.
SUPPORTED = [
    r"B1|B2|Condensate", r"(B1|B2|Condensate)", r"\d{4}-\d{2}-\d{2}", r"[A-Z]{2}\d+",
    r"t-\d+[hdm]", r"(?i)drum\.?press", r"[^a-c]*x?", r"a{2,4}b*", r"\w+", r"\s*\S+\s*",
    r"^ab$", r"(?m)^a$", r"\bab\b", r"a\B", r".*", r"(?s).*", r"[\d.]+", r"(?:ab|a)c", r"x*?y",
    r"", r"a|", r"(?a)\w+", r"[a-z0-9_]{1,3}", r"(\d{2}:)+\d{2}", r"(?i)[b-d]+", r"\D\W?",
    # shapes refused when saved, but perhaps stored before: matched the same, without the wait
    r"(a+)+b", r"(a|ab)*c", r"(a?){5}a{5}", r"(\w+\s?)+",
]
ALPHABET = "abcdxy019-_.: \nBCDé"


@pytest.mark.parametrize("pattern", SUPPORTED)
def test_the_safe_match_agrees_with_re(pattern):
    assert patterns._machine(pattern) is not None, "followed by the states, not left to re"
    draw = random.Random(pattern)
    for _ in range(2000):
        value = "".join(draw.choice(ALPHABET) for _ in range(draw.randint(0, 8)))
        assert full_match(pattern, value) == (re.fullmatch(pattern, value) is not None), value


@pytest.mark.parametrize(("pattern", "says"), [
    (r"(a+)+b", "repeats something that is itself repeated, such as (a+)+"),
    (r"(\w+\s?)+", "repeats something that is itself repeated"),
    (r"(a?){20}", "repeats something that is itself repeated"),
    (r"(a|ab)*c", "repeats a choice of several characters"),
    (r"(\w)\1", "uses a backreference"),
    (r"(?P<u>B\d)-(?P=u)", "uses a backreference"),
])
def test_a_pattern_that_could_stall_the_bot_is_refused_when_saved(pattern, says):
    with pytest.raises(ValueError) as caught:  # what the trigger form and config import catch
        parse_specs([{"name": "unit", "pattern": pattern}])
    message = str(caught.value)
    assert message.startswith("The pattern of unit ") and says in message
    assert message.endswith(".")
    # A stored trigger read back at run time answers the sender with the same sentence.
    assert isinstance(caught.value, VariableError) and isinstance(caught.value, PatternError)


@pytest.mark.parametrize("pattern", [r"(\d{2}:)+\d{2}", r"B1|B2", r"(?=B)\w+", r"t-\d+[hd]",
                                     r"(B1|B2)-(\d+)"])
def test_ordinary_patterns_are_accepted(pattern):
    assert pattern_problem(pattern) is None
    assert parse_specs([{"name": "unit", "pattern": pattern}])[0].pattern == pattern


def test_an_old_stored_pattern_answers_at_once_instead_of_stalling():
    # (a+)+b took 8.9 s against 26 letters with re, doubling with each one more: 60 would
    # take days. Stored before the check, it is still matched, without backtracking.
    old = [VariableSpec("unit", r"(a+)+b")]
    with pytest.raises(VariableError) as caught:
        bind(old, ["a" * 60])
    assert "unit" in str(caught.value)
    assert bind(old, ["aaab"]) == {"unit": "aaab"}


def test_patterns_the_states_cannot_follow_still_match_on_short_values():
    assert patterns._machine(r"(?=B)\w+") is None
    assert full_match(r"(?=B)\w+", "B12") and not full_match(r"(?=B)\w+", "C12")
    assert not full_match(r"(?=B)\w+", "B" * (patterns.MAX_CHECKED_CHARS + 1))


def test_a_value_longer_than_any_word_does_not_match():
    assert full_match(r".*", "x" * MAX_MATCHED_CHARS)
    assert not full_match(r".*", "x" * (MAX_MATCHED_CHARS + 1))
