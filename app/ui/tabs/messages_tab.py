"""Messages tab: the log of what came in and why the bot answered or not, the outbox, compose.

Over 500 lines because the Log and the Outbox pages share their words, colours, addresses and
the phone's report (delivered, read) of a sent message, kept beside both in one module.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDateTime, QModelIndex, QObject, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.core.timefmt import local_text, parse_ts
from app.errors import UserError
from app.services import message_search, messages, people
from app.ui.context import UiContext
from app.ui.language import translate
from app.ui.off_loop import Refresher
from app.ui.tabs.compose_page import ComposePage
from app.ui.widgets.common import confirm, follow, make_table_view, notice
from app.ui.widgets.table_model import Column, LazyTableModel

PAGE_SIZE = 200
COUNT_MAX_AGE_S = 10.0  # a cached count is recomputed at most this often while rows arrive
GREEN, AMBER, RED, GREY = "#1b5e20", "#8a6d00", "#b00020", "#666666"

# Every status a row can show, in words, with its colour (the log answers "why?").
# English source strings (context "MessagesTab"), shown translated.
STATUS_WORDS: dict[str, tuple[str, str]] = {
    "received": (QT_TRANSLATE_NOOP("MessagesTab", "Received"), GREY),
    "answered": (QT_TRANSLATE_NOOP("MessagesTab", "Answered"), GREEN),
    "answered_with_error": (
        QT_TRANSLATE_NOOP("MessagesTab", "Answered with an error"), RED),
    "unknown_command": (QT_TRANSLATE_NOOP("MessagesTab", "Unknown command"), AMBER),
    "ignored": (QT_TRANSLATE_NOOP("MessagesTab", "Ignored"), GREY),
    "unauthorized": (QT_TRANSLATE_NOOP("MessagesTab", "Not authorised"), RED),
    "waiting": (QT_TRANSLATE_NOOP("MessagesTab", "Waiting for approval"), AMBER),
    "blocked": (QT_TRANSLATE_NOOP("MessagesTab", "Blocked"), RED),
    "spam": (QT_TRANSLATE_NOOP("MessagesTab", "Spam"), RED),
    "too_long": (QT_TRANSLATE_NOOP("MessagesTab", "Too long"), AMBER),
    "repeat": (QT_TRANSLATE_NOOP("MessagesTab", "Repeated"), GREY),
    "muted": (QT_TRANSLATE_NOOP("MessagesTab", "Muted"), AMBER),
    "pending": (QT_TRANSLATE_NOOP("MessagesTab", "Waiting to send"), AMBER),
    "sending": (QT_TRANSLATE_NOOP("MessagesTab", "Sending…"), AMBER),
    "sent": (QT_TRANSLATE_NOOP("MessagesTab", "Sent"), GREEN),
    "failed": (QT_TRANSLATE_NOOP("MessagesTab", "Failed"), RED),
}

ROUTE_WORDS = {
    "builtin": QT_TRANSLATE_NOOP("MessagesTab", "built-in command"),
    "alarm": QT_TRANSLATE_NOOP("MessagesTab", "alarm command"),
    "ai": QT_TRANSLATE_NOOP("MessagesTab", "AI prefix"),
    "group": QT_TRANSLATE_NOOP("MessagesTab", "group"),
    "trigger": QT_TRANSLATE_NOOP("MessagesTab", "trigger"),
    "unknown": QT_TRANSLATE_NOOP("MessagesTab", "no trigger matched"),
    "ignore": QT_TRANSLATE_NOOP("MessagesTab", "group chat, not addressed to the bot"),
}


def _tr(text: str) -> str:
    return translate("MessagesTab", text)


def status_text(status: str) -> str:
    if status in STATUS_WORDS:
        return _tr(STATUS_WORDS[status][0])
    return status.replace("_", " ").capitalize()


def status_color(status: str) -> str:
    return STATUS_WORDS.get(status, ("", GREY))[1]


def address_text(jid: str | None) -> str:
    """A WhatsApp id as people read it: +62 812-3456-7890, a group by its subject, a hidden
    number by the contact's name; the raw id only when nothing is known."""
    return _address(jid or "")


@functools.lru_cache(maxsize=4096)
def _address(jid: str) -> str:
    # Cached: a table asks for every cell it paints. Names change rarely; `forget_addresses`
    # clears it when the contacts do.
    user, _, server = jid.partition("@")
    if server in ("s.whatsapp.net", "c.us") and user.split(":")[0].isdigit():
        return people.phone_text("+" + user.split(":")[0]) or "+" + user.split(":")[0]
    if server in ("g.us", "lid"):
        return people.label(jid)
    return jid


