"""Shared fixtures: offscreen Qt, a fresh database per test, fast bcrypt, a qasync loop."""

from __future__ import annotations

import os
import time
from pathlib import Path

# Offscreen Qt on one 1280×720 screen, the smallest a control room has: every window and
# dialog in the GUI tests must fit it. (Qt's own offscreen screen is 800×800.)
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    os.environ["QT_QPA_PLATFORM"] = "offscreen:configfile=" + str(
        Path(__file__).resolve().parent / "fixtures" / "screens" / "1280x720.json")
os.environ["WA_INTEGRATION_SECRETS"] = "file"

import pytest  # noqa: E402

from app.db.database import close_database, open_database  # noqa: E402
from app.services import auth, events, secrets  # noqa: E402
from app.services.context import Actor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Real peers at the process boundary: a MariaDB server, a PI Web API double, mail servers.
pytest_plugins = ["tests.mariadb", "tests.pi_server", "tests.ai_server", "tests.smtp_server"]


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    """Cost 12 takes a quarter second per hash; tests that check the cost undo this."""
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    monkeypatch.setattr(auth, "_dummy_hash", None)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    secrets.configure(folder)
    return folder


@pytest.fixture
def db(data_dir):
    """A fresh database with production pragmas and every migration applied."""
    result = open_database(data_dir / "app.db", data_dir / "backups")
    yield result
    events.clear()
    close_database(result.db)


@pytest.fixture
def admin(db) -> Actor:
    from app.services import users

    created = users.create_user(None, "admin", "admin-pass-1", full_name="Site Admin")
    return Actor(created["id"], created["username"], "admin")


@pytest.fixture
def local_zone():
    """Sets the machine's time zone for one test; POSIX strings ("WIB-7") need no tz database."""
    if not hasattr(time, "tzset"):
        pytest.skip("the time zone cannot be changed on this platform")
    saved = os.environ.get("TZ")

    def set_zone(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    yield set_zone
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def pytest_asyncio_loop_factories(config, item):
    import qasync
    from PySide6.QtWidgets import QApplication

    return {"qasync": lambda: qasync.QEventLoop(QApplication.instance() or QApplication([]))}


def pytest_runtest_teardown(item, nextitem):
    """After a test on a qasync loop, free its Qt objects here, on the GUI thread.

    Left to a later garbage collection, they may be destroyed on whatever thread allocates at
    that moment (a PI read, the WhatsApp session thread), and Qt warns that their timers
    belong to another thread, which fails whichever test happens to be running.
    """
    if item.get_closest_marker("asyncio") is not None or "qapp" in getattr(
            item, "fixturenames", ()):
        import gc

        gc.collect()
