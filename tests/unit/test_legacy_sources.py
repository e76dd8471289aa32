"""The old system's data sources arrive converted, with secrets moved out of app.db."""

from __future__ import annotations

import sqlite3

from app import bootstrap, paths
from app.services import secrets as secret_store
from app.services import source_secrets, sources
from tests.legacy_db import (
    LEGACY_AI_SOURCE_ID,
    LEGACY_MYSQL_SOURCE_ID,
    LEGACY_OLD_PI_SOURCE_ID,
    LEGACY_ORACLE_SOURCE_ID,
    LEGACY_PI_SOURCE_ID,
    LEGACY_UNKNOWN_SOURCE_ID,
    build_legacy_db,
)


def open_old(tmp_path):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    env = bootstrap.Environment(paths.resolve(tmp_path / "data"), old, None)
    env.paths.ensure()
    secret_store.configure(env.paths.data_dir)
    return old, bootstrap.open_db(env)


def test_old_sources_become_new_kinds_and_keep_their_ids(tmp_path):
    old, opened = open_old(tmp_path)
    try:
        by_id = {s["id"]: s for s in sources.list_sources()}
        mysql = by_id[LEGACY_MYSQL_SOURCE_ID]
        assert mysql["plugin"] == "mysql" and not mysql["setup_missing"]
        assert mysql["config"]["username"] and mysql["config"]["database"]
        assert mysql["config"]["connect_timeout_s"] == 60.0  # 60000 ms in the old row
        assert mysql["secrets_set"] == ["password"]
        assert source_secrets.secret_for(
            {"secret_refs": _refs(LEGACY_MYSQL_SOURCE_ID)}, "password") == "S3cret!"

        oracle = by_id[LEGACY_ORACLE_SOURCE_ID]
        assert oracle["plugin"] == "oracle" and oracle["config"]["service_name"]

        gateway = by_id[LEGACY_PI_SOURCE_ID]
        assert gateway["plugin"] == "pi"
        assert gateway["config"]["api"] == "gateway"
        assert gateway["config"]["base_url"] == "http://10.1.2.3:6066"
        assert gateway["config"]["default_tag"] == "BOILER1.DRUM.PRESS"
        assert gateway["legacy"]["url"].startswith("http://10.1.2.3:6066/pi/trn?")

        older = by_id[LEGACY_OLD_PI_SOURCE_ID]
        assert older["config"]["base_url"].endswith(":6066")
        assert older["config"]["timeout_s"] > 0

        ai = by_id[LEGACY_AI_SOURCE_ID]
        assert ai["plugin"] == "ai" and ai["config"]["kind"] == "relay"
        assert ai["secrets_set"] == ["api_key"]

        unknown = by_id[LEGACY_UNKNOWN_SOURCE_ID]
        assert unknown["active"] is False and unknown["setup_missing"]
    finally:
        opened.db.close()

    raw = old.read_bytes() + (old.with_name("app.db-wal").read_bytes()
                              if old.with_name("app.db-wal").exists() else b"")
    assert b"S3cret!" not in raw and b"sk-legacy-123" not in raw
    conn = sqlite3.connect(old)
    texts = " ".join(r[0] for r in conn.execute("SELECT config FROM data_sources"))
    conn.close()
    assert "S3cret!" not in texts and "sk-legacy-123" not in texts


def _refs(source_id: str) -> dict:
    from app.db.models import DataSource

    return DataSource.get_by_id(source_id).config["secret_refs"]


def test_reopening_an_upgraded_old_database_changes_no_source(tmp_path):
    old, opened = open_old(tmp_path)
    first = sources.list_sources()
    opened.db.close()
    env = bootstrap.Environment(paths.resolve(tmp_path / "data"), old, None)
    again = bootstrap.open_db(env)
    try:
        assert sources.list_sources() == first
    finally:
        again.db.close()
