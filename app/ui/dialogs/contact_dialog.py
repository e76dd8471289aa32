"""The contact form: name and tags of someone who wrote to the bot, or of a group chat."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
)

from app.ui.dialogs.form import FormDialog, line_field


class ContactDialog(FormDialog):
    def __init__(self, contact: dict[str, Any], parent=None) -> None:
        super().__init__(f"Edit {contact['display_name']}", parent)
        self.contact = contact
        self.name = line_field("name", contact["name"])
        self.tags = line_field("tags", ", ".join(contact["tags"]), "ops, shift-a, managers")
        group = contact.get("kind") == "group"
        address = QLabel(contact["id"] if group else contact["phone"] or contact["id"])
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow("Group ID" if group else "Phone / ID", address)
        self.form.addRow("Name", self.name)
        self.form.addRow("Tags", self.tags)
        hint = QLabel(
            "Tags, separated by commas, decide what may be posted in this group, which everyone "
            "in it reads: a trigger limited to some tags answers here only when the group has "
            "one of them and the person asking does too; alarms and schedules of such a "
            "trigger reach the group only then." if group else
            "Tags, separated by commas, decide which triggers a contact may use: a trigger "
            "limited to some tags answers only contacts with one of them.")
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def values(self) -> dict:
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        return {"name": self.name.text(), "tags": tags}


class NewContactDialog(FormDialog):
    """Someone added before they write: approved at once, with their tags."""

    def __init__(self, parent=None) -> None:
        super().__init__("New contact", parent)
        self.phone = line_field("phone", "", "+62 812 3456 7890 or 0812 3456 7890")
        self.name = line_field("name", "", "e.g. Budi Santoso")
        self.tags = line_field("tags", "", "ops, shift-a, managers")
        self.form.addRow("Phone *", self.phone)
        self.form.addRow("Name", self.name)
        self.form.addRow("Tags", self.tags)
        hint = QLabel("The contact is approved at once: when they write from this number, the "
                      "bot answers them with what their tags allow.")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.first_field = self.phone

    def values(self) -> dict:
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        return {"phone": self.phone.text(), "name": self.name.text(), "tags": tags}
