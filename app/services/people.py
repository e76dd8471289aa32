"""People and groups as an engineer reads them: "Budi (+62 812-3456-7890)", a group by its
subject, never a raw WhatsApp id (…@lid, …@c.us, …@g.us) where a name or number is known."""

from __future__ import annotations

from app.services import contacts


def phone_text(number: str | None) -> str:
    """+62 812-3456-7890 for any form of a phone number; "" when it is none."""
    e164 = contacts.normalise_phone(number) if number else None
    if not e164:
        return ""
    import phonenumbers  # loaded when first needed, as in the contacts service

    parsed = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def label(recipient: str) -> str:
    """A recipient or sender as people know them: the contact's name with their number, a
    group's subject, or the number alone; the raw id only when nothing else is known."""
    found = contacts.find_contact(recipient)
    kind = recipient.rpartition("@")[2].lower() if "@" in recipient else ""
    if kind == contacts.GROUP_DOMAIN:
        name = (found or {}).get("name") or ""
        return f"group “{name}”" if name else "a WhatsApp group"
    number = phone_text((found or {}).get("phone") or recipient)
    name = (found or {}).get("name") or ""
    if name and number:
        return f"{name} ({number})"
    if name or number:
        return name or number
    if kind == contacts.LID_DOMAIN:
        return "a WhatsApp user whose number is hidden"
    return recipient
