"""WAL checkpoints run on a thread of their own in the desktop app and `serve`: a commit on
the event loop never copies the log back into the file and syncs it (tens of milliseconds on
a busy disk, the window held meanwhile), and the log still does not grow without end."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from app.db.database import background_checkpoints, close_database, open_database
from app.db.models import database_proxy

ROWS = 400  # of 8 KB each: about 800 pages of 4 KB per round, 3 rounds


def _write_rounds(rounds: int) -> None:
    for _ in range(rounds):
        with database_proxy.atomic():
            database_proxy.execute_sql(
                "INSERT INTO big (blob) SELECT randomblob(8192) FROM "
                "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                "SELECT i FROM n)", (ROWS,))


def _wal_pages(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size // 4096 if wal.exists() else 0


def test_the_loops_commits_never_checkpoint_and_the_thread_keeps_the_log_short(tmp_path):
    path = tmp_path / "app.db"
    opened = open_database(path)
    try:
        database_proxy.execute_sql("CREATE TABLE big (blob BLOB)")
        checkpoints = background_checkpoints(opened.db, every_s=3600)  # not yet: see below
        assert database_proxy.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        _write_rounds(3)
        # Past SQLite's 1,000 pages and no commit of this thread copied the log back.
        assert _wal_pages(path) > 2000
        assert checkpoints.done == 0
        checkpoints.stop()
        opened.db.checkpoints = None

        checkpoints = background_checkpoints(opened.db, every_s=0.05)
        deadline = time.monotonic() + 10
        while checkpoints.done < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert checkpoints.done >= 2
        before = _wal_pages(path)
        for _ in range(6):  # the thread's checkpoints let each round start the log again
            _write_rounds(1)
            time.sleep(0.3)
        assert _wal_pages(path) <= before + 1000, (before, _wal_pages(path))
        # Every row is there, in one file a new connection reads.
        assert database_proxy.execute_sql("SELECT COUNT(*) FROM big").fetchone()[0] == 9 * ROWS
    finally:
        close_database(opened.db)
    assert opened.db.checkpoints is None
    assert not [t for t in threading.enumerate() if t.name == "wal-checkpoints"]


def test_a_connection_opened_after_the_start_does_not_checkpoint_either(tmp_path):
    path = tmp_path / "app.db"
    opened = open_database(path)
    try:
        background_checkpoints(opened.db, every_s=3600)
        seen: list[int] = []
        worker = threading.Thread(target=lambda: seen.append(database_proxy.execute_sql(
            "PRAGMA wal_autocheckpoint").fetchone()[0]))
        worker.start()
        worker.join()
        assert seen == [0]
    finally:
        close_database(opened.db)


def test_without_the_thread_sqlite_checkpoints_as_usual(tmp_path):
    opened = open_database(tmp_path / "app.db")
    try:  # a command-line run: short, SQLite's own checkpoints
        assert database_proxy.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
    finally:
        close_database(opened.db)


def _autocheckpoint_of_a_new_connection() -> int:
    seen: list[int] = []
    worker = threading.Thread(target=lambda: seen.append(database_proxy.execute_sql(
        "PRAGMA wal_autocheckpoint").fetchone()[0]))
    worker.start()
    worker.join()
    return seen[0]


def test_when_the_thread_cannot_open_the_file_sqlite_keeps_checkpointing(tmp_path, caplog):
    path = tmp_path / "app.db"
    opened = open_database(path)
    try:
        path.rename(tmp_path / "moved.db")  # the app's connection still has it open
        checkpoints = background_checkpoints(opened.db, every_s=0.05)
        assert "WAL checkpoints will run inside commits" in caplog.text
        # Nobody else checkpoints, so the connections still do, as SQLite does by itself.
        assert database_proxy.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        checkpoints.stop()
    finally:
        close_database(opened.db)


def test_after_the_thread_stops_new_connections_checkpoint_again(tmp_path):
    opened = open_database(tmp_path / "app.db")
    try:
        checkpoints = background_checkpoints(opened.db, every_s=3600)
        assert _autocheckpoint_of_a_new_connection() == 0
        checkpoints.stop()
        assert _autocheckpoint_of_a_new_connection() == 1000
    finally:
        close_database(opened.db)

