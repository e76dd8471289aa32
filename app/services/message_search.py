"""The Messages tab's search over the message log: newest first, a page at a time, each page
read through an index so that the first rows show quickly at a million rows.

Every filter is checked on every row it lists, exactly as `_plan` writes it. What makes a
page fast is the one index it walks, newest first, stopping at the page's end:

- words: the full-text table of migrations 11 and 15 (`fts_query` says how typed text becomes
  a query, `index_query` how it is asked of the index);
- a contact or number: the sender and recipient indexes, one walk per id of the matching
  contacts and chats (at most MAX_PARTY_IDS of them; more is a broad filter, read in order);
- a status: the status index (and, for "received" and "spam", the old system's rows);
- a time range: the span of rowids logged in its hours (message_hours), which bounds whatever
  else is walked.

Words with a contact or a status: when the contact's (or status's) rows are few (at most
SCRATCH_ROWS), their texts are indexed alone in a full-text table of the connection's own
(temp) and the words are searched there; else the words' rows are read, and only those among
the contact's rowids, gathered first, are looked up in the log.

Every search goes through the full-text index, a single letter or digit too (migration 15
keeps the first one and two letters of every word). A text with no letter or digit, only
punctuation, is not a search the index can answer, as the index keeps words only: nothing is
listed for it, and `searchable` tells the tab to say why. No filter reads the log row by row.

The first page of words or of a contact finds the rows of the capped count in the same pass;
`count` then answers from it while nothing was written since.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.core.timefmt import format_ts, parse_ts
from app.db.models import database_proxy
from app.services import contacts

COUNT_CAP = 1000  # the tab shows "1,000+ messages" beyond this, and counts all on demand
MAX_PARTY_IDS = 100  # more matching ids than this: the rows are many, read them in order
WALK_SET_ROWS = 50_000  # a contact's or status's rows read into a set beside the words'
SCRATCH_ROWS = 2_000  # at most this many: their texts indexed alone, the words searched there
# The connection's own full-text table of a few rows' texts, tokenized as messages_fts is
# (migrations 11 and 15); contentless: only the rowids are read back.
_SCRATCH = "message_search_rows"
_SCRATCH_SQL = (f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_SCRATCH} USING fts5(content, "
                "content='', columnsize=0, tokenize='unicode61 remove_diacritics 2')")
# The words of the full-text index, read by the connection (see `index_query`).
_TERMS = "message_search_terms"
_TERMS_SQL = (f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_TERMS} "
              "USING fts5vocab(main, messages_fts, row)")
LONGER_WORDS = 20  # at most this many longer words than the last one typed: spelled out


@dataclass(frozen=True)
class MessageFilter:
    direction: str | None = None  # "incoming" or "outgoing"
    status: str | None = None  # as listed: old incoming rows read "received" or "spam"
    party: str | None = None  # sender, recipient or contact name contains
    text: str | None = None  # the words of the text (see fts_query)
    since: datetime | None = None
    until: datetime | None = None
    channel: str | None = None  # "whatsapp" or "simulator"; None: both


# A letter or digit: what the full-text index keeps of a text (its tokenizer, unicode61, splits
# at everything else).
_WORD = re.compile(r"[^\W_]+")


def fts_query(text: str | None) -> str | None:
    """The full-text query for what a person typed, or None when the index cannot answer it:
    nothing but punctuation and spaces (the index keeps only words).

    The whole text becomes one phrase in double quotes, its own double quotes doubled, so that
    quotes, *, NEAR, AND, OR, NOT, -, ^, : and parentheses are words or separators, never query
    syntax. The words must follow one another; case and accents do not matter. The last word
    also finds longer words ("boil" finds "boiler", "message 12" finds "message 120", "b" every
    word starting with b) unless the text ends in punctuation: "50%" finds the number 50, not
    500.
    """
    stripped = (text or "").strip()
    if not _WORD.search(stripped):
        return None
    phrase = '"' + stripped.replace('"', '""') + '"'
    return phrase + "*" if _WORD.fullmatch(stripped[-1]) else phrase


_ASCII_END = re.compile(r"[A-Za-z0-9]{3,}$")


def index_query(text: str | None) -> str | None:
    """`fts_query(text)` as it is asked of the index: a last word of three or more plain
    letters and digits is spelled out with the longer words the index holds that it starts
    ("boil" as "boil" OR "boiler" OR "boilers"), when they are LONGER_WORDS or fewer. FTS5
    answers a prefix by reading every row of every such word before the newest one, which at
    a million rows of a common word takes tens of milliseconds; whole words are read newest
    first and only as far as the page. One- and two-letter prefixes have their own indexes
    (migration 15); other letters fold their case only in the index, so are left to it."""
    query = fts_query(text)
    stripped = (text or "").strip()
    last = _ASCII_END.search(stripped)
    if (query is None or not query.endswith("*") or last is None
            or (last.start() and _WORD.match(stripped[last.start() - 1]))):
        return query
    word = last.group().lower()
    database_proxy.execute_sql(_TERMS_SQL)
    longer = [row[0] for row in database_proxy.execute_sql(
        f"SELECT term FROM temp.{_TERMS} WHERE term > ? AND term <= ? LIMIT ?",
        (word + "\x00", word + "\U0010ffff", LONGER_WORDS + 1))]
    if len(longer) > LONGER_WORDS:
        return query
    head = stripped[:last.start()]
    return " OR ".join('"' + (head + term).replace('"', '""') + '"'
                       for term in [word, *longer])


def searchable(flt: MessageFilter) -> bool:
    """False when the filter has a text with no letter or digit in it: nothing is listed for
    it, and the tab says that a search needs a letter or a digit."""
    return not flt.text or fts_query(flt.text) is not None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _meta_sql(path: str) -> str:
    # json_extract fails on text that is not JSON, which old rows may hold; CASE guards it.
    return f"(CASE WHEN json_valid(m.metadata) THEN json_extract(m.metadata, '{path}') END)"


# The old system logged only incoming messages, with WhatsApp's own types and status "sent":
# such a row was received, and spam when the old detector said so.
_OLD_ROW = "m.type NOT IN ('incoming', 'outgoing')"  # as written in idx_messages_old_rows
STATUS_SQL = (
    f"(CASE WHEN {_OLD_ROW} AND m.status = 'sent' THEN "
    f"(CASE WHEN {_meta_sql('$.spam')} IN (1, 'true') THEN 'spam' ELSE 'received' END) "
    "ELSE COALESCE(m.status, '') END)"
)
COLUMNS = (f"m.rowid, m.id, m.type, m.content, m.sender, m.recipient, {STATUS_SQL}, "
           "m.status, m.processed_at, m.metadata, m.created_at")


def _sender_ids(contact_id: str, phone: str | None, lid: Any, jid: Any) -> list[str]:
    """The ids `contacts.ids_matching` gives for a contact row: its own id, its LID and phone
    JID, and both JIDs of the number it stores (a test holds the two equal)."""
    ids = [contact_id] + [v for v in (lid, jid) if isinstance(v, str) and v]
    if phone:
        digits = phone.lstrip("+")
        ids += [f"{digits}@s.whatsapp.net", f"{digits}@c.us"]
    return ids


def _contact_ids(party: str) -> list[str]:
    """`contacts.ids_matching(party)` read by SQLite instead of parsing every contact's
    metadata in Python, when the text is plain ASCII (names and numbers as people type them;
    other letters fold their case only in Python)."""
    needle = party.strip()
    if not needle.isascii() or '"' in needle or "\\" in needle:
        return contacts.ids_matching(party)
    digits = re.sub(r"\D", "", party)
    meta = "CASE WHEN json_valid(metadata) THEN json_extract(metadata, '{}') END"
    # The raw metadata holds an ASCII name as it is: LIKE on it first spares json_extract.
    rows = database_proxy.execute_sql(
        f"SELECT id, phone, {meta.format('$.lid')}, {meta.format('$.jid')}, "
        f"{meta.format('$.email')} FROM contacts "
        "WHERE (?1 <> '' AND (name LIKE ?2 ESCAPE '\\' OR (metadata LIKE ?2 ESCAPE '\\' "
        f"AND ({meta.format('$.push_name')} LIKE ?2 ESCAPE '\\' "
        f"OR {meta.format('$.verifiedName')} LIKE ?2 ESCAPE '\\')))) "
        "OR (?3 <> '' AND phone LIKE ?4 ESCAPE '\\')",
        (needle, _like(needle.lower()), digits, _like(digits)))
    ids: list[str] = []
    for contact_id, phone, lid, jid, email in rows:
        ids += _sender_ids(contact_id, phone, lid, jid)
        if isinstance(email, str) and email:
            ids.append(email)  # the alarm e-mails sent to them
    return list(dict.fromkeys(ids))


def party_ids(party: str) -> list[str]:
    """Every WhatsApp id a contact-or-number filter stands for: the ids of the contacts whose
    name or number contains it, and every chat the log names whose id contains its digits."""
    number = re.sub(r"[\s\-()+]", "", party) or party
    ids = _contact_ids(party)
    ids += [row[0] for row in database_proxy.execute_sql(
        "SELECT jid FROM message_parties WHERE jid LIKE ? ESCAPE '\\'", (_like(number),))]
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class _Plan:
    where: str  # every condition of the filter, on the row `m`
    params: list[Any]
    party: list[str] | None  # the ids a party filter stands for (None: no party filter)
    fts: str | None  # the full-text query of the text filter
    bounds: tuple[int, int] | None  # the rowids a time range spans
    empty: bool  # nothing can match: no id, or no row in the time range


def _time_bounds(since: datetime | None, until: datetime | None) -> tuple[int, int] | None:
    """The lowest and highest rowid logged in the hours of the time range (message_hours);
    None when no row is. The rows themselves are then compared exactly, with julianday()."""
    low = since.astimezone(UTC).strftime("%Y-%m-%d %H") if since else ""
    high = until.astimezone(UTC).strftime("%Y-%m-%d %H") if until else "\uffff"
    row = database_proxy.execute_sql(
        "SELECT min(first_rowid), max(last_rowid) FROM message_hours "
        "WHERE hour >= ? AND hour <= ?", (low, high)).fetchone()
    return None if row is None or row[0] is None else (row[0], row[1])


def _plan(flt: MessageFilter) -> _Plan:
    clauses: list[str] = []
    params: list[Any] = []
    empty = False
    if flt.direction == "outgoing":
        clauses.append("m.type = 'outgoing'")
    elif flt.direction == "incoming":
        clauses.append("m.type <> 'outgoing'")
    if flt.status:
        clauses.append(f"{STATUS_SQL} = ?")
        params.append(flt.status)
    ids: list[str] | None = None
    if flt.party:
        # Ids are stored as JIDs without "+" ("628…@s.whatsapp.net"); names live in the small
        # contacts table, so no JSON of a million message rows is read to find a name.
        ids = party_ids(flt.party)
        marks = ", ".join("?" for _ in ids)
        clauses.append(f"(m.sender IN ({marks}) OR m.recipient IN ({marks}))")
        params += [*ids, *ids]
        empty = not ids
    fts = index_query(flt.text) if flt.text else None
    empty = empty or not searchable(flt)
    if flt.channel == "simulator":
        clauses.append(f"{_meta_sql('$.channel')} = 'simulator'")
    elif flt.channel:
        clauses.append(f"coalesce({_meta_sql('$.channel')}, 'whatsapp') <> 'simulator'")
    # julianday() reads both the SQLite and the ISO-with-Z forms, so old and new rows compare.
    bounds = None
    if flt.since:
        clauses.append("julianday(m.created_at) >= julianday(?)")
        params.append(format_ts(flt.since))
    if flt.until:
        clauses.append("julianday(m.created_at) < julianday(?)")
        params.append(format_ts(flt.until))
    if flt.since or flt.until:
        bounds = _time_bounds(flt.since, flt.until)
        empty = empty or bounds is None
    return _Plan(" AND ".join(clauses) or "1", params, ids, fts, bounds, empty)


def _keys(plan: _Plan, column: str, before: int | None) -> tuple[str, list[Any]]:
    """Conditions on the rowid `column`: older than `before`, inside the time range."""
    sql, params = "", []
    if before is not None:
        sql += f" AND {column} < ?"
        params.append(before)
    if plan.bounds is not None:
        sql += f" AND {column} BETWEEN ? AND ?"
        params += list(plan.bounds)
    return sql, params


def _walks(plan: _Plan, status: str | None) -> list[tuple[str, str, list[Any]]]:
    """(index, condition, params) of each index walk that together find every row of the
    party filter, or else of the status filter; [] when neither is indexed."""
    if plan.party is not None and len(plan.party) <= MAX_PARTY_IDS:
        return [(f"idx_messages_{column}", f"m.{column} = ?", [jid])
                for jid in plan.party for column in ("sender", "recipient")]
    if status:
        walks = [("idx_messages_status", "m.status = ?", [status])]
        if status in ("received", "spam"):
            walks.append(("idx_messages_old_rows", f"{_OLD_ROW} AND m.status = 'sent'", []))
        return walks
    return []


def _walked(plan: _Plan, walks, before: int | None, limit: int | None,
            where: str | None = None, params: list[Any] | None = None) -> tuple[str, list]:
    """A subquery of the rowids the walks find, at most `limit` from each, newest first."""
    where = plan.where if where is None else where
    params = plan.params if params is None else params
    parts, values = [], []
    for index, condition, walk_params in walks:
        keys, key_params = _keys(plan, "m.rowid", before)
        cap = " LIMIT ?" if limit is not None else ""
        parts.append(f"SELECT rowid FROM (SELECT m.rowid FROM messages m INDEXED BY {index} "
                     f"WHERE {condition} AND {where}{keys} ORDER BY m.rowid DESC{cap})")
        values += [*walk_params, *params, *key_params] + ([limit] if limit is not None else [])
    return " UNION ALL ".join(parts), values


def _walk_rows(plan: _Plan, walks, limit: int) -> int:
    sub, params = _walked(plan, walks, None, limit, where="1", params=[])
    return database_proxy.execute_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM ({sub}) LIMIT ?)", [*params, limit]).fetchone()[0]


def _select(flt: MessageFilter, columns: str, before: int | None,
            limit: int | None) -> tuple[str, list[Any]] | None:
    """The query of the filter's rows, newest first; None when nothing can match."""
    plan = _plan(flt)
    if plan.empty:
        return None
    walks = _walks(plan, flt.status)
    walk_rows = _walk_rows(plan, walks, WALK_SET_ROWS) if plan.fts and walks else None
    if walk_rows is not None and walk_rows <= SCRATCH_ROWS:
        # The contact's (or status's) few rows, older than `before`: their texts indexed
        # alone, so the words are not merged over the whole log first.
        sub, sub_params = _walked(plan, walks, before, None, where="1", params=[])
        _fill_scratch(sub, sub_params)
        sql = (f"SELECT {columns} FROM temp.{_SCRATCH} f CROSS JOIN messages m "
               f"ON m.rowid = f.rowid WHERE f.{_SCRATCH} MATCH ? AND {plan.where} "
               "ORDER BY f.rowid DESC")
        params = [plan.fts, *plan.params]
    elif plan.fts:
        keys, params = _keys(plan, "f.rowid", before)
        within = ""
        if walk_rows is not None and walk_rows < WALK_SET_ROWS:
            # The contact's (or status's) rows, a set of rowids at most WALK_SET_ROWS long: the
            # words' rows are read without looking each up in the log unless it is one of
            # those. (The "+" keeps SQLite from asking the full-text index once per rowid.)
            sub, sub_params = _walked(plan, walks, None, None, where="1", params=[])
            within = f" AND +f.rowid IN ({sub})"
            params = [*params, *sub_params]
        sql = (f"SELECT {columns} FROM messages_fts f CROSS JOIN messages m "
               f"ON m.rowid = f.rowid WHERE f.messages_fts MATCH ?{keys}{within} "
               f"AND {plan.where} ORDER BY f.rowid DESC")
        params = [plan.fts, *params, *plan.params]
    elif walks:
        sub, params = _walked(plan, walks, before, limit)
        sql = f"SELECT {columns} FROM messages m WHERE m.rowid IN ({sub}) ORDER BY m.rowid DESC"
    else:
        # Read in order, newest first: the filter keeps many rows (a direction, a channel, a
        # broad contact), so a page is found soon.
        keys, key_params = _keys(plan, "m.rowid", before)
        sql = (f"SELECT {columns} FROM messages m NOT INDEXED WHERE {plan.where}{keys} "
               "ORDER BY m.rowid DESC")
        params = [*plan.params, *key_params]
    if limit is not None:
        sql += " LIMIT ?"
        params = [*params, limit]
    return sql, params


