"""system_settings: typed reads with defaults, validated and audited writes."""

from __future__ import annotations

from typing import Any

from app.core import permissions, settings_spec
from app.core.timefmt import format_ts
from app.db.models import SystemSetting, database_proxy
from app.errors import ValidationError
from app.services import audit, events
from app.services.context import Actor


def get(category: str, key: str) -> Any:
    """The typed value, or the default when unset or unreadable; plain text for unknown keys."""
    row = SystemSetting.get_or_none(
        (SystemSetting.category == category) & (SystemSetting.key == key))
    spec = settings_spec.find(category, key)
    if spec is None:
        return row.value if row else None
    if row is None or row.value is None:
        return spec.default
    try:
        return spec.parse(row.value)
    except ValueError:
        return spec.default


def all_values() -> dict[str, dict[str, Any]]:
    """Every stored setting plus the defaults of known ones, as {category: {key: value}}."""
    result: dict[str, dict[str, Any]] = {}
    for spec in settings_spec.SETTINGS:
        result.setdefault(spec.category, {})[spec.key] = spec.default
    for row in SystemSetting.select().order_by(SystemSetting.category, SystemSetting.key):
        spec = settings_spec.find(row.category, row.key)
        value: Any = row.value
        if spec is not None:
            try:
                value = spec.parse(row.value)
            except ValueError:
                value = spec.default
        result.setdefault(row.category, {})[row.key] = value
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
    return changed


def update(actor: Actor, values: dict[str, dict[str, Any]]) -> dict[str, list[Any]]:
    actor.require(permissions.SETTINGS_WRITE)
    rows, problems = validate(values)
    if problems:
        raise ValidationError("The settings were not saved:", problems)
    with database_proxy.atomic():
        changed = apply_rows(rows)
        if changed:
            audit.record(actor, "settings_updated", {"changes": changed})
    if changed:
        events.emit("settings", changed=changed)
    return changed
