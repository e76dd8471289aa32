"""Triggers, groups and presets: validated, audited writes and plain reads for the bot."""

from __future__ import annotations

from typing import Any

from app.core import permissions
from app.core.ids import new_uuid
from app.core.pi_time import check_interval, check_pi_time
from app.core.redact import diff
from app.core.routing import normalise
from app.core.sources import SourceError
from app.core.sql_gate import bind_names, check_read_only
from app.core.timefmt import format_ts, parse_ts
from app.db.models import (
    AiTrigger,
    DataSource,
    QueryPreset,
    Trigger,
    TriggerGroup,
    TriggerGroupMember,
)
from app.db.rows import insert_row
from app.errors import UserError, ValidationError
from app.services import audit, events
from app.services.cache import Kept, copied
from app.services.context import Actor

TYPES = {"pi": "PI values", "sql": "SQL query", "preset": "Saved query (preset)",
         "text": "Fixed text"}
PI_MODES = ("current", "summary", "recorded", "interpolated", "chart")
SUMMARY_TYPES = ("Average", "Minimum", "Maximum", "Total", "Range", "StdDev", "Count")
SETUP_KEY = "setup_missing"
LEGACY_KEY = "legacy"

# What the bot reads on every message, kept until the tables change (app/services/cache.py);
# callers get copies, never the kept values themselves.
_catalog = Kept("triggers", "trigger_groups", "ai_triggers")
_triggers = Kept("triggers", "data_sources")
_groups = Kept("trigger_groups", "triggers")


# -- validation (shared by the forms and `config import`) ---------------------------------


def check_config(kind: str, config: dict[str, Any], source_plugin: str | None,
                 preset_names: set[str] | None = None) -> list[str]:
    """A sentence for every problem of a trigger's settings; empty when it can run."""
    from app.core.variables import parse_specs

    problems: list[str] = []
    if not isinstance(config, dict):
        return ["The settings must be an object."]
    timeout = config.get("timeout_s")
    if timeout is not None and not (isinstance(timeout, (int, float)) and 1 <= timeout <= 300):
        problems.append("timeout_s must be a number of seconds between 1 and 300.")
    audience = config.get("audience", [])
    if not isinstance(audience, list) or not all(isinstance(a, str) for a in audience):
        problems.append("audience must be a list of contact tags.")
    if kind == "pi":
        if source_plugin not in ("pi", "demo"):
            problems.append("A PI trigger needs a PI or demo connection.")
        tags = config.get("tags")
        if not isinstance(tags, list) or not tags or not all(
                isinstance(t, str) and t.strip() for t in tags):
            problems.append("Give at least one tag.")
        mode = config.get("mode", "current")
        if mode not in PI_MODES:
            problems.append(f"mode must be one of {', '.join(PI_MODES)}, not {mode!r}.")
        for key in ("start", "end"):
            if config.get(key) not in (None, ""):
                try:
                    check_pi_time(str(config[key]))
                except SourceError as exc:
                    problems.append(f"{key}: {exc.message}")
        if config.get("interval") not in (None, ""):
            try:
                check_interval(str(config["interval"]))
            except SourceError as exc:
                problems.append(f"interval: {exc.message}")
        types = config.get("summary_types", [])
        if not isinstance(types, list) or any(t not in SUMMARY_TYPES for t in types):
            problems.append(f"summary_types must be chosen from {', '.join(SUMMARY_TYPES)}.")
        decimals = config.get("decimals")
        if decimals is not None and not (isinstance(decimals, int) and 0 <= decimals <= 10):
            problems.append("decimals must be a whole number from 0 to 10.")
        labels = config.get("labels", {})
        if not isinstance(labels, dict):
            problems.append("labels must map tags to display names.")
    elif kind == "sql":
        if source_plugin not in ("mysql", "oracle"):
            problems.append("A SQL trigger needs a MySQL or Oracle connection.")
        query = config.get("query")
        if not isinstance(query, str) or not query.strip():
            problems.append("Write the query.")
        else:
            dialect = "oracle" if source_plugin == "oracle" else "mysql"
            try:
                check_read_only(query, dialect)
                binds = bind_names(query, dialect)
            except SourceError as exc:
                problems.append(f"The query cannot run: {exc.message}")
                binds = []
            problems += _check_variables(config.get("variables", []), binds, parse_specs)
        max_rows = config.get("max_rows", 20)
        if not (isinstance(max_rows, int) and 1 <= max_rows <= 1000):
            problems.append("max_rows must be a whole number from 1 to 1000.")
    elif kind == "preset":
        preset = config.get("preset")
        if preset_names is not None and (not isinstance(preset, str)
                                         or preset not in preset_names):
            problems.append(f"There is no preset called {config.get('preset')!r}.")
        if not isinstance(config.get("values", {}), dict):
            problems.append("values must map variable names to fixed values.")
    elif kind == "text":
        if not isinstance(config.get("text"), str) or not config["text"].strip():
            problems.append("Write the text the bot answers with.")
    elif kind not in ("QUERY", "API", "COMPOSITE"):
        problems.append(f"type must be one of {', '.join(TYPES)}, not {kind!r}.")
    return problems


