"""Contacts: one row per person whatever id WhatsApp uses, approval and tags, all audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from peewee import SQL

from app.core import access
from app.core.messages import Incoming
from app.db.database import close_database, open_database
from app.db.models import AuditLog, Contact
from app.errors import PermissionDenied, UserError
from app.services import contacts, events
from app.services.context import Actor
from tests.legacy_db import build_legacy_db

NOW = datetime(2025, 11, 3, 7, 0, 0, tzinfo=UTC)
LID = "207383839879258@lid"
PN = "6281234567890@s.whatsapp.net"
PHONE = "+6281234567890"


def message(sender: str = LID, phone: str | None = None, *, push_name: str = "Sari",
            chat: str | None = None, is_group: bool = False, from_me: bool = False,
            raw_ids: dict[str, str] | None = None, text: str = "demo") -> Incoming:
    return Incoming(
        message_id="3EB0" + format(abs(hash((sender, text, NOW))), "X")[:16],
        chat=chat or sender, sender=sender, sender_phone=phone, push_name=push_name,
        text=text, timestamp=NOW, is_group=is_group, from_me=from_me,
        raw_ids=raw_ids if raw_ids is not None else {"jid": sender},
    )


def _audit_since(mark: int) -> list[AuditLog]:
    return list(AuditLog.select().where(SQL("rowid") > mark).order_by(SQL("rowid")))


def _mark() -> int:
    return AuditLog.select(SQL("max(rowid)")).scalar() or 0


@pytest.fixture
def heard():
    seen: list[dict] = []
    events.subscribe("contacts", seen.append)
    return seen


@pytest.fixture
def legacy(data_dir):
    """The old system's database, migrated, as the models' database."""
    folder = data_dir.parent / "old-system"
    folder.mkdir()
    build_legacy_db(folder / "app.db")
    result = open_database(folder / "app.db", data_dir / "backups")
    yield result
    events.clear()
    close_database(result.db)


@pytest.mark.parametrize("raw, expected", [
    ("+62 812-3456-7890", PHONE),
    ("081234567890", PHONE),
    ("0812 3456 7890", PHONE),
    ("6281234567890", PHONE),
    ("006281234567890", PHONE),
    ("(+62) 812.3456.7890", PHONE),
    (PN, PHONE),
    ("6281234567890:12@s.whatsapp.net", PHONE),
    ("628123456789@c.us", "+628123456789"),
    ("+44 7911 123456", "+447911123456"),
    (LID, None),
    ("123456789012345@lid", None),
    ("120363025246125486@g.us", None),
    ("120363200000000001@newsletter", None),
    ("123456789012345", None),  # the digits of an old LID row are no number
    ("", None), (None, None), ("   ", None), ("call me", None), ("+62", None),
])
def test_phones_become_e164_and_ids_that_are_not_phones_do_not(raw, expected):
    assert contacts.normalise_phone(raw) == expected


def test_a_new_sender_waits_for_approval_and_the_list_says_so(db, heard):
    created = contacts.upsert_from_message(message(PN, PHONE, raw_ids={"jid": PN, "lid": LID}))
    assert created["id"] == PN
    assert (created["phone"], created["name"], created["kind"]) == (PHONE, "Sari", "person")
    assert (created["allowed"], created["waiting"], created["blocked"]) == (False, True, False)
    assert (created["lid"], created["jid"], created["tags"]) == (LID, PN, [])
    row = Contact.get_by_id(PN)
    assert row.phone == PHONE
    assert row.metadata == {"allowed": False, "waiting": True, "tags": [], "lid": LID,
                            "jid": PN}
    assert heard
    assert [c["id"] for c in contacts.list_contacts()] == [PN]
    assert access.decide(created, operator=False).status == "waiting"


def test_a_lid_only_sender_is_one_contact_and_gains_the_phone_later(db):
    first = contacts.upsert_from_message(message(LID, None, raw_ids={"lid": LID}))
    again = contacts.upsert_from_message(message(LID, None, raw_ids={"lid": LID}, text="x"))
    assert first["id"] == again["id"] == LID
    assert first["phone"] == "" and Contact.get_by_id(LID).phone is None
    assert Contact.select().count() == 1
    known = contacts.upsert_from_message(message(LID, PHONE, raw_ids={"lid": LID, "alt": PN}))
    assert (known["id"], known["phone"], known["jid"]) == (LID, PHONE, PN)
    # Written later under the phone JID: still the same person.
    later = contacts.upsert_from_message(message(PN, None, raw_ids={"jid": PN}))
    assert later["id"] == LID
    assert Contact.select().count() == 1


def test_two_rows_of_one_person_merge_when_whatsapp_links_them(db, admin):
    lid_row = contacts.upsert_from_message(message(LID, None, raw_ids={"lid": LID}))
    contacts.approve(admin, lid_row["id"])
    contacts.update(admin, LID, None, ["boiler"])
    phone_row = contacts.upsert_from_message(message(PN, PHONE, push_name="Sari P",
                                                     raw_ids={"jid": PN}))
    contacts.update(admin, PN, None, ["shift-a"])
    assert Contact.select().count() == 2
    mark = _mark()
    merged = contacts.upsert_from_message(message(LID, PHONE, raw_ids={"lid": LID, "alt": PN}))
    assert Contact.select().count() == 1
    # The older row survives with its id and name; the newer one's number and tags join it.
    assert (merged["id"], merged["name"], merged["phone"]) == (LID, "Sari", PHONE)
    assert not Contact.select().where(Contact.id == phone_row["id"]).exists()
    assert merged["allowed"] and not merged["waiting"]
    assert sorted(merged["tags"]) == ["boiler", "shift-a"]
    assert set(merged["sender_ids"]) >= {LID, PN}
    entries = _audit_since(mark)
    assert [e.action for e in entries] == ["contact_merged"]
    assert entries[0].details["phone"] == PHONE


def test_an_old_contact_with_digits_is_found_and_not_duplicated(legacy):
    before = Contact.select().count()
    budi = contacts.upsert_from_message(message(
        "628123456789@s.whatsapp.net", "+628123456789", push_name="budi hp",
        raw_ids={"jid": "628123456789@s.whatsapp.net"}))
    assert Contact.select().count() == before
    assert budi["id"] == "628123456789@c.us"
    assert budi["name"] == "Budi Santoso"  # a name already known is kept
    assert budi["allowed"]  # they used the old bot; the migration kept them allowed
    assert Contact.get_by_id("628123456789@c.us").phone == "+628123456789"


def test_an_old_lid_row_swaps_its_digits_for_the_real_number(legacy):
    sari = contacts.get_contact("123456789012345@lid")
    assert sari["phone"] == "" and sari["phone_stored"] == "123456789012345"
    updated = contacts.upsert_from_message(message(
        "123456789012345@lid", "+6285711112222",
        raw_ids={"lid": "123456789012345@lid", "jid": "6285711112222@s.whatsapp.net"}))
    assert updated["phone"] == "+6285711112222"
    assert Contact.get_by_id("123456789012345@lid").metadata["old_phone"] == "123456789012345"


def test_old_contacts_list_with_their_kinds(legacy):
    listed = {c["id"]: c for c in contacts.list_contacts()}
    assert listed["628123456789@c.us"]["phone"] == "+628123456789"
    assert listed["628987654321@c.us"]["business"]
    assert listed["120363025246125486@g.us"]["kind"] == "group"
    assert listed["120363025246125486@g.us"]["phone"] == ""
    assert listed["120363200000000001@newsletter"]["kind"] == "other"
    assert all(not c["waiting"] for c in listed.values())
    assert [c["id"] for c in contacts.list_contacts("budi")] == ["628123456789@c.us"]
    assert contacts.find_contact("0812 3456 789")["id"] == "628123456789@c.us"


def test_a_group_chat_is_a_contact_too(db):
    group = "120363025246125486@g.us"
    person = contacts.upsert_from_message(message(PN, PHONE, chat=group, is_group=True,
                                                  raw_ids={"jid": PN}))
    assert person["id"] == PN
    row = contacts.get_contact(group)
    assert (row["kind"], row["phone"], row["waiting"]) == ("group", "", False)
    contacts.upsert_from_message(message(PN, PHONE, chat=group, is_group=True, text="again"))
    assert Contact.select().count() == 2


def test_the_push_name_fills_an_empty_name_only(db, admin):
    contacts.upsert_from_message(message(LID, None, push_name=""))
    assert contacts.get_contact(LID)["name"] == ""
    assert contacts.upsert_from_message(message(LID, None, push_name="Sari"))["name"] == "Sari"
    contacts.update(admin, LID, "Sari (lab)", None)
    assert contacts.upsert_from_message(message(LID, None, push_name="S"))["name"] == \
        "Sari (lab)"


def test_a_message_from_the_bot_itself_needs_no_approval(db):
    bot = contacts.upsert_from_message(message(PN, PHONE, from_me=True, push_name="Plant bot"))
    assert bot["self"] and not bot["waiting"]
    assert contacts.upsert_from_message(message(PN, PHONE, from_me=True))["id"] == PN
    assert Contact.select().count() == 1


def test_text_of_any_script_survives_as_a_name(db):
    name = "سارة 🔥\u200bلاب"
    assert contacts.upsert_from_message(message(LID, None, push_name=name))["name"] == name


def test_changes_are_audited_and_announced(db, admin, heard):
    contacts.upsert_from_message(message(PN, PHONE))
    heard.clear()
    mark = _mark()
    approved = contacts.approve(admin, PN)
    assert approved["allowed"] and not approved["waiting"]
    updated = contacts.update(admin, PN, "  Sari   Putri ", ["Boiler", "boiler ", " ", "lab"])
    assert (updated["name"], updated["tags"]) == ("Sari Putri", ["Boiler", "lab"])
    assert contacts.set_blocked(admin, PN, True)["blocked"]
    assert not contacts.set_blocked(admin, PN, False)["blocked"]
    contacts.delete(admin, PN)
    entries = _audit_since(mark)
    assert [e.action for e in entries] == ["contact_approved", "contact_updated",
                                           "contact_blocked", "contact_unblocked",
                                           "contact_deleted"]
    assert all(e.user_id == admin.user_id for e in entries)
    assert all(e.details["contact_id"] == PN for e in entries)
    assert entries[1].details["changes"] == {"name": ["Sari", "Sari Putri"],
                                            "tags": [[], ["Boiler", "lab"]]}
    assert len(heard) == 5
    with pytest.raises(UserError, match="no longer exists"):
        contacts.get_contact(PN)


def test_saving_the_same_values_is_no_change(db, admin):
    contacts.upsert_from_message(message(PN, PHONE))
    contacts.approve(admin, PN)
    mark = _mark()
    contacts.approve(admin, PN)
    contacts.update(admin, PN, "Sari", [])
    assert _audit_since(mark) == []


def test_a_viewer_cannot_change_contacts(db, admin):
    contacts.upsert_from_message(message(PN, PHONE))
    viewer = Actor("v1", "vera", "viewer")
    for change in (lambda: contacts.approve(viewer, PN),
                   lambda: contacts.set_blocked(viewer, PN, True),
                   lambda: contacts.update(viewer, PN, "x", ["y"]),
                   lambda: contacts.delete(viewer, PN)):
        with pytest.raises(PermissionDenied):
            change()
    assert contacts.get_contact(PN)["waiting"]


def test_a_deleted_contact_waits_again_on_the_next_message(db, admin):
    contacts.upsert_from_message(message(PN, PHONE))
    contacts.approve(admin, PN)
    contacts.delete(admin, PN)
    assert contacts.upsert_from_message(message(PN, PHONE))["waiting"]


def test_notices_and_mutes_are_kept_in_the_database(db, data_dir):
    contacts.upsert_from_message(message(PN, PHONE))
    contacts.mark_notified(PN, "access", NOW)
    contacts.set_muted(PN, NOW + timedelta(minutes=5))
    path = Path(db.path)
    close_database(db.db)
    reopened = open_database(path, data_dir / "backups")
    try:
        contact = contacts.get_contact(PN)
        assert contact["notified"] == {"access": NOW}
        assert contact["muted_until"] == NOW + timedelta(minutes=5)
        assert contacts.muted_until(PN) == NOW + timedelta(minutes=5)
        assert contacts.notified_at(PN, "access") == NOW
        assert contacts.notified_at(PN, "spam") is None
        assert contacts.notified_at("gone@lid", "spam") is None
        assert access.decide(contact, operator=False).notify is False
        contacts.set_muted(PN, None)
        assert contacts.get_contact(PN)["muted_until"] is None
        assert contacts.muted_until(PN) is None
        # Approval clears the access notice: should access be taken away, they hear it again.
        contacts.approve(Actor(None, "system", "admin", "system"), PN)
        assert "access" not in contacts.get_contact(PN)["notified"]
        contacts.mark_notified("gone@lid", "spam", NOW)  # a deleted contact is no error
    finally:
        close_database(reopened.db)
