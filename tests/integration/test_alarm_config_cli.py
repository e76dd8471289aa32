"""Alarms and schedules from a terminal: `config export` / `config import` carry them by name,
and `alarms run-once --json` queues and prints what the bot would send, run as people run it
(`python main.py ...` in a child process) on a database set up through the app's services."""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.db.models import (
    Alarm,
    AuditLog,
    DataSource,
    OutgoingMessage,
    Schedule,
    Trigger,
    TriggerGroup,
)
from app.services import alarms, config_io, schedules, sources
from app.services import triggers as trigger_service

ROOT = Path(__file__).resolve().parents[2]
GROUP = "120363000000000000@g.us"
BUDI = "+6281234567890"
BUDI_CHAT = "6281234567890@s.whatsapp.net"
PI_PASSWORD = "Pi-Svc-Pa55!word"
MYSQL_PASSWORD = "My-Sql-Pa55!word"


@pytest.fixture
def cli(data_dir):
    """`python main.py --data-dir <the test's data folder> ...` in a child process."""

    def run(*args: str, home: Path | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ)  # keeps WA_INTEGRATION_SECRETS=file from conftest
        return subprocess.run(
            [sys.executable, "main.py", "--data-dir", str(home or data_dir), *args], cwd=ROOT,
            capture_output=True, text=True, env=env, timeout=60)

    return run


def add_contacts(admin) -> None:
    # The alarms and schedules go to GROUP: an approved group in Contacts, or they are refused.
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Budi", "phone": BUDI, "allowed": True, "tags": ["ops"]},
        {"name": "Boiler operators", "jid": GROUP, "allowed": True, "tags": ["ops"]}]})


def save_alarm(admin, name: str, *, kind: str = "pi", source_id: str | None = None,
               tag: str = "", trigger_id: str | None = None, active: bool = True,
               **config) -> dict:
    return alarms.save_alarm(admin, None, name=name, active=active, kind=kind,
                             data_source_id=source_id, tag=tag, trigger_id=trigger_id,
                             config=config)


def demo_source_id() -> str:
    return sources.find_by_name("demo")["id"]


# -- config export / import ------------------------------------------------------------------


@pytest.fixture
def plant(db, admin) -> dict:
    """Alarms and schedules made as in the app: by ids chosen in the forms."""
    add_contacts(admin)
    pi = sources.save_source(
        admin, None, name="PI Plant", plugin="pi", active=True,
        config={"api": "piwebapi", "base_url": "https://pi.plant/piwebapi", "auth": "basic",
                "username": "svc", "data_server": "PISRV01"},
        new_secrets={"password": PI_PASSWORD})["id"]
    mysql = sources.save_source(
        admin, None, name="MySQL Produksi", plugin="mysql", active=True,
        config={"host": "10.1.5.20", "port": 3306, "database": "plant_db",
                "username": "wa_reader"},
        new_secrets={"password": MYSQL_PASSWORD})["id"]
    drum = trigger_service.save_trigger(
        admin, None, name="drum", kind="pi", active=True, data_source_id=pi,
        config={"tags": ["DRUM.PRESS"], "mode": "current"})["id"]
    stock = trigger_service.save_trigger(
        admin, None, name="stok", kind="sql", active=True, data_source_id=mysql,
        config={"query": "SELECT qty FROM stock WHERE item = 'coal'"})["id"]
    demo = trigger_service.find_trigger("demo")["id"]
    trigger_service.save_group(admin, None, name="boiler", description="Boiler overview",
                               execution_mode="parallel", member_ids=[drum, demo])
    save_alarm(admin, "Drum pressure", source_id=pi, tag="DRUM.PRESS", condition="above",
               high=45, deadband=0.5, min_duration_s=30, severity="critical", units="bar",
               interval_s=30, audience=["ops"], quiet_hours={"start": "22:00", "end": "06:00"},
               template="{icon} #{number} {name}: {why} — ack {number}",
               recipients=[{"groups": [GROUP]}, {"after_min": 15, "contacts": [BUDI]}])
    save_alarm(admin, "Coal stock", kind="sql", trigger_id=stock, condition="below", low=100,
               recipients=[{"tags": ["ops"]}])
    save_alarm(admin, "Steam flow signal", source_id=demo_source_id(), tag="DEMO.FLOW.FAULT",
               condition="bad", active=False, recipients=[{"groups": [GROUP]}])
    schedules.save_schedule(admin, None, name="Shift handover", active=True,
                            target_kind="group", target_name="boiler",
                            expression="every shift at 06:00, 14:00, 22:00",
                            config={"recipients": {"groups": [GROUP]}, "skip_holidays": True})
    schedules.save_schedule(admin, None, name="Morning drum", active=True,
                            target_kind="trigger", target_name="drum",
                            expression="weekdays at 07:30",
                            config={"recipients": {"tags": ["ops"]},
                                    "quiet_hours": {"start": "22:00", "end": "06:00"}})
    return {"pi": pi, "mysql": mysql}


