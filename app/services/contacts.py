"""Contacts: WhatsApp senders keyed by JID, phones in E.164, approval, tags, blocks and mutes.

Longer than 500 lines because every way a contact row changes (a message, the Contacts tab, a
configuration file) must agree on the same identity rules, which live here once."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core import permissions
from app.core.messages import Incoming
from app.core.timefmt import format_ts, parse_ts, utc_now
from app.db.models import Contact, database_proxy
from app.db.rows import Prepared, slot
from app.errors import UserError
from app.services import audit, cache, events, strangers
from app.services.cache import Kept, copied
from app.services.context import Actor
from app.services.writable import writes

PHONE_DOMAINS = ("s.whatsapp.net", "c.us")
LID_DOMAIN = "lid"
GROUP_DOMAIN = "g.us"
PERSON_DOMAINS = (*PHONE_DOMAINS, LID_DOMAIN)
DEFAULT_REGION = "ID"  # the plants are in Indonesia: a local 08… number is Indonesian

_SEPARATORS = re.compile(r"[\s\-().\u00a0/]")
_NEVER = datetime.max.replace(tzinfo=UTC)
# Who a sender is, read on every message: kept until a contact changes (app/services/cache.py).
_senders = Kept("contacts")
_found = Kept("contacts")


def _domain(jid: str) -> str:
    return jid.rpartition("@")[2].lower() if "@" in jid else ""


def normalise_phone(raw: object) -> str | None:
    """E.164 ("+628…") from what people type or WhatsApp gives; None when it is no phone.

    Digits without "+" are taken as international (the old system stored them so), a leading 0
    as an Indonesian local number. A LID (…@lid) or a group id is an identifier, not a number.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    if "@" in text:
        user, _, domain = text.partition("@")
        if domain.lower() not in PHONE_DOMAINS:
            return None
        # "628123:12@s.whatsapp.net" names one device of the account; the number is the same.
        text = "+" + re.split(r"[:.]", user)[0]
    cleaned = _SEPARATORS.sub("", text)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    region: str | None = None
    if cleaned.startswith("0"):
        region = DEFAULT_REGION
    elif not cleaned.startswith("+"):
        cleaned = "+" + cleaned
    if not re.fullmatch(r"\+?\d{4,17}", cleaned):
        return None
    import phonenumbers  # 30 ms to load: only when a number is read, not at start

    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_forms(e164: str) -> list[str]:
    # The old system stored digits with the country code and no "+": both are the same person.
    return [e164, e164.lstrip("+")]


def _meta(row: Contact) -> dict[str, Any]:
    return dict(row.metadata) if isinstance(row.metadata, dict) else {}


def _kind(contact_id: str, meta: dict[str, Any]) -> str:
    domain = _domain(contact_id)
    if domain == GROUP_DOMAIN or meta.get("group"):
        return "group"
    if domain in PERSON_DOMAINS:
        return "person"
    return "other"  # newsletters, broadcast lists, anything WhatsApp adds later


def _shown_phone(row: Contact, kind: str) -> str:
    stored = row.phone or ""
    if stored.startswith("+"):
        return stored
    # Old rows of LIDs and groups hold their id's digits, which are not dialable numbers.
    if kind != "person" or _domain(row.id) == LID_DOMAIN:
        return ""
    return normalise_phone(stored) or ""


def _blocked(meta: dict[str, Any]) -> bool:
    # The old rows' isBlocked is WhatsApp's own flag; ours, once set, wins.
    return bool(meta["blocked"]) if "blocked" in meta else bool(meta.get("isBlocked"))


plain_blocked = _blocked  # for app.services.groups, which keeps group rows by the same rules


def _sender_ids(contact_id: str, meta: dict[str, Any], phone: str) -> list[str]:
    ids = [contact_id]
    for key in ("lid", "jid"):
        value = meta.get(key)
        if isinstance(value, str) and value:
            ids.append(value)
    if phone:
        digits = phone.lstrip("+")
        ids += [f"{digits}@s.whatsapp.net", f"{digits}@c.us"]
    return list(dict.fromkeys(ids))


