"""Main window: the tabs, the status bar, the File menu and the idle lock."""

from __future__ import annotations

import gc
import json
import logging
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
from app.ui import off_loop
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

log = logging.getLogger(__name__)
BUILD_GAP_MS = 30  # between two tabs built in the background: the loop breathes
BUILD_WAIT_TURNS = 40  # at most this many gaps waited for views reading, then built anyway


class LockPage(QWidget):
    unlocked = Signal(object)
    logout_requested = Signal()

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = LoginForm(first_run=False, fixed_username=ctx.actor.username)
        self.form.setMaximumWidth(420)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        logout = QPushButton(self.tr("Log out"))
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
        why = (self.tr("The window was locked after a time without use.") if idle else
               self.tr("The window was locked."))
        self.title.setText(self.tr("<h2>Locked</h2><p>{why} Type the password of "
                                   "<b>{name}</b> to go on.</p>").format(
                                       why=why, name=self.ctx.actor.username))

    def submit(self) -> None:
        password = self.form.password.text()
        if not password:
            self.form.show_error(self.tr("Type your password."))
            return
        self.form.show_error("")

        def failed(exc: BaseException) -> None:
            self.form.password.clear()
            self.form.show_error(describe(exc))

        self.ctx.runner.run(check_login(self.ctx.actor.username, password),
                            self.unlocked.emit, failed, key="unlock", control=self.unlock_button)


