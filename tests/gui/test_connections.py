"""Connections tab: add a source through the form, test it, and see the outcome in the list."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from app.db.models import DataSource
from app.services import sources
from app.ui.dialogs.source_dialog import SourceDialog
from app.ui.tabs.connections_tab import ConnectionsTab
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def shown(tab: ConnectionsTab) -> dict[str, tuple[str, str]]:
    """name → (Status, Message) as the table shows them."""
    out = {}
    for r in range(tab.model.rowCount()):
        row = tab.model.index(r, 0).data(ROW_ROLE)
        status = tab.model.index(r, 4).data()
        message = tab.model.index(r, 6).data()
        out[row["name"]] = (status, message)
    return out


async def test_new_pi_gateway_source_through_the_form_then_tests_fail_and_demo_passes(
        ui_ctx, qtbot):
    tab = ConnectionsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert shown(tab) == {"demo": ("Not tested", "")}

    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.findChildren(SourceDialog)[-1]
    qtbot.keyClicks(form.name, "Boiler gateway")
    form.kind.setCurrentIndex(form.kind.findData("pi"))
    api = form.widgets["api"]
    api.setCurrentIndex(api.findData("gateway"))
    # PI Web API's sign-in fields disappear for the gateway, which has none.
    assert form.widgets["auth"].isHidden() and form.widgets["password"].isHidden()
    qtbot.keyClicks(form.widgets["base_url"], "http://127.0.0.1:9")
    form.widgets["timeout_s"].setValue(2)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: "Boiler gateway" in shown(tab), what="new row")
    saved = DataSource.get(DataSource.name == "Boiler gateway")
    assert saved.plugin == "pi" and saved.config["api"] == "gateway"
    assert tab.switch_button.isVisible()  # a gateway source offers the move to PI Web API

    for name in ("Boiler gateway", "demo"):
        tab.table.select_where("name", name)
        started = time.monotonic()
        qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
        await until(lambda n=name: shown(tab)[n][0] not in ("Not tested", "Testing…"),
                    timeout=15, what=f"test of {name}")
        assert time.monotonic() - started < 10
    status, message = shown(tab)["Boiler gateway"]
    assert status == "Failed"
    assert "Cannot reach 127.0.0.1:9" in message
    assert shown(tab)["demo"] == ("Connected", "")
    assert sources.find_by_name("demo")["connection_status"] == "connected"


async def test_form_names_every_missing_field_and_saves_nothing(ui_ctx, qtbot):
    tab = ConnectionsTab(ui_ctx)
    qtbot.addWidget(tab)
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.findChildren(SourceDialog)[-1]
    form.kind.setCurrentIndex(form.kind.findData("mysql"))
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    text = form.error.text()
    assert "The connection needs a name." in text
    assert "Host is missing." in text and "Database is missing." in text
    assert DataSource.select().count() == 1


async def test_browsing_the_demo_historian_shows_values_units_and_bad_quality(ui_ctx, qtbot):
    from app.ui.dialogs.tag_browser import TagBrowserDialog

    tab = ConnectionsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("name", "demo")
    assert tab.browse_button.isVisible() and tab.browse_button.isEnabled()
    qtbot.mouseClick(tab.browse_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChildren(TagBrowserDialog)[-1]
    await until(lambda: dialog.model.rowCount() == 5, what="all demo tags")
    cells = {dialog.model.index(r, 0).data(): [dialog.model.index(r, c).data()
                                                for c in range(6)]
             for r in range(dialog.model.rowCount())}
    temp = cells["\\\\DEMO\\DEMO.BOILER.TEMP"]
    assert temp[3] == "°C" and temp[5] == "Good" and float(temp[2]) > 100
    fault = cells["\\\\DEMO\\DEMO.FLOW.FAULT"]
    assert fault[2] == "✖ I/O Timeout" and fault[5] == "Bad"
    assert cells["\\\\DEMO\\DEMO.PUMP.STATE"][2] in ("Running", "Stopped")

    dialog.pattern.setText("*.NOTHING")
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.status.text() == "No tag matches *.NOTHING.", what="no match")
    assert dialog.model.rowCount() == 0


def _new_pi_web_form(tab, qtbot, url: str) -> SourceDialog:
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    form = tab.findChildren(SourceDialog)[-1]
    qtbot.keyClicks(form.name, "Boiler PI")
    form.kind.setCurrentIndex(form.kind.findData("pi"))
    qtbot.keyClicks(form.widgets["base_url"], url)
    return form


async def test_the_form_shows_only_the_sign_in_its_choice_needs_and_a_certificate_tick_box(
        ui_ctx, qtbot, pi_server):
    tab = ConnectionsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    form = _new_pi_web_form(tab, qtbot, pi_server.base_url)
    auth = form.widgets["auth"]
    visible = {key for key in ("username", "password", "token")
               if not form.widgets[key].isHidden()}
    assert auth.currentData() == "basic" and visible == {"username", "password"}
    auth.setCurrentIndex(auth.findData("bearer"))
    visible = {key for key in ("username", "password", "token")
               if not form.widgets[key].isHidden()}
    assert visible == {"token"}, "a bearer token is the only secret bearer sign-in takes"
    auth.setCurrentIndex(auth.findData("basic"))

    tls = form.widgets["verify_tls"]
    assert tls.check.isChecked() and tls.check.text() == "Check the server certificate"
    tls.check.setChecked(False)
    assert not tls.bundle.isEnabled()
    qtbot.keyClicks(form.widgets["username"], "piuser")
    qtbot.keyClicks(form.widgets["password"], "pi-pass")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: "Boiler PI" in shown(tab), what="saved")
    assert DataSource.get(DataSource.name == "Boiler PI").config["verify_tls"] is False


async def test_a_connection_is_tested_from_its_form_before_saving_and_the_test_can_stop(
        ui_ctx, qtbot, pi_server):
    pi_server.auth = ("basic", "piuser", "pi-pass")
    tab = ConnectionsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    form = _new_pi_web_form(tab, qtbot, pi_server.base_url)
    qtbot.keyClicks(form.widgets["username"], "piuser")
    qtbot.keyClicks(form.widgets["password"], "wrong")
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: not form.test_result.text().startswith("Testing"), timeout=15,
                what="first test")
    refused = form.test_result.text()
    assert "#b00020" in form.test_result.styleSheet(), refused
    form.widgets["password"].setText("pi-pass")
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: not form.test_result.text().startswith("Testing"), timeout=15,
                what="second test")
    assert "#1b5e20" in form.test_result.styleSheet(), form.test_result.text()
    assert form.isVisible() and DataSource.select().count() == 1, "a test saves nothing"

    pi_server.hang = True
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    assert form.test_result.text().startswith("Testing")
    assert form.stop_button.isEnabled() and not form.test_button.isEnabled()
    qtbot.mouseClick(form.stop_button, Qt.MouseButton.LeftButton)
    assert form.test_result.text() == "Test stopped: no answer was waited for."
    assert form.test_button.isEnabled()
    pi_server.hang = False


async def test_a_tag_found_in_the_tag_browser_starts_a_trigger_or_an_alarm(ui_ctx, qtbot):
    from app.services import triggers as trigger_service
    from app.ui.dialogs.alarm_dialog import AlarmDialog
    from app.ui.dialogs.tag_browser import TagBrowserDialog
    from app.ui.dialogs.trigger_dialog import TriggerDialog

    tab = ConnectionsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("name", "demo")
    tab.browse()
    browser = tab.findChildren(TagBrowserDialog)[-1]
    await until(lambda: browser.model.rowCount() > 1, what="the demo's tags")
    assert not browser.trigger_button.isEnabled(), "nothing selected yet"
    paths = [browser.model.row_at(r)["path"] for r in range(browser.model.rowCount())]
    temp = next(p for p in paths if "TEMP" in p)
    browser.view.selectRow(paths.index(temp))
    assert browser.trigger_button.isEnabled() and browser.alarm_button.isEnabled()

    qtbot.mouseClick(browser.trigger_button, Qt.MouseButton.LeftButton)
    trigger_form = browser.findChildren(TriggerDialog)[-1]
    assert trigger_form.windowTitle() == "New trigger"
    assert [trigger_form.tags.item(i).text() for i in range(trigger_form.tags.count())] == [temp]
    assert trigger_form.connection.currentText().startswith("demo")
    qtbot.keyClicks(trigger_form.keyword, "boilertemp")
    qtbot.mouseClick(trigger_form.save_button, Qt.MouseButton.LeftButton)
    await until(lambda: trigger_service.find_trigger("boilertemp") is not None, what="saved")
    assert trigger_service.find_trigger("boilertemp")["config"]["tags"] == [temp]

    qtbot.mouseClick(browser.alarm_button, Qt.MouseButton.LeftButton)
    alarm_form = browser.findChildren(AlarmDialog)[-1]
    assert alarm_form.windowTitle() == "New alarm"
    assert alarm_form.tag.text() == temp and alarm_form.connection.currentText().startswith("demo")
    alarm_form.close()