def export(cli, home: Path | None = None) -> tuple[dict, str]:
    result = cli("config", "export", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stdout


def table(home: Path, name: str) -> list[tuple]:
    connection = sqlite3.connect(home / "app.db")
    try:
        return connection.execute(f"SELECT * FROM {name} ORDER BY id").fetchall()
    finally:
        connection.close()


def rows_of(home: Path, name: str) -> list[dict]:
    connection = sqlite3.connect(home / "app.db")
    connection.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in connection.execute(f"SELECT * FROM {name} ORDER BY name")]
    finally:
        connection.close()


def test_export_names_the_connections_triggers_and_groups_and_keeps_no_secret(cli, plant):
    exported, text = export(cli)
    by_name = {a["name"]: a for a in exported["alarms"]}
    assert list(by_name) == ["Coal stock", "Drum pressure", "Steam flow signal"]
    drum = by_name["Drum pressure"]
    assert (drum["kind"], drum["data_source"], drum["tag"], drum["trigger"], drum["active"]) \
        == ("pi", "PI Plant", "DRUM.PRESS", None, True)
    assert drum["config"]["high"] == 45 and drum["config"]["deadband"] == 0.5
    assert drum["config"]["recipients"] == [
        {"contacts": [], "tags": [], "groups": [GROUP]},
        {"after_min": 15, "contacts": [BUDI], "tags": [], "groups": []}]
    assert drum["config"]["quiet_hours"] == {"start": "22:00", "end": "06:00"}
    assert drum["config"]["audience"] == ["ops"]
    coal = by_name["Coal stock"]
    assert (coal["kind"], coal["trigger"], coal["data_source"]) == ("sql", "stok", None)
    steam = by_name["Steam flow signal"]
    assert (steam["data_source"], steam["active"]) == ("demo", False)

    assert [(s["name"], s["target_kind"], s["target"], s["expression"])
            for s in exported["schedules"]] == [
        ("Morning drum", "trigger", "drum", "weekdays at 07:30"),
        ("Shift handover", "group", "boiler", "every shift at 06:00, 14:00, 22:00")]
    assert exported["schedules"][1]["config"]["skip_holidays"] is True

    # Names, not the database's ids: the file means the same thing in another database.
    ids = {r.id for model in (DataSource, Trigger, TriggerGroup, Alarm, Schedule)
           for r in model.select(model.id)}
    section_text = json.dumps(exported["alarms"] + exported["schedules"])
    assert not [i for i in ids if i in section_text]
    assert not [key for entry in exported["alarms"] + exported["schedules"] for key in entry
                if key.endswith("_id") or key == "id"]
    # Nor anything of an alarm's or a schedule's life: its state, its last value, its runs.
    assert not [key for entry in exported["alarms"] + exported["schedules"] for key in entry
                if key in ("state", "last_value", "last_evaluated_at", "next_run_at",
                           "last_run_at", "last_status")]
    for secret in (PI_PASSWORD, MYSQL_PASSWORD):
        assert secret not in text


def test_export_import_export_gives_the_same_alarms_and_schedules(cli, plant, tmp_path):
    first, text = export(cli)
    path = tmp_path / "plant.json"
    path.write_text(text, "utf-8")
    fresh = tmp_path / "fresh"

    imported = cli("config", "import", str(path), home=fresh)
    assert imported.returncode == 0, imported.stderr
    assert ("alarms: 3 created (Coal stock, Drum pressure, Steam flow signal)"
            in imported.stdout)
    assert "schedules: 2 created (Morning drum, Shift handover)" in imported.stdout
    second, _ = export(cli, fresh)
    assert second["alarms"] == first["alarms"]
    assert second["schedules"] == first["schedules"]
    assert second == first

    # The schedules imported know when they run next; the switched-off alarm stays off.
    imported_schedules = rows_of(fresh, "schedules")
    assert [s["name"] for s in imported_schedules] == ["Morning drum", "Shift handover"]
    assert all(s["next_run_at"] for s in imported_schedules)
    assert [a["name"] for a in rows_of(fresh, "alarms") if not a["active"]] == [
        "Steam flow signal"]

    # The same file again: nothing changes, not a row, not a line of the audit log.
    alarm_rows, schedule_rows = table(fresh, "alarms"), table(fresh, "schedules")
    audit_rows = table(fresh, "audit_logs")
    again = cli("config", "import", str(path), home=fresh)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Nothing changed: the database already matches the file.")
    assert "alarms:" not in again.stdout and "schedules:" not in again.stdout
    assert table(fresh, "alarms") == alarm_rows
    assert table(fresh, "schedules") == schedule_rows
    assert table(fresh, "audit_logs") == audit_rows


