"""Integer migration ladder over PRAGMA user_version; version 0 is the old system's database.

Longer than 500 lines on purpose: the ladder is one ordered list of steps, each frozen once
released, and reads best in one file from the oldest step to the newest.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable

from peewee import SqliteDatabase

from app.core import legacy_sources, legacy_triggers
from app.core.ids import new_uuid
from app.core.timefmt import format_ts
from app.db.migrations_version import LATEST
from app.db.schema import base_statements

log = logging.getLogger(__name__)


def _v1_adopt_old_schema(db: SqliteDatabase, legacy: bool) -> None:
    """Create what is missing of the old schema; an old database keeps every table and row."""
    for statement in base_statements():
        db.execute_sql(statement)
    now = format_ts()
    db.execute_sql(
        "INSERT OR IGNORE INTO whatsapp_status (id, is_ready, is_initializing, last_update) "
        "VALUES (1, 0, 0, ?)",
        (now,),
    )
    # The old bot spoke Bahasa Indonesia; a plant moving over keeps hearing it.
    db.execute_sql(
        "INSERT OR IGNORE INTO system_settings (id, category, key, value, created_at, updated_at)"
        " VALUES ('general_language', 'general', 'language', ?, ?, ?)",
        ("id" if legacy else "en", now, now),
    )
    if not legacy:
        _seed_demo(db, now)


DEMO_TAGS = ["DEMO.BOILER.TEMP", "DEMO.DRUM.PRESS", "DEMO.TANK.LEVEL", "DEMO.PUMP.STATE",
             "DEMO.FLOW.FAULT"]
DEMO_LABELS = {"DEMO.BOILER.TEMP": "Boiler temperature", "DEMO.DRUM.PRESS": "Drum pressure",
               "DEMO.TANK.LEVEL": "Feed tank level", "DEMO.PUMP.STATE": "Feed pump",
               "DEMO.FLOW.FAULT": "Steam flow"}


def _seed_demo(db: SqliteDatabase, now: str) -> None:
    """A new installation answers with data before anything is set up."""
    source_id = new_uuid()
    db.execute_sql(
        "INSERT INTO data_sources (id, name, plugin, config, connection_status, active, "
        "created_at, updated_at) VALUES (?, 'demo', 'demo', '{}', 'unknown', 1, ?, ?)",
        (source_id, now, now),
    )
    triggers = [
        ("demo", {"description": "Demo plant: current values", "title": "Demo plant",
                  "tags": DEMO_TAGS, "labels": DEMO_LABELS, "mode": "current",
                  "decimals": 1}),
        ("demotrend", {"description": "Demo plant: 8-hour trend chart",
                       "title": "Demo plant — last 8 hours",
                       "tags": ["DEMO.BOILER.TEMP", "DEMO.DRUM.PRESS"], "labels": DEMO_LABELS,
                       "mode": "chart", "start": "*-8h", "end": "*", "decimals": 1}),
    ]
    for name, config in triggers:
        db.execute_sql(
            "INSERT INTO triggers (id, name, type, config, active, data_source_id, created_at, "
            "updated_at) VALUES (?, ?, 'pi', ?, 1, ?, ?, ?)",
            (new_uuid(), name, json.dumps(config, ensure_ascii=False), source_id, now, now),
        )


def _v2_convert_old_sources(db: SqliteDatabase, legacy: bool) -> None:
    """Old plugin names and keys become this app's (docs/old-system.md §12); the old keys stay
    for reference.

    Plain-text passwords stay under their key for one moment: opening the database moves every
    secret into the secret store right after the migrations (app.services.source_secrets).
    """
    rows = db.execute_sql(
        "SELECT id, plugin, database_type, config, active FROM data_sources").fetchall()
    now = format_ts()
    for source_id, plugin, database_type, config_text, _active in rows:
        try:
            config = json.loads(config_text) if config_text else {}
        except ValueError:
            config = {}
        converted = legacy_sources.convert(plugin, database_type, config)
        if converted is None:
            continue
        new_config = dict(converted.config)
        if converted.missing:
            new_config[legacy_sources.SETUP_KEY] = converted.missing
        params: list = [converted.plugin,
                        converted.plugin if converted.plugin in ("mysql", "oracle") else None,
                        json.dumps(new_config, ensure_ascii=False), now]
        sql = "UPDATE data_sources SET plugin = ?, database_type = ?, config = ?, updated_at = ?"
        if converted.active is not None:
            sql += ", active = ?"
            params.append(1 if converted.active else 0)
        db.execute_sql(sql + " WHERE id = ?", (*params, source_id))
        log.info("Converted data source %s from %s to %s", source_id, plugin, converted.plugin)


def _v3_convert_old_triggers(db: SqliteDatabase, legacy: bool) -> None:
    """Old trigger types become pi / sql / text; COMPOSITE becomes a group (docs/old-system.md
    §12)."""
    sources = {}
    for source_id, plugin, config_text in db.execute_sql(
            "SELECT id, plugin, config FROM data_sources").fetchall():
        sources[source_id] = (plugin, _json(config_text))
    rows = db.execute_sql(
        "SELECT id, name, type, config, active, data_source_id FROM triggers").fetchall()
    names = [r[1] for r in rows]
    by_name = {r[1]: r[0] for r in rows}
    now = format_ts()
    for trigger_id, name, kind, config_text, active, source_id in rows:
        row = {"id": trigger_id, "name": name, "type": kind, "config": config_text,
               "active": active, "data_source_id": source_id}
        converted = legacy_triggers.convert(row, sources, names)
        if converted is None:
            continue
        config = dict(converted.config)
        if converted.missing:
            config[legacy_triggers.SETUP_KEY] = converted.missing
        if converted.notes:
            config[legacy_triggers.REVIEW_KEY] = converted.notes
        params: list = [converted.type, json.dumps(config, ensure_ascii=False), now]
        sql = "UPDATE triggers SET type = ?, config = ?, updated_at = ?"
        if converted.active is not None:
            sql += ", active = ?"
            params.append(1 if converted.active else 0)
        db.execute_sql(sql + " WHERE id = ?", (*params, trigger_id))
        if converted.group is not None:
            _create_composite_group(db, converted.group, by_name, now)
    for preset_id, template, variables in db.execute_sql(
            "SELECT id, query_template, variables FROM query_presets").fetchall():
        specs, _missing = legacy_triggers.convert_preset(
            {"query_template": template, "variables": _json(variables, [])})
        db.execute_sql("UPDATE query_presets SET variables = ? WHERE id = ?",
                       (json.dumps(specs, ensure_ascii=False), preset_id))


def _create_composite_group(db: SqliteDatabase, group, by_name: dict[str, str],
                            now: str) -> None:
    taken = {r[0].lower() for r in db.execute_sql("SELECT name FROM trigger_groups")}
    name = group.name
    if name.lower() in taken:
        name = f"{group.name} (old composite)"
    group_id = new_uuid()
    db.execute_sql(
        "INSERT INTO trigger_groups (id, name, description, execution_mode, created_at, "
        "updated_at) VALUES (?, ?, ?, 'sequential', ?, ?)",
        (group_id, name, group.description, now, now))
    for member in group.members:
        if member in by_name:
            db.execute_sql("INSERT OR IGNORE INTO trigger_group_members (group_id, trigger_id, "
                           "created_at) VALUES (?, ?, ?)", (group_id, by_name[member], now))


def _json(text, default=None):
    try:
        value = json.loads(text) if text else default
    except (TypeError, ValueError):
        return default if default is not None else {}
    return value if value is not None else ({} if default is None else default)


def _v4_runtime_columns(db: SqliteDatabase, legacy: bool) -> None:
    """Outbox bookkeeping beside the old status CHECK; old contacts keep using the bot.

    `outgoing_messages.status` may only be pending, sent or failed, so attempts, the in-flight
    marker, an attached image and WhatsApp's id live in new nullable columns.
    """
    for column in ("media_path TEXT", "next_attempt_at DATETIME", "last_attempt_at DATETIME",
                   "in_flight_since DATETIME", "whatsapp_id TEXT", "reply_to TEXT"):
        db.execute_sql(f"ALTER TABLE outgoing_messages ADD COLUMN {column}")
    # The bridge's state in words for the Dashboard (logged out, banned until …, outdated).
    for column in ("state TEXT", "state_detail TEXT", "banned_until DATETIME"):
        db.execute_sql(f"ALTER TABLE whatsapp_status ADD COLUMN {column}")
    if legacy:
        # The old warning becomes the mute notice; its far stricter limits are only shown in
        # Settings, not applied.
        row = db.execute_sql("SELECT value FROM system_settings WHERE category = "
                             "'spam_detection' AND key = 'warningMessage'").fetchone()
        if row and row[0] and str(row[0]).strip():
            stamp = format_ts()
            db.execute_sql(
                "INSERT OR IGNORE INTO system_settings (id, category, key, value, created_at, "
                "updated_at) VALUES ('spam_notice_text', 'spam', 'notice_text', ?, ?, ?)",
                (str(row[0]).strip(), stamp, stamp))
        # People who wrote to the old bot were answered; the plant must not go silent.
        now = format_ts()
        for contact_id, metadata in db.execute_sql(
                "SELECT id, metadata FROM contacts").fetchall():
            if not (contact_id.endswith("@c.us") or contact_id.endswith("@lid")
                    or contact_id.endswith("@s.whatsapp.net")):
                continue
            meta = _json(metadata)
            if not isinstance(meta, dict):
                meta = {}
            meta.setdefault("allowed", not meta.get("isBlocked", False))
            meta.setdefault("tags", [])
            db.execute_sql("UPDATE contacts SET metadata = ?, updated_at = ? WHERE id = ?",
                           (json.dumps(meta, ensure_ascii=False), now, contact_id))


def _v5_message_indexes(db: SqliteDatabase, legacy: bool) -> None:
    """The spam check reads a sender's recent messages on every message, and the Dashboard
    counts today's: both must stay fast at a million rows."""
    db.execute_sql("CREATE INDEX IF NOT EXISTS idx_messages_sender ON messages(sender)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS idx_messages_created_at ON messages(created_at)")


