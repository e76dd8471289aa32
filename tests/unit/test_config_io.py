"""config export / import: round trip, idempotence, no secrets out, bad files refused."""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path

import pytest
from peewee import SQL

from app import logs
from app.db.database import close_database, open_database
from app.db.models import AuditLog, Contact, DataSource
from app.errors import PermissionDenied, UserError, ValidationError
from app.services import config_io, secrets, settings, users
from app.services.context import Actor
from tests.legacy_db import LEGACY_TABLES, dump_rows

BUDI = "+6281234567890"
PI_PASSWORD = "pi-Svc-Pa55!word"
MYSQL_PASSWORD = "my-Sql-Pa55!word"
AI_KEY = "sk-local-0123456789abcdef"
SECRETS = (PI_PASSWORD, MYSQL_PASSWORD, AI_KEY)

CONFIG = {
    "version": 1,
    "data_sources": [
        {"name": "PI Plant", "plugin": "pi", "active": True,
         "config": {"api": "piwebapi", "base_url": "https://pi.plant/piwebapi", "auth": "basic",
                    "username": "svc", "verify_tls": False, "data_server": "PISRV01"},
         "secrets": {"password": PI_PASSWORD}},
        {"name": "MySQL Produksi", "plugin": "mysql", "active": True,
         "config": {"host": "10.1.5.20", "port": 3306, "database": "plant_db",
                    "username": "wa_reader"},
         "secrets": {"password": MYSQL_PASSWORD}},
        {"name": "Local LLM", "plugin": "ai", "active": False,
         "config": {"kind": "openai", "base_url": "http://127.0.0.1:11434/v1",
                    "model": "llama3"},
         "secrets": {"api_key": AI_KEY}},
    ],
    "triggers": [
        {"name": "drum", "type": "pi", "data_source": "PI Plant", "active": True,
         "config": {"description": "Drum pressure and level",
                    "tags": ["\\\\PISRV01\\DRUM.PRESS", "\\\\PISRV01\\DRUM.LEVEL"],
                    "mode": "current"}},
        {"name": "alarms", "type": "sql", "data_source": "MySQL Produksi", "active": True,
         "config": {"query": "SELECT tag_name, alarm_value FROM alarm_log LIMIT 10"}},
        {"name": "kontak", "type": "text", "active": False,
         "config": {"text": "Hubungi operator shift: ext. 1234"}},
    ],
    "trigger_groups": [
        {"name": "boiler", "description": "Boiler overview", "execution_mode": "sequential",
         "members": ["kontak", "drum", "alarms"]},
    ],
    "query_presets": [
        {"name": "last values", "query_template": "SELECT * FROM t WHERE tag = :tag",
         "variables": [{"name": "tag"}], "is_default": True},
    ],
    "ai_triggers": [
        {"prefix": "ai:", "name": "Assistant", "description": "Ask the plant assistant",
         "enabled": True, "data_source": "Local LLM"},
    ],
    "contacts": [
        {"name": "Budi", "phone": "+6281234567890", "allowed": True, "tags": ["ops", "shift"]},
        {"name": "Sari", "phone": "+62 812-9999-0000", "allowed": False, "tags": []},
    ],
    "settings": {"outbox": {"min_gap_s": 3}, "spam": {"max_commands": 7}},
}


def _rows(db) -> dict[str, list[tuple]]:
    return dump_rows(db.db.connection())


def _audit_count() -> int:
    return AuditLog.select().count()


def _all_text(db) -> str:
    return "\n".join(str(v) for table in LEGACY_TABLES
                     for row in db.db.execute_sql(f"SELECT * FROM {table}") for v in row)


@pytest.fixture
def imported(db, admin):
    report = config_io.import_config(admin, copy.deepcopy(CONFIG))
    assert report.changed
    return report


# -- round trip and idempotence -----------------------------------------------------------