def forget_addresses(*_args) -> None:
    _address.cache_clear()


def first_line(text: str | None, width: int = 160) -> str:
    line = (text or "").strip().split("\n", 1)[0]
    return line if len(line) <= width else line[:width - 1] + "…"


# Why the bot sent a message: every kind the app queues (app.services.outbox.enqueue and
# app.services.email_queue.enqueue_email), and the old system's. English source strings
# (context "MessagesTab"); an e-mail's adds "by e-mail", a Simulator's "(Simulator)".
KIND_WORDS = {"reply": QT_TRANSLATE_NOOP("MessagesTab", "reply"),
              "notice": QT_TRANSLATE_NOOP("MessagesTab", "notice"),
              "alarm": QT_TRANSLATE_NOOP("MessagesTab", "alarm"),
              "alarm_ack": QT_TRANSLATE_NOOP("MessagesTab", "acknowledgement told to the others"),
              "schedule": QT_TRANSLATE_NOOP("MessagesTab", "scheduled report"),
              "health": QT_TRANSLATE_NOOP("MessagesTab", "the bot's health alarm"),
              "manual": QT_TRANSLATE_NOOP("MessagesTab", "typed in Compose"),
              "manual_send": QT_TRANSLATE_NOOP("MessagesTab", "typed by a user"),
              "auto_warning": QT_TRANSLATE_NOOP("MessagesTab", "automatic warning")}
EMAIL = "email"  # the medium of a message sent by e-mail (the other: whatsapp)


def kind_text(kind: str, medium: str | None = None, channel: str | None = None) -> str:
    """Why an outgoing message was sent, in words: "alarm", "alarm by e-mail", …"""
    words = _tr(KIND_WORDS[kind]) if kind in KIND_WORDS else kind.replace("_", " ")
    if medium == EMAIL:
        words = translate("MessagesTab", "{what} by e-mail").format(what=words)
    if channel == "simulator":
        words = translate("MessagesTab", "{what} (Simulator)").format(what=words)
    return words


def why(row: dict[str, Any]) -> str:
    """The reason or the route the pipeline recorded, as a short phrase."""
    if row.get("reason"):
        return row["reason"]
    meta = row.get("metadata") or {}
    if row["direction"] == "outgoing":
        return kind_text(meta.get("kind") or "", meta.get("medium"), meta.get("channel"))
    route = row.get("route") or ""
    if not route:
        return ""
    words = _tr(ROUTE_WORDS[route]) if route in ROUTE_WORDS else route
    target = row.get("trigger") or meta.get("target") or ""
    text = f"{words} {target}".strip() if route in ("group", "trigger", "builtin", "alarm", "ai") \
        else words
    if row.get("latency_ms") is not None:
        text += f" ({row['latency_ms']:.0f} ms)"
    return text


def by_email(row: dict[str, Any]) -> bool:
    """An outgoing row (of the Log or of the Outbox) sent by e-mail."""
    return (row.get("medium") or (row.get("metadata") or {}).get("medium")) == EMAIL


def phone_report(row: dict[str, Any], with_date: bool = False) -> str:
    """What the recipient's phone reported of a sent message: "delivered 10:43, read 10:45"
    (the date only when another day than the message's, or `with_date`)."""
    if row.get("status") != "sent" or row.get("direction", "outgoing") != "outgoing" \
            or by_email(row):  # a mail server reports nothing of the reader
        return ""
    if row.get("delivered_at") is None:
        return translate("MessagesTab", "not delivered yet")
    sent = row.get("sent_at") or row.get("created_at")
    sent = parse_ts(sent) if isinstance(sent, str) else sent

    def when(moment) -> str:
        return local_text(moment, with_date=with_date or sent is None or
                          moment.astimezone().date() != sent.astimezone().date())

    text = translate("MessagesTab", "delivered {time}").format(time=when(row["delivered_at"]))
    if row.get("read_at") is not None:
        text += translate("MessagesTab", ", read {time}").format(time=when(row["read_at"]))
    return text


PHONE_COLUMN = Column("read_at", QT_TRANSLATE_NOOP("Columns", "Phone reported"),
                      display=lambda _v, r: phone_report(r),
                      tooltip=lambda r: phone_report(r, with_date=True) or None)


