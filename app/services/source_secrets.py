"""Secrets of data sources live in the secret store; `config.secret_refs` holds references."""

from __future__ import annotations

import logging
from typing import Any

from app.core.redact import is_secret_key
from app.core.timefmt import format_ts
from app.db.models import DataSource, database_proxy
from app.services import audit, events, secrets
from app.services.context import SYSTEM

log = logging.getLogger(__name__)

SECRET_REFS = "secret_refs"
# The old system's key names for the same secrets.
CANONICAL = {"apikey": "api_key", "api_key": "api_key", "password": "password",
             "token": "token"}


def secret_for(config: dict[str, Any], name: str) -> str | None:
    refs = config.get(SECRET_REFS) if isinstance(config, dict) else None
    return secrets.store().get(refs.get(name)) if isinstance(refs, dict) else None


def move_plaintext_secrets() -> int:
    """Move every secret still written in a source's config into the store; returns the count."""
    moved = 0
    for source in DataSource.select():
        config = source.config
        if not isinstance(config, dict):
            continue
        plain = {k: v for k, v in config.items() if is_secret_key(k)}
        if not plain:
            continue
        new_config = {k: v for k, v in config.items() if not is_secret_key(k)}
        refs = dict(new_config.get(SECRET_REFS) or {})
        for key, value in plain.items():
            if isinstance(value, str) and value:
                name = CANONICAL.get(key.lower(), key)
                refs[name] = secrets.store().put(value)
                moved += 1
        if refs:
            new_config[SECRET_REFS] = refs
        with events.unit_of_work():
            DataSource.update(config=new_config, updated_at=format_ts()).where(
                DataSource.id == source.id).execute()
            audit.record(SYSTEM, "connection_updated", {
                "name": source.name, "secrets_moved_to_store": sorted(plain)})
            events.changed("data_sources")
        log.info("Moved %d secret(s) of source %s into the %s", len(plain), source.name,
                 secrets.store().backend_name)
    if moved:
        # Overwrite the freed pages so the old plain text does not linger in the file.
        database_proxy.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database_proxy.execute_sql("VACUUM")
    return moved
