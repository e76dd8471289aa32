"""Contacts added ahead of time: approved with their tags before they write, refused with a
sentence for a wrong or known number, and answered when they do write."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.db.models import AuditLog
from app.services import contacts
from app.ui.dialogs.contact_dialog import NewContactDialog
from app.ui.tabs.contacts_tab import ContactsTab
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


async def test_a_contact_is_added_before_they_write_and_refused_twice(ui_ctx, qtbot):
    tab = ContactsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert "New…" in tab.hint.text()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.findChildren(NewContactDialog)[-1]
    qtbot.keyClicks(form.phone, "0812-3456-7890")
    qtbot.keyClicks(form.name, "Sari")
    qtbot.keyClicks(form.tags, "ops, shift-a")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: not form.isVisible(), what="the form to close")
    sari = contacts.find_contact("+6281234567890")
    assert sari["name"] == "Sari" and sari["allowed"] and not sari["waiting"]
    assert sari["tags"] == ["ops", "shift-a"]
    assert AuditLog.select().where(AuditLog.action == "contact_created").count() == 1

    for phone, said in (("+62 812 3456 7890", "Sari is already in Contacts"),
                        ("12", "“12” is not a phone number")):
        qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
        again = tab.findChildren(NewContactDialog)[-1]
        qtbot.keyClicks(again.phone, phone)
        qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
        assert said in again.error.text() and again.isVisible()
        again.done(0)
    assert len([c for c in contacts.list_contacts() if c["kind"] != "group"]) == 1


async def test_when_they_write_their_message_finds_the_contact_added_ahead(db, admin):
    from app.core.messages import Incoming

    added = contacts.add(admin, "+6281234567890", "Sari", ["ops"])
    for sender in ("6281234567890@s.whatsapp.net", "6281234567890:3@s.whatsapp.net"):
        found = contacts.upsert_from_message(Incoming(
            "drum", message_id="M1", chat=sender, sender=sender,
            sender_phone="+6281234567890", push_name="Sari P."))
        assert found["id"] == added["id"] and found["allowed"] and found["tags"] == ["ops"]
    assert len(contacts.list_contacts()) == 1, "no second, waiting row"
