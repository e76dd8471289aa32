"""A new database has the old system's schema: tables, columns, keys, indexes and CHECKs."""

from __future__ import annotations

import itertools
import re
import sqlite3

import pytest

from app.db import migrations
from tests.legacy_db import LEGACY_DDL, LEGACY_INDEXES, LEGACY_TABLES

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def old(tmp_path) -> sqlite3.Connection:
    """A database made by the old system's DDL, with its pragmas."""
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.executescript(LEGACY_DDL)
    conn.execute("PRAGMA foreign_keys = ON")
    yield conn
    conn.close()


@pytest.fixture
def new(db) -> sqlite3.Connection:
    """The app's own connection to a fresh database (production pragmas and migrations)."""
    return db.db.connection()


def _objects(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    return set(conn.execute("SELECT type, name, tbl_name FROM sqlite_master"))


def test_every_old_table_and_index_exists(old, new):
    old_objects = _objects(old)
    assert {("table", t, t) for t in LEGACY_TABLES} <= old_objects
    assert {name for kind, name, _ in old_objects if kind == "index"} >= set(LEGACY_INDEXES)
    # Includes the automatic indexes of UNIQUE constraints and sqlite_sequence (AUTOINCREMENT).
    missing = old_objects - _objects(new)
    assert not missing


@pytest.mark.parametrize("table", LEGACY_TABLES)
def test_columns_match_names_types_defaults_and_keys(old, new, table):
    old_columns = old.execute(f"PRAGMA table_info({table})").fetchall()
    new_columns = new.execute(f"PRAGMA table_info({table})").fetchall()
    assert old_columns
    # (cid, name, type, notnull, dflt_value, pk), in the same order.
    assert new_columns[: len(old_columns)] == old_columns
    for _cid, name, _type, notnull, default, _pk in new_columns[len(old_columns):]:
        # Migrations may only add columns that old rows can leave empty.
        assert not notnull or default is not None, name


@pytest.mark.parametrize("table", LEGACY_TABLES)
def test_foreign_keys_match(old, new, table):
    def keys(conn):
        # (table, from, to, on_update, on_delete, match) of each foreign key.
        return {row[2:] for row in conn.execute(f"PRAGMA foreign_key_list({table})")}

    assert keys(new) == keys(old)


def test_foreign_key_actions_are_the_old_ones(new):
    def on_delete(table):
        return {(r[3], r[6]) for r in new.execute(f"PRAGMA foreign_key_list({table})")}

    assert on_delete("triggers") == {("data_source_id", "SET NULL")}
    assert on_delete("trigger_group_members") == {("group_id", "CASCADE"),
                                                  ("trigger_id", "CASCADE")}
    assert on_delete("users") == {("created_by", "NO ACTION")}
    assert on_delete("audit_logs") == {("user_id", "NO ACTION")}
    assert on_delete("sessions") == {("user_id", "NO ACTION")}


@pytest.mark.parametrize("table", LEGACY_TABLES)
def test_indexes_match(old, new, table):
    def indexes(conn):
        found = {}
        for _seq, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
            columns = [r[2] for r in conn.execute(f"PRAGMA index_info({name})")]
            found[name] = (unique, origin, partial, columns)
        return found

    old_indexes = indexes(old)
    new_indexes = indexes(new)
    for name, shape in old_indexes.items():
        assert new_indexes.get(name) == shape, name


def test_unique_constraints_of_the_old_schema(new):
    def uniques(table):
        return {
            tuple(r[2] for r in new.execute(f"PRAGMA index_info({name})"))
            for _s, name, unique, _o, _p in new.execute(f"PRAGMA index_list({table})")
            if unique
        }

    assert ("group_id", "trigger_id") in uniques("trigger_group_members")
    assert ("category", "key") in uniques("system_settings")
    assert ("user_id",) in uniques("sessions")
    assert ("username",) in uniques("users")
    assert ("phone",) in uniques("contacts")


# -- CHECK value sets: proven by writing each value -----------------------------------------

_ids = itertools.count()

CHECKS = [
    # (table, column, required columns, allowed, refused)
    ("data_sources", "connection_status", {"name": "S", "plugin": "pi", "config": "{}"},
     ["connected", "disconnected", "error", "unknown"], ["ok", "CONNECTED", "testing", ""]),
    ("data_sources", "test_status", {"name": "S", "plugin": "pi", "config": "{}"},
     ["success", "failed", "pending", None], ["error", "ok", "SUCCESS"]),
    ("trigger_groups", "execution_mode", {"name": "G"},
     ["parallel", "sequential"], ["serial", "PARALLEL", "concurrent"]),
    ("outgoing_messages", "status", {"recipient": "628123456789", "message": "hi"},
     ["pending", "sent", "failed"], ["sending", "queued", "in_flight", "SENT"]),
    ("users", "role", {"password_hash": "x"},
     ["admin", "user", "viewer"], ["operator", "Admin", "superuser", ""]),
]


def _try_insert(conn: sqlite3.Connection, table: str, column: str, base: dict, value) -> bool:
    row = dict(base)
    row[column] = value
    n = next(_ids)
    if table == "users":
        row["username"] = f"probe{n}"
    if table != "outgoing_messages":
        row["id"] = f"probe-{n}"
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    try:
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
    except sqlite3.IntegrityError as exc:
        assert "CHECK constraint failed" in str(exc)
        return False
    return True


@pytest.mark.parametrize(("table", "column", "base", "allowed", "refused"), CHECKS,
                         ids=[f"{c[0]}.{c[1]}" for c in CHECKS])
def test_check_value_sets_match(old, new, table, column, base, allowed, refused):
    for conn in (old, new):
        assert [v for v in allowed if not _try_insert(conn, table, column, base, v)] == []
        assert [v for v in refused if _try_insert(conn, table, column, base, v)] == []


def test_defaults_of_a_minimal_row_are_the_old_ones(new):
    new.execute("INSERT INTO data_sources (id, name, plugin, config) VALUES ('d', 'S', 'pi', '{}')")
    new.execute("INSERT INTO trigger_groups (id, name) VALUES ('g', 'G')")
    new.execute("INSERT INTO outgoing_messages (recipient, message) VALUES ('62812', 'hi')")
    new.execute("INSERT INTO users (username, password_hash) VALUES ('u1', 'x')")
    assert new.execute(
        "SELECT connection_status, test_status, active FROM data_sources").fetchone() == (
        "unknown", None, 1)
    assert new.execute("SELECT execution_mode FROM trigger_groups").fetchone() == ("parallel",)
    assert new.execute("SELECT status, type, retry_count FROM outgoing_messages").fetchone() == (
        "pending", "manual", 0)
    role, active, attempts, created = new.execute(
        "SELECT role, is_active, login_attempts, created_at FROM users").fetchone()
    assert (role, active, attempts) == ("admin", 1, 0)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", created)


def test_ids_of_users_audit_and_sessions_default_to_uuid4(new):
    new.execute("INSERT INTO users (username, password_hash) VALUES ('u1', 'x')")
    user_id = new.execute("SELECT id FROM users").fetchone()[0]
    new.execute("INSERT INTO audit_logs (action) VALUES ('probe')")
    new.execute("INSERT INTO sessions (user_id) VALUES (?)", (user_id,))
    ids = [user_id] + [new.execute(f"SELECT id FROM {t}").fetchone()[0]
                       for t in ("audit_logs", "sessions")]
    assert all(UUID4.match(i) for i in ids), ids


# -- the app's connection enforces what the old one did -------------------------------------


def test_connection_pragmas(db):
    def pragma(name):
        return db.db.execute_sql(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") >= 1000
    assert pragma("user_version") == migrations.LATEST


def test_file_stays_in_wal_mode_for_other_readers(db):
    other = sqlite3.connect(db.path)
    try:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        other.close()


def test_foreign_keys_are_enforced_on_the_apps_connection(new):
    new.execute("INSERT INTO data_sources (id, name, plugin, config) VALUES ('d', 'S', 'pi', '{}')")
    new.execute("INSERT INTO triggers (id, name, type, config, data_source_id) "
                "VALUES ('t', 'T', 'pi', '{}', 'd')")
    new.execute("INSERT INTO trigger_groups (id, name) VALUES ('g', 'G')")
    new.execute("INSERT INTO trigger_group_members (group_id, trigger_id) VALUES ('g', 't')")
    with pytest.raises(sqlite3.IntegrityError):
        new.execute("INSERT INTO trigger_group_members (group_id, trigger_id) VALUES ('g', 't')")
    with pytest.raises(sqlite3.IntegrityError):
        new.execute("INSERT INTO triggers (id, name, type, config, data_source_id) "
                    "VALUES ('t2', 'T2', 'pi', '{}', 'no-such-source')")

    new.execute("DELETE FROM data_sources WHERE id = 'd'")
    assert new.execute("SELECT data_source_id FROM triggers WHERE id = 't'").fetchone() == (None,)
    new.execute("DELETE FROM trigger_groups WHERE id = 'g'")
    assert new.execute("SELECT COUNT(*) FROM trigger_group_members").fetchone() == (0,)

    new.execute("INSERT INTO users (id, username, password_hash) VALUES ('u', 'u1', 'x')")
    new.execute("INSERT INTO audit_logs (user_id, action) VALUES ('u', 'login_success')")
    with pytest.raises(sqlite3.IntegrityError):
        new.execute("DELETE FROM users WHERE id = 'u'")


def test_settings_are_unique_per_category_and_key(new):
    new.execute("INSERT INTO system_settings (id, category, key, value) "
                "VALUES ('spam_a', 'spam', 'a', '1')")
    with pytest.raises(sqlite3.IntegrityError):
        new.execute("INSERT INTO system_settings (id, category, key, value) "
                    "VALUES ('other', 'spam', 'a', '2')")


def test_fresh_database_has_one_status_row_and_english_replies(new):
    assert new.execute("SELECT id FROM whatsapp_status").fetchall() == [(1,)]
    assert new.execute(
        "SELECT value FROM system_settings WHERE category = 'general' AND key = 'language'"
    ).fetchall() == [("en",)]
