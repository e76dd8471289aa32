"""The Audit Log in sentences: who did what to which thing, people by name and number, the
details one double click away."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QMessageBox

from app.db.models import Contact
from app.errors import UserError
from app.services import audit, auth, contacts, users
from app.ui.tabs.audit_tab import AuditTab

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])


def _shown(tab: AuditTab) -> list[str]:
    return [tab.model.index(r, 2).data() for r in range(tab.model.rowCount())]


async def test_entries_read_as_sentences_with_names_and_numbers(ui_ctx, qtbot):
    Contact.insert(id="6281234567890@c.us", name="Sari", phone="+6281234567890",
                   metadata={"allowed": False, "waiting": True, "tags": []}).execute()
    contacts.approve(ui_ctx.actor, "6281234567890@c.us")
    users.create_user(ui_ctx.actor, "budi", "shift-b-2025", role="viewer")
    with pytest.raises(UserError):
        auth.login("budi", "not-his-password")
    tab = AuditTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    shown = _shown(tab)
    assert "admin approved contact Sari (+62 812-3456-7890)" in shown
    assert "admin created user budi" in shown
    assert any(s.startswith("Someone tried to log in as budi") for s in shown), shown
    assert not [s for s in shown if re.search(r"[a-z]_[a-z]", s)], "no action identifiers"
    assert not any("@c.us" in s for s in shown)


async def test_a_double_click_shows_the_whole_entry(ui_ctx, qtbot):
    audit.record(ui_ctx.actor, "trigger_created", {"name": "drum", "type": "pi"})
    tab = AuditTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    row = next(r for r in range(tab.model.rowCount())
               if tab.model.index(r, 2).data() == "admin created trigger drum")
    tab.show_details(tab.model.index(row, 2))
    box = tab.findChild(QMessageBox, "audit_entry")
    assert box.isVisible() and box.text() == "admin created trigger drum"
    assert "type: pi" in box.detailedText() and "trigger_created" in box.informativeText()
    box.close()
