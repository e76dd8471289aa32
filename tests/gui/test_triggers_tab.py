"""Triggers, Groups and Presets tabs: forms instead of JSON, and previews of the exact reply."""

from __future__ import annotations

import asyncio
import re

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox

from app.runtime.source_pool import SourcePool
from app.services import auth, sources, users
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.group_dialog import GroupDialog
from app.ui.dialogs.preset_dialog import PresetDialog
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.message_bridge import MessageBridge
from app.ui.runner import AsyncRunner
from app.ui.tabs.groups_tab import GroupsTab
from app.ui.tabs.presets_tab import PresetsTab
from app.ui.tabs.triggers_tab import TriggersTab
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

TEMP = "\\\\DEMO\\DEMO.BOILER.TEMP"


def names(model) -> list[str]:
    return [model.index(r, 0).data(ROW_ROLE)["name"] for r in range(model.rowCount())]


def cells(model, name: str) -> list[str]:
    for r in range(model.rowCount()):
        if model.index(r, 0).data(ROW_ROLE)["name"] == name:
            return [model.index(r, c).data() for c in range(model.columnCount())]
    raise AssertionError(f"{name} is not listed")


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


async def preview_of(qtbot, pane, timeout: float = 20) -> str:
    click(qtbot, pane.run_button)
    await until(lambda: pane.run_button.isEnabled() and pane.reply.text.toPlainText(),
                timeout=timeout, what="the preview")
    return pane.reply.text.toPlainText()


def text_trigger(actor, name: str, text: str) -> dict:
    return trigger_service.save_trigger(actor, None, name=name, kind="text", active=True,
                                        data_source_id=None,
                                        config={"description": f"{name} test", "text": text})


async def test_pi_trigger_made_in_the_form_with_picked_tags_previews_values_with_units(
        ui_ctx, qtbot):
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert set(names(tab.model)) == {"demo", "demotrend"}

    click(qtbot, tab.new_button)
    form = tab.findChildren(TriggerDialog)[-1]
    qtbot.keyClicks(form.keyword, "boiler")
    qtbot.keyClicks(form.description, "Boiler check")
    assert form.kind() == "pi" and form.connection.currentText().startswith("demo")
    # Start and end only matter for ranges and charts.
    assert not form.start.isEnabled() and form.start.placeholderText() == "*-8h"

    click(qtbot, form.search_pi_button)
    browser = form.findChildren(TagBrowserDialog)[-1]
    await until(lambda: browser.model.rowCount() == 5, what="the demo tags")
    row = next(r for r in range(5) if browser.model.row_at(r)["path"] == TEMP)
    browser.view.selectRow(row)
    click(qtbot, browser.pick_button)
    assert form.tag_list() == [TEMP]
    await until(lambda: form.labels.rowCount() == 1, what="the display-name row")
    form.labels.item(0, 1).setText("Boiler outlet")
    form.decimals.setValue(1)

    click(qtbot, form.save_button)
    await until(lambda: "boiler" in names(tab.model), what="the new row")
    saved = trigger_service.find_trigger("boiler")
    assert saved["type"] == "pi" and saved["config"]["tags"] == [TEMP]
    assert saved["config"]["labels"] == {TEMP: "Boiler outlet"}
    assert saved["config"]["mode"] == "current" and saved["config"]["decimals"] == 1
    assert cells(tab.model, "boiler")[:6] == ["boiler", "PI values", "demo", "Yes", "",
                                              "Boiler check"]

    tab.table.select_where("name", "boiler")
    text = await preview_of(qtbot, tab.preview)
    assert "*Boiler check*" in text
    assert re.search(r"• Boiler outlet: \*-?\d+\.\d °C\*", text), text
    assert tab.preview.reply.chart_labels == []


