"""The alarm views read off the event loop: what comes back after a view was closed is not
shown, and the Dashboard shows the bot's own health alarm while it is raised."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt

from app.core.messages import BridgeState, StateChange
from app.runtime.health import HealthMonitor
from app.services import alarms, settings, users
from app.ui.tabs.alarms_tab import AlarmsTab
from app.ui.tabs.dashboard_tab import DashboardTab
from tests.gui.test_alarms_tab import boiler_alarm, demo_id, operator
from tests.helpers.clock import Clock
from tests.helpers.waiting import refreshed

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def tank_alarm(actor) -> dict:
    return alarms.save_alarm(actor, None, name="Tank level", active=True, kind="pi",
                             data_source_id=demo_id(),
                             tag="DEMO.TANK.LEVEL", trigger_id=None,
                             config={"condition": "above", "high": 99,
                                     "recipients": [{"tags": ["operators"]}]})


async def test_a_refresh_that_comes_back_after_the_tab_was_closed_shows_nothing(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    boiler_alarm(ui_ctx.actor)
    closed, open_tab = AlarmsTab(ui_ctx), AlarmsTab(ui_ctx)
    for tab in (closed, open_tab):
        qtbot.addWidget(tab)
        tab.show()
        await refreshed(tab, tab.summary)
        assert tab.model.rowCount() == 1
    tank_alarm(ui_ctx.actor)  # the change notice starts a read in both tabs
    assert closed.loader.busy() and open_tab.loader.busy()
    closed.close()
    await refreshed(closed, open_tab)
    assert [open_tab.model.index(r, 0).data() for r in range(open_tab.model.rowCount())] \
        == ["Boiler temperature", "Tank level"]
    assert closed.model.rowCount() == 1  # its read came back to a closed tab: nothing shown
    closed.refresh()  # and a closed tab starts no read
    assert not closed.loader.busy()


async def test_a_slow_read_never_piles_up(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    boiler_alarm(ui_ctx.actor)
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab)
    before = tab.loader.applied
    for _ in range(10):
        tab.refresh()
    await refreshed(tab)
    # One read in flight and one more after it, however many refreshes were asked for.
    assert tab.loader.applied - before <= 2
    assert tab.model.rowCount() == 1


async def test_the_dashboard_says_since_when_whatsapp_is_logged_out_and_that_admins_were_told(
        ui_ctx, local_zone, qtbot):
    local_zone("UTC0")
    users.create_user(ui_ctx.actor, "ops", "Ops-pass-2026", role="admin", full_name="Ops",
                      email="ops@plant.example.com")
    settings.update(ui_ctx.actor, {"alarms": {"session_down_min": 10}})
    today = datetime.now(UTC).date()
    clock = Clock(datetime(today.year, today.month, today.day, 3, 10, tzinfo=UTC))
    monitor = HealthMonitor(clock=clock)
    tab = DashboardTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab)
    assert tab.session_health.isHidden()  # all is well: nothing said

    monitor.on_state(StateChange(BridgeState.RECONNECTING))  # the network drops at 03:10
    clock.advance(minutes=10)
    assert monitor.check()  # 03:20: ten minutes down, the administrators are told
    clock.advance(minutes=1)
    monitor.on_state(StateChange(BridgeState.LOGGED_OUT))  # and then it is logged out
    tab.refresh_numbers()
    await refreshed(tab)
    assert tab.session_health.isVisible()
    assert tab.session_health.text() == ("The WhatsApp session has been logged out since "
                                         "03:10; the administrators were told by e-mail at "
                                         "03:20.")

    monitor.on_state(StateChange(BridgeState.CONNECTED))  # paired again: the line goes
    tab.refresh_numbers()
    await refreshed(tab)
    assert tab.session_health.isHidden()


async def test_a_read_runs_on_a_worker_and_its_result_is_shown_on_the_window_thread(qtbot):
    import threading

    from PySide6.QtWidgets import QWidget

    from app.ui.off_loop import Refresher

    view = QWidget()
    qtbot.addWidget(view)
    view.show()
    seen: dict[str, int] = {}

    def read(_prepared):
        seen["read"] = threading.get_ident()
        return "rows"

    def apply(result):
        seen["apply"] = threading.get_ident()
        seen["result"] = result

    loader = Refresher(view, read, apply, name="a view")
    for _ in range(5):  # again and again: every result must come back on the window thread
        seen.clear()
        loader.refresh()
        await loader.idle()
        qtbot.waitUntil(lambda: "apply" in seen, timeout=5000)
        assert seen["read"] != threading.get_ident()
        assert seen["apply"] == threading.get_ident() and seen["result"] == "rows"


async def test_the_alarms_tab_is_built_without_reading_on_the_loop(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    boiler_alarm(ui_ctx.actor)
    tab = AlarmsTab(ui_ctx)  # its first fill is read on a worker: nothing is shown yet
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 0 and tab.hint.text() == "Loading the alarms…"
    assert "loading" in tab.summary.counts.text()
    assert tab.loader.busy() or tab.summary.loader.busy()
    tab.show()
    await refreshed(tab, tab.summary)
    assert [tab.model.index(r, 0).data() for r in range(tab.model.rowCount())] \
        == ["Boiler temperature"]
    assert tab.hint.text() == "" and "0 open" in tab.summary.counts.text()


async def test_the_header_sorts_the_alarms_and_the_selected_one_stays_selected(ui_ctx, qtbot):
    operator(ui_ctx.actor, ["operators"])
    boiler_alarm(ui_ctx.actor)
    tank_alarm(ui_ctx.actor)
    alarms.save_alarm(ui_ctx.actor, None, name="Drum pressure", active=True, kind="pi",
                      data_source_id=demo_id(), tag="DEMO.DRUM.PRESS", trigger_id=None,
                      config={"condition": "above", "high": 99, "severity": "critical",
                              "recipients": [{"tags": ["operators"]}]})
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)
    view = tab.table.view

    def names() -> list[str]:
        return [tab.table.proxy.index(r, 0).data() for r in range(tab.table.proxy.rowCount())]

    assert names() == ["Boiler temperature", "Drum pressure", "Tank level"]
    tab.table.select_where("name", "Tank level")
    header = view.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2))
    assert names() == ["Tank level", "Drum pressure", "Boiler temperature"]  # Z to A
    assert tab.selected()["name"] == "Tank level"
    header.setSortIndicator(4, Qt.SortOrder.AscendingOrder)  # by severity, the worst first
    assert names()[0] == "Drum pressure" and tab.selected()["name"] == "Tank level"
    # A filter typed in the box still holds after the rows are read again.
    tab.table.filter.setText("tank")
    assert names() == ["Tank level"]
    alarms.set_active(ui_ctx.actor, alarms.find_alarm("Boiler temperature")["id"], False)
    await refreshed(tab)
    assert names() == ["Tank level"]