def _check_variables(raw: Any, binds: list[str], parse_specs) -> list[str]:
    try:
        specs = parse_specs(raw or [])
    except ValueError as exc:
        return [str(exc)]
    names = [s.name for s in specs]
    problems = [f"The query uses :{b} but no variable of that name is defined."
                for b in binds if b not in names]
    problems += [f"The variable {n} is not used in the query (write :{n} where it belongs)."
                 for n in names if n not in binds]
    return problems


# -- reads --------------------------------------------------------------------------------


def _plain(row: Trigger, source_names: dict[str, tuple[str, str, bool]]) -> dict[str, Any]:
    config = row.config if isinstance(row.config, dict) else {}
    source = source_names.get(row.data_source_id) if row.data_source_id else None
    return {
        "id": row.id, "name": row.name, "type": row.type, "active": bool(row.active),
        "data_source_id": row.data_source_id,
        "data_source": source[0] if source else "",
        "source_plugin": source[1] if source else None,
        "source_active": source[2] if source else False,
        "description": str(config.get("description") or ""),
        "config": {k: v for k, v in config.items() if k not in (SETUP_KEY, LEGACY_KEY)},
        "legacy": config.get(LEGACY_KEY),
        "setup_missing": list(config.get(SETUP_KEY) or []),
        "updated_at": row.updated_at,
    }


def _source_names() -> dict[str, tuple[str, str, bool]]:
    return {s.id: (s.name, s.plugin, bool(s.active))
            for s in DataSource.select(DataSource.id, DataSource.name, DataSource.plugin,
                                       DataSource.active)}


def _all_triggers() -> list[dict[str, Any]]:
    """Every trigger, by name (kept: read them, copy what is handed out)."""
    def build() -> list[dict[str, Any]]:
        names = _source_names()
        return [_plain(t, names) for t in Trigger.select().order_by(Trigger.name)]

    return _triggers.get("all", build)


def list_triggers() -> list[dict[str, Any]]:
    return copied(_all_triggers())


def read_triggers() -> list[dict[str, Any]]:
    """Every trigger, by name, without copying: for reading only (the bot's help, on every
    `help` of a plant with a thousand triggers)."""
    return _all_triggers()


def get_trigger(trigger_id: str) -> dict[str, Any]:
    row = next((t for t in _all_triggers() if t["id"] == trigger_id), None)
    if row is None:
        raise UserError("That trigger no longer exists; the list has been refreshed.")
    return copied(row)


def _all_groups() -> list[dict[str, Any]]:
    def build() -> list[dict[str, Any]]:
        members: dict[str, list[str]] = {}
        for m in TriggerGroupMember.select().order_by(TriggerGroupMember.id):
            members.setdefault(m.group_id, []).append(m.trigger_id)
        return [{"id": g.id, "name": g.name, "description": g.description or "",
                 "execution_mode": g.execution_mode or "parallel",
                 "member_ids": members.get(g.id, [])}
                for g in TriggerGroup.select().order_by(TriggerGroup.name)]

    return _groups.get("all", build)


def list_groups() -> list[dict[str, Any]]:
    return copied(_all_groups())


def read_groups() -> list[dict[str, Any]]:
    """Every group, without copying: for reading only."""
    return _all_groups()


def get_group(group_id: str) -> dict[str, Any]:
    for group in list_groups():
        if group["id"] == group_id:
            return group
    raise UserError("That group no longer exists; the list has been refreshed.")