def _v6_ai_prefix_columns(db: SqliteDatabase, legacy: bool) -> None:
    """Each AI prefix names its AI service, may carry its own system prompt and audience."""
    # No REFERENCES: the old foreign-key list stays as it was; deleting a source clears these
    # links in app.services.sources instead.
    for column in ("data_source_id TEXT", "system_prompt TEXT", "audience TEXT"):
        db.execute_sql(f"ALTER TABLE ai_triggers ADD COLUMN {column}")
    # Every old prefix used the one old AI connection (docs/old-system.md §10).
    if legacy:
        db.execute_sql("UPDATE ai_triggers SET data_source_id = 'ai-connection' WHERE "
                       "data_source_id IS NULL AND EXISTS (SELECT 1 FROM data_sources "
                       "WHERE id = 'ai-connection')")


_V7_TABLES = (
    # `number` is not a column: an alarm event's id is the number people reply with ("ack 12").
    """CREATE TABLE IF NOT EXISTS alarms (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        active INTEGER NOT NULL DEFAULT 1,
        kind TEXT NOT NULL DEFAULT 'pi' CHECK (kind IN ('pi', 'sql')),
        data_source_id TEXT,
        tag TEXT,
        trigger_id TEXT,
        config TEXT,
        state TEXT,
        last_value TEXT,
        last_error TEXT,
        last_evaluated_at DATETIME,
        created_at DATETIME,
        updated_at DATETIME
    )""",
    """CREATE TABLE IF NOT EXISTS alarm_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        alarm_id TEXT NOT NULL REFERENCES alarms(id) ON DELETE CASCADE,
        state TEXT NOT NULL DEFAULT 'active'
            CHECK (state IN ('active', 'acknowledged', 'shelved', 'cleared')),
        severity TEXT,
        value TEXT,
        why TEXT,
        raised_at DATETIME NOT NULL,
        cleared_at DATETIME,
        acknowledged_by TEXT,
        acknowledged_at DATETIME,
        shelved_until DATETIME,
        escalation_level INTEGER NOT NULL DEFAULT 0,
        notified_at DATETIME,
        late INTEGER NOT NULL DEFAULT 0,
        history TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS idx_alarm_events_alarm ON alarm_events(alarm_id)",
    "CREATE INDEX IF NOT EXISTS idx_alarm_events_state ON alarm_events(state)",
    """CREATE TABLE IF NOT EXISTS alarm_acks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id INTEGER NOT NULL REFERENCES alarm_events(id) ON DELETE CASCADE,
        action TEXT NOT NULL CHECK (action IN ('ack', 'shelve', 'unshelve')),
        by_id TEXT,
        by_name TEXT,
        via TEXT,
        reason TEXT,
        until DATETIME,
        created_at DATETIME NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS idx_alarm_acks_event ON alarm_acks(event_id)",
    # "ack" in reply to an alarm message finds that message by WhatsApp's id.
    "CREATE INDEX IF NOT EXISTS idx_outgoing_messages_whatsapp_id "
    "ON outgoing_messages(whatsapp_id)",
    """CREATE TABLE IF NOT EXISTS schedules (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        active INTEGER NOT NULL DEFAULT 1,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('trigger', 'group')),
        target_name TEXT NOT NULL,
        expression TEXT NOT NULL,
        config TEXT,
        next_run_at DATETIME,
        last_run_at DATETIME,
        last_status TEXT,
        created_at DATETIME,
        updated_at DATETIME
    )""",
    """CREATE TABLE IF NOT EXISTS schedule_runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
        due_at DATETIME NOT NULL,
        ran_at DATETIME NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sent', 'skipped', 'missed', 'failed')),
        detail TEXT,
        UNIQUE (schedule_id, due_at)
    )""",
)