def test_import_creates_every_entry_and_export_shows_it(imported):
    assert imported.created == {
        "data_sources": ["PI Plant", "MySQL Produksi", "Local LLM"],
        "query_presets": ["last values"],
        "triggers": ["drum", "alarms", "kontak"],
        "trigger_groups": ["boiler"],
        "ai_triggers": ["ai:"],
        "contacts": ["+6281234567890", "+6281299990000"],
    }
    exported = config_io.export_config()
    sources = {s["name"]: s for s in exported["data_sources"]}
    assert sources["PI Plant"]["config"] == CONFIG["data_sources"][0]["config"]
    assert sources["Local LLM"]["active"] is False
    triggers = {t["name"]: t for t in exported["triggers"]}
    assert triggers["drum"]["config"]["tags"] == ["\\\\PISRV01\\DRUM.PRESS",
                                                  "\\\\PISRV01\\DRUM.LEVEL"]
    assert triggers["alarms"]["data_source"] == "MySQL Produksi"
    assert triggers["kontak"]["data_source"] is None
    assert exported["trigger_groups"] == [{
        "name": "boiler", "description": "Boiler overview", "execution_mode": "sequential",
        "members": ["kontak", "drum", "alarms"]}]
    assert exported["query_presets"][0]["is_default"] is True
    assert exported["ai_triggers"][0]["prefix"] == "ai:"
    contacts = {c["phone"]: c for c in exported["contacts"]}
    assert contacts["+6281234567890"]["tags"] == ["ops", "shift"]
    assert contacts["+6281299990000"]["allowed"] is False  # written as +E.164
    assert exported["settings"]["outbox"]["min_gap_s"] == 3
    assert exported["settings"]["spam"]["max_commands"] == 7


def test_export_then_import_into_a_fresh_database_gives_the_same_export(imported, tmp_path):
    first = config_io.export_config()
    folder = tmp_path / "fresh"
    folder.mkdir()
    fresh = open_database(folder / "app.db", folder / "backups")
    try:
        operator = Actor(None, "operator", "admin", "cli")
        report = config_io.import_config(operator, json.loads(json.dumps(first)))
        assert report.changed
        second = config_io.export_config()
    finally:
        close_database(fresh.db)
    assert second == first


def test_importing_the_same_file_twice_changes_nothing_the_second_time(db, admin, imported):
    rows, count = _rows(db), _audit_count()
    report = config_io.import_config(admin, copy.deepcopy(CONFIG))
    assert not report.changed
    assert report.unchanged == 11
    assert report.lines() == ["11 entries unchanged"]
    assert _rows(db) == rows
    assert _audit_count() == count


def test_importing_the_export_back_keeps_the_stored_secrets(db, admin, imported):
    rows = _rows(db)
    report = config_io.import_config(admin, config_io.export_config())
    assert not report.changed
    assert _rows(db) == rows
    refs = DataSource.get(DataSource.name == "PI Plant").config[config_io.SECRET_REFS]
    assert secrets.store().get(refs["password"]) == PI_PASSWORD


def test_a_changed_entry_is_updated_and_reported(db, admin, imported):
    changed = copy.deepcopy(CONFIG)
    changed["triggers"][2]["config"]["text"] = "Hubungi operator shift: ext. 5678"
    changed["trigger_groups"][0]["members"] = ["drum", "kontak"]
    report = config_io.import_config(admin, changed)
    assert report.created == {}
    assert report.updated == {"triggers": ["kontak"], "trigger_groups": ["boiler"]}
    assert any(line.startswith("triggers: 1 updated (kontak)") for line in report.lines())
    exported = config_io.export_config()
    assert exported["trigger_groups"][0]["members"] == ["drum", "kontak"]
    group_entry = AuditLog.select().where(AuditLog.action == "group_updated").get()
    assert group_entry.details["changes"]["members"][1] != group_entry.details["changes"][
        "members"][0]


# -- secrets ------------------------------------------------------------------------------


