"""Alarms tab: the alarms with their state, and the recent alarm events with their history.

Over 500 lines: the tab, its two tables' columns and the words of every state and history
entry they show belong together; its table model and column fitting are in alarms_model.py,
the summary under it in alarm_summary.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import alarms as logic
from app.core import permissions
from app.core.i18n import tr
from app.core.timefmt import local_text, parse_ts, utc_now
from app.errors import UserError
from app.services import alarm_acks, alarm_views, recipients
from app.services import alarms as alarm_service
from app.ui import language
from app.ui.dialogs.alarm_dialog import AlarmDialog, severity_label
from app.ui.language import translate
from app.ui.off_loop import Refresher
from app.ui.tabs.alarm_summary import AlarmSummary, receipt_lines
from app.ui.tabs.alarms_model import SortedModel, fit_columns, sort_in_python, sort_rows
from app.ui.widgets.common import FilterTable, button_bar
from app.ui.widgets.list_tab import ListTab
from app.ui.widgets.table_model import Column

RED, AMBER, GREY = "#b00020", "#8a6d00", "#666666"
# A shelf ends with time, and `alarms run-once` writes from another process, neither of which
# this process hears of: the tab looks again this often while shown (unchanged rows stay).
REFRESH_MS = 5000
EVENTS_SHOWN = 300
SEVERITY_ORDER = list(logic.SEVERITIES)


def _when(moment) -> str:
    """Today's times without the date; older ones with it."""
    if moment is None:
        return ""
    same_day = moment.astimezone().date() == utc_now().astimezone().date()
    return local_text(moment, with_date=not same_day)


def _state_of(row: dict[str, Any]) -> str:
    """switched_off, shelved, acknowledged, active, pending or normal."""
    if not row["active"]:
        return "switched_off"
    state: logic.AlarmState = row["state"]
    if state.shelved_until is not None and state.shelved_until > utc_now():
        return "shelved"
    if state.phase == "active":
        return "acknowledged" if state.acknowledged_by else "active"
    return "pending" if state.phase == "pending" else "normal"


def alarm_state_text(row: dict[str, Any]) -> str:
    state: logic.AlarmState = row["state"]
    which = _state_of(row)
    if which == "switched_off":
        return translate("AlarmsTab", "switched off")
    if which == "shelved":
        return translate("AlarmsTab", "shelved until {time}").format(
            time=_when(state.shelved_until))
    if which == "acknowledged":
        return translate("AlarmsTab", "acknowledged by {name}").format(
            name=state.acknowledged_by)
    if which == "active":
        return translate("AlarmsTab", "ACTIVE since {time}").format(
            time=_when(state.active_since))
    if which == "pending":
        return translate("AlarmsTab", "pending (condition seen at {time})").format(
            time=_when(state.condition_since))
    return translate("AlarmsTab", "normal")


def _alarm_state_color(row: dict[str, Any]) -> str | None:
    return {"active": RED, "pending": AMBER, "shelved": AMBER, "acknowledged": AMBER,
            "switched_off": GREY}.get(_state_of(row))


def watches_text(row: dict[str, Any]) -> str:
    if row["kind"] == "sql":
        return translate("AlarmsTab", "trigger {name}").format(
            name=row["trigger"] or translate("AlarmsTab", "(deleted trigger)"))
    return "{} · {}".format(row["data_source"] or translate("AlarmsTab", "(deleted connection)"),
                            row["tag"])


def limit_text(alarm: dict[str, Any]) -> str:
    """The condition in a few words for the list: "> 45", "< 10 or > 90", "= Tripped"."""
    c, units = alarm["config"], str(alarm["config"].get("units") or "")
    unit = f" {units}" if units else ""
    cond = alarm["condition"]

    def num(key: str) -> str:
        value = c.get(key)
        return f"{value:g}" if isinstance(value, (int, float)) else str(value)

    if cond == "above":
        return f"> {num('high')}{unit}"
    if cond == "below":
        return f"< {num('low')}{unit}"
    if cond == "outside":
        return translate("AlarmsTab", "< {low} or > {high}").format(
            low=num("low"), high=num("high")) + unit
    if cond == "equals":
        return "= {}".format(c.get("state_name"))
    if cond == "stale":
        return translate("AlarmsTab", "no new value for {minutes} min").format(
            minutes=num("stale_minutes") if "stale_minutes" in c else 15)
    return translate("AlarmsTab", "bad value or system state")