BAD_ALARMS = [
    ({"name": "Band", "kind": "pi", "data_source": "PI Plant", "tag": "DRUM.LEVEL",
      "config": {"condition": "outside", "low": 80, "high": 20,
                 "recipients": [{"groups": [GROUP]}]}},
     "The low limit must be below the high limit."),
    ({"name": "Ghost", "kind": "pi", "data_source": "Nowhere", "tag": "X.Y",
      "config": {"condition": "above", "high": 1, "recipients": [{"groups": [GROUP]}]}},
     "data source 'Nowhere' is not a PI connection in the file or the database."),
    ({"name": "Stock on PI", "kind": "sql", "trigger": "drum",
      "config": {"condition": "below", "low": 5, "recipients": [{"groups": [GROUP]}]}},
     "trigger 'drum' is not a sql or preset trigger."),
]
BAD_SCHEDULES = [
    ({"name": "Bad time", "target_kind": "trigger", "target": "drum",
      "expression": "every shift at 06:00, 25:00",
      "config": {"recipients": {"groups": [GROUP]}}},
     "“25:00” is not a time of day"),
    ({"name": "Orphan", "target_kind": "trigger", "target": "no such trigger",
      "expression": "every 2h", "config": {"recipients": {"groups": [GROUP]}}},
     "trigger 'no such trigger' is neither in the file nor in the database."),
    ({"name": "Headless", "target_kind": "group", "expression": "every 2h",
      "config": {"recipients": {"groups": [GROUP]}}},
     "is neither in the file nor in the database."),
]


def test_an_invalid_alarm_or_schedule_is_named_and_nothing_is_imported(cli, plant, tmp_path,
                                                                         data_dir):
    before, text = export(cli)
    bad = copy.deepcopy(before)
    # A good change and a good new alarm in the same file must not be imported either.
    drum = next(a for a in bad["alarms"] if a["name"] == "Drum pressure")
    drum["config"]["high"] = 50
    bad["alarms"].append({"name": "Fresh alarm", "kind": "pi", "data_source": "PI Plant",
                          "tag": "DRUM.LEVEL", "config": {"condition": "above", "high": 90,
                                                          "recipients": [{"groups": [GROUP]}]}})
    for entry, _ in BAD_ALARMS:
        bad["alarms"].append(entry)
    for entry, _ in BAD_SCHEDULES:
        bad["schedules"].append(entry)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), "utf-8")
    alarm_rows, schedule_rows = table(data_dir, "alarms"), table(data_dir, "schedules")
    audit_count = AuditLog.select().count()

    result = cli("config", "import", str(path))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    problems = [line.removeprefix("  - ") for line in lines if line.startswith("  - ")]
    count = len(BAD_ALARMS) + len(BAD_SCHEDULES)
    assert lines[0] == f"Error: Nothing was imported: {count} entries are invalid."
    assert len(problems) == count, result.stderr
    named = {re.match(r"^(\w+)\[\d+\] '([^']+)'", p).groups() for p in problems}
    assert named == {("alarms", e["name"]) for e, _ in BAD_ALARMS} | {
        ("schedules", e["name"]) for e, _ in BAD_SCHEDULES}
    for section, bad_entries in (("alarms", BAD_ALARMS), ("schedules", BAD_SCHEDULES)):
        for entry, phrase in bad_entries:
            index = next(i for i, e in enumerate(bad[section], 1) if e is entry)
            assert any(p.startswith(f"{section}[{index}] '{entry['name']}': ")
                       and phrase in p for p in problems), (entry["name"], problems)

    after, _ = export(cli)
    assert after == before
    assert "Fresh alarm" not in {a["name"] for a in after["alarms"]}
    assert table(data_dir, "alarms") == alarm_rows
    assert table(data_dir, "schedules") == schedule_rows
    assert AuditLog.select().count() == audit_count


# -- alarms run-once ---------------------------------------------------------------------------


@pytest.fixture
def demo_alarms(db, admin) -> dict[str, dict]:
    """On the built-in demo historian: a drum pressure always over 1 bar, and a flow
    transmitter that is always in I/O Timeout."""
    add_contacts(admin)
    demo = demo_source_id()
    return {
        "drum": save_alarm(admin, "Drum pressure", source_id=demo, tag="DEMO.DRUM.PRESS",
                           condition="above", high=1, units="bar",
                           recipients=[{"groups": [GROUP]}]),
        "flow": save_alarm(admin, "Steam flow signal", source_id=demo, tag="DEMO.FLOW.FAULT",
                           condition="bad", recipients=[{"groups": [GROUP],
                                                         "contacts": [BUDI]}]),
    }


