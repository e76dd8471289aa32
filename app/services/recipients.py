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
from app.services import contacts, email_queue, emails
from app.services import triggers as trigger_service

MANY_PEOPLE = 5  # more individual people than this: suggest a WhatsApp group instead


@dataclass(frozen=True)
class Destination:
    chat: str  # the JID a message goes to
    name: str  # as people know it
    is_group: bool


def anyone(_phone: str) -> bool:
    """For clean_spec when only the cleaned lists are wanted: no phone is looked up."""
    return True


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


# -- who can be told -----------------------------------------------------------------------
# Saving an alarm or a schedule, the Alarms, Schedules and Dashboard tabs and the alarm engine
# ask the same question of a level of recipients: can anybody on it receive what it sends?
# A level names people (by number or by tag) and groups; each of them can receive, or cannot
# for one reason, said in a few words ("Sari is not approved in Contacts"). Nothing records the
# bot leaving or being removed from a WhatsApp group (the bridge hears no group events), so a
# group the bot is not in is one Contacts does not know: never seen, or deleted there.

CHANNELS = ("whatsapp", "email")


def channels_of(level: Any) -> list[str]:
    """The channels a level is told on; a level that names none is told on WhatsApp."""
    raw = level.get("channels") if isinstance(level, dict) else None
    if not isinstance(raw, (list, tuple)):
        return ["whatsapp"]
    chosen = [c for c in CHANNELS if c in raw]
    return chosen or ["whatsapp"]


class Directory:
    """Everyone in Contacts, read once, found as contacts.find_contact finds them; their
    e-mail addresses read once too, when a level with the e-mail channel first asks."""

    def __init__(self, everyone: list[dict[str, Any]] | None = None) -> None:
        self.everyone = everyone if everyone is not None else contacts.list_contacts()
        self.by_id: dict[str, dict[str, Any]] = {}
        self._by_key: dict[str, dict[str, Any]] = {}
        for contact in self.everyone:
            self.by_id[contact["id"]] = contact
            for key in (contact.get("jid"), contact.get("lid"), contact.get("phone_stored")):
                if key:
                    self._by_key.setdefault(str(key), contact)
        self._phones: dict[str, str | None] = {}
        self._emails: dict[str, str] | None = None
        self._mail_route: tuple[bool, str] | None = None
        self._tags: dict[str, list[dict[str, Any]]] | None = None

    def find(self, identifier: str) -> dict[str, Any] | None:
        text = (identifier or "").strip()
        found = self.by_id.get(text) or self._by_key.get(text)
        if found is not None or not text:
            return found
        if text not in self._phones:
            self._phones[text] = contacts.normalise_phone(text)
        phone = self._phones[text]
        if phone:
            return self._by_key.get(phone) or self._by_key.get(phone.lstrip("+"))
        return None

    def tagged(self, tag: str) -> list[dict[str, Any]]:
        """The people with this tag (casefolded), in Contacts' order."""
        if self._tags is None:
            self._tags = {}
            for contact in self.everyone:
                if contact["kind"] == "person":
                    for t in dict.fromkeys(t.casefold() for t in contact["tags"]):
                        self._tags.setdefault(t, []).append(contact)
        return self._tags.get(tag, [])

    def mail_route(self) -> tuple[bool, str]:
        """(whether alarm e-mails can go out, and why not): an e-mail connection must be
        there to send them (app/services/email_queue.connection), asked once."""
        if self._mail_route is None:
            found, why = email_queue.connection()
            self._mail_route = (found is not None, why)
        return self._mail_route

    def email(self, contact_id: str) -> str | None:
        if self._emails is None:
            self._emails = emails.emails_of(
                c["id"] for c in self.everyone if c["kind"] == "person")
        return self._emails.get(contact_id)


@dataclass(frozen=True)
class Reach:
    told: tuple[str, ...]  # the names of those who can be told
    reasons: tuple[str, ...]  # each one named who cannot, and why

    @property
    def nobody(self) -> bool:
        return not self.told

    def sentence(self, level: int | None = None) -> str:
        """ "Nobody on level 1 can be told: Sari is not approved in Contacts; …" (no level:
        a schedule's one)."""
        where = f" on level {level}" if level is not None else ""
        why = "; ".join(self.reasons) or "the level names nobody"
        return f"Nobody{where} can be told: {why}."


def reach(spec: dict[str, Any], directory: Directory, audiences: list[list[str]] | tuple = (),
          channels: list[str] | tuple = ("whatsapp",)) -> Reach:
    """Who on this level can be told on its channels, and why each of the others cannot."""
    told: dict[str, str] = {}
    reasons: list[str] = []

    def note(reason: str) -> None:
        if reason not in reasons:
            reasons.append(reason)

    def person(contact: dict[str, Any]) -> None:
        if contact["kind"] == "group":
            group(contact["id"])
            return
        name = contact["display_name"]
        if contact["blocked"]:
            note(f"{name} is blocked in Contacts")
            return
        if not contact["allowed"]:
            note(f"{name} is not approved in Contacts")
            return
        able = "whatsapp" in channels and _person_chat(contact) is not None
        if "email" in channels:
            route, why = directory.mail_route()
            if not route:
                note(f"no e-mail can be sent ({why.rstrip('.')})")
            elif directory.email(contact["id"]):
                able = True
            else:
                note(f"{name} has no e-mail address in Contacts")
        if able:
            told.setdefault(contact["id"], name)
        elif "whatsapp" in channels:
            note(f"{name} has no WhatsApp number")

    def group(jid: str) -> None:
        known = directory.by_id.get(jid)
        if known is None:
            note(f"the group {jid.split('@')[0]} is not in Contacts (the bot is not in it, "
                 "or it was deleted there)")
            return
        name = known["display_name"]
        if "whatsapp" not in channels:
            note(f"the group {name} cannot get e-mail")
            return
        why = access.group_may_receive(known, audiences)
        if why is None:
            told.setdefault(jid, name)
        else:
            note(f"the group {name} {why}")

    for phone in spec.get("contacts") or []:
        contact = directory.find(phone)
        if contact is None:
            note(f"“{phone}” is not in Contacts")
        else:
            person(contact)
    for tag in spec.get("tags") or []:
        wanted = tag.casefold()
        tagged = directory.tagged(wanted)
        if not tagged:
            note(f"nobody in Contacts has the tag {tag}")
        for contact in tagged:
            person(contact)
    for jid in spec.get("groups") or []:
        group(jid)
    return Reach(tuple(told.values()), tuple(reasons))


