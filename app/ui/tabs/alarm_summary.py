"""The alarm summary on the Alarms tab: the open alarms as a control room reads them.

Active and unacknowledged alarms first, then acknowledged, then shelved (the service's order,
app/services/alarm_summary.py); each row coloured by severity and saying it in words too, with
the time in alarm, the last value, and who was told with what their phone reported. The
operator acknowledges or shelves the selected alarm with a comment, as a reply on WhatsApp
would, and everyone the alarm went to hears who did it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.core.i18n import tr
from app.core.timefmt import local_text, utc_now
from app.errors import UserError
from app.services import alarm_acks, alarm_summary, contacts, receipts
from app.services import alarms as alarm_service
from app.ui import language
from app.ui.dialogs.alarm_dialog import severity_label
from app.ui.language import translate
from app.ui.off_loop import Refresher
from app.ui.tabs.alarms_model import fit_columns
from app.ui.widgets.common import FilterTable
from app.ui.widgets.table_model import Column, Index, RecordTableModel

# Light backgrounds under black text: readable in a light or a dark window, and printed.
SEVERITY_BACKGROUND = {"critical": "#f6c6c6", "high": "#fbd9b0", "medium": "#fbefb0",
                       "low": "#d3e4f6"}
TEXT = "#000000"
SHELVE_FOR = (30, 60, 120, 240, 480, 720, 1440, 4320)  # minutes offered; 2 h by default
DEFAULT_SHELVE = 120


class _Said:
    """The words of one read of the summary: today's date and each sentence's translation
    looked up once, each time written once (thousands of rows tell of the same few)."""

    def __init__(self) -> None:
        self.today = utc_now().astimezone().date()
        self._words: dict[str, str] = {}
        self._times: dict[datetime, str] = {}

    def tr(self, text: str) -> str:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = translate("AlarmSummary", text)
        return found

    def clock(self, moment: datetime | None) -> str:
        """Today's times without the date; older ones with it (as local_text writes them)."""
        if moment is None:
            return ""
        found = self._times.get(moment)
        if found is None:
            local = moment.astimezone()
            found = f"{local.hour:02d}:{local.minute:02d}"
            if local.date() != self.today:
                found = f"{local.year:04d}-{local.month:02d}-{local.day:02d} {found}"
            self._times[moment] = found
        return found


def _clock(moment: datetime | None) -> str:
    """Today's times without the date; older ones with it."""
    return _Said().clock(moment)


