"""system_settings: typed reads with defaults, validated and audited writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from app.core import permissions, settings_spec
from app.core.timefmt import format_ts
from app.db.models import SystemSetting
from app.errors import ValidationError
from app.services import audit, events
from app.services.cache import Kept
from app.services.context import Actor

# Read on every message: kept until a write here, a change notice, or another connection's
# commit (app/services/cache.py).
_kept = Kept("settings")


def _stored() -> dict[tuple[str, str], str | None]:
    """Every stored value (kept: read it, never change it)."""
    return _kept.get("rows", lambda: {(r.category, r.key): r.value for r in SystemSetting.select(
        SystemSetting.category, SystemSetting.key, SystemSetting.value)})


def forget() -> None:
    """Drop the kept copy (rows were written, or a write was rolled back)."""
    _kept.forget()


def get(category: str, key: str) -> Any:
    """The typed value, or the default when unset or unreadable; plain text for unknown keys."""
    raw = _stored().get((category, key))
    spec = settings_spec.find(category, key)
    if spec is None:
        return raw
    if raw is None:
        return spec.default
    try:
        return spec.parse(raw)
    except ValueError:
        return spec.default


def all_values() -> dict[str, dict[str, Any]]:
    """Every stored setting plus the defaults of known ones, as {category: {key: value}}."""
    result: dict[str, dict[str, Any]] = {}
    for spec in settings_spec.SETTINGS:
        result.setdefault(spec.category, {})[spec.key] = spec.default
    result["general"]["ui_language"] = window_language()
    for (category, key), raw in sorted(_stored().items()):
        spec = settings_spec.find(category, key)
        value: Any = raw
        if spec is not None:
            try:
                value = spec.parse(raw)
            except ValueError:
                value = spec.default
        result.setdefault(category, {})[key] = value
    return result


def validate(values: dict[str, dict[str, Any]]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(category, key, text) rows to store, and a sentence per invalid entry."""
    rows: list[tuple[str, str, str]] = []
    problems: list[str] = []
    if not isinstance(values, dict):
        return rows, ["settings must be an object of categories."]
    for category, keys in values.items():
        if not isinstance(keys, dict):
            problems.append(f"settings.{category} must be an object of keys and values.")
            continue
        for key, raw in keys.items():
            spec = settings_spec.find(category, key)
            if spec is None:
                if SystemSetting.select().where((SystemSetting.category == category)
                                                & (SystemSetting.key == key)).exists():
                    rows.append((category, key, "" if raw is None else str(raw)))
                else:
                    problems.append(f"settings.{category}.{key} is not a setting this app knows.")
                continue
            try:
                rows.append((category, key, spec.to_text(spec.parse(raw))))
            except ValueError as exc:
                problems.append(f"settings.{category}.{key}: {exc}")
    return rows, problems


def apply_rows(rows: list[tuple[str, str, str]]) -> dict[str, list[Any]]:
    """Write validated rows (inside the caller's transaction); returns what changed."""
    forget()
    changed: dict[str, list[Any]] = {}
    now = format_ts()
    for category, key, text in rows:
        row = SystemSetting.get_or_none(
            (SystemSetting.category == category) & (SystemSetting.key == key))
        if row is None:
            SystemSetting.insert(id=f"{category}_{key}", category=category, key=key, value=text,
                                 created_at=now, updated_at=now).execute()
            changed[f"{category}.{key}"] = [None, text]
        elif row.value != text:
            SystemSetting.update(value=text, updated_at=now).where(
                SystemSetting.id == row.id).execute()
            changed[f"{category}.{key}"] = [row.value, text]
    forget()
    return changed


def update(actor: Actor, values: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    actor.require(permissions.SETTINGS_WRITE)
    rows, problems = validate(values)
    if problems:
        raise ValidationError("The settings were not saved:", problems)
    try:
        with events.unit_of_work():
            changed = apply_rows(rows)
            if changed:
                audit.record(actor, "settings_updated", {"changes": changed})
                events.changed("settings", changed=changed)
    finally:
        forget()
    return changed


@dataclass(frozen=True)
class ReplyStyle:
    """The language and time zone of everything the bot writes: replies, alarms, schedules."""

    lang: str
    zone: tzinfo


def time_zone() -> tzinfo:
    """The zone set in Settings → General, else the workstation's own."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = str(get("general", "time_zone") or "")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        # The computer's zone with its daylight-saving rules (a fixed offset would put a
        # 06:00 digest at 07:00 after the clocks change).
        from tzlocal import get_localzone

        return get_localzone()
    except Exception:  # noqa: BLE001 - no zone database: the offset of now is the best left
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else ZoneInfo("UTC")


def window_language() -> str:
    """The language of the desktop app's windows: the one chosen (Settings, or on the first
    start), else the reply language, so a plant moved from the old system, whose bot spoke
    Bahasa Indonesia, reads its windows in Bahasa Indonesia from the first start."""
    if ("general", "ui_language") in _stored():
        return str(get("general", "ui_language"))
    return str(get("general", "language") or "en")


def reply_style() -> ReplyStyle:

    """The one place the bot's language and zone come from (docs/architecture.md, "One
    message's path")."""
    return ReplyStyle(str(get("general", "language") or "en"), time_zone())
