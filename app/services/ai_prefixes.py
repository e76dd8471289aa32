"""AI prefixes (`ai_triggers`): validated, audited writes and plain reads for the bot."""

from __future__ import annotations

from typing import Any

from peewee import fn

from app.core import permissions
from app.core.ids import new_uuid
from app.core.redact import diff
from app.core.timefmt import format_ts
from app.db.models import AiTrigger, DataSource
from app.errors import UserError, ValidationError
from app.services import audit, events
from app.services.context import Actor

MAX_PREFIX = 20
DEFAULT_NAME = "AI Chat"  # the old system's default name (docs/old-system.md §10)
_GONE = "That AI prefix no longer exists; the list has been refreshed."


# -- reads --------------------------------------------------------------------------------


def _sources() -> dict[str, tuple[str, str, bool]]:
    return {s.id: (s.name, s.plugin, bool(s.active))
            for s in DataSource.select(DataSource.id, DataSource.name, DataSource.plugin,
                                       DataSource.active)}


def _plain(row: AiTrigger, sources: dict[str, tuple[str, str, bool]]) -> dict[str, Any]:
    source = sources.get(row.data_source_id) if row.data_source_id else None
    audience = row.audience if isinstance(row.audience, list) else []
    return {
        "id": row.id, "type": row.type or "ai", "prefix": row.prefix, "name": row.name,
        "description": row.description or "", "enabled": bool(row.enabled),
        "usage_count": row.usage_count or 0, "last_used": row.last_used,
        "data_source_id": row.data_source_id,
        "data_source": source[0] if source else "",
        "source_plugin": source[1] if source else None,
        "source_active": source[2] if source else False,
        "system_prompt": row.system_prompt or "",
        "audience": [str(a) for a in audience],
        "created_at": row.created_at, "updated_at": row.updated_at,
    }


def list_prefixes() -> list[dict[str, Any]]:
    sources = _sources()
    return [_plain(a, sources) for a in AiTrigger.select().order_by(AiTrigger.prefix)]


def get_prefix(prefix_id: str) -> dict[str, Any]:
    row = AiTrigger.get_or_none(AiTrigger.id == prefix_id)
    if row is None:
        raise UserError(_GONE)
    return _plain(row, _sources())


def find_by_prefix(prefix: str) -> dict[str, Any] | None:
    """The row of a prefix as routing returned it; capitals do not matter."""
    rows = [a for a in AiTrigger.select() if a.prefix.casefold() == prefix.casefold()]
    if not rows:
        return None
    # Old data may hold "AI=" and "ai=" both; the exact spelling, then an enabled one, wins.
    rows.sort(key=lambda a: (a.prefix != prefix, not a.enabled, a.prefix))
    return _plain(rows[0], _sources())


def ai_services() -> list[dict[str, Any]]:
    """The connections a prefix can use (plugin "ai"), by name, for the form's list."""
    return [{"id": s.id, "name": s.name, "active": bool(s.active)}
            for s in DataSource.select().where(DataSource.plugin == "ai")
            .order_by(DataSource.name)]


# -- validation ---------------------------------------------------------------------------


def check_prefix(prefix: str) -> list[str]:
    """A sentence for every problem of the prefix text itself (not its uniqueness)."""
    if not prefix or not prefix.strip():
        return ['Type the prefix a question starts with, such as "ai:" or "=".']
    problems: list[str] = []
    if len(prefix) > MAX_PREFIX:
        problems.append(f"The prefix is {len(prefix)} characters long; keep it to "
                        f"{MAX_PREFIX} at most.")
    if any(c.isspace() and c != " " for c in prefix):
        problems.append("The prefix cannot contain tabs or line breaks.")
    if prefix[0].isspace():
        problems.append("The prefix cannot start with a space: messages are read from their "
                        "first character.")
    # One trailing space is allowed: it is what makes "ask " end a word.
    if prefix.endswith("  "):
        problems.append('The prefix may end in one space (like "ask "), not in more.')
    if prefix.isalnum():
        problems.append(
            f'"{prefix}" is a plain word, so ordinary messages starting with that word would '
            f'go to the AI instead of a trigger; end it with a sign or a space, like '
            f'"{prefix}:" or "{prefix} ".')
    return problems


def clean_audience(audience: Any) -> tuple[list[str], list[str]]:
    if audience is None:
        return [], []
    if not isinstance(audience, (list, tuple)) or not all(isinstance(a, str) for a in audience):
        return [], ["The audience must be a list of contact tags."]
    seen: dict[str, str] = {}
    for tag in audience:
        text = " ".join(tag.split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values()), []


