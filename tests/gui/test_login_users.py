"""The desktop flow a new site goes through: first admin, a new user, the audit trail, the lock."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QPushButton

from app.runtime.source_pool import SourcePool
from app.services import auth, settings, users
from app.ui.context import UiContext
from app.ui.dialogs.login import LoginDialog
from app.ui.dialogs.user_dialog import UserDialog
from app.ui.main_window import IdleWatcher, MainWindow
from app.ui.message_bridge import MessageBridge
from app.ui.runner import AsyncRunner
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def column_values(model, key: str) -> list:
    return [model.index(r, 0).data(ROW_ROLE)[key] for r in range(model.rowCount())]


async def test_first_run_creates_admin_then_user_shows_in_users_and_audit(db, qtbot, tmp_path):
    runner = AsyncRunner()
    dialog = LoginDialog(runner, first_run=True)
    qtbot.addWidget(dialog)
    sessions = []
    dialog.authenticated.connect(sessions.append)
    dialog.show()

    # Mismatched passwords are refused in the form, with nothing written.
    qtbot.keyClicks(dialog.form.username, "chief")
    qtbot.keyClicks(dialog.form.full_name, "Chief Engineer")
    qtbot.keyClicks(dialog.form.password, "control-room-1")
    qtbot.keyClicks(dialog.form.confirm, "control-room-2")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error.text() == "The two passwords differ."
    assert not auth.has_users()

    dialog.form.confirm.clear()
    qtbot.keyClicks(dialog.form.confirm, "control-room-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    # The few seconds of password hashing are said, not just a greyed button.
    assert dialog.form.error.text().startswith("Creating the administrator account")
    assert not dialog.ok_button.isEnabled()
    await until(lambda: sessions, what="first admin login")
    session = sessions[0]
    assert session.actor.role == "admin"

    ctx = UiContext(session, runner, MessageBridge(), SourcePool())
    window = MainWindow(ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    tab = window.users_tab
    assert column_values(tab.model, "username") == ["chief"]

    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.findChildren(UserDialog)[-1]
    qtbot.keyClicks(form.username, "budi")
    qtbot.keyClicks(form.full_name, "Budi Santoso")
    qtbot.keyClicks(form.email, "budi@plant.example")
    form.role.setCurrentIndex(form.role.findData("viewer"))
    qtbot.keyClicks(form.password, "shift-b-2025")
    qtbot.keyClicks(form.confirm, "shift-b-2025")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: "budi" in column_values(tab.model, "username"), what="budi in Users")
    budi = next(u for u in users.list_users() if u["username"] == "budi")
    assert (budi["role"], budi["full_name"], budi["email"]) == (
        "viewer", "Budi Santoso", "budi@plant.example")
    # The row appears on the change notice; the status text comes in the save's own callback,
    # which may run later. (qtbot.waitUntil would spin a nested Qt loop that does not run
    # that callback on the qasync loop: wait by yielding to the loop instead.)
    await until(lambda: "budi" in window.status_text.text(), what="status text about budi")
    assert window.status_text.text() == "User budi created (viewer)."

    window.tabs.setCurrentWidget(window.audit_tab)
    await until(lambda: "user_created" in column_values(window.audit_tab.model, "action"),
                what="audit row")
    rows = [window.audit_tab.model.index(r, 0).data(ROW_ROLE)
            for r in range(window.audit_tab.model.rowCount())]
    created = [r for r in rows if r["action"] == "user_created" and "budi" in r["details"]]
    assert created and created[0]["username"] == "chief"
    assert "shift-b-2025" not in "".join(r["details"] for r in rows)
    # Audit entries are read only: the table offers no editing.
    index = window.audit_tab.model.index(0, 3)
    assert not (window.audit_tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable)

    # The new user can log in with the password set in the dialog.
    assert auth.login("budi", "shift-b-2025").actor.role == "viewer"


async def test_fifth_wrong_password_locks_in_the_same_words_as_a_wrong_one(db, admin, qtbot):
    dialog = LoginDialog(AsyncRunner(), first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(5):
        dialog.form.username.setText("admin")
        dialog.form.password.setText(f"wrong-{attempt}")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        await until(lambda: dialog.ok_button.isEnabled() and dialog.form.error.isVisible(),
                    what="refusal")
        assert dialog.form.error.text() == auth.REFUSED  # the same for every wrong try
    dialog.form.password.setText("admin-pass-1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.ok_button.isEnabled(), what="refusal while locked")
    assert dialog.form.error.text() == auth.REFUSED
    assert dialog.isVisible()


async def test_viewer_sees_tabs_but_cannot_change_anything(db, admin, qtbot):
    users.create_user(admin, "watcher", "watch-only-1", role="viewer")
    session = auth.login("watcher", "watch-only-1")
    window = MainWindow(UiContext(session, AsyncRunner(), MessageBridge(), SourcePool()), db.path)
    qtbot.addWidget(window)
    window.show()
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == ["Dashboard", "Connections", "Triggers", "Groups", "Presets", "AI Prefixes",
                      "Alarms", "Schedules", "Messages", "Contacts", "Users", "Audit Log",
                      "Settings", "Simulator"]
    tab = window.users_tab
    tab.table.view.selectRow(0)
    buttons = [b for b in tab.findChildren(QPushButton)]
    assert buttons and not any(b.isEnabled() for b in buttons)
    assert not window.settings_tab.save_button.isEnabled()


async def test_idle_window_locks_and_unlocks_with_password(db, admin, qtbot):
    settings.update(admin, {"security": {"idle_lock_minutes": 1}})
    session = auth.login("admin", "admin-pass-1")
    idle = IdleWatcher()
    ctx = UiContext(session, AsyncRunner(), MessageBridge(), SourcePool())
    window = MainWindow(ctx, db.path, idle)
    qtbot.addWidget(window)
    window.show()
    window.check_idle()
    assert not window.is_locked
    idle.last_input = time.monotonic() - 61
    window.check_idle()
    assert window.is_locked
    assert window.stack.currentWidget() is window.lock_page  # the data is hidden
    assert "after a time without use" in window.lock_page.title.text()

    page = window.lock_page
    page.form.password.setText("not-it")
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    await until(lambda: page.form.error.isVisible(), what="unlock refusal")
    assert window.is_locked
    page.form.password.setText("admin-pass-1")
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    await until(lambda: not window.is_locked, what="unlock")
    assert window.stack.currentWidget() is window.tabs

    # Locked by hand (File → Lock, Ctrl+L), it does not claim the user was away.
    lock_action = next(a for a in window.menuBar().actions()[0].menu().actions()
                       if a.text() == "Lock")
    lock_action.trigger()
    assert window.is_locked
    assert "The window was locked." in page.title.text()
    assert "without use" not in page.title.text()


async def test_table_models_pass_the_qt_model_tester(db, admin, qtmodeltester):
    from app.services import audit

    for i in range(450):
        audit.record(admin, "trigger_updated", {"n": i})
    ctx = UiContext(auth.login("admin", "admin-pass-1"), AsyncRunner(), MessageBridge(),
                    SourcePool())
    from app.ui.tabs.audit_tab import AuditTab
    from app.ui.tabs.users_tab import UsersTab

    audit_tab = AuditTab(ctx)
    model = audit_tab.model
    assert model.rowCount() == 200  # first page only
    assert model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 452  # 450 entries, the admin's creation and two logins
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(UsersTab(ctx).model)
