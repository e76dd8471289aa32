"""Group chats as audiences: approved in Contacts like a person, tagged, told once to wait.

A group's row lives among the contacts (app.services.contacts, the JID …@g.us, no phone), so
the Contacts tab approves, blocks, tags and audits it as it does a person. What is posted in a
group is decided by the group's own approval and tags (app.core.access.decide_group,
check_audience, group_may_receive) as well as by the sender's: everyone in the group reads it.

Before groups needed approval, alarms and schedules went to any group named in their
recipients. So that an upgrade does not silence them, the first time alarms or schedules run
on a database (`approve_recipient_groups_once`) the groups they name are approved once, each
audited; from then on naming a group in an alarm does not approve it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from app.core import permissions
from app.core.timefmt import format_ts
from app.db.models import Alarm, Contact, Schedule, SystemSetting
from app.services import alarm_config, audit, contacts, events, recipients, settings
from app.services.context import Actor
from app.services.writable import writes

GROUP_ID = re.compile(r"^[0-9]+(-[0-9]+)?@g\.us$")
# Set once the groups named in alarms and schedules at the upgrade were approved.
_UPGRADE_MARK = ("upgrade", "groups_in_recipients_approved")
_UPGRADE_MARK_ID = "upgrade_groups_in_recipients_approved"


def is_group_id(jid: object) -> bool:
    return isinstance(jid, str) and bool(GROUP_ID.match(jid.strip()))


def get(chat: str | None) -> dict[str, Any] | None:
    """The group chat's row as the contacts service gives it; None when it is not known."""
    if not chat:
        return None
    found = contacts.find_contact(chat)
    return found if found is not None and found["kind"] == "group" else None


@writes
def asked_for_approval(chat: str, told: bool) -> None:
    """A command came in a group that is not approved: it now waits for approval in Contacts
    (shown first there), and, when `told`, remembers that the group heard the notice once."""
    row = Contact.get_or_none(Contact.id == chat)
    if row is None:
        return
    meta = dict(row.metadata) if isinstance(row.metadata, dict) else {}
    changed = False
    if not meta.get("allowed") and not contacts.plain_blocked(meta) and not meta.get("waiting"):
        meta["waiting"] = True
        changed = True
    if told:
        notified = dict(meta.get("notified") or {}) if isinstance(meta.get("notified"),
                                                                   dict) else {}
        notified["access"] = format_ts()
        meta["notified"] = notified
        changed = True
    if changed:
        with events.unit_of_work():
            Contact.update(metadata=meta, updated_at=format_ts()).where(
                Contact.id == chat).execute()
            events.changed("contacts")


def _named_in_recipients() -> dict[str, list[str]]:
    """Group id → the alarms and schedules whose recipients name it."""
    named: dict[str, list[str]] = {}

    def add(spec: dict[str, Any], what: str) -> None:
        for jid in spec.get("groups") or []:
            if is_group_id(jid):
                named.setdefault(jid.strip(), []).append(what)

    # Read as the alarms and schedules themselves read their recipients.
    for alarm in Alarm.select(Alarm.name, Alarm.config):
        config = alarm.config if isinstance(alarm.config, dict) else {}
        for level in alarm_config.levels_of(config):
            add(level, f"alarm {alarm.name}")
    for schedule in Schedule.select(Schedule.name, Schedule.config):
        config = schedule.config if isinstance(schedule.config, dict) else {}
        add(recipients.clean_spec(config.get("recipients"), recipients.anyone)[0],
            f"schedule {schedule.name}")
    return {jid: list(dict.fromkeys(names)) for jid, names in named.items()}