def ids_matching(text: str) -> list[str]:
    """Every WhatsApp id (and e-mail address) of the contacts whose name or number contains
    `text` (for searches)."""
    needle = text.strip().lower()
    digits = re.sub(r"\D", "", text)
    found: list[str] = []
    for row in Contact.select(Contact.id, Contact.name, Contact.phone, Contact.metadata):
        meta = _meta(row)
        names = " ".join(str(v) for v in (row.name, meta.get("push_name"),
                                          meta.get("verifiedName")) if v).lower()
        if (needle and needle in names) or (digits and digits in (row.phone or "")):
            found += _sender_ids(row.id, meta, row.phone or "")
            if isinstance(meta.get("email"), str) and meta["email"]:
                found.append(meta["email"])  # the alarm e-mails sent to them
    return list(dict.fromkeys(found))


def _plain(row: Contact) -> dict[str, Any]:
    meta = _meta(row)
    kind = _kind(row.id, meta)
    blocked = _blocked(meta)
    allowed = bool(meta.get("allowed"))
    phone = _shown_phone(row, kind)
    notified = meta.get("notified") if isinstance(meta.get("notified"), dict) else {}
    domain = _domain(row.id)
    return {
        "id": row.id,
        "name": row.name or "",
        "display_name": row.name or phone or row.id,
        "phone": phone,
        "phone_stored": row.phone or "",
        "kind": kind,
        "allowed": allowed,
        "blocked": blocked,
        "waiting": bool(meta.get("waiting")) and not allowed and not blocked,
        "tags": [str(t) for t in meta.get("tags") or [] if str(t).strip()],
        "lid": meta.get("lid") or (row.id if domain == LID_DOMAIN else None),
        "jid": meta.get("jid") or (row.id if domain in PHONE_DOMAINS else None),
        "sender_ids": _sender_ids(row.id, meta, phone),
        "self": bool(meta.get("self")),
        "business": bool(meta.get("isBusiness")),
        "verified_name": meta.get("verifiedName") or "",
        "muted_until": parse_ts(meta.get("muted_until")),
        "notified": {str(k): parse_ts(v) for k, v in notified.items() if parse_ts(v)},
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _get_row(contact_id: str) -> Contact:
    row = Contact.get_or_none(Contact.id == contact_id)
    if row is None:
        raise UserError("That contact no longer exists; the list has been refreshed.")
    return row


def list_contacts(filter_text: str | None = None) -> list[dict[str, Any]]:
    """Everyone, those waiting for approval first; `filter_text` matches name, number, id, tag."""
    needle = (filter_text or "").strip().casefold()
    result = []
    for row in Contact.select():
        item = _plain(row)
        if needle and not any(
            needle in str(value).casefold()
            for value in (item["name"], item["phone"], item["phone_stored"], item["id"],
                          *item["tags"])
        ):
            continue
        result.append(item)
    result.sort(key=lambda c: (not c["waiting"], c["display_name"].casefold(), c["id"]))
    return result


def get_contact(contact_id: str) -> dict[str, Any]:
    return _plain(_get_row(contact_id))


def find_contact(identifier: str) -> dict[str, Any] | None:
    """By JID, or by phone number in any form people type (for `simulate --sender`)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    return copied(_found.get(identifier, lambda: _find_contact(identifier)))


def _find_contact(identifier: str) -> dict[str, Any] | None:
    row = Contact.get_or_none(Contact.id == identifier)
    if row is None:
        row = _by_jids([identifier], indexed=events.kept_true("contacts"))
    if row is None:
        phone = normalise_phone(identifier)
        if phone:
            row = Contact.get_or_none(Contact.phone.in_(_phone_forms(phone)))
    return _plain(row) if row else None


def _by_jids(jids: list[str], indexed: bool = False) -> Contact | None:
    rows = _rows_by_jids(jids, indexed)
    return rows[0] if rows else None


class _JidIndex:
    """Which contacts name a JID in their metadata (lid, jid), so a sender is found by primary
    keys instead of parsing every contact's JSON (50,000 contacts: 80 ms a lookup).

    Read whole once per database (`warm_index`, at the bot's start, on a thread); after a
    change (a notice, or another connection's commit: each connection's data_version is
    remembered), only the rows written since MARGIN_S before the last read: every write of a
    contact sets updated_at, and a transaction of another connection or thread may have
    stamped its rows before that read and committed after it. A JID may name a row no longer,
    or a row that is gone: the rows found are checked against the JIDs."""

    MARGIN_S = 300

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.db: object | None = None
        self.committed: tuple[int, ...] | None = None
        self.versions: dict[int, tuple[object, int]] = {}  # by connection id: (it, version)
        self.by_jid: dict[str, set[str]] = {}
        self.since = ""

    def ids(self, jids: list[str]) -> set[str] | None:
        """The ids of the rows that may name `jids`; None when no index can be kept here."""
        seen = cache.connection_state()
        if seen is None:
            return None
        db, connection, version = seen
        committed = events.committed("contacts")
        with self.lock:
            if self.db is not db:
                self._read(whole=True)
            else:
                known = self.versions.get(id(connection))
                if committed != self.committed or known is None or known[0] is not connection \
                        or known[1] != version:
                    self._read(whole=False)
            self.db, self.committed = db, committed
            if len(self.versions) > 16:
                self.versions.clear()
            self.versions[id(connection)] = (connection, version)
            found = set(jids)
            for jid in jids:
                found |= self.by_jid.get(jid, set())
            return found

    def _read(self, whole: bool) -> None:
        started = utc_now()
        sql = ("SELECT id, (CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.lid') "
               "END), (CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.jid') END) "
               "FROM contacts")
        if whole:
            self.by_jid = {}
            rows = database_proxy.execute_sql(sql)
        else:
            rows = database_proxy.execute_sql(sql + " WHERE updated_at >= ?", (self.since,))
        for contact_id, lid, jid in rows:
            for named in (lid, jid):
                if isinstance(named, str) and named:
                    self.by_jid.setdefault(named, set()).add(contact_id)
        self.since = format_ts(started - timedelta(seconds=self.MARGIN_S))


_jid_index = _JidIndex()


def warm_index() -> None:
    """Read the contacts' JIDs now (a thread at the bot's start), not at the first message."""
    if not events.in_unit_of_work():
        _jid_index.ids([])


def _rows_by_jids(jids: Iterable[str], indexed: bool = False) -> list[Contact]:
    jids = [j for j in dict.fromkeys(jids) if j]
    if not jids:
        return []
    ids = _jid_index.ids(jids) if indexed else None
    if ids is not None:
        return [r for r in _rows_of(sorted(ids)) if _named(r, jids)]
    marks = ", ".join("?" for _ in jids)
    # json_extract fails on text that is not JSON, which old rows may hold; CASE guards it.
    meta_jid = "(CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.{}') END)"
    sql = (f"SELECT id FROM contacts WHERE id IN ({marks}) OR {meta_jid.format('lid')} "
           f"IN ({marks}) OR {meta_jid.format('jid')} IN ({marks})")
    ids = [r[0] for r in database_proxy.execute_sql(sql, jids * 3)]
    return list(Contact.select().where(Contact.id.in_(ids))) if ids else []


def _named(row: Contact, jids: list[str]) -> bool:
    """Whether one of `jids` is the row's id, LID or phone JID."""
    meta = _meta(row)
    return row.id in jids or meta.get("lid") in jids or meta.get("jid") in jids


_OF_IDS: dict[tuple[int, int], Prepared] = {}  # by how many ids and phones it names


def _rows_of(ids: list[str], phones: list[str] = ()) -> list[Contact]:
    """The rows of these ids and of these phones (a message's sender is looked for this way,
    their statement compiled once per count of ids and phones)."""
    shape = (len(ids), len(phones))
    prepared = _OF_IDS.get(shape)
    if prepared is None:
        def build() -> Any:
            named = Contact.id.in_([slot(f"i{n}") for n in range(shape[0])])
            if shape[1]:
                named |= Contact.phone.in_([slot(f"p{n}") for n in range(shape[1])])
            return Contact.select().where(named)
        prepared = _OF_IDS[shape] = Prepared(build)
    values = {f"i{n}": v for n, v in enumerate(ids)}
    values.update({f"p{n}": v for n, v in enumerate(phones)})
    return prepared.rows(Contact, **values)


def _person_jids(msg: Incoming) -> list[str]:
    extra = [v for v in msg.raw_ids.values() if isinstance(v, str) and _domain(v) in PERSON_DOMAINS]
    return [j for j in dict.fromkeys([msg.sender, *extra]) if j]


def _first(jids: list[str], domains: tuple[str, ...]) -> str | None:
    return next((j for j in jids if _domain(j) in domains), None)


def _oldest_first(rows: Iterable[Contact]) -> list[Contact]:
    rows = list(rows)
    marks = ", ".join("?" for _ in rows)
    # rowid breaks ties of rows created in the same second: the earlier insert is the older.
    order = dict(database_proxy.execute_sql(
        f"SELECT id, rowid FROM contacts WHERE id IN ({marks})", [r.id for r in rows]))

    def key(row: Contact) -> tuple:
        return (row.created_at is None, row.created_at or _NEVER, order.get(row.id, 0))

    return sorted(rows, key=key)


def _merge_meta(target: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    merged = dict(target)
    for key, value in other.items():
        merged.setdefault(key, value)
    merged["allowed"] = bool(target.get("allowed")) or bool(other.get("allowed"))
    if _blocked(target) or _blocked(other):
        merged["blocked"] = True
    merged["waiting"] = (bool(target.get("waiting")) or bool(other.get("waiting"))) and not \
        merged["allowed"]
    merged["tags"] = list(dict.fromkeys([*(target.get("tags") or []), *(other.get("tags") or [])]))
    notified: dict[str, str] = {}
    for source in (target.get("notified"), other.get("notified")):
        for kind, when in (source or {}).items() if isinstance(source, dict) else ():
            if parse_ts(when) and (kind not in notified
                                   or parse_ts(when) > parse_ts(notified[kind])):
                notified[kind] = when
    if notified:
        merged["notified"] = notified
    mutes = [parse_ts(m.get("muted_until")) for m in (target, other)]
    mutes = [m for m in mutes if m]
    if mutes:
        merged["muted_until"] = format_ts(max(mutes))
    return merged


@writes
def upsert_from_message(msg: Incoming) -> dict[str, Any] | None:
    """See _upsert_from_message. A sender whose row this message would not change is known
    from the last message that found it so (kept until a contact changes), without a query."""
    key = (tuple(_person_jids(msg)), msg.sender_phone, msg.push_name.strip(), msg.from_me,
           msg.chat if msg.is_group else None)
    found = _senders.get(key, lambda: _upsert_from_message(msg),
                         keep=lambda contact: contact is not None)
    return copied(found)


def _upsert_from_message(msg: Incoming) -> dict[str, Any] | None:
    """The sender's contact, created (waiting for approval) or brought up to date; None when
    the sender is new and strangers created their hour's share of contacts (strangers.admit).

    Found by the sender's JID, by any other JID WhatsApp gave for them (a LID and a phone JID
    name the same person), or by phone number. When that finds two rows, one person was known
    under two ids before their number was: the oldest row absorbs the other, so the UNIQUE phone
    never sees a duplicate. A group chat is a contact too (its own row, no phone).
    """
    jids = _person_jids(msg)
    lid = _first(jids, (LID_DOMAIN,))
    phone_jid = _first(jids, PHONE_DOMAINS)
    phone = normalise_phone(msg.sender_phone) or normalise_phone(phone_jid)
    now = format_ts()
    changed = False
    # The JID index knows every committed row: true outside any unit, and in one of several
    # messages recorded together before it writes a contact.
    indexed = events.kept_true("contacts")
    forms = _phone_forms(phone) if phone else []
    if indexed and jids and not msg.is_group:
        # A known person this message changes nothing of: one statement, no transaction.
        found = _candidates(jids, forms, indexed)
        if len(found) == 1 and _refreshed(found[0], msg, lid, phone_jid, phone) is None:
            return _plain(found[0])
    with events.unit_of_work():
        if msg.is_group and msg.chat and _domain(msg.chat) == GROUP_DOMAIN:
            changed |= _ensure_group(msg.chat, now)
        candidates = {r.id: r for r in _candidates(jids, forms, indexed)}
        if not candidates:
            if not msg.from_me and not strangers.admit():
                return None  # counted, not stored
            meta: dict[str, Any] = {"allowed": False, "waiting": not msg.from_me, "tags": [],
                                    "lid": lid, "jid": phone_jid}
            if msg.from_me:
                meta["self"] = True  # the bot's own account; nobody needs to approve it
            Contact.insert(id=msg.sender, name=msg.push_name.strip() or None, phone=phone,
                           metadata=meta, created_at=now, updated_at=now).execute()
            primary = _rows_of([msg.sender])[0]
            changed = True
        else:
            ordered = (_oldest_first(candidates.values()) if len(candidates) > 1
                       else list(candidates.values()))
            primary = ordered[0]
            if len(ordered) > 1:
                _merge(primary, ordered[1:], now)
                primary = _rows_of([primary.id])[0]
            if _refresh(primary, msg, lid, phone_jid, phone, now):
                changed = True
                primary = _rows_of([primary.id])[0]
        if changed:
            events.changed("contacts")
    return _plain(primary)


def _candidates(jids: list[str], forms: list[str], indexed: bool) -> list[Contact]:
    """The rows that may be this sender: named by one of `jids`, or holding the phone in one
    of its `forms` (the same row at most once)."""
    named = _jid_index.ids(jids) if indexed and jids else None
    if named is not None:  # one statement: the rows the JIDs may name, and the phone's
        return [r for r in _rows_of(sorted(named), forms) if r.phone in forms or _named(r, jids)]
    found = {r.id: r for r in _rows_by_jids(jids, indexed=indexed)}
    if forms:
        found.update((r.id, r) for r in Contact.select().where(Contact.phone.in_(forms)))
    return list(found.values())


def _ensure_group(chat: str, now: str) -> bool:
    if Contact.select().where(Contact.id == chat).exists():
        return False
    # Not approved: the group waits for approval once a command is asked in it (groups.py).
    Contact.insert(id=chat, name=None, phone=None,
                   metadata={"group": True, "allowed": False, "waiting": False, "tags": [],
                             "jid": chat},
                   created_at=now, updated_at=now).execute()
    return True


def _merge(primary: Contact, others: list[Contact], now: str) -> None:
    meta = _meta(primary)
    name = primary.name
    phone = primary.phone
    for other in others:
        meta = _merge_meta(meta, _meta(other))
        meta.setdefault("merged", [])
        meta["merged"] = [*meta["merged"], other.id]
        name = name or other.name
        # A stored phone that is a real number beats LID digits kept by the old system.
        if other.phone and (not phone or (_shown_phone(primary, "person") == ""
                                          and normalise_phone(other.phone))):
            phone = other.phone
    Contact.delete().where(Contact.id.in_([o.id for o in others])).execute()
    Contact.update(name=name, phone=phone, metadata=meta, updated_at=now).where(
        Contact.id == primary.id).execute()
    audit.record(None, "contact_merged", {
        "contact_id": primary.id, "merged": [o.id for o in others], "name": name or "",
        "phone": phone or "",
    })


def _refresh(row: Contact, msg: Incoming, lid: str | None, phone_jid: str | None,
             phone: str | None, now: str) -> bool:
    change = _refreshed(row, msg, lid, phone_jid, phone)
    if change is None:
        return False
    name, new_phone, meta = change
    Contact.update(name=name, phone=new_phone, metadata=meta, updated_at=now).where(
        Contact.id == row.id).execute()
    return True


def _refreshed(row: Contact, msg: Incoming, lid: str | None, phone_jid: str | None,
               phone: str | None) -> tuple[str | None, str | None, dict[str, Any]] | None:
    """(name, phone, metadata) `msg` brings `row` up to; None when it changes nothing."""
    meta = _meta(row)
    before = (row.name, row.phone, dict(meta))
    name = row.name
    if not (name or "").strip() and msg.push_name.strip():
        name = msg.push_name.strip()
    if lid and not meta.get("lid"):
        meta["lid"] = lid
    if phone_jid and not meta.get("jid"):
        meta["jid"] = phone_jid
    if msg.from_me and not meta.get("self"):
        meta["self"] = True
    new_phone = row.phone
    if phone and row.phone != phone:
        current = _shown_phone(row, _kind(row.id, meta))
        if not current:
            # Empty, or an old row's LID digits: the real number replaces it.
            if row.phone:
                meta.setdefault("old_phone", row.phone)
            new_phone = phone
        elif current == phone:
            new_phone = phone  # the old digits-only form becomes E.164
    if (name, new_phone, meta) == before:
        return None
    return name, new_phone, meta


def _write_meta(row: Contact, meta: dict[str, Any], **fields: Any) -> None:
    Contact.update(metadata=meta, updated_at=format_ts(), **fields).where(
        Contact.id == row.id).execute()


def clean_tags(tags: Iterable[Any]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        text = " ".join(str(tag).split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def _who(row: Contact) -> dict[str, Any]:
    who = {"contact_id": row.id, "name": row.name or "", "phone": row.phone or ""}
    if _kind(row.id, _meta(row)) == "group":
        who["kind"] = "group"
    return who


def approve(actor: Actor, contact_id: str) -> dict[str, Any]:
    """Allow a contact to get data (one click in Contacts)."""
    actor.require(permissions.CONFIG_WRITE)
    row = _get_row(contact_id)
    meta = _meta(row)
    if meta.get("allowed") and not meta.get("waiting"):
        return _plain(row)
    meta["allowed"] = True
    meta["waiting"] = False
    notified = meta.get("notified")
    if isinstance(notified, dict):
        notified.pop("access", None)  # should access be taken away again, tell them again
    with events.unit_of_work():
        _write_meta(row, meta)
        audit.record(actor, "contact_approved", _who(row))
        events.changed("contacts")
    return get_contact(contact_id)


def set_blocked(actor: Actor, contact_id: str, blocked: bool) -> dict[str, Any]:
    """Block (the bot ignores them, no notices) or unblock a contact."""
    actor.require(permissions.CONFIG_WRITE)
    row = _get_row(contact_id)
    meta = _meta(row)
    if _blocked(meta) == blocked and "blocked" in meta:
        return _plain(row)
    meta["blocked"] = blocked
    if blocked:
        meta["waiting"] = False
    with events.unit_of_work():
        _write_meta(row, meta)
        audit.record(actor, "contact_blocked" if blocked else "contact_unblocked", _who(row))
        events.changed("contacts")
    return get_contact(contact_id)


def update(actor: Actor, contact_id: str, name: str | None,
           tags: Iterable[Any] | None) -> dict[str, Any]:
    """Rename and retag; None leaves that field as it is."""
    actor.require(permissions.CONFIG_WRITE)
    row = _get_row(contact_id)
    meta = _meta(row)
    changes: dict[str, list[Any]] = {}
    new_name = row.name
    if name is not None:
        new_name = " ".join(name.split()) or None
        if (new_name or "") != (row.name or ""):
            changes["name"] = [row.name or "", new_name or ""]
    if tags is not None:
        old_tags = list(meta.get("tags") or [])
        new_tags = clean_tags(tags)
        if new_tags != old_tags:
            changes["tags"] = [old_tags, new_tags]
            meta["tags"] = new_tags
    if not changes:
        return _plain(row)
    with events.unit_of_work():
        _write_meta(row, meta, name=new_name)
        audit.record(actor, "contact_updated", {**_who(row), "changes": changes})
        events.changed("contacts")
    return get_contact(contact_id)


def save_from_file(actor: Actor, *, phone: str, name: str | None, jid: str | None,
                   allowed: bool | None, tags: Iterable[Any] | None) -> str:
    """A contact as a configuration file describes it (`config import`): found by its number
    or by the file's WhatsApp id, else created with both. None leaves a field as it is; what
    else is known about them (waiting, mutes, notices) stays. Returns "created", "updated" or
    "unchanged" (nothing written, nothing audited)."""
    actor.require(permissions.CONFIG_WRITE)
    digits = re.sub(r"\D", "", phone)
    row = next((c for c in Contact.select().where(Contact.phone.is_null(False))
                if re.sub(r"\D", "", c.phone) == digits), None)
    if row is None and jid:
        # The same person may be here under the file's WhatsApp id without a number (a LID
        # contact): that row gets the number instead of a second row being added.
        row = Contact.get_or_none(Contact.id == jid)
    meta = _meta(row) if row else {}
    wanted = dict(meta)
    wanted["allowed"] = bool(meta.get("allowed", False) if allowed is None else allowed)
    wanted["tags"] = list(meta.get("tags", []) if tags is None else clean_tags(tags))
    new_name = (" ".join(name.split()) if name else None) or (row.name if row else None)
    new_phone = (row.phone if row else None) or f"+{digits}"
    now = format_ts()
    with events.unit_of_work():
        if row is None:
            contact_id = jid or f"{digits}@c.us"
            Contact.insert(id=contact_id, name=new_name, phone=new_phone, metadata=wanted,
                           created_at=now, updated_at=now).execute()
            audit.record(actor, "contact_created", {**_who(Contact.get_by_id(contact_id)),
                                                    "allowed": wanted["allowed"],
                                                    "tags": wanted["tags"]})
            events.changed("contacts")
            return "created"
        changes = {key: [old, new] for key, old, new in (
            ("name", row.name, new_name), ("phone", row.phone, new_phone),
            ("allowed", bool(meta.get("allowed", False)), wanted["allowed"]),
            ("tags", list(meta.get("tags", [])), wanted["tags"])) if old != new}
        if not changes and wanted == meta:
            return "unchanged"
        _write_meta(row, wanted, name=new_name, phone=new_phone)
        audit.record(actor, "contact_updated", {**_who(Contact.get_by_id(row.id)),
                                                "changes": changes})
        events.changed("contacts")
    return "updated"


def add(actor: Actor, phone: str, name: str, tags: Iterable[Any]) -> dict[str, Any]:
    """Someone added ahead of time, from Contacts: approved at once, with their tags, before
    they ever write. Refused with a sentence for a number that is not one or is already
    there."""
    actor.require(permissions.CONFIG_WRITE)
    e164 = normalise_phone(phone)
    if e164 is None:
        raise UserError(f"“{phone.strip()}” is not a phone number: write it with the country "
                        "code, e.g. +62 812 3456 7890, or as a local 0812… number.")
    existing = Contact.get_or_none(Contact.phone.in_(_phone_forms(e164)))
    if existing is not None:
        raise UserError(f"{existing.name or e164} is already in Contacts; edit them there.")
    name = " ".join((name or "").split()) or None
    meta = {"allowed": True, "waiting": False, "tags": clean_tags(tags),
            "jid": f"{e164[1:]}@{PHONE_DOMAINS[0]}"}
    now = format_ts()
    contact_id = meta["jid"]
    with events.unit_of_work():
        Contact.insert(id=contact_id, name=name, phone=e164, metadata=meta, created_at=now,
                       updated_at=now).execute()
        audit.record(actor, "contact_created", {**_who(Contact.get_by_id(contact_id)),
                                                "allowed": True, "tags": meta["tags"],
                                                "ahead_of_time": True})
        events.changed("contacts")
    return get_contact(contact_id)


def delete(actor: Actor, contact_id: str) -> None:
    """Forget a contact; their next message makes them wait for approval again."""
    actor.require(permissions.CONFIG_WRITE)
    row = _get_row(contact_id)
    with events.unit_of_work():
        Contact.delete().where(Contact.id == contact_id).execute()
        audit.record(actor, "contact_deleted", _who(row))
        events.changed("contacts")


@writes
def mark_notified(contact_id: str, kind: str, when: datetime | None = None) -> None:
    """Remember that a notice of `kind` ("spam", "access", "hint") went out, across restarts."""
    row = Contact.get_or_none(Contact.id == contact_id)
    if row is None:
        return  # deleted meanwhile: nothing to remember it on
    meta = _meta(row)
    notified = dict(meta.get("notified") or {}) if isinstance(meta.get("notified"), dict) else {}
    notified[kind] = format_ts(when or utc_now())
    meta["notified"] = notified
    _write_meta(row, meta)
    events.changed("contacts")


def notified_at(contact_id: str, kind: str) -> datetime | None:
    """When a notice of `kind` last went to this contact; None when never (or no contact)."""
    row = Contact.get_or_none(Contact.id == contact_id)
    notified = _meta(row).get("notified") if row else None
    return parse_ts(notified.get(kind)) if isinstance(notified, dict) else None


def muted_until(contact_id: str) -> datetime | None:
    """The stored end of the contact's spam mute (it may lie in the past)."""
    row = Contact.get_or_none(Contact.id == contact_id)
    return parse_ts(_meta(row).get("muted_until")) if row else None


@writes
def set_muted(contact_id: str, until: datetime | None) -> None:
    """Store the end of a spam mute (None lifts it)."""
    row = Contact.get_or_none(Contact.id == contact_id)
    if row is None:
        return
    meta = _meta(row)
    if until is None:
        meta.pop("muted_until", None)
    else:
        meta["muted_until"] = format_ts(until)
    _write_meta(row, meta)
    events.changed("contacts")