def _check_source(data_source_id: str | None) -> list[str]:
    if not data_source_id:
        return []
    source = DataSource.get_or_none(DataSource.id == data_source_id)
    if source is None:
        return ["The chosen AI service no longer exists; choose another one."]
    if source.plugin != "ai":
        return [f"{source.name} is not an AI service; choose a connection of kind "
                "AI service."]
    return []


# -- writes -------------------------------------------------------------------------------


def save_prefix(actor: Actor, prefix_id: str | None, *, prefix: str, name: str,
                description: str, enabled: bool, data_source_id: str | None,
                system_prompt: str, audience: list[str]) -> dict[str, Any]:
    actor.require(permissions.CONFIG_WRITE)
    existing = AiTrigger.get_or_none(AiTrigger.id == prefix_id) if prefix_id else None
    if prefix_id and existing is None:
        raise UserError(_GONE)
    prefix = prefix or ""
    name = " ".join((name or "").split()) or DEFAULT_NAME
    description = (description or "").strip()
    system_prompt = (system_prompt or "").strip()
    data_source_id = data_source_id or None
    problems = check_prefix(prefix)
    for other in AiTrigger.select(AiTrigger.id, AiTrigger.prefix):
        if other.id != prefix_id and other.prefix.casefold() == prefix.casefold() and prefix:
            problems.append(f'Another AI prefix is already "{other.prefix}" (prefixes are '
                            "compared without capitals).")
    problems += _check_source(data_source_id)
    tags, audience_problems = clean_audience(audience)
    problems += audience_problems
    if problems:
        raise ValidationError("The AI prefix was not saved:", problems)
    values = {"prefix": prefix, "name": name, "description": description or None,
              "data_source_id": data_source_id, "system_prompt": system_prompt or None,
              "audience": tags}
    now = format_ts()
    with events.unit_of_work():
        if existing is None:
            prefix_id = new_uuid()
            AiTrigger.insert(id=prefix_id, type="ai", enabled=enabled, usage_count=0,
                             created_at=now, updated_at=now, **values).execute()
            audit.record(actor, "ai_trigger_created", {**values, "enabled": enabled})
        else:
            before = {"prefix": existing.prefix, "name": existing.name,
                      "description": existing.description or None,
                      "data_source_id": existing.data_source_id,
                      "system_prompt": existing.system_prompt or None,
                      "audience": existing.audience if isinstance(existing.audience, list)
                      else []}
            changes = diff(before, values)
            AiTrigger.update(enabled=enabled, updated_at=now, **values).where(
                AiTrigger.id == prefix_id).execute()
            if changes:
                audit.record(actor, "ai_trigger_updated", {"prefix": prefix, "name": name,
                                                           "changes": changes})
            if bool(existing.enabled) != enabled:
                audit.record(actor, "ai_trigger_enabled" if enabled else "ai_trigger_disabled",
                             {"prefix": prefix, "name": name})
        events.changed("ai_triggers")
    return get_prefix(prefix_id)


def set_enabled(actor: Actor, prefix_id: str, enabled: bool) -> dict[str, Any]:
    """Switch a prefix on or off and nothing else."""
    actor.require(permissions.CONFIG_WRITE)
    row = get_prefix(prefix_id)
    if row["enabled"] == enabled:
        return row
    with events.unit_of_work():
        AiTrigger.update(enabled=enabled, updated_at=format_ts()).where(
            AiTrigger.id == prefix_id).execute()
        audit.record(actor, "ai_trigger_enabled" if enabled else "ai_trigger_disabled",
                     {"prefix": row["prefix"], "name": row["name"]})
        events.changed("ai_triggers")
    return get_prefix(prefix_id)


def delete_prefix(actor: Actor, prefix_id: str) -> None:
    actor.require(permissions.CONFIG_WRITE)
    row = get_prefix(prefix_id)
    with events.unit_of_work():
        AiTrigger.delete().where(AiTrigger.id == prefix_id).execute()
        audit.record(actor, "ai_trigger_deleted", {"prefix": row["prefix"], "name": row["name"]})
        events.changed("ai_triggers")


def record_use(prefix_id: str) -> None:
    """Count one question answered through the prefix (not audited: it is not a change)."""
    AiTrigger.update(usage_count=fn.COALESCE(AiTrigger.usage_count, 0) + 1,
                     last_used=format_ts()).where(AiTrigger.id == prefix_id).execute()
    events.changed("ai_triggers")