def _party(_value, row: dict[str, Any]) -> str:
    who = address_text(row["party"])
    name = row.get("push_name") or ""
    return f"{name} ({who})" if name and who else (name or who)


LOG_COLUMNS = (
    Column("created_at", QT_TRANSLATE_NOOP("Columns", "Time")),
    Column("direction", QT_TRANSLATE_NOOP("Columns", "Direction"),
           display=lambda v, _r: translate("MessagesTab", "In") if v == "incoming"
           else translate("MessagesTab", "Out")),
    Column("party", QT_TRANSLATE_NOOP("Columns", "From/To"), display=_party),
    Column("content",
        QT_TRANSLATE_NOOP("Columns", "Text"), display=lambda v, _r: first_line(v),
           tooltip=lambda r: r["content"] or None),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"),
           display=lambda v, _r: status_text(v), color=lambda r: status_color(r["status"]),
           tooltip=lambda r: (r["metadata"] or {}).get("error") or None),
    Column("why", QT_TRANSLATE_NOOP("Columns", "Why"), display=lambda _v, r: why(r),
           tooltip=lambda r: why(r) or None),
    PHONE_COLUMN,
)


def _outbox_status(_value, row: dict[str, Any]) -> str:
    if row["in_flight"]:
        return translate("MessagesTab", "Sending…")
    if row["cancelled"]:
        return translate("MessagesTab", "Cancelled")
    if row["status"] == "pending" and row["retry_count"]:
        return translate("MessagesTab", "Waiting to retry")
    return status_text(row["status"])


def _outbox_color(row: dict[str, Any]) -> str:
    if row["cancelled"]:
        return GREY
    return status_color(row["status"])


def _when(value, _row) -> str:
    return local_text(parse_ts(value))


def attempts(row: dict[str, Any]) -> int:
    """Sends tried so far: each failed try that is retried counts one in retry_count."""
    if not row["last_attempt_at"]:
        return 0
    waiting = row["status"] == "pending" and not row["in_flight"]
    return (row["retry_count"] or 0) + (0 if waiting else 1)


def _outbox_to(value, row: dict[str, Any]) -> str:
    if by_email(row):
        return translate("MessagesTab", "{what} (e-mail)").format(what=value)
    if row["channel"] == "simulator":
        return translate("MessagesTab", "{what} (Simulator)").format(what=address_text(value))
    return address_text(value)


def _outbox_text(value, row: dict[str, Any]) -> str:
    if by_email(row):  # the subject, as a mail client lists it
        return first_line(row["subject"] or value)
    return (translate("MessagesTab", "[image]") + " " if row["media_path"] else "") \
        + first_line(value)


def _outbox_full_text(row: dict[str, Any]) -> str | None:
    if by_email(row) and row["subject"]:
        return f"{row['subject']}\n\n{row['message']}"
    return row["message"] or None


OUTBOX_COLUMNS = (
    Column("created_at", QT_TRANSLATE_NOOP("Columns", "Queued"), display=_when),
    Column("recipient", QT_TRANSLATE_NOOP("Columns", "To"), display=_outbox_to),
    Column("message", QT_TRANSLATE_NOOP("Columns", "Text"), display=_outbox_text,
           tooltip=_outbox_full_text),
    Column("status", QT_TRANSLATE_NOOP("Columns", "Status"), display=_outbox_status,
           color=_outbox_color),
    Column("retry_count", QT_TRANSLATE_NOOP("Columns", "Attempts"),
           display=lambda _v, r: str(attempts(r))),
    Column("next_attempt_at", QT_TRANSLATE_NOOP("Columns", "Next attempt"),
           display=lambda v, r: _when(v, r) if r["status"] == "pending" else ""),
    Column("last_attempt_at",
        QT_TRANSLATE_NOOP("Columns", "Last attempt"), display=_when),
    Column("error_message", QT_TRANSLATE_NOOP("Columns", "Error"),
           tooltip=lambda r: r["error_message"] or None),
    PHONE_COLUMN,
    Column("kind", QT_TRANSLATE_NOOP("Columns", "Why"),
           display=lambda v, r: kind_text(v, r["medium"]),
           tooltip=lambda r: kind_text(r["kind"], r["medium"]) or None),
)


@dataclass
class CachedCount:
    at: float  # time.monotonic() of the count
    total: int
    fresh: bool = True  # False once rows arrived after it was counted
    capped: bool = False  # more than `total`: counted up to messages.COUNT_CAP only