@writes
def approve_recipient_groups_once() -> list[str]:
    """The first time alarms or schedules run on this database: approve the groups their
    recipients name (a blocked group stays blocked), each audited, so that what reached a
    group before groups needed approval keeps reaching it. Returns the ids approved."""
    if SystemSetting.get_or_none(SystemSetting.id == _UPGRADE_MARK_ID) is not None:
        return []
    now = format_ts()

    def approve() -> list[str]:
        approved: list[str] = []
        for jid, used_by in sorted(_named_in_recipients().items()):
            row = Contact.get_or_none(Contact.id == jid)
            if row is None:
                Contact.insert(id=jid, name=None, phone=None, metadata={
                    "group": True, "allowed": True, "waiting": False, "tags": [], "jid": jid},
                    created_at=now, updated_at=now).execute()
            else:
                meta = dict(row.metadata) if isinstance(row.metadata, dict) else {}
                if meta.get("allowed") or contacts.plain_blocked(meta):
                    continue
                meta.update(allowed=True, waiting=False)
                Contact.update(metadata=meta, updated_at=now).where(
                    Contact.id == jid).execute()
            approved.append(jid)
            audit.record(None, "group_approved_at_upgrade", {
                "contact_id": jid, "name": row.name if row is not None and row.name else "",
                "used_by": used_by,
                "why": "Groups now need approval in Contacts; this group already received "
                       "alarms or schedules, so it was approved once."})
        SystemSetting.insert(id=_UPGRADE_MARK_ID, category=_UPGRADE_MARK[0],
                             key=_UPGRADE_MARK[1], value=now, created_at=now,
                             updated_at=now).on_conflict_ignore().execute()
        if approved:
            events.changed("contacts")
        return approved

    # It reads the contacts, then writes them: a message committed meanwhile must not fail it.
    approved = events.read_then_write(approve)
    settings.forget()
    return approved


def save_from_file(actor: Actor, *, jid: str, name: str | None, allowed: bool | None,
                   tags: Iterable[Any] | None) -> str:
    """A group chat as a configuration file describes it (`config import`): its name,
    approval and tags; None leaves a field as it is. Returns "created", "updated" or
    "unchanged" (nothing written, nothing audited)."""
    actor.require(permissions.CONFIG_WRITE)
    jid = jid.strip()
    row = Contact.get_or_none(Contact.id == jid)
    meta = dict(row.metadata) if row is not None and isinstance(row.metadata, dict) else {}
    wanted = dict(meta)
    wanted.setdefault("group", True)
    wanted.setdefault("jid", jid)
    wanted["allowed"] = bool(meta.get("allowed", False) if allowed is None else allowed)
    if wanted["allowed"]:
        wanted["waiting"] = False
    else:
        wanted.setdefault("waiting", False)
    wanted["tags"] = list(meta.get("tags", []) if tags is None else contacts.clean_tags(tags))
    new_name = (" ".join(name.split()) if name else None) or (row.name if row else None)
    now = format_ts()
    who = {"contact_id": jid, "name": new_name or "", "kind": "group"}
    with events.unit_of_work():
        if row is None:
            Contact.insert(id=jid, name=new_name, phone=None, metadata=wanted, created_at=now,
                           updated_at=now).execute()
            audit.record(actor, "contact_created", {**who, "allowed": wanted["allowed"],
                                                    "tags": wanted["tags"]})
            events.changed("contacts")
            return "created"
        changes = {key: [old, new] for key, old, new in (
            ("name", row.name, new_name),
            ("allowed", bool(meta.get("allowed", False)), wanted["allowed"]),
            ("tags", list(meta.get("tags", [])), wanted["tags"])) if old != new}
        if not changes:
            return "unchanged"
        Contact.update(name=new_name, metadata=wanted, updated_at=now).where(
            Contact.id == jid).execute()
        audit.record(actor, "contact_updated", {**who, "changes": changes})
        events.changed("contacts")
    return "updated"


def export_rows() -> list[dict[str, Any]]:
    """Group chats for `config export` that the contacts list does not already carry (those
    have no stored number): by id, with name, approval and tags."""
    out = []
    for row in Contact.select().where(Contact.phone.is_null(True)).order_by(Contact.id):
        if not is_group_id(row.id):
            continue
        meta = row.metadata if isinstance(row.metadata, dict) else {}
        out.append({"name": row.name or "", "jid": row.id,
                    "allowed": bool(meta.get("allowed", False)),
                    "tags": list(meta.get("tags", []))})
    return out
