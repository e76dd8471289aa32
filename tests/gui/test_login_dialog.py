"""The log-in dialog shows its refusal whole, however many lines the sentence wraps to."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services import auth
from app.ui.dialogs.login import LoginDialog
from app.ui.runner import AsyncRunner
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


async def test_a_wrapped_refusal_is_shown_whole_and_the_dialog_grows_for_it(db, admin, qtbot):
    dialog = LoginDialog(AsyncRunner(), first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    before = dialog.height()
    dialog.form.username.setText("nobody")
    dialog.form.password.setText("wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    await until(lambda: dialog.ok_button.isEnabled() and dialog.form.error.isVisible(),
                what="refusal")
    label = dialog.form.error
    assert label.text() == auth.REFUSED
    await until(lambda: label.height() >= label.heightForWidth(label.width()),
                what="the refusal's lines to fit")
    assert label.heightForWidth(label.width()) > label.fontMetrics().height() * 1.5  # wraps
    assert dialog.height() > before
    # The lower edge of the sentence is above the buttons, not under them.
    def bottom() -> int:
        return label.mapTo(dialog, label.rect().bottomLeft()).y()

    def buttons_top() -> int:
        return dialog.ok_button.mapTo(dialog, dialog.ok_button.rect().topLeft()).y()

    await until(lambda: bottom() <= buttons_top(), timeout=2,
                what=f"the sentence above the buttons ({bottom()} > {buttons_top()})")
