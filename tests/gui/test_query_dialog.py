"""The SQL preview box against a real MariaDB: variables as fields, rows capped, writes refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import sources
from app.ui.dialogs.query_dialog import QueryDialog
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


@pytest.fixture
def lab_source(ui_ctx, mariadb):
    config = mariadb.config()
    saved = sources.save_source(ui_ctx.actor, None, name="LIMS", plugin="mysql", active=True,
                                config={k: v for k, v in config.items() if k != "ssl"},
                                new_secrets=mariadb.secrets())
    return saved


async def test_preview_fills_variables_and_caps_rows(ui_ctx, lab_source, qtbot):
    dialog = QueryDialog(ui_ctx, lab_source)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editor.setPlainText(
        "SELECT sample_point, parameter, value FROM lab_results "
        "WHERE sample_point = :point AND parameter = :param ORDER BY sampled_at DESC")
    await until(lambda: list(dialog.variable_edits) == ["point", "param"], what="variables")
    dialog.variable_edits["point"].setText("B1")
    dialog.variable_edits["param"].setText("pH")
    dialog.max_rows.setValue(5)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    await until(lambda: "row(s)" in dialog.status.text(), timeout=15, what="rows")
    assert dialog.model.rowCount() == 5
    assert "more rows exist (showing the first 5)" in dialog.status.text()
    assert {dialog.model.index(r, 0).data() for r in range(5)} == {"B1"}

    # A quote in a value is data, not SQL.
    dialog.variable_edits["point"].setText("B1' OR '1'='1")
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.status.text().startswith("0 row(s)"), timeout=15,
                what="no rows")


async def test_a_write_is_refused_with_a_sentence(ui_ctx, lab_source, qtbot):
    dialog = QueryDialog(ui_ctx, lab_source, sql="DELETE FROM alarms")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.run_button.isEnabled() and "Running" not in dialog.status.text(),
                timeout=15, what="refusal")
    assert "DELETE" in dialog.status.text()
    assert dialog.model.rowCount() == 0