def nobody_text(row: dict[str, Any]) -> str:
    """The state column of an alarm nobody can be told of: "Nobody can be told — normal"."""
    if 1 in row["nobody"]:  # level number → who cannot be told, and why
        flag = translate("AlarmsTab", "Nobody can be told")
    else:  # a later level: the first is told, escalation reaches nobody
        flag = translate("AlarmsTab", "Nobody on a later level can be told")
    return f"{flag} — {alarm_state_text(row)}"


def _state_display(_value, row: dict[str, Any]) -> str:
    return nobody_text(row) if row.get("nobody") else alarm_state_text(row)


def _nobody_tooltip(row: dict[str, Any]) -> str | None:
    return " ".join(found.sentence(n) for n, found in row["nobody"].items()) or None


def _state_color(row: dict[str, Any]) -> str | None:
    return RED if row.get("nobody") else _alarm_state_color(row)


# alarm id → (the service's dict, who cannot be told, the language, the tab's row): a row
# whose alarm and reach are as at the last read is that same row, not built again.
_rows_built: dict[str, tuple[dict[str, Any], dict, str, dict[str, Any]]] = {}


def alarm_rows() -> list[dict[str, Any]]:
    global _rows_built
    rows = []
    every = alarm_views.alarm_list()  # an unchanged alarm is the same dict as last time
    # Derived from the recipients and Contacts as they are now: resolved once per distinct
    # level, Contacts read once (service sentences, shown as the tooltip).
    nobody = recipients.unreachable_alarms(every)
    words, before, built = language.current(), _rows_built, {}
    for alarm in every:
        reach = nobody.get(alarm["id"], {})
        seen = before.get(alarm["id"])
        if seen is not None and seen[0] is alarm and seen[1] == reach and seen[2] == words:
            row = seen[3]
        else:
            severity = alarm["severity"]
            row = dict(alarm, nobody=reach, watches=watches_text(alarm),
                       limit=limit_text(alarm),
                       severity_rank=SEVERITY_ORDER.index(severity)
                       if severity in SEVERITY_ORDER else 9)
        built[alarm["id"]] = (alarm, reach, words, row)
        rows.append(row)
    _rows_built = built
    return rows


def _watches_deleted(row: dict[str, Any]) -> bool:
    return not (row["trigger"] if row["kind"] == "sql" else row["data_source"])


ALARM_COLUMNS = (
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name")),
    Column("active", QT_TRANSLATE_NOOP("Columns", "On")),
    Column("watches", QT_TRANSLATE_NOOP("Columns", "Watches"),
           color=lambda r: RED if _watches_deleted(r) else None),
    Column("limit", QT_TRANSLATE_NOOP("Columns", "Condition")),
    Column("severity_rank", QT_TRANSLATE_NOOP("Columns", "Severity"),
           display=lambda _v, r: severity_label(r["severity"])),
    Column("phase", QT_TRANSLATE_NOOP("Columns", "State"), display=_state_display,
           color=_state_color, tooltip=_nobody_tooltip),
    Column("last_value", QT_TRANSLATE_NOOP("Columns", "Last value"),
           tooltip=lambda r: translate("AlarmsTab", "Read at {time}").format(
               time=local_text(r["last_evaluated_at"]))
           if r["last_evaluated_at"] else translate("AlarmsTab", "Not checked yet")),
    Column("last_error", QT_TRANSLATE_NOOP("Columns", "Last error"), color=lambda _r: RED,
           tooltip=lambda r: r["last_error"] or None),
)


_EVENT_STATES = {"active": QT_TRANSLATE_NOOP("AlarmsTab", "active"),
                 "shelved": QT_TRANSLATE_NOOP("AlarmsTab", "shelved"),
                 "acknowledged": QT_TRANSLATE_NOOP("AlarmsTab", "acknowledged"),
                 "cleared": QT_TRANSLATE_NOOP("AlarmsTab", "cleared"),
                 "closed": QT_TRANSLATE_NOOP("AlarmsTab", "closed")}


