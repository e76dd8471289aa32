"""GUI fixtures: a UI context, Qt kept running between dialogs, widgets freed on the GUI thread."""

from __future__ import annotations

import gc

import pytest

from app.services import events


@pytest.fixture
def ui_ctx(db, admin, qapp):
    from app.runtime.source_pool import SourcePool
    from app.services import auth
    from app.ui.context import UiContext
    from app.ui.message_bridge import MessageBridge
    from app.ui.runner import AsyncRunner

    session = auth.login("admin", "admin-pass-1")
    return UiContext(session, AsyncRunner(), MessageBridge(), SourcePool())


@pytest.fixture(autouse=True)
def english_windows(qapp):
    """As the app does before its first window: the windows' language is installed (English,
    whose catalogue gives the plural forms: "1 message", "2 messages")."""
    from app.ui import language

    if language.current() != "en" or not language._installed:
        language.install("en")


@pytest.fixture(autouse=True)
def keep_app_running(qapp):

    """As in the app: closing a dialog must not quit Qt (it would stop the qasync loop)."""
    qapp.setQuitOnLastWindowClosed(False)


@pytest.fixture(autouse=True)
def collect_widgets_on_the_gui_thread(db):
    """Tabs kept alive by change listeners are freed here, not by a later garbage collection.

    Such a collection may run on a worker thread (the chart renderer allocates a lot), and a
    widget destroyed there makes Qt warn that its timers belong to another thread.
    """
    yield
    events.clear()
    gc.collect()
