"""Schedules: a trigger or a group sent to recipients at set times (a shift handover digest),
and a record of every run: sent, skipped (holiday, quiet hours), missed (computer off) or failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any, TypeVar

from peewee import IntegrityError

from app.core import permissions, schedule_expr
from app.core.ids import new_uuid
from app.core.redact import diff
from app.core.schedule_expr import parse_clock
from app.core.timefmt import format_ts, utc_now
from app.db.models import Schedule, ScheduleRun
from app.errors import UserError, ValidationError
from app.services import audit, events, recipients, settings
from app.services import triggers as trigger_service
from app.services.alarm_config import channels_of
from app.services.context import Actor

TARGET_KINDS = ("trigger", "group")
CONFIG_KEYS = ("recipients", "skip_holidays", "quiet_hours", "args", "description")
_GONE = "That schedule no longer exists; the list has been refreshed."
T = TypeVar("T")


def zone() -> tzinfo:
    """The zone schedules run in: the one the bot answers in (Settings → General)."""
    return settings.time_zone()


def holidays() -> set[date]:
    out = set()
    for item in re.split(r"[,;\s]+", str(settings.get("schedules", "holidays") or "")):
        try:
            out.add(date.fromisoformat(item))
        except ValueError:
            continue
    return out


def target_of(schedule: dict[str, Any]) -> dict[str, Any] | None:
    """The trigger or group a schedule sends, or None when it was deleted or renamed."""
    name = schedule["target_name"]
    if schedule["target_kind"] == "group":
        return trigger_service.find_group(name)
    return trigger_service.find_trigger(name)


def _plain(row: Schedule, reach: recipients.ReachCheck | None = None) -> dict[str, Any]:
    config = dict(row.config) if isinstance(row.config, dict) else {}
    spec, _ = recipients.clean_spec(config.get("recipients"), recipients.anyone)
    raw = config.get("recipients")
    spec["channels"] = channels_of(raw if isinstance(raw, dict) else {})
    problem = ""
    try:
        plan_text = schedule_expr.parse(row.expression).describe()
    except ValueError as exc:
        plan_text, problem = "", str(exc)
    schedule = {
        "id": row.id, "name": row.name, "active": bool(row.active),
        "target_kind": row.target_kind, "target_name": row.target_name,
        "expression": row.expression, "plan": plan_text, "config": config,
        "recipients": spec, "skip_holidays": bool(config.get("skip_holidays")),
        "quiet_hours": config.get("quiet_hours") or None,
        "args": [str(a) for a in config.get("args") or []],
        "next_run_at": row.next_run_at, "last_run_at": row.last_run_at,
        "last_status": row.last_status or "", "created_at": row.created_at,
        "updated_at": row.updated_at,
    }
    target = target_of(schedule)
    if not problem and target is None:
        problem = (f"The {row.target_kind} {row.target_name} no longer exists: choose another "
                   "one, or the schedule records a failed run each time.")
    schedule["problem"] = problem
    # "Nobody can be told: …" when nobody it names can receive it now (derived, not stored).
    reach = reach or recipients.ReachCheck()
    audiences = [] if target is None else (
        reach.audiences(group_id=target["id"]) if row.target_kind == "group"
        else reach.audiences(trigger_id=target["id"]))
    schedule["nobody"] = reach.schedule(schedule, audiences) if schedule["active"] else ""
    return schedule


def list_schedules() -> list[dict[str, Any]]:
    reach = recipients.ReachCheck()  # Contacts read once for all of them
    return [_plain(r, reach) for r in Schedule.select().order_by(Schedule.name)]


def get_schedule(schedule_id: str) -> dict[str, Any]:
    row = Schedule.get_or_none(Schedule.id == schedule_id)
    if row is None:
        raise UserError(_GONE)
    return _plain(row)


def preview(expression: str, count: int = 5, after: datetime | None = None,
            where: tzinfo | None = None) -> list[datetime]:
    """The next run times of an expression (aware, in the workstation's zone); ValueError
    with a sentence when it cannot run."""
    plan = schedule_expr.parse(expression)
    where = where or zone()
    return [m.astimezone(where) for m in
            schedule_expr.next_runs(plan, after or utc_now(), where, count)]


def check(name: str, target_kind: str, target_name: str, expression: str,
          config: dict[str, Any], own_id: str | None = None) -> list[str]:
    problems: list[str] = []
    if not name:
        problems.append("The schedule needs a name, such as “Shift handover”.")
    for row in Schedule.select(Schedule.id, Schedule.name):
        if row.id != own_id and row.name.casefold() == name.casefold():
            problems.append(f"Another schedule is already called {row.name}.")
    if target_kind not in TARGET_KINDS:
        problems.append("A schedule sends a trigger or a group.")
    elif not target_name:
        problems.append(f"Choose the {target_kind} to send.")
    elif target_of({"target_kind": target_kind, "target_name": target_name}) is None:
        problems.append(f"There is no {target_kind} called {target_name}.")
    problems += config_problems(expression, config)
    # Recipients that name somebody must reach somebody: refused with who cannot, and why.
    reach = recipients.ReachCheck()
    if not recipients.clean_spec(config.get("recipients"), reach.known)[1]:
        sentence = reach.schedule({"config": config}, audiences_of_target(
            {"target_kind": target_kind, "target_name": target_name}, reach))
        if sentence:
            problems.append(sentence)
    return problems


def audiences_of_target(schedule: dict[str, Any],
                        reach: recipients.ReachCheck | None = None) -> list[list[str]]:
    """The tags the schedule's trigger (or each member of its group) is limited to."""
    target = target_of(schedule) if schedule.get("target_name") else None
    if target is None:
        return []
    group = schedule.get("target_kind") == "group"
    if reach is not None:
        return reach.audiences(None if group else target["id"], target["id"] if group else None)
    return recipients.audiences_of(None if group else target["id"],
                                   target["id"] if group else None)


def config_problems(expression: str, config: dict[str, Any],
                    contact_known: Callable[[str], bool] | None = None) -> list[str]:
    """The problems of when a schedule runs and who gets it."""
    problems: list[str] = []
    try:
        schedule_expr.parse(expression)
    except ValueError as exc:
        problems.append(str(exc))
    spec, spec_problems = recipients.clean_spec(config.get("recipients"), contact_known)
    problems += spec_problems
    if recipients.is_empty(spec):
        problems.append("Choose who gets it: approved contacts, a contact tag or a WhatsApp "
                        "group the bot is in.")
    quiet = config.get("quiet_hours")
    if quiet and (not isinstance(quiet, dict) or parse_clock(str(quiet.get("start", "")))
                  is None or parse_clock(str(quiet.get("end", ""))) is None):
        problems.append("Quiet hours need a start and an end as HH:MM, such as 22:00 and "
                        "06:00.")
    args = config.get("args")
    if args is not None and not isinstance(args, list):
        problems.append("The trigger's arguments must be a list of words.")
    return problems


def clean_config(config: dict[str, Any]) -> dict[str, Any]:
    out = {k: config[k] for k in CONFIG_KEYS if k in config and config[k] not in (None, "")}
    out["recipients"] = recipients.clean_spec(config.get("recipients"), recipients.anyone)[0]
    raw = config.get("recipients")
    if isinstance(raw, dict) and raw.get("channels") not in (None, ["whatsapp"]):
        out["recipients"]["channels"] = channels_of(raw)
    out["skip_holidays"] = bool(config.get("skip_holidays"))
    if "args" in out:
        out["args"] = [str(a) for a in out["args"] if str(a).strip()]
    return out


def save_schedule(actor: Actor, schedule_id: str | None, *, name: str, active: bool,
                  target_kind: str, target_name: str, expression: str,
                  config: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    actor.require(permissions.CONFIG_WRITE)
    name = " ".join((name or "").split())
    expression = " ".join((expression or "").split())
    existing = Schedule.get_or_none(Schedule.id == schedule_id) if schedule_id else None
    if schedule_id and existing is None:
        raise UserError(_GONE)
    problems = check(name, target_kind, target_name, expression, config, schedule_id)
    if problems:
        raise ValidationError("The schedule was not saved:", problems)
    stored = clean_config(config)
    now = now or utc_now()
    next_at = format_ts(schedule_expr.next_run(schedule_expr.parse(expression), now, zone()))
    fields = {"name": name, "active": active, "target_kind": target_kind,
              "target_name": target_name, "expression": expression, "config": stored}
    stamp = format_ts(now)
    with events.unit_of_work():
        if existing is None:
            schedule_id = new_uuid()
            Schedule.insert(id=schedule_id, next_run_at=next_at, created_at=stamp,
                            updated_at=stamp, **fields).execute()
            audit.record(actor, "schedule_created", {"name": name, "target": target_name,
                                                     "expression": expression})
        else:
            before = {"name": existing.name, "active": bool(existing.active),
                      "target_kind": existing.target_kind,
                      "target_name": existing.target_name, "expression": existing.expression,
                      **(existing.config if isinstance(existing.config, dict) else {})}
            after = {k: v for k, v in fields.items() if k != "config"} | stored
            changes = diff(before, after)
            extra = {}
            if existing.expression != expression or not existing.next_run_at:
                extra["next_run_at"] = next_at
            Schedule.update(updated_at=stamp, **fields, **extra).where(
                Schedule.id == schedule_id).execute()
            if changes:
                audit.record(actor, "schedule_updated", {"name": name, "changes": changes})
        events.changed("schedules")
    return get_schedule(schedule_id)


def first_run(expression: str, now: datetime | None = None) -> str | None:
    """The first run time of an expression from now, as stored; None when it cannot run."""
    try:
        return format_ts(schedule_expr.next_run(schedule_expr.parse(expression),
                                                now or utc_now(), zone()))
    except ValueError:
        return None


def set_active(actor: Actor, schedule_id: str, active: bool) -> dict[str, Any]:
    actor.require(permissions.CONFIG_WRITE)
    schedule = get_schedule(schedule_id)
    if schedule["active"] == active:
        return schedule
    extra = {}
    if active:  # from now on: switching on does not send what was due while it was off
        try:
            extra["next_run_at"] = format_ts(schedule_expr.next_run(
                schedule_expr.parse(schedule["expression"]), utc_now(), zone()))
        except ValueError:
            pass
    with events.unit_of_work():
        Schedule.update(active=active, updated_at=format_ts(), **extra).where(
            Schedule.id == schedule_id).execute()
        audit.record(actor, "schedule_enabled" if active else "schedule_disabled",
                     {"name": schedule["name"]})
        events.changed("schedules")
    return get_schedule(schedule_id)


def delete_schedule(actor: Actor, schedule_id: str) -> None:
    actor.require(permissions.CONFIG_WRITE)
    schedule = get_schedule(schedule_id)
    with events.unit_of_work():
        Schedule.delete().where(Schedule.id == schedule_id).execute()
        audit.record(actor, "schedule_deleted", {"name": schedule["name"]})
        events.changed("schedules")


# -- runs (written by the scheduler) --------------------------------------------------------


def record_run(schedule_id: str, due_at: datetime, status: str, detail: str,
               next_at: datetime | None, now: datetime | None = None) -> bool:
    """Record one run and move the schedule on; False when this due time was recorded already
    (a clock that jumped back must not send the same digest twice)."""
    now = now or utc_now()
    try:
        with events.unit_of_work():
            ScheduleRun.insert(schedule=schedule_id, due_at=format_ts(due_at),
                               ran_at=format_ts(now), status=status, detail=detail).execute()
            Schedule.update(last_run_at=format_ts(now), last_status=status,
                            next_run_at=format_ts(next_at) if next_at else None).where(
                Schedule.id == schedule_id).execute()
            events.changed("schedules")
    except IntegrityError:
        if next_at is not None:
            Schedule.update(next_run_at=format_ts(next_at)).where(
                Schedule.id == schedule_id).execute()
        return False
    return True


class _AlreadyRecorded(Exception):
    pass


def record_run_with_messages(schedule_id: str, due_at: datetime, status: str, detail: str,
                             next_at: datetime | None, now: datetime,
                             queue: Callable[[], list[T]]) -> tuple[str, str, list[T]]:
    """Record a run and, when it is "sent", queue its messages (`queue()`), in one unit of
    work: a crash or a locked database in between must not send the same digest again at the
    next tick. Returns the status, the detail and what `queue` returned; a run recorded
    meanwhile is "skipped" and queues nothing."""
    queued: list[T] = []
    try:
        with events.unit_of_work():
            if status == "sent" and already_ran(schedule_id, due_at):
                status, detail = "skipped", "already ran"
            if status == "sent":
                queued = queue()
            if not record_run(schedule_id, due_at, status, detail, next_at, now):
                raise _AlreadyRecorded  # recorded meanwhile: its messages went out then
    except _AlreadyRecorded:
        return "skipped", detail, []
    return status, detail, queued


def already_ran(schedule_id: str, due_at: datetime) -> bool:
    return ScheduleRun.select().where((ScheduleRun.schedule == schedule_id)
                                      & (ScheduleRun.due_at == format_ts(due_at))).exists()


def runs(schedule_id: str, limit: int = 50) -> list[dict[str, Any]]:
    query = (ScheduleRun.select().where(ScheduleRun.schedule == schedule_id)
             .order_by(ScheduleRun.id.desc()).limit(limit))
    return [{"due_at": r.due_at, "ran_at": r.ran_at, "status": r.status,
             "detail": r.detail or ""} for r in query]