class MessagesWords(QObject):
    """The Messages tab's counts, in Qt's plural forms."""

    def messages(self, n: int) -> str:
        return self.tr("%n message(s)", "", n).replace(str(n), f"{n:,}", 1)

    def waiting(self, n: int) -> str:
        return self.tr("%n waiting to be sent", "", n).replace(str(n), f"{n:,}", 1)


_words: MessagesWords | None = None


def words() -> MessagesWords:
    global _words
    if _words is None:
        _words = MessagesWords()
    return _words


def _count_all(counted_filter: messages.MessageFilter) -> tuple[messages.MessageFilter, int]:
    """Every row the filter keeps, counted on a worker thread (Count all)."""
    return counted_filter, messages.count(counted_filter)


def count_text(cached: CachedCount, now: float) -> str:
    if cached.capped:
        text = translate("MessagesTab", "{count}+ messages").format(count=f"{cached.total:,}")
    else:
        text = words().messages(cached.total)
    if cached.fresh:
        return text
    return translate("MessagesTab", "{count} when counted {seconds} s ago").format(
        count=text, seconds=f"{now - cached.at:.0f}")


def _date_range() -> tuple[QCheckBox, QDateTimeEdit, QCheckBox, QDateTimeEdit]:
    since_on = QCheckBox(translate("messages_tab", "From"))
    since = QDateTimeEdit(QDateTime.currentDateTime().addDays(-1))
    until_on = QCheckBox(translate("messages_tab", "to"))
    until = QDateTimeEdit(QDateTime.currentDateTime().addDays(1))
    for edit in (since, until):
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return since_on, since, until_on, until


def _moment(edit: QDateTimeEdit):
    return edit.dateTime().toPython().astimezone(UTC)


