"""Migration 15: the message log's full-text index keeps the first one and two letters of
every word, so a one-letter search is answered from the index; a database at version 14 and
the old system's database upgrade, their messages found, and the index follows new rows."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta

from app.core.messages import Incoming
from app.db import migrations
from app.db.database import close_database, open_database
from app.services import events, messages
from app.services.messages import MessageFilter
from tests.legacy_db import build_legacy_db

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
PN = "6281234567890@s.whatsapp.net"
# The full-text table as migration 11 made it, before migration 15.
V14_FTS = ("CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', "
           "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")


def _texts(flt: MessageFilter) -> list[str]:
    return [m["content"] for m in messages.page(flt, None, 100)]


def _fts_sql(db) -> str:
    return db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").fetchone()[0]


def _in_step(db) -> None:
    # Raises when the index and the log differ.
    db.execute_sql("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)")


def _record(text: str, n: int) -> None:
    messages.record_incoming(Incoming(
        message_id=f"M{n}", chat=PN, sender=PN, sender_phone=None, push_name="Sari",
        text=text, timestamp=T0 + timedelta(minutes=n)), None)


def test_a_database_at_version_14_gets_the_prefixes_and_keeps_finding_its_messages(data_dir):
    path = data_dir / "app.db"
    opened = open_database(path, data_dir / "backups")
    for n, text in enumerate(("Boiler 30 bar", "x-ray of the pump", "drum level 3.5 m")):
        _record(text, n)
    events.clear()
    close_database(opened.db)
    with sqlite3.connect(path) as conn:  # as a plant at version 14 has it
        conn.execute("DROP TABLE messages_fts")
        conn.execute(V14_FTS)
        conn.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
        conn.execute("PRAGMA user_version = 14")
    conn.close()

    opened = open_database(path, data_dir / "backups")
    try:
        assert (opened.version_before, opened.version_after) == (14, migrations.LATEST)
        assert "prefix='1 2'" in _fts_sql(opened.db)
        # Migration 16: a sender's last minutes (the spam check) read by sender and time.
        plan = opened.db.execute_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM messages WHERE sender = ? AND created_at >= ?",
            (PN, "2026-03-02")).fetchall()
        assert "idx_messages_sender_time" in str(plan)
        _in_step(opened.db)
        assert _texts(MessageFilter(text="b")) == ["Boiler 30 bar"]
        assert _texts(MessageFilter(text="3")) == ["drum level 3.5 m", "Boiler 30 bar"]
        assert _texts(MessageFilter(text="x")) == ["x-ray of the pump"]
        # The triggers of migration 11 feed the new table: a new row is found at once.
        _record("boxes for unit 3", 10)
        assert _texts(MessageFilter(text="bo")) == ["boxes for unit 3", "Boiler 30 bar"]
        _in_step(opened.db)
        # Run again on a database that has them: nothing is built twice, nothing lost.
        ran: list[str] = []
        opened.db.connection().set_trace_callback(ran.append)
        try:
            migrations._v15_search_prefixes(opened.db, False)
        finally:
            opened.db.connection().set_trace_callback(None)
        assert ran and not [s for s in ran if "rebuild" in s or "DROP" in s.upper()], ran
        assert _texts(MessageFilter(text="b")) == ["boxes for unit 3", "Boiler 30 bar"]
        _in_step(opened.db)
    finally:
        events.clear()
        close_database(opened.db)


def test_the_old_systems_database_is_searched_by_one_letter_after_its_upgrade(data_dir,
                                                                          caplog):
    folder = data_dir.parent / "old-system"
    folder.mkdir()
    build_legacy_db(folder / "app.db")
    with caplog.at_level(logging.INFO, logger="app.db.migrations"):
        opened = open_database(folder / "app.db", data_dir / "backups")
    try:
        assert opened.version_before == 0 and opened.version_after == migrations.LATEST
        # Its full-text index is filled once, as migration 11 makes it (a million rows of an
        # old plant's log took 14 s more when 15 made it again).
        built = [r.getMessage() for r in caplog.records if "Full-text index" in r.getMessage()]
        assert len(built) == 1, built
        assert "prefix='1 2'" in _fts_sql(opened.db)
        assert _texts(MessageFilter(text="t")) == ["Tekanan Drum"]
        assert _texts(MessageFilter(text="te")) == ["Tekanan Drum"]
        _in_step(opened.db)
    finally:
        events.clear()
        close_database(opened.db)
