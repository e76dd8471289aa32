"""GUI fixtures: a qasync loop for async tests and helpers to wait on Qt from a coroutine."""

from __future__ import annotations

import asyncio
import gc
import time

import pytest

from app.services import events


async def until(predicate, timeout: float = 5.0, what: str = "condition") -> None:
    """Let the qasync loop run until `predicate()` is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


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