def _fill_scratch(sub: str, params: list[Any]) -> None:
    """The connection's scratch full-text table holds the texts of the rows `sub` selects."""
    database_proxy.execute_sql(_SCRATCH_SQL)
    database_proxy.execute_sql(f"INSERT INTO temp.{_SCRATCH}({_SCRATCH}) VALUES ('delete-all')")
    database_proxy.execute_sql(
        f"INSERT INTO temp.{_SCRATCH}(rowid, content) SELECT m.rowid, m.content "
        f"FROM messages m WHERE m.rowid IN ({sub})", params)


def load_metadata(text: Any) -> dict[str, Any]:
    """A row's metadata column as a dict, whatever an old row holds there."""
    if isinstance(text, dict):
        return dict(text)
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return {"text": str(text)}  # an old row with plain text: keep it visible
    return value if isinstance(value, dict) else {"value": value}


def _message_plain(record: tuple) -> dict[str, Any]:
    (rowid, id_, kind, content, sender, recipient, status, stored_status, processed, metadata,
     created) = record
    meta = load_metadata(metadata)
    outgoing = kind == "outgoing"
    legacy = kind not in ("incoming", "outgoing")
    contact = meta.get("contact") if isinstance(meta.get("contact"), dict) else {}
    return {
        "rowid": rowid, "id": id_, "direction": "outgoing" if outgoing else "incoming",
        "type": kind if legacy else (meta.get("message_type") or kind),
        "sender": sender or "", "recipient": recipient or "",
        "party": (recipient if outgoing else sender) or "",
        "content": content or "", "status": status, "stored_status": stored_status or "",
        "reason": meta.get("reason") or meta.get("spamReason") or "",
        "route": meta.get("route") or "", "trigger": meta.get("trigger") or "",
        "latency_ms": meta.get("latency_ms"),
        "chat": meta.get("chat") or (sender if meta.get("isGroup") else "") or "",
        "is_group": bool(meta.get("is_group", meta.get("isGroup", False))),
        "push_name": meta.get("push_name") or contact.get("name") or "",
        "from_me": bool(meta.get("from_me")),
        "legacy": legacy, "metadata": meta,
        "processed_at": parse_ts(processed), "created_at": parse_ts(created),
    }


