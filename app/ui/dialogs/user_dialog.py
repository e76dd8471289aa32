"""The user forms: new / edit a user, and set a new password."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.core.permissions import ROLE_LABELS, ROLES
from app.ui.dialogs.form import FormDialog, line_field, password_field
from app.ui.language import translate


class UserDialog(FormDialog):
    def __init__(self, user: dict | None = None, parent=None) -> None:
        super().__init__(translate("UserDialog", "Edit user") if user
                         else translate("UserDialog", "New user"), parent)
        self.user = user
        self.username = line_field("username", user["username"] if user else "")
        self.username.setReadOnly(user is not None)
        self.full_name = line_field("full_name", user["full_name"] if user else "")
        self.email = line_field("email", user["email"] if user else "")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in ROLES:
            self.role.addItem(translate("Labels", ROLE_LABELS[role]), role)
        self.role.setCurrentIndex(ROLES.index(user["role"]) if user and user["role"] in ROLES
                                  else ROLES.index("user"))
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Full name"), self.full_name)
        self.form.addRow(self.tr("E-mail"), self.email)
        self.form.addRow(self.tr("Role"), self.role)
        self.password = password_field("password")
        self.confirm = password_field("confirm")
        if user is None:
            self.form.addRow(self.tr("Password"), self.password)
            self.form.addRow(self.tr("Repeat password"), self.confirm)

    def values(self) -> dict:
        return {"username": self.username.text().strip(), "full_name": self.full_name.text(),
                "email": self.email.text(), "role": self.role.currentData(),
                "password": self.password.text(), "confirm": self.confirm.text()}


class PasswordDialog(FormDialog):
    def __init__(self, username: str, parent=None) -> None:
        super().__init__(translate("PasswordDialog", "New password for {name}").format(
            name=username), parent)
        self.password = password_field("password")
        self.confirm = password_field("confirm")
        self.form.addRow(self.tr("New password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.confirm)

    def values(self) -> dict:
        return {"password": self.password.text(), "confirm": self.confirm.text()}