def _level_key(level: Any, audiences: list[list[str]] | tuple, faults_first: bool) -> str:
    # repr, not JSON: cheaper, and the same stored level always gives the same text.
    return repr((level, [list(a) for a in audiences], faults_first))


class ReachCheck:
    """Whether the levels of many alarms and schedules reach anybody: Contacts read once, each
    distinct level (with its channels and its trigger's tags) worked out once, each trigger's
    tags read once. For 5,000 alarms that share a few recipient lists, a few resolutions."""

    def __init__(self, directory: Directory | None = None) -> None:
        self._directory = directory
        self._levels: dict[str, Reach] = {}
        self._audiences: dict[tuple[str | None, str | None], list[list[str]]] = {}

    @property
    def directory(self) -> Directory:
        if self._directory is None:  # Contacts are read when a first level asks
            self._directory = Directory()
        return self._directory

    def audiences(self, trigger_id: str | None = None,
                  group_id: str | None = None) -> list[list[str]]:
        key = (trigger_id, group_id)
        if key not in self._audiences:
            self._audiences[key] = audiences_of(trigger_id, group_id)
        return self._audiences[key]

    def level(self, level: Any, audiences: list[list[str]] | tuple = (),
              faults_first: bool = False) -> Reach | None:
        """Who on the level can be told; None when it names nobody (or, with `faults_first`,
        when its list is itself wrong: a number that is no contact)."""
        key = _level_key(level, audiences, faults_first)
        if key in self._levels:
            return self._levels[key]
        spec, faults = clean_spec(level, self.known if faults_first else anyone)
        found = None if is_empty(spec) or faults else reach(
            spec, self.directory, audiences, channels_of(level))
        self._levels[key] = found
        return found

    def known(self, phone: str) -> bool:
        """Whether a listed phone is a contact (clean_spec's question, without a query)."""
        return self.directory.find(phone) is not None

    def unreachable(self, levels: list[Any], audiences: list[list[str]] | tuple = (),
                    faults_first: bool = False) -> dict[int, Reach]:
        """Level number (1: the first) → who cannot be told and why, for each level that
        names somebody and reaches nobody (empty: every level can be told). With
        `faults_first`, a level whose list is itself wrong (a number that is no contact) is
        left to that sentence."""
        out: dict[int, Reach] = {}
        for i, level in enumerate(levels):
            found = self.level(level, audiences, faults_first)
            if found is not None and found.nobody:
                out[i + 1] = found
        return out

    def levels(self, levels: list[Any], audiences: list[list[str]] | tuple = (),
               faults_first: bool = False) -> list[str]:
        """A sentence for each level nobody on can be told ("Nobody on level 1 can be told:
        …"), as unreachable() finds them."""
        return [found.sentence(n) for n, found in
                self.unreachable(levels, audiences, faults_first).items()]

    def alarm(self, alarm: dict[str, Any]) -> dict[int, Reach]:
        """Its levels that reach nobody; none for an alarm switched off."""
        if not alarm.get("active", True):
            return {}
        return self.unreachable(raw_levels(alarm.get("config") or {}),
                                self.audiences(trigger_id=alarm.get("trigger_id")))

    def schedule(self, schedule: dict[str, Any], audiences: list[list[str]] | tuple = ()
                 ) -> str:
        """ "Nobody can be told: …" when the schedule reaches nobody, else ""."""
        raw = (schedule.get("config") or {}).get("recipients")
        found = self.level(raw if isinstance(raw, dict) else {}, audiences)
        return found.sentence() if found is not None and found.nobody else ""


def raw_levels(config: dict[str, Any]) -> list[Any]:
    """An alarm's levels as saved, with their channels (a single level may be saved bare)."""
    raw = config.get("recipients") or []
    if isinstance(raw, dict):
        raw = [raw]
    return [level for level in raw if isinstance(level, dict)] if isinstance(raw, list) else []


def unreachable_alarms(alarms: list[dict[str, Any]]) -> dict[str, dict[int, Reach]]:
    """Alarm id → its levels nobody can be told on (level number → who cannot and why), for
    the alarms that have one (switched-off alarms left out). Worked out from their recipients
    and Contacts as they are now, never stored: Contacts read once, each distinct level
    resolved once."""
    check = ReachCheck()
    found = {}
    for alarm in alarms:
        levels = check.alarm(alarm)
        if levels:
            found[alarm["id"]] = levels
    return found
