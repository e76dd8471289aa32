"""config import through the services: one notice per table after the commit, none when an
entry is refused, and a refused import keeps the secrets the rows name."""

from __future__ import annotations

import copy

import pytest

from app.db.models import AuditLog, DataSource
from app.errors import ValidationError
from app.services import config_io, events, secrets

PI = {"name": "PI Plant", "plugin": "pi", "active": True,
      "config": {"api": "piwebapi", "base_url": "https://pi.plant/piwebapi", "auth": "basic",
                 "username": "svc"},
      "secrets": {"password": "first-Pa55"}}
CONFIG = {
    "version": 1,
    "data_sources": [PI],
    "triggers": [{"name": "drumlevel", "type": "pi", "data_source": "PI Plant",
                  "config": {"tags": ["DRUM.LEVEL"]}},
                 {"name": "info", "type": "text", "config": {"text": "Ext. 1234"}}],
    "trigger_groups": [{"name": "boiler", "members": ["info", "drumlevel"]}],
    "query_presets": [{"name": "last", "query_template": "SELECT 1"}],
    "ai_triggers": [{"prefix": "ai:", "name": "Assistant"}],
    "contacts": [{"name": "Budi", "phone": "+6281234567890", "allowed": True}],
    "settings": {"spam": {"max_commands": 7}},
}
TABLES = ("data_sources", "triggers", "trigger_groups", "query_presets", "ai_triggers",
          "contacts", "settings", "audit_logs")


@pytest.fixture
def heard(db):
    got: list[tuple[str, bool]] = []
    for table in TABLES:
        events.subscribe(table, lambda _p, table=table: got.append(
            (table, events.in_unit_of_work())))
    return got


def test_an_import_notifies_each_table_it_changed_once_after_the_commit(db, admin, heard):
    config_io.import_config(admin, copy.deepcopy(CONFIG))
    assert sorted(table for table, _ in heard) == sorted(TABLES)
    assert not any(inside for _, inside in heard)  # said after the commit, not inside it

    heard.clear()
    report = config_io.import_config(admin, copy.deepcopy(CONFIG))
    assert not report.changed
    assert heard == []  # nothing changed, nothing said


def test_an_entry_a_service_refuses_is_named_and_changes_nothing(db, admin, heard):
    config_io.import_config(admin, copy.deepcopy(CONFIG))
    heard.clear()
    audit_count = AuditLog.select().count()
    rotated = dict(PI, secrets={"password": "second-Pa55"})
    # "drum level" and "drumlevel" are the same keyword to the bot: the triggers service
    # refuses the second, which the file's own check cannot know.
    clash = {"version": 1, "data_sources": [rotated],
             "triggers": [{"name": "drum level", "type": "text", "config": {"text": "x"}}]}

    with pytest.raises(ValidationError) as caught:
        config_io.import_config(admin, clash)

    assert caught.value.problems == [
        "triggers[1] 'drum level': Another trigger is already called drumlevel (names are "
        "compared without spaces and capitals)."]
    assert str(caught.value).startswith("Nothing was imported: 1 entry is invalid.")
    assert heard == []
    assert AuditLog.select().count() == audit_count
    refs = DataSource.get(DataSource.name == "PI Plant").config[config_io.SECRET_REFS]
    assert secrets.store().get(refs["password"]) == "first-Pa55"  # not deleted by the rotation


def test_a_new_secret_replaces_the_old_one_only_once_the_import_is_kept(db, admin):
    config_io.import_config(admin, copy.deepcopy(CONFIG))
    old_ref = DataSource.get(DataSource.name == "PI Plant").config[config_io.SECRET_REFS][
        "password"]
    report = config_io.import_config(admin, {
        "version": 1, "data_sources": [dict(PI, secrets={"password": "second-Pa55"})]})
    assert report.updated == {"data_sources": ["PI Plant"]}
    new_ref = DataSource.get(DataSource.name == "PI Plant").config[config_io.SECRET_REFS][
        "password"]
    assert secrets.store().get(new_ref) == "second-Pa55"
    assert secrets.store().get(old_ref) is None  # the old value does not linger in the store


def test_a_name_is_saved_as_the_service_writes_it_and_still_found_by_the_file(db, admin):
    spaced = {"version": 1,
              "triggers": [{"name": "  shift   info ", "type": "text",
                            "config": {"text": "Ext. 1234"}}],
              "trigger_groups": [{"name": "round", "members": ["shift   info"]}]}
    report = config_io.import_config(admin, copy.deepcopy(spaced))
    assert report.created == {"triggers": ["shift info"], "trigger_groups": ["round"]}
    exported = config_io.export_config()
    assert [g["members"] for g in exported["trigger_groups"]] == [["shift info"]]
    again = config_io.import_config(admin, copy.deepcopy(spaced))
    assert not again.changed
