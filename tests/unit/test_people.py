"""People read as names and numbers, groups by their subject, never as raw WhatsApp ids."""

from __future__ import annotations

from app.db.models import Contact
from app.services import people


def test_numbers_in_any_form_read_as_international_numbers(db):
    for raw in ("6281234567890@c.us", "+6281234567890", "081234567890", "6281234567890"):
        assert people.phone_text(raw) == "+62 812-3456-7890", raw
    assert people.phone_text("201487263350921@lid") == ""


def test_a_known_contact_reads_as_name_and_number_a_group_by_its_subject(db):
    Contact.insert(id="6281234567890@c.us", name="Budi", phone="+6281234567890",
                   metadata={"allowed": True}).execute()
    Contact.insert(id="120363025246125486@g.us", name="Boiler Ops", metadata={}).execute()
    assert people.label("6281234567890@c.us") == "Budi (+62 812-3456-7890)"
    assert people.label("6281234567890") == "Budi (+62 812-3456-7890)"
    assert people.label("120363025246125486@g.us") == "group “Boiler Ops”"
    assert people.label("120363000000000999@g.us") == "a WhatsApp group"
    assert people.label("628111222333@c.us") == "+62 811-1222-333"
    assert people.label("201487263350921@lid") == "a WhatsApp user whose number is hidden"