def test_secrets_are_in_the_store_and_nowhere_else(db, admin, data_dir):
    root = logging.getLogger()
    level = root.level
    log_file = logs.configure(data_dir / "logs", "DEBUG")
    try:
        config_io.import_config(admin, copy.deepcopy(CONFIG))
        exported = json.dumps(config_io.export_config())
        logging.getLogger("test").info("export done")
    finally:
        for handler in list(root.handlers):
            if getattr(handler, "_wa_integration", False):
                root.removeHandler(handler)
                handler.close()
        root.setLevel(level)

    by_name = {s.name: s.config for s in DataSource.select()}
    store = secrets.store()
    assert store.get(by_name["PI Plant"][config_io.SECRET_REFS]["password"]) == PI_PASSWORD
    assert store.get(by_name["MySQL Produksi"][config_io.SECRET_REFS]["password"]) == (
        MYSQL_PASSWORD)
    assert store.get(by_name["Local LLM"][config_io.SECRET_REFS]["api_key"]) == AI_KEY

    log_text = Path(log_file).read_text("utf-8")
    assert "INSERT" in log_text  # the log really recorded the import, SQL included
    columns = _all_text(db)
    db.db.execute_sql("PRAGMA wal_checkpoint(FULL)")
    raw = b"".join(p.read_bytes() for p in Path(db.path).parent.glob("app.db*"))
    for secret in SECRETS:
        assert secret not in exported
        assert secret not in columns
        assert secret.encode() not in raw
        assert secret not in log_text


def test_a_new_secret_value_replaces_the_old_one(db, admin, imported):
    changed = copy.deepcopy(CONFIG)
    changed["data_sources"][0]["secrets"]["password"] = "rotated-Pa55"
    report = config_io.import_config(admin, changed)
    assert report.updated == {"data_sources": ["PI Plant"]}
    refs = DataSource.get(DataSource.name == "PI Plant").config[config_io.SECRET_REFS]
    assert secrets.store().get(refs["password"]) == "rotated-Pa55"
    assert "rotated-Pa55" not in _all_text(db)


# -- bad files: a sentence per bad entry, nothing changed ---------------------------------


def test_a_file_with_invalid_json_is_refused(db, admin, tmp_path):
    path = tmp_path / "config.json"
    path.write_text('{"version": 1, "triggers": [}\n')
    with pytest.raises(UserError) as caught:
        config_io.read_file(path)
    message = str(caught.value)
    assert "is not valid JSON" in message
    assert "line 1, column 29" in message
    assert "Nothing was imported" in message


