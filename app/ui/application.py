"""The desktop app's life: Qt + qasync loop, database, login, main window, staged shutdown.

The login window comes first and alone: it needs Qt, the database and the password check. The
bots (and with them the whole runtime: triggers, alarms, sources) and the main window with its
tabs are loaded in a worker thread while the login window is shown, and built on the event loop
once loaded; a login accepted before then waits for them.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import queue
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import qasync  # noqa: E402 - must follow the PySide6 import so qasync picks that binding
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog

from app import APP_NAME, __version__
from app.errors import UserError
from app.runtime import executor
from app.runtime.stalls import StallWatch
from app.services import auth
from app.ui import language
from app.ui.crash import CrashHandler
from app.ui.dialogs.login import LoginDialog
from app.ui.idle import IdleWatcher
from app.ui.message_bridge import bridge
from app.ui.runner import AsyncRunner
from app.ui.widgets import wheel_guard
from app.ui.window_state import WindowState

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# The main window and its tabs: loaded in a worker thread while the login window is shown.
WINDOW_MODULES = ("app.ui.context", "app.ui.main_window")
LOAD_TIMEOUT_S = 120.0


class DesktopStart(Protocol):
    """How the composition root (app.bootstrap.DesktopStart) opens what the app runs on."""

    def open(self, on_progress: Any = None) -> Any:
        """Opens (and upgrades) the database, on a worker thread, saying what it does through
        `on_progress` (a sentence at a time); returns app.db.database.OpenResult."""

    def load(self) -> None:
        """Imports the bots' modules; runs in a worker thread."""

    def build(self, opened: Any) -> Any:
        """The app's bots over one source pool: an app.composition.Desktop."""

    def close(self, opened: Any) -> None:
        """Closes the database when the app ends before the bots were built."""


SHOW_OPENING_AFTER_S = 0.5  # an open that takes longer shows a window saying what it does


def open_with_progress(app: QApplication, start: DesktopStart,
                       show_after_s: float = SHOW_OPENING_AFTER_S) -> tuple[Any, list[str]]:
    """Open (and upgrade) the database on a thread; past `show_after_s` a small window says
    the app is opening or upgrading it, and what it did (the backup first). Upgrading a large
    old database rebuilds its search index, tens of seconds at a million messages: without
    it nothing would show that the app started at all. Returns what `start.open` returns and
    the lines the window showed; raises what it raised."""
    said: queue.SimpleQueue[str] = queue.SimpleQueue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["opened"] = start.open(on_progress=said.put)
        except BaseException as exc:  # noqa: BLE001 - raised again on the window's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="open-database", daemon=True)
    worker.start()
    shown: list[str] = []
    box: QProgressDialog | None = None
    show_at = time.monotonic() + show_after_s
    while worker.is_alive() or not said.empty():
        if box is None and worker.is_alive() and time.monotonic() >= show_at:
            # Before the database is open its language setting is unknown: the computer's.
            language.install(language.system_language())
            box = QProgressDialog(app.translate(
                "AppController", "{app} is opening its database…").format(app=APP_NAME),
                "", 0, 0)
            box.setWindowTitle(APP_NAME)
            label = QLabel(box.labelText())
            label.setWordWrap(True)
            box.setLabel(label)
            box.setCancelButton(None)
            box.setMinimumDuration(0)
            box.setMinimumWidth(520)
            box.show()
            if box.isVisible():
                shown.insert(0, box.labelText())
        worker.join(0.03)
        while not said.empty():
            shown.append(said.get())
        if box is not None and len(shown) > 1:  # only an upgrade says anything: its backup
            box.setLabelText(app.translate(
                "AppController", "{app} is upgrading its database (a copy of it was saved "
                "first, beside it); this can take a minute for a large message log.").format(
                app=APP_NAME))
        app.processEvents()
    if box is not None:
        box.close()
        box.deleteLater()
    for line in shown[1:] if box is not None else shown:
        log.info("%s", line)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["opened"], shown


def _load_modules(start: DesktopStart) -> None:
    start.load()
    for name in WINDOW_MODULES:
        importlib.import_module(name)


