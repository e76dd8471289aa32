"""Forms for users: new / edit, and password reset."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app.core.permissions import ROLE_LABELS, ROLES


class FormDialog(QDialog):
    """A dialog whose Save emits `submitted(values)`; the owner calls `fail` or closes it."""

    submitted = Signal(dict)

    def __init__(self, title: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.layout_.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(lambda: self.submitted.emit(self.values()))
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def values(self) -> dict:
        raise NotImplementedError

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Typing starts in the first field, not on a button (a space would press Save).
        focused = self.focusWidget()
        if focused is None or isinstance(focused, QAbstractButton):
            first = next((w for w in self.findChildren(QLineEdit)
                          if w.isEnabled() and w.isVisibleTo(self) and not w.isReadOnly()),
                         None)
            if first is not None:
                first.setFocus()

    def fail(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


def password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class UserDialog(FormDialog):
    def __init__(self, user: dict | None = None, parent=None) -> None:
        super().__init__("Edit user" if user else "New user", parent)
        self.user = user
        self.username = QLineEdit(user["username"] if user else "")
        self.username.setObjectName("username")
        self.username.setReadOnly(user is not None)
        self.full_name = QLineEdit(user["full_name"] if user else "")
        self.full_name.setObjectName("full_name")
        self.email = QLineEdit(user["email"] if user else "")
        self.email.setObjectName("email")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in ROLES:
            self.role.addItem(ROLE_LABELS[role], role)
        self.role.setCurrentIndex(ROLES.index(user["role"]) if user and user["role"] in ROLES
                                  else ROLES.index("user"))
        self.form.addRow("User name", self.username)
        self.form.addRow("Full name", self.full_name)
        self.form.addRow("E-mail", self.email)
        self.form.addRow("Role", self.role)
        self.password = password_field("password")
        self.confirm = password_field("confirm")
        if user is None:
            self.form.addRow("Password", self.password)
            self.form.addRow("Repeat password", self.confirm)

    def values(self) -> dict:
        return {"username": self.username.text().strip(), "full_name": self.full_name.text(),
                "email": self.email.text(), "role": self.role.currentData(),
                "password": self.password.text(), "confirm": self.confirm.text()}


class PasswordDialog(FormDialog):
    def __init__(self, username: str, parent=None) -> None:
        super().__init__(f"New password for {username}", parent)
        self.password = password_field("password")
        self.confirm = password_field("confirm")
        self.form.addRow("New password", self.password)
        self.form.addRow("Repeat password", self.confirm)

    def values(self) -> dict:
        return {"password": self.password.text(), "confirm": self.confirm.text()}
