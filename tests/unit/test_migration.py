"""The old system's app.db opens: backed up, migrated in place, every row kept and readable."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.timefmt import local_text, parse_ts
from app.db import migrations
from app.db.database import close_database, open_database
from app.db.models import AuditLog, DataSource, Message, User
from app.errors import UserError
from app.services import audit, auth, users
from tests.helpers.databases import user_version
from tests.helpers.privileges import without_file_override
from tests.legacy_db import (
    LEGACY_ADMIN_ID,
    LEGACY_BUDI_ID,
    LEGACY_PASSWORDS,
    LEGACY_PI_SOURCE_ID,
    LEGACY_TABLES,
    build_legacy_db,
    dump_rows,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def legacy(tmp_path) -> Path:
    folder = tmp_path / "old-system"
    folder.mkdir()
    path = folder / "app.db"
    counts = build_legacy_db(path)
    assert all(counts[t] > 0 for t in LEGACY_TABLES), counts
    return path


@pytest.fixture
def backups(data_dir) -> Path:
    return data_dir / "backups"


@pytest.fixture
def opener(backups):
    """open_database into the backup folder; closes whatever it opened."""
    opened = []

    def open_(path: Path):
        result = open_database(path, backups)
        opened.append(result)
        return result

    yield open_
    for result in opened:
        close_database(result.db)


def _rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return dump_rows(conn)
    finally:
        conn.close()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _exec(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            for statement in statements:
                conn.execute(statement)
    finally:
        conn.close()


# -- opening an old database --------------------------------------------------------------


def test_old_database_is_backed_up_then_migrated_in_place(legacy, backups, opener):
    before = _rows(legacy)
    result = opener(legacy)

    assert result.kind == "legacy"
    assert (result.version_before, result.version_after) == (0, migrations.LATEST)
    assert result.path == legacy.resolve()
    assert user_version(legacy) == migrations.LATEST

    assert result.backup_path is not None and result.backup_path.parent == backups
    assert _files(backups) == [result.backup_path.name]
    assert result.backup_path.name.startswith("app-")
    # The backup is the old database as it was: same rows, still version 0.
    assert _rows(result.backup_path) == before
    assert user_version(result.backup_path) == 0


# The migration converts the configuration in these tables to this app's naming, in
# place (docs/old-system.md §12); their rows keep their ids. Every other table keeps its rows
# as they were.
CONVERTED = frozenset({"data_sources", "triggers", "query_presets", "contacts"})
# The old COMPOSITE trigger becomes a sequential group of its members (docs/old-system.md §12); the
# new group's id is new, so the group and its two member rows are checked by name instead.
COMPOSITE_TABLES = ("trigger_groups", "trigger_group_members")


def _assert_kept(before: dict, after: dict, added: dict[str, list]) -> None:
    """Every old row keeps its id (and, outside CONVERTED, its values); only `added` is new."""
    for table in LEGACY_TABLES:
        old, new = before[table], after[table]
        assert [row[0] for row in new[: len(old)]] == [row[0] for row in old], table
        if table in COMPOSITE_TABLES:
            assert len(new) - len(old) == (1 if table == "trigger_groups" else 2), table
        else:
            assert [row[0] for row in new[len(old):]] == added.get(table, []), table
        if table not in CONVERTED:
            # Columns a migration added (nullable) come after the old ones.
            width = len(old[0]) if old else 0
            assert [row[:width] for row in new[: len(old)]] == old, table
    composite = after["trigger_groups"][-1]
    assert composite[1:4] == ("laporan pagi", "Ringkasan pagi boiler dan turbin", "sequential")


def test_every_row_and_id_is_kept(legacy, opener):
    before = _rows(legacy)
    opener(legacy)
    after = _rows(legacy)
    # The only addition: the reply language of a plant moving over stays Bahasa Indonesia.
    _assert_kept(before, after, {"system_settings": ["general_language", "spam_notice_text"]})
    added = {row[0]: row for row in after["system_settings"]}
    assert added["general_language"][:4] == ("general_language", "general", "language", "id")
    # The old warning sentence becomes the notice a muted sender gets.
    assert added["spam_notice_text"][1:3] == ("spam", "notice_text")
    assert added["spam_notice_text"][3] == next(
        r[3] for r in before["system_settings"] if r[2] == "warningMessage")


def test_people_who_used_the_old_bot_stay_allowed_and_groups_do_not_become_people(
        legacy, opener):
    opener(legacy)
    contacts = {row[0]: json.loads(row[3]) for row in _rows(legacy)["contacts"]}
    people = [c for c in contacts if c.endswith(("@c.us", "@lid"))]
    assert people and all(contacts[c]["allowed"] is True for c in people)
    others = [c for c in contacts if not c.endswith(("@c.us", "@lid"))]
    assert others and all("allowed" not in contacts[c] for c in others)


def test_missing_status_row_is_added_as_id_1(legacy, opener):
    _exec(legacy, "DELETE FROM whatsapp_status")
    before = _rows(legacy)
    opener(legacy)
    _assert_kept(before, _rows(legacy), {"whatsapp_status": [1],
                                         "system_settings": ["general_language",
                                                             "spam_notice_text"]})


def test_a_language_the_old_database_already_has_is_kept(legacy, opener):
    _exec(legacy, "INSERT INTO system_settings (id, category, key, value) "
                  "VALUES ('general_language', 'general', 'language', 'en')")
    before = _rows(legacy)
    opener(legacy)
    after = _rows(legacy)
    _assert_kept(before, after, {"system_settings": ["spam_notice_text"]})
    kept = {row[0]: row for row in after["system_settings"]}
    assert kept["general_language"][:4] == ("general_language", "general", "language", "en")


def test_opening_twice_changes_nothing(legacy, backups, opener):
    first = opener(legacy)
    close_database(first.db)
    rows = _rows(legacy)
    backup_files = _files(backups)

    second = opener(legacy)
    assert second.kind == "current"
    assert second.backup_path is None
    assert second.version_before == second.version_after == migrations.LATEST
    close_database(second.db)
    assert _files(backups) == backup_files
    assert _rows(legacy) == rows


# -- reading old rows through the models --------------------------------------------------


def test_old_timestamp_forms_are_read_right(legacy, opener, local_zone):
    local_zone("WIB-7")  # the plant's server ran on UTC+7
    opener(legacy)
    admin = User.get_by_id(LEGACY_ADMIN_ID)
    # "2025-10-30 14:22:01.123": local time, no zone.
    assert admin.last_login == datetime(2025, 10, 30, 7, 22, 1, 123000, UTC)
    # "2024-09-30 23:00:00": SQLite's UTC default.
    assert admin.created_at == datetime(2024, 9, 30, 23, 0, 0, tzinfo=UTC)
    source = DataSource.get_by_id(LEGACY_PI_SOURCE_ID)
    # ISO with milliseconds and Z (the old system's test, kept as the old system's, not ours).
    old_test = source.config["legacy"]["test"]
    assert parse_ts(old_test["last_tested_at"]) == datetime(2025, 10, 30, 7, 10, 5, 412000, UTC)
    assert source.last_tested_at is None and source.test_status is None
    assert source.created_at == datetime(2025, 10, 1, 2, 15, 33, tzinfo=UTC)

    listed = {u["username"]: u for u in users.list_users()}
    assert local_text(listed["admin"]["last_login"]) == "2025-10-30 14:22"
    assert local_text(listed["budi"]["last_login"]) == "2025-10-30 08:05"


def test_last_login_follows_the_workstations_zone(legacy, opener, local_zone):
    local_zone("UTC0")  # the old system inside Docker ran on UTC
    opener(legacy)
    assert User.get_by_id(LEGACY_ADMIN_ID).last_login == datetime(
        2025, 10, 30, 14, 22, 1, 123000, UTC)


def test_mixed_forms_sort_by_moment(legacy, opener):
    opener(legacy)
    entries = sorted(AuditLog.select(), key=lambda e: e.timestamp)
    assert [e.action for e in entries] == [
        "user_created",  # 2025-10-01 03:00:00
        "connection_tested",  # 2025-10-30T07:10:05.420Z
        "message_sent",  # 2025-10-30T07:15:42.130Z
        "login_failed",  # 2025-10-30 07:21:30
        "login_success",  # 2025-10-30 07:22:01
        "trigger_updated",  # 2025-10-30T08:05:12.350Z
    ]
    # Message rows hold both forms in created_at; both read as aware UTC moments.
    assert all(m.created_at.tzinfo is not None for m in Message.select())


# -- old users and their history ----------------------------------------------------------


@pytest.mark.parametrize(("username", "prefix"), [("admin", "$2b$"), ("budi", "$2a$")])
def test_old_users_log_in_with_their_old_passwords(legacy, opener, username, prefix):
    opener(legacy)
    assert User.get(User.username == username).password_hash.startswith(prefix)
    with pytest.raises(auth.LoginRefused):
        auth.login(username, "not-the-password")
    info = auth.login(username, LEGACY_PASSWORDS[username])
    assert info.actor.username == username
    assert info.actor.role == "admin"
    assert auth.session_valid(info)


def test_old_session_row_is_replaced_on_login(legacy, opener):
    opener(legacy)
    old_hash = auth.Session.get(auth.Session.user == LEGACY_BUDI_ID).token_hash
    auth.login("budi", LEGACY_PASSWORDS["budi"])
    rows = list(auth.Session.select().where(auth.Session.user == LEGACY_BUDI_ID))
    assert len(rows) == 1
    assert rows[0].token_hash != old_hash
    assert rows[0].expires_at > datetime.now(UTC)


def test_old_audit_history_is_listed_beside_new_entries(legacy, opener):
    opener(legacy)
    old_ids = {e.id for e in AuditLog.select()}
    auth.login("admin", LEGACY_PASSWORDS["admin"])

    listed = audit.page(audit.AuditFilter(), None, 100)
    assert len(listed) == len(old_ids) + 1
    assert listed[0]["action"] == "login_success" and listed[0]["id"] not in old_ids
    assert {e["id"] for e in listed[1:]} == old_ids
    by_action = {e["action"]: e for e in listed[1:]}
    assert by_action["trigger_updated"]["username"] == "budi"
    assert by_action["login_failed"]["username"] == ""
    assert '"reason":"invalid_credentials"' in by_action["login_failed"]["details"]
    assert by_action["message_sent"]["timestamp"] == datetime(
        2025, 10, 30, 7, 15, 42, 130000, UTC)

    # One history: filtering by the old admin finds old and new entries alike.
    mine = audit.page(audit.AuditFilter(user_id=LEGACY_ADMIN_ID), None, 100)
    assert [e["action"] for e in mine] == [
        "login_success", "connection_tested", "login_success", "user_created"]
    # A time window picks rows of both stored forms by their moment.
    window = audit.AuditFilter(since=datetime(2025, 10, 30, 7, 15, tzinfo=UTC),
                               until=datetime(2025, 10, 30, 7, 23, tzinfo=UTC))
    assert {e["action"] for e in audit.page(window, None, 100)} == {
        "message_sent", "login_failed", "login_success"}


# -- bad input: a sentence, and nothing changed -------------------------------------------


def _refused(open_, path: Path, backups: Path, *phrases: str) -> str:
    content = path.read_bytes() if path.is_file() else None
    with pytest.raises(UserError) as caught:
        open_(path)
    message = str(caught.value)
    for phrase in phrases:
        assert phrase in message
    assert message.endswith(".")
    if content is not None:
        assert path.read_bytes() == content
    assert _files(backups) == []
    return message


def test_a_file_that_is_not_sqlite_is_refused(tmp_path, backups, opener):
    path = tmp_path / "config.json"
    path.write_text('{"version": 1, "triggers": []}\n')
    _refused(opener, path, backups, "is not an SQLite database")


def test_a_damaged_sqlite_file_is_refused(tmp_path, backups, legacy, opener):
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(legacy.read_bytes()[:100] + b"\xff" * 4000)
    _refused(opener, damaged, backups, "cannot be read")


def test_a_database_of_a_newer_app_is_refused(legacy, backups, opener):
    _exec(legacy, f"PRAGMA user_version = {migrations.LATEST + 1}")
    rows = _rows(legacy)
    _refused(opener, legacy, backups, "newer version", f"database version {migrations.LATEST + 1}")
    assert _rows(legacy) == rows
    assert user_version(legacy) == migrations.LATEST + 1


@pytest.mark.parametrize("user_version", [0, 1, 7])
def test_another_applications_database_is_refused(tmp_path, backups, opener, user_version):
    path = tmp_path / "places.sqlite"
    _exec(path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)",
          "INSERT INTO moz_places (url) VALUES ('https://example.org')",
          f"PRAGMA user_version = {user_version}")
    _refused(opener, path, backups, "not one of WA-Integration", "moz_places")
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    finally:
        conn.close()
    assert tables == ["moz_places"]


def test_a_folder_or_a_missing_folder_is_refused(tmp_path, backups, opener):
    _refused(opener, tmp_path, backups, "is a folder")
    _refused(opener, tmp_path / "nowhere" / "app.db", backups, "does not exist")


def _make_read_only(path: Path) -> None:
    path.chmod(0o555 if path.is_dir() else 0o444)
    if os.geteuid() != 0 and os.access(path, os.W_OK):
        path.chmod(0o755 if path.is_dir() else 0o644)
        pytest.skip("permissions do not restrict this user (this file system ignores them)")


# open_database in a child process; a refusal comes back as its sentence on stdout, exit 3.
_OPEN_IN_CHILD = """
import sys
from pathlib import Path

