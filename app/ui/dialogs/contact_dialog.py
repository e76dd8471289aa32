"""The contact form: name, tags and e-mail address of someone who wrote to the bot, or the name
and tags of a group chat (a group has no address: its members each have theirs)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
)

from app.ui.dialogs.form import FormDialog, line_field
from app.ui.language import translate


class ContactDialog(FormDialog):
    def __init__(self, contact: dict[str, Any], parent=None) -> None:
        super().__init__(translate("ContactDialog", "Edit {name}").format(
            name=contact["display_name"]), parent)
        self.contact = contact
        self.name = line_field("name", contact["name"])
        self.tags = line_field("tags", ", ".join(contact["tags"]),
                               self.tr("ops, shift-a, managers"))
        group = contact.get("kind") == "group"
        address = QLabel(contact["id"] if group else contact["phone"] or contact["id"])
        address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(
            self.tr("Group ID") if group else self.tr("Phone / ID"), address)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Tags"), self.tags)
        self.email = None if group else email_field(contact.get("email") or "")
        if self.email is not None:
            self.form.addRow(self.tr("E-mail"), self.email)
        hint = QLabel(
            self.tr(
                    "Tags, separated by commas, decide what may be posted in this group, which "
                    "everyone in it reads: a trigger limited to some tags answers here only when "
                    "the group has one of them and the person asking does too; alarms and "
                    "schedules of such a trigger reach the group only then.") if group else
            self.tr(
                    "Tags, separated by commas, decide which triggers a contact may use: a "
                    "trigger limited to some tags answers only contacts with one of them."))
        hint.setWordWrap(True)
        self.form.addRow(hint)

    def values(self) -> dict:
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        return {"name": self.name.text(), "tags": tags,
                "email": self.email.text() if self.email is not None else None}


class NewContactDialog(FormDialog):
    """Someone added before they write: approved at once, with their tags."""

    def __init__(self, parent=None) -> None:
        super().__init__(translate("NewContactDialog", "New contact"), parent)
        self.phone = line_field("phone", "",
            self.tr("+62 812 3456 7890 or 0812 3456 7890"))
        self.name = line_field("name", "", self.tr("e.g. Budi Santoso"))
        self.tags = line_field("tags", "", self.tr("ops, shift-a, managers"))
        self.form.addRow(self.tr("Phone *"), self.phone)
        self.email = email_field("")
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Tags"), self.tags)
        self.form.addRow(self.tr("E-mail"), self.email)
        hint = QLabel(
            self.tr(
                    "The contact is approved at once: when they write from this number, "
                    "the bot answers them with what their tags allow."))

        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.first_field = self.phone

    def values(self) -> dict:
        tags = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        return {"phone": self.phone.text(), "name": self.name.text(), "tags": tags,
                "email": self.email.text()}


def email_field(address: str) -> QLineEdit:
    field = line_field("email", address, translate("ContactDialog", "sari@plant.example"))
    field.setToolTip(translate(
        "ContactDialog", "Where alarms sent by e-mail reach this person; leave it empty for "
        "none."))
    return field
