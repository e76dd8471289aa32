"""A contact's e-mail address: checked, stored in the contact, audited, and read back."""

from __future__ import annotations

import json

import pytest
from peewee import SQL

from app.core.email_address import AddressError
from app.core.messages import Incoming
from app.core.timefmt import utc_now
from app.db.models import AuditLog, Contact
from app.errors import PermissionDenied, UserError
from app.services import contacts, emails, events
from app.services.context import Actor


def _contact(phone: str = "6281234567890", name: str = "Sari") -> str:
    jid = f"{phone}@s.whatsapp.net"
    contacts.upsert_from_message(Incoming(
        message_id=f"3EB0{phone}", chat=jid, sender=jid, sender_phone=None, push_name=name,
        text="status", timestamp=utc_now(), raw_ids={"jid": jid}))
    return contacts.find_contact(jid)["id"]


def _email_audits() -> list[dict]:
    return [_details(a) | {"action": a.action} for a in
            AuditLog.select().where(AuditLog.action.startswith("contact_email"))
            .order_by(SQL("rowid"))]


def _details(entry: AuditLog) -> dict:
    return entry.details if isinstance(entry.details, dict) else json.loads(entry.details)


def test_an_address_is_stored_normalised_audited_and_read_back(db, admin):
    sari = _contact()
    heard: list[dict] = []
    events.subscribe("contacts", heard.append)

    assert emails.set_email(admin, sari, " Sari.W@Plant.Example.COM ") == \
        "Sari.W@plant.example.com"

    assert emails.get_email(sari) == "Sari.W@plant.example.com"
    assert len(heard) == 1
    (entry,) = _email_audits()
    assert entry["action"] == "contact_email_set"
    assert entry["email"] == ["", "Sari.W@plant.example.com"]
    assert entry["name"] == "Sari"
    # What the contact was before stays as it was: approval, tags, name.
    contact = contacts.get_contact(sari)
    assert contact["name"] == "Sari" and contact["waiting"] is True


def test_the_same_address_again_writes_and_audits_nothing_and_empty_removes_it(db, admin):
    sari = _contact()
    emails.set_email(admin, sari, "sari@plant.example.com")
    emails.set_email(admin, sari, "sari@PLANT.example.com")
    assert len(_email_audits()) == 1

    assert emails.set_email(admin, sari, "  ") is None
    assert emails.get_email(sari) is None
    assert "email" not in Contact.get_by_id(sari).metadata
    assert [e["action"] for e in _email_audits()] == ["contact_email_set",
                                                      "contact_email_removed"]


def test_a_malformed_address_is_refused_and_the_old_one_kept(db, admin):
    sari = _contact()
    emails.set_email(admin, sari, "sari@plant.example.com")
    with pytest.raises(AddressError) as refused:
        emails.set_email(admin, sari, "sari@plant")
    assert "the domain after the @ must be like plant.example.com" in refused.value.message
    assert emails.get_email(sari) == "sari@plant.example.com"


def test_contacts_service_changes_keep_the_address(db, admin):
    sari = _contact()
    emails.set_email(admin, sari, "sari@plant.example.com")
    contacts.approve(admin, sari)
    contacts.update(admin, sari, "Sari Wulandari", ["shift-lead"])
    assert emails.get_email(sari) == "sari@plant.example.com"


def test_addresses_of_many_contacts_at_once(db, admin):
    sari, budi, tono = _contact("6281234567890", "Sari"), _contact("6281298765432", "Budi"), \
        _contact("6281311112222", "Tono")
    emails.set_email(admin, sari, "sari@plant.example.com")
    emails.set_email(admin, tono, "tono@plant.example.com")
    assert emails.emails_of([sari, budi, tono, "nobody@s.whatsapp.net"]) == {
        sari: "sari@plant.example.com", tono: "tono@plant.example.com"}


def test_a_hand_edited_value_that_is_no_address_reads_as_none(db, admin):
    sari = _contact()
    meta = dict(Contact.get_by_id(sari).metadata)
    Contact.update(metadata={**meta, "email": "not an address"}).where(
        Contact.id == sari).execute()
    assert emails.get_email(sari) is None
    assert emails.emails_of([sari]) == {}


def test_refused_for_a_group_a_missing_contact_and_a_reader(db, admin):
    with pytest.raises(UserError, match="no longer exists"):
        emails.set_email(admin, "6280000000000@s.whatsapp.net", "x@plant.example.com")
    group = "120363000000000000@g.us"
    Contact.insert(id=group, name="Shift", metadata={"group": True}).execute()
    with pytest.raises(UserError, match="A WhatsApp group has no e-mail address"):
        emails.set_email(admin, group, "shift@plant.example.com")
    with pytest.raises(PermissionDenied):
        emails.set_email(Actor(None, "viewer", "viewer"), _contact(), "sari@plant.example.com")
    assert _email_audits() == []