async def test_chart_trigger_previews_its_trend_image(ui_ctx, qtbot):
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("name", "demotrend")
    assert tab.preview.title.text() == "<b>Preview of demotrend</b>"
    text = await preview_of(qtbot, tab.preview, timeout=40)
    assert "Demo plant — last 8 hours" in text
    await until(lambda: tab.preview.reply.chart_labels, what="the chart")
    pixmap = tab.preview.reply.chart_labels[0].pixmap()
    assert not pixmap.isNull() and pixmap.width() > 100 and pixmap.height() > 50
    assert "with a chart" in tab.preview.reply.status.text()


async def test_editing_the_seeded_chart_trigger_changes_only_what_was_edited(ui_ctx, qtbot):
    before = trigger_service.find_trigger("demotrend")
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.table.select_where("name", "demotrend")
    click(qtbot, tab.edit_button)
    form = tab.findChildren(TriggerDialog)[-1]
    assert form.mode.currentData() == "chart" and form.start.text() == "*-8h"
    assert form.chart.isChecked() and not form.chart.isEnabled()  # a chart mode always charts
    assert [form.labels.item(r, 1).text() for r in range(2)] == ["Boiler temperature",
                                                                  "Drum pressure"]
    form.description.setText("Boiler trend")
    click(qtbot, form.save_button)
    await until(lambda: cells(tab.model, "demotrend")[5] == "Boiler trend", what="the edit")
    after = trigger_service.find_trigger("demotrend")
    assert after["config"] == dict(before["config"], description="Boiler trend")
    assert after["id"] == before["id"] and after["data_source_id"] == before["data_source_id"]


async def test_sql_form_refuses_a_delete_and_detects_variables(ui_ctx, qtbot):
    lims = sources.save_source(ui_ctx.actor, None, name="LIMS", plugin="mysql", active=True,
                               config={"host": "127.0.0.1", "port": 3306, "database": "lab",
                                       "username": "reader"})
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    click(qtbot, tab.new_button)
    form = tab.findChildren(TriggerDialog)[-1]
    qtbot.keyClicks(form.keyword, "purge")
    form.type.setCurrentIndex(form.type.findData("sql"))
    assert form.pages.currentWidget().isAncestorOf(form.sql)
    # Only database connections fit a SQL trigger.
    assert [form.connection.itemData(i) for i in range(form.connection.count())] == [lims["id"]]
    form.sql.setPlainText("DELETE FROM x")
    click(qtbot, form.save_button)
    assert form.error.isVisible()
    assert "The trigger was not saved" in form.error.text() and "DELETE" in form.error.text()
    assert trigger_service.find_trigger("purge") is None
    # The form's own preview refuses it the same way, without touching the database.
    click(qtbot, form.preview.run_button)
    assert "DELETE" in form.error.text() and form.preview.reply.text.toPlainText() == ""

    form.sql.setPlainText("SELECT sampled_at, value FROM lab_results WHERE point = :point "
                          "AND parameter = :param")
    click(qtbot, form.variables.detect_button)
    assert form.variables.names() == ["point", "param"]
    form.variables.table.item(0, 1).setText("B[0-9]")
    form.variables.table.item(1, 2).setText("pH")
    click(qtbot, form.save_button)
    await until(lambda: "purge" in names(tab.model), what="the saved SQL trigger")
    config = trigger_service.find_trigger("purge")["config"]
    assert config["variables"] == [{"name": "point", "pattern": "B[0-9]"},
                                   {"name": "param", "default": "pH"}]
    assert config["max_rows"] == 20


