"""A contact's e-mail address, for the e-mail channel.

It is kept in the contact's metadata under "email", already checked and normalised
(app/core/email_address.py), so a reader never parses anything: an address is there or not.
Setting it is its own audited change of the contact; everything else about a contact stays in
app/services/contacts.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core import permissions
from app.core.email_address import address_problem, check_address
from app.core.timefmt import format_ts
from app.db.models import Contact
from app.errors import UserError
from app.services import audit, contacts, events
from app.services.context import Actor

__all__ = ["EMAIL_KEY", "add_contact", "emails_of", "get_email", "save_contact", "set_email"]

EMAIL_KEY = "email"


def get_email(contact_id: str) -> str | None:
    """The contact's e-mail address, or None (no such contact, or none set)."""
    row = Contact.get_or_none(Contact.id == contact_id)
    return _stored(row) if row is not None else None


def emails_of(contact_ids: Iterable[str]) -> dict[str, str]:
    """The e-mail address of each of these contacts that has one."""
    wanted = list(dict.fromkeys(contact_ids))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):  # well inside SQLite's limit of bound values
        for row in Contact.select(Contact.id, Contact.metadata).where(
                Contact.id.in_(wanted[start:start + 500])):
            address = _stored(row)
            if address:
                found[row.id] = address
    return found


def set_email(actor: Actor, contact_id: str, address: str | None) -> str | None:
    """Sets (or, with an empty one, removes) a contact's e-mail address; returns what is stored.

    A malformed address is refused with a sentence saying what is wrong (AddressError); the
    same address again writes and audits nothing."""
    actor.require(permissions.CONFIG_WRITE)
    text = (address or "").strip()
    new = check_address(text) if text else None
    with events.unit_of_work():
        row = Contact.get_or_none(Contact.id == contact_id)
        if row is None:
            raise UserError("That contact no longer exists; the list has been refreshed.")
        meta = _meta(row)
        if meta.get("group") or contact_id.endswith("@g.us"):
            raise UserError("A WhatsApp group has no e-mail address: set one for each of its "
                            "members instead.")
        old = _stored(row)
        if old == new and (new is not None or EMAIL_KEY not in meta):
            return new
        if new is None:
            meta.pop(EMAIL_KEY, None)
        else:
            meta[EMAIL_KEY] = new
        Contact.update(metadata=meta, updated_at=format_ts()).where(
            Contact.id == contact_id).execute()
        audit.record(actor, "contact_email_set" if new else "contact_email_removed",
                     {"contact_id": row.id, "name": row.name or "", "phone": row.phone or "",
                      "email": [old or "", new or ""]})
        events.changed("contacts")
    return new


def save_contact(actor: Actor, contact_id: str, name: str | None, tags: Iterable[Any] | None,
                 email: str | None) -> dict[str, Any]:
    """The contact form's Save: name, tags and e-mail address (None leaves it as it is) in one
    transaction, so a malformed address saves nothing; the contact with its "email"."""
    if (email or "").strip():
        check_address(email)  # a malformed address is refused before anything is written
    with events.unit_of_work():
        saved = contacts.update(actor, contact_id, name, tags)
        if email is not None:
            set_email(actor, contact_id, email)
    return {**saved, "email": get_email(contact_id)}


def add_contact(actor: Actor, phone: str, name: str, tags: Iterable[Any],
                email: str | None) -> dict[str, Any]:
    """The new-contact form's Save: the contact approved at once, with their address."""
    if (email or "").strip():
        check_address(email)
    with events.unit_of_work():
        added = contacts.add(actor, phone, name, tags)
        if (email or "").strip():
            set_email(actor, added["id"], email)
    return {**added, "email": get_email(added["id"])}


def _meta(row: Contact) -> dict[str, Any]:
    return dict(row.metadata) if isinstance(row.metadata, dict) else {}


def _stored(row: Contact) -> str | None:
    """The stored address, when it is one (a hand-edited value that is not counts as none)."""
    value = _meta(row).get(EMAIL_KEY)
    if not isinstance(value, str) or address_problem(value):
        return None
    return value
