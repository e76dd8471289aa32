"""Looking at a database file from outside the app, as another program would."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def user_version(path: Path) -> int:
    """The schema version the file says it is at (PRAGMA user_version)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