def duration_text(seconds: float) -> str:
    """"42 min", "2 h", "3 h 05 min", "2 d 4 h": how long an alarm has been in alarm."""
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return translate("AlarmSummary", "{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24 and minutes == 0:
        return translate("AlarmSummary", "{hours} h").format(hours=hours)
    if hours < 24:
        return translate("AlarmSummary", "{hours} h {minutes:02d} min").format(
            hours=hours, minutes=minutes)
    days, hours = divmod(hours, 24)
    return translate("AlarmSummary", "{days} d {hours} h").format(days=days, hours=hours)


_TOLD = {"read": QT_TRANSLATE_NOOP("AlarmSummary", "{who}: read {time}"),
         "delivered": QT_TRANSLATE_NOOP("AlarmSummary", "{who}: delivered {time}"),
         "sent": QT_TRANSLATE_NOOP("AlarmSummary", "{who}: sent {time}, not delivered"),
         "waiting": QT_TRANSLATE_NOOP("AlarmSummary", "{who}: waiting to be sent"),
         "failed": QT_TRANSLATE_NOOP("AlarmSummary", "{who}: not sent")}


def told_text(told: alarm_summary.Told, said: _Said | None = None) -> str:
    """"Sari: read 10:45" — one recipient and what their phone reported."""
    said = said or _Said()
    return said.tr(_TOLD[told.status]).format(who=told.name, time=said.clock(told.at))


def told_cell(row: dict[str, Any], said: _Said | None = None) -> str:
    said = said or _Said()
    if not row["told"]:
        return said.tr(QT_TRANSLATE_NOOP("AlarmSummary", "nobody told yet"))
    return "; ".join(told_text(t, said) for t in row["told"])


def state_text(row: dict[str, Any], said: _Said | None = None) -> str:
    said = said or _Said()
    if row["state"] == "shelved":
        return said.tr(QT_TRANSLATE_NOOP("AlarmSummary", "shelved until {time}")).format(
            time=said.clock(row["shelved_until"]))
    if row["state"] == "acknowledged":
        return said.tr(QT_TRANSLATE_NOOP("AlarmSummary", "acknowledged by {name} {time}")
                       ).format(name=row["acknowledged_by"],
                                time=said.clock(row["acknowledged_at"]))
    return said.tr(QT_TRANSLATE_NOOP("AlarmSummary", "ACTIVE, not acknowledged"))


def delivery_line(item: receipts.Delivery, who: str) -> str:
    """"delivered to Sari 10:43, read 10:45": one message of an event, for its history."""
    who = who or item.recipient
    if item.status != "sent" or item.sent_at is None:
        return (translate("AlarmSummary", "to {who}: not sent yet") if item.status == "pending"
                else translate("AlarmSummary", "to {who}: not sent")).format(who=who)
    if item.delivered_at is None:
        return translate("AlarmSummary", "sent to {who} {time}, not delivered yet").format(
            who=who, time=_clock(item.sent_at))
    text = translate("AlarmSummary", "delivered to {who} {time}").format(
        who=who, time=_clock(item.delivered_at))
    if item.read_at is not None:
        text += translate("AlarmSummary", ", read {time}").format(time=_clock(item.read_at))
    return text


def receipt_lines(event_number: int) -> list[str]:
    """Per message that told of the event: who, delivered and read (an event's history)."""
    lines = []
    for item in receipts.deliveries_of_event(event_number):
        contact = contacts.find_contact(item.recipient)
        lines.append(delivery_line(item, (contact or {}).get("name") or ""))
    return lines


COLUMNS = (
    Column("number", "#", display=lambda v, _r: f"#{v}"),
    Column("severity", QT_TRANSLATE_NOOP("Columns", "Severity"),
           display=lambda v, _r: severity_label(v)),
    Column("alarm", QT_TRANSLATE_NOOP("Columns", "Alarm"), tooltip=lambda r: r["why"] or None),
    Column("state", QT_TRANSLATE_NOOP("Columns", "State"),
           display=lambda _v, r: r.get("state_text") or state_text(r)),
    Column("raised_at", QT_TRANSLATE_NOOP("Columns", "In alarm"),
           display=lambda v, _r: duration_text((utc_now() - v).total_seconds()) if v else "",
           tooltip=lambda r: translate("AlarmSummary", "Raised at {time}").format(
               time=local_text(r["raised_at"])) if r["raised_at"] else None),
    Column("last_value", QT_TRANSLATE_NOOP("Columns", "Last value"),
           tooltip=lambda r: translate("AlarmSummary", "Raised at the value {value}").format(
               value=r["value"]) if r["value"] else None),
    Column("told", QT_TRANSLATE_NOOP("Columns", "Told (delivered, read)"),
           display=lambda _v, r: r.get("told_text") or told_cell(r),
           tooltip=lambda r: r.get("told_text") or told_cell(r)),
)
TIME_COLUMN = 4


def read_summary(seen: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], bool]:
    """The open alarms as the summary shows them, and whether they differ from `seen` (what
    it shows now): read and compared on a worker thread."""
    rows, said = [], _Said()
    for alarm in alarm_summary.open_alarms():
        row = alarm.plain()
        # The words of the state and of who was told, made here once rather than on the
        # window's thread each time a cell is drawn or a column is fitted.
        row["state_text"], row["told_text"] = state_text(row, said), told_cell(row, said)
        rows.append(row)
    return rows, rows != seen


_brushes: dict[str, QBrush] = {}


def _brush(color: str) -> QBrush:
    """One brush per colour, made once (on the window's thread, where cells are drawn)."""
    brush = _brushes.get(color)
    if brush is None:
        brush = _brushes[color] = QBrush(QColor(color))
    return brush