def json_lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_run_once_queues_and_prints_one_message_per_recipient(cli, demo_alarms):
    result = cli("alarms", "run-once", "--json")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    printed = json_lines(result.stdout)
    assert len(printed) == 2  # the group once for both alarms, Budi once
    for item in printed:
        assert set(item) == {"to", "type", "text", "kind", "channel", "outbox_id"}
        assert (item["type"], item["kind"], item["channel"]) == ("text", "alarm", "whatsapp")
    by_chat = {item["to"]: item for item in printed}
    assert set(by_chat) == {GROUP, BUDI_CHAT}

    numbers = {e["alarm"]: e["number"] for e in alarms.list_events(open_only=True)}
    assert set(numbers) == {"Drum pressure", "Steam flow signal"}
    drum, flow = numbers["Drum pressure"], numbers["Steam flow signal"]
    group_text = by_chat[GROUP]["text"]
    assert group_text.startswith("🔔 *2 alarm messages*")
    assert re.search(rf"#{drum} Drum pressure HIGH [\d.]+ bar > 1 since \d\d:\d\d — reply "
                     rf"\*ack {drum}\*", group_text), group_text
    assert f"#{flow} Steam flow signal I/O Timeout" in group_text
    assert f"*ack {flow}*" in group_text
    budi_text = by_chat[BUDI_CHAT]["text"]
    assert f"#{flow} Steam flow signal I/O Timeout" in budi_text
    assert f"*ack {flow}*" in budi_text
    assert "Drum pressure" not in budi_text  # not one of Budi's alarms

    # Queued for the running bot to send: pending in the outbox, exactly as printed.
    for item in printed:
        row = OutgoingMessage.get_by_id(item["outbox_id"])
        assert (row.recipient, row.message, row.type, row.status) == (
            item["to"], item["text"], "alarm", "pending")
    assert ("2 of 2 alarms evaluated" in result.stderr
            and "(reads per source: demo: 1)" in result.stderr
            and "2 messages queued for WhatsApp." in result.stderr), result.stderr

    again = cli("alarms", "run-once", "--json")
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""  # both alarms are still active: nobody is told twice
    assert "2 of 2 alarms evaluated" in again.stderr
    assert "0 messages queued for WhatsApp." in again.stderr
    assert OutgoingMessage.select().count() == 2
    assert {e["alarm"]: e["number"] for e in alarms.list_events(open_only=True)} == numbers


def test_run_once_names_the_email_channel_of_an_email(cli, db, admin):
    from app.services import contacts, emails

    add_contacts(admin)
    emails.set_email(admin, contacts.find_contact(BUDI)["id"], "budi@plant.example.com")
    save_alarm(admin, "Drum pressure", source_id=demo_source_id(), tag="DEMO.DRUM.PRESS",
               condition="above", high=1, units="bar",
               recipients=[{"contacts": [BUDI], "channels": ["whatsapp", "email"]}])
    result = cli("alarms", "run-once", "--json")
    assert result.returncode == 0, result.stderr
    printed = {item["channel"]: item for item in json_lines(result.stdout)}
    assert set(printed) == {"whatsapp", "email"}
    assert printed["whatsapp"]["to"] == BUDI_CHAT
    mail = printed["email"]
    assert (mail["to"], mail["kind"], mail["type"]) == ("budi@plant.example.com", "alarm",
                                                        "text")
    number = alarms.list_events(open_only=True)[0]["number"]
    assert mail["text"].endswith(f"To acknowledge it, reply to the WhatsApp bot: ack {number}")
    row = OutgoingMessage.get_by_id(mail["outbox_id"])
    assert (row.medium, row.recipient, row.status, row.subject) == (
        "email", "budi@plant.example.com", "pending", f"Alarm #{number}: Drum pressure")
    assert "1 messages queued for WhatsApp and 1 e-mail(s)." in result.stderr


def test_run_once_without_json_prints_recipient_and_text(cli, demo_alarms):
    result = cli("alarms", "run-once")
    assert result.returncode == 0, result.stderr
    assert f"→ {GROUP}\n🔔 *2 alarm messages*" in result.stdout
    assert f"→ {BUDI_CHAT}\n" in result.stdout


def test_run_once_with_no_alarm_switched_on_says_so(cli, db, admin):
    result = cli("alarms", "run-once", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "No alarm is switched on; define one in the Alarms tab."

    add_contacts(admin)  # its group must be approved to save it, switched off or not
    save_alarm(admin, "Drum pressure", source_id=demo_source_id(), tag="DEMO.DRUM.PRESS",
               condition="above", high=1, active=False, recipients=[{"groups": [GROUP]}])
    result = cli("alarms", "run-once", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "No alarm is switched on; define one in the Alarms tab."
    assert OutgoingMessage.select().count() == 0