def _v7_alarms_and_schedules(db: SqliteDatabase, legacy: bool) -> None:
    """Alarm definitions, their events with state history, acknowledgements and shelving;
    schedules and each run of them. New tables only: the old ones stay as they are."""
    for statement in _V7_TABLES:
        db.execute_sql(statement)


# -- migration 8: the state of a queued message in columns of its own -------------------------
# Until version 7 that state lived in text: the channel as a prefix of `type`
# ("simulator:reply"), merged / sent again / cancelled as sentences in `error_message`, the
# alarms a message names as "#12" in its text, "late" as the translated words, "all cleared"
# as the ✅ of a cleared line. Migration 8 reads that text once, here; nothing reads it again.
# The words are frozen as version 7 wrote them: a later translation must not change what an
# old row is converted to. `type` and `error_message` keep being written for an old reader.

_V8_COLUMNS = (
    "channel TEXT NOT NULL DEFAULT 'whatsapp'",  # whatsapp, or simulator: never a real phone
    "kind TEXT NOT NULL DEFAULT 'manual'",  # reply, notice, alarm, schedule, manual, …
    "late INTEGER NOT NULL DEFAULT 0",  # tells of the time the bot was offline
    "merged_into_id INTEGER",  # the offline summary that carries it instead
    "resent INTEGER NOT NULL DEFAULT 0",  # failed, then sent again after a reconnect
    "resent_as_id INTEGER",  # the late copy or summary that sent it again (unknown: NULL)
    "not_resent INTEGER NOT NULL DEFAULT 0",  # failed; not sent again: its alarms cleared
    "cancelled_by TEXT",  # the user who took it out of the queue
)

