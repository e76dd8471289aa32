"""Data sources: validated, audited saves; secrets in the store; test outcomes on the row."""

from __future__ import annotations

from typing import Any

from app.core import permissions, source_fields
from app.core.ids import new_uuid
from app.core.legacy_sources import LEGACY_KEY, SETUP_KEY
from app.core.redact import diff
from app.core.sources import TestResult
from app.core.timefmt import format_ts
from app.db.models import AiTrigger, DataSource, Trigger
from app.errors import UserError, ValidationError
from app.services import audit, events, secrets
from app.services.cache import Kept, copied
from app.services.context import Actor
from app.services.source_secrets import SECRET_REFS

HIDDEN_KEYS = (SECRET_REFS, SETUP_KEY, LEGACY_KEY)
_kept = Kept("data_sources")  # each connection as get_source shows it, by id


def _plain(row: DataSource) -> dict[str, Any]:
    config = row.config if isinstance(row.config, dict) else {}
    refs = config.get(SECRET_REFS) or {}
    return {
        "id": row.id, "name": row.name, "plugin": row.plugin, "active": bool(row.active),
        "kind_label": source_fields.KINDS.get(row.plugin, f"Unsupported ({row.plugin})"),
        "config": {k: v for k, v in config.items() if k not in HIDDEN_KEYS},
        "legacy": config.get(LEGACY_KEY),
        "secrets_set": sorted(refs) if isinstance(refs, dict) else [],
        "setup_missing": list(config.get(SETUP_KEY) or []) + source_fields.check(
            row.plugin, {k: v for k, v in config.items() if k not in HIDDEN_KEYS},
            set(refs) if isinstance(refs, dict) else set()),
        "connection_status": row.connection_status or "unknown",
        "test_status": row.test_status, "last_tested_at": row.last_tested_at,
        "test_error_message": row.test_error_message or "",
        "updated_at": row.updated_at,
    }


