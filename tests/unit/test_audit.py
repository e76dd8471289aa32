"""Every service write leaves an audit entry naming who acted; no secret reaches the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from peewee import SQL

from app.core.timefmt import utc_now
from app.db.models import AuditLog, User
from app.services import audit, auth, config_io, settings, users
from app.services.context import Actor, cli_actor


def _new_entries(since: int) -> list[AuditLog]:
    return list(AuditLog.select().where(SQL("rowid") > since).order_by(SQL("rowid")))


def _last_rowid() -> int:
    return AuditLog.select(SQL("max(rowid)")).scalar() or 0


def _writes(admin: Actor):
    """Each service write with the audit action it must leave and a detail it must carry."""
    state: dict[str, str] = {}

    def create():
        state["id"] = users.create_user(admin, "budi", "budi-pass-1", role="user")["id"]
        return {"username": "budi", "role": "user"}

    def update():
        users.update_user(admin, state["id"], full_name="Budi Santoso")
        return {"changes": {"full_name": ["", "Budi Santoso"]}}

    def reset():
        users.reset_password(admin, state["id"], "budi-pass-2")
        return {"username": "budi"}

    def disable():
        users.set_active(admin, state["id"], False)
        return {"user_id": state["id"]}

    def enable():
        users.set_active(admin, state["id"], True)
        return {"user_id": state["id"]}

    def unlock():
        users.unlock(admin, state["id"])
        return {"user_id": state["id"]}

    def change_settings():
        settings.update(admin, {"outbox": {"min_gap_s": 5}})
        return {"changes": {"outbox.min_gap_s": [None, "5.0"]}}

    def delete():
        users.delete_user(admin, state["id"])
        return {"username": "budi"}

    return [
        ("user_created", create), ("user_updated", update), ("password_changed", reset),
        ("user_disabled", disable), ("user_enabled", enable), ("account_unlocked", unlock),
        ("settings_updated", change_settings), ("user_deleted", delete),
    ]


def test_each_write_is_audited_with_the_acting_users_id(db, admin):
    for action, write in _writes(admin):
        mark = _last_rowid()
        expected = write()
        entries = _new_entries(mark)
        assert [e.action for e in entries] == [action]
        assert entries[0].user_id == admin.user_id, action
        assert expected.items() <= entries[0].details.items(), (action, entries[0].details)
        assert entries[0].timestamp > utc_now() - timedelta(minutes=1)


def test_config_import_is_audited_entry_by_entry(db, admin):
    mark = _last_rowid()
    config_io.import_config(admin, {
        "version": 1,
        "data_sources": [{"name": "Plant demo", "plugin": "demo", "config": {}}],
        "triggers": [{"name": "drum", "type": "pi", "data_source": "Plant demo",
                      "config": {"tags": ["DRUM.PRESS"]}},
                     {"name": "info", "type": "text", "config": {"text": "Ext. 1234"}}],
        "trigger_groups": [{"name": "boiler", "members": ["info", "drum"]}],
        "query_presets": [{"name": "last", "query_template": "SELECT 1"}],
        "ai_triggers": [{"prefix": "ai:", "name": "Assistant"}],
        "contacts": [{"name": "Budi", "phone": "+6281234567890", "allowed": True}],
        "settings": {"spam": {"max_commands": 7}},
    })
    entries = _new_entries(mark)
    assert [e.action for e in entries] == [
        "connection_added", "preset_created", "trigger_created", "trigger_created",
        "group_created", "ai_trigger_created", "contact_created", "settings_updated"]
    assert {e.user_id for e in entries} == {admin.user_id}
    assert [e.details["name"] for e in entries if e.action == "trigger_created"] == [
        "drum", "info"]

    mark = _last_rowid()
    config_io.import_config(admin, {"version": 1, "triggers": [
        {"name": "info", "type": "text", "config": {"text": "Ext. 5678"}}]})
    (updated,) = _new_entries(mark)
    assert (updated.action, updated.user_id) == ("trigger_updated", admin.user_id)
    assert updated.details["changes"] == {
        "config": [{"text": "Ext. 1234"}, {"text": "Ext. 5678"}]}


def test_a_password_change_leaves_neither_password_nor_hash_in_the_log(db, admin):
    created = users.create_user(admin, "budi", "first-secret-1", role="user")
    old_hash = User.get_by_id(created["id"]).password_hash
    users.reset_password(admin, created["id"], "second-secret-2")
    new_hash = User.get_by_id(created["id"]).password_hash
    assert new_hash != old_hash
    entry = AuditLog.get(AuditLog.action == "password_changed")
    assert entry.details == {"user_id": created["id"], "username": "budi"}
    logged = " ".join(str(v) for row in db.db.execute_sql(
        "SELECT * FROM audit_logs") for v in row)
    for secret in ("first-secret-1", "second-secret-2", old_hash, new_hash):
        assert secret not in logged


def test_secret_fields_are_masked_in_any_details(db, admin):
    audit.record(admin, "connection_tested", {
        "name": "MySQL", "password": "S3cret!", "config": {"api_key": "sk-1", "host": "db"}})
    entry = AuditLog.get(AuditLog.action == "connection_tested")
    assert entry.details["password"] != "S3cret!"
    assert entry.details["config"]["api_key"] != "sk-1"
    assert entry.details["config"]["host"] == "db"
    raw = db.db.execute_sql("SELECT details FROM audit_logs WHERE action = 'connection_tested'")
    assert "S3cret!" not in raw.fetchone()[0]


def test_command_line_entries_name_the_operator(db, admin):
    operator = cli_actor()
    mark = _last_rowid()
    users.create_user(operator, "budi", "budi-pass-1", role="user")
    (entry,) = _new_entries(mark)
    assert entry.action == "user_created"
    assert entry.user_id is None
    assert entry.details["by"] == operator.username
    assert entry.user_agent == "WA-Integration cli"


# -- reading the log ----------------------------------------------------------------------


@pytest.fixture
def history(db, admin):
    for i in range(25):
        audit.record(admin, "trigger_executed", {"name": f"t{i}"})
    for _ in range(2):
        with pytest.raises(auth.LoginRefused):
            auth.login("ghost", "whatever-1")
    return admin


def test_paging_walks_every_entry_newest_first(history):
    total = audit.count(audit.AuditFilter())
    seen, before = [], None
    while True:
        chunk = audit.page(audit.AuditFilter(), before, 10)
        if not chunk:
            break
        seen += chunk
        before = chunk[-1]["rowid"]
    assert len(seen) == total == AuditLog.select().count()
    assert len({e["id"] for e in seen}) == total
    assert [e["rowid"] for e in seen] == sorted((e["rowid"] for e in seen), reverse=True)
    assert seen[0]["action"] == "login_failed"


def test_filters(history):
    admin = history
    executed = audit.AuditFilter(action="trigger_executed")
    assert audit.count(executed) == 25
    assert {e["username"] for e in audit.page(executed, None, 100)} == {"admin"}
    anonymous = audit.page(audit.AuditFilter(user_id=""), None, 100)
    assert [e["action"] for e in anonymous] == ["login_failed", "login_failed"]
    assert [e["details"] for e in audit.page(audit.AuditFilter(text='"t17"'), None, 100)] == [
        '{"name": "t17"}']
    assert audit.count(audit.AuditFilter(user_id=admin.user_id)) == 26  # with user_created
    future = audit.AuditFilter(since=utc_now() + timedelta(minutes=1))
    assert audit.page(future, None, 10) == []
    assert "login_failed" in audit.actions() and "trigger_executed" in audit.actions()
