"""AI Prefixes tab: a form for the prefixes that send a message to an AI service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.runtime.source_pool import SourcePool
from app.services import ai_prefixes, auth, sources, users
from app.ui.context import UiContext
from app.ui.dialogs.ai_prefix_dialog import NO_SERVICE, AiPrefixDialog
from app.ui.message_bridge import MessageBridge
from app.ui.runner import AsyncRunner
from app.ui.tabs.ai_prefixes_tab import AiPrefixesTab
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def cells(model, prefix: str) -> list[str]:
    for r in range(model.rowCount()):
        if model.index(r, 0).data(ROW_ROLE)["prefix"] == prefix:
            return [model.index(r, c).data() for c in range(model.columnCount())]
    raise AssertionError(f"{prefix!r} is not listed")


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def ai_service(actor, name: str = "Local AI") -> dict:
    return sources.save_source(actor, None, name=name, plugin="ai", active=True,
                               config={"kind": "openai", "base_url": "http://localhost:1/v1"})


async def test_prefix_made_in_the_form_is_listed_with_its_service(ui_ctx, qtbot):
    tab = AiPrefixesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    assert "Add an AI service in Connections first" in tab.hint.text()
    click(qtbot, tab.new_button)
    form = tab.findChildren(AiPrefixDialog)[-1]
    assert form.service_hint.isVisibleTo(form) and form.service.currentText() == NO_SERVICE
    form.close()

    service = ai_service(ui_ctx.actor)
    assert "Add an AI service" not in tab.hint.text()  # the tab follows Connections
    click(qtbot, tab.new_button)
    form = tab.findChildren(AiPrefixDialog)[-1]
    assert not form.service_hint.isVisibleTo(form)
    assert form.service.currentData() == service["id"]  # the only service is preselected
    qtbot.keyClicks(form.prefix, "ask")
    click(qtbot, form.save_button)
    assert '"ask" is a plain word' in form.error.text()

    qtbot.keyClicks(form.prefix, ":")
    qtbot.keyClicks(form.name, "Plant assistant")
    qtbot.keyClicks(form.description, "Questions about the plant")
    form.system_prompt.setPlainText("Answer in Indonesian, briefly.")
    qtbot.keyClicks(form.audience, "operators, shift leads")
    click(qtbot, form.save_button)
    await until(lambda: tab.model.rowCount() == 1, what="the new prefix")
    assert cells(tab.model, "ask:") == ["“ask:”", "Plant assistant", "Local AI", "Yes",
                                        "0 times", "", "Questions about the plant"]
    saved = ai_prefixes.find_by_prefix("ask:")
    assert saved["audience"] == ["operators", "shift leads"]
    assert saved["system_prompt"] == "Answer in Indonesian, briefly."
    assert tab.table.selected_row()["id"] == saved["id"]

    # Editing shows what was saved; a use shows up in the list.
    click(qtbot, tab.edit_button)
    edit = tab.findChildren(AiPrefixDialog)[-1]
    assert edit.prefix.text() == "ask:" and edit.audience.text() == "operators, shift leads"
    assert edit.service.currentData() == service["id"]
    edit.close()
    ai_prefixes.record_use(saved["id"])
    assert cells(tab.model, "ask:")[4] == "1 time" and cells(tab.model, "ask:")[5]


async def test_disable_enable_and_delete(ui_ctx, qtbot):
    saved = ai_prefixes.save_prefix(ui_ctx.actor, None, prefix="=", name="AI Chat",
                                    description="", enabled=True, data_source_id=None,
                                    system_prompt="", audience=[])
    tab = AiPrefixesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.select_where("id", saved["id"])
    assert cells(tab.model, "=")[2] == NO_SERVICE
    assert tab.enabled_button.text() == "Disable"
    click(qtbot, tab.enabled_button)
    assert not ai_prefixes.get_prefix(saved["id"])["enabled"]
    assert tab.enabled_button.text() == "Enable"
    click(qtbot, tab.enabled_button)
    assert ai_prefixes.get_prefix(saved["id"])["enabled"]

    click(qtbot, tab.delete_button)
    box = tab.findChildren(QMessageBox)[-1]
    assert "“=”" in box.text()
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    await until(lambda: tab.model.rowCount() == 0, what="the deletion")
    assert ai_prefixes.list_prefixes() == []


async def test_viewer_sees_prefixes_but_cannot_change_them(db, admin, qtbot):
    ai_prefixes.save_prefix(admin, None, prefix="ai:", name="AI Chat", description="",
                            enabled=True, data_source_id=None, system_prompt="", audience=[])
    users.create_user(admin, "watcher", "watch-only-1", role="viewer")
    session = auth.login("watcher", "watch-only-1")
    ctx = UiContext(session, AsyncRunner(), MessageBridge(), SourcePool())
    tab = AiPrefixesTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.table.view.selectRow(0)
    assert tab.table.selected_row()["prefix"] == "ai:"
    for button in (tab.new_button, tab.edit_button, tab.enabled_button, tab.delete_button):
        assert not button.isEnabled()
    tab.new()
    tab.edit()
    assert not tab.findChildren(AiPrefixDialog)


async def test_tab_model_passes_the_qt_model_tester(ui_ctx, qtbot, qtmodeltester):
    service = ai_service(ui_ctx.actor)
    for prefix, source in (("ai:", service["id"]), ("=", None)):
        ai_prefixes.save_prefix(ui_ctx.actor, None, prefix=prefix, name="AI Chat",
                                description="", enabled=True, data_source_id=source,
                                system_prompt="", audience=[])
    tab = AiPrefixesTab(ui_ctx)
    qtbot.addWidget(tab)
    assert tab.model.rowCount() == 2
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.table.proxy)
