"""The Settings tab: sections in words, the proxy refused when malformed, where secrets live."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit

from app.services import settings
from app.ui.tabs.settings_tab import SettingsTab

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