def by_readiness(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Connections in the order a new trigger or alarm should offer them: working ones first
    (switched on, last test passed), then untested, then failed or unfinished, then switched
    off; by name within each. The first is the one preselected."""
    def rank(row: dict[str, Any]) -> tuple[int, str]:
        if not row["active"]:
            order = 3
        elif row.get("setup_missing") or row.get("test_status") == "failed":
            order = 2
        elif row.get("test_status") == "success":
            order = 0
        else:
            order = 1
        return order, str(row["name"]).casefold()

    return sorted(rows, key=rank)


def list_sources() -> list[dict[str, Any]]:
    return [_plain(s) for s in DataSource.select().order_by(DataSource.name)]


def get_source(source_id: str) -> dict[str, Any]:
    def build() -> dict[str, Any] | None:
        row = DataSource.get_or_none(DataSource.id == source_id)
        return None if row is None else _plain(row)

    # Read for every message a trigger answers: kept until the connections change.
    found = _kept.get(source_id, build)
    if found is None:
        raise UserError("That connection no longer exists; the list has been refreshed.")
    return copied(found)


def find_by_name(name: str) -> dict[str, Any] | None:
    for row in DataSource.select():
        if row.name.strip().lower() == name.strip().lower():
            return _plain(row)
    return None


def save_source(
    actor: Actor, source_id: str | None, *, name: str, plugin: str, active: bool,
    config: dict[str, Any], new_secrets: dict[str, str | None] | None = None,
    from_file: bool = False,
) -> dict[str, Any]:
    """Create or update. `new_secrets`: a value sets, "" removes, a missing key keeps.

    `from_file`: an entry of a configuration file (`config import`). Its setup markers are
    kept as the file has them, a connection still being set up is not checked, and the
    passwords a file never carries are asked for later in the Connections tab.
    """
    actor.require(permissions.CONFIG_WRITE)
    name = name.strip()
    problems: list[str] = []
    if not name:
        problems.append("The connection needs a name.")
    if plugin not in source_fields.KINDS and not from_file:
        problems.append(f"Choose a kind of connection ({', '.join(source_fields.KINDS)}).")
    existing = DataSource.get_or_none(DataSource.id == source_id) if source_id else None
    if source_id and existing is None:
        raise UserError("That connection no longer exists; the list has been refreshed.")
    for other in DataSource.select(DataSource.id, DataSource.name):
        if other.name.strip().lower() == name.lower() and other.id != source_id:
            problems.append(f"Another connection is already called {name}.")
    old_config = existing.config if existing and isinstance(existing.config, dict) else {}
    refs = dict(old_config.get(SECRET_REFS) or {})
    new_secrets = new_secrets or {}
    present = {k for k in refs if new_secrets.get(k, None) != ""} | {
        k for k, v in new_secrets.items() if v}
    public = {k: v for k, v in config.items() if k not in HIDDEN_KEYS}
    if plugin in source_fields.FIELDS and not (from_file and config.get(SETUP_KEY)):
        problems += source_fields.check(plugin, public, present, secrets=not from_file)
    if problems:
        raise ValidationError("The connection was not saved:", problems)

    now = format_ts()
    with events.unit_of_work():
        _store_secrets(refs, new_secrets)
        # From a file: its config as it is (markers included, in its order); else what the
        # form shows, and the old system's record kept.
        stored = {k: v for k, v in config.items() if k != SECRET_REFS} if from_file \
            else dict(public)
        if refs:
            stored[SECRET_REFS] = refs
        if old_config.get(LEGACY_KEY) and not from_file:
            stored[LEGACY_KEY] = old_config[LEGACY_KEY]
        if existing is None:
            source_id = new_uuid()
            DataSource.insert(id=source_id, name=name, plugin=plugin, config=stored,
                              active=active, connection_status="unknown", created_at=now,
                              updated_at=now).execute()
            audit.record(actor, "connection_added", {"name": name, "plugin": plugin,
                                                     "config": public,
                                                     "secrets": sorted(refs)})
        else:
            before = {"name": existing.name, "plugin": existing.plugin,
                      "active": bool(existing.active),
                      **{k: v for k, v in old_config.items() if k not in HIDDEN_KEYS}}
            after = {"name": name, "plugin": plugin, "active": active, **public}
            changes = diff(before, after)
            changed_secrets = sorted(k for k, v in new_secrets.items() if v is not None)
            DataSource.update(name=name, plugin=plugin, config=stored, active=active,
                              database_type=plugin if plugin in ("mysql", "oracle") else None,
                              updated_at=now).where(DataSource.id == source_id).execute()
            if changes or changed_secrets:
                audit.record(actor, "connection_updated", {
                    "name": name, "changes": changes, "secrets_changed": changed_secrets})
        events.changed("data_sources")
    return get_source(source_id)


def _store_secrets(refs: dict[str, str], new_secrets: dict[str, str | None]) -> None:
    """Put the new values in the store and point `refs` at them. A replaced value is deleted
    only once the row stops naming it (after the commit); a new one is deleted again if the
    row is not kept (rollback)."""
    store = secrets.store()
    for key, value in new_secrets.items():
        if value is None:
            continue
        old = refs.pop(key, None)
        if old:
            events.after_commit(lambda ref=old: store.delete(ref))
        if value:
            refs[key] = store.put(value)
            events.on_rollback(lambda ref=refs[key]: store.delete(ref))


def set_active(actor: Actor, source_id: str, active: bool) -> dict[str, Any]:
    current = get_source(source_id)
    return save_source(actor, source_id, name=current["name"], plugin=current["plugin"],
                       active=active, config=current["config"])


def delete_source(actor: Actor, source_id: str) -> int:
    """Delete; returns how many triggers lost their source (they stay, marked for the user)."""
    actor.require(permissions.CONFIG_WRITE)
    row = DataSource.get_or_none(DataSource.id == source_id)
    if row is None:
        raise UserError("That connection no longer exists; the list has been refreshed.")
    orphans = Trigger.select().where(Trigger.data_source == source_id).count()
    refs = (row.config or {}).get(SECRET_REFS) or {} if isinstance(row.config, dict) else {}
    with events.unit_of_work():
        AiTrigger.update(data_source_id=None).where(
            AiTrigger.data_source_id == source_id).execute()
        DataSource.delete().where(DataSource.id == source_id).execute()
        audit.record(actor, "connection_deleted", {"name": row.name, "plugin": row.plugin,
                                                   "triggers_without_source": orphans})
        events.changed("data_sources")
    for ref in refs.values():  # after the commit: a rolled-back delete keeps its secrets
        secrets.store().delete(ref)
    return orphans


def connection_settings(source_id: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    """Kind, settings and secrets that open a live source (ORM and secret store: main thread).

    The runtime opens the source itself (app.sources.registry.create): services know rows and
    secrets, not drivers (docs/architecture.md, "Layers").
    """
    row = DataSource.get_or_none(DataSource.id == source_id)
    if row is None:
        raise UserError("That connection no longer exists.")
    config = row.config if isinstance(row.config, dict) else {}
    refs = config.get(SECRET_REFS) or {}
    values = {k: secrets.store().get(ref) for k, ref in refs.items()}
    public = {k: v for k, v in config.items() if k not in HIDDEN_KEYS}
    return row.plugin, public, {k: v for k, v in values.items() if v}


def mark_pending(source_id: str) -> None:
    DataSource.update(test_status="pending").where(DataSource.id == source_id).execute()
    events.changed("data_sources")


def record_test(actor: Actor | None, source_id: str, result: TestResult) -> None:
    message = result.message if result.ok else (
        f"{result.message} [{result.code}]" if result.code else result.message)
    with events.unit_of_work():
        DataSource.update(
            test_status="success" if result.ok else "failed",
            connection_status="connected" if result.ok else "error",
            last_tested_at=format_ts(),
            test_error_message=None if result.ok else message,
        ).where(DataSource.id == source_id).execute()
        row = DataSource.get_by_id(source_id)
        audit.record(actor, "connection_tested", {
            "name": row.name, "status": "success" if result.ok else "failed",
            "latency_ms": round(result.latency_ms), "message": message})
        events.changed("data_sources")
