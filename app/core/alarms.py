"""Alarm logic as pure functions: conditions with deadband and minimum duration, the state of
one alarm over time, acknowledgement and shelving, and the messages people get."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from app.core.i18n import placeholders, tr
from app.core.values import PiValue

CONDITIONS = ("above", "below", "outside", "equals", "bad", "stale")
SEVERITIES = {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🔵"}


@dataclass(frozen=True)
class AlarmRule:
    number: int  # the short id people reply with: "ack 12"
    name: str
    condition: str  # one of CONDITIONS
    high: float | None = None  # above / outside
    low: float | None = None  # below / outside
    state_name: str | None = None  # equals: a digital state's name
    deadband: float = 0.0  # how far back over the limit before the alarm clears
    min_duration_s: float = 0.0  # the condition must hold this long before it raises
    stale_minutes: float = 15.0  # stale: no new value for this long
    severity: str = "high"
    units: str = ""

    def problems(self) -> list[str]:
        """A sentence for each inconsistent setting (empty when the rule can run)."""
        out = []
        if self.condition not in CONDITIONS:
            out.append(f"The condition must be one of {', '.join(CONDITIONS)}.")
        if self.condition in ("above", "outside") and self.high is None:
            out.append("Give the high limit.")
        if self.condition in ("below", "outside") and self.low is None:
            out.append("Give the low limit.")
        if (self.condition == "outside" and self.high is not None and self.low is not None
                and self.low >= self.high):
            out.append("The low limit must be below the high limit.")
        if self.condition == "equals" and not self.state_name:
            out.append("Give the state name that raises the alarm.")
        if self.deadband < 0 or self.min_duration_s < 0:
            out.append("Deadband and minimum duration cannot be negative.")
        if self.severity not in SEVERITIES:
            out.append(f"The severity must be one of {', '.join(SEVERITIES)}.")
        return out


@dataclass(frozen=True)
class AlarmState:
    """Where one alarm stands; kept in the database between evaluations and restarts."""

    phase: str = "normal"  # normal, pending (condition seen, waiting out the duration), active
    condition_since: datetime | None = None
    active_since: datetime | None = None
    acknowledged_by: str | None = None
    shelved_until: datetime | None = None
    last_value: str = ""  # as shown to people
    notified: bool = False  # recipients were told it is active (so they hear it clear)


@dataclass(frozen=True)
class AlarmEvent:
    kind: str  # raised, cleared
    rule: AlarmRule
    at: datetime
    shown_value: str
    why: str  # "HIGH 46.2 bar > 45.0", "I/O Timeout", "no new value for 20 min"


def _shown(value: PiValue, units: str) -> str:
    if value.error:
        return value.error
    if value.system_state:
        return value.system_state
    if isinstance(value.value, float):
        number = f"{value.value:.4g}" if abs(value.value) < 1e5 else f"{value.value:.0f}"
        return f"{number} {value.units or units}".strip()
    return f"{value.value} {value.units or units}".strip() if value.value is not None else ""


def _number(value: PiValue) -> float | None:
    if value.error or value.system_state or not value.good:
        return None
    return float(value.value) if isinstance(value.value, (int, float)) and not isinstance(
        value.value, bool) else None


def condition(rule: AlarmRule, value: PiValue, now: datetime,
              active: bool, lang: str = "en") -> tuple[bool, str]:
    """Whether the alarm condition holds now, and why in a few words.

    While `active`, a limit must be crossed back by the deadband before the condition ends,
    so a value hovering at the limit does not raise and clear again and again.
    """
    band = rule.deadband if active else 0.0
    if rule.condition == "stale":
        if value.timestamp is None:
            return True, tr(lang, "alarm_no_value")
        age = now - value.timestamp
        if age > timedelta(minutes=rule.stale_minutes):
            return True, tr(lang, "alarm_stale", minutes=int(age.total_seconds() // 60))
        return False, ""
    if rule.condition == "bad":
        if value.error or value.system_state:
            return True, value.system_state or value.error or tr(lang, "alarm_bad")
        if not value.good:
            return True, tr(lang, "alarm_bad")
        return False, ""
    if rule.condition == "equals":
        shown = str(value.value) if value.value is not None else ""
        holds = shown.strip().lower() == (rule.state_name or "").strip().lower()
        return holds, tr(lang, "alarm_state", state=shown) if holds else ""
    number = _number(value)
    if number is None:
        return False, ""  # a bad value neither raises nor clears a limit alarm
    unit = f" {value.units or rule.units}".rstrip()
    if rule.condition in ("above", "outside") and rule.high is not None:
        if number > rule.high - band:
            if active or number > rule.high:
                return True, f"HIGH {number:.4g}{unit} > {rule.high:g}"
    if rule.condition in ("below", "outside") and rule.low is not None:
        if number < rule.low + band:
            if active or number < rule.low:
                return True, f"LOW {number:.4g}{unit} < {rule.low:g}"
    return False, ""


def evaluate(rule: AlarmRule, state: AlarmState, value: PiValue,
             now: datetime, lang: str = "en") -> tuple[AlarmState, list[AlarmEvent]]:
    """The next state of one alarm for a newly read value, and what people must be told."""
    shelve_ended = state.shelved_until is not None and now >= state.shelved_until
    if shelve_ended:
        state = replace(state, shelved_until=None)
    shown = _shown(value, rule.units)
    active = state.phase == "active"
    holds, why = condition(rule, value, now, active, lang)
    bad = bool(value.error or value.system_state or not value.good)
    if not holds and rule.condition not in ("bad", "stale") and (
            bad or (rule.condition != "equals" and _number(value) is None)):
        # A limit or state alarm keeps its phase through a bad value (a "bad" rule reports
        # those): an I/O Timeout is no news that the pump runs again.
        return replace(state, last_value=shown), []
    if holds:
        since = state.condition_since or now
        if since > now:
            since = now  # the clock was set back: count the duration from now
        lasted = (now - since).total_seconds()
        if active:
            if shelve_ended and not state.notified:
                # Raised while shelved and still there when the shelf time ends: tell now.
                return (replace(state, condition_since=since, last_value=shown, notified=True),
                        [AlarmEvent("raised", rule, since, shown, why)])
            return replace(state, condition_since=since, last_value=shown), []
        if lasted < rule.min_duration_s:
            return replace(state, phase="pending", condition_since=since,
                           last_value=shown), []
        raised = replace(state, phase="active", condition_since=since, active_since=since,
                         acknowledged_by=None, last_value=shown, notified=False)
        if state.shelved_until is not None:
            return raised, []  # shelved: it is active, but nobody is messaged
        return replace(raised, notified=True), [AlarmEvent("raised", rule, since, shown, why)]
    cleared = AlarmState(shelved_until=state.shelved_until, last_value=shown)
    if active and state.notified:
        return cleared, [AlarmEvent("cleared", rule, now, shown, "")]
    return cleared, []


def acknowledge(state: AlarmState, who: str) -> tuple[AlarmState, str | None]:
    """(new state, refusal sentence or None)."""
    if state.phase != "active":
        return state, "That alarm is not active."
    if state.acknowledged_by:
        return state, f"Already acknowledged by {state.acknowledged_by}."
    return replace(state, acknowledged_by=who), None


def shelve(state: AlarmState, until: datetime) -> AlarmState:
    return replace(state, shelved_until=until)


def parse_duration(text: str) -> timedelta | None:
    """`2h`, `30m`, `1d`, `90` (minutes) → a duration; None when unreadable."""
    text = text.strip().lower()
    units = {"m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "menit": 60,
             "h": 3600, "hour": 3600, "hours": 3600, "j": 3600, "jam": 3600,
             "d": 86400, "day": 86400, "days": 86400, "hari": 86400}
    seconds = None
    for suffix in sorted(units, key=len, reverse=True):
        amount = text[: -len(suffix)]
        if text.endswith(suffix) and amount.replace(".", "", 1).isdigit():
            seconds = float(amount) * units[suffix]
            break
    else:
        if text.isdigit():
            seconds = float(text) * 60
    if seconds is None or seconds > 366 * 86400:  # "99999999999d" is no duration
        return None
    return timedelta(seconds=seconds)


TEMPLATE_FIELDS = ("icon", "number", "name", "why", "value", "time", "severity")


def check_template(template: str) -> list[str]:
    """A sentence for each problem of a custom alarm message (empty: it can be used)."""
    if not template.strip():
        return []
    try:
        names = placeholders(template)
    except ValueError:
        return ["The message has an unmatched { or }; write {{ and }} for the signs themselves."]
    unknown = sorted(names - set(TEMPLATE_FIELDS))
    out = []
    if unknown:
        out.append("The message uses " + ", ".join(f"{{{n}}}" for n in unknown)
                   + "; it may use " + ", ".join(f"{{{n}}}" for n in TEMPLATE_FIELDS) + ".")
    if "#{number}" not in template:
        out.append("The message must contain #{number}: people reply with that number "
                   "(ack 12), and the bot finds the alarm by it.")
    return out


def _clock(moment: datetime, zone: tzinfo | None) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def raised_text(event: AlarmEvent, zone: tzinfo | None, late: bool = False, *,
                number: int | None = None, lang: str = "en", template: str = "") -> str:
    """🔴 #12 Drum pressure HIGH 46.2 bar > 45.0 since 10:42 — reply *ack 12*"""
    values = {"icon": SEVERITIES.get(event.rule.severity, "🔴"),
              "number": number if number is not None else event.rule.number,
              "name": event.rule.name, "why": event.why, "value": event.shown_value,
              "time": _clock(event.at, zone), "severity": event.rule.severity}
    text = ""
    if template.strip() and not check_template(template):
        try:
            text = template.format(**values)
        except (KeyError, IndexError, ValueError):
            text = ""
    text = text or tr(lang, "alarm_raised", **{k: values[k] for k in
                                                ("icon", "number", "name", "why", "time")})
    return f"{text} {tr(lang, 'alarm_late')}" if late else text


def cleared_text(event: AlarmEvent, *, number: int | None = None, lang: str = "en") -> str:
    value = f" ({event.shown_value})" if event.shown_value else ""
    return tr(lang, "alarm_cleared", number=number if number is not None else event.rule.number,
              name=event.rule.name, value=value)
