"""The Settings tab: sections in words, the proxy refused when malformed, where secrets live."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from app.services import settings
from app.ui.tabs.settings_tab import SettingsTab
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


async def test_the_proxy_setting_is_in_settings_and_refuses_a_malformed_url(ui_ctx, qtbot):
    shown: list[tuple[str, str]] = []
    ui_ctx.messages.listen(lambda level, text: shown.append((level, text)))
    tab = SettingsTab(ui_ctx)
    qtbot.addWidget(tab)
    field = tab.fields["whatsapp.proxy"]
    assert isinstance(field, QLineEdit) and field.text() == ""

    field.setText("proxy.plant.local:8080")
    tab.save()
    assert shown[-1][0] == "error" and "needs its kind in front" in shown[-1][1]
    assert settings.get("whatsapp", "proxy") == ""  # nothing stored

    field.setText("socks5://10.0.0.5:1080")
    tab.save()
    assert shown[-1][0] == "info"
    assert settings.get("whatsapp", "proxy") == "socks5://10.0.0.5:1080"


async def test_settings_name_each_section_in_words_and_say_where_the_key_file_lives(
        ui_ctx, qtbot, data_dir):
    from PySide6.QtWidgets import QGroupBox

    tab = SettingsTab(ui_ctx)
    qtbot.addWidget(tab)
    titles = [box.title() for box in tab.findChildren(QGroupBox)]
    assert "WhatsApp" in titles and "AI answers" in titles
    assert "Whatsapp" not in titles and "Ai" not in titles
    # The tests keep secrets in the encrypted file (no keyring): Settings says where it is.
    said = tab.secrets_notice.text()
    assert "No system keyring" in said and str(data_dir) in said


async def test_the_wheel_over_a_number_scrolls_the_page_and_changes_nothing(ui_ctx, qtbot,
                                                                            qapp):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QSpinBox

    from app.ui.widgets import wheel_guard

    wheel_guard.install(qapp)
    tab = SettingsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.resize(900, 500)
    tab.show()
    spin = next(f for f in tab.fields.values() if isinstance(f, QSpinBox) and f.isVisible())
    before = spin.value()

    def wheel_over(widget) -> None:
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        qapp.sendEvent(widget, event)

    for _ in range(3):
        wheel_over(spin)
    assert spin.value() == before, "the wheel passing over a number leaves it alone"
    assert tab.unsaved.text() == ""
    spin.setFocus()
    qapp.processEvents()
    if spin.hasFocus():  # offscreen windows take focus when active
        wheel_over(spin)
        assert spin.value() != before, "a number that has the focus follows the wheel"


async def test_unsaved_settings_are_marked_and_only_edits_are_saved(ui_ctx, qtbot):
    shown: list[tuple[str, str]] = []
    ui_ctx.messages.listen(lambda level, text: shown.append((level, text)))
    tab = SettingsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.save()
    assert shown[-1] == ("info", "No setting changed."), "a save with no edit changes nothing"
    field = tab.fields["whatsapp.proxy"]
    field.setText("http://proxy.plant.local:8080")
    assert tab.unsaved.text() == "1 unsaved change"
    field.setText("")
    assert tab.unsaved.text() == "", "typed back as it was: nothing unsaved"
    field.setText("http://proxy.plant.local:8080")
    tab.save()
    assert shown[-1] == ("info", "Settings saved (1 changed).")
    assert tab.unsaved.text() == ""


async def test_leaving_edited_settings_asks_to_save_discard_or_go_back(ui_ctx, qtbot, db):
    from PySide6.QtWidgets import QMessageBox

    from app.ui.main_window import MainWindow

    window = MainWindow(ui_ctx, db.path)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.settings_tab)
    window.settings_tab.fields["whatsapp.proxy"].setText("http://proxy.plant.local:8080")

    def question() -> QMessageBox:
        return window.findChild(QMessageBox, "unsaved_settings")

    window.tabs.setCurrentWidget(window.messages_tab)
    question().button(QMessageBox.StandardButton.Cancel).click()  # "Back to Settings"
    assert window.tabs.currentWidget() is window.settings_tab
    assert window.settings_tab.is_dirty()

    window.tabs.setCurrentWidget(window.messages_tab)
    await until(lambda: question() is not None and question().isVisible(), what="question")
    question().button(QMessageBox.StandardButton.Save).click()
    assert window.tabs.currentWidget() is window.messages_tab
    assert settings.get("whatsapp", "proxy") == "http://proxy.plant.local:8080"

    window.tabs.setCurrentWidget(window.settings_tab)
    window.settings_tab.fields["whatsapp.proxy"].setText("")
    window.close()
    assert window.isVisible(), "closing with unsaved settings asks first"
    await until(lambda: question() is not None and question().isVisible(), what="question")
    question().button(QMessageBox.StandardButton.Discard).click()
    await until(lambda: not window.isVisible(), what="the window to close")
    assert settings.get("whatsapp", "proxy") == "http://proxy.plant.local:8080"