_V8_TABLES = (
    # One row per alarm line of an outgoing message, in the order of the text. event_id has no
    # REFERENCES: a sent message keeps naming an alarm that was deleted since.
    """CREATE TABLE IF NOT EXISTS outgoing_message_alarm_events (
        outgoing_id INTEGER NOT NULL REFERENCES outgoing_messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        event_id INTEGER NOT NULL,
        what TEXT NOT NULL CHECK (what IN ('raised', 'escalated', 'cleared', 'now')),
        line TEXT NOT NULL,
        PRIMARY KEY (outgoing_id, position)
    )""",
    "CREATE INDEX IF NOT EXISTS idx_outgoing_alarm_events_event "
    "ON outgoing_message_alarm_events(event_id)",
    "CREATE INDEX IF NOT EXISTS idx_outgoing_messages_channel_kind "
    "ON outgoing_messages(channel, kind, status)",
)

_V7_CANCELLED = "cancelled by "
_V7_MERGED = "merged into the offline summary"
_V7_RESENT = " — sent again after reconnecting"
_V7_NOT_RESENT = " — not sent again: the alarm cleared meanwhile"
_V7_LATE = ("(sent late: the bot was offline)", "(terkirim terlambat: bot sedang offline)")
_V7_SUMMARY = ("*While the bot was offline* (", "*Selama bot offline* (")
_V7_NUMBER = re.compile(r"#(\d+)")
_V7_MERGED_INTO = re.compile(r"\(#(\d+)\)")
_V7_STAMP = re.compile(r"^\d\d:\d\d ")