# How many rows (up to COUNT_CAP + 1) the first page of the last words or contact looked for
# on this thread's connection found: the capped count the tab asks for next is not looked for
# a second time.
_last_words = threading.local()


def _changes() -> tuple[int, int]:
    """Changes since: this connection's own writes, and other connections' commits."""
    return tuple(database_proxy.execute_sql(
        "SELECT total_changes(), data_version FROM pragma_data_version").fetchone())


def page(flt: MessageFilter, before_rowid: int | None, limit: int) -> list[dict[str, Any]]:
    """Newest first, `limit` messages older than `before_rowid` (keyset paging)."""
    if before_rowid is None and (flt.text or flt.party) and limit <= COUNT_CAP \
            and searchable(flt):
        # Words or a contact: the rowids up to the count's cap in the one search (its ids, the
        # words' prefixes, the scratch table found once), the page's rows of them.
        query = _select(flt, "m.rowid", None, COUNT_CAP + 1)
        ids = [] if query is None else [r[0] for r in database_proxy.execute_sql(*query)]
        _last_words.found = (flt, len(ids), _changes())
        if not ids[:limit]:
            return []
        marks = ", ".join("?" for _ in ids[:limit])
        query = (f"SELECT {COLUMNS} FROM messages m WHERE m.rowid IN ({marks}) "
                 "ORDER BY m.rowid DESC", ids[:limit])
    else:
        query = _select(flt, COLUMNS, before_rowid, limit)
    if query is None:
        return []
    return _with_receipts([_message_plain(r) for r in database_proxy.execute_sql(*query)])


