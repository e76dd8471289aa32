"""What makes an alarm definition valid: its kinds, limits, timing, message and recipients,
each problem a sentence; and the rule the engine evaluates (app.core.alarms.AlarmRule)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from peewee import fn

from app.core import alarms as logic
from app.core.schedule_expr import parse_clock
from app.db.models import Alarm, DataSource, Trigger
from app.services import recipients

KINDS = ("pi", "sql")
MIN_INTERVAL_S = 10
DEFAULT_INTERVAL_S = 60
_NUMBERS = ("high", "low", "deadband", "min_duration_s", "stale_minutes", "interval_s")
CHANNELS = ("whatsapp", "email")
CONFIG_KEYS = ("condition", "high", "low", "state_name", "deadband", "min_duration_s",
               "stale_minutes", "severity", "units", "template", "recipients", "audience",
               "quiet_hours", "interval_s", "description")


def levels_of(config: dict[str, Any]) -> list[dict[str, Any]]:
    """Recipient levels, first level first: [{"after_min": 0, "contacts": …}, …]."""
    raw = config.get("recipients") or []
    if isinstance(raw, dict):
        raw = [raw]
    out = []
    for i, level in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(level, dict):
            continue
        spec, _ = recipients.clean_spec(level, recipients.anyone) if level else ({}, [])
        undelivered = None if i == 0 else as_float(level.get("undelivered_min"), 0.0) or None
        # A level told only when not delivered waits for no acknowledgement timeout.
        after = 0.0 if i == 0 else as_float(level.get("after_min"),
                                            math.inf if undelivered else 15.0)
        out.append({"after_min": after, **{k: spec.get(k, []) for k in
                                           ("contacts", "tags", "groups")},
                    "channels": channels_of(level), "undelivered_min": undelivered})
    return out


def channels_of(level: dict[str, Any]) -> list[str]:
    """How a level is told: ["whatsapp"] (the default), ["email"] or both."""
    raw = level.get("channels")
    if isinstance(raw, str):
        raw = [raw]
    found = [c for c in CHANNELS if isinstance(raw, list) and c in raw]
    return found or ["whatsapp"]


def as_float(value: Any, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def rule_of(alarm: dict[str, Any]) -> logic.AlarmRule:
    c = alarm["config"]
    return logic.AlarmRule(
        number=alarm.get("event_id") or 0, name=alarm["name"],
        condition=str(c.get("condition") or "above"),
        high=None if c.get("high") in (None, "") else as_float(c.get("high"), 0.0),
        low=None if c.get("low") in (None, "") else as_float(c.get("low"), 0.0),
        state_name=c.get("state_name") or None, deadband=as_float(c.get("deadband"), 0.0),
        min_duration_s=as_float(c.get("min_duration_s"), 0.0),
        stale_minutes=as_float(c.get("stale_minutes"), 15.0),
        severity=str(c.get("severity") or "high"), units=str(c.get("units") or ""))


# -- validation ---------------------------------------------------------------------------


class Known:
    """What `check` would otherwise ask the database for, read once for many alarms (a
    configuration file): every alarm's name, and the connections and triggers by id."""

    def __init__(self) -> None:
        self.reach = recipients.ReachCheck()  # Contacts read once for every alarm
        self.names: dict[str, tuple[str, str]] = {
            r.name.casefold(): (r.id, r.name) for r in Alarm.select(Alarm.id, Alarm.name)}
        self.sources = {s.id: s for s in DataSource.select(DataSource.id, DataSource.name,
                                                           DataSource.plugin)}
        self.triggers = {t.id: t for t in Trigger.select(Trigger.id, Trigger.name,
                                                         Trigger.type)}


def check(name: str, kind: str, data_source_id: str | None, tag: str, trigger_id: str | None,
          config: dict[str, Any], own_id: str | None = None,
          known: Known | None = None) -> list[str]:
    """A sentence for every problem of an alarm definition (empty: it can be saved)."""
    problems: list[str] = []
    if not name:
        problems.append("The alarm needs a name (it appears in every message, e.g. “Drum "
                        "pressure”).")
    if name and known is not None:
        other = known.names.get(name.casefold())
        if other is not None and other[0] != own_id:
            problems.append(f"Another alarm is already called {other[1]}.")
    elif name:
        # SQLite's lower() knows ASCII only: names with other letters are compared here.
        same = Alarm.select(Alarm.id, Alarm.name)
        if name.isascii():
            same = same.where(fn.lower(Alarm.name) == name.lower())
        for row in same:
            if row.id != own_id and row.name.casefold() == name.casefold():
                problems.append(f"Another alarm is already called {row.name}.")
    if kind not in KINDS:
        problems.append("An alarm watches a PI tag or a SQL trigger's first value.")
    elif kind == "pi":
        if known is not None:
            source = known.sources.get(data_source_id) if data_source_id else None
        else:
            source = DataSource.get_or_none(DataSource.id == data_source_id) \
                if data_source_id else None
        if source is None:
            problems.append("Choose the PI connection the tag is read from.")
        elif source.plugin not in ("pi", "demo"):
            problems.append(f"{source.name} is not a PI historian; choose a PI connection.")
        if not tag.strip():
            problems.append("Give the PI tag to watch.")
    else:
        if known is not None:
            trigger = known.triggers.get(trigger_id) if trigger_id else None
        else:
            trigger = Trigger.get_or_none(Trigger.id == trigger_id) if trigger_id else None
        if trigger is None:
            problems.append("Choose the SQL trigger whose first value is watched.")
        elif trigger.type not in ("sql", "preset"):
            problems.append(f"{trigger.name} is not a SQL trigger; an alarm can watch the "
                            "first value of a sql or preset trigger.")
    problems += config_problems(config, known.reach.known if known is not None else None)
    # A level that names somebody must reach somebody: refused with who cannot, and why.
    reach = known.reach if known is not None else recipients.ReachCheck()
    problems += reach.levels(recipients.raw_levels(config),
                             reach.audiences(trigger_id=trigger_id if kind == "sql" else None),
                             faults_first=True)
    return problems