def _v7_alarm_lines(text: str) -> list[tuple[int, str, str]]:
    """(event number, what, line) of each alarm line of a version-7 alarm message."""
    lines = text.split("\n")
    summary = bool(lines) and lines[0].startswith(_V7_SUMMARY)
    out = []
    for i, line in enumerate(lines):
        found = _V7_NUMBER.search(line)
        if found is None:
            continue  # a heading ("3 alarm messages") or the escalation note
        if "✅" in line:
            what = "cleared"
        elif summary and not _V7_STAMP.match(line):
            what = "now"
        elif i + 1 < len(lines) and lines[i + 1].startswith("⏫"):
            what = "escalated"
        else:
            what = "raised"
        out.append((int(found.group(1)), what, line.split(" — ")[0]))
    return out


def _v8_typed_outbox_state(db: SqliteDatabase, legacy: bool) -> None:
    """Channel, kind, late, merged, sent again, cancelled and the alarms named, as columns."""
    for column in _V8_COLUMNS:
        db.execute_sql(f"ALTER TABLE outgoing_messages ADD COLUMN {column}")
    for statement in _V8_TABLES:
        db.execute_sql(statement)
    rows = db.execute_sql("SELECT id, recipient, type, message, error_message "
                          "FROM outgoing_messages ORDER BY id").fetchall()
    resent_rows: list[tuple[int, str, str]] = []
    late_alarms: list[tuple[int, str, str]] = []  # (id, recipient, channel)
    for outgoing_id, recipient, kind_text, text, error in rows:
        kind_text = kind_text or "manual"
        channel, _, kind = kind_text.rpartition(":")
        channel = channel or "whatsapp"
        text, error = text or "", error or ""
        fields: dict[str, object] = {"channel": channel, "kind": kind}
        if error.startswith(_V7_CANCELLED):
            fields["cancelled_by"] = error[len(_V7_CANCELLED):].split(": ", 1)[0]
        if error.startswith(_V7_MERGED):
            found = _V7_MERGED_INTO.search(error)
            # The summary's id; were it not given, 0 still marks the row as merged.
            fields["merged_into_id"] = int(found.group(1)) if found else 0
        if _V7_RESENT in error:
            fields["resent"] = 1
            resent_rows.append((outgoing_id, recipient, channel))
        if _V7_NOT_RESENT in error:
            fields["not_resent"] = 1
        if kind == "alarm":
            if any(words in text for words in _V7_LATE + _V7_SUMMARY):
                fields["late"] = 1
                late_alarms.append((outgoing_id, recipient, channel))
            for position, (number, what, line) in enumerate(_v7_alarm_lines(text)):
                db.execute_sql(
                    "INSERT INTO outgoing_message_alarm_events (outgoing_id, position, "
                    "event_id, what, line) VALUES (?, ?, ?, ?, ?)",
                    (outgoing_id, position, number, what, line))
        sets = ", ".join(f"{name} = ?" for name in fields)
        db.execute_sql(f"UPDATE outgoing_messages SET {sets} WHERE id = ?",
                       (*fields.values(), outgoing_id))
    # A row sent again was followed, in the same pass, by its late copy or a summary to the
    # same chat: the first late alarm message after it. The old text did not say which.
    for outgoing_id, recipient, channel in resent_rows:
        copy = next((other for other, to, via in late_alarms
                     if other > outgoing_id and to == recipient and via == channel), None)
        if copy is not None:
            db.execute_sql("UPDATE outgoing_messages SET resent_as_id = ? WHERE id = ?",
                           (copy, outgoing_id))
    # The message log's copy of a sent row names its kind without the channel prefix too.
    kind = "json_extract(metadata, '$.kind')"
    db.execute_sql(
        f"UPDATE messages SET metadata = json_set(metadata, "
        f"'$.channel', coalesce(json_extract(metadata, '$.channel'), "
        f"substr({kind}, 1, instr({kind}, ':') - 1)), "
        f"'$.kind', substr({kind}, instr({kind}, ':') + 1)) "
        f"WHERE type = 'outgoing' AND json_valid(metadata) "
        f"AND instr(coalesce({kind}, ''), ':') > 0")


# -- migration 9: a send cut short ------------------------------------------------------------
# Version 8 marked a row caught mid-send by a crash as failed with this sentence (frozen here);
# from version 9 such a row is sent again at the next start and counts the interruption.
_V8_INTERRUPTED = "Interrupted while sending (the app stopped)."


