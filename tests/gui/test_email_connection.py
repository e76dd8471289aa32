"""An e-mail connection in the Connections tab: the form draws the kind from its field list,
its Test tries the settings as typed against a real mail server, and the tab's Test afterwards
says connected; the password goes to the secret store, never into the database file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.db.models import DataSource
from app.services import sources
from app.ui.dialogs.source_dialog import SourceDialog
from app.ui.tabs.connections_tab import ConnectionsTab
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import until
from tests.smtp_server import SmtpServer

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

PASSWORD = "Kata-Sandi-Surat-42"


def _row(tab: ConnectionsTab, name: str) -> tuple[str, str, str]:
    """(Address, Status, Message) as the table shows them for `name`."""
    for r in range(tab.model.rowCount()):
        if tab.model.index(r, 0).data(ROW_ROLE)["name"] == name:
            return (tab.model.index(r, 2).data(), tab.model.index(r, 4).data(),
                    tab.model.index(r, 6).data())
    raise AssertionError(f"{name} is not listed")


async def _form_test(form: SourceDialog, qtbot) -> tuple[bool, str]:
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: not form.test_result.text().startswith("Testing"), timeout=20,
                what="the form's test")
    return "#1b5e20" in form.test_result.styleSheet(), form.test_result.text()


async def test_an_e_mail_connection_is_set_tested_and_saved_in_connections(
        ui_ctx, qtbot, db, smtp_tls_files):
    with SmtpServer(security="starttls", tls=smtp_tls_files,
                    users={"wa-bot": PASSWORD}) as server:
        tab = ConnectionsTab(ui_ctx)
        qtbot.addWidget(tab)
        tab.show()
        qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
        form = tab.findChildren(SourceDialog)[-1]
        qtbot.keyClicks(form.name, "Plant mail")
        form.kind.setCurrentIndex(form.kind.findData("email"))
        assert form.kind.currentText() == "E-mail (SMTP mail server)"
        shown = [key for key, (label, widget) in form.rows.items() if not widget.isHidden()]
        assert shown == ["host", "security", "port", "username", "password", "from_address",
                         "verify_tls", "timeout_s"]
        assert form.widgets["security"].currentData() == "starttls"

        qtbot.keyClicks(form.widgets["host"], "127.0.0.1")
        form.widgets["port"].setValue(server.port)
        qtbot.keyClicks(form.widgets["username"], "wa-bot")
        qtbot.keyClicks(form.widgets["password"], "wrong-password")
        form.widgets["timeout_s"].setValue(5)
        qtbot.keyClicks(form.widgets["from_address"], "wa-bot@plant")

        ok, text = await _form_test(form, qtbot)
        assert not ok and text.startswith("From address: 'wa-bot@plant' is not an e-mail "
                                          "address"), text
        form.widgets["from_address"].setText("wa-bot@plant.example.com")

        ok, text = await _form_test(form, qtbot)  # the system's CAs do not know the plant's
        assert not ok and "is not trusted" in text, text
        form.widgets["verify_tls"].bundle.setText(smtp_tls_files.ca)

        ok, text = await _form_test(form, qtbot)
        assert not ok and "refused the sign-in of wa-bot" in text, text
        form.widgets["password"].setText(PASSWORD)

        ok, text = await _form_test(form, qtbot)
        assert ok and text.startswith("Connected with STARTTLS, signed in as wa-bot in "), text
        assert DataSource.select().where(DataSource.plugin == "email").count() == 0

        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        await until(lambda: any(tab.model.index(r, 0).data(ROW_ROLE)["name"] == "Plant mail"
                                for r in range(tab.model.rowCount())), what="saved row")
        saved = sources.find_by_name("Plant mail")
        assert saved["plugin"] == "email" and saved["secrets_set"] == ["password"]
        assert saved["config"]["verify_tls"] == smtp_tls_files.ca
        assert PASSWORD.encode() not in db.path.read_bytes()
        assert _row(tab, "Plant mail")[0] == f"127.0.0.1:{server.port}"

        tab.table.select_where("name", "Plant mail")
        qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
        await until(lambda: _row(tab, "Plant mail")[1] not in ("Not tested", "Testing…"),
                    timeout=20, what="the tab's test")
        assert _row(tab, "Plant mail")[1] == "Connected", _row(tab, "Plant mail")
        assert not tab.query_button.isVisible() and not tab.browse_button.isVisible()
    assert server.received == []  # a test sends nothing