def config_problems(config: dict[str, Any],
                    contact_known: Callable[[str], bool] | None = None) -> list[str]:
    """The problems of an alarm's settings (limits, timing, message, recipients)."""
    problems: list[str] = []
    for key in _NUMBERS:
        value = config.get(key)
        if value not in (None, ""):
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number):
                problems.append(f"{key.replace('_', ' ')} must be a number, not “{value}”.")
    if not any("must be a number" in p for p in problems):
        problems += rule_of({"name": "", "config": config}).problems()
    interval = as_float(config.get("interval_s"), DEFAULT_INTERVAL_S)
    if interval < MIN_INTERVAL_S:
        problems.append(f"Evaluate at most every {MIN_INTERVAL_S} s (the interval is "
                        f"{interval:g} s).")
    problems += logic.check_template(str(config.get("template") or ""))
    raw_levels = config.get("recipients") or []
    if isinstance(raw_levels, dict):
        raw_levels = [raw_levels]
    if not isinstance(raw_levels, list):
        problems.append("Recipients must be a list of levels.")
        raw_levels = []
    for i, level in enumerate(raw_levels):
        spec, level_problems = recipients.clean_spec(level, contact_known)
        problems += [f"Level {i + 1}: {p}" for p in level_problems]
        level = level if isinstance(level, dict) else {}
        undelivered = level.get("undelivered_min")
        if undelivered not in (None, "") and as_float(undelivered, -1) <= 0:
            problems.append(f"Level {i + 1}: the delivery timeout must be a number of minutes "
                            "above 0.")
        if i > 0 and as_float(level.get("after_min"), -1) <= 0 and \
                as_float(undelivered, -1) <= 0:
            problems.append(f"Level {i + 1}: give after how many minutes without "
                            "acknowledgement it is told.")
        channels = level.get("channels")
        if channels is not None and (not isinstance(channels, list) or not channels or any(
                c not in CHANNELS for c in channels)):
            problems.append(f"Level {i + 1}: channels are whatsapp, email or both.")
    if not raw_levels or recipients.is_empty(recipients.clean_spec(raw_levels[0],
                                                                   contact_known)[0]):
        problems.append("Choose who is told first: approved contacts, a contact tag or a "
                        "WhatsApp group the bot is in.")
    quiet = config.get("quiet_hours")
    if quiet:
        if not isinstance(quiet, dict) or parse_clock(str(quiet.get("start", ""))) is None \
                or parse_clock(str(quiet.get("end", ""))) is None:
            problems.append("Quiet hours need a start and an end as HH:MM, such as 22:00 and "
                            "06:00.")
    audience = config.get("audience")
    if audience is not None and (not isinstance(audience, list)
                                 or not all(isinstance(a, str) for a in audience)):
        problems.append("Who may acknowledge must be a list of contact tags.")
    return problems


def clean_config(config: dict[str, Any]) -> dict[str, Any]:
    out = {k: config[k] for k in CONFIG_KEYS if k in config and config[k] not in (None, "")}
    for key in _NUMBERS:
        if key in out:
            out[key] = float(out[key])
    if "interval_s" in out:
        out["interval_s"] = int(out["interval_s"])
    levels = out.get("recipients") or []
    if isinstance(levels, dict):
        levels = [levels]
    cleaned = []
    for i, level in enumerate(levels):
        spec, _ = recipients.clean_spec(level, recipients.anyone)
        level = level if isinstance(level, dict) else {}
        if i > 0:
            timing: dict[str, Any] = {}
            if level.get("after_min") not in (None, ""):
                timing["after_min"] = float(level.get("after_min"))
            if level.get("undelivered_min") not in (None, ""):
                timing["undelivered_min"] = float(level.get("undelivered_min"))
            spec = {**timing, **spec}
        if level.get("channels") not in (None, ["whatsapp"]):
            spec["channels"] = channels_of(level)
        cleaned.append(spec)
    out["recipients"] = cleaned
    if "audience" in out:
        out["audience"] = [" ".join(a.split()) for a in out["audience"] if a.strip()]
    return out
