"""Every window and dialog on a 1280×720 screen (the tests' screen, tests/conftest.py): each
opens inside the screen's free area, and every button it has lies inside it, Save and Cancel
included, so nothing needs a bigger monitor."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication

from app.services import sources, users
from app.ui.dialogs.contact_dialog import ContactDialog
from app.ui.dialogs.login import LoginDialog
from app.ui.dialogs.migration_summary import MigrationSummaryDialog
from app.ui.dialogs.query_dialog import QueryDialog
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.dialogs.user_dialog import PasswordDialog
from app.ui.main_window import MainWindow
from app.ui.runner import AsyncRunner
from tests.helpers.forms import FORMS

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def _demo(ctx) -> dict:
    return sources.find_by_name("demo")


def _contact(ctx) -> dict:
    return {"id": "6281234567890@c.us", "name": "Budi", "phone": "+6281234567890",
            "tags": ["ops"], "allowed": True, "blocked": False, "waiting": False,
            "kind": "person", "display_name": "Budi"}


DIALOGS = {
    "log-in": lambda ctx: LoginDialog(AsyncRunner(), first_run=False),
    "first log-in": lambda ctx: LoginDialog(AsyncRunner(), first_run=True),
    **FORMS,
    "password": lambda ctx: PasswordDialog("admin"),
    "contact": lambda ctx: ContactDialog(_contact(ctx)),
    "query": lambda ctx: QueryDialog(ctx, _demo(ctx)),
    "tag browser": lambda ctx: TagBrowserDialog(ctx, _demo(ctx)),
    "migration summary": lambda ctx: MigrationSummaryDialog(ctx),
}


def _outside(widget, free: QRect) -> list[str]:
    """The buttons of `widget` shown at least partly outside `free`, by their text. A button
    inside a scroll area counts by its part in view (the rest scrolls into view)."""
    found = []
    for button in widget.findChildren(QAbstractButton):
        if not button.isVisible():
            continue
        seen = button.visibleRegion().boundingRect()
        if seen.isEmpty():
            continue
        rect = QRect(button.mapToGlobal(seen.topLeft()), seen.size())
        if not free.contains(rect):
            found.append(f"{button.text() or button.objectName()} at {rect.getRect()}")
    return found


@pytest.mark.parametrize("name", list(DIALOGS))
async def test_every_dialog_and_its_buttons_fit_a_1280x720_screen(ui_ctx, qtbot, name):
    dialog = DIALOGS[name](ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    free = dialog.screen().availableGeometry()
    assert (free.width(), free.height()) == (1280, 720), "the tests' screen is 1280×720"
    assert free.contains(dialog.frameGeometry()), (name, dialog.frameGeometry().getRect())
    assert _outside(dialog, free) == [], name
    dialog.hide()


async def test_the_main_window_and_its_status_bar_fit(ui_ctx, qtbot, db):
    users.create_user(ui_ctx.actor, "budi", "shift-b-2025", role="viewer")
    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    free = window.screen().availableGeometry()
    assert free.contains(window.frameGeometry()), window.frameGeometry().getRect()
    bar = window.statusBar()
    assert free.contains(QRect(bar.mapToGlobal(QPoint(0, 0)), bar.size()))
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert _outside(window, free) == [], window.tabs.tabText(index)