class SummaryModel(RecordTableModel):
    """Each row on its severity's colour, an alarm nobody has acknowledged in bold."""

    _bold: QFont | None = None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < len(self.rows):
            row = self.rows[index.row()]
            if role == Qt.ItemDataRole.BackgroundRole:
                color = SEVERITY_BACKGROUND.get(row["severity"])
                return _brush(color) if color else None
            if role == Qt.ItemDataRole.ForegroundRole:
                return _brush(TEXT) if row["severity"] in SEVERITY_BACKGROUND else None
            if role == Qt.ItemDataRole.FontRole and row["state"] == "active":
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
        return super().data(index, role)

    def times_passed(self, first: int = 0, last: int | None = None) -> None:
        """The time in alarm moves on: only that column of rows `first` to `last` is drawn
        again (every row by default)."""
        last = len(self.rows) - 1 if last is None else min(last, len(self.rows) - 1)
        if self.rows and 0 <= first <= last:
            self.dataChanged.emit(self.index(first, TIME_COLUMN), self.index(last, TIME_COLUMN),
                                  [Qt.ItemDataRole.DisplayRole])


class AlarmSummary(QWidget):
    """The summary with its actions; `history` gives an event's history as text."""

    def __init__(self, ctx, history: Callable[[dict[str, Any]], str], parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._history = history
        self.model = SummaryModel(COLUMNS, self)
        self.table = FilterTable(self.model, self.tr("Filter open alarms…"))
        view = self.table.view
        view.setSortingEnabled(False)  # the summary's own order: who needs someone first
        self.table.proxy.sort(-1)
        view.setAlternatingRowColors(False)
        view.setWordWrap(False)
        self.table.proxy.setDynamicSortFilter(False)  # the time column moves every refresh
        fit_columns(view, self.model)
        view.selectionModel().selectionChanged.connect(self.update_buttons)
        view.doubleClicked.connect(lambda _index: self.show_history())
        self.counts = QLabel()
        self.counts.setObjectName("summary_counts")
        self.comment = QLineEdit()
        self.comment.setObjectName("summary_comment")
        self.comment.setPlaceholderText(self.tr("Comment (what you did or why)"))
        self.comment.setMaxLength(300)
        self.shelve_for = QComboBox()
        self.shelve_for.setObjectName("shelve_for")
        for minutes in SHELVE_FOR:
            self.shelve_for.addItem(duration_text(minutes * 60), minutes)
        self.shelve_for.setCurrentIndex(SHELVE_FOR.index(DEFAULT_SHELVE))
        self.shelve_for.setToolTip(self.tr("How long the shelved alarm stays silent"))
        self.ack_button = self._button("summary_acknowledge", self.tr("Acknowledge"),
                                       self.acknowledge, self.tr(
            "Acknowledge the selected alarm in your name with the comment, as “ack 12” on "
            "WhatsApp does; everyone it went to hears who acknowledged it."))
        self.shelve_button = self._button("summary_shelve", self.tr("Shelve"), self.shelve,
                                          self.tr(
            "Silence the selected alarm for the chosen time with the comment: no messages, "
            "no escalation; everyone it went to hears who shelved it."))
        self.unshelve_button = self._button("summary_unshelve", self.tr("Unshelve"),
                                            self.unshelve, self.tr(
            "End the shelving now; the next check tells people if it is still active."))
        self.history_button = self._button("summary_history", self.tr("History…"),
                                           self.show_history, self.tr(
            "The selected alarm's history: who was told, delivered and read, who acted."))
        bar = QHBoxLayout()
        bar.addWidget(self.comment, 2)
        bar.addWidget(self.ack_button)
        bar.addWidget(QLabel(self.tr("for")))
        bar.addWidget(self.shelve_for)
        bar.addWidget(self.shelve_button)
        bar.addWidget(self.unshelve_button)
        bar.addWidget(self.history_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counts)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        # Read on the executor (2,500 open alarms take over a tenth of a second), shown on the
        # loop in one model reset; the first fill too, while the widget is built.
        self.loader = Refresher(self, read_summary, self._apply, lambda: self.model.rows,
                                name="the alarm summary")
        self.counts.setText(self.tr("<b>Alarm summary</b> — loading…"))
        self.loader.refresh()

    def _button(self, name: str, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- showing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.loader.refresh()

    def _apply(self, got: tuple[list[dict[str, Any]], bool]) -> None:
        rows, changed = got
        if changed:
            selected = self.selected()
            self.model.set_rows(rows)
            fit_columns(self.table.view, self.model, bold=lambda r: r["state"] == "active")
            if selected:
                self.table.select_where("number", selected["number"])
        else:
            self._times_passed()
        states = [r["state"] for r in rows]
        self.counts.setText(self.tr(
            "<b>Alarm summary</b> — {open} open: {active} active, {acked} acknowledged, "
            "{shelved} shelved").format(open=len(rows), active=states.count("active"),
                                         acked=states.count("acknowledged"),
                                         shelved=states.count("shelved")))
        self.update_buttons()

    def _times_passed(self) -> None:
        """The time in alarm of the rows in sight drawn again. Told of all 2,500 rows at
        once, the table held the window 50-90 ms after every refresh; a row scrolled into
        sight later is drawn with its time then."""
        view, proxy = self.table.view, self.table.proxy
        top = view.rowAt(0)
        if top < 0:
            return
        bottom = view.rowAt(view.viewport().height() - 1)
        bottom = proxy.rowCount() - 1 if bottom < 0 else bottom
        rows = [proxy.mapToSource(proxy.index(n, TIME_COLUMN)).row()
                for n in range(top, bottom + 1)]
        self.model.times_passed(min(rows), max(rows))

    def selected(self) -> dict[str, Any] | None:
        return self.table.selected_row()

    def update_buttons(self, *_args) -> None:
        row = self.selected()
        may_act = self.ctx.can(permissions.MESSAGES_SEND) and row is not None
        self.ack_button.setEnabled(may_act and not row["acknowledged_by"])
        self.shelve_button.setEnabled(may_act and row["state"] != "shelved")
        self.unshelve_button.setEnabled(self.ctx.can(permissions.CONFIG_WRITE)
                                        and row is not None and row["state"] == "shelved")
        self.history_button.setEnabled(row is not None)
        self.comment.setEnabled(self.ctx.can(permissions.MESSAGES_SEND))

    # -- acting -----------------------------------------------------------------------------
    def acknowledge(self) -> None:
        self._act(None)

    def shelve(self) -> None:
        self._act(timedelta(minutes=int(self.shelve_for.currentData())))

    def _act(self, shelve_for: timedelta | None) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            outcome = alarm_acks.act_from_desk(self.ctx.actor, row["number"],
                                               shelve_for=shelve_for,
                                               comment=self.comment.text())
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        sentence = tr(language.reply_code(), outcome.key, **outcome.values)
        if outcome.ok:
            self.comment.clear()
            self.ctx.messages.info(sentence)
        else:
            self.ctx.messages.warning(sentence)
        self.refresh()

    def unshelve(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            alarm_acks.unshelve(self.ctx.actor, row["alarm_id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(self.tr("Alarm {name} is no longer shelved; the next check "
                                       "tells people if it is still active.").format(
                                           name=row["alarm"]))
        self.refresh()

    def show_history(self) -> None:
        row = self.selected()
        event = alarm_service.get_event(row["number"]) if row else None
        if event is None:
            return
        dialog = HistoryDialog(self._history(event), self)
        dialog.setWindowTitle(self.tr("Alarm #{number} {name}").format(
            number=row["number"], name=row["alarm"]))
        self.history_dialog = dialog  # kept for tests and screenshots
        dialog.open()


class HistoryDialog(QDialog):
    """An event's history as text: raised, told, delivered and read, acknowledged."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(parent)
        self.text = QPlainTextEdit(text)
        self.text.setObjectName("history_text")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(760, 460)

