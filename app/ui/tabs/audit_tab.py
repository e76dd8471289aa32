"""Audit Log tab: every change, login, logout and failed login, newest first, read only."""

from __future__ import annotations

import functools
import json
from datetime import UTC

from PySide6.QtCore import QCoreApplication, QDateTime, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.timefmt import local_text
from app.services import audit, people
from app.ui.context import UiContext
from app.ui.widgets.audit_sentences import details_of, sentence
from app.ui.widgets.common import follow, make_table_view
from app.ui.widgets.table_model import ROW_ROLE, Column, LazyTableModel

PAGE_SIZE = 200


def _details(value, _row) -> str:
    if not value:
        return ""
    try:
        parsed = json.loads(value)
    except ValueError:
        return value
    if isinstance(parsed, dict):
        return ", ".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                         for k, v in parsed.items())
    return value


def _who(_value, row) -> str:
    if row["username"]:
        return row["username"]
    return "—" if not row["user_id"] else row["user_id"][:8]


def _color(row) -> str | None:
    action = row["action"]
    if action in ("login_failed", "account_locked", "suspicious_activity"):
        return "#b00020"
    return None


@functools.lru_cache(maxsize=4096)
def _person(recipient: str) -> str:
    """A contact as people know them, for the sentences (cached: a table repaints often)."""
    return people.label(recipient)


def _what(value, row) -> str:
    # No user: the command line (`config import`, `alarms run-once`) or the app on its own.
    who = _who(None, row) if row["username"] else QCoreApplication.translate(
        "AuditSentence", "The app")
    return sentence(value, who, row["details"], _person)


COLUMNS = (
    Column("timestamp", "Time"),
    Column("username", "User", display=_who),
    Column("action", "What happened", display=_what, color=_color,
           tooltip=lambda r: r["action"]),
    Column("details", "Details", display=_details, tooltip=lambda r: r["details"] or None),
    Column("user_agent", "Where"),
)


class AuditTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = LazyTableModel(COLUMNS, self._fetch, PAGE_SIZE, self)
        self.view = make_table_view(self.model, sortable=False)
        self.view.setColumnWidth(0, 140)
        self.view.setColumnWidth(1, 110)
        self.view.setColumnWidth(2, 420)
        self.view.setColumnWidth(3, 420)
        self.view.doubleClicked.connect(self.show_details)

        self.user = QComboBox()
        self.user.setObjectName("user_filter")
        self.action = QComboBox()
        self.action.setObjectName("action_filter")
        self.since_on = QCheckBox("From")
        self.since = QDateTimeEdit(QDateTime.currentDateTime().addDays(-7))
        self.until_on = QCheckBox("to")
        self.until = QDateTimeEdit(QDateTime.currentDateTime().addDays(1))
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.text = QLineEdit()
        self.text.setPlaceholderText("Search details…")
        self.text.setClearButtonEnabled(True)
        self.count_label = QLabel()
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.reload)

        bar = QHBoxLayout()
        for widget in (QLabel("User"), self.user, QLabel("Action"), self.action, self.since_on,
                       self.since, self.until_on, self.until, self.text, refresh):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.reload)
        for signal in (self.user.currentIndexChanged, self.action.currentIndexChanged,
                       self.since_on.toggled, self.until_on.toggled, self.since.dateTimeChanged,
                       self.until.dateTimeChanged, self.text.textChanged):
            signal.connect(self._debounce.start)
        self._stale = False
        follow(self, ("audit_logs",), self._mark_stale)
        self._fill_filters()
        self.reload()

    def _fill_filters(self) -> None:
        current_user, current_action = self.user.currentData(), self.action.currentData()
        for combo in (self.user, self.action):
            combo.blockSignals(True)
            combo.clear()
        self.user.addItem("Everyone", None)
        self.user.addItem("(no user)", "")
        for user_id, username in audit.users_seen():
            self.user.addItem(username, user_id)
        self.action.addItem("All actions", None)
        for action in audit.actions():
            self.action.addItem(action, action)
        for combo, value in ((self.user, current_user), (self.action, current_action)):
            index = combo.findData(value)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def current_filter(self) -> audit.AuditFilter:
        def moment(edit: QDateTimeEdit):
            return edit.dateTime().toPython().astimezone(UTC)

        return audit.AuditFilter(
            user_id=self.user.currentData(),
            action=self.action.currentData(),
            since=moment(self.since) if self.since_on.isChecked() else None,
            until=moment(self.until) if self.until_on.isChecked() else None,
            text=self.text.text().strip() or None,
        )

    def _fetch(self, last: dict | None, limit: int) -> list[dict]:
        return audit.page(self._filter, last["rowid"] if last else None, limit)

    def reload(self) -> None:
        self._stale = False
        _person.cache_clear()  # a contact renamed since shows under the new name
        self._filter = self.current_filter()
        self.model.reload()
        total = audit.count(self._filter)
        self.count_label.setText(f"{total:,} entries" + (
            f" — could not load more: {self.model.load_error}" if self.model.load_error else ""))

    def show_details(self, index) -> None:
        """The entry whole: its sentence, and every detail as stored."""
        row = index.data(ROW_ROLE)
        if not row:
            return
        details = details_of(row["details"])
        text = "\n".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                         for k, v in details.items()) or (row["details"] or "")
        box = QMessageBox(QMessageBox.Icon.Information, "Audit entry",
                          _what(row["action"], row), parent=self)
        box.setInformativeText(f"{local_text(row['timestamp'])} · {row['action']}")
        box.setDetailedText(text)
        box.setObjectName("audit_entry")
        box.open()
        self.entry_box = box

    def _mark_stale(self) -> None:
        # New entries appear at the top; reload when visible, else on the next showEvent.
        if self.isVisible():
            self._fill_filters()
            self._debounce.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self._fill_filters()
            self.reload()
        super().showEvent(event)
