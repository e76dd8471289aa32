"""The alarms a cycle need not evaluate: those whose last evaluation left their state as it
found it, with no event, when since then the state, the rule and the value read are the same
and, in that state, the rule does not look at the clock (no shelf, no pending duration, not a
stale-value alarm). app.core.alarms.evaluate would give the same answer again, so a warm cycle
of 5,000 quiet alarms makes none of their new states; it only records when they were looked at.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.core import alarms as logic
from app.core.values import PiValue
from app.services import alarm_cycle as cycle_store

_REMEMBERED = 50_000  # alarms deleted over months leave theirs behind: forgotten past this


def _reading(value: PiValue) -> tuple[Any, ...]:
    """What logic.evaluate reads of a value, but for its time (a stale-value alarm's)."""
    return (type(value.value), value.value, value.units, value.good, value.error,
            value.system_state)


class Steady:
    def __init__(self) -> None:
        # alarm id → (rule, state, shown value, error, what was read of the value): one flat
        # tuple each, fewer objects for the garbage collector to walk.
        self._kept: dict[str, tuple[Any, ...]] = {}

    def still(self, alarm: dict[str, Any], found: cycle_store.Current, value: PiValue,
              now: datetime) -> bool:
        """Whether the alarm (a definition of cycle_store.due_definitions, as stored now:
        `found`) stays exactly as stored with this value, known without evaluating it."""
        kept = self._kept.get(alarm["id"])
        if kept is None:
            return False
        rule, state, shown, error = kept[:4]
        current_state, event_id, last_value, last_error, _last = found
        return (rule is cycle_store.rule_for(alarm, event_id)
                and (current_state is state or current_state == state)
                and kept[4:] == _reading(value) and (shown, error) == (last_value, last_error)
                and (state.condition_since is None or state.condition_since <= now))

    def remember(self, alarm_id: str, rule: logic.AlarmRule, state: logic.AlarmState,
                 value: PiValue, shown: str, error: str) -> None:
        """An evaluation that left `state` as it found it, with no event: remembered when
        the next one cannot depend on the clock."""
        timeless = rule.condition != "stale" and state.shelved_until is None and (
            state.phase == "normal"
            or (state.phase == "active" and state.condition_since is not None))
        if not timeless:
            self._kept.pop(alarm_id, None)
            return
        if len(self._kept) >= _REMEMBERED:
            self._kept.clear()
        self._kept[alarm_id] = (rule, state, shown, error, *_reading(value))

    def forget(self, alarm_id: str) -> None:
        self._kept.pop(alarm_id, None)

    def settle(self, due: list[dict[str, Any]], values: dict[str, PiValue | str],
               staged: list[tuple[str, logic.AlarmState, int | None, str, str, datetime]],
               now: datetime, language: str) -> None:
        """Write a cycle's new states (`staged`); an alarm whose new state its value would
        leave as it is (evaluated once more, now) is remembered, so the cycle after a plant
        upset skips it as well."""
        stored = cycle_store.save_states(staged)
        by_id = {a["id"]: a for a in due} if stored else {}
        for alarm_id, _state, event_id, shown, error, _at in staged:
            state, value, alarm = stored[alarm_id], values.get(alarm_id), by_id.get(alarm_id)
            if alarm is None or not isinstance(value, PiValue):
                continue
            rule = cycle_store.rule_for(alarm, event_id)
            again, happened = logic.evaluate(rule, state, value, now, language)
            if not happened and again == state:
                self.remember(alarm_id, rule, state, value, shown, error)
