"""Trigger variables: their specs, and binding the words of a message to them.

Patterns are matched by app.core.patterns, in bounded time on the event loop; a pattern shaped
to backtrack without end (`(a+)+`, backreferences) is refused when the specs are read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.i18n import tr
from app.core.patterns import full_match, pattern_problem
from app.errors import UserError

# Names become bind parameters (`:unit`), so they must be identifiers every driver accepts.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SHOWN_VALUE = 40  # a value quoted back in an error is cut to this many characters


@dataclass(frozen=True)
class VariableSpec:
    name: str
    pattern: str | None = None  # the whole value must match (re.fullmatch)
    default: str | None = None
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is None


class VariableError(UserError):
    """A message's arguments do not fit the trigger's variables; the message says what to send."""


class PatternError(VariableError, ValueError):
    """A variable's pattern could stall the bot: refused when saved, and when an old one is read."""


def parse_specs(raw: Any) -> list[VariableSpec]:
    """Specs from stored JSON, a list of dicts, or a list of plain names (old presets: ["tag"]).

    ValueError with a sentence for anything that is not a valid list of variables.
    """
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValueError(f"The variables are not valid JSON ({exc.msg}).") from None
    if not isinstance(raw, list):
        raise ValueError("The variables must be a list of names or of "
                         '{"name", "pattern", "default", "description"} entries.')
    specs: list[VariableSpec] = []
    for position, item in enumerate(raw, 1):
        spec = _one_spec(item, position)
        if any(s.name == spec.name for s in specs):
            raise ValueError(f"The variable {spec.name} is listed twice.")
        specs.append(spec)
    return specs


def _one_spec(item: Any, position: int) -> VariableSpec:
    if isinstance(item, str):
        item = {"name": item}
    if not isinstance(item, Mapping):
        raise ValueError(f"Variable {position} must be a name or an entry with a name, "
                         f"not {item!r}.")
    name = str(item.get("name") or "").strip()
    if not name:
        raise ValueError(f"Variable {position} has no name.")
    if not _NAME.match(name):
        raise ValueError(f"The variable name {name!r} may only hold letters, digits and _, "
                         "and must not start with a digit.")
    pattern = _text_or_none(item.get("pattern"))
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"The pattern of {name} is not a valid regular expression "
                             f"({exc.msg} at position {exc.pos}).") from None
        problem = pattern_problem(pattern)
        if problem is not None:
            raise PatternError(f"The pattern of {name} {problem}")
    default = _text_or_none(item.get("default"))
    if default is not None and pattern is not None and not full_match(pattern, default):
        raise ValueError(f"The default of {name} ({default!r}) does not match its own pattern "
                         f"{pattern}.")
    description = str(item.get("description") or "").strip()
    return VariableSpec(name, pattern, default, description)


def _text_or_none(value: Any) -> str | None:
    # An empty pattern or default in a form means "none", not "must be empty".
    if value is None:
        return None
    # JSON numbers and booleans become the text a person would type: 5, 2.5, true.
    text = json.dumps(value) if isinstance(value, bool) else str(value)
    return text if text != "" else None


_PLAIN_WORD = re.compile(r"^[\w.\- ]+$")


def _choices(pattern: str | None) -> list[str]:
    """The words of a simple alternation such as `B1|B2|Condensate`, for people to read."""
    if not pattern:
        return []
    body = pattern[1:-1] if pattern.startswith("(") and pattern.endswith(")") else pattern
    words = body.split("|")
    return words if len(words) > 1 and all(_PLAIN_WORD.match(w) for w in words) else []


def expected(spec: VariableSpec, lang: str) -> str:
    """What a person should send for `spec`: its description, else its pattern; plus an example."""
    choices = _choices(spec.pattern)
    listed = tr(lang, "expected_one_of", choices=", ".join(choices[:-1]),
                last=choices[-1]) if choices else ""
    if spec.description:
        # A written description beats a regular expression; a short list of words helps too.
        what = f"{spec.description} ({listed})" if listed else spec.description
    elif listed:
        what = listed
    elif spec.pattern is not None:
        what = tr(lang, "expected_pattern", pattern=spec.pattern)
    else:
        what = tr(lang, "expected_any")
    if spec.default is not None:
        what += f" ({tr(lang, 'variable_expected_default', example=spec.default)})"
    return what


def bind(specs: Sequence[VariableSpec], args: Sequence[str],
         fixed: Mapping[str, Any] | None = None, lang: str = "en",
         trigger_name: str = "") -> dict[str, str]:
    """Values by name for a query's bind parameters; VariableError with a sentence otherwise.

    Fixed values (a preset trigger's `values`) take their variables out of the message: the
    message's words bind, in order, to the variables left. A missing word takes the default.
    Every value, fixed ones included, must fully match its pattern. Fixed values for names the
    specs do not declare are passed on as they are (an old preset may use {tag} without
    declaring it). Values are only ever strings: they reach a database as bound parameters.
    """
    fixed = {str(k): ("" if v is None else str(v)) for k, v in (fixed or {}).items()}
    free = [s for s in specs if s.name not in fixed]
    if len(args) > len(free):
        raise VariableError(_too_many(trigger_name, len(free), lang)
                            + _usage_hint(trigger_name, specs, fixed, lang))

    given = dict(zip((s.name for s in free), args, strict=False))
    values: dict[str, str] = {}
    for spec in specs:
        value = fixed.get(spec.name, given.get(spec.name))
        if value is None or value == "":
            if spec.default is None:
                raise VariableError(
                    tr(lang, "variable_missing", name=spec.name, expected=expected(spec, lang))
                    + _usage_hint(trigger_name, specs, fixed, lang))
            value = spec.default
        if spec.pattern is not None and not full_match(spec.pattern, value):
            shown = value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE - 1] + "…"
            raise VariableError(
                tr(lang, "variable_invalid", value=shown, name=spec.name,
                   expected=expected(spec, lang))
                + _usage_hint(trigger_name, specs, fixed, lang))
        values[spec.name] = value
    for name, value in fixed.items():
        values.setdefault(name, value)
    return values


def _too_many(trigger_name: str, count: int, lang: str) -> str:
    name = trigger_name or tr(lang, "this_command")
    if count == 0:
        return tr(lang, "too_many_args_none", name=name)
    if count == 1:
        return tr(lang, "too_many_args_one", name=name)
    return tr(lang, "too_many_args", name=name, count=count)


def _usage_hint(trigger_name: str, specs: Sequence[VariableSpec], fixed: Mapping[str, Any],
                lang: str) -> str:
    text = usage(trigger_name, specs, fixed)
    if not trigger_name or text == trigger_name:
        return ""  # "Usage: temp" would tell nothing the first sentence did not
    return "\n" + tr(lang, "usage", usage=text)


def usage(trigger_name: str, specs: Sequence[VariableSpec],
          fixed: Mapping[str, Any] | None = None) -> str:
    """How to call a trigger, for help texts: "drum <unit> [<range>=t-1d]"."""
    parts = [trigger_name]
    for spec in specs:
        if fixed and spec.name in fixed:
            continue
        parts.append(f"<{spec.name}>" if spec.default is None
                     else f"[<{spec.name}>={spec.default}]")
    return " ".join(parts)
