"""An alarm cycle reads the states it then writes, while the bot's messages commit on other
connections: those commits are not refused while the cycle reads and evaluates, and they never
make the cycle fail (it runs again on what is committed then)."""

from __future__ import annotations

import sqlite3

from app.db.models import database_proxy
from app.services import alarms

LOGGED = ("INSERT INTO audit_logs (id, action, timestamp) "
          "VALUES (?, 'message_logged', '2026-12-02 10:00:00')")


def _other(db) -> sqlite3.Connection:
    return sqlite3.connect(db.path, timeout=0)  # a message being logged, on its own connection


def test_a_message_committed_while_the_cycle_reads_is_not_refused_and_the_cycle_runs_again(db):
    other = _other(db)
    refused: list[str] = []
    runs: list[int] = []

    def work() -> int:
        (before,) = database_proxy.execute_sql("SELECT COUNT(*) FROM audit_logs").fetchone()
        if not runs:  # the first try: a message commits between its read and its write
            try:
                with other:
                    other.execute(LOGGED, ("x",))
            except sqlite3.OperationalError as exc:
                refused.append(str(exc))
        runs.append(before)
        database_proxy.execute_sql("UPDATE alarm_events SET state = state")  # the first write
        return before

    try:
        assert alarms.in_one_cycle(work) == runs[-1]
    finally:
        other.close()
    assert refused == []  # the message was logged at once
    # Its first try was refused by SQLite (its snapshot was behind); the second saw the row.
    assert len(runs) == 2 and runs[1] == runs[0] + 1


def test_a_cycle_met_by_a_commit_at_every_try_takes_the_lock_first_at_its_last(db):
    other = _other(db)
    refused: list[str] = []
    runs: list[int] = []

    def work() -> int:
        database_proxy.execute_sql("SELECT COUNT(*) FROM audit_logs").fetchone()
        try:
            with other:
                other.execute(LOGGED, (f"x{len(runs)}",))
        except sqlite3.OperationalError as exc:
            refused.append(str(exc))
        runs.append(1)
        database_proxy.execute_sql("UPDATE alarm_events SET state = state")
        return len(runs)

    try:
        assert alarms.in_one_cycle(work) == 3
    finally:
        other.close()
    # Two tries behind a commit each; the third held the lock from its start, so the message
    # of that moment waited for it (here: refused at once, its connection waiting 0 s).
    assert refused == ["database is locked"]
