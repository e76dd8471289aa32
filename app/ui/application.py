"""The desktop app's life: Qt + qasync loop, database, login, main window, staged shutdown."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import qasync  # noqa: E402 - must follow the PySide6 import so qasync picks that binding
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, __version__
from app.errors import UserError
from app.runtime import executor
from app.services import auth, migration_summary
from app.ui.context import UiContext
from app.ui.crash import CrashHandler
from app.ui.dialogs.login import LoginDialog
from app.ui.main_window import IdleWatcher, MainWindow
from app.ui.message_bridge import bridge
from app.ui.runner import AsyncRunner
from app.ui.widgets import wheel_guard
from app.ui.window_state import WindowState

log = logging.getLogger(__name__)


class AppController:
    """Owns the login dialog and the main window; `done` resolves when the app should exit."""

    def __init__(self, desktop: Any) -> None:
        # app.composition.Desktop: the opened database, the one source pool, the bots.
        self.desktop = desktop
        self.opened = desktop.opened
        self.runner = AsyncRunner()
        self.pool = desktop.pool
        # The bots belong to the app, not to a window: logging out of the app keeps them running.
        self.bot = desktop.bot
        self.idle = IdleWatcher()
        QApplication.instance().installEventFilter(self.idle)
        self.window: MainWindow | None = None
        self.login_dialog: LoginDialog | None = None
        self.session: auth.SessionInfo | None = None
        self.done: asyncio.Future = asyncio.get_event_loop().create_future()
        self.shown_at: float | None = None
        self.window_state = WindowState.beside(self.opened.path)
        self._summary_shown = False

    def _db_note(self) -> str:
        if self.opened.kind == "legacy":
            return (f"This database came from the previous WA-Integration system and was "
                    f"upgraded. {self.opened.backup_notice}")
        if self.opened.backup_path:
            return f"The database was upgraded; a backup is at {self.opened.backup_path}."
        return ""

    def start(self) -> None:
        note = self._db_note()
        if note:
            bridge.info(note)
        self.bot.forget_stale_state()
        self.runner.run(self.bot.start_simulator(), on_err=self._simulator_failed,
                        key="simulator")
        self.runner.run(self._start_alarms(), key="alarms")
        self.show_login()

    async def _start_alarms(self) -> None:
        self.bot.start_alarms()

    @staticmethod
    def _simulator_failed(exc: BaseException) -> None:
        log.error("The Simulator's bot did not start", exc_info=exc)
        bridge.error(f"The Simulator cannot run: {exc}")

    def show_login(self) -> None:
        first_run = not auth.has_users()
        self.login_dialog = LoginDialog(self.runner, first_run, self._db_note(),
                                        last_user="" if first_run else
                                        self.window_state.last_user)
        self.login_dialog.authenticated.connect(self.on_authenticated)
        self.login_dialog.rejected.connect(self._on_login_cancelled)
        self.login_dialog.show()

    def _on_login_cancelled(self) -> None:
        if self.window is None:
            self.finish(0)

    def on_authenticated(self, session: auth.SessionInfo) -> None:
        self.session = session
        ctx = UiContext(session, self.runner, bridge, self.pool, self.bot)
        self.window_state.last_user = session.actor.username
        self.window_state.save()
        self.window = MainWindow(ctx, self.opened.path, self.idle, self.window_state)
        self.window.logout_requested.connect(self.logout)
        self.window.closed.connect(self._on_window_closed)
        self.window.show()
        self.shown_at = time.perf_counter()
        if not self._summary_shown and (self.opened.kind == "legacy"
                                        or migration_summary.summary().held):
            # The first log-in after the move, or old messages still wait for a decision.
            self._summary_shown = True
            self.window.show_migration_summary(self.opened.backup_notice)
        bridge.info(f"Logged in as {session.actor.username}.")

    def logout(self) -> None:
        window, self.window = self.window, None
        if self.session is not None:
            auth.logout(self.session)
            self.session = None
        if window is not None:
            window.closed.disconnect(self._on_window_closed)
            window.close()
            window.deleteLater()
        self.show_login()

    def _on_window_closed(self) -> None:
        if self.session is not None:
            auth.logout(self.session)
            self.session = None
        self.finish(0)

    def finish(self, code: int) -> None:
        if not self.done.done():
            self.done.set_result(code)

    async def shutdown(self) -> None:
        """Staged: stop the bots (the send under way may finish), stop background work with a
        bound, shut the executor, close the database."""
        await self.bot.shutdown()
        await self.runner.cancel_all(timeout=2.0)
        executor.shutdown(wait=False)
        self.desktop.close()  # the source pool, then the database


def run(log_file: Path | None, open_desktop: Callable[[], Any]) -> int:
    """The app until its window closes. `open_desktop` (from the composition root) opens the
    database and builds the bots; it runs once Qt does, so a database that cannot be opened is
    shown in a message box."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)
    wheel_guard.install(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    crash = CrashHandler(str(log_file) if log_file else None)
    crash.install(loop)
    try:
        desktop = open_desktop()
    except UserError as exc:
        log.error("Cannot open the database: %s", exc)
        QMessageBox.critical(None, f"{APP_NAME} cannot start", str(exc))
        loop.close()
        raise
    with loop:
        controller = AppController(desktop)
        controller.start()
        code = loop.run_until_complete(controller.done)
        loop.run_until_complete(controller.shutdown())
    return code