class AppController:
    """Owns the login dialog and the main window; `done` resolves when the app should exit."""

    def __init__(self, start: DesktopStart, opened: Any) -> None:
        # `opened`: the opened database; the bots are built once the login window is shown.
        self.opened = opened
        self._start = start
        self.desktop: Any = None
        self.pool: Any = None
        # The bots belong to the app, not to a window: logging out of the app keeps them running.
        self.bot: Any = None
        self.runner = AsyncRunner()
        self.ready: asyncio.Future = asyncio.get_event_loop().create_future()
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
            return QApplication.translate(
                "AppController", "This database came from the previous WA-Integration system "
                "and was upgraded.") + f" {self.opened.backup_notice}"
        if self.opened.backup_path:
            return QApplication.translate(
                "AppController", "The database was upgraded; a backup is at {path}.").format(
                    path=self.opened.backup_path)
        return ""

    def start(self) -> None:
        LoginDialog.apply_window_language(not auth.has_users(), self.opened.kind == "legacy")
        note = self._db_note()
        if note:
            bridge.info(note)
        self.show_login()
        self.runner.run(self._load(), on_err=self._load_failed, key="load")

    async def _load(self) -> None:
        """The bots and the main window's modules, loaded while the login window is shown."""
        await executor.run_blocking(_load_modules, self._start, timeout=LOAD_TIMEOUT_S)
        self.desktop = self._start.build(self.opened)
        self.pool = self.desktop.pool
        self.bot = self.desktop.bot
        self.bot.forget_stale_state()
        self.runner.run(self.bot.start_simulator(), on_err=self._simulator_failed,
                        key="simulator")
        self.runner.run(self._start_alarms(), key="alarms")
        if not self.ready.done():
            self.ready.set_result(None)
        # First start on this computer: the charts' font list, built before a chart needs it.
        from app.runtime import charts  # loaded by now, with the bots (not before the login)

        charts.prepare_fonts_in_background()

    def _load_failed(self, exc: BaseException) -> None:
        # `ready` stays unresolved: the app ends, and no window opens over missing bots.
        log.error("The app's bots could not be built", exc_info=exc)
        QMessageBox.critical(None, QApplication.translate(
            "AppController", "{app} cannot start").format(app=APP_NAME), QApplication.translate(
                "AppController", "The app could not finish starting: {reason}").format(
                    reason=exc))
        self.finish(1)

    async def _start_alarms(self) -> None:
        self.bot.start_alarms()

    @staticmethod
    def _simulator_failed(exc: BaseException) -> None:
        log.error("The Simulator's bot did not start", exc_info=exc)
        bridge.error(QApplication.translate(
            "AppController", "The Simulator cannot run: {reason}").format(reason=exc))

    def show_login(self) -> None:
        first_run = not auth.has_users()
        LoginDialog.apply_window_language(first_run, self.opened.kind == "legacy")
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
        if self.ready.done():
            self._open_window(session)
        else:  # still loading: the window opens as soon as the bots are built
            self.runner.run(self._open_window_when_ready(session), key="open-window")

    async def _open_window_when_ready(self, session: auth.SessionInfo) -> None:
        await asyncio.shield(self.ready)
        if self.session is session:
            self._open_window(session)

    def _open_window(self, session: auth.SessionInfo) -> None:
        from app.services import migration_summary  # loaded with the bots, not before the login
        from app.ui.context import UiContext
        from app.ui.main_window import MainWindow

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
        bridge.info(QApplication.translate("AppController", "Logged in as {name}.").format(
            name=session.actor.username))

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
        if self.bot is not None:
            await self.bot.shutdown()
        await self.runner.cancel_all(timeout=2.0)
        executor.shutdown(wait=False)
        if self.desktop is not None:
            self.desktop.close()  # the source pool, then the database
        else:  # closed before the bots were built
            self._start.close(self.opened)


def run(log_file: Path | None, start: DesktopStart) -> int:
    """The app until its window closes. The database is opened once Qt runs, so a database that
    cannot be opened is shown in a message box; the bots are built once the login window is
    shown (AppController)."""
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
        opened, _ = open_with_progress(app, start)
    except UserError as exc:
        log.error("Cannot open the database: %s", exc)
        QMessageBox.critical(None, QApplication.translate(
            "AppController", "{app} cannot start").format(app=APP_NAME), str(exc))
        loop.close()
        raise
    # What start-up made lives as long as the app (modules, classes, Qt's bindings: some
    # 46,000 objects): the garbage collector stops walking it in every full collection (31 ms
    # of each on the 2-core test machine, the window held meanwhile). No window exists yet,
    # so none of it is kept past its time (what is garbage already is collected first).
    gc.collect()
    gc.freeze()
    with loop:
        # Any time the window is frozen over 100 ms, the log says for how long (not by what:
        # sampling this thread's stack from another would free Qt objects there).
        stalls = StallWatch(sample_stacks=False).start(loop)
        try:
            controller = AppController(start, opened)
            controller.start()
            code = loop.run_until_complete(controller.done)
            loop.run_until_complete(controller.shutdown())
        finally:
            stalls.stop()
    return code
