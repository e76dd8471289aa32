"""The desktop comes back as it was left: size and place, last tab, splitters, column widths,
and the log-in offers the last user name."""

from __future__ import annotations

import json
import stat

import pytest
from PySide6.QtWidgets import QApplication, QTableView

from app.ui.dialogs.login import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.runner import AsyncRunner
from app.ui.window_state import FILE_NAME, WindowState

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def _open(ui_ctx, db, qtbot) -> MainWindow:
    window = MainWindow(ui_ctx, db.path, state=WindowState.beside(db.path))
    qtbot.addWidget(window)
    window.show()
    QApplication.processEvents()
    return window


async def test_size_tab_splitter_and_columns_survive_a_restart(ui_ctx, db, qtbot):
    window = _open(ui_ctx, db, qtbot)
    window.setGeometry(60, 40, 1000, 600)
    window.tabs.setCurrentWidget(window.alarms_tab)
    triggers = window.triggers_tab
    triggers.split.setSizes([150, 350])
    wanted_split = triggers.split.sizes()
    header = window.messages_tab.findChildren(QTableView)[0].horizontalHeader()
    header.resizeSection(0, 211)
    QApplication.processEvents()
    window.close()

    saved = db.path.with_name(FILE_NAME)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600  # it names the last user
    again = _open(ui_ctx, db, qtbot)
    assert again.geometry().getRect() == (60, 40, 1000, 600)
    assert again.tabs.currentWidget() is again.alarms_tab
    assert again.triggers_tab.split.sizes() == wanted_split
    header = again.messages_tab.findChildren(QTableView)[0].horizontalHeader()
    assert header.sectionSize(0) == 211
    again.close()


async def test_first_start_fits_the_screen_and_a_damaged_file_is_a_first_start(
        ui_ctx, db, qtbot):
    db.path.with_name(FILE_NAME).write_text("{not json", "utf-8")
    window = _open(ui_ctx, db, qtbot)
    free = window.screen().availableGeometry()
    assert free.contains(window.frameGeometry()), (free, window.frameGeometry())
    assert window.tabs.currentWidget() is window.dashboard_tab
    window.close()
    # Closing wrote a good file over the damaged one.
    assert "geometry" in json.loads(db.path.with_name(FILE_NAME).read_text("utf-8"))


async def test_the_login_offers_the_last_user_name(db, qtbot):
    state = WindowState.beside(db.path)
    state.last_user = "budi"
    state.save()
    dialog = LoginDialog(AsyncRunner(), first_run=False,
                         last_user=WindowState.beside(db.path).last_user)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    QApplication.processEvents()
    assert dialog.form.username.text() == "budi"
    assert dialog.focusWidget() is dialog.form.password  # the cursor waits for the password
    dialog.close()
    blank = LoginDialog(AsyncRunner(), first_run=False)
    qtbot.addWidget(blank)
    assert blank.form.username.text() == ""
    assert blank.focusWidget() is blank.form.username


async def test_tab_keys_and_ctrl_f_work_while_a_table_has_the_focus(ui_ctx, db, qtbot):
    from PySide6.QtCore import Qt

    window = _open(ui_ctx, db, qtbot)
    window.activateWindow()
    window.tabs.setCurrentWidget(window.triggers_tab)
    table = window.triggers_tab.table.view
    table.setFocus()
    QApplication.processEvents()
    qtbot.keyClick(table, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.groups_tab
    qtbot.keyClick(window.groups_tab.table.view, Qt.Key.Key_Tab,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.presets_tab
    qtbot.keyClick(window.presets_tab.table.view, Qt.Key.Key_PageUp,
                   Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.groups_tab
    view = window.groups_tab.table.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.groups_tab.table.filter.hasFocus(), "Ctrl+F goes to the tab's filter"
    window.close()
