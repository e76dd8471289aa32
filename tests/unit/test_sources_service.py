"""Saving, testing and deleting connections through the service, as the Connections tab does."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.db.models import AuditLog, DataSource
from app.errors import PermissionDenied, ValidationError
from app.runtime.source_tests import run_connection_test
from app.services import sources
from app.services.context import Actor


def save_mysql(admin, **overrides):
    values = dict(name="Lab MySQL", plugin="mysql", active=True,
                  config={"host": "127.0.0.1", "port": 1, "database": "lab",
                          "username": "reader", "connect_timeout_s": 2},
                  new_secrets={"password": "lab-secret-9"})
    values.update(overrides)
    return sources.save_source(admin, None, **values)


def test_secret_goes_to_the_store_and_never_into_the_row_or_audit(db, admin):
    saved = save_mysql(admin)
    assert saved["secrets_set"] == ["password"]
    row = DataSource.get_by_id(saved["id"])
    assert "lab-secret-9" not in json.dumps(row.config)
    assert all("lab-secret-9" not in (a.details or "") for a in AuditLog.select())
    assert b"lab-secret-9" not in db.path.read_bytes()

    # Saving again without typing the password keeps it; "" removes it.
    sources.save_source(admin, saved["id"], name="Lab MySQL", plugin="mysql", active=True,
                        config=saved["config"], new_secrets={"password": None})
    assert sources.get_source(saved["id"])["secrets_set"] == ["password"]
    sources.save_source(admin, saved["id"], name="Lab MySQL", plugin="mysql", active=True,
                        config=saved["config"], new_secrets={"password": ""})
    assert sources.get_source(saved["id"])["secrets_set"] == []


def test_incomplete_or_duplicate_connection_is_refused_with_each_problem(db, admin):
    save_mysql(admin)
    with pytest.raises(ValidationError) as refused:
        sources.save_source(admin, None, name="lab mysql", plugin="mysql", active=True,
                            config={"host": "", "port": 70000, "database": "x",
                                    "username": "u"})
    problems = refused.value.problems
    assert "Another connection is already called lab mysql." in problems
    assert "Host is missing." in problems
    assert any(p.startswith("Port must be between 1 and 65535") for p in problems)
    assert [s.name for s in DataSource.select().order_by(DataSource.name)] == [
        "Lab MySQL", "demo"]

    with pytest.raises(ValidationError) as pi_refused:
        sources.save_source(admin, None, name="PI", plugin="pi", active=True,
                            config={"api": "piwebapi", "base_url": "https://pi/piwebapi",
                                    "auth": "basic"})
    assert "Password is missing (needed for basic and NTLM sign-in)." in pi_refused.value.problems


def test_viewer_cannot_change_connections(db, admin):
    with pytest.raises(PermissionDenied):
        save_mysql(Actor(None, "v", "viewer"))


def test_failed_test_is_recorded_on_the_row_with_a_sentence(db, admin):
    saved = save_mysql(admin)
    result = asyncio.run(run_connection_test(admin, saved["id"], timeout=3))
    assert not result.ok
    row = sources.get_source(saved["id"])
    assert row["test_status"] == "failed"
    assert row["connection_status"] == "error"
    assert row["last_tested_at"] is not None
    assert "Cannot reach" in row["test_error_message"]
    entry = AuditLog.select().where(AuditLog.action == "connection_tested").get()
    assert entry.details["status"] == "failed"


def test_deleting_a_connection_keeps_its_triggers_and_forgets_its_secret(db, admin):
    from app.db.models import Trigger
    from app.services import secrets

    saved = save_mysql(admin)
    ref = DataSource.get_by_id(saved["id"]).config["secret_refs"]["password"]
    Trigger.insert(id="t-1", name="lab", type="sql", config={"query": "SELECT 1"},
                   data_source=saved["id"]).execute()
    assert sources.delete_source(admin, saved["id"]) == 1
    assert Trigger.get_by_id("t-1").data_source_id is None
    assert secrets.store().get(ref) is None
    assert AuditLog.select().where(AuditLog.action == "connection_deleted").count() == 1


def test_switching_a_half_migrated_trigger_off_keeps_its_finish_setup_note(db, admin):
    from app.db.models import Trigger
    from app.services import triggers

    Trigger.insert(id="t-old", name="suhu lama", type="pi", active=True,
                   config={"tags": [], "setup_missing": ["Choose a tag."]}).execute()
    off = triggers.set_active(admin, "t-old", False)
    assert off["active"] is False and off["setup_missing"] == ["Choose a tag."]
    with pytest.raises(Exception, match="cannot answer yet: Choose a tag."):
        triggers.set_active(admin, "t-old", True)
    assert AuditLog.select().where(AuditLog.action == "trigger_disabled").count() == 1