def event_state_text(row: dict[str, Any]) -> str:
    state = row["state"]
    if state == "shelved" and row["shelved_until"]:
        text = translate("AlarmsTab", "shelved until {time}").format(
            time=_when(row["shelved_until"]))
    elif state == "active" and row["escalation_level"]:
        text = translate("AlarmsTab", "active, told level {level}").format(
            level=row["escalation_level"] + 1)
    else:
        text = translate("AlarmsTab", _EVENT_STATES[state]) if state in _EVENT_STATES else state
    return text + (translate("AlarmsTab", " (sent late)") if row["late"] else "")


def _event_color(row: dict[str, Any]) -> str | None:
    return {"active": RED, "shelved": AMBER, "acknowledged": AMBER,
            "cleared": GREY}.get(row["state"])


EVENT_COLUMNS = (
    Column("number", "#", display=lambda v, _r: f"#{v}"),
    Column("alarm", QT_TRANSLATE_NOOP("Columns", "Alarm")),
    Column("raised_at", QT_TRANSLATE_NOOP("Columns", "Raised"), display=lambda v, _r: _when(v)),
    Column("value", QT_TRANSLATE_NOOP("Columns", "Value"), tooltip=lambda r: r["why"] or None),
    Column("state", QT_TRANSLATE_NOOP("Columns", "State"),
           display=lambda _v, r: event_state_text(r), color=_event_color),
    Column("acknowledged_by", QT_TRANSLATE_NOOP("Columns", "Acknowledged by"),
           display=lambda v, r: translate("AlarmsTab", "{name} at {time}").format(
               name=v, time=_when(r["acknowledged_at"])) if v else ""),
    Column("cleared_at", QT_TRANSLATE_NOOP("Columns", "Cleared"),
           display=lambda v, _r: _when(v)),
)

# What happened to an event, as the history records it (typed words, shown translated).
_HAPPENED = {"raised": QT_TRANSLATE_NOOP("AlarmsTab", "raised"),
             "sent": QT_TRANSLATE_NOOP("AlarmsTab", "sent"),
             "escalated": QT_TRANSLATE_NOOP("AlarmsTab", "escalated"),
             "acknowledged": QT_TRANSLATE_NOOP("AlarmsTab", "acknowledged"),
             "shelved": QT_TRANSLATE_NOOP("AlarmsTab", "shelved"),
             "unshelved": QT_TRANSLATE_NOOP("AlarmsTab", "unshelved"),
             "cleared": QT_TRANSLATE_NOOP("AlarmsTab", "cleared"),
             "closed": QT_TRANSLATE_NOOP("AlarmsTab", "closed"),
             "unreachable": QT_TRANSLATE_NOOP("AlarmsTab", "Nobody can be told"),
             # alarms by e-mail: a copy WhatsApp did not deliver, sent by e-mail
             "emailed": QT_TRANSLATE_NOOP("AlarmsTab", "sent by e-mail")}
# Why an escalation happened (the history's typed "because").
_BECAUSE = {"not acknowledged": QT_TRANSLATE_NOOP("AlarmsTab", " (not acknowledged in time)"),
            "not delivered": QT_TRANSLATE_NOOP("AlarmsTab", " (not delivered in time)")}
_WORDS = {"detail": QT_TRANSLATE_NOOP("AlarmsTab", ": {}"),
          "value": QT_TRANSLATE_NOOP("AlarmsTab", " (value {})"),
          "by": QT_TRANSLATE_NOOP("AlarmsTab", " by {}")}


def _happened(what: str) -> str:
    return translate("AlarmsTab", _HAPPENED[what]) if what in _HAPPENED else what


def history_line(entry: dict[str, Any]) -> str:
    at = parse_ts(entry.get("at"))
    text = f"{local_text(at)}  {_happened(entry.get('what', ''))}"
    if entry.get("what") == "unreachable":  # "Nobody can be told on level 1: Sari is …"
        text += translate("AlarmsTab", " on level {level}").format(level=entry.get("level"))
    elif entry.get("level"):
        text += translate("AlarmsTab", " to level {level}").format(level=entry["level"])
        text += f": {entry['to']}" if entry.get("to") else \
            translate("AlarmsTab", " (nobody to tell)")
    elif entry.get("what") == "emailed" and entry.get("to"):
        text += f": {entry['to']}"
    if entry.get("because") in _BECAUSE:
        text += translate("AlarmsTab", _BECAUSE[entry["because"]])
    for key, form in _WORDS.items():
        if entry.get(key) not in (None, ""):
            text += translate("AlarmsTab", form).format(entry[key])
    until = parse_ts(entry.get("until"))
    if until:
        text += translate("AlarmsTab", " until {time}").format(time=local_text(until))
    return text