def _v9_interrupted_sends(db: SqliteDatabase, legacy: bool) -> None:
    """How many times a row's send was cut short: above 0, WhatsApp may have it already, so the
    recipient may see it twice (WhatsApp's message id is chosen by the bridge, not by us)."""
    db.execute_sql("ALTER TABLE outgoing_messages ADD COLUMN "
                   "interrupted_sends INTEGER NOT NULL DEFAULT 0")
    db.execute_sql("UPDATE outgoing_messages SET interrupted_sends = 1 "
                   "WHERE status = 'failed' AND substr(error_message, 1, ?) = ?",
                   (len(_V8_INTERRUPTED), _V8_INTERRUPTED))


# -- migration 10: what a message was, and what strangers cost ---------------------------------
def _v10_incoming_length_and_strangers(db: SqliteDatabase, legacy: bool) -> None:
    """The length of an incoming text as it arrived (the stored text may be a stranger's
    excerpt, or have characters replaced), and per hour how many contacts strangers created and
    how many more were refused (counted, not stored)."""
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(messages)")}
    if "original_length" not in columns:  # a database set back to an older version keeps it
        db.execute_sql("ALTER TABLE messages ADD COLUMN original_length INTEGER")
    db.execute_sql("CREATE TABLE IF NOT EXISTS stranger_hours ("
                   "hour TEXT PRIMARY KEY, "
                   "contacts_created INTEGER NOT NULL DEFAULT 0, "
                   "contacts_refused INTEGER NOT NULL DEFAULT 0)")


# -- migration 11: the message log searchable at a million rows --------------------------------
# The Messages tab lists newest first and filters by contact, status, time and words. Indexes
# and a full-text table only: an old reader sees the same tables, columns and rows.
#
# The full-text table reads its text from `messages` itself (an external-content FTS5 table):
# the text is not stored twice, its rows are the messages' rowids, so a search joins straight
# back to the log, and `rebuild` fills it from the log in one statement. Triggers keep it in
# step with every insert, delete and change of a message's text, whoever writes them.
_V11_HOUR = "replace(substr(new.created_at, 1, 13), 'T', ' ')"
_V11_STATEMENTS = (
    "CREATE INDEX IF NOT EXISTS idx_messages_recipient ON messages(recipient)",
    "CREATE INDEX IF NOT EXISTS idx_messages_status ON messages(status)",
    # The old system's rows read "received" or "spam" from their metadata (their status is
    # "sent"): this small index finds them without walking every sent reply.
    "CREATE INDEX IF NOT EXISTS idx_messages_old_rows ON messages(status) "
    "WHERE type NOT IN ('incoming', 'outgoing')",
    # Every chat id the log names once, so a search for part of a number reads this short
    # list, not a million rows, and then walks the sender and recipient indexes.
    "CREATE TABLE IF NOT EXISTS message_parties (jid TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TRIGGER IF NOT EXISTS message_parties_insert AFTER INSERT ON messages BEGIN "
    "INSERT OR IGNORE INTO message_parties (jid) SELECT new.sender WHERE new.sender IS NOT NULL "
    "UNION ALL SELECT new.recipient WHERE new.recipient IS NOT NULL; END",
    "CREATE TRIGGER IF NOT EXISTS message_parties_update AFTER UPDATE OF sender, recipient "
    "ON messages BEGIN "
    "INSERT OR IGNORE INTO message_parties (jid) SELECT new.sender WHERE new.sender IS NOT NULL "
    "UNION ALL SELECT new.recipient WHERE new.recipient IS NOT NULL; END",
    # Per hour of created_at, the lowest and highest rowid logged in it: a time filter walks
    # only those rows. The log holds two UTC forms ("2025-10-30 07:22:01" and the old system's
    # "2025-10-30T07:22:01.123Z", docs/old-system.md §3); both name their hour by their first
    # 13 characters, "T" read as a space. A deleted row leaves the span as it was, which stays
    # true of the rows that remain.
    "CREATE TABLE IF NOT EXISTS message_hours (hour TEXT PRIMARY KEY, "
    "first_rowid INTEGER NOT NULL, last_rowid INTEGER NOT NULL) WITHOUT ROWID",
    *(f"CREATE TRIGGER IF NOT EXISTS message_hours_{event} AFTER {what} ON messages "
      "WHEN new.created_at IS NOT NULL BEGIN "
      f"INSERT OR IGNORE INTO message_hours (hour, first_rowid, last_rowid) "
      f"VALUES ({_V11_HOUR}, new.rowid, new.rowid); "
      "UPDATE message_hours SET first_rowid = min(first_rowid, new.rowid), "
      f"last_rowid = max(last_rowid, new.rowid) WHERE hour = {_V11_HOUR}; END"
      for event, what in (("insert", "INSERT"), ("update", "UPDATE OF created_at"))),
    # Made as migration 15 leaves it (with its prefix indexes), so that an older database
    # fills its full-text index once, not once here and again at 15.
    "CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(content, content='messages', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2')",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN "
    "INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, content) "
    "VALUES ('delete', old.rowid, old.content); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF content ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, content) "
    "VALUES ('delete', old.rowid, old.content); "
    "INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content); END",
)


