"""Login, first-run admin creation and unlock: one form, the password checked off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_NAME, __version__
from app.errors import describe
from app.runtime.executor import run_blocking
from app.services import auth, users
from app.ui.runner import AsyncRunner

PASSWORD_CHECK_TIMEOUT_S = 20


async def check_login(username: str, password: str) -> auth.SessionInfo:
    attempt = auth.prepare_login(username)
    ok = await run_blocking(auth.check_password_blocking, password, attempt.password_hash,
                            timeout=PASSWORD_CHECK_TIMEOUT_S)
    return auth.finish_login(attempt, ok)


async def create_first_admin(username: str, full_name: str, password: str) -> auth.SessionInfo:
    auth.validate_password(password)
    password_hash = await run_blocking(auth.hash_password_blocking, password,
                                       timeout=PASSWORD_CHECK_TIMEOUT_S)
    users.create_user(None, username, password, role="admin", full_name=full_name,
                      password_hash=password_hash)
    return auth.finish_login(auth.prepare_login(username), True)


class LoginForm(QWidget):
    """The fields and the error line; used by the dialog and by the lock screen."""

    submitted = Signal()

    def __init__(self, first_run: bool, fixed_username: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.first_run = first_run
        layout = QFormLayout(self)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setMaxLength(50)
        if fixed_username:
            self.username.setText(fixed_username)
            self.username.setReadOnly(True)
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addRow("User name", self.username)
        if first_run:
            layout.addRow("Full name", self.full_name)
        layout.addRow("Password", self.password)
        if first_run:
            layout.addRow("Repeat password", self.confirm)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        layout.addRow(self.error)
        for field in (self.username, self.password, self.confirm):
            field.returnPressed.connect(self.submitted)

    def show_busy(self, text: str) -> None:
        """What is happening while the password is checked or the account made (the password
        hashing takes a few seconds on purpose, so guessing is slow too)."""
        self.show_error(text)
        self.error.setStyleSheet("color: #555;")

    def show_error(self, text: str) -> None:
        self.error.setStyleSheet("color: #b00020;")
        self.error.setText(text)
        self.error.setVisible(bool(text))
        # A wrapped sentence of two or three lines needs the height the form had not kept for
        # it: the form (and a dialog holding it) grows to show it whole.
        if text:
            width = self.error.width() or self.width()
            self.error.setMinimumHeight(self.error.heightForWidth(width))
        else:
            self.error.setMinimumHeight(0)
        top = self.window()
        if top is not self and isinstance(top, QDialog):
            if top.layout() is not None:
                top.layout().activate()  # place the buttons under the sentence now, not later
            top.adjustSize()

    def local_problem(self) -> str | None:
        if not self.username.text().strip():
            return "Type your user name."
        if not self.password.text():
            return "Type your password." if not self.first_run else \
                "The password is empty. Type a password of at least 8 characters."
        if self.first_run and self.password.text() != self.confirm.text():
            return "The two passwords differ."
        return None


class LoginDialog(QDialog):
    """Emits `authenticated(SessionInfo)`; never uses exec(), so it lives happily on qasync."""

    authenticated = Signal(object)

    def __init__(self, runner: AsyncRunner, first_run: bool, db_note: str = "",
                 parent=None, last_user: str = "") -> None:
        super().__init__(parent)
        self._runner = runner
        self.setWindowTitle(f"{APP_NAME} {__version__} — " +
                            ("create the administrator" if first_run else "log in"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "<b>Welcome.</b> Create the administrator account of this workstation. "
            "You will use it to log in, and to add the other users."
            if first_run else "<b>Log in</b> to WA-Integration.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if db_note:
            note = QLabel(db_note)
            note.setObjectName("db_note")
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            layout.addWidget(note)
        self.form = LoginForm(first_run)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create and log in" if first_run else "Log in")
        self.ok_button.setObjectName("ok")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form.submitted.connect(self.submit)
        layout.addWidget(self.buttons)
        if last_user:  # the user name of the last log-in on this workstation, offered again
            self.form.username.setText(last_user)
            self.form.password.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.form.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self) -> None:
        problem = self.form.local_problem()
        if problem:
            self.form.show_error(problem)
            return
        self.form.show_error("")
        username = self.form.username.text().strip()
        password = self.form.password.text()
        if self.form.first_run:
            work = create_first_admin(username, self.form.full_name.text(), password)
            self.form.show_busy("Creating the administrator account… this takes a few "
                                "seconds.")
        else:
            work = check_login(username, password)
            self.form.show_busy("Checking the password…")
        self._runner.run(work, self._on_ok, self._on_error, key="login", control=self.ok_button)

    def _on_ok(self, session: auth.SessionInfo) -> None:
        self.form.password.clear()
        self.form.confirm.clear()
        self.authenticated.emit(session)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.form.password.clear()
        self.form.password.setFocus()
        self.form.show_error(describe(exc))
