"""The alarm form: what is watched, the condition, who is told, and a test on the current value."""

from __future__ import annotations

import asyncio
import html
from typing import Any

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.core import alarms as logic
from app.errors import UserError, describe
from app.services import alarms as alarm_service
from app.services import contacts, recipients, sources
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.dialogs.trigger_dialog import fixed_font

KIND_LABELS = {"pi": "A PI tag", "sql": "A SQL trigger's first value"}
CONDITION_LABELS = {
    "above": "Above the high limit",
    "below": "Below the low limit",
    "outside": "Outside the low and high limits",
    "equals": "Equals a state (digital tag)",
    "bad": "Bad value or system state",
    "stale": "No new value for a while (stale)",
}
SEVERITY_WORDS = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low"}
WARNING_STYLE = "background: #fff7e0; border: 1px solid #e8d49a; padding: 4px;"
RED = "#b00020"
ID_ROLE = Qt.ItemDataRole.UserRole


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def severity_label(severity: str) -> str:
    icon = logic.SEVERITIES.get(severity, "")
    return f"{icon} {SEVERITY_WORDS.get(severity, severity)}".strip()


def number_or_text(text: str) -> float | str | None:
    """A typed limit as a number; kept as typed when it is not one, so saving says why."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def shown_number(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- recipients -----------------------------------------------------------------------------


class PickDialog(QDialog):
    """A checklist of contacts, tags or groups; `picked(values)` on OK."""

    picked = Signal(list)

    def __init__(self, title: str, choices: list[tuple[str, str]], chosen: list[str],
                 empty: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(420, 420)
        self.list = QListWidget()
        self.list.setObjectName("choices")
        wanted = {c.casefold() for c in chosen}
        for label, value in choices:
            item = QListWidgetItem(label)
            item.setData(ID_ROLE, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if value.casefold() in wanted
                               else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if choices:
            layout.addWidget(self.list, 1)
        else:
            hint = QLabel(empty)
            hint.setWordWrap(True)
            layout.addWidget(hint, 1)
        layout.addWidget(buttons)

    def values(self) -> list[str]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _ok(self) -> None:
        self.picked.emit(self.values())
        self.accept()


def contact_choices() -> list[tuple[str, str]]:
    """Approved people, by phone number (what a recipient spec stores)."""
    out = []
    for c in contacts.list_contacts():
        if c["kind"] == "person" and c["allowed"] and not c["blocked"]:
            key = c["phone"] or c["id"]
            label = f"{c['display_name']} ({c['phone']})" if c["phone"] and \
                c["display_name"] != c["phone"] else c["display_name"]
            out.append((label, key))
    return out


def tag_choices() -> list[tuple[str, str]]:
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for c in contacts.list_contacts():
        if c["kind"] == "person" and c["allowed"] and not c["blocked"]:
            for tag in c["tags"]:
                counts[tag.casefold()] = counts.get(tag.casefold(), 0) + 1
                names.setdefault(tag.casefold(), tag)
    return [(f"{names[k]} ({n} " + ("person" if n == 1 else "people") + ")", names[k])
            for k, n in sorted(counts.items())]


def group_choices() -> list[tuple[str, str]]:
    return [(f"{c['display_name']} ({c['id']})" if c["display_name"] != c["id"] else c["id"],
             c["id"]) for c in contacts.list_contacts() if c["kind"] == "group"]


class RecipientsEditor(QWidget):
    """Contacts, contact tags and WhatsApp groups, typed or picked, with the crowd warning."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.contacts = QLineEdit()
        self.contacts.setObjectName("contacts")
        self.contacts.setPlaceholderText("Phone numbers of approved contacts, comma-separated")
        self.tags = QLineEdit()
        self.tags.setObjectName("tags")
        self.tags.setPlaceholderText("Contact tags, e.g. operators, shift leads")
        self.groups = QLineEdit()
        self.groups.setObjectName("groups")
        self.groups.setPlaceholderText("WhatsApp group ids (…@g.us) the bot is in")
        self.warning = QLabel()
        self.warning.setObjectName("crowd_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.update_warning)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for label, edit, title, choices, empty in (
                ("Contacts", self.contacts, "Choose contacts", contact_choices,
                 "No approved contact yet: approve people in Contacts first."),
                ("Tags", self.tags, "Choose contact tags", tag_choices,
                 "No approved contact has a tag yet: give contacts tags in Contacts."),
                ("Groups", self.groups, "Choose WhatsApp groups", group_choices,
                 "The bot knows no WhatsApp group yet: add it to a group and let someone "
                 "write there once.")):
            button = QPushButton("Choose…")
            button.setObjectName(f"choose_{edit.objectName()}")
            button.clicked.connect(lambda _c=False, e=edit, t=title, f=choices, m=empty:
                                   self._pick(e, t, f(), m))
            edit.textChanged.connect(self._edited)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button)
            form.addRow(label, row)
        form.addRow(self.warning)

    def spec(self) -> dict[str, list[str]]:
        return {"contacts": split_list(self.contacts.text()),
                "tags": split_list(self.tags.text()),
                "groups": split_list(self.groups.text())}

    def set_spec(self, spec: dict[str, Any] | None) -> None:
        spec = spec or {}
        for key, edit in (("contacts", self.contacts), ("tags", self.tags),
                          ("groups", self.groups)):
            edit.setText(", ".join(str(v) for v in spec.get(key) or []))
        self.update_warning()

    def is_empty(self) -> bool:
        return recipients.is_empty(self.spec())

    def _edited(self, *_args) -> None:
        self._timer.start()
        self.changed.emit()

    def update_warning(self) -> None:
        spec, _problems = recipients.clean_spec(self.spec())
        text = recipients.crowd_warning(spec) or ""
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def _pick(self, edit: QLineEdit, title: str, choices: list[tuple[str, str]],
              empty: str) -> None:
        current = split_list(edit.text())
        known = {value.casefold() for _label, value in choices}
        dialog = PickDialog(title, choices, current, empty, self)

        def picked(values: list[str]) -> None:
            # What was typed by hand and is not in the list stays.
            kept = [v for v in current if v.casefold() not in known]
            edit.setText(", ".join(kept + values))

        dialog.picked.connect(picked)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()