def _v11_message_search(db: SqliteDatabase, legacy: bool) -> None:
    """Indexes for the Messages tab's filters and a full-text index of the messages' text,
    filled for the rows already logged (about a minute for a million rows on a slow disk)."""
    for statement in _V11_STATEMENTS:
        db.execute_sql(statement)
    db.execute_sql("INSERT OR IGNORE INTO message_parties (jid) "
                   "SELECT sender FROM messages WHERE sender IS NOT NULL "
                   "UNION SELECT recipient FROM messages WHERE recipient IS NOT NULL")
    db.execute_sql("INSERT OR IGNORE INTO message_hours (hour, first_rowid, last_rowid) "
                   f"SELECT {_V11_HOUR.replace('new.', '')}, min(rowid), max(rowid) "
                   "FROM messages WHERE created_at IS NOT NULL GROUP BY 1")
    started = time.perf_counter()
    db.execute_sql("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    log.info("Full-text index of the message log built in %.1f s",
             time.perf_counter() - started)


def _v12_checks_and_messages_from_before_the_move(db: SqliteDatabase, legacy: bool) -> None:
    """What the old system said of its connections is not this app's test, and what it still
    had to send waits for a person (docs/old-system.md §12).

    A held row stays pending but is never sent until someone sends or discards it from the
    migration summary. On the old system's database, every waiting row is held, and each
    connection's old test status and time move under its config's `legacy` block, leaving the
    connection "not tested here".
    """
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(outgoing_messages)")}
    if "held" not in columns:
        db.execute_sql("ALTER TABLE outgoing_messages ADD COLUMN held INTEGER NOT NULL "
                       "DEFAULT 0")
    if not legacy:
        return
    db.execute_sql("UPDATE outgoing_messages SET held = 1 WHERE status = 'pending'")
    rows = db.execute_sql("SELECT id, config, connection_status, test_status, last_tested_at, "
                          "test_error_message FROM data_sources").fetchall()
    for source_id, config_text, connection, test, tested_at, error in rows:
        if not (connection not in (None, "unknown") or test or tested_at):
            continue
        config = _json(config_text, {}) or {}
        old = dict(config.get(legacy_sources.LEGACY_KEY) or {})
        old["test"] = {"connection_status": connection, "test_status": test,
                       "last_tested_at": tested_at,  # as the old system wrote it
                       "test_error_message": error}
        config[legacy_sources.LEGACY_KEY] = old
        db.execute_sql(
            "UPDATE data_sources SET config = ?, connection_status = 'unknown', "
            "test_status = NULL, last_tested_at = NULL, test_error_message = NULL WHERE id = ?",
            (json.dumps(config, ensure_ascii=False), source_id))


# -- migration 13: what the recipient's phone reported ----------------------------------------
_V13_COLUMNS = ("delivered_at DATETIME", "read_at DATETIME", "played_at DATETIME")


def _v13_receipts(db: SqliteDatabase, legacy: bool) -> None:
    """When WhatsApp said a sent message reached the phone, was read, was played. A receipt
    names the message by WhatsApp's id, indexed since migration 7. The columns are added only
    where missing, so the step is safe to run on a database that has them."""
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(outgoing_messages)")}
    for column in _V13_COLUMNS:
        if column.split()[0] not in columns:
            db.execute_sql(f"ALTER TABLE outgoing_messages ADD COLUMN {column}")


