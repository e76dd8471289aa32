"""Users tab: accounts, roles, password resets, activation and unlocking (administrators)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.core import permissions
from app.core.timefmt import local_text
from app.errors import describe
from app.runtime.executor import run_blocking
from app.services import auth, users
from app.ui import language
from app.ui.dialogs.user_dialog import PasswordDialog, UserDialog
from app.ui.language import translate
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column


def _status(_value, row: dict) -> str:
    if not row["is_active"]:
        return translate("UsersTab", "Deactivated")
    if row["locked"]:
        return translate("UsersTab", "Locked until {time}").format(
            time=local_text(row["locked_until"]))
    if row["login_attempts"]:
        return language.counts().failed_logins(row["login_attempts"])
    return translate("UsersTab", "Active")


# The role's word in the list (its form shows the longer label of permissions.ROLE_LABELS).
ROLE_WORDS = {"admin": QT_TRANSLATE_NOOP("UsersTab", "admin"),
              "user": QT_TRANSLATE_NOOP("UsersTab", "user"),
              "viewer": QT_TRANSLATE_NOOP("UsersTab", "viewer")}


def _status_color(row: dict) -> str | None:
    if not row["is_active"]:
        return "#777777"
    if row["locked"]:
        return "#b00020"
    return None


COLUMNS = (
    Column("username", QT_TRANSLATE_NOOP("Columns", "User name")),
    Column("full_name", QT_TRANSLATE_NOOP("Columns", "Full name")),
    Column("email", QT_TRANSLATE_NOOP("Columns", "E-mail")),
    Column("role", QT_TRANSLATE_NOOP("Columns", "Role"),
           display=lambda v, _r: translate("UsersTab", ROLE_WORDS[v]) if v in ROLE_WORDS else v),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"), display=_status,
           color=_status_color),
    Column("last_login", QT_TRANSLATE_NOOP("Columns", "Last login")),
    Column("created_at", QT_TRANSLATE_NOOP("Columns", "Created")),
)


class UsersTab(ListTab):
    columns = COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter users…")
    permission = permissions.USERS_MANAGE
    read_only_text = QT_TRANSLATE_NOOP(
        "ListTab", "Only administrators can manage users. You can see the list, not change it.")
    topics = ("users",)
    has_hint = False

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New user…"), self.new_user, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit_user)
        self.password_button = self.add_button(self.tr("Reset password…"), self.reset_password)
        self.active_button = self.add_button(self.tr("Deactivate"), self.toggle_active)
        self.unlock_button = self.add_button(self.tr("Unlock"), self.unlock, rule=False)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete_user)

    def load(self) -> list[dict]:
        return users.list_users()

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        self.unlock_button.setEnabled(self.writable() and row is not None and
                                      bool(row["locked"] or row["login_attempts"]))
        self.active_button.setText(self.tr("Activate") if row and not row["is_active"]
                                   else self.tr("Deactivate"))

    @staticmethod
    def role_word(role: str) -> str:
        return translate("UsersTab", ROLE_WORDS[role]) if role in ROLE_WORDS else role

    def edit(self) -> None:
        self.edit_user()

    # -- actions ----------------------------------------------------------------------------
    def new_user(self) -> None:
        dialog = UserDialog(parent=self)
        dialog.submitted.connect(lambda values: self._create(dialog, values))
        dialog.open()

    def _create(self, dialog: UserDialog, values: dict) -> None:
        if values["password"] != values["confirm"]:
            dialog.fail(self.tr("The two passwords differ."))
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
            self.ctx.messages.info(translate("UsersTab", "User {name} created ({role}).").format(
                name=user["username"], role=self.role_word(user["role"])))
            self.table.select_where("id", user["id"])

        self.ctx.runner.run(work(), done, lambda exc: dialog.fail(describe(exc)),
                            key="users-save", control=dialog.save_button)

    def edit_user(self) -> None:
        row = self.selected()
        if row is None or not self.writable():
            return
        self.save_form(
            UserDialog(row, parent=self),
            lambda values: users.update_user(self.ctx.actor, row["id"],
                                             full_name=values["full_name"],
                                             email=values["email"], role=values["role"]),
            lambda _values, _saved: self.tr("User {name} saved.").format(name=row["username"]))

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = PasswordDialog(row["username"], parent=self)

        def save(values: dict) -> None:
            if values["password"] != values["confirm"]:
                dialog.fail(translate("UsersTab", "The two passwords differ."))
                return

            async def work():
                auth.validate_password(values["password"])
                new_hash = await run_blocking(auth.hash_password_blocking, values["password"],
                                              timeout=20)
                users.reset_password(self.ctx.actor, row["id"], values["password"],
                                     password_hash=new_hash)

            def done(_result) -> None:
                dialog.accept()
                self.ctx.messages.info(translate("UsersTab", "New password set for {name}.").format(
                    name=row["username"]))

            self.ctx.runner.run(work(), done, lambda exc: dialog.fail(describe(exc)),
                                key="users-password", control=dialog.save_button)

        dialog.submitted.connect(save)
        dialog.open()

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        active = not row["is_active"]
        self.act(lambda: users.set_active(self.ctx.actor, row["id"], active),
                 (self.tr("User {name} activated.") if active
                  else self.tr("User {name} deactivated.")).format(name=row["username"]))

    def unlock(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: users.unlock(self.ctx.actor, row["id"]),
                     self.tr("User {name} unlocked.").format(name=row["username"]))

    def delete_user(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(self.tr("Delete user"),
                              self.tr("Delete the account {name}?").format(name=row["username"]),
                              lambda: users.delete_user(self.ctx.actor, row["id"]),
                              self.tr("User {name} deleted.").format(name=row["username"]))

