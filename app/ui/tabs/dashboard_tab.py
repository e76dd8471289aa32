"""Dashboard tab: WhatsApp's state and what to do about it, pairing, today's counts, activity.

A little over 500 lines: every box of the one page people watch lives here, each a few lines
of layout and its refresh; split it when a box grows logic of its own.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import segno
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.core.timefmt import local_text, parse_ts
from app.errors import describe
from app.services import events, messages, wa_status
from app.ui.context import UiContext
from app.ui.language import translate
from app.ui.off_loop import Refresher
from app.ui.tabs.dashboard_alarms import (
    alarm_flags,
    alarm_summary,
    nobody_words,
    read_numbers,
    words,
)
from app.ui.tabs.messages_tab import address_text, first_line, status_color, status_text
from app.ui.widgets.common import confirm, make_table_view, notice
from app.ui.widgets.table_model import Column, RecordTableModel

REFRESH_MS = 2000
FULL_REFRESH_TICKS = 15
GREEN, AMBER, RED, GREY = "#1b5e20", "#8a6d00", "#b00020", "#666666"


def qr_pixmap(data: str, scale: int = 6) -> QPixmap:
    """The QR code WhatsApp shows on a computer, drawn from its payload text."""
    buffer = io.BytesIO()
    segno.make(data, error="l").save(buffer, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


def state_words(status: dict[str, Any], running: bool) -> tuple[str, str, str]:
    """(headline, what to do, colour) for the engineer, from wa_status.get()."""
    state = status.get("state") or "stopped"
    detail = (status.get("detail") or "").strip()
    number = status.get("bot_number") or ""
    before = detail + " " if detail else ""
    if state == "connected":
        return (translate("DashboardTab", "Connected as {number}").format(number=number)
                if number else translate("DashboardTab", "Connected"),
                translate("DashboardTab",
                        "The bot answers messages. Nothing to do."), GREEN)
    if state == "starting":
        return (translate("DashboardTab", "Connecting to WhatsApp…"),
                detail or translate("DashboardTab", "This takes a few seconds."), AMBER)
    if state == "waiting_for_qr":
        # The bridge's own sentence names a pairing code once one was asked for.
        return (translate("DashboardTab", "Waiting to be paired"),
                detail if "code" in detail.lower() else translate(
                    "DashboardTab", "On the bot phone open WhatsApp → Settings → Linked "
                    "devices → Link a device and scan the QR code below, or request a pairing "
                    "code for the bot's number and type it on the phone."), AMBER)
    if state == "reconnecting":
        tries = status.get("reconnect_attempts") or 0
        headline = translate("DashboardTab", "Reconnecting (attempt {tries})…").format(
            tries=tries) if tries else translate("DashboardTab", "Reconnecting…")
        return (headline, detail or translate(
            "DashboardTab", "The connection to WhatsApp dropped; the bot tries again by itself. "
            "Check the workstation's network if this lasts."), AMBER)
    if state == "logged_out":
        return (translate("DashboardTab", "Logged out"), before + translate(
            "DashboardTab", "WhatsApp removed this workstation from the bot phone's linked "
            "devices. Press Start and pair again with the QR code or a pairing code."), RED)
    if state == "banned":
        until = parse_ts(status.get("banned_until"))
        headline = translate("DashboardTab", "Temporarily banned until {time}").format(
            time=local_text(until)) if until else translate("DashboardTab", "Temporarily banned")
        return (headline, before + translate(
            "DashboardTab", "WhatsApp blocked the number for a while. Sending is paused and "
            "replies wait in the outbox; do not press Start again before the ban ends."), RED)
    if state == "outdated":
        return (translate("DashboardTab", "This version is too old for WhatsApp"),
                before + translate("DashboardTab", "WhatsApp refuses this client version. "
                                   "Install a newer WA-Integration; the pairing is kept."), RED)
    if state == "failed":
        return (translate("DashboardTab", "Could not connect"), before + translate(
            "DashboardTab", "Press Start to try again; the log file has the details."), RED)
    if running:
        return (translate("DashboardTab", "Starting…"), detail, AMBER)
    return (translate("DashboardTab", "Stopped"), translate(
        "DashboardTab", "The bot is not connected to WhatsApp. Press Start to connect it; the "
        "first time, pair it with the bot phone."), GREY)


def database_words(status: dict[str, Any]) -> str:
    """The red line while the database cannot be written ("" when it can), from wa_status."""
    reason = (status.get("database_not_writable") or "").strip()
    if not reason:
        return ""
    waiting = int(status.get("messages_waiting") or 0)
    return f"{reason} {words().in_memory(waiting)}"


def _when(value, _row) -> str:
    return local_text(parse_ts(value))


ACTIVITY_COLUMNS = (
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), display=_when),
    Column("direction", "", display=lambda v, _r: translate("DashboardTab", "In") if v == "in"
           else translate("DashboardTab", "Out")),
    Column("who", QT_TRANSLATE_NOOP("Columns", "From/To"),
           display=lambda v, _r: address_text(v)),
    Column("text", QT_TRANSLATE_NOOP("Columns", "Text"),
           display=lambda v, _r: first_line(v, 120), tooltip=lambda r: r.get("text") or None),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"),
           display=lambda v, _r: status_text(v), color=lambda r: status_color(r["status"]),
           tooltip=lambda r: r.get("reason") or None),
)

ERROR_COLUMNS = (
    Column("at", QT_TRANSLATE_NOOP("Columns", "Time"), display=_when),
    Column("who",
        QT_TRANSLATE_NOOP("Columns", "Who"), display=lambda v, _r: address_text(v)),
    Column("what", QT_TRANSLATE_NOOP("Columns", "What went wrong"),
           tooltip=lambda r: r.get("what") or None),
)

ERROR_STATUSES = ("failed", "answered_with_error", "blocked", "spam")
ERRORS_LOOK_BACK = 300  # messages: only the newest are read, a log may hold millions


def last_errors(limit: int = 10) -> list[dict[str, Any]]:
    """Failed sends, and refused or failed answers among the newest messages, newest first.

    messages.last_errors() would also do, but it searches the whole log for failed answers,
    which takes seconds on a log of millions; this reads a bounded number of rows.
    """
    found: list[dict[str, Any]] = []
    for row in messages.outbox_page(messages.OutboxFilter(status="failed"), None, limit * 2):
        if not row["cancelled"]:
            found.append({"at": parse_ts(row["last_attempt_at"] or row["created_at"]),
                          "who": row["recipient"],
                          "what": translate("DashboardTab",
                                  "Not sent: {reason}").format(
                              reason=row["error_message"]
                              or translate("DashboardTab", "no reason recorded"))})
    for row in messages.page(messages.MessageFilter(direction="incoming", channel="whatsapp"), None,
                             ERRORS_LOOK_BACK):
        if row["status"] in ERROR_STATUSES:
            said = status_text(row["status"])
            reason = row["reason"] or translate("DashboardTab", "see the Messages tab")
            found.append({"at": row["created_at"], "who": row["push_name"] or row["party"],
                          "what": translate("DashboardTab",
                                  "{status}: “{text}” — {reason}").format(
                              status=said, text=first_line(row["content"], 60), reason=reason)})
    oldest = datetime.min.replace(tzinfo=UTC)
    found.sort(key=lambda item: item["at"] or oldest, reverse=True)
    return found[:limit]


class Counter(QFrame):
    """One of today's figures: a big number with a word under it."""

    def __init__(self, title: str, color: str, parent=None, zero_color: str | None = None
                 ) -> None:
        super().__init__(parent)
        self.color, self.zero_color = color, zero_color or color  # nothing failed: not red
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel("0")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.number.font()
        font.setPointSize(font.pointSize() * 2)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setStyleSheet(f"color: {color};")
        caption = QLabel(title)
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(caption)

    def set(self, value: int) -> None:
        self.number.setText(f"{value:,}")
        self.number.setStyleSheet(f"color: {self.color if value else self.zero_color};")


class DashboardTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bot = ctx.bot
        may = ctx.can(permissions.MESSAGES_SEND) and self.bot is not None

        # -- WhatsApp state, buttons and pairing ----------------------------------------------
        self.headline = QLabel()
        self.headline.setObjectName("state_headline")
        font = self.headline.font()
        font.setPointSize(int(font.pointSize() * 1.5))
        font.setBold(True)
        self.headline.setFont(font)
        self.advice = QLabel()
        self.advice.setObjectName("state_advice")
        self.advice.setWordWrap(True)
        self.number = QLabel()
        self.number.setObjectName("bot_number")
        self.database_problem = QLabel()
        self.database_problem.setObjectName("database_not_writable")
        self.database_problem.setWordWrap(True)
        self.database_problem.setStyleSheet(f"color: {RED}; background: #fdecee; "
                                            "border: 1px solid #f0b6bf; padding: 6px;")
        self.database_problem.hide()
        self.session_health = QLabel()  # the bot's own health alarm, while it is raised
        self.session_health.setObjectName("session_health")
        self.session_health.setWordWrap(True)
        self.session_health.setStyleSheet(self.database_problem.styleSheet())
        self.session_health.hide()
        self.start_button = QPushButton(self.tr("Start"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.logout_button = QPushButton(self.tr("Log out…"))
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.logout_button.clicked.connect(self.logout)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.logout_button):
            button.setEnabled(may)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.qr = QLabel()
        self.qr.setObjectName("qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setToolTip(
            self.tr("Scan with WhatsApp on the bot phone: Settings → Linked devices → "
                    "Link a device. WhatsApp renews the code every few seconds."))
        self.qr.hide()
        self.phone = QLineEdit()
        self.phone.setObjectName("pair_phone")
        self.phone.setPlaceholderText(
            self.tr("Bot phone number, e.g. +62 812 3456 7890"))
        self.pair_button = QPushButton(self.tr("Request pairing code"))
        self.pair_button.clicked.connect(self.request_code)
        self.pair_button.setEnabled(may)
        self.phone.returnPressed.connect(self.request_code)
        self.code = QLabel()
        self.code.setObjectName("pairing_code")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        code_font = QFont("monospace")
        code_font.setStyleHint(QFont.StyleHint.Monospace)
        code_font.setPointSize(28)
        code_font.setBold(True)
        self.code.setFont(code_font)
        self.code_hint = QLabel()
        self.code_hint.setWordWrap(True)
        pair_row = QHBoxLayout()
        pair_row.addWidget(self.phone, 1)
        pair_row.addWidget(self.pair_button)

        state_box = QGroupBox(self.tr("WhatsApp"))
        state_layout = QVBoxLayout(state_box)
        if self.bot is None:
            state_layout.addWidget(notice(
                self.tr("The bot is not running in this window; the state "
                        "below is the last one recorded.")))
        elif not ctx.can(permissions.MESSAGES_SEND):
            state_layout.addWidget(notice(
                self.tr("Your role can watch the bot, not start or stop it.")))
        state_layout.addWidget(self.headline)
        state_layout.addWidget(self.database_problem)
        state_layout.addWidget(self.session_health)
        state_layout.addWidget(self.advice)
        state_layout.addWidget(self.number)
        state_layout.addLayout(buttons)
        state_layout.addWidget(self.qr)
        state_layout.addWidget(QLabel(
            self.tr("Or link with a phone number instead of the QR code:")))
        state_layout.addLayout(pair_row)
        state_layout.addWidget(self.code)
        state_layout.addWidget(self.code_hint)
        state_layout.addStretch(1)

        # -- today's counts, errors, activity -------------------------------------------------
        self.counters = {"in": Counter(self.tr("Received today"), GREEN),
                         "out": Counter(self.tr("Sent today"), GREEN),
                         "failed": Counter(self.tr("Failed today"), RED, zero_color=GREEN),
                         "pending": Counter(self.tr("Waiting in the outbox"), AMBER)}
        counts = QGridLayout()
        for column, counter in enumerate(self.counters.values()):
            counts.addWidget(counter, 0, column)
        self.errors_model = RecordTableModel(ERROR_COLUMNS, self)
        self.errors_view = make_table_view(self.errors_model, sortable=False)
        self.errors_view.setObjectName("last_errors")
        self.activity_model = RecordTableModel(ACTIVITY_COLUMNS, self)
        self.activity_view = make_table_view(self.activity_model, sortable=False)
        self.activity_view.setObjectName("recent_activity")
        self.activity_view.setColumnWidth(0, 130)
        self.activity_view.setColumnWidth(1, 40)
        self.activity_view.setColumnWidth(2, 130)
        self.activity_view.setColumnWidth(3, 260)
        self.errors_view.setColumnWidth(0, 130)
        self.errors_view.setColumnWidth(1, 140)

        self.alarm_summary = QLabel()
        self.alarm_summary.setObjectName("alarm_summary")
        self.alarm_summary.setWordWrap(True)
        self.alarm_flag = QLabel()
        self.alarm_flag.setObjectName("alarm_flag")
        self.alarm_flag.setWordWrap(True)
        self.alarm_flag.setStyleSheet(f"color: {AMBER}; background: #fff7e0; "
                                      "border: 1px solid #e8d49a; padding: 6px;")
        self.alarm_flag.hide()
        self.alarm_nobody = QLabel()
        self.alarm_nobody.setObjectName("alarm_nobody")
        self.alarm_nobody.setWordWrap(True)
        self.alarm_nobody.setStyleSheet(f"color: {RED}; background: #fdecee; padding: 4px;")
        self.alarm_nobody.hide()
        alarm_box = QGroupBox(self.tr("Alarms"))
        alarm_layout = QVBoxLayout(alarm_box)
        alarm_layout.addWidget(self.alarm_summary)
        alarm_layout.addWidget(self.alarm_nobody)
        alarm_layout.addWidget(self.alarm_flag)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("<b>Today</b>")))
        right_layout.addLayout(counts)
        right_layout.addWidget(alarm_box)
        right_layout.addWidget(QLabel(self.tr("<b>Last errors</b>")))
        right_layout.addWidget(self.errors_view, 1)
        right_layout.addWidget(QLabel(self.tr("<b>Recent activity</b>")))
        right_layout.addWidget(self.activity_view, 2)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(state_box)
        split.addWidget(right)
        split.setSizes([440, 740])  # the QR code needs about 300 pixels to scan from a screen
        layout = QVBoxLayout(self)
        layout.addWidget(split)

        self._connected = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._tick)
        self._ticks = 0
        self._stale = True
        # The counts, the alarm flags and who can be told are read on the executor (a
        # quarter second at 5,000 alarms) and shown on the loop.
        self.loader = Refresher(self, lambda _seen: read_numbers(last_errors),
                                self._show_numbers, name="the Dashboard")
        self._unsubscribers = [events.subscribe(topic, lambda _p: self._changed())
                               for topic in ("messages", "outgoing_messages", "alarms",
                                             "schedules", "contacts", "session_health")]
        self._unsubscribers.append(events.subscribe("whatsapp_status",
                                                    lambda _p: self.show_status()))
        self.destroyed.connect(lambda *_: [u() for u in self._unsubscribers])
        if self.bot is not None:
            self.bot.running_changed.connect(self._on_bot_running_changed)
        self.show_status()

    # -- showing ------------------------------------------------------------------------------
    def show_status(self, status: dict[str, Any] | None = None) -> None:
        status = status or wa_status.get()
        running = self.bot is not None and self.bot.running
        headline, advice, color = state_words(status, running)
        self.headline.setText(headline)
        self.headline.setStyleSheet(f"color: {color};")
        self.advice.setText(advice)
        problem = database_words(status)
        self.database_problem.setText(problem)
        self.database_problem.setVisible(bool(problem))
        number = status.get("bot_number")
        self.number.setText(
            self.tr("Bot number: {number}").format(number=number) if number
                            else self.tr("Bot number: not linked yet"))
        waiting = status.get("state") == "waiting_for_qr"
        self.show_qr((status.get("qr_data") or "") if waiting else "")
        self._connected = status.get("state") == "connected"
        self._update_buttons()

    def show_qr(self, data: str) -> None:
        if not data:
            self.qr.clear()
            self.qr.hide()
            self._qr_data = ""
            return
        if data != getattr(self, "_qr_data", ""):
            self._qr_data = data
            self.qr.setPixmap(qr_pixmap(data))
        self.qr.show()

    def _update_buttons(self, *_args) -> None:
        if self.bot is None or not self.ctx.can(permissions.MESSAGES_SEND):
            return
        running, busy = self.bot.running, self.bot.busy
        self.start_button.setEnabled(not running and not busy)
        self.stop_button.setEnabled(running and not busy)
        # WhatsApp must be connected to hear about a logout.
        self.logout_button.setEnabled(running and not busy and self._connected)
        self.pair_button.setEnabled(not busy and not self.ctx.runner.busy("pairing-code"))

    def _on_bot_running_changed(self, _running: bool) -> None:
        self.show_status()

    def _changed(self) -> None:
        # Counting runs at most every REFRESH_MS: a busy bot writes many rows per second.
        self._stale = True

    def _tick(self) -> None:
        self._ticks += 1
        # One row: cheap, and it shows what another process (`serve`) records, too.
        self.show_status()
        # Rows that change only with time (a retry coming due, midnight) are caught on every
        # FULL_REFRESH_TICKS-th tick; anything a service reports, on the next tick.
        if self._stale or self._ticks % FULL_REFRESH_TICKS == 0:
            self.refresh_numbers()

    def refresh_numbers(self) -> None:
        self._stale = False
        self.loader.refresh()

    def _show_numbers(self, got: dict[str, Any]) -> None:
        for key, counter in self.counters.items():
            counter.set(int(got["counts"].get(key, 0)))
        if got["errors"] != self.errors_model.rows:
            self.errors_model.set_rows(got["errors"])
        if got["activity"] != self.activity_model.rows:
            self.activity_model.set_rows(got["activity"])
        self.session_health.setText(got["health"])
        self.session_health.setVisible(bool(got["health"]))
        flags = got["flags"]
        self.alarm_summary.setText(alarm_summary(flags))
        self.alarm_summary.setStyleSheet(f"color: {RED};" if flags["unacknowledged"] else "")
        said = alarm_flags(flags)
        self.alarm_flag.setText("\n".join(said))
        self.alarm_flag.setVisible(bool(said))
        nobody = nobody_words(flags["nobody"], got["nobody_schedules"])
        self.alarm_nobody.setText(nobody)
        self.alarm_nobody.setVisible(bool(nobody))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._timer.start()
        self.show_status()
        if self._stale:
            self.refresh_numbers()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    # -- actions ------------------------------------------------------------------------------
    def start(self) -> None:
        if self.bot is None:
            return
        self.ctx.messages.info(self.tr("Starting the WhatsApp bot…"))
        self.ctx.runner.run(self.bot.start(), lambda _r: self.show_status(), self._failed,
                            key="bot-start", control=self.start_button)

    def stop(self) -> None:
        if self.bot is None:
            return
        self.ctx.messages.info(
            self.tr("Stopping the WhatsApp bot: finishing the message being sent…"))

        def done(_result) -> None:
            self.ctx.messages.info(
                translate("DashboardTab", "The WhatsApp bot is stopped."))
            self.show_status()

        self.ctx.runner.run(self.bot.stop(), done, self._failed, key="bot-stop",
                            control=self.stop_button)

    def logout(self) -> None:
        if self.bot is None:
            return
        confirm(self, self.tr("Log out of WhatsApp"),
                self.tr(
                        "Unlink this workstation from the bot phone? The bot stops answering "
                        "until "
                        "someone pairs it again with the phone (QR code or pairing code)."),
                self._logout)

    def _logout(self) -> None:
        def done(_result) -> None:
            self.ctx.messages.info(
                translate("DashboardTab",
                        "Logged out of WhatsApp. Press Start to pair again."))
            self.show_status()

        self.ctx.runner.run(self.bot.logout(), done, self._failed, key="bot-logout",
                            control=self.logout_button)

    def request_code(self) -> None:
        if self.bot is None or not self.pair_button.isEnabled():
            return
        phone = self.phone.text().strip()
        if sum(ch.isdigit() for ch in phone) < 8:
            self.code_hint.setText(
                self.tr("Type the bot phone's number with its country code, "
                        "e.g. +62 812 3456 7890."))
            return
        self.code.clear()
        self.code_hint.setText(self.tr("Asking WhatsApp for a code…"))

        def done(code: str) -> None:
            self.code.setText(code)
            self.code_hint.setText(
                translate("DashboardTab",
                        "On the bot phone open WhatsApp → Settings → Linked "
                        "devices "
                        "→ Link a device → Link with phone number instead, and "
                        "type "
                        "this code."))

        def failed(exc: BaseException) -> None:
            self.code_hint.setText(describe(exc))
            self.ctx.messages.error(exc)

        self.ctx.runner.run(self.bot.request_pairing_code(phone), done, failed,
                            key="pairing-code", control=self.pair_button)

    def _failed(self, exc: BaseException) -> None:
        self.ctx.messages.error(exc)
        self.show_status()