from app.db.database import close_database, open_database
from app.errors import UserError

try:
    result = open_database(Path(sys.argv[1]), Path(sys.argv[2]))
except UserError as exc:
    sys.stdout.write(str(exc))
    sys.exit(3)
close_database(result.db)
"""


@pytest.fixture
def ordinary_opener(backups, opener):
    """`opener` as an ordinary user meets read-only files: as root (CI), in a child process
    that may not ignore file permissions; a refusal is raised here as the same UserError."""
    prefix = without_file_override()
    if not prefix:
        return opener

    def open_(path: Path):
        result = subprocess.run(
            [*prefix, sys.executable, "-c", _OPEN_IN_CHILD, str(path), str(backups)],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
        if result.returncode == 3:
            raise UserError(result.stdout)
        assert result.returncode == 0, result.stderr

    return open_


def test_a_read_only_file_is_refused(legacy, backups, ordinary_opener):
    _make_read_only(legacy)
    try:
        _refused(ordinary_opener, legacy, backups, "read-only")
        assert user_version(legacy) == 0
    finally:
        legacy.chmod(0o644)


def test_a_read_only_folder_is_refused(legacy, backups, ordinary_opener):
    folder = legacy.parent
    _make_read_only(folder)
    try:
        _refused(ordinary_opener, legacy, backups, "read-only")
        assert user_version(legacy) == 0
        _refused(ordinary_opener, folder / "new.db", backups, "read-only")
        assert not (folder / "new.db").exists()
    finally:
        folder.chmod(0o755)


def test_alarm_and_schedule_tables_come_by_migration_and_keep_their_rules(tmp_path, backups,
                                                                          opener):
    legacy = tmp_path / "app.db"
    build_legacy_db(legacy)
    opener(legacy)
    with sqlite3.connect(legacy) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"alarms", "alarm_events", "alarm_acks", "schedules", "schedule_runs"} <= tables
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("INSERT INTO alarms (id, name, kind) VALUES ('a1', 'Drum', 'pi')")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO alarms (id, name, kind) VALUES ('a2', 'Drum', 'pi')")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO alarm_events (alarm_id, state, raised_at) "
                         "VALUES ('a1', 'forgotten', '2026-01-01 00:00:00')")
        with pytest.raises(sqlite3.IntegrityError):  # an event of an alarm that is not there
            conn.execute("INSERT INTO alarm_events (alarm_id, state, raised_at) "
                         "VALUES ('nope', 'active', '2026-01-01 00:00:00')")
