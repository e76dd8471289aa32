"""A contact's e-mail address, for alarms sent by e-mail: typed in the contact forms (a
malformed one refused with what is wrong), listed in Contacts, carried by config export and
import (an older export without addresses still imports and leaves them as they are)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from app.db.models import AuditLog
from app.errors import ValidationError
from app.services import config_io, contacts, emails
from app.ui.dialogs.contact_dialog import ContactDialog, NewContactDialog
from app.ui.tabs.contacts_tab import COLUMNS, ContactsTab
from tests.helpers.waiting import until

QASYNC = pytest.mark.asyncio(loop_factories=["qasync"])
SARI = "+6281234567890"
EMAIL_COLUMN = [c.title for c in COLUMNS].index("E-mail")


def listed_email(tab, contact_id: str) -> str | None:
    """The address the list shows for the contact; None while it is not listed (the list is
    read again off the loop after a change)."""
    for r in range(tab.model.rowCount()):
        if tab.model.rows[r]["id"] == contact_id:
            return tab.model.index(r, EMAIL_COLUMN).data()
    return None


@QASYNC
async def test_the_address_is_typed_in_the_forms_listed_and_a_bad_one_refused(ui_ctx, qtbot):
    tab = ContactsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.findChildren(NewContactDialog)[-1]
    qtbot.keyClicks(form.phone, "0812-3456-7890")
    qtbot.keyClicks(form.name, "Sari")
    qtbot.keyClicks(form.email, "sari@")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "the domain after the @ is missing" in form.error.text() and form.isVisible()
    assert contacts.find_contact(SARI) is None  # nothing saved: not even the contact
    form.email.clear()
    qtbot.keyClicks(form.email, "Sari@Plant.Example")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: not form.isVisible(), what="the new contact's form to close")
    sari = contacts.find_contact(SARI)
    assert emails.get_email(sari["id"]) == "Sari@plant.example"
    await until(lambda: listed_email(tab, sari["id"]) == "Sari@plant.example",
                what="the address in the list")
    # The new contact, read back off the loop a moment after the form closed, is selected.
    assert tab.selected() is not None and tab.selected()["id"] == sari["id"]

    # Edited: the form shows it; a malformed one keeps the form open and changes nothing.
    tab.table.select_where("id", sari["id"])
    tab.edit()
    dialog = tab.findChildren(ContactDialog)[-1]
    assert dialog.email.text() == "Sari@plant.example"
    dialog.name.setText("Sari Dewi")
    dialog.email.setText("sari plant.example")
    dialog.save_button.click()
    assert "contains a space" in dialog.error.text() and dialog.isVisible()
    assert contacts.find_contact(SARI)["name"] == "Sari"
    assert emails.get_email(sari["id"]) == "Sari@plant.example"
    dialog.email.setText("sari.dewi@plant.example")
    dialog.save_button.click()
    await until(lambda: not dialog.isVisible(), what="the contact's form to close")
    assert contacts.find_contact(SARI)["name"] == "Sari Dewi"
    assert emails.get_email(sari["id"]) == "sari.dewi@plant.example"
    await until(lambda: listed_email(tab, sari["id"]) == "sari.dewi@plant.example",
                what="the new address in the list")
    changes = [a.details["email"] for a in AuditLog.select().where(
        AuditLog.action == "contact_email_set").order_by(AuditLog.timestamp)]
    assert changes == [["", "Sari@plant.example"],
                       ["Sari@plant.example", "sari.dewi@plant.example"]]

    # Emptied: removed.
    tab.table.select_where("id", sari["id"])
    tab.edit()
    dialog = tab.findChildren(ContactDialog)[-1]
    dialog.email.clear()
    dialog.save_button.click()
    await until(lambda: not dialog.isVisible(), what="the form to close")
    assert emails.get_email(sari["id"]) is None


def test_export_and_import_carry_the_address_and_an_old_file_still_imports(db, admin):
    budi = contacts.add(admin, "+628111111111", "Budi", ["ops"])
    sari = contacts.add(admin, SARI, "Sari", ["ops"])
    emails.set_email(admin, sari["id"], "sari@plant.example")
    exported = config_io.export_config()
    people = {c["name"]: c for c in exported["contacts"]}
    assert people["Sari"]["email"] == "sari@plant.example"
    assert "email" not in people["Budi"]  # no address: the entry is as it always was

    # The file's address replaces the stored one; importing it again changes nothing.
    emails.set_email(admin, sari["id"], "old@plant.example")
    report = config_io.import_config(admin, json.loads(json.dumps(exported)))
    assert emails.get_email(sari["id"]) == "sari@plant.example"
    assert report is not None
    audits = AuditLog.select().count()
    config_io.import_config(admin, json.loads(json.dumps(exported)))
    assert AuditLog.select().count() == audits

    # An export from before addresses (no "email" key): imports, and keeps the address.
    old = json.loads(json.dumps(exported))
    for entry in old["contacts"]:
        entry.pop("email", None)
    config_io.import_config(admin, old)
    assert emails.get_email(sari["id"]) == "sari@plant.example"
    assert emails.get_email(budi["id"]) is None

    # A malformed address in a file is refused with what is wrong, and nothing is imported.
    bad = json.loads(json.dumps(exported))
    for entry in bad["contacts"]:
        if entry["name"] == "Budi":
            entry["email"] = "budi@"
            entry["tags"] = ["changed"]
    with pytest.raises(ValidationError) as refused:
        config_io.import_config(admin, bad)
    assert any("budi@" in p and "the domain after the @ is missing" in p
               for p in refused.value.problems)
    assert contacts.find_contact("+628111111111")["tags"] == ["ops"]
    assert emails.get_email(budi["id"]) is None
