"""Who an alarm or a schedule goes to: approved contacts, contact tags and WhatsApp groups.

A recipient spec is `{"contacts": ["+62812…"], "tags": ["ops"], "groups": ["1203…@g.us"]}`.
Only approved, unblocked people are messaged (the bot never opens a chat with a stranger), and
a group is one message to the group, however many people read it: so a group gets it only when
it is approved and not blocked in Contacts and has the tags the trigger behind the message is
limited to (app.core.access.group_may_receive). Naming a group here does not approve it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core import access
from app.errors import UserError
from app.services import contacts
from app.services import triggers as trigger_service

MANY_PEOPLE = 5  # more individual people than this: suggest a WhatsApp group instead


@dataclass(frozen=True)
class Destination:
    chat: str  # the JID a message goes to
    name: str  # as people know it
    is_group: bool


def clean_spec(raw: Any, contact_known: Callable[[str], bool] | None = None
               ) -> tuple[dict[str, list[str]], list[str]]:
    """(spec with trimmed, de-duplicated lists, sentences for what is wrong).

    `contact_known` says whether a listed phone is a contact (default: in the database)."""
    known = contact_known or (lambda phone: contacts.find_contact(phone) is not None)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        return {"contacts": [], "tags": [], "groups": []}, [
            "Recipients must list contacts, tags and groups."]
    out: dict[str, list[str]] = {}
    problems: list[str] = []
    for key in ("contacts", "tags", "groups"):
        items = raw.get(key) or []
        if isinstance(items, str):
            items = [p for p in items.replace(";", ",").split(",")]
        if not isinstance(items, (list, tuple)):
            problems.append(f"Recipients' {key} must be a list.")
            items = []
        seen: dict[str, str] = {}
        for item in items:
            text = " ".join(str(item).split())
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
        out[key] = list(seen.values())
    for group in out["groups"]:
        if not group.endswith("@g.us"):
            problems.append(f"“{group}” is not a WhatsApp group id (those end in @g.us; the "
                            "Contacts tab lists the groups the bot is in).")
    for phone in out["contacts"]:
        if not known(phone):
            problems.append(f"No contact “{phone}” is known; add or approve them in Contacts "
                            "first.")
    return out, problems


def is_empty(spec: dict[str, list[str]]) -> bool:
    return not any(spec.get(k) for k in ("contacts", "tags", "groups"))


def _person_chat(contact: dict[str, Any]) -> str | None:
    """The chat to write to: by phone number where known (the old system's @c.us ids and a
    person's LID reach the same chat)."""
    if contact.get("phone"):
        return f"{str(contact['phone']).lstrip('+')}@s.whatsapp.net"
    if contact.get("jid"):
        return str(contact["jid"]).replace("@c.us", "@s.whatsapp.net")
    return contact.get("lid") or None


def resolve(spec: dict[str, list[str]], everyone: list[dict[str, Any]] | None = None,
            audiences: list[list[str]] | tuple = ()) -> tuple[list[Destination], list[str]]:
    """(where messages go, sentences about recipients that were left out and why).

    `audiences` are the tags each trigger behind the message is limited to (`audiences_of`):
    a group gets the message only when it has one tag of each."""
    people = everyone if everyone is not None else contacts.list_contacts()
    out: dict[str, Destination] = {}
    skipped: list[str] = []

    def add_person(contact: dict[str, Any]) -> None:
        if contact["kind"] == "group":
            add_group(contact["id"], contact["display_name"])
            return
        if not contact["allowed"] or contact["blocked"]:
            skipped.append(f"{contact['display_name']} is not approved, so gets no alarms.")
            return
        chat = _person_chat(contact)
        if chat:
            out.setdefault(chat, Destination(chat, contact["display_name"], False))

    def add_group(jid: str, name: str = "") -> None:
        known = next((c for c in people if c["id"] == jid), None)
        shown = name or (known["display_name"] if known else jid.split("@")[0])
        why = access.group_may_receive(known, audiences)
        if why is not None:
            skipped.append(f"The group {shown} {why}, so nothing was posted in it.")
            return
        out.setdefault(jid, Destination(jid, shown, True))

    for phone in spec.get("contacts") or []:
        contact = contacts.find_contact(phone)
        if contact is None:
            skipped.append(f"No contact “{phone}” is known.")
        else:
            add_person(contact)
    wanted = {t.casefold() for t in spec.get("tags") or []}
    if wanted:
        for contact in people:
            if contact["kind"] == "person" and wanted & {t.casefold() for t in contact["tags"]}:
                add_person(contact)
    for group in spec.get("groups") or []:
        add_group(group)
    return list(out.values()), skipped


def audiences_of(trigger_id: str | None = None, group_id: str | None = None
                 ) -> list[list[str]]:
    """The audience tags of the trigger (or of each member of the trigger group) whose answer
    an alarm or a schedule sends; [] when nothing limits it (or it no longer exists)."""
    try:
        if group_id:
            group = trigger_service.get_group(group_id)
            members = [trigger_service.get_trigger(i) for i in group["member_ids"]]
        elif trigger_id:
            members = [trigger_service.get_trigger(trigger_id)]
        else:
            return []
    except UserError:
        return []
    return [list(m["config"].get("audience") or []) for m in members
            if m["config"].get("audience")]


def covers(spec: dict[str, list[str]], contact: dict[str, Any] | None,
           chat: str | None) -> bool:
    """Whether the person (or the group chat they write in) is among these recipients."""
    if chat and chat in (spec.get("groups") or []):
        return True
    if contact is None:
        return False
    ids = set(contact.get("sender_ids") or []) | {contact["id"]}
    for phone in spec.get("contacts") or []:
        found = contacts.find_contact(phone)
        if found is not None and found["id"] in ids | {contact["id"]}:
            return True
    wanted = {t.casefold() for t in spec.get("tags") or []}
    return bool(wanted & {t.casefold() for t in contact.get("tags") or []})


def crowd_warning(spec: dict[str, list[str]]) -> str | None:
    """A sentence when one message would go to many people one by one."""
    people = [d for d in resolve(spec)[0] if not d.is_group]
    if len(people) > MANY_PEOPLE:
        return (f"This goes to {len(people)} people one by one. WhatsApp treats the same text "
                "sent to many chats as spam: put them in a WhatsApp group with the bot and "
                "choose the group instead.")
    return None


def group_warning(spec: dict[str, list[str]]) -> str | None:
    """A sentence when a group named here would get nothing: naming it does not approve it."""
    people = {c["id"]: c for c in contacts.list_contacts() if c["kind"] == "group"}
    left_out = []
    for jid in spec.get("groups") or []:
        why = access.group_may_receive(people.get(jid))
        if why is not None:
            name = people[jid]["display_name"] if jid in people else jid
            left_out.append(f"The group {name} {why}.")
    if not left_out:
        return None
    return " ".join(left_out) + " Nothing is posted in a group until it is approved in Contacts."
