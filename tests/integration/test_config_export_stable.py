"""A database made by an earlier version exports the same configuration, byte for byte."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "databases"


def test_config_export_of_a_version_7_database_is_unchanged(tmp_path):
    home = tmp_path / "data"
    home.mkdir()
    shutil.copyfile(FIXTURES / "plant-v7.db", home / "app.db")
    result = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(home), "config", "export"], cwd=ROOT,
        capture_output=True, env=dict(os.environ), timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    expected = (FIXTURES / "plant-v7-export.json").read_bytes()
    assert result.stdout == expected
    # The copy was opened for real: it is at today's schema version, not left as it was.
    connection = sqlite3.connect(home / "app.db")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    finally:
        connection.close()
    assert version >= 7
