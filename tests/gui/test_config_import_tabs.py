"""File → Import configuration: every list tab shows the imported rows without a refresh, and
change notices from another thread reach the widgets on the GUI thread."""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QFileDialog, QWidget

from app.services import events
from app.ui.main_window import MainWindow
from app.ui.widgets.common import follow
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

CONFIG = {
    "version": 1,
    "data_sources": [{"name": "Plant demo", "plugin": "demo", "config": {}}],
    "triggers": [{"name": "drumlevel", "type": "pi", "data_source": "Plant demo",
                  "config": {"tags": ["DEMO.DRUM.LEVEL"]}},
                 {"name": "shiftinfo", "type": "text", "config": {"text": "Ext. 1234"}}],
    "trigger_groups": [{"name": "boilerround", "members": ["shiftinfo", "drumlevel"]}],
    "query_presets": [{"name": "labresults", "query_template": "SELECT * FROM lab"}],
    "ai_triggers": [{"prefix": "tanya:", "name": "Plant assistant"}],
    "contacts": [{"name": "Budi Santoso", "phone": "+6281234567890", "allowed": True}],
}
# The tab, and the text of the imported row it must show.
EXPECTED = {"Connections": "Plant demo", "Triggers": "drumlevel", "Groups": "boilerround",
            "Presets": "labresults", "AI Prefixes": "tanya:", "Contacts": "Budi Santoso"}


def shown_texts(page: QWidget) -> set[str]:
    """Every cell text of every list on a tab page."""
    texts = set()
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                if value is not None:
                    texts.add(str(value))
    return texts


def shows(page: QWidget, text: str) -> bool:
    return any(text in cell for cell in shown_texts(page))


def page_called(window: MainWindow, label: str) -> QWidget:
    tabs = window.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == label)
    return tabs.widget(index)


def menu_action(window: MainWindow, text: str):
    for menu in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu())):
        for action in menu.actions():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu entry {text!r}")


@pytest.fixture
def chosen_file(monkeypatch, tmp_path):
    """The file dialog answers with the configuration file, as if the user had picked it."""
    path = tmp_path / "plant.json"
    path.write_text(json.dumps(CONFIG), "utf-8")

    def open_(dialog) -> None:
        dialog.fileSelected.emit(str(path))

    monkeypatch.setattr(QFileDialog, "open", open_)
    monkeypatch.setattr(QFileDialog, "exec", lambda dialog: open_(dialog) or 1)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "JSON files (*.json)")))
    return path


async def test_importing_a_configuration_shows_the_new_rows_in_every_tab(
        ui_ctx, db, qtbot, chosen_file):
    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    for label, text in EXPECTED.items():
        window.tabs.setCurrentWidget(page_called(window, label))
        assert not shows(page_called(window, label), text), label

    window.tabs.setCurrentWidget(page_called(window, "Dashboard"))
    menu_action(window, "Import configuration…").trigger()

    for label, text in EXPECTED.items():
        page = page_called(window, label)
        window.tabs.setCurrentWidget(page)  # looking at the tab, as the user would
        await until(lambda page=page, text=text: shows(page, text), timeout=3,
                    what=f"{text} in {label}")


async def test_a_change_committed_on_another_thread_is_shown_on_the_gui_thread(qtbot, db):
    widget = QWidget()
    qtbot.addWidget(widget)
    heard_on: list[threading.Thread] = []
    follow(widget, ("triggers",), lambda: heard_on.append(threading.current_thread()))

    worker = threading.Thread(target=events.changed, args=("triggers",))
    worker.start()
    worker.join()
    await until(lambda: heard_on, what="the notice")
    assert heard_on == [threading.main_thread()]

    events.changed("triggers")  # from the GUI thread: at once
    assert heard_on == [threading.main_thread()] * 2