class QuietHours(QWidget):
    """An optional daily window, as {"start": "22:00", "end": "06:00"}."""

    def __init__(self, text: str, parent=None) -> None:
        super().__init__(parent)
        self.enabled = QCheckBox(text)
        self.enabled.setObjectName("quiet")
        self.start = QTimeEdit(QTime(22, 0))
        self.start.setObjectName("quiet_start")
        self.end = QTimeEdit(QTime(6, 0))
        self.end.setObjectName("quiet_end")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.enabled)
        row.addWidget(QLabel("from"))
        row.addWidget(self.start)
        row.addWidget(QLabel("to"))
        row.addWidget(self.end)
        row.addStretch(1)
        self.enabled.toggled.connect(self._toggled)
        self._toggled(False)

    def _toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)

    def set_value(self, value: Any) -> None:
        if isinstance(value, dict):
            start = QTime.fromString(str(value.get("start", "")), "H:mm")
            end = QTime.fromString(str(value.get("end", "")), "H:mm")
            if start.isValid() and end.isValid():
                self.start.setTime(start)
                self.end.setTime(end)
                self.enabled.setChecked(True)
                return
        self.enabled.setChecked(False)

    def value(self) -> dict[str, str] | None:
        if not self.enabled.isChecked():
            return None
        return {"start": self.start.time().toString("HH:mm"),
                "end": self.end.time().toString("HH:mm")}


# -- the alarm form -------------------------------------------------------------------------