def ack_line(ack: dict[str, Any]) -> str:
    words = {"ack": "acknowledged", "shelve": "shelved", "unshelve": "unshelved"}
    text = translate("AlarmsTab", "{time}  {what} by {name}").format(
        time=local_text(ack["at"]), what=_happened(words.get(ack["action"], ack["action"])),
        name=ack["by"])
    if ack["via"]:
        text += translate("AlarmsTab", " (via {via})").format(via=ack["via"])
    if ack["until"]:
        text += translate("AlarmsTab", " until {time}").format(time=local_text(ack["until"]))
    if ack["reason"]:
        text += f": {ack['reason']}"
    return text


def event_details(event: dict[str, Any]) -> str:
    lines = [f"#{event['number']} {event['alarm']} — {event['why'] or event['value']}",
             translate("AlarmsTab", "Severity {severity}; value {value}").format(
                 severity=severity_label(event["severity"]), value=event["value"] or "?"), "",
             translate("AlarmsTab", "History")]
    lines += [f"  {history_line(h)}" for h in event["history"]] or [
        "  " + translate("AlarmsTab", "(none recorded)")]
    acks = alarm_service.acks_of(event["number"])
    lines += ["", translate("AlarmsTab", "Acknowledgements and shelving")]
    lines += [f"  {ack_line(a)}" for a in acks] or ["  " + translate("AlarmsTab", "none yet")]
    lines += ["", translate("AlarmsTab", "Delivered and read")]
    lines += [f"  {line}" for line in receipt_lines(event["number"])] or [
        "  " + translate("AlarmsTab", "no message sent yet")]
    return "\n".join(lines)


def read_tab(seen: dict[str, Any]) -> dict[str, Any]:
    """Everything a refresh of the tab shows, read on a worker thread: the alarms with who
    can be told, the recent events and the selected event's details. `seen` is what the
    tab shows now (compared here, off the loop, so that unchanged rows are left alone)."""
    rows = sort_rows(alarm_rows(), seen["order"])  # sorted here, not on the loop
    events = alarm_views.recent_events(EVENTS_SHOWN, seen["open_only"],
                                       {row["id"]: row["name"] for row in rows})
    selected = next((e for e in events if e["number"] == seen["event"]), None)
    return {"rows": rows, "rows_changed": rows != seen["rows"], "seen_rows": seen["rows"],
            "events": events, "events_changed": events != seen["events"],
            "seen_events": seen["events"], "open_only": seen["open_only"],
            "event": seen["event"], "details": event_details(selected) if selected else None,
            "order": seen["order"]}


