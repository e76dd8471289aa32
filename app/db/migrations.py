"""Integer migration ladder over PRAGMA user_version; version 0 is the old system's database."""

from __future__ import annotations

import logging
from collections.abc import Callable

from peewee import SqliteDatabase

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


MIGRATIONS: list[tuple[int, Callable[[SqliteDatabase, bool], None]]] = [
    (1, _v1_adopt_old_schema),
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
