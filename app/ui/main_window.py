"""Main window: the tabs, the status bar, the File menu and the idle lock."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.core import permissions
from app.errors import UserError, describe
from app.services import auth, config_io, settings
from app.ui.context import UiContext
from app.ui.dialogs.login import LoginForm, check_login
from app.ui.dialogs.migration_summary import MigrationSummaryDialog
from app.ui.idle import IdleWatcher
from app.ui.tabs.ai_prefixes_tab import AiPrefixesTab
from app.ui.tabs.alarms_tab import AlarmsTab
from app.ui.tabs.audit_tab import AuditTab
from app.ui.tabs.connections_tab import ConnectionsTab
from app.ui.tabs.contacts_tab import ContactsTab
from app.ui.tabs.dashboard_tab import DashboardTab
from app.ui.tabs.groups_tab import GroupsTab
from app.ui.tabs.messages_tab import MessagesTab
from app.ui.tabs.presets_tab import PresetsTab
from app.ui.tabs.schedules_tab import SchedulesTab
from app.ui.tabs.settings_tab import SettingsTab
from app.ui.tabs.simulator_tab import SimulatorTab
from app.ui.tabs.triggers_tab import TriggersTab
from app.ui.tabs.users_tab import UsersTab
from app.ui.window_state import DEFAULT_SIZE, WindowState, fit_to_screen


class LockPage(QWidget):
    unlocked = Signal(object)
    logout_requested = Signal()

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = LoginForm(first_run=False, fixed_username=ctx.actor.username)
        self.form.setMaximumWidth(420)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        logout = QPushButton("Log out")
        self.unlock_button.clicked.connect(self.submit)
        self.form.submitted.connect(self.submit)
        logout.clicked.connect(self.logout_requested)
        self.title = QLabel()
        self.title.setObjectName("lock_title")
        self.title.setWordWrap(True)
        self.set_reason(idle=True)
        title = self.title
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(logout)
        buttons.addWidget(self.unlock_button)
        box = QVBoxLayout()
        box.addWidget(title)
        box.addWidget(self.form)
        box.addLayout(buttons)
        frame = QWidget()
        frame.setMaximumWidth(460)
        frame.setLayout(box)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(frame, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addStretch(1)

    def set_reason(self, idle: bool) -> None:
        why = ("The window was locked after a time without use." if idle else
               "The window was locked.")
        self.title.setText(f"<h2>Locked</h2><p>{why} Type the password of "
                           f"<b>{self.ctx.actor.username}</b> to go on.</p>")

    def submit(self) -> None:
        password = self.form.password.text()
        if not password:
            self.form.show_error("Type your password.")
            return
        self.form.show_error("")

        def failed(exc: BaseException) -> None:
            self.form.password.clear()
            self.form.show_error(describe(exc))

        self.ctx.runner.run(check_login(self.ctx.actor.username, password),
                            self.unlocked.emit, failed, key="unlock", control=self.unlock_button)


class MainWindow(QMainWindow):
    logout_requested = Signal()
    closed = Signal()

    def __init__(self, ctx: UiContext, db_path: Path, idle: IdleWatcher | None = None,
                 state: WindowState | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.db_path = db_path
        self.idle = idle
        self.state = state
        self._quitting = False
        self.setWindowTitle(f"{APP_NAME} — {ctx.actor.username} — {db_path.name}")

        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.dashboard_tab = DashboardTab(ctx)
        self.connections_tab = ConnectionsTab(ctx)
        self.triggers_tab = TriggersTab(ctx)
        self.groups_tab = GroupsTab(ctx)
        self.presets_tab = PresetsTab(ctx)
        self.ai_prefixes_tab = AiPrefixesTab(ctx)
        self.alarms_tab = AlarmsTab(ctx)
        self.schedules_tab = SchedulesTab(ctx)
        self.messages_tab = MessagesTab(ctx)
        self.contacts_tab = ContactsTab(ctx)
        self.users_tab = UsersTab(ctx)
        self.audit_tab = AuditTab(ctx)
        self.settings_tab = SettingsTab(ctx)
        self.simulator_tab = SimulatorTab(ctx)
        # The tabs in the order of a day's work, with Alarms and Schedules after AI Prefixes.
        # Each page's object name is how the saved window state knows it (not its title, which
        # a translation changes).
        for name, page, title in (
                ("dashboard", self.dashboard_tab, "Dashboard"),
                ("connections", self.connections_tab, "Connections"),
                ("triggers", self.triggers_tab, "Triggers"),
                ("groups", self.groups_tab, "Groups"),
                ("presets", self.presets_tab, "Presets"),
                ("ai_prefixes", self.ai_prefixes_tab, "AI Prefixes"),
                ("alarms", self.alarms_tab, "Alarms"),
                ("schedules", self.schedules_tab, "Schedules"),
                ("messages", self.messages_tab, "Messages"),
                ("contacts", self.contacts_tab, "Contacts"),
                ("users", self.users_tab, "Users"),
                ("audit", self.audit_tab, "Audit Log"),
                ("settings", self.settings_tab, "Settings"),
                ("simulator", self.simulator_tab, "Simulator")):
            page.setObjectName(name)
            self.tabs.addTab(page, title)

        self.lock_page = LockPage(ctx)
        self.lock_page.unlocked.connect(self._on_unlocked)
        self.lock_page.logout_requested.connect(self.logout_requested)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)

        self.status_text = QLabel()
        self.status_text.setObjectName("status_text")
        self.statusBar().addWidget(self.status_text, 1)
        who = QLabel(f"{ctx.actor.username} ({ctx.actor.role})")
        who.setObjectName("who")
        self.statusBar().addPermanentWidget(who)
        where = QLabel(str(db_path))
        where.setStyleSheet("color: #666;")
        self.statusBar().addPermanentWidget(where)
        self._build_menu()
        self._build_shortcuts()
        ctx.messages.listen(self.show_message)

        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(5000)
        self._idle_timer.timeout.connect(self.check_idle)
        self._idle_timer.start()
        self._placed = False
        self._asking: QMessageBox | None = None  # "Settings has unsaved changes", if open
        self._closing_anyway = False
        self.tabs.currentChanged.connect(self._tab_changed)
        self._current_page = self.tabs.currentWidget()
        if state is not None:
            state.restore_layout(self.tabs)

    # -- menu ---------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        export = QAction("Export configuration…", self)
        export.triggered.connect(self.export_config)
        imp = QAction("Import configuration…", self)
        imp.triggered.connect(self.import_config)
        imp.setEnabled(self.ctx.can(permissions.CONFIG_WRITE))
        lock = QAction("Lock", self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(lambda: self.lock(idle=False))
        logout = QAction("Log out", self)
        logout.triggered.connect(self._log_out)
        quit_ = QAction("Quit", self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        for item in (export, imp, None, lock, logout, None, quit_):
            if item is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(item)
        help_menu = self.menuBar().addMenu("&Help")
        moved = QAction("Move from the old system…", self)
        moved.triggered.connect(lambda: self.show_migration_summary())
        help_menu.addAction(moved)
        about = QAction("About", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def _build_shortcuts(self) -> None:
        """Tab switching and Ctrl+F wherever the focus is, a table included (a table keeps
        Ctrl+Tab and Ctrl+PgDn for itself otherwise)."""
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1),
                           ("Ctrl+Backtab", -1), ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda step=step: self.step_tab(step))
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WindowShortcut)
        find.activated.connect(self.focus_search)

    def step_tab(self, step: int) -> None:
        if not self.is_locked:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def focus_search(self) -> None:
        """The current tab's filter or search box (the first text field if it has none)."""
        page = self.tabs.currentWidget()
        if self.is_locked or page is None:
            return
        fields = [f for f in page.findChildren(QLineEdit) if f.isVisible() and f.isEnabled()]
        marked = [f for f in fields if f.property("find_field")]
        target = (marked or fields or [None])[0]
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
            target.selectAll()

    def show_message(self, level: str, text: str) -> None:
        colors = {"error": "#b00020", "warning": "#8a6d00"}
        self.status_text.setStyleSheet(f"color: {colors.get(level, '#1b5e20')};")
        self.status_text.setText(text)
        self.status_text.setToolTip(text)

    def show_migration_summary(self, backup_notice: str = "") -> None:
        """What came over from the old system and what still needs a person."""
        dialog = MigrationSummaryDialog(self.ctx, backup_notice, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.migration_summary = dialog

    def about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}",
                          f"{APP_NAME} {__version__}\nDatabase: {self.db_path}", parent=self)
        box.open()

    def export_config(self) -> None:
        dialog = QFileDialog(self, "Export configuration", str(Path.home() /
                                                               "wa-integration-config.json"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("JSON files (*.json)")
        dialog.fileSelected.connect(self._write_export)
        dialog.open()

    def _write_export(self, name: str) -> None:
        target = Path(name)
        try:
            text = json.dumps(config_io.export_config(), ensure_ascii=False, indent=2)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_text(text + "\n", "utf-8")
            os.replace(tmp, target)
        except OSError as exc:
            self.ctx.messages.error(f"Cannot write {target}: {exc.strerror}.")
            return
        self.ctx.messages.info(f"Configuration exported to {target} (passwords left out).")

    def import_config(self) -> None:
        dialog = QFileDialog(self, "Import configuration", str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter("JSON files (*.json)")
        dialog.fileSelected.connect(self._read_import)
        dialog.open()

    def _read_import(self, name: str) -> None:
        try:
            report = config_io.import_config(self.ctx.actor, config_io.read_file(name))
        except UserError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, "Import refused", str(exc).split("\n")[0],
                              parent=self)
            box.setDetailedText(str(exc))
            box.open()
            self.ctx.messages.error(str(exc).split("\n")[0])
            return
        self.ctx.messages.info("Imported: " + "; ".join(report.lines()))

    # -- idle lock ----------------------------------------------------------------------------
    def check_idle(self) -> None:
        minutes = settings.get("security", "idle_lock_minutes")
        if self.idle and minutes and self.idle.idle_seconds() >= minutes * 60 and \
                not self.is_locked:
            self.lock(idle=True)

    @property
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def lock(self, idle: bool = False) -> None:
        """Ctrl+L or File → Lock; `idle` when the idle time in Settings → Security ran out."""
        if self.is_locked:
            return
        self.lock_page.set_reason(idle)
        self.stack.setCurrentWidget(self.lock_page)
        self.menuBar().setEnabled(False)
        self.lock_page.form.password.clear()
        self.lock_page.form.show_error("")
        self.lock_page.form.password.setFocus()

    def _on_unlocked(self, session: auth.SessionInfo) -> None:
        self.ctx.session = session
        self.stack.setCurrentWidget(self.tabs)
        self.menuBar().setEnabled(True)
        if self.idle:
            self.idle.last_input = time.monotonic()

    def _log_out(self) -> None:
        if self.settings_tab.is_dirty():
            self._ask_about_settings(then=self._log_out_anyway)
        else:
            self.logout_requested.emit()

    def _log_out_anyway(self) -> None:
        self._closing_anyway = True
        self.logout_requested.emit()

    def _close_anyway(self) -> None:
        self._closing_anyway = True
        self.close()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._placed:  # where it was left, or fitted to this screen with its frame
            self._placed = True
            if self.state is not None:
                self.state.restore_place(self)
            else:
                fit_to_screen(self, *DEFAULT_SIZE)

    # -- unsaved settings -----------------------------------------------------------------------
    def _tab_changed(self, _index: int) -> None:
        left, self._current_page = self._current_page, self.tabs.currentWidget()
        if left is self.settings_tab and self.settings_tab.is_dirty():
            self._ask_about_settings(then=None)

    def _ask_about_settings(self, then) -> None:
        """Save, discard or go back to the edited Settings; `then` runs unless the user goes
        back (or the save is refused, which leaves the reason showing in Settings)."""
        if self._asking is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved settings",
                          "Settings has changes that are not saved.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Cancel).setText("Back to Settings")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setObjectName("unsaved_settings")
        self._asking = box

        def answered(result: int) -> None:
            self._asking = None
            box.setObjectName("")  # answered: the next question is a new box
            box.deleteLater()
            if result == QMessageBox.StandardButton.Save:
                self.settings_tab.save()
            elif result == QMessageBox.StandardButton.Discard:
                self.settings_tab.load()
            if self.settings_tab.is_dirty():  # went back, or the save was refused
                self.tabs.setCurrentWidget(self.settings_tab)
            elif then is not None:
                QTimer.singleShot(0, then)  # once the question has gone

        box.finished.connect(answered)
        box.open()

    # -- closing ------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        if not self._closing_anyway and not self.is_locked and self.settings_tab.is_dirty():
            event.ignore()
            self._ask_about_settings(then=self._close_anyway)
            return
        self._idle_timer.stop()
        if self.state is not None:
            self.state.remember_window(self, self.tabs)
            self.state.save()
        self.closed.emit()
        super().closeEvent(event)


def focus_window(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.processEvents()
