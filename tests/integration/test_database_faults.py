"""The database file on a bad day, as people meet it through `python main.py`: the backup of the
old system's database kept private, a full disk at start, damaged pages."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
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
    with sqlite3.connect(backup) as conn:
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