class TabHolder(QWidget):
    """A tab's place in the tab bar; the tab itself is put in it when it is built."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.page: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    def hold(self, page: QWidget) -> None:
        self.page = page
        self.layout().addWidget(page)
        if self.isVisible():  # a child added to a shown widget is shown by hand
            page.show()


class LazyTabs(QTabWidget):
    """The window's tabs, each page a TabHolder; asked from Python for a page, it answers
    with the tab itself once built (the holder before), and takes a tab where a holder is
    wanted, so that callers see the tabs as if each were the page."""

    def holder(self, name: str) -> TabHolder:
        return next(super(LazyTabs, self).widget(i) for i in range(self.count())
                    if super(LazyTabs, self).widget(i).objectName() == name)

    def _holder_of(self, page: QWidget | None) -> QWidget | None:
        parent = page.parentWidget() if page is not None else None
        return parent if isinstance(parent, TabHolder) and parent.page is page else page

    def widget(self, index: int) -> QWidget | None:
        found = super().widget(index)
        return found.page or found if isinstance(found, TabHolder) else found

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - Qt's name
        return self.widget(self.currentIndex())

    def indexOf(self, page: QWidget) -> int:  # noqa: N802 - Qt's name
        return super().indexOf(self._holder_of(page))

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt's name
        super().setCurrentWidget(self._holder_of(page))


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

        self.tabs = LazyTabs()
        self.tabs.setObjectName("tabs")
        # The tabs in the order of a day's work, with Alarms and Schedules after AI Prefixes.
        # Each page's object name is how the saved window state knows it (not its title, which
        # a translation changes). A tab is built when it is first shown or asked for, the
        # others one at a time in later turns of the loop once the window is up: built all
        # at once they held the window half a second before it could be used.
        self._pages: dict[str, tuple[type[QWidget], str]] = {
            "dashboard": (DashboardTab, self.tr("Dashboard")),
            "connections": (ConnectionsTab, self.tr("Connections")),
            "triggers": (TriggersTab, self.tr("Triggers")),
            "groups": (GroupsTab, self.tr("Groups")),
            "presets": (PresetsTab, self.tr("Presets")),
            "ai_prefixes": (AiPrefixesTab, self.tr("AI Prefixes")),
            "alarms": (AlarmsTab, self.tr("Alarms")),
            "schedules": (SchedulesTab, self.tr("Schedules")),
            "messages": (MessagesTab, self.tr("Messages")),
            "contacts": (ContactsTab, self.tr("Contacts")),
            "users": (UsersTab, self.tr("Users")),
            "audit": (AuditTab, self.tr("Audit Log")),
            "settings": (SettingsTab, self.tr("Settings")),
            "simulator": (SimulatorTab, self.tr("Simulator"))}
        self._built: dict[str, QWidget] = {}
        self._build_waits = 0
        self._frozen = False
        for name, (_page, title) in self._pages.items():
            self.tabs.addTab(TabHolder(name), title)
        self._building = QTimer(self)
        self._building.setSingleShot(True)
        self._building.setInterval(BUILD_GAP_MS)
        self._building.timeout.connect(self._build_next)

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
        who = QLabel(f"{ctx.actor.username} ({UsersTab.role_word(ctx.actor.role)})")
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
        if state is not None:
            state.restore_layout(self.tabs)
        self.page(self.tabs.currentWidget().objectName())  # the tab the window opens on
        self.tabs.currentChanged.connect(self._tab_changed)
        self._current_page = self.tabs.currentWidget()

    # -- the tabs, each built when first needed ---------------------------------------------
    def page(self, name: str) -> QWidget:
        """The tab called `name` (its object name), built now if it was not yet."""
        built = self._built.get(name)
        if built is not None:
            return built
        started = time.perf_counter()
        kind = self._pages[name][0]
        # A long list is filled off the loop, its rows shown when read.
        page = kind(self.ctx, fill_later=True) if getattr(kind, "read_off_loop", False) \
            else kind(self.ctx)
        page.setObjectName(name)
        self.tabs.holder(name).hold(page)
        self._built[name] = page
        if self.state is not None:
            self.state.restore_page(name, page)
        # What a tab builds lives as long as the window (as application.run does for what
        # start-up made): the garbage collector stops walking it in every full collection,
        # 35-70 ms each once the tabs are built, the window held meanwhile. Given back when
        # the window closes (with what start-up froze; the next window freezes it again).
        self._frozen = True
        gc.freeze()
        log.debug("Built the %s tab in %.0f ms", name, (time.perf_counter() - started) * 1000)
        return page

    def _build_next(self) -> None:
        """One tab not built yet, in the tabs' order; the next in a later turn. While a view
        reads off the loop the building waits (both are Python and would share its lock)."""
        if off_loop.reading() and self._build_waits < BUILD_WAIT_TURNS:
            self._build_waits += 1
            self._building.start()
            return
        self._build_waits = 0
        waiting = [name for name in self._pages if name not in self._built]
        if waiting:
            self.page(waiting[0])
        if len(waiting) > 1:
            self._building.start()

    @property
    def all_built(self) -> bool:
        return len(self._built) == len(self._pages)

    dashboard_tab = property(lambda self: self.page("dashboard"))
    connections_tab = property(lambda self: self.page("connections"))
    triggers_tab = property(lambda self: self.page("triggers"))
    groups_tab = property(lambda self: self.page("groups"))
    presets_tab = property(lambda self: self.page("presets"))
    ai_prefixes_tab = property(lambda self: self.page("ai_prefixes"))
    alarms_tab = property(lambda self: self.page("alarms"))
    schedules_tab = property(lambda self: self.page("schedules"))
    messages_tab = property(lambda self: self.page("messages"))
    contacts_tab = property(lambda self: self.page("contacts"))
    users_tab = property(lambda self: self.page("users"))
    audit_tab = property(lambda self: self.page("audit"))
    settings_tab = property(lambda self: self.page("settings"))
    simulator_tab = property(lambda self: self.page("simulator"))

    def _settings_dirty(self) -> bool:
        """Settings has unsaved edits (a Settings tab not built yet has none)."""
        built = self._built.get("settings")
        return built is not None and built.is_dirty()

    # -- menu ---------------------------------------------------------------------------------
    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        export = QAction(self.tr("Export configuration…"), self)
        export.triggered.connect(self.export_config)
        imp = QAction(self.tr("Import configuration…"), self)
        imp.triggered.connect(self.import_config)
        imp.setEnabled(self.ctx.can(permissions.CONFIG_WRITE))
        lock = QAction(self.tr("Lock"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(lambda: self.lock(idle=False))
        logout = QAction(self.tr("Log out"), self)
        logout.triggered.connect(self._log_out)
        quit_ = QAction(self.tr("Quit"), self)
        quit_.setShortcut(QKeySequence.StandardKey.Quit)
        quit_.triggered.connect(self.close)
        for item in (export, imp, None, lock, logout, None, quit_):
            if item is None:
                file_menu.addSeparator()
            else:
                file_menu.addAction(item)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        moved = QAction(self.tr("Move from the old system…"), self)
        moved.triggered.connect(lambda: self.show_migration_summary())
        help_menu.addAction(moved)
        about = QAction(self.tr("About"), self)
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
        box = QMessageBox(QMessageBox.Icon.Information,
                          self.tr("About {app}").format(app=APP_NAME),
                          self.tr("{app} {version}\nDatabase: {path}").format(
                              app=APP_NAME, version=__version__, path=self.db_path), parent=self)
        box.open()

    def export_config(self) -> None:
        dialog = QFileDialog(self, self.tr("Export configuration"),
                             str(Path.home() / "wa-integration-config.json"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("JSON files (*.json)"))
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
            self.ctx.messages.error(self.tr("Cannot write {path}: {reason}.").format(
                path=target, reason=exc.strerror))
            return
        self.ctx.messages.info(self.tr("Configuration exported to {path} (passwords left "
                                       "out).").format(path=target))

    def import_config(self) -> None:
        dialog = QFileDialog(self, self.tr("Import configuration"), str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(self.tr("JSON files (*.json)"))
        dialog.fileSelected.connect(self._read_import)
        dialog.open()

    def _read_import(self, name: str) -> None:
        try:
            report = config_io.import_config(self.ctx.actor, config_io.read_file(name))
        except UserError as exc:
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Import refused"),
                              str(exc).split("\n")[0],
                              parent=self)
            box.setDetailedText(str(exc))
            box.open()
            self.ctx.messages.error(str(exc).split("\n")[0])
            return
        self.ctx.messages.info(self.tr("Imported: {report}").format(
            report="; ".join(report.lines())))


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
        if self._settings_dirty():
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
            self._build_waits = 0
            self._building.start()  # the other tabs, one a turn, once this one is up

    # -- unsaved settings -----------------------------------------------------------------------
    def _tab_changed(self, _index: int) -> None:
        shown = self.tabs.currentWidget()
        if shown is not None and shown.objectName() not in self._built:
            shown = self.page(shown.objectName())  # first shown: built and filled now
        left, self._current_page = self._current_page, shown
        if left is self._built.get("settings") and self._settings_dirty():
            self._ask_about_settings(then=None)

    def _ask_about_settings(self, then) -> None:
        """Save, discard or go back to the edited Settings; `then` runs unless the user goes
        back (or the save is refused, which leaves the reason showing in Settings)."""
        if self._asking is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved settings"),
                          self.tr("Settings has changes that are not saved."),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Back to Settings"))
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
        if not self._closing_anyway and not self.is_locked and self._settings_dirty():
            event.ignore()
            self._ask_about_settings(then=self._close_anyway)
            return
        self._idle_timer.stop()
        self._building.stop()
        if self._frozen:
            self._frozen = False
            gc.unfreeze()  # the window's objects are collected again once it is gone
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
