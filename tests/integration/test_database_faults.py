"""The database file on a bad day, as people meet it through `python main.py`: the backup of the
old system's database kept private, a full disk at start, damaged pages."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from app.db.database import close_database, open_database
from tests.legacy_db import build_legacy_db

ROOT = Path(__file__).resolve().parents[2]


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)  # keeps WA_INTEGRATION_SECRETS=file from conftest
    return subprocess.run([sys.executable, "main.py", "--data-dir", str(home), *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)


def _one_sentence(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    return lines[0]


# -- the backup of the old system's database ----------------------------------------------


def test_the_backup_of_an_old_database_is_readable_by_its_owner_only(tmp_path):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    saved = os.umask(0)  # even where files are made world-readable by default
    try:
        result = _cli(tmp_path / "home", "--db", str(old), "config", "export")
    finally:
        os.umask(saved)
    assert result.returncode == 0, result.stderr
    [backup] = old.parent.glob("app-backup-*-v0.db")
    if os.name == "posix":
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # The summary names the file, says what it holds and what to do with it.
    assert f"The backup {backup} is the old system's database" in result.stderr
    assert "passwords and API keys in plain text" in result.stderr
    assert "Once the old system is retired, delete that file" in result.stderr
    # It does hold them: that is why it is private.
    with closing(sqlite3.connect(backup)) as conn:
        assert "sk-legacy-123" in " ".join(str(r) for r in conn.execute(
            "SELECT config FROM data_sources"))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv to try reading as another user")
def test_another_user_cannot_read_the_backup(tmp_path):
    old = tmp_path / "app.db"
    build_legacy_db(old)
    tmp_path.chmod(0o755)
    result = open_database(old)
    close_database(result.db)
    read = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           "cat", str(result.backup_path)], capture_output=True, timeout=30)
    assert read.returncode != 0
    assert b"Permission denied" in read.stderr


def test_the_upgrade_of_the_apps_own_database_says_nothing_about_plain_text(db):
    assert db.backup_notice == ""


# -- a full disk at start ------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB filesystem of its own (tmpfs), so that filling it fills nothing else."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root on Linux")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


def _fill(folder: Path) -> Path:
    filler = folder / f"filler-{uuid.uuid4().hex}"
    with filler.open("wb", buffering=0) as handle:
        for size in (65536, 4096, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                pass
    assert shutil.disk_usage(folder).free == 0
    return filler


def _make_current_db(path: Path) -> dict[str, list]:
    result = open_database(path, path.parent)
    result.db.execute_sql("INSERT INTO system_settings (id, category, key, value) "
                          "VALUES ('s1', 'general', 'note', '\"kept\"')")
    close_database(result.db)
    return _dump(path)


def _dump(path: Path) -> dict[str, list]:
    with closing(sqlite3.connect(path)) as conn:
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall()
                for t in ("system_settings", "data_sources", "users")}


def test_a_full_disk_at_start_says_the_disk_is_full_and_the_database_is_intact(
        small_disk, tmp_path):
    path = small_disk / "app.db"
    before = _make_current_db(path)
    filler = _fill(small_disk)

    line = _one_sentence(_cli(tmp_path / "home", "--db", str(path), "config", "export"))
    assert f"The disk holding {small_disk} is full" in line
    assert "not damaged" in line and "Free some space" in line
    assert "damaged;" not in line and "restore it from a backup" not in line

    filler.unlink()
    assert _dump(path) == before
    again = _cli(tmp_path / "home", "--db", str(path), "config", "export")
    assert again.returncode == 0, again.stderr


def test_a_new_database_on_a_full_disk_says_it_cannot_be_created(small_disk, tmp_path):
    _fill(small_disk)
    line = _one_sentence(_cli(tmp_path / "home", "--db", str(small_disk / "new.db"),
                              "config", "export"))
    assert f"The disk holding {small_disk} is full" in line
    assert "cannot create new.db" in line


def test_an_upgrade_on_a_full_disk_changes_nothing_and_leaves_no_half_backup(small_disk,
                                                                            tmp_path):
    old = small_disk / "app.db"
    build_legacy_db(old)
    with closing(sqlite3.connect(old)) as conn:
        before = conn.execute("SELECT * FROM data_sources").fetchall()
    filler = _fill(small_disk)
    # Room for SQLite's -wal and -shm files, not for a copy of the database.
    os.truncate(filler, filler.stat().st_size - 96 * 1024)
    assert old.stat().st_size > 128 * 1024
    line = _one_sentence(_cli(tmp_path / "home", "--db", str(old), "config", "export"))
    assert f"{old} needs an upgrade, but the disk holding {small_disk} is full" in line
    assert "nothing was changed" in line
    assert not list(small_disk.glob("app-backup-*"))
    filler.unlink()
    with closing(sqlite3.connect(old)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT * FROM data_sources").fetchall() == before


# -- damaged pages -------------------------------------------------------------------------


def _damage_table(path: Path, table: str) -> None:
    """Overwrite the first page of `table` with bytes that are no SQLite page."""
    with closing(sqlite3.connect(path)) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xde\xad" * (page_size // 2))


def test_damaged_pages_are_named_in_one_plain_sentence(tmp_path):
    path = tmp_path / "app.db"
    _make_current_db(path)
    _damage_table(path, "data_sources")
    line = _one_sentence(_cli(tmp_path / "home", "--db", str(path), "config", "export"))
    assert f"{path} has damaged pages that SQLite cannot read" in line
    assert "Restore it from a backup" in line
    assert "Unexpected error" not in line


def test_a_damaged_old_database_is_not_upgraded_nor_backed_up(tmp_path):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    _damage_table(old, "triggers")
    damaged = old.read_bytes()
    line = _one_sentence(_cli(tmp_path / "home", "--db", str(old), "config", "export"))
    assert "has damaged pages" in line
    assert old.read_bytes() == damaged
    assert not list(old.parent.glob("app-backup-*"))


def test_a_query_that_meets_damaged_pages_raises_a_sentence_naming_the_file(tmp_path):
    import peewee

    from app.db.database import DatabaseDamaged
    from app.db.models import DataSource
    from app.errors import describe

    path = tmp_path / "app.db"
    _make_current_db(path)
    _damage_table(path, "data_sources")
    result = open_database(path, tmp_path)
    try:
        with pytest.raises(DatabaseDamaged) as caught:
            list(DataSource.select())
    finally:
        close_database(result.db)
    assert isinstance(caught.value, peewee.DatabaseError)  # still caught where those are
    assert describe(caught.value).startswith(f"{path} has damaged pages")
    # Whoever meets the bare SQLite error still gets a sentence.
    bare = sqlite3.DatabaseError("database disk image is malformed")
    bare.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    assert describe(peewee.DatabaseError(bare)).startswith("The database file has damaged pages")
