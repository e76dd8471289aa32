"""An alarm or a schedule nobody can receive is refused on save, with who cannot and why: the
same sentence from the service the forms use, from `config import`, and from the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.db.models import Alarm, Contact, Schedule
from app.errors import ValidationError
from app.services import alarms, config_io, contacts, emails, groups, schedules, sources
from app.services import triggers as trigger_service

ROOT = Path(__file__).resolve().parents[2]
SARI = "+6281111111111"
BUDI = "+6281234567890"
GROUP = "120363111111111111@g.us"


def demo_id() -> str:
    return sources.find_by_name("demo")["id"]


def save(admin, *levels: dict, name: str = "Drum pressure", kind: str = "pi",
         trigger_id: str | None = None, active: bool = True) -> dict:
    return alarms.save_alarm(
        admin, None, name=name, active=active, kind=kind,
        data_source_id=demo_id() if kind == "pi" else None,
        tag="DEMO.DRUM.PRESS" if kind == "pi" else "", trigger_id=trigger_id,
        config={"condition": "above", "high": 45.0, "recipients": list(levels)})


def refusal(admin, *levels: dict, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        save(admin, *levels, **kwargs)
    assert caught.value.message == "The alarm was not saved:"
    assert Alarm.select().count() == 0
    return caught.value.problems


@pytest.fixture
def people(db, admin):
    """Sari waits for approval, Budi is approved; the group Boiler is approved."""
    config_io.import_config(admin, {"version": 1, "contacts": [
        {"name": "Sari", "phone": SARI, "allowed": False, "tags": ["shift"]},
        {"name": "Budi", "phone": BUDI, "allowed": True, "tags": ["ops"]},
        {"name": "Boiler", "jid": GROUP, "allowed": True, "tags": []}]})


def sari_id() -> str:
    return contacts.find_contact(SARI)["id"]


def test_a_contact_not_approved_or_blocked_cannot_be_told(people, admin):
    assert refusal(admin, {"contacts": [SARI]}) == [
        "Nobody on level 1 can be told: Sari is not approved in Contacts."]
    contacts.approve(admin, sari_id())
    contacts.set_blocked(admin, sari_id(), True)
    assert refusal(admin, {"contacts": [SARI], "tags": ["shift"]}) == [
        "Nobody on level 1 can be told: Sari is blocked in Contacts."]
    # Somebody on the level can be told: it saves, and the others are left to its history.
    saved = save(admin, {"contacts": [SARI, BUDI]})
    assert saved["levels"][0]["contacts"] == [SARI, BUDI]


def test_a_tag_nobody_has_and_a_later_level_nobody_on_are_refused(people, admin):
    assert refusal(admin, {"contacts": [BUDI]}, {"after_min": 15, "tags": ["lab"]}) == [
        "Nobody on level 2 can be told: nobody in Contacts has the tag lab."]


def test_groups_the_bot_is_not_in_or_not_approved_blocked_or_without_the_tags(
        people, admin):
    assert refusal(admin, {"groups": ["120363999999999999@g.us"]}) == [
        "Nobody on level 1 can be told: the group 120363999999999999 is not in Contacts (the "
        "bot is not in it, or it was deleted there)."]
    groups.save_from_file(admin, jid="120363999999999999@g.us", name="Lab", allowed=False,
                          tags=[])
    assert refusal(admin, {"groups": ["120363999999999999@g.us"]}) == [
        "Nobody on level 1 can be told: the group Lab is not approved in Contacts."]
    contacts.set_blocked(admin, GROUP, True)
    assert refusal(admin, {"groups": [GROUP, "120363999999999999@g.us"]}) == [
        "Nobody on level 1 can be told: the group Boiler is blocked in Contacts; the group "
        "Lab is not approved in Contacts."]
    contacts.set_blocked(admin, GROUP, False)
    # The alarm watches a trigger only ops may use: a group must be tagged ops to be told.
    mysql = sources.save_source(admin, None, name="MySQL", plugin="mysql", active=True,
                                config={"host": "127.0.0.1", "port": 9, "database": "plant",
                                        "username": "reader"})["id"]
    stock = trigger_service.save_trigger(
        admin, None, name="stok", kind="sql", active=True, data_source_id=mysql,
        config={"query": "SELECT qty FROM stock", "audience": ["ops"]})["id"]
    assert refusal(admin, {"groups": [GROUP]}, kind="sql", trigger_id=stock) == [
        "Nobody on level 1 can be told: the group Boiler has none of the tags ops its trigger "
        "is limited to."]
    contacts.update(admin, GROUP, None, ["ops"])
    assert save(admin, {"groups": [GROUP]}, kind="sql", trigger_id=stock)["trigger"] == "stok"


def test_the_email_channel_needs_an_address_and_cannot_reach_a_group(people, admin,
                                                                    smtp_server):
    budi = contacts.find_contact(BUDI)["id"]
    emails.set_email(admin, budi, "budi@plant.example")
    # Without an e-mail connection no e-mail can go out, address or not.
    assert refusal(admin, {"contacts": [BUDI], "channels": ["email"]}) == [
        "Nobody on level 1 can be told: no e-mail can be sent (No e-mail connection is set "
        "up: add one in Connections)."]
    sources.save_source(admin, None, name="Plant mail", plugin="email", active=True,
                        config=smtp_server.config())
    emails.set_email(admin, budi, None)
    assert refusal(admin, {"contacts": [BUDI], "groups": [GROUP], "channels": ["email"]}) == [
        "Nobody on level 1 can be told: Budi has no e-mail address in Contacts; the group "
        "Boiler cannot get e-mail."]
    # On both channels WhatsApp reaches Budi, address or not.
    save(admin, {"contacts": [BUDI], "channels": ["whatsapp", "email"]})
    emails.set_email(admin, budi, "budi@plant.example")
    save(admin, {"contacts": [BUDI], "channels": ["email"]}, name="Drum level")
    assert Alarm.select().count() == 2


def test_a_schedule_nobody_can_receive_is_refused(people, admin):
    with pytest.raises(ValidationError) as caught:
        schedules.save_schedule(admin, None, name="Handover", active=True,
                                target_kind="trigger", target_name="demo",
                                expression="every shift at 06:00, 14:00, 22:00",
                                config={"recipients": {"contacts": [SARI]}})
    assert caught.value.problems == ["Nobody can be told: Sari is not approved in Contacts."]
    assert Schedule.select().count() == 0
    contacts.approve(admin, sari_id())
    schedules.save_schedule(admin, None, name="Handover", active=True, target_kind="trigger",
                            target_name="demo", expression="every shift at 06:00, 14:00, 22:00",
                            config={"recipients": {"contacts": [SARI]}})
    assert Schedule.select().count() == 1


def file_of_an_alarm_to_sari(allowed: bool) -> dict:
    return {"version": 1,
            "contacts": [{"name": "Sari", "phone": SARI, "allowed": allowed, "tags": []}],
            "alarms": [{"name": "Drum pressure", "kind": "pi", "data_source": "demo",
                        "tag": "DEMO.DRUM.PRESS",
                        "config": {"condition": "above", "high": 45.0,
                                   "recipients": [{"contacts": [SARI]}]}}],
            "schedules": [{"name": "Handover", "target": "demo",
                           "expression": "every shift at 06:00, 14:00, 22:00",
                           "config": {"recipients": {"contacts": [SARI]}}}]}


def test_config_import_refuses_with_the_same_sentence_and_writes_nothing(db, admin):
    with pytest.raises(ValidationError) as caught:
        config_io.import_config(admin, file_of_an_alarm_to_sari(False))
    # The import stops after the section with a refusal (a later one may name what it has).
    assert caught.value.problems == [
        "alarms[1] 'Drum pressure': Nobody on level 1 can be told: Sari is not approved in "
        "Contacts."]
    assert (Alarm.select().count(), Schedule.select().count(),
            Contact.select().where(Contact.phone == SARI).count()) == (0, 0, 0)
    without_alarms = {**file_of_an_alarm_to_sari(False), "alarms": []}
    with pytest.raises(ValidationError) as caught:
        config_io.import_config(admin, without_alarms)
    assert caught.value.problems == [
        "schedules[1] 'Handover': Nobody can be told: Sari is not approved in Contacts."]
    assert (Schedule.select().count(), Contact.select().where(Contact.phone == SARI).count()
            ) == (0, 0)
    report = config_io.import_config(admin, file_of_an_alarm_to_sari(True))
    assert report.created["alarms"] == ["Drum pressure"]
    assert report.created["schedules"] == ["Handover"]


def test_config_import_from_the_terminal_says_why_and_writes_nothing(db, data_dir, tmp_path):
    path = tmp_path / "plant.json"
    path.write_text(json.dumps(file_of_an_alarm_to_sari(False)), "utf-8")
    result = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(data_dir), "config", "import", str(path)],
        cwd=ROOT, capture_output=True, text=True, env=dict(os.environ), timeout=60)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "alarms[1] 'Drum pressure': Nobody on level 1 can be told: Sari is not approved " \
        "in Contacts." in said
    assert (Alarm.select().count(), Schedule.select().count()) == (0, 0)