def list_presets() -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "query_template": p.query_template,
             "variables": p.variables if isinstance(p.variables, list) else [],
             "is_default": bool(p.is_default), "usage_count": p.usage_count or 0}
            for p in QueryPreset.select().order_by(QueryPreset.name)]


def preset_by_name(name: str) -> dict[str, Any] | None:
    return next((p for p in list_presets() if p["name"] == name), None)


def catalog_names() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(active trigger names, group names, enabled AI prefixes) for routing."""
    def build() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        triggers = tuple(t.name for t in Trigger.select(Trigger.name).where(
            Trigger.active == True))  # noqa: E712
        groups = tuple(g.name for g in TriggerGroup.select(TriggerGroup.name))
        prefixes = tuple(a.prefix for a in AiTrigger.select(AiTrigger.prefix).where(
            AiTrigger.enabled == True))  # noqa: E712
        return triggers, groups, prefixes

    return _catalog.get("names", build)


def find_trigger(name: str) -> dict[str, Any] | None:
    def build() -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        # An active trigger before a switched-off one of the same name, then by name.
        for row in sorted(_all_triggers(), key=lambda t: (not t["active"], t["name"])):
            found.setdefault(normalise(row["name"]), row)
        return found

    row = _triggers.get("by name", build).get(normalise(name))
    return copied(row)


def find_group(name: str) -> dict[str, Any] | None:
    wanted = normalise(name)
    found = next((g for g in _all_groups() if normalise(g["name"]) == wanted), None)
    return copied(found)


def count_preset_use(name: str) -> None:
    QueryPreset.update(usage_count=QueryPreset.usage_count + 1).where(
        QueryPreset.name == name).execute()


# -- writes -------------------------------------------------------------------------------


class _Names:
    """The names of one model's rows by comparison form, for `_unique`."""

    def __init__(self, model) -> None:
        self.by_form: dict[str, dict[str, str]] = {}  # form -> {id: name}, oldest first
        self.form_of: dict[str, str] = {}
        for row_id, name in model.select(model.id, model.name).tuples():
            self.set(row_id, name)

    def set(self, row_id: str, name: str | None) -> None:
        old = self.form_of.pop(row_id, None)
        if old is not None:
            self.by_form[old].pop(row_id, None)
        if name is not None:
            self.form_of[row_id] = normalise(name)
            self.by_form.setdefault(self.form_of[row_id], {})[row_id] = name


def _unique(model, name: str, own_id: str | None, what: str) -> list[str]:
    # Kept for the open unit of work: an import saves many, and each would read them all.
    names = events.unit_memo(("names", model.__name__), lambda: _Names(model))
    for row_id, other in names.by_form.get(normalise(name), {}).items():
        if row_id != own_id:
            return [f"Another {what} is already called {other} (names are compared without "
                    "spaces and capitals)."]
    return []


def _named(model, row_id: str, name: str | None) -> None:
    """Keep the names `_unique` compares with true after a row got `name` (None: deleted)."""
    names = events.unit_memo(("names", model.__name__), None)
    if names is not None:  # else nobody compared names in this unit of work
        names.set(row_id, name)


_NOT_CONFIG = ("name", "type", "data_source_id")


