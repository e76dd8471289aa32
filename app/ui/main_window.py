"""Main window: the tabs, the status bar, the File menu and the idle lock."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
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
        title = QLabel(f"<h2>Locked</h2><p>The window was locked after a time without use. "
                       f"Type the password of <b>{ctx.actor.username}</b> to go on.</p>")
        title.setWordWrap(True)
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

    def __init__(self, ctx: UiContext, db_path: Path, idle: IdleWatcher | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.db_path = db_path
        self.idle = idle
        self._quitting = False
        self.setWindowTitle(f"{APP_NAME} — {ctx.actor.username} — {db_path.name}")
        self.resize(1180, 720)

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
        self.tabs.addTab(self.dashboard_tab, "Dashboard")
        self.tabs.addTab(self.connections_tab, "Connections")
        self.tabs.addTab(self.triggers_tab, "Triggers")
        self.tabs.addTab(self.groups_tab, "Groups")
        self.tabs.addTab(self.presets_tab, "Presets")
        self.tabs.addTab(self.ai_prefixes_tab, "AI Prefixes")
        self.tabs.addTab(self.alarms_tab, "Alarms")
        self.tabs.addTab(self.schedules_tab, "Schedules")
        self.tabs.addTab(self.messages_tab, "Messages")
        self.tabs.addTab(self.contacts_tab, "Contacts")
        self.tabs.addTab(self.users_tab, "Users")
        self.tabs.addTab(self.audit_tab, "Audit Log")
        self.tabs.addTab(self.settings_tab, "Settings")
        self.tabs.addTab(self.simulator_tab, "Simulator")

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
        ctx.messages.listen(self.show_message)

        self._idle_timer = QTimer(self)
        self._idle_timer.setInterval(5000)
        self._idle_timer.timeout.connect(self.check_idle)
        self._idle_timer.start()

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
        lock.triggered.connect(self.lock)
        logout = QAction("Log out", self)
        logout.triggered.connect(self.logout_requested)
        quit_ = QAction("Quit", self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        for item in (export, imp, None, lock, logout, None, quit_):
            if item is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(item)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("About", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

    def show_message(self, level: str, text: str) -> None:
        colors = {"error": "#b00020", "warning": "#8a6d00"}
        self.status_text.setStyleSheet(f"color: {colors.get(level, '#1b5e20')};")
        self.status_text.setText(text)
        self.status_text.setToolTip(text)

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
            self.lock()

    @property
    def is_locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_page

    def lock(self) -> None:
        if self.is_locked:
            return
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

    # -- closing ------------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._idle_timer.stop()
        self.closed.emit()
        super().closeEvent(event)


def focus_window(window: QWidget) -> None:
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.processEvents()
