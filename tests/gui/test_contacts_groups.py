"""The Contacts tab and group chats: a group asked in the Simulator waits for approval there,
marked as a group; approving, tagging and blocking it work as for a person, audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.bridge.loopback import DEFAULT_GROUP
from app.db.models import AuditLog
from app.services import contacts, groups, messages
from app.ui.dialogs.contact_dialog import ContactDialog
from app.ui.tabs.contacts_tab import ContactsTab
from app.ui.tabs.simulator_tab import SimulatorTab
from app.ui.widgets.recipients import RecipientsEditor, group_choices
from tests.gui.test_bot_tabs import host, rows, running, say, shown  # noqa: F401 - fixture
from tests.helpers.waiting import until

QASYNC = pytest.mark.asyncio(loop_factories=["qasync"])


def audited(action: str) -> list[dict]:
    return [a.details for a in AuditLog.select().where(AuditLog.action == action)
            .order_by(AuditLog.timestamp)]


@QASYNC
async def test_a_group_waits_in_contacts_and_is_approved_tagged_and_blocked_there(
        ui_ctx, host, qtbot):  # noqa: F811 - the fixture imported above
    async with running(ui_ctx, host) as ctx:
        simulator = SimulatorTab(ctx)
        tab = ContactsTab(ctx)
        for widget in (simulator, tab):
            qtbot.addWidget(widget)
        simulator.show()
        me = contacts.find_contact(simulator.sender.text())
        assert me is None or not me["allowed"]
        await say(simulator, qtbot, "demo")  # a stranger in private: told once
        contacts.approve(ctx.actor, contacts.find_contact(simulator.sender.text())["id"])
        simulator.group.setChecked(True)
        [notice] = await say(simulator, qtbot, "!demo")
        assert notice.text.startswith("This group is not approved for the plant bot yet.")
        assert "Demo plant" not in notice.text

        tab.show()
        await until(lambda: any(r["kind"] == "group" for r in rows(tab.model)),
                    what="the group in Contacts")
        [group] = [r for r in rows(tab.model) if r["kind"] == "group"]
        at = rows(tab.model).index(group)
        assert tab.model.index(at, 0).data() == "(group, no name yet)"
        assert tab.model.index(at, 1).data() == f"group {DEFAULT_GROUP}"
        assert tab.model.index(at, 2).data() == "Waiting for approval"
        assert "wait for approval" in tab.hint.text()
        tab.waiting_only.setChecked(True)
        assert [r["id"] for r in rows(tab.model)] == [DEFAULT_GROUP]

        tab.table.select_where("id", DEFAULT_GROUP)
        assert tab.approve_button.isEnabled()
        qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
        assert groups.get(DEFAULT_GROUP)["allowed"]
        assert audited("contact_approved")[-1] == {
            "contact_id": DEFAULT_GROUP, "name": "", "phone": "", "kind": "group"}
        tab.waiting_only.setChecked(False)

        tab.table.select_where("id", DEFAULT_GROUP)
        tab.edit()
        dialog = tab.findChild(ContactDialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert DEFAULT_GROUP in labels  # its id, where a person's form shows the number
        assert any("decide what may be posted in this group" in t for t in labels)
        dialog.name.setText("Boiler operators")
        dialog.tags.setText("ops, shift-a")
        dialog.save_button.click()
        await until(lambda: groups.get(DEFAULT_GROUP)["tags"] == ["ops", "shift-a"],
                    what="the group's tags saved")
        await until(lambda: "Boiler operators (group)" in shown(tab.model, 0),
                    what="the group's name shown")
        assert audited("contact_updated")[-1]["changes"] == {
            "name": ["", "Boiler operators"], "tags": [[], ["ops", "shift-a"]]}

        [answer] = await say(simulator, qtbot, "!demo")  # approved: the bot answers there
        assert answer.text.startswith("*Demo plant*")

        tab.table.select_where("id", DEFAULT_GROUP)
        assert tab.block_button.text() == "Block"
        qtbot.mouseClick(tab.block_button, Qt.MouseButton.LeftButton)
        assert groups.get(DEFAULT_GROUP)["blocked"]
        assert audited("contact_blocked")[-1]["kind"] == "group"
        before = len(host.loopback.sent)
        simulator.message.setText("!demo please")
        qtbot.keyClick(simulator.message, Qt.Key.Key_Return)
        await until(lambda: messages.page(messages.MessageFilter(status="blocked"), None, 5),
                    what="the message in the blocked group decided")
        assert len(host.loopback.sent) == before  # nothing posted in a blocked group


def test_the_recipients_editor_says_when_a_named_group_gets_nothing(ui_ctx, qtbot, admin):
    groups.save_from_file(admin, jid=DEFAULT_GROUP, name="Boiler operators", allowed=False,
                          tags=[])
    editor = RecipientsEditor()
    qtbot.addWidget(editor)
    editor.set_spec({"groups": [DEFAULT_GROUP, "120363999999999999@g.us"]})
    assert editor.warning.text() == (
        "The group Boiler operators is not approved in Contacts. The group "
        "120363999999999999@g.us is not approved in Contacts (the bot has not seen it yet). "
        "Nothing is posted in a group until it is approved in Contacts.")
    assert group_choices() == [(f"Boiler operators ({DEFAULT_GROUP}) — not approved in "
                                "Contacts yet", DEFAULT_GROUP)]
    contacts.approve(admin, DEFAULT_GROUP)
    editor.set_spec({"groups": [DEFAULT_GROUP]})
    assert editor.warning.text() == ""