def save_trigger(actor: Actor, trigger_id: str | None, *, name: str, kind: str, active: bool,
                 data_source_id: str | None, config: dict[str, Any],
                 from_file: bool = False) -> dict[str, Any]:
    """Create or update. `from_file`: an entry of a configuration file (`config import`): its
    setup markers are kept as the file has them, a trigger still being set up is not checked,
    and the audit line words a change as the file does (the whole config before and after)."""
    actor.require(permissions.CONFIG_WRITE)
    name = " ".join(name.split())
    problems: list[str] = []
    if not name:
        problems.append("The trigger needs a keyword.")
    problems += _unique(Trigger, name, trigger_id, "trigger")
    existing = Trigger.get_or_none(Trigger.id == trigger_id) if trigger_id else None
    if trigger_id and existing is None:
        raise UserError("That trigger no longer exists; the list has been refreshed.")
    # Read once per unit of work (an import saves many triggers), again after a change.
    source = events.unit_memo(("connections",), lambda: {s.id: s for s in DataSource.select()},
                              table="data_sources").get(data_source_id) \
        if data_source_id else None
    if data_source_id and source is None:
        problems.append("The chosen connection no longer exists.")
    if not (from_file and config.get(SETUP_KEY)):
        preset_names = {p.name for p in QueryPreset.select(QueryPreset.name)} \
            if kind == "preset" else None
        problems += check_config(kind, config, source.plugin if source else None, preset_names)
    if problems:
        raise ValidationError("The trigger was not saved:", problems)
    stored = {k: v for k, v in config.items() if from_file or k not in (SETUP_KEY, LEGACY_KEY)}
    old_config = existing.config if existing and isinstance(existing.config, dict) else {}
    if old_config.get(LEGACY_KEY) and not from_file:
        stored[LEGACY_KEY] = old_config[LEGACY_KEY]
    now = format_ts()
    with events.unit_of_work():
        if existing is None:
            trigger_id = new_uuid()
            insert_row(Trigger, {"id": trigger_id, "name": name, "type": kind, "config": stored,
                                 "active": active, "data_source": data_source_id,
                                 "created_at": now, "updated_at": now})
            audit.record(actor, "trigger_created", {"name": name, "type": kind,
                                                    "config": stored})
            _named(Trigger, trigger_id, name)
        else:
            before = {"name": existing.name, "type": existing.type,
                      "data_source_id": existing.data_source_id,
                      **{k: v for k, v in old_config.items() if k not in (LEGACY_KEY,)}}
            after = {"name": name, "type": kind, "data_source_id": data_source_id, **stored}
            if from_file:
                before, after = ({k: v for k, v in before.items() if k in _NOT_CONFIG}
                                 | {"config": old_config},
                                 {k: v for k, v in after.items() if k in _NOT_CONFIG}
                                 | {"config": stored})
            changes = diff(before, after)
            Trigger.update(name=name, type=kind, config=stored, active=active,
                           data_source=data_source_id, updated_at=now).where(
                Trigger.id == trigger_id).execute()
            _named(Trigger, trigger_id, name)
            if changes:
                audit.record(actor, "trigger_updated", {"name": name, "changes": changes})
            if bool(existing.active) != active:
                audit.record(actor, "trigger_enabled" if active else "trigger_disabled",
                             {"name": name})
        events.changed("triggers")
    # The saved row is shown as written, without reading it back (an import saves thousands);
    # the connection was read above.
    saved = Trigger(id=trigger_id, name=name, type=kind, active=active,
                    data_source=data_source_id, updated_at=parse_ts(now),
                    config=Trigger.config.python_value(Trigger.config.db_value(stored)))
    return _plain(saved, {source.id: (source.name, source.plugin, bool(source.active))}
                  if source else {})


def set_active(actor: Actor, trigger_id: str, active: bool) -> dict[str, Any]:
    """Switch a trigger on or off and nothing else (a half-migrated one keeps its marker)."""
    actor.require(permissions.CONFIG_WRITE)
    row = get_trigger(trigger_id)
    if row["active"] == active:
        return row
    if active and row["setup_missing"]:
        raise UserError(f"{row['name']} cannot answer yet: " + " ".join(row["setup_missing"])
                        + " Press Edit… to finish it.")
    with events.unit_of_work():
        Trigger.update(active=active, updated_at=format_ts()).where(
            Trigger.id == trigger_id).execute()
        audit.record(actor, "trigger_enabled" if active else "trigger_disabled",
                     {"name": row["name"]})
        events.changed("triggers")
    return get_trigger(trigger_id)


def delete_trigger(actor: Actor, trigger_id: str) -> None:
    actor.require(permissions.CONFIG_WRITE)
    row = get_trigger(trigger_id)
    with events.unit_of_work():
        Trigger.delete().where(Trigger.id == trigger_id).execute()
        _named(Trigger, trigger_id, None)
        audit.record(actor, "trigger_deleted", {"name": row["name"], "type": row["type"]})
        events.changed("triggers")


