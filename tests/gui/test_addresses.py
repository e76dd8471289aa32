"""The Messages tab and the Dashboard show people and groups as an engineer knows them:
numbers written out, groups by their subject, never a raw WhatsApp id where more is known."""

from __future__ import annotations

import pytest

from app.db.models import Contact
from app.services import contacts
from app.ui.tabs.messages_tab import address_text, forget_addresses

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


async def test_numbers_groups_and_hidden_numbers_read_as_people_know_them(db, admin):
    forget_addresses()
    Contact.insert(id="120363025246125486@g.us", name="Boiler Ops", metadata={}).execute()
    Contact.insert(id="201487263350921@lid", name="Sari", phone="+6281234567890",
                   metadata={"allowed": True}).execute()
    assert address_text("6281234567890@s.whatsapp.net") == "+62 812-3456-7890"
    assert address_text("6281234567890:12@s.whatsapp.net") == "+62 812-3456-7890"
    assert address_text("120363025246125486@g.us") == "group “Boiler Ops”"
    assert address_text("201487263350921@lid") == "Sari (+62 812-3456-7890)"
    assert address_text("999999999999999@lid") == "a WhatsApp user whose number is hidden"
    assert address_text(None) == ""
    # A group renamed in Contacts shows renamed once the tab hears of it.
    contacts.update(admin, "120363025246125486@g.us", "Boiler Shift A", [])
    forget_addresses()
    assert address_text("120363025246125486@g.us") == "group “Boiler Shift A”"
