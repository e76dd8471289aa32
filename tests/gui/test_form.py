"""The form pattern every dialog shares (app/ui/dialogs/form.py): unsaved changes are noticed,
a running preview or test is cancelled when its form closes, a form fits the screen."""

from __future__ import annotations

import asyncio

import pytest

from app.services import triggers as trigger_service
from app.ui.dialogs.alarm_dialog import AlarmDialog
from app.ui.dialogs.preset_dialog import PresetDialog
from app.ui.dialogs.schedule_dialog import ScheduleDialog
from app.ui.dialogs.trigger_dialog import TriggerDialog
from tests.helpers.forms import FORMS
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

NAME_FIELD = {"trigger": "keyword", "group": "keyword", "AI prefix": "prefix", "user": "username"}


@pytest.mark.parametrize("kind", list(FORMS))
async def test_a_form_knows_when_a_field_was_changed(ui_ctx, qtbot, kind):
    form = FORMS[kind](ui_ctx)
    qtbot.addWidget(form)
    form.open()
    assert not form.is_dirty(), f"a {kind} form just opened has no unsaved change"
    field = getattr(form, NAME_FIELD.get(kind, "name"))
    qtbot.keyClicks(field, "x")
    assert form.is_dirty(), f"typing in the {kind} form is an unsaved change"
    field.setText(field.text()[:-1])
    assert not form.is_dirty(), "typing it back as it was leaves nothing unsaved"
    form.reject()


async def test_an_edit_form_is_clean_until_something_differs_from_the_saved_row(ui_ctx,
                                                                               qtbot):
    preset = trigger_service.save_preset(ui_ctx.actor, None, name="lab",
                                         query_template="SELECT 1", variables=[],
                                         is_default=False)
    form = PresetDialog(ui_ctx, preset)
    qtbot.addWidget(form)
    form.open()
    assert not form.is_dirty()
    form.is_default.setChecked(True)
    assert form.is_dirty()


async def test_closing_a_form_cancels_the_work_it_started(ui_ctx, qtbot):
    form = ScheduleDialog(ui_ctx)
    qtbot.addWidget(form)
    form.open()
    started = asyncio.Event()

    async def slow():
        started.set()
        await asyncio.sleep(30)

    results = []
    task = form.run_async("slow", slow(), results.append, results.append,
                          form.preview_button)
    await started.wait()
    assert not form.preview_button.isEnabled(), "the button waits for the run"
    form.reject()
    await until(task.done, what="the run to end with its form")
    assert task.cancelled() and results == [], "a closed form gets no result"


async def test_a_form_larger_than_the_screen_shrinks_so_save_stays_in_sight(ui_ctx, qtbot):
    form = AlarmDialog(ui_ctx)  # asks for 1120 × 780
    qtbot.addWidget(form)
    form.open()
    room = form.screen().availableGeometry()
    assert form.width() <= room.width() and form.height() <= room.height()
    assert form.save_button.isVisible()


def _question(form):
    from PySide6.QtWidgets import QMessageBox

    shown = [box for box in form.findChildren(QMessageBox, "unsaved_changes") if box.isVisible()]
    return shown[-1] if shown else None


@pytest.mark.parametrize("kind", ["trigger", "alarm"])
async def test_escape_on_an_edited_form_asks_before_the_edit_is_lost(ui_ctx, qtbot, kind):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    form = FORMS[kind](ui_ctx)
    qtbot.addWidget(form)
    form.open()
    field = getattr(form, NAME_FIELD.get(kind, "name"))
    qtbot.keyClicks(field, "boiler")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    question = _question(form)
    assert question is not None and question.isVisible(), "a stray Escape asks first"
    assert form.isVisible()
    question.button(QMessageBox.StandardButton.Cancel).click()  # "Keep editing"
    assert form.isVisible() and field.text() == "boiler", "keeping on editing keeps the text"
    form.buttons.button(form.buttons.StandardButton.Cancel).click()
    question = _question(form)
    assert question is not None and question.isVisible(), "Cancel asks as well"
    question.button(QMessageBox.StandardButton.Discard).click()
    assert not form.isVisible(), "Discard closes the form"


async def test_an_unedited_form_closes_at_once(ui_ctx, qtbot):
    from PySide6.QtCore import Qt

    form = TriggerDialog(ui_ctx)
    qtbot.addWidget(form)
    form.open()
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible() and _question(form) is None


@pytest.mark.parametrize("kind", ["trigger", "group"])
async def test_the_cursor_starts_in_the_keyword_not_in_the_preview(ui_ctx, qtbot, kind):
    form = FORMS[kind](ui_ctx)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitExposed(form)
    assert form.focusWidget() is form.keyword, form.focusWidget().objectName()
    form.close()


async def test_new_triggers_and_alarms_offer_the_working_connection_first(ui_ctx, qtbot):
    from app.db.models import DataSource
    from app.services import sources

    for name, status in (("A boiler", "failed"), ("B turbine", "success")):
        saved = sources.save_source(ui_ctx.actor, None, name=name, plugin="pi", active=True,
                                    config={"api": "gateway", "base_url": "http://10.0.0.9:6066"},
                                    new_secrets={})
        DataSource.update(test_status=status).where(DataSource.id == saved["id"]).execute()
    for kind in ("trigger", "alarm"):
        form = FORMS[kind](ui_ctx)
        qtbot.addWidget(form)
        assert form.connection.currentText().startswith("B turbine"), \
            f"a new {kind} preselects the connection whose test passed, not the first by name"