# -- migration 14: e-mail as a second way out, and the WhatsApp session's health -------------
_V14_COLUMNS = (
    # How the row goes out: whatsapp (every row before), or email (recipient the address).
    "medium TEXT NOT NULL DEFAULT 'whatsapp'",
    "subject TEXT",  # an e-mail's subject line
    "stands_for_id INTEGER",  # the WhatsApp row an e-mail was sent in place of
)
_V14_STATEMENTS = (
    "CREATE INDEX IF NOT EXISTS idx_outgoing_medium_status "
    "ON outgoing_messages(medium, status)",
    # One row per channel of the bot: since when its session is down, how (logged_out or
    # disconnected), and when the administrators were told of it (null: not told).
    "CREATE TABLE IF NOT EXISTS session_health (channel TEXT PRIMARY KEY, "
    "down_since DATETIME, down_state TEXT, told_down_at DATETIME, told_up_at DATETIME)",
)


def _v14_email_and_session_health(db: SqliteDatabase, legacy: bool) -> None:
    """Outgoing rows say whether they go by WhatsApp or by e-mail (every old row is
    WhatsApp's), an e-mail keeps its subject and the WhatsApp row it stands in for, and the
    session's health (down since, administrators told) survives a restart."""
    columns = {row[1] for row in db.execute_sql("PRAGMA table_info(outgoing_messages)")}
    for column in _V14_COLUMNS:
        if column.split()[0] not in columns:
            db.execute_sql(f"ALTER TABLE outgoing_messages ADD COLUMN {column}")
    for statement in _V14_STATEMENTS:
        db.execute_sql(statement)



# -- migration 15: one- and two-letter searches from the full-text index ----------------------
# The Messages tab finds what a person types as words, the last one also as the start of a
# longer word. FTS5 answers a prefix by merging the rows of every word it starts, unless it
# keeps an index of prefixes of that length: for "b" or "bo" that merge reads a large part of
# the log. These prefix indexes make a one- or two-letter search read only its newest rows.
_V15_FTS = ("CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', "
            "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='1 2')")


def _v15_search_prefixes(db: SqliteDatabase, legacy: bool) -> None:
    """The full-text index of the message log, made again with indexes of the first one and
    two letters of every word, and filled for the rows already logged (about 20 s for a
    million rows). Its triggers stay as they are: they name the table, not its options. A
    database whose index has them already is left alone."""
    row = db.execute_sql("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()
    if row is not None and "prefix=" in (row[0] or ""):
        return
    db.execute_sql("DROP TABLE IF EXISTS messages_fts")
    db.execute_sql(_V15_FTS)
    started = time.perf_counter()
    db.execute_sql("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    log.info("Full-text index of the message log built again with its prefixes in %.1f s",
             time.perf_counter() - started)

# -- migration 16: a sender's recent messages by an index ------------------------------------
# The spam check reads a sender's messages of the last minutes for every message they send.
# By the sender index alone that read walked every message the sender ever sent (500 rows at
# 100,000 in the log: 1.4 ms a message, growing for as long as the plant keeps its log).


def _v16_sender_times(db: SqliteDatabase, legacy: bool) -> None:
    """An index of the log by sender and time, so a sender's last minutes are read alone."""
    db.execute_sql("CREATE INDEX IF NOT EXISTS idx_messages_sender_time "
                   "ON messages(sender, created_at)")


MIGRATIONS: list[tuple[int, Callable[[SqliteDatabase, bool], None]]] = [
    (1, _v1_adopt_old_schema),
    (2, _v2_convert_old_sources),
    (3, _v3_convert_old_triggers),
    (4, _v4_runtime_columns),
    (5, _v5_message_indexes),
    (6, _v6_ai_prefix_columns),
    (7, _v7_alarms_and_schedules),
    (8, _v8_typed_outbox_state),
    (9, _v9_interrupted_sends),
    (10, _v10_incoming_length_and_strangers),
    (11, _v11_message_search),
    (12, _v12_checks_and_messages_from_before_the_move),
    (13, _v13_receipts),
    (14, _v14_email_and_session_health),
    (15, _v15_search_prefixes),
    (16, _v16_sender_times),
]
if MIGRATIONS[-1][0] != LATEST:  # opening a database compares with LATEST alone
    raise RuntimeError(f"app.db.migrations_version.LATEST is {LATEST}, but the last step of "
                       f"the ladder is {MIGRATIONS[-1][0]}: raise it with the step")


def upgrade(db: SqliteDatabase, current: int, legacy: bool) -> int:
    """Apply each missing step in its own transaction; returns the new version."""
    for version, step in MIGRATIONS:
        if version <= current:
            continue
        with db.atomic():
            step(db, legacy)
            db.execute_sql(f"PRAGMA user_version = {int(version)}")
        log.info("Database migrated to version %s", version)
        current = version
    return current
