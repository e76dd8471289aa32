"""Migration 14: outgoing rows say whether they go by WhatsApp or by e-mail, and the WhatsApp
session's health has its own table; a database of version 13 upgrades, its rows WhatsApp's."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from app.db import migrations
from app.db.database import close_database, open_database
from app.db.models import OutgoingMessage, SessionHealth

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "databases"


def test_a_database_at_version_13_gains_the_email_columns_and_the_health_table(tmp_path,
                                                                                data_dir):
    path = tmp_path / "app.db"
    shutil.copyfile(FIXTURES / "plant-v7.db", path)
    close_database(open_database(path, data_dir / "backups").db)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX idx_outgoing_medium_status")
        for column in ("medium", "subject", "stands_for_id"):
            conn.execute(f"ALTER TABLE outgoing_messages DROP COLUMN {column}")
        conn.execute("DROP TABLE session_health")
        conn.execute("INSERT INTO outgoing_messages (recipient, message, status) "
                     "VALUES ('6281111111111@s.whatsapp.net', 'from before', 'pending')")
        conn.execute("PRAGMA user_version = 13")
    conn.close()
    opened = open_database(path, data_dir / "backups")
    try:
        assert (opened.version_before, opened.version_after) == (13, migrations.LATEST)
        columns = {r[1] for r in opened.db.execute_sql("PRAGMA table_info(outgoing_messages)")}
        assert {"medium", "subject", "stands_for_id"} <= columns
        old = OutgoingMessage.get(OutgoingMessage.message == "from before")
        assert old.medium == "whatsapp" and old.subject is None and old.stands_for_id is None
        assert SessionHealth.select().count() == 0
        # Run again on a database that has them: nothing breaks, nothing doubles.
        migrations._v14_email_and_session_health(opened.db, False)
    finally:
        close_database(opened.db)