async def test_group_preview_answers_members_in_the_order_they_were_moved_to(ui_ctx, qtbot):
    text_trigger(ui_ctx.actor, "alpha", "Alpha says hello")
    text_trigger(ui_ctx.actor, "bravo", "Bravo says hello")
    tab = GroupsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    click(qtbot, tab.new_button)
    form = tab.findChildren(GroupDialog)[-1]
    qtbot.keyClicks(form.keyword, "shift")
    qtbot.keyClicks(form.description, "Shift report")
    form.mode.setCurrentIndex(form.mode.findData("sequential"))
    for name in ("alpha", "bravo"):
        form.choice.setCurrentIndex(form.choice.findText(name))
        click(qtbot, form.add_button)
    assert [form.members.item(i).text() for i in range(2)] == ["alpha", "bravo"]
    assert form.choice.findText("alpha") < 0  # a member is not offered twice

    # What a drag inside the list does: the model moves the row.
    assert form.members.model().moveRow(QModelIndex(), 1, QModelIndex(), 0)
    assert [form.members.item(i).text() for i in range(2)] == ["bravo", "alpha"]
    text = await preview_of(qtbot, form.preview)
    assert "*Shift report*" in text
    assert text.index("Bravo says hello") < text.index("Alpha says hello")

    click(qtbot, form.save_button)
    await until(lambda: "shift" in names(tab.model), what="the saved group")
    group = trigger_service.find_group("shift")
    ids = {t["name"]: t["id"] for t in trigger_service.list_triggers()}
    assert group["member_ids"] == [ids["bravo"], ids["alpha"]]
    assert cells(tab.model, "shift") == ["shift", "One after another (sequential)", "2",
                                         "Shift report"]
    tab.table.select_where("name", "shift")
    text = await preview_of(qtbot, tab.preview)
    assert text.index("Bravo says hello") < text.index("Alpha says hello")


async def test_preset_saved_through_the_form_is_listed(ui_ctx, qtbot):
    tab = PresetsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    click(qtbot, tab.new_button)
    form = tab.findChildren(PresetDialog)[-1]
    click(qtbot, form.save_button)
    assert "The preset needs a name." in form.error.text()
    assert "Write the query template." in form.error.text()

    qtbot.keyClicks(form.name, "lab by point")
    form.query.setPlainText("SELECT sampled_at, value FROM lab_results WHERE point = :point")
    click(qtbot, form.variables.detect_button)
    form.variables.table.item(0, 3).setText("Sample point, e.g. B2")
    form.is_default.setChecked(True)
    assert form.usage.text() == "Used 0 times so far."
    click(qtbot, form.save_button)
    await until(lambda: "lab by point" in names(tab.model), what="the new preset")
    assert cells(tab.model, "lab by point") == ["lab by point", "point", "Default", "0 times"]
    preset = trigger_service.preset_by_name("lab by point")
    assert preset["variables"] == [{"name": "point", "description": "Sample point, e.g. B2"}]

    # A saved-query trigger offers the default preset and its variables to fill.
    triggers = TriggersTab(ui_ctx)
    qtbot.addWidget(triggers)
    click(qtbot, triggers.new_button)
    trigger_form = triggers.findChildren(TriggerDialog)[-1]
    trigger_form.type.setCurrentIndex(trigger_form.type.findData("preset"))
    assert trigger_form.preset.currentData() == "lab by point"
    assert trigger_form.fixed_values.item(0, 0).text() == "point"


async def test_duplicate_deactivate_and_delete_a_trigger(ui_ctx, qtbot):
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("name", "demo")
    click(qtbot, tab.duplicate_button)
    copy = trigger_service.find_trigger("demo copy")
    assert copy is not None and not copy["active"]
    assert tab.table.selected_row()["name"] == "demo copy"
    assert tab.active_button.text() == "Activate"
    click(qtbot, tab.active_button)
    assert trigger_service.find_trigger("demo copy")["active"]
    assert tab.active_button.text() == "Deactivate"

    click(qtbot, tab.delete_button)
    box = tab.findChildren(QMessageBox)[-1]
    assert "demo copy" in box.text()
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    await until(lambda: "demo copy" not in names(tab.model), what="the deletion")
    assert trigger_service.find_trigger("demo copy") is None


