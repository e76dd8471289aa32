"""Opening the database at start: on a thread, a small window saying what it does while it
takes long (an upgrade of a large old log rebuilds its search index), and the window's thread
reads the database on its own connection afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QProgressDialog

from app import bootstrap, paths
from app.db import migrations
from app.db.database import close_database
from app.errors import UserError
from app.services import contacts, secrets
from app.ui.application import open_with_progress

OLDER = Path(__file__).resolve().parents[1] / "fixtures" / "databases" / "plant-v7.db"


def _start(folder: Path) -> bootstrap.DesktopStart:
    secrets.configure(folder)
    return bootstrap.DesktopStart(bootstrap.Environment(paths.resolve(folder),
                                                        folder / "app.db", None))


def _progress_windows(qapp) -> list[QProgressDialog]:
    return [w for w in qapp.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_a_database_of_an_older_version_is_upgraded_with_a_window_saying_so(qapp, tmp_path):
    folder = tmp_path / "plant"
    folder.mkdir()
    shutil.copy(OLDER, folder / "app.db")
    opened, shown = open_with_progress(qapp, _start(folder), show_after_s=0)
    try:
        assert (opened.version_before, opened.version_after) == (7, migrations.LATEST)
        assert shown[0] == "WA-Integration is opening its database…"
        assert any(line.startswith("Backed up the database to ") for line in shown[1:]), shown
        assert list((folder).glob("app-backup-*")), "the backup the window spoke of is there"
        # The window's thread reads with a connection of its own, the worker's being closed.
        assert contacts.list_contacts()
        assert not _progress_windows(qapp)
    finally:
        close_database(opened.db)


def test_a_quick_open_shows_no_window(qapp, tmp_path):
    folder = tmp_path / "plant"
    folder.mkdir()
    opened, shown = open_with_progress(qapp, _start(folder), show_after_s=30)
    try:
        assert opened.kind == "new" and shown == []
    finally:
        close_database(opened.db)


def test_a_file_that_is_not_a_database_is_said_as_before(qapp, tmp_path):
    folder = tmp_path / "plant"
    folder.mkdir()
    (folder / "app.db").write_bytes(b"these are not the pages of a database" * 200)
    with pytest.raises(UserError, match="is not an SQLite database, so WA-Integration cannot"):
        open_with_progress(qapp, _start(folder), show_after_s=0)
    assert not _progress_windows(qapp)