def save_group(actor: Actor, group_id: str | None, *, name: str, description: str,
               execution_mode: str, member_ids: list[str],
               from_file: bool = False) -> dict[str, Any]:
    """Create or update. `from_file`: an entry of a configuration file (`config import`),
    which may hold a group whose triggers were all deleted; the audit line calls the members
    "members", as the file does."""
    actor.require(permissions.CONFIG_WRITE)
    name = " ".join(name.split())
    problems: list[str] = []
    if not name:
        problems.append("The group needs a keyword.")
    problems += _unique(TriggerGroup, name, group_id, "group")
    if execution_mode not in ("parallel", "sequential"):
        problems.append("Choose parallel or sequential.")
    if not member_ids and not from_file:
        problems.append("Add at least one trigger to the group.")
    if len(set(member_ids)) != len(member_ids):
        problems.append("A trigger is in the group twice.")
    known = {t.id for t in Trigger.select(Trigger.id)}
    problems += [f"A member ({m}) no longer exists." for m in member_ids if m not in known]
    if problems:
        raise ValidationError("The group was not saved:", problems)
    now = format_ts()
    with events.unit_of_work():
        if group_id is None:
            group_id = new_uuid()
            TriggerGroup.insert(id=group_id, name=name, description=description or None,
                                execution_mode=execution_mode, created_at=now,
                                updated_at=now).execute()
            action, details = "group_created", {"name": name, "members": member_ids}
        else:
            before = get_group(group_id)
            TriggerGroup.update(name=name, description=description or None,
                                execution_mode=execution_mode, updated_at=now).where(
                TriggerGroup.id == group_id).execute()
            after = {"name": name, "description": description, "execution_mode": execution_mode,
                     "member_ids": member_ids}
            changes = diff({k: before[k] for k in after}, after)
            if from_file and "member_ids" in changes:
                changes["members"] = changes.pop("member_ids")
            action, details = "group_updated", {"name": name, "changes": changes}
        _named(TriggerGroup, group_id, name)
        TriggerGroupMember.delete().where(TriggerGroupMember.group == group_id).execute()
        for trigger_id in member_ids:
            TriggerGroupMember.insert(group=group_id, trigger=trigger_id,
                                      created_at=now).execute()
        audit.record(actor, action, details)
        events.changed("trigger_groups")
    return get_group(group_id)


def delete_group(actor: Actor, group_id: str) -> None:
    actor.require(permissions.CONFIG_WRITE)
    group = get_group(group_id)
    with events.unit_of_work():
        TriggerGroup.delete().where(TriggerGroup.id == group_id).execute()
        _named(TriggerGroup, group_id, None)
        audit.record(actor, "group_deleted", {"name": group["name"]})
        events.changed("trigger_groups")


def save_preset(actor: Actor, preset_id: str | None, *, name: str, query_template: str,
                variables: list[dict[str, Any]], is_default: bool) -> dict[str, Any]:
    from app.core.variables import parse_specs

    actor.require(permissions.CONFIG_WRITE)
    name = name.strip()
    problems: list[str] = []
    if not name:
        problems.append("The preset needs a name.")
    problems += _unique(QueryPreset, name, preset_id, "preset")
    if not query_template.strip():
        problems.append("Write the query template.")
    try:
        parse_specs(variables)
    except ValueError as exc:
        problems.append(str(exc))
    if problems:
        raise ValidationError("The preset was not saved:", problems)
    now = format_ts()
    with events.unit_of_work():
        if is_default:
            QueryPreset.update(is_default=False).where(QueryPreset.is_default == True).execute()  # noqa: E712
        values = {"name": name, "query_template": query_template, "variables": variables,
                  "is_default": is_default, "updated_at": now}
        if preset_id is None:
            preset_id = new_uuid()
            QueryPreset.insert(id=preset_id, created_at=now, usage_count=0, **values).execute()
            audit.record(actor, "preset_created", {"name": name})
        else:
            QueryPreset.update(**values).where(QueryPreset.id == preset_id).execute()
            audit.record(actor, "preset_updated", {"name": name})
        _named(QueryPreset, preset_id, name)
        events.changed("query_presets")
    return next(p for p in list_presets() if p["id"] == preset_id)


def delete_preset(actor: Actor, preset_id: str) -> None:
    actor.require(permissions.CONFIG_WRITE)
    preset = next((p for p in list_presets() if p["id"] == preset_id), None)
    if preset is None:
        raise UserError("That preset no longer exists; the list has been refreshed.")
    users = [t["name"] for t in list_triggers()
             if t["type"] == "preset" and t["config"].get("preset") == preset["name"]]
    if users:
        raise UserError(f"The preset {preset['name']} is used by {', '.join(users)}; change "
                        "those triggers first.")
    with events.unit_of_work():
        QueryPreset.delete().where(QueryPreset.id == preset_id).execute()
        _named(QueryPreset, preset_id, None)
        audit.record(actor, "preset_deleted", {"name": preset["name"]})
        events.changed("query_presets")