async def test_viewer_sees_read_only_tabs_but_may_preview(db, admin, qtbot):
    users.create_user(admin, "watcher", "watch-only-1", role="viewer")
    session = auth.login("watcher", "watch-only-1")
    ctx = UiContext(session, AsyncRunner(), MessageBridge(), SourcePool())
    for tab_class in (TriggersTab, GroupsTab, PresetsTab):
        tab = tab_class(ctx)
        qtbot.addWidget(tab)
        tab.show()
        tab.table.view.selectRow(0)
        assert not tab.new_button.isEnabled() and not tab.edit_button.isEnabled()
        assert not tab.delete_button.isEnabled()
        click(qtbot, tab.new_button)
        tab.edit()
        assert not tab.findChildren(TriggerDialog) + tab.findChildren(GroupDialog) + \
            tab.findChildren(PresetDialog)
        if tab_class is TriggersTab:
            assert not tab.duplicate_button.isEnabled() and not tab.active_button.isEnabled()
            tab.table.select_where("name", "demo")
            assert "*Demo plant*" in await preview_of(qtbot, tab.preview)


async def test_tab_models_pass_the_qt_model_tester(ui_ctx, qtbot, qtmodeltester):
    text_trigger(ui_ctx.actor, "alpha", "Alpha says hello")
    trigger_service.save_group(ui_ctx.actor, None, name="all", description="", member_ids=[
        t["id"] for t in trigger_service.list_triggers()], execution_mode="parallel")
    trigger_service.save_preset(ui_ctx.actor, None, name="p", query_template="SELECT 1",
                                variables=[], is_default=False)
    for tab_class in (TriggersTab, GroupsTab, PresetsTab):
        tab = tab_class(ui_ctx)
        qtbot.addWidget(tab)
        assert tab.model.rowCount() > 0
        qtmodeltester.check(tab.model)
        qtmodeltester.check(tab.table.proxy)


async def test_a_failing_preview_shows_the_short_reply_and_the_engineer_the_whole_reason(
        ui_ctx, admin, qtbot):
    import socket

    with socket.socket() as probe:  # a port nothing listens on: the PI server is down
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = sources.save_source(admin, None, name="Unit 2 PI", plugin="pi", active=True,
                                 config={"api": "piwebapi", "auth": "anonymous",
                                         "base_url": f"http://127.0.0.1:{port}/piwebapi",
                                         "data_server": "PISRV01", "timeout_s": 3})["id"]
    trigger_service.save_trigger(admin, None, name="drum", kind="pi", active=True,
                                 data_source_id=source,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("name", "drum")
    text = await preview_of(qtbot, tab.preview)
    assert "Unit 2 PI" in text and "127.0.0.1" not in text and str(port) not in text
    status = tab.preview.reply.status.text()
    assert "with an error" in status and f"127.0.0.1:{port}" in status


async def test_a_preview_that_waits_on_a_silent_server_can_be_stopped(ui_ctx, qtbot,
                                                                      pi_server):
    from tests.helpers.sources import pi_source

    pi_server.add_tag("DRUM.PRESS", 41.7, units="bar")
    source_id = pi_source(ui_ctx.actor, pi_server)
    trigger_service.save_trigger(ui_ctx.actor, None, name="drum", kind="pi", active=True,
                                 data_source_id=source_id,
                                 config={"tags": ["DRUM.PRESS"], "mode": "current"})
    pi_server.hang = True
    tab = TriggersTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("name", "drum")
    pane = tab.preview
    assert not pane.stop_button.isEnabled()
    click(qtbot, pane.run_button)
    await until(lambda: pane.stop_button.isEnabled(), what="the preview under way")
    assert not pane.run_button.isEnabled()
    click(qtbot, pane.stop_button)
    assert pane.reply.status.text() == "Preview stopped: no answer was waited for."
    assert pane.run_button.isEnabled() and not pane.stop_button.isEnabled()
    await asyncio.sleep(0.3)  # the stopped run says nothing more
    assert pane.reply.status.text() == "Preview stopped: no answer was waited for."
    pi_server.hang = False