def test_a_missing_or_binary_file_is_refused(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        config_io.read_file(tmp_path / "missing.json")
    binary = tmp_path / "app.db"
    binary.write_bytes(b"SQLite format 3\x00\xff\xfe\x00\x01")
    with pytest.raises(UserError, match="not a text file"):
        config_io.read_file(binary)


def test_read_file_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "config.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(CONFIG).encode())
    assert config_io.read_file(path) == CONFIG


BAD_ENTRIES = [
    ("data_sources", {"name": "Oracle LIMS", "plugin": "oracel"}, "'Oracle LIMS'"),
    ("data_sources", {"name": "Plain", "plugin": "mysql", "config": {"password": "x"}},
     "belong under \"secrets\""),
    ("triggers", {"name": "ghost", "type": "pi", "data_source": "Nowhere",
                  "config": {"tags": ["A"]}}, "'Nowhere' is neither"),
    ("triggers", {"name": "empty", "type": "text", "config": {}},
     "Write the text the bot answers with."),
    ("triggers", {"name": "drum", "type": "text", "config": {"text": "x"}}, "appears twice"),
    ("triggers", {"name": "listy", "type": "text", "config": {"text": "x"},
                  "data_source": ["PI Plant"]}, "data_source must be the name"),
    ("triggers", {"name": "p", "type": "preset", "config": {"preset": ["x"]}},
     "There is no preset called ['x']."),
    ("trigger_groups", {"name": "g", "execution_mode": "serial", "members": []},
     "parallel or sequential"),
    ("trigger_groups", {"name": "h", "members": ["no such trigger"]}, "'no such trigger'"),
    ("ai_triggers", {"prefix": "bot:", "name": "Bot", "data_source": {"name": "x"}},
     "is not an AI service"),
    ("contacts", {"name": "Nobody", "phone": "12"}, "country code"),
    ("query_presets", {"name": "blank", "query_template": ""}, "non-empty text"),
]


def test_every_invalid_entry_is_named_and_nothing_is_imported(db, admin, imported):
    bad = copy.deepcopy(CONFIG)
    named = {"extras", "settings.outbox.min_gap_s"}
    for section, entry, _ in BAD_ENTRIES:
        bad[section].append(entry)
        name = entry["prefix"] if section == "ai_triggers" else entry["name"]
        named.add(f"{section}[{len(bad[section])}] {name!r}")
    bad["settings"]["outbox"]["min_gap_s"] = 999
    bad["extras"] = []
    bad["triggers"][0]["config"]["description"] = "changed, but must not be imported"
    before, rows, count = config_io.export_config(), _rows(db), _audit_count()

    with pytest.raises(ValidationError) as caught:
        config_io.import_config(admin, bad)

    problems = caught.value.problems
    # Each bad entry is named, and nothing else is.
    assert {p.split(": ", 1)[0] for p in problems} == named
    for section, _entry, phrase in BAD_ENTRIES:
        assert any(p.startswith(section) and phrase in p for p in problems), phrase
    assert any("settings.outbox.min_gap_s" in p for p in problems)
    assert any(p.startswith("extras") for p in problems)
    assert str(caught.value).startswith(f"Nothing was imported: {len(problems)} entries are")
    assert config_io.export_config() == before
    assert _rows(db) == rows
    assert _audit_count() == count


@pytest.mark.parametrize("data", [[], "config", {"version": 2}, {"triggers": {}},
                                  {"version": 1, "triggers": ["drum"]}])
def test_a_file_of_the_wrong_shape_is_refused(db, admin, data):
    with pytest.raises(ValidationError) as caught:
        config_io.import_config(admin, data)
    assert caught.value.problems


# -- roles --------------------------------------------------------------------------------


def _actor(admin: Actor, role: str) -> Actor:
    created = users.create_user(admin, f"{role}1", "some-pass-1", role=role)
    return Actor(created["id"], created["username"], role)


def test_a_viewer_cannot_import(db, admin):
    viewer = _actor(admin, "viewer")
    rows, count = _rows(db), _audit_count()
    without_settings = {k: v for k, v in copy.deepcopy(CONFIG).items() if k != "settings"}
    with pytest.raises(PermissionDenied, match="change the configuration"):
        config_io.import_config(viewer, without_settings)
    assert _rows(db) == rows
    assert _audit_count() == count


def test_a_user_imports_configuration_but_not_settings(db, admin):
    user = _actor(admin, "user")
    rows, count = _rows(db), _audit_count()
    with pytest.raises(PermissionDenied, match="change settings"):
        config_io.import_config(user, copy.deepcopy(CONFIG))
    assert _rows(db) == rows
    assert _audit_count() == count

    without_settings = {k: v for k, v in copy.deepcopy(CONFIG).items() if k != "settings"}
    report = config_io.import_config(user, without_settings)
    assert report.created["triggers"] == ["drum", "alarms", "kontak"]
    assert settings.get("outbox", "min_gap_s") == 2.0
    mine = AuditLog.select().where(AuditLog.user == user.user_id).order_by(SQL("rowid"))
    assert mine.count() == sum(len(names) for names in report.created.values())


def test_a_sql_trigger_that_writes_is_refused_and_named(db, admin):
    config = {"version": 1,
              "data_sources": [{"name": "LIMS", "plugin": "mysql",
                                "config": {"host": "db", "database": "lims",
                                           "username": "reader"}}],
              "triggers": [{"name": "purge", "type": "sql", "data_source": "LIMS",
                            "config": {"query": "DELETE FROM lab_results"}},
                           {"name": "recent", "type": "sql", "data_source": "LIMS",
                            "config": {"query": "SELECT * FROM lab_results WHERE unit = :unit",
                                       "variables": [{"name": "unit", "pattern": "B[12]"}]}}]}
    with pytest.raises(ValidationError) as caught:
        config_io.import_config(admin, config)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith("triggers[1] 'purge': The query cannot run:")
    assert "DELETE" in caught.value.problems[0]
    assert "purge" not in [t["name"] for t in config_io.export_config()["triggers"]]


def test_importing_a_contact_known_only_by_its_lid_gives_that_row_the_number(db, admin):
    Contact.insert(id="99887766@lid", name="Budi", phone=None, metadata={}).execute()
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Budi", "phone": BUDI, "jid": "99887766@lid", "allowed": True}]})
    rows = list(Contact.select())
    assert len(rows) == 1 and rows[0].phone == BUDI and rows[0].metadata["allowed"] is True
