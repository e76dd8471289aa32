"""Integer migration ladder over PRAGMA user_version; version 0 is the old system's database."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from peewee import SqliteDatabase

from app.core import legacy_sources
from app.core.ids import new_uuid
from app.core.timefmt import format_ts
from app.db.schema import base_statements

log = logging.getLogger(__name__)


def _v1_adopt_old_schema(db: SqliteDatabase, legacy: bool) -> None:
    """Create what is missing of the old schema; an old database keeps every table and row."""
    for statement in base_statements():
        db.execute_sql(statement)
    now = format_ts()
    db.execute_sql(
        "INSERT OR IGNORE INTO whatsapp_status (id, is_ready, is_initializing, last_update) "
        "VALUES (1, 0, 0, ?)",
        (now,),
    )
    # The old bot spoke Bahasa Indonesia; a plant moving over keeps hearing it.
    db.execute_sql(
        "INSERT OR IGNORE INTO system_settings (id, category, key, value, created_at, updated_at)"
        " VALUES ('general_language', 'general', 'language', ?, ?, ?)",
        ("id" if legacy else "en", now, now),
    )
    if not legacy:
        # A new installation answers with data before anything is set up (SPEC §2).
        db.execute_sql(
            "INSERT INTO data_sources (id, name, plugin, config, connection_status, active, "
            "created_at, updated_at) VALUES (?, 'demo', 'demo', '{}', 'unknown', 1, ?, ?)",
            (new_uuid(), now, now),
        )


def _v2_convert_old_sources(db: SqliteDatabase, legacy: bool) -> None:
    """Old plugin names and keys become this app's (LEGACY.md §12); the old keys stay for reference.

    Plain-text passwords stay under their key for one moment: opening the database moves every
    secret into the secret store right after the migrations (app.services.source_secrets).
    """
    rows = db.execute_sql(
        "SELECT id, plugin, database_type, config, active FROM data_sources").fetchall()
    now = format_ts()
    for source_id, plugin, database_type, config_text, _active in rows:
        try:
            config = json.loads(config_text) if config_text else {}
        except ValueError:
            config = {}
        converted = legacy_sources.convert(plugin, database_type, config)
        if converted is None:
            continue
        new_config = dict(converted.config)
        if converted.missing:
            new_config[legacy_sources.SETUP_KEY] = converted.missing
        params: list = [converted.plugin,
                        converted.plugin if converted.plugin in ("mysql", "oracle") else None,
                        json.dumps(new_config, ensure_ascii=False), now]
        sql = "UPDATE data_sources SET plugin = ?, database_type = ?, config = ?, updated_at = ?"
        if converted.active is not None:
            sql += ", active = ?"
            params.append(1 if converted.active else 0)
        db.execute_sql(sql + " WHERE id = ?", (*params, source_id))
        log.info("Converted data source %s from %s to %s", source_id, plugin, converted.plugin)


MIGRATIONS: list[tuple[int, Callable[[SqliteDatabase, bool], None]]] = [
    (1, _v1_adopt_old_schema),
    (2, _v2_convert_old_sources),
]
LATEST = MIGRATIONS[-1][0]


def upgrade(db: SqliteDatabase, current: int, legacy: bool) -> int:
    """Apply each missing step in its own transaction; returns the new version."""
    for version, step in MIGRATIONS:
        if version <= current:
            continue
        with db.atomic():
            step(db, legacy)
            db.execute_sql(f"PRAGMA user_version = {int(version)}")
        log.info("Database migrated to version %s", version)
        current = version
    return current
