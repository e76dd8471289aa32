"""Users tab: accounts, roles, password resets, activation and unlocking (administrators)."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from app.core import permissions
from app.core.timefmt import local_text
from app.errors import UserError, describe
from app.runtime.executor import run_blocking
from app.services import auth, users
from app.ui.context import UiContext
from app.ui.dialogs.form import PasswordDialog, UserDialog
from app.ui.widgets.common import FilterTable, button_bar, confirm, follow, notice
from app.ui.widgets.table_model import Column, RecordTableModel


def _status(_value, row: dict) -> str:
    if not row["is_active"]:
        return "Deactivated"
    if row["locked"]:
        return f"Locked until {local_text(row['locked_until'])}"
    if row["login_attempts"]:
        return f"{row['login_attempts']} failed login(s)"
    return "Active"


def _status_color(row: dict) -> str | None:
    if not row["is_active"]:
        return "#777777"
    if row["locked"]:
        return "#b00020"
    return None


COLUMNS = (
    Column("username", "User name"),
    Column("full_name", "Full name"),
    Column("email", "E-mail"),
    Column("role", "Role"),
    Column("status", "Status", display=_status, color=_status_color),
    Column("last_login", "Last login"),
    Column("created_at", "Created"),
)


class UsersTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RecordTableModel(COLUMNS, self)
        self.table = FilterTable(self.model, "Filter users…")
        self.table.view.doubleClicked.connect(lambda _i: self.edit_user())
        self.table.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.new_button = QPushButton("New user…")
        self.edit_button = QPushButton("Edit…")
        self.password_button = QPushButton("Reset password…")
        self.active_button = QPushButton("Deactivate")
        self.unlock_button = QPushButton("Unlock")
        self.delete_button = QPushButton("Delete")
        bar = button_bar(
            (self.new_button, self.new_user),
            (self.edit_button, self.edit_user),
            (self.password_button, self.reset_password),
            (self.active_button, self.toggle_active),
            (self.unlock_button, self.unlock),
            (self.delete_button, self.delete_user),
        )
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.USERS_MANAGE):
            layout.addWidget(notice(
                "Only administrators can manage users. You can see the list, not change it."))
        layout.addLayout(bar)
        layout.addWidget(self.table)
        follow(self, ("users",), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        selected = self.table.selected_row()
        self.model.set_rows(users.list_users())
        self.table.view.resizeColumnsToContents()
        if selected:
            self.table.select_where("id", selected["id"])
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        allowed = self.ctx.can(permissions.USERS_MANAGE)
        row = self.table.selected_row()
        self.new_button.setEnabled(allowed)
        for button in (self.edit_button, self.password_button, self.active_button,
                       self.delete_button):
            button.setEnabled(allowed and row is not None)
        self.unlock_button.setEnabled(allowed and row is not None and
                                      bool(row["locked"] or row["login_attempts"]))
        self.active_button.setText("Activate" if row and not row["is_active"] else "Deactivate")

    # -- actions ----------------------------------------------------------------------------
    def new_user(self) -> None:
        dialog = UserDialog(parent=self)
        dialog.submitted.connect(lambda values: self._create(dialog, values))
        dialog.open()

    def _create(self, dialog: UserDialog, values: dict) -> None:
        if values["password"] != values["confirm"]:
            dialog.fail("The two passwords differ.")
            return

        async def work():
            auth.validate_password(values["password"])
            password_hash = await run_blocking(auth.hash_password_blocking, values["password"],
                                               timeout=20)
            return users.create_user(self.ctx.actor, values["username"], values["password"],
                                     role=values["role"], full_name=values["full_name"],
                                     email=values["email"], password_hash=password_hash)

        def done(user: dict) -> None:
            dialog.accept()
            self.ctx.messages.info(f"User {user['username']} created ({user['role']}).")
            self.table.select_where("id", user["id"])

        self.ctx.runner.run(work(), done, lambda exc: dialog.fail(describe(exc)),
                            key="users-save", control=dialog.save_button)

    def edit_user(self) -> None:
        row = self.table.selected_row()
        if row is None or not self.ctx.can(permissions.USERS_MANAGE):
            return
        dialog = UserDialog(row, parent=self)

        def save(values: dict) -> None:
            try:
                users.update_user(self.ctx.actor, row["id"], full_name=values["full_name"],
                                  email=values["email"], role=values["role"])
            except UserError as exc:
                dialog.fail(str(exc))
                return
            dialog.accept()
            self.ctx.messages.info(f"User {row['username']} saved.")

        dialog.submitted.connect(save)
        dialog.open()

    def reset_password(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        dialog = PasswordDialog(row["username"], parent=self)

        def save(values: dict) -> None:
            if values["password"] != values["confirm"]:
                dialog.fail("The two passwords differ.")
                return

            async def work():
                auth.validate_password(values["password"])
                new_hash = await run_blocking(auth.hash_password_blocking, values["password"],
                                              timeout=20)
                users.reset_password(self.ctx.actor, row["id"], values["password"],
                                     password_hash=new_hash)

            def done(_result) -> None:
                dialog.accept()
                self.ctx.messages.info(f"New password set for {row['username']}.")

            self.ctx.runner.run(work(), done, lambda exc: dialog.fail(describe(exc)),
                                key="users-password", control=dialog.save_button)

        dialog.submitted.connect(save)
        dialog.open()

    def _act(self, action, done_text: str) -> None:
        try:
            action()
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(done_text)

    def toggle_active(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        active = not row["is_active"]
        self._act(lambda: users.set_active(self.ctx.actor, row["id"], active),
                  f"User {row['username']} {'activated' if active else 'deactivated'}.")

    def unlock(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self._act(lambda: users.unlock(self.ctx.actor, row["id"]),
                      f"User {row['username']} unlocked.")

    def delete_user(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            confirm(self, "Delete user", f"Delete the account {row['username']}?",
                    lambda: self._act(lambda: users.delete_user(self.ctx.actor, row["id"]),
                                      f"User {row['username']} deleted."))