class LogPage(QWidget):
    """Every message in and out, newest first, loaded a page at a time as the view scrolls."""

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = LazyTableModel(LOG_COLUMNS, self._fetch, PAGE_SIZE, self)
        self.view = make_table_view(self.model, sortable=False)
        self.view.setObjectName("message_log")
        # The Why column as wide as its longest words in this language (at most 240 pixels):
        # "acknowledgement told to the others" is not cut at 1280×720.
        metrics = self.view.fontMetrics()
        why_width = min(240, 24 + max(metrics.horizontalAdvance(kind_text(kind))
                                      for kind in KIND_WORDS))
        for column, width in enumerate((130, 60, 170, 230, 120, why_width)):
            self.view.setColumnWidth(column, width)

        self.direction = QComboBox()
        self.direction.setObjectName("direction_filter")
        for label, value in ((
            self.tr("In and out"), None), (self.tr("Incoming"), "incoming"),
                             (self.tr("Outgoing"), "outgoing")):
            self.direction.addItem(label, value)
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        # A fixed list: asking the database which statuses exist scans every row.
        self.status.addItem(self.tr("Any status"), None)
        for status, (label, _color) in STATUS_WORDS.items():
            if status != "pending":
                self.status.addItem(_tr(label), status)
        self.party = QLineEdit()
        self.party.setPlaceholderText(self.tr("Contact or number…"))
        self.party.setClearButtonEnabled(True)
        self.text = QLineEdit()
        self.text.setObjectName("text_filter")
        self.text.setPlaceholderText(self.tr("Words in the text…"))
        self.text.setClearButtonEnabled(True)
        self.since_on, self.since, self.until_on, self.until = _date_range()
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.reload)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        # Beyond COUNT_CAP the label says "1,000+"; counting every row is asked for.
        self.count_all = QPushButton(self.tr("Count all"))
        self.count_all.setObjectName("count_all")
        self.count_all.setToolTip(
            self.tr("Counts every message this filter keeps; in a large log "
                    "that can take a few seconds."))
        self.count_all.clicked.connect(self.count_everything)
        self.count_all.hide()
        self.search_note = QLabel()
        self.search_note.setObjectName("search_note")
        self.search_note.setWordWrap(True)
        self.search_note.hide()

        bar = QHBoxLayout()
        for widget in (self.direction, self.status, self.party, self.text, self.since_on,
                       self.since, self.until_on, self.until, refresh):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.search_note)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label)
        footer.addWidget(self.count_all)
        footer.addStretch(1)
        layout.addLayout(footer)

        # Typing in a search box reloads once the typing pauses, not on every key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        for signal in (self.direction.currentIndexChanged, self.status.currentIndexChanged,
                       self.since_on.toggled, self.until_on.toggled, self.since.dateTimeChanged,
                       self.until.dateTimeChanged, self.party.textChanged,
                       self.text.textChanged):
            signal.connect(self._debounce.start)
        self._counts: dict[messages.MessageFilter, CachedCount] = {}
        self._stale = False
        self._filter = self.current_filter()
        # Counting every row of a large log takes seconds: it runs off the event loop.
        self.counter = Refresher(self, _count_all, self._counted, lambda: self._filter,
                                 name="Count all")

    def current_filter(self) -> messages.MessageFilter:
        return messages.MessageFilter(
            direction=self.direction.currentData(),
            status=self.status.currentData(),
            party=self.party.text().strip() or None,
            text=self.text.text().strip() or None,
            since=_moment(self.since) if self.since_on.isChecked() else None,
            until=_moment(self.until) if self.until_on.isChecked() else None,
        )

    def _fetch(self, last: dict[str, Any] | None, limit: int) -> list[dict[str, Any]]:
        return messages.page(self._filter, last["rowid"] if last else None, limit)

    def reload(self) -> None:
        self._stale = False
        self._debounce.stop()
        self._filter = self.current_filter()
        # The full-text index keeps words: punctuation alone finds nothing, and the tab says
        # why rather than listing no rows without a word.
        note = None if message_search.searchable(self._filter) else self.tr(
            "Nothing is listed: a search needs a letter or a digit. Punctuation alone is not "
            "searched, as the search finds words and punctuation only separates them.")
        self.search_note.setText(note or "")
        self.search_note.setVisible(note is not None)
        self.model.reload()
        self._show_count()

    def count_everything(self) -> None:
        """Count every row of the filter, asked for when the label says "1,000+"; the window
        stays usable meanwhile and the label says the count is under way."""
        self.count_all.setEnabled(False)
        self.count_label.setText(self.tr("Counting every message…"))
        self.counter.refresh()

    def _counted(self, counted: tuple[messages.MessageFilter, int]) -> None:
        counted_filter, total = counted
        self._counts[counted_filter] = CachedCount(time.monotonic(), total)
        self.count_all.setEnabled(True)
        if counted_filter == self._filter:
            self._show_count()
        elif self.count_label.text() == self.tr("Counting every message…"):
            self._show_count()  # the filter changed meanwhile: its own count again

    def _show_count(self) -> None:
        now = time.monotonic()
        if not self.model.canFetchMore(QModelIndex()) and not self.model.load_error:
            # Everything is loaded already: the rows are the count, no query needed.
            cached = CachedCount(now, self.model.rowCount())
            self._counts[self._filter] = cached
        else:
            # Counted up to COUNT_CAP: once per filter, and after new rows arrived only when
            # the cached figure is COUNT_MAX_AGE_S old.
            cached = self._counts.get(self._filter)
            if cached is None or (not cached.fresh and now - cached.at > COUNT_MAX_AGE_S):
                total = messages.count(self._filter, cap=messages.COUNT_CAP)
                cached = CachedCount(now, min(total, messages.COUNT_CAP),
                                     capped=total > messages.COUNT_CAP)
                self._counts[self._filter] = cached
        self.count_all.setVisible(cached.capped)
        text = count_text(cached, now)
        if self.model.load_error:
            text += self.tr(" — could not load more: {reason}").format(
                reason=self.model.load_error)
        self.count_label.setText(text)

    def on_changed(self) -> None:
        for cached in self._counts.values():
            cached.fresh = False
        if not self.isVisible():
            self._stale = True
            return
        # Only when the newest rows are in view: someone reading older rows keeps their place.
        if self.view.verticalScrollBar().value() == 0:
            self._debounce.start()
        else:
            self._stale = True
            self.count_label.setText(self.count_label.text().split(" — ")[0]
                                     + self.tr(
                                             " — new messages arrived; press Refresh to see "
                                             "them"))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.reload()
        super().showEvent(event)