def _with_receipts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the recipient's phone reported of each sent message of a page (delivered_at,
    read_at; None when not reported or not sent by the outbox): one lookup for the page's
    queue rows, after the page is read, so no filter's plan changes."""
    ids = {}
    for row in rows:
        row["delivered_at"] = row["read_at"] = None
        outbox_id = row["metadata"].get("outbox_id") if row["direction"] == "outgoing" else None
        if isinstance(outbox_id, int):
            ids.setdefault(outbox_id, []).append(row)
    if ids:
        marks = ", ".join("?" for _ in ids)
        for outbox_id, delivered, read in database_proxy.execute_sql(
                f"SELECT id, delivered_at, read_at FROM outgoing_messages WHERE id IN ({marks})",
                list(ids)):
            for row in ids[outbox_id]:
                row["delivered_at"], row["read_at"] = parse_ts(delivered), parse_ts(read)
    return rows


def count(flt: MessageFilter, cap: int | None = None) -> int:
    """How many messages the filter keeps; with `cap`, at most cap + 1 (more than `cap`)."""
    found = getattr(_last_words, "found", None)
    if cap is not None and found is not None and found[0] == flt and found[2] == _changes():
        if found[1] <= COUNT_CAP:  # every row of the words was found
            return min(found[1], cap + 1)
        if cap < found[1]:
            return cap + 1
    query = _select(flt, "1", None, None if cap is None else cap + 1)
    if query is None:
        return 0
    sql, params = query
    return database_proxy.execute_sql(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def statuses() -> list[str]:
    """Every status a message shows (reads every row: the tab lists a fixed set instead)."""
    return [r[0] for r in database_proxy.execute_sql(
        f"SELECT DISTINCT {STATUS_SQL} AS s FROM messages m ORDER BY s") if r[0]]
