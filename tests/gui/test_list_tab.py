"""The list-tab pattern (app/ui/widgets/list_tab.py): a tab follows its tables' changes, keeps
the selected row, and enables the buttons by the selection and the role."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import triggers as trigger_service
from app.ui.dialogs.preset_dialog import PresetDialog
from app.ui.tabs.presets_tab import PresetsTab

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


async def test_a_list_tab_keeps_the_selected_row_when_another_row_changes(ui_ctx, qtbot):
    for name in ("alpha", "beta"):
        trigger_service.save_preset(ui_ctx.actor, None, name=name, query_template="SELECT 1",
                                    variables=[], is_default=False)
    tab = PresetsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    beta = next(r for r in tab.model.rows if r["name"] == "beta")
    tab.table.select_where("id", beta["id"])
    assert tab.edit_button.isEnabled() and tab.delete_button.isEnabled()
    trigger_service.save_preset(ui_ctx.actor, None, name="gamma", query_template="SELECT 2",
                                variables=[], is_default=False)
    assert len(tab.model.rows) == 3, "the tab follows the change notice"
    assert tab.table.selected_row()["name"] == "beta"
    tab.table.view.clearSelection()
    assert not tab.edit_button.isEnabled(), "no row, nothing to edit"
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    assert tab.findChildren(PresetDialog), "New… opens the form"