class OutboxPage(QWidget):
    """What the bot is to send: waiting, sent and failed messages; retry and cancel."""

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = LazyTableModel(OUTBOX_COLUMNS, self._fetch, PAGE_SIZE, self)
        self.view = make_table_view(self.model, sortable=False)
        self.view.setObjectName("outbox")
        for column, width in enumerate((130, 180, 250, 100, 60, 120, 120, 100)):
            self.view.setColumnWidth(column, width)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.view.doubleClicked.connect(lambda _i: self.retry())

        self.status = QComboBox()
        self.status.setObjectName("outbox_status_filter")
        for label, value in ((self.tr("Any status"), None),
                             (translate("MessagesTab", "Waiting to send"), "pending"),
                             (translate("MessagesTab", "Sent"), "sent"),
                             (translate("MessagesTab", "Failed"), "failed")):
            self.status.addItem(label, value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Recipient contains…"))
        self.search.setClearButtonEnabled(True)
        self.retry_button = QPushButton(self.tr("Retry"))
        self.cancel_button = QPushButton(self.tr("Cancel…"))
        refresh = QPushButton(self.tr("Refresh"))
        self.retry_button.clicked.connect(self.retry)
        self.cancel_button.clicked.connect(self.cancel)
        refresh.clicked.connect(self.reload)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        for widget in (self.status, self.search, self.retry_button, self.cancel_button, refresh):
            bar.addWidget(widget)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        if not ctx.can(permissions.MESSAGES_SEND):
            layout.addWidget(notice(
                self.tr("Your role can look at the outbox, not retry or cancel "
                        "messages.")))
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.reload)
        self.status.currentIndexChanged.connect(self._debounce.start)
        self.search.textChanged.connect(self._debounce.start)
        self._stale = False
        self._filter = self.current_filter()

    def current_filter(self) -> messages.OutboxFilter:
        return messages.OutboxFilter(status=self.status.currentData(),
                                     recipient=self.search.text().strip() or None)

    def _fetch(self, last: dict[str, Any] | None, limit: int) -> list[dict[str, Any]]:
        return messages.outbox_page(self._filter, last["id"] if last else None, limit)

    def selected(self) -> dict[str, Any] | None:
        indexes = self.view.selectionModel().selectedRows()
        return self.model.row_at(indexes[0].row()) if indexes else None

    def select_id(self, outbox_id: int) -> None:
        for row, record in enumerate(self.model.rows):
            if record["id"] == outbox_id:
                self.view.selectRow(row)
                return

    def reload(self) -> None:
        self._stale = False
        self._debounce.stop()
        selected = self.selected()
        self._filter = self.current_filter()
        self.model.reload()
        if selected:
            self.select_id(selected["id"])
        pending = messages.pending_count()
        self.count_label.setText(words().waiting(pending) + (
            translate("LogPage", " — could not load more: {reason}").format(
                reason=self.model.load_error) if self.model.load_error else ""))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        row = self.selected()
        may = self.ctx.can(permissions.MESSAGES_SEND)
        self.retry_button.setEnabled(may and row is not None and row["status"] == "failed")
        self.cancel_button.setEnabled(may and row is not None and row["status"] == "pending"
                                      and not row["in_flight"])

    def retry(self) -> None:
        row = self.selected()
        if row is None or not self.retry_button.isEnabled():
            return
        try:
            messages.retry(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(self.tr("The message to {to} is queued again.").format(
            to=row["recipient"]))
        self.reload()

    def cancel(self) -> None:
        row = self.selected()
        if row is None:
            return
        confirm(self, self.tr("Cancel message"),
                self.tr("Take the message to {to} out of the queue? It stays listed as "
                        "failed, cancelled by you, and is not sent.").format(
                            to=row["recipient"]), lambda: self._cancel(row))

    def _cancel(self, row: dict[str, Any]) -> None:
        try:
            messages.cancel(self.ctx.actor, row["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(self.tr("The message to {to} was cancelled.").format(
            to=row["recipient"]))
        self.reload()

    def reload_when_shown(self) -> None:
        self._stale = True

    def on_changed(self) -> None:
        if self.isVisible():
            self._debounce.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.reload()
        super().showEvent(event)


class MessagesTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.log = LogPage(ctx)
        self.outbox = OutboxPage(ctx)
        self.compose = ComposePage(ctx)
        self.pages = QTabWidget()
        self.pages.setObjectName("message_pages")
        self.pages.addTab(self.log, self.tr("Log"))
        self.pages.addTab(self.outbox, self.tr("Outbox"))
        self.pages.addTab(self.compose, self.tr("Compose"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        follow(self, ("messages",), self.log.on_changed)
        follow(self, ("outgoing_messages",), self.outbox.on_changed)
        follow(self, ("contacts",), self.compose.on_contacts_changed)
        follow(self, ("contacts",), forget_addresses)  # a renamed contact shows renamed
        self.log.reload()
        # The Log is what opens; the outbox's page is read when it is first shown.
        self.outbox.reload_when_shown()