class AlarmsTab(ListTab):
    columns = ALARM_COLUMNS
    filter_text = QT_TRANSLATE_NOOP("ListTab", "Filter alarms…")
    read_only_text = QT_TRANSLATE_NOOP("ListTab",
                                       "Your role can look at alarms, not change them.")
    topics = ("alarms", "data_sources", "triggers", "contacts")  # contacts: who can be told
    skip_unchanged = True

    def make_buttons(self) -> None:
        self.new_button = self.add_button(self.tr("New…"), self.new, needs_row=False)
        self.edit_button = self.add_button(self.tr("Edit…"), self.edit)
        self.active_button = self.add_button(self.tr("Switch off"), self.toggle_active)
        self.delete_button = self.add_button(self.tr("Delete"), self.delete)

    def pane(self):
        # -- the events ---------------------------------------------------------------------
        self.events_model = SortedModel(EVENT_COLUMNS, self)
        self.events = FilterTable(self.events_model, self.tr("Filter alarm events…"))
        sort_in_python(self.events, 0, Qt.SortOrder.DescendingOrder)
        sort_in_python(self.table)
        fit_columns(self.events.view, self.events_model)  # the titles fit before any event
        fit_columns(self.table.view, self.model)
        self.events.view.selectionModel().selectionChanged.connect(self._on_event_selected)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.setObjectName("acknowledge")
        self.ack_button.setToolTip(self.tr(
            "Acknowledge the selected alarm event in your name, as “ack 12” on WhatsApp does; "
            "escalation to the next level stops."))
        self.unshelve_button = QPushButton(self.tr("Unshelve"))
        self.unshelve_button.setObjectName("unshelve")
        self.unshelve_button.setToolTip(self.tr(
            "End the shelving of the selected event's alarm now; the next check tells people "
            "if it is still active."))
        self.open_only = QCheckBox(self.tr("Open events only"))
        self.open_only.setObjectName("open_only")
        self.open_only.toggled.connect(self.refresh_events)
        events_bar = button_bar((self.ack_button, self.acknowledge),
                                (self.unshelve_button, self.unshelve))
        events_bar.insertWidget(2, self.open_only)
        self.details = QPlainTextEdit()
        self.details.setObjectName("event_details")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr("Select an event to see its history and who "
                                                "acknowledged or shelved it."))
        events_split = QSplitter(Qt.Orientation.Horizontal)
        events_split.addWidget(self.events)
        events_split.addWidget(self.details)
        events_split.setSizes([760, 420])
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel(self.tr(
            "<b>Recent alarm events</b> — the number is what people reply with (ack 12)")))
        bottom_layout.addLayout(events_bar)
        bottom_layout.addWidget(events_split, 1)
        self.summary = AlarmSummary(self.ctx, event_details)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setObjectName("alarm_views")
        self.lower_tabs.addTab(self.summary, self.tr("Alarm summary"))
        self.lower_tabs.addTab(bottom, self.tr("Recent events"))
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        # The reads (5,000 alarms and their reach take a third of a second) run on the
        # executor; the rows come back to the loop in one model reset.
        self.loader = Refresher(self, read_tab, self._apply, self._seen, name="the Alarms tab")
        return self.lower_tabs, Qt.Orientation.Vertical, (300, 420)

    # -- showing ----------------------------------------------------------------------------
    def refresh(self, *_args) -> None:
        """Read off the loop and show the result when it is back; the first fill too, while
        the tab is built: the list says it is loading until its rows arrive."""
        self._stale = False
        if getattr(self, "_filled", False):
            self.summary.refresh()
        else:  # the summary started its own first read when it was built
            self._filled = True
            self.hint.setText(self.tr("Loading the alarms…"))
        self.loader.refresh()

    def _seen(self) -> dict[str, Any]:
        event = self.events.selected_row()
        return {"rows": self.model.rows, "events": self.events_model.rows,
                "order": self.model.order,
                "open_only": self.open_only.isChecked(),
                "event": event["number"] if event else None}

    def _apply(self, got: dict[str, Any]) -> None:
        rows = got["rows"]
        unchanged = not got["rows_changed"] if self.model.rows is got["seen_rows"] \
            else rows == self.model.rows
        if not unchanged:
            selected = self.selected()
            self.model.set_rows(rows, sorted_by=got["order"])
            self.shown(rows)
            fit_columns(self.table.view, self.model)
            if self._saved_id is not None or selected:
                self.table.select_where(self.key, self._saved_id if self._saved_id is not None
                                        else selected[self.key])
        self._saved_id = None
        if self.has_hint:
            self.hint.setText(self.hint_text(rows))
        if got["open_only"] == self.open_only.isChecked():
            same = not got["events_changed"] if self.events_model.rows is got["seen_events"] \
                else got["events"] == self.events_model.rows
            self._show_events(got["events"], same)
            event = self.events.selected_row()
            if event is not None and event["number"] == got["event"] \
                    and got["details"] is not None:
                self._show_details(got["details"])
            else:
                self._on_event_selected()
        else:  # the box was ticked meanwhile: its own refresh comes
            self.update_buttons()

    def make_model(self) -> SortedModel:
        return SortedModel(self.columns, self)

    def load(self) -> list[dict[str, Any]]:
        return alarm_rows()

    def hint_text(self, rows: list[dict[str, Any]]) -> str:
        hints = []
        if not rows:
            hints.append(self.tr(
                "No alarm yet. Press <b>New…</b>, choose the <b>demo</b> connection and a tag "
                "such as DEMO.BOILER.TEMP to try one without a network."))
        unreadable = [r["name"] for r in rows if r["active"] and r["last_error"]]
        if unreadable:
            hints.append(self.tr("Cannot read the data of: {names}.").format(
                names=", ".join(unreadable)))
        return " ".join(hints)

    def refresh_events(self, *_args) -> None:
        """The box "Open events only" changed: the events read again (with the rest)."""
        self.refresh()

    def _show_events(self, rows: list[dict[str, Any]], same: bool) -> None:
        if not same:
            selected = self.events.selected_row()
            self.events_model.set_rows(rows)
            fit_columns(self.events.view, self.events_model)
            if selected:
                self.events.select_where("number", selected["number"])

    def _on_event_selected(self, *_args) -> None:
        event = self.events.selected_row()
        self._show_details(event_details(event) if event else "")

    def _show_details(self, text: str) -> None:
        if text != self.details.toPlainText():
            self.details.setPlainText(text)
        self.update_buttons()

    def _alarm_of(self, event: dict[str, Any] | None) -> dict[str, Any] | None:
        alarm_id = event["alarm_id"] if event else None
        if alarm_id is None:
            return self.selected()
        return next((r for r in self.model.rows if r["id"] == alarm_id), None)

    def update_buttons(self, *_args) -> None:
        super().update_buttons()
        row = self.selected()
        writable = self.writable()
        self.active_button.setText(self.tr("Switch on") if row and not row["active"]
                                   else self.tr("Switch off"))
        event = self.events.selected_row()
        self.ack_button.setEnabled(
            self.ctx.can(permissions.MESSAGES_SEND) and event is not None
            and event["state"] != "cleared" and not event["acknowledged_by"])
        alarm = self._alarm_of(event)
        shelved = alarm is not None and alarm["state"].shelved_until is not None \
            and alarm["state"].shelved_until > utc_now()
        self.unshelve_button.setEnabled(writable and shelved)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._timer.start()
        if not self.loader.busy():  # a read in flight (the first fill, say) shows it anyway
            self.refresh()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._timer.stop()
        super().hideEvent(event)

    # -- actions on alarms ------------------------------------------------------------------
    def fetch(self, row):
        return alarm_service.get_alarm(row["id"])  # the whole definition, as saved

    def form(self, row):
        dialog = AlarmDialog(self.ctx, row, parent=self)
        return dialog, dialog.alarm_saved, lambda a: self.tr("Alarm {name} saved.").format(
            name=a["name"])

    def toggle_active(self) -> None:
        row = self.selected()
        if row is not None:
            self.act(lambda: alarm_service.set_active(self.ctx.actor, row["id"],
                                                      not row["active"]),
                     (self.tr("Alarm {name} switched off; its open event is closed.")
                      if row["active"] else self.tr("Alarm {name} switched on.")).format(
                         name=row["name"]))

    def delete(self) -> None:
        row = self.selected()
        if row is not None:
            self.confirm_then(self.tr("Delete alarm"),
                              self.tr("Delete the alarm {name} and its events?").format(
                                  name=row["name"]),
                              lambda: alarm_service.delete_alarm(self.ctx.actor, row["id"]),
                              self.tr("Alarm {name} deleted.").format(name=row["name"]))

    # -- actions on events ------------------------------------------------------------------
    def acknowledge(self) -> None:
        event = self.events.selected_row()
        if event is None:
            return
        try:
            outcome = alarm_acks.acknowledge_in_app(self.ctx.actor, event["number"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        sentence = tr(language.reply_code(), outcome.key, **outcome.values)
        if outcome.ok:
            self.ctx.messages.info(sentence)
        else:
            self.ctx.messages.warning(sentence)
        self.refresh()

    def unshelve(self) -> None:
        alarm = self._alarm_of(self.events.selected_row())
        if alarm is None:
            return
        try:
            alarm_acks.unshelve(self.ctx.actor, alarm["id"])
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.ctx.messages.info(self.tr("Alarm {name} is no longer shelved; the next check "
                                       "tells people if it is still active.").format(
                                           name=alarm["name"]))
