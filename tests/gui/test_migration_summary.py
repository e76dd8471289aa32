"""The migration summary as an engineer uses it after the move: the old waiting messages held
until sent or discarded, an old trigger finished in the editor with its old settings filled in,
and the summary reachable from the Help menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.db.database import close_database, open_database
from app.db.models import OutgoingMessage
from app.runtime.source_pool import SourcePool
from app.services import auth
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.migration_summary import MigrationSummaryDialog
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.main_window import MainWindow
from app.ui.message_bridge import MessageBridge
from app.ui.runner import AsyncRunner
from tests.helpers.waiting import until
from tests.legacy_db import (
    DRUM_LEVEL_TRIGGER_ID,
    LEGACY_PASSWORDS,
    LEGACY_PI_SOURCE_ID,
    add_drum_level_without_source,
    build_legacy_db,
)

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


@pytest.fixture
def moved_ctx(tmp_path, data_dir, qapp):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    add_drum_level_without_source(old)
    opened = open_database(old, data_dir / "backups")
    session = auth.login("admin", LEGACY_PASSWORDS["admin"])
    yield UiContext(session, AsyncRunner(), MessageBridge(), SourcePool()), opened
    close_database(opened.db)


async def test_old_messages_are_sent_or_discarded_from_the_summary(moved_ctx, qtbot):
    ctx, opened = moved_ctx
    dialog = MigrationSummaryDialog(ctx, opened.backup_notice)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = " ".join(label.text() for label in dialog.body.findChildren(QLabel))
    assert "Pengingat: rapat jam 10." in shown and "nothing goes out" in shown
    assert "the old system said “connected” on" in shown  # not passed off as this app's test
    assert "@c.us" not in shown, "people are shown by name and number"
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.found.held == [] and dialog.held_box is None, "the list shows what is left"
    row = OutgoingMessage.get(OutgoingMessage.message == "Pengingat: rapat jam 10.")
    assert row.status == "failed" and row.cancelled_by == "admin"


async def test_an_old_trigger_is_finished_in_the_editor_with_its_old_settings(moved_ctx,
                                                                              qtbot):
    ctx, opened = moved_ctx
    dialog = MigrationSummaryDialog(ctx, opened.backup_notice)
    qtbot.addWidget(dialog)
    dialog.show()
    items = [dialog.finish_list.item(i) for i in range(dialog.finish_list.count())]
    drum = next(i for i in items if i.text().startswith("Drum Level"))
    assert "BOILER1.DRUM.LEVEL" in drum.text() and "1m" in drum.text()
    dialog.finish_list.setCurrentItem(drum)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    editor = dialog.findChildren(TriggerDialog)[-1]
    assert editor.connection.currentData() == LEGACY_PI_SOURCE_ID
    assert [editor.tags.item(i).text() for i in range(editor.tags.count())] == [
        "BOILER1.DRUM.LEVEL"]
    assert (editor.start.text(), editor.end.text()) == ("*-1h", "*")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: not editor.isVisible(), what="the trigger saved")
    saved = trigger_service.get_trigger(DRUM_LEVEL_TRIGGER_ID)
    assert saved["type"] == "pi" and saved["setup_missing"] == [] and saved["active"]
    assert "Drum Level" not in [t.name for t in dialog.found.to_finish]


async def test_the_help_menu_opens_the_summary(moved_ctx, qtbot):
    ctx, opened = moved_ctx
    window = MainWindow(ctx, opened.path)
    qtbot.addWidget(window)
    window.show()
    help_menu = window.menuBar().actions()[1].menu()
    next(a for a in help_menu.actions() if a.text().startswith("Move from")).trigger()
    assert window.findChild(MigrationSummaryDialog).isVisible()


async def test_the_triggers_list_says_why_an_old_composite_is_there_twice(moved_ctx, qtbot):
    from app.ui.tabs.triggers_tab import TriggersTab
    from app.ui.widgets.table_model import ROW_ROLE

    ctx, _opened = moved_ctx
    tab = TriggersTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1260, 600)
    tab.show()
    model = tab.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    setup = titles.index("Setup")
    shown = {model.index(r, 0).data(ROW_ROLE)["name"]: model.index(r, setup).data()
             for r in range(model.rowCount())}
    assert shown["laporan pagi"] == "Now a group"
    assert shown["Drum Level"] == "Finish setup"
    assert shown["Tekanan Drum"] == "Converted: check it"
    view = tab.table.view
    right = view.columnViewportPosition(setup) + view.columnWidth(setup)
    assert right <= view.viewport().width() + 1, "the Setup column is in view, not cut off"