class AlarmDialog(FormDialog):
    """New or edit; saves through services.alarms and emits `alarm_saved(alarm)`."""

    alarm_saved = Signal(dict)

    def __init__(self, ctx: UiContext, alarm: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__("Edit alarm" if alarm else "New alarm", parent)
        self.ctx = ctx
        self.alarm = alarm
        self.resize(1120, 780)
        config = dict(alarm["config"]) if alarm else {}
        self._sources = [s for s in sources.list_sources() if s["plugin"] in ("pi", "demo")]
        self._triggers = [t for t in trigger_service.list_triggers()
                          if t["type"] in ("sql", "preset")]
        self._task: asyncio.Task | None = None

        self.name = QLineEdit(alarm["name"] if alarm else "")
        self.name.setObjectName("name")
        self.name.setPlaceholderText("Appears in every message, e.g. Drum pressure")
        self.active = QCheckBox("Switched on (checked every interval, people are told)")
        self.active.setObjectName("active")
        self.active.setChecked(alarm["active"] if alarm else True)
        self.description = QLineEdit(str(config.get("description") or ""))
        self.description.setObjectName("description")
        self.description.setPlaceholderText("For the engineers: what it means, what to do")

        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for value, label in KIND_LABELS.items():
            self.kind.addItem(label, value)
        self.connection = QComboBox()
        self.connection.setObjectName("connection")
        if not self._sources:
            self.connection.addItem("No PI connection yet — add one in Connections", None)
        for source in self._sources:
            suffix = "" if source["active"] else " (switched off)"
            self.connection.addItem(f"{source['name']} — {source['kind_label']}{suffix}",
                                    source["id"])
        self.tag = QLineEdit(alarm["tag"] if alarm else "")
        self.tag.setObjectName("tag")
        self.tag.setPlaceholderText("The PI tag, e.g. BOILER1.DRUM.PRESS")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.setObjectName("browse_tags")
        self.browse_button.clicked.connect(self.browse_tags)
        self._tag_row = QHBoxLayout()
        self._tag_row.addWidget(self.tag, 1)
        self._tag_row.addWidget(self.browse_button)
        self.trigger = QComboBox()
        self.trigger.setObjectName("trigger")
        if not self._triggers:
            self.trigger.addItem("No SQL trigger yet — make one in Triggers", None)
        for trigger in self._triggers:
            self.trigger.addItem(trigger["name"], trigger["id"])

        self.condition = QComboBox()
        self.condition.setObjectName("condition")
        for value in logic.CONDITIONS:
            self.condition.addItem(CONDITION_LABELS.get(value, value), value)
        self.high = QLineEdit(shown_number(config.get("high")))
        self.high.setObjectName("high")
        self.high.setPlaceholderText("e.g. 45")
        self.low = QLineEdit(shown_number(config.get("low")))
        self.low.setObjectName("low")
        self.low.setPlaceholderText("e.g. 10")
        self.state_name = QLineEdit(str(config.get("state_name") or ""))
        self.state_name.setObjectName("state_name")
        self.state_name.setPlaceholderText("The digital state that raises it, e.g. Tripped")
        self.stale = QSpinBox()
        self.stale.setObjectName("stale_minutes")
        self.stale.setRange(1, 7 * 24 * 60)
        self.stale.setSuffix(" min")
        self.stale.setValue(int(float(config.get("stale_minutes") or 15)))
        self.deadband = QDoubleSpinBox()
        self.deadband.setObjectName("deadband")
        self.deadband.setRange(0, 1e9)
        self.deadband.setDecimals(3)
        self.deadband.setValue(float(config.get("deadband") or 0))
        self.deadband.setToolTip("How far back over the limit the value must go before the "
                                 "alarm clears, so a value hovering at the limit does not "
                                 "raise and clear again and again.")
        self.min_duration = QSpinBox()
        self.min_duration.setObjectName("min_duration")
        self.min_duration.setRange(0, 24 * 3600)
        self.min_duration.setSuffix(" s")
        self.min_duration.setSpecialValueText("raise at once")
        self.min_duration.setValue(int(float(config.get("min_duration_s") or 0)))
        self.min_duration.setToolTip("The condition must hold this long before the alarm is "
                                     "raised; a short spike is ignored.")
        self.severity = QComboBox()
        self.severity.setObjectName("severity")
        for value in logic.SEVERITIES:
            self.severity.addItem(severity_label(value), value)
        self.units = QLineEdit(str(config.get("units") or ""))
        self.units.setObjectName("units")
        self.units.setPlaceholderText("Shown after the value when the tag has none, e.g. bar")
        self.interval = QSpinBox()
        self.interval.setObjectName("interval")
        self.interval.setRange(alarm_service.MIN_INTERVAL_S, 24 * 3600)
        self.interval.setSuffix(" s")
        self.interval.setValue(int(float(config.get("interval_s")
                                         or alarm_service.DEFAULT_INTERVAL_S)))
        self.template = QPlainTextEdit(str(config.get("template") or ""))
        self.template.setObjectName("template")
        self.template.setPlaceholderText("Empty: the standard message, e.g. 🟠 #12 Drum pressure "
                                         "HIGH 46.2 bar > 45 since 10:42 — reply *ack 12*")
        self.template.setFixedHeight(64)
        self.template.setToolTip("May use " + ", ".join(f"{{{f}}}" for f in
                                                         logic.TEMPLATE_FIELDS)
                                 + "; {number} is required (people reply ack {number}).")

        levels = alarm["levels"] if alarm else []
        self.first = RecipientsEditor()
        self.first.setObjectName("level1")
        self.first.set_spec(levels[0] if levels else None)
        self.second_box = QGroupBox("Then, if nobody acknowledges, also tell")
        self.second_box.setObjectName("level2")
        self.second_box.setCheckable(True)
        self.second_box.setChecked(len(levels) > 1)
        self.after = QSpinBox()
        self.after.setObjectName("after_min")
        self.after.setRange(1, 24 * 60)
        self.after.setSuffix(" min")
        self.after.setValue(int(levels[1]["after_min"]) if len(levels) > 1 else 15)
        self.second = RecipientsEditor()
        self.second.set_spec(levels[1] if len(levels) > 1 else None)
        second_layout = QFormLayout(self.second_box)
        second_layout.addRow("After", self.after)
        second_layout.addRow(self.second)
        first_box = QGroupBox("Who is told first *")
        first_layout = QVBoxLayout(first_box)
        first_layout.addWidget(self.first)
        self.audience = QLineEdit(", ".join(alarm["audience"]) if alarm else "")
        self.audience.setObjectName("audience")
        self.audience.setPlaceholderText("Contact tags, comma-separated; empty = anyone it is "
                                         "sent to")
        self.quiet = QuietHours("Quiet hours")
        self.quiet.setToolTip("A daily window (it may run past midnight): a raise in it is "
                              "recorded, and people are told when the window ends. A critical "
                              "alarm is always sent at once.")
        self.quiet.set_value(config.get("quiet_hours"))

        # Its own form layout: FormDialog's sits above the splitter and stays empty.
        self.fields = QFormLayout()
        self.fields.addRow("Name *", self.name)
        self.fields.addRow("", self.active)
        self.fields.addRow("Description", self.description)
        self.fields.addRow("Watches", self.kind)
        self.fields.addRow("Connection *", self.connection)
        self.fields.addRow("Tag *", self._tag_row)
        self.fields.addRow("Trigger *", self.trigger)
        self.fields.addRow("Condition", self.condition)
        self.fields.addRow("High limit *", self.high)
        self.fields.addRow("Low limit *", self.low)
        self.fields.addRow("State *", self.state_name)
        self.fields.addRow("Stale after", self.stale)
        self.fields.addRow("Deadband", self.deadband)
        self.fields.addRow("Minimum duration", self.min_duration)
        self.fields.addRow("Severity", self.severity)
        self.fields.addRow("Units", self.units)
        self.fields.addRow("Check every", self.interval)
        self.fields.addRow("Message", self.template)
        self.fields.addRow(first_box)
        self.fields.addRow(self.second_box)
        self.fields.addRow("Who may acknowledge", self.audience)
        self.fields.addRow("", self.quiet)
        left = QWidget()
        left.setLayout(self.fields)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)

        # The test on the right.
        self.test_button = QPushButton("Test against the current value")
        self.test_button.setObjectName("test_alarm")
        self.test_button.clicked.connect(self.run_test)
        self.test_status = QLabel("Reads the value now and shows whether the condition holds "
                                  "and the exact message people would get. Nothing is sent "
                                  "and the alarm's state does not change.")
        self.test_status.setObjectName("test_status")
        self.test_status.setWordWrap(True)
        self.test_value = QLabel()
        self.test_value.setObjectName("test_value")
        self.test_value.setWordWrap(True)
        self.test_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_text = QPlainTextEdit()
        self.test_text.setObjectName("test_text")
        self.test_text.setReadOnly(True)
        self.test_text.setFont(fixed_font())
        self.test_text.setPlaceholderText("The message people would get")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>Test</b> of the form as it is now (nothing is "
                                      "saved)"))
        right_layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addWidget(self.test_status)
        right_layout.addWidget(self.test_value)
        right_layout.addWidget(self.test_text, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setSizes([680, 440])
        self.layout_.insertWidget(0, split, 1)

        self.kind.setCurrentIndex(max(self.kind.findData(alarm["kind"] if alarm else "pi"), 0))
        self._select(self.connection, alarm["data_source_id"] if alarm else None,
                     "(connection deleted) — choose another")
        self._select(self.trigger, alarm["trigger_id"] if alarm else None,
                     "(trigger deleted) — choose another")
        self.condition.setCurrentIndex(max(self.condition.findData(
            config.get("condition") or "above"), 0))
        self.severity.setCurrentIndex(max(self.severity.findData(
            config.get("severity") or "high"), 0))
        self.kind.currentIndexChanged.connect(self._update_rows)
        self.condition.currentIndexChanged.connect(self._update_rows)
        self._update_rows()
        self.submitted.connect(self.save)
        self.finished.connect(lambda _r: self.cancel_test())

    def _select(self, combo: QComboBox, wanted: str | None, missing: str) -> None:
        if not wanted:
            return
        index = combo.findData(wanted)
        if index < 0:
            # Never swap in another connection or trigger silently.
            combo.insertItem(0, missing, None)
            index = 0
        combo.setCurrentIndex(index)

    def _update_rows(self, *_args) -> None:
        pi = self.kind.currentData() == "pi"
        cond = self.condition.currentData()
        limits = cond in ("above", "below", "outside")
        for row, visible in ((self.connection, pi), (self._tag_row, pi), (self.trigger, not pi),
                             (self.high, cond in ("above", "outside")),
                             (self.low, cond in ("below", "outside")),
                             (self.state_name, cond == "equals"), (self.stale, cond == "stale"),
                             (self.deadband, limits), (self.units, limits)):
            self.fields.setRowVisible(row, visible)

    # -- values -----------------------------------------------------------------------------
    def config_values(self) -> dict[str, Any]:
        cond = self.condition.currentData()
        config: dict[str, Any] = {"condition": cond, "severity": self.severity.currentData(),
                                  "interval_s": self.interval.value()}
        if cond in ("above", "outside"):
            config["high"] = number_or_text(self.high.text())
        if cond in ("below", "outside"):
            config["low"] = number_or_text(self.low.text())
        if cond == "equals":
            config["state_name"] = self.state_name.text().strip()
        if cond == "stale":
            config["stale_minutes"] = self.stale.value()
        if cond in ("above", "below", "outside") and self.deadband.value():
            config["deadband"] = self.deadband.value()
        if self.min_duration.value():
            config["min_duration_s"] = self.min_duration.value()
        if self.units.text().strip() and cond in ("above", "below", "outside"):
            config["units"] = self.units.text().strip()
        if self.template.toPlainText().strip():
            config["template"] = self.template.toPlainText().strip()
        if self.description.text().strip():
            config["description"] = self.description.text().strip()
        levels: list[dict[str, Any]] = [self.first.spec()]
        if self.second_box.isChecked():
            levels.append({"after_min": self.after.value(), **self.second.spec()})
        config["recipients"] = levels
        audience = split_list(self.audience.text())
        if audience:
            config["audience"] = audience
        quiet = self.quiet.value()
        if quiet:
            config["quiet_hours"] = quiet
        return {k: v for k, v in config.items() if v is not None}

    def values(self) -> dict:
        pi = self.kind.currentData() == "pi"
        return {"name": self.name.text().strip(), "active": self.active.isChecked(),
                "kind": self.kind.currentData(),
                "data_source_id": self.connection.currentData() if pi else None,
                "tag": self.tag.text().strip() if pi else "",
                "trigger_id": None if pi else self.trigger.currentData(),
                "config": self.config_values()}

    def test_alarm(self) -> dict[str, Any]:
        """The form shaped as services.alarms shapes an alarm, for the engine's test."""
        values = self.values()
        config = values["config"]
        source = next((s for s in self._sources if s["id"] == values["data_source_id"]), None)
        trigger = next((t for t in self._triggers if t["id"] == values["trigger_id"]), None)
        state = self.alarm["state"] if self.alarm else logic.AlarmState()
        return {
            "id": self.alarm["id"] if self.alarm else None,
            "name": values["name"] or "Test alarm", "active": True, "kind": values["kind"],
            "data_source_id": values["data_source_id"],
            "data_source": source["name"] if source else "", "tag": values["tag"],
            "trigger_id": values["trigger_id"], "trigger": trigger["name"] if trigger else "",
            "config": config, "condition": config["condition"],
            "severity": config["severity"], "interval_s": config["interval_s"],
            "levels": alarm_service.levels_of(config),
            "audience": list(config.get("audience") or []),
            "quiet_hours": config.get("quiet_hours"), "template": config.get("template", ""),
            "state": state, "phase": state.phase,
            "event_id": self.alarm["event_id"] if self.alarm else None,
            "last_value": "", "last_error": "",
        }

    def _test_problems(self, alarm: dict[str, Any]) -> list[str]:
        problems = []
        if alarm["kind"] == "pi":
            if not alarm["data_source_id"]:
                problems.append("Choose the PI connection the tag is read from.")
            if not alarm["tag"]:
                problems.append("Give the PI tag to watch.")
        elif not alarm["trigger_id"]:
            problems.append("Choose the SQL trigger whose first value is watched.")
        config = alarm["config"]
        typed = [k for k in ("high", "low") if isinstance(config.get(k), str)]
        for key in typed:
            problems.append(f"The {key} limit must be a number, not “{config[key]}”.")
        if not typed:
            problems += alarm_service.rule_of(alarm).problems()
        problems += logic.check_template(str(config.get("template") or ""))
        return problems

    # -- the test ---------------------------------------------------------------------------
    def _engine(self):
        engine = getattr(self.ctx.bot, "alarm_engine", None)
        if engine is None:
            from app.runtime.alarm_engine import AlarmEngine

            engine = AlarmEngine(self.ctx.pool)
        return engine

    def run_test(self) -> None:
        if not self.test_button.isEnabled():
            return
        alarm = self.test_alarm()
        problems = self._test_problems(alarm)
        self.test_value.clear()
        self.test_text.clear()
        if problems:
            self._test_said("The test cannot run yet:\n" + "\n".join(f"  - {p}"
                                                                      for p in problems), True)
            return
        self._test_said("Reading the current value…")

        def done(result) -> None:
            self.show_test(result)

        def failed(exc: BaseException) -> None:
            self._test_said(describe(exc), True)

        self._task = self.ctx.runner.run(self._engine().test_alarm(alarm), done, failed,
                                         key=f"alarm-test-{id(self)}",
                                         control=self.test_button)

    def show_test(self, result) -> None:
        value = result.value or "no value"
        self.test_value.setText(f"Current value: <b>{html.escape(value)}</b>")
        if result.error:
            self._test_said(result.error, True)
        elif result.holds:
            why = f" ({result.why})" if result.why else ""
            self._test_said(f"The condition holds{why}: the alarm would be raised and people "
                            "would get the message below.")
        else:
            self._test_said("The condition does not hold: the alarm stays normal. Below is "
                            "the message people would get if it did, with an example value.")
        self.test_text.setPlainText(result.text or "")

    def _test_said(self, text: str, error: bool = False) -> None:
        self.test_status.setStyleSheet(f"color: {RED};" if error else "")
        self.test_status.setText(text)

    def cancel_test(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    # -- tags -------------------------------------------------------------------------------
    def browse_tags(self) -> None:
        source = next((s for s in self._sources if s["id"] == self.connection.currentData()),
                      None)
        if source is None:
            self.fail("Choose a PI or demo connection first; its tags are searched.")
            return
        dialog = TagBrowserDialog(self.ctx, source, picking=True, parent=self)
        dialog.tags_picked.connect(lambda tags: tags and self.tag.setText(tags[0]))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        dialog.search()

    # -- saving -----------------------------------------------------------------------------
    def save(self, values: dict) -> None:
        try:
            saved = alarm_service.save_alarm(
                self.ctx.actor, self.alarm["id"] if self.alarm else None, **values)
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.alarm_saved.emit(saved)

