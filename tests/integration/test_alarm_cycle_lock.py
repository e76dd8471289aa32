"""An alarm cycle reads the states it then writes, while the bot's messages commit on other
connections: those commits must never make the cycle's first write fail."""

from __future__ import annotations

import sqlite3

from app.db.models import database_proxy
from app.services import alarms


def test_a_commit_elsewhere_between_the_cycles_read_and_write_cannot_fail_it(db):
    other = sqlite3.connect(db.path, timeout=0)  # a message being logged, on its own connection
    refused: list[str] = []

    def work() -> int:
        (before,) = database_proxy.execute_sql("SELECT COUNT(*) FROM alarm_events").fetchone()
        try:  # the cycle holds the write lock from its start: the other write waits for it
            with other:
                other.execute("INSERT INTO audit_logs (id, action, timestamp) "
                              "VALUES ('x', 'message_logged', '2026-12-02 10:00:00')")
        except sqlite3.OperationalError as exc:
            refused.append(str(exc))
        database_proxy.execute_sql("UPDATE alarm_events SET state = state")  # the first write
        return before

    try:
        assert alarms.in_one_cycle(work) == 0
    finally:
        other.close()
    assert refused == ["database is locked"]
