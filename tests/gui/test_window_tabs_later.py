"""The main window opens on one tab and builds the others later: a tab not built yet is built
and filled when the user switches to it, and a long list read off the loop keeps its
selection and its order when the bot changes it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import contacts
from app.ui.main_window import MainWindow
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

PEOPLE = ("Sari", "Budi", "Agus", "Dewi")


def add_people(actor) -> None:
    for n, name in enumerate(PEOPLE):
        contacts.add(actor, f"+6281234567{n:03d}", name, ["ops"])


def names(tab) -> list[str]:
    """The names in the Contacts list as the user sees them, top to bottom."""
    proxy = tab.table.proxy
    return [proxy.index(row, 0).data() for row in range(proxy.rowCount())]


def built(window: MainWindow) -> set[str]:
    return set(window._built)


async def test_a_tab_not_built_yet_is_built_and_filled_when_the_user_switches_to_it(
        ui_ctx, db, qtbot):
    add_people(ui_ctx.actor)
    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window._building.setInterval(60_000)  # no building in the background in this test
    window.show()
    QApplication.processEvents()
    assert built(window) == {"dashboard"}, "only the tab the window opens on is built"
    index = next(i for i in range(window.tabs.count())
                 if window.tabs.tabText(i) == "Contacts")
    window.tabs.tabBar().setCurrentIndex(index)  # as a click on the tab does
    assert "contacts" in built(window)
    tab = window.tabs.currentWidget()
    assert tab is window.contacts_tab and tab.isVisible()
    # Its first fill is read off the loop: the rows come, the "Loading" hint goes.
    await until(lambda: sorted(names(tab)) == sorted(PEOPLE), what="the contacts listed")
    assert "Loading" not in tab.hint.text()
    assert window.tabs.count() == 14


async def test_the_other_tabs_are_built_in_later_turns_and_the_open_tab_stays(
        ui_ctx, db, qtbot):
    add_people(ui_ctx.actor)
    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    opened_on = window.tabs.currentWidget()
    await until(lambda: window.all_built, timeout=20, what="every tab built")
    assert window.tabs.currentWidget() is opened_on
    assert [window.tabs.widget(i).objectName() for i in range(window.tabs.count())][:3] == [
        "dashboard", "connections", "triggers"]
    contacts_tab = window.contacts_tab
    await contacts_tab.loader.idle()
    await until(lambda: sorted(names(contacts_tab)) == sorted(PEOPLE),
                what="the contacts filled while hidden")


async def test_a_change_from_another_thread_keeps_the_selected_contact_and_the_order(
        ui_ctx, db, qtbot):
    add_people(ui_ctx.actor)
    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.contacts_tab)
    tab = window.contacts_tab
    await until(lambda: len(names(tab)) == len(PEOPLE), what="the contacts listed")
    tab.table.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert names(tab) == sorted(PEOPLE, reverse=True)
    tab.table.select_where("name", "Budi")
    applied = tab.loader.applied

    # Someone is added on another thread (where the bot commits what it hears): the list is
    # read again off the loop.
    def stranger_writes() -> None:
        contacts.add(ui_ctx.actor, "+628129999000", "Citra", [])

    worker = threading.Thread(target=stranger_writes)
    worker.start()
    worker.join()
    await until(lambda: tab.loader.applied > applied, what="the list read again off the loop")
    assert names(tab) == sorted((*PEOPLE, "Citra"), reverse=True)
    assert tab.selected()["name"] == "Budi"


async def test_what_the_user_does_in_contacts_is_read_back_off_the_loop(ui_ctx, db, qtbot):
    # Blocking (or approving) someone at 5,000 contacts: the window is not held while the
    # list is read again; the row follows a moment later, still selected.
    add_people(ui_ctx.actor)
    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    tab = window.contacts_tab
    window.tabs.setCurrentWidget(tab)
    await until(lambda: sorted(names(tab)) == sorted(PEOPLE), what="the contacts listed")
    budi = contacts.find_contact("+6281234567001")
    tab.table.select_where("id", budi["id"])
    qtbot.mouseClick(tab.block_button, Qt.MouseButton.LeftButton)
    assert contacts.get_contact(budi["id"])["blocked"]  # written at once
    assert not tab.selected()["blocked"]  # the list not yet read again: the click returned
    await until(lambda: tab.selected() is not None and tab.selected()["blocked"],
                what="the blocked contact shown")
    assert tab.selected()["id"] == budi["id"] and tab.block_button.text() == "Unblock"


async def test_a_refresh_with_nothing_new_redraws_the_time_in_alarm_of_the_rows_in_sight(
        ui_ctx, qtbot):
    from app.ui.tabs.alarm_summary import TIME_COLUMN
    from app.ui.tabs.alarms_tab import AlarmsTab
    from tests.gui.test_alarm_summary import operator, raise_alarms
    from tests.helpers.waiting import refreshed

    operator(ui_ctx.actor)
    await raise_alarms(ui_ctx.actor, ("Tank level", "low", "DEMO.TANK.LEVEL"),
                       ("Boiler temperature", "high", "DEMO.BOILER.TEMP"))
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    summary = tab.summary
    await refreshed(tab, summary)
    told: list[tuple[int, int, int]] = []
    summary.model.dataChanged.connect(
        lambda first, last, _roles: told.append((first.row(), last.row(), first.column())))
    summary.refresh()  # nothing changed but the time that passed
    await summary.loader.idle()
    await until(lambda: told, what="the rows in sight told their time moved on")
    assert told == [(0, 1, TIME_COLUMN)]  # both rows are in sight; only the time column
