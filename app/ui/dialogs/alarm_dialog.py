"""The alarm form: what is watched, the condition, who is told, and a test on the current value."""

from __future__ import annotations

import html
import math
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import alarms as logic
from app.errors import UserError, describe
from app.runtime.alarms.trend import alarm_trend
from app.services import alarms as alarm_service
from app.services import sources
from app.services import triggers as trigger_service
from app.ui import language
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog, line_field, scrolled
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.language import translate
from app.ui.widgets.common import fixed_font
from app.ui.widgets.recipients import QuietHours, RecipientsEditor, split_list

# English source strings, shown translated (context "AlarmDialog").
KIND_LABELS = {"pi": QT_TRANSLATE_NOOP("AlarmDialog", "A PI tag"),
               "sql": QT_TRANSLATE_NOOP("AlarmDialog", "A SQL trigger's first value")}
CONDITION_LABELS = {
    "above": QT_TRANSLATE_NOOP("AlarmDialog", "Above the high limit"),
    "below": QT_TRANSLATE_NOOP("AlarmDialog", "Below the low limit"),
    "outside": QT_TRANSLATE_NOOP("AlarmDialog", "Outside the low and high limits"),
    "equals": QT_TRANSLATE_NOOP("AlarmDialog", "Equals a state (digital tag)"),
    "bad": QT_TRANSLATE_NOOP("AlarmDialog", "Bad value or system state"),
    "stale": QT_TRANSLATE_NOOP("AlarmDialog", "No new value for a while (stale)"),
}
SEVERITY_WORDS = {"critical": QT_TRANSLATE_NOOP("AlarmDialog", "Critical"),
                  "high": QT_TRANSLATE_NOOP("AlarmDialog", "High"),
                  "medium": QT_TRANSLATE_NOOP("AlarmDialog", "Medium"),
                  "low": QT_TRANSLATE_NOOP("AlarmDialog", "Low")}
WARNING_STYLE = "background: #fff7e0; border: 1px solid #e8d49a; padding: 4px;"
RED = "#b00020"
ID_ROLE = Qt.ItemDataRole.UserRole


def severity_label(severity: str) -> str:
    icon = logic.SEVERITIES.get(severity, "")
    word = translate("AlarmDialog", SEVERITY_WORDS[severity]) if severity in SEVERITY_WORDS \
        else severity
    return f"{icon} {word}".strip()


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


# -- the alarm form -------------------------------------------------------------------------


class AlarmDialog(FormDialog):
    """New or edit; saves through services.alarms and emits `alarm_saved(alarm)`."""

    alarm_saved = Signal(dict)

    def __init__(self, ctx: UiContext, alarm: dict[str, Any] | None = None,
                 parent=None) -> None:
        # An alarm without an id is a new one that starts filled in (from the tag browser).
        super().__init__(translate("AlarmDialog", "Edit alarm") if alarm and alarm.get("id")
                         else translate("AlarmDialog", "New alarm"), parent)
        self.ctx = ctx
        self.alarm = alarm
        self.resize(1120, 780)
        config = dict(alarm["config"]) if alarm else {}
        self._sources = sources.by_readiness(
            [s for s in sources.list_sources() if s["plugin"] in ("pi", "demo")])
        self._triggers = [t for t in trigger_service.list_triggers()
                          if t["type"] in ("sql", "preset")]

        self.name = line_field("name", alarm["name"] if alarm else "",
                               self.tr("Appears in every message, e.g. Drum pressure"))
        self.active = QCheckBox(self.tr("Switched on (checked every interval, people are told)"))
        self.active.setObjectName("active")
        self.active.setChecked(alarm["active"] if alarm else True)
        self.description = line_field("description", str(config.get("description") or ""),
                                      self.tr("For the engineers: what it means, what to do"))

        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for value, label in KIND_LABELS.items():
            self.kind.addItem(self.tr(label), value)
        self.connection = QComboBox()
        self.connection.setObjectName("connection")
        if not self._sources:
            self.connection.addItem(self.tr("No PI connection yet — add one in Connections"), None)
        for source in self._sources:
            suffix = "" if source["active"] else self.tr(" (switched off)")
            kind = translate("Labels", source["kind_label"])
            self.connection.addItem(f"{source['name']} — {kind}{suffix}", source["id"])
        self.tag = line_field("tag", alarm["tag"] if alarm else "",
                              self.tr("The PI tag, e.g. BOILER1.DRUM.PRESS"))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.setObjectName("browse_tags")
        self.browse_button.clicked.connect(self.browse_tags)
        self._tag_row = QHBoxLayout()
        self._tag_row.addWidget(self.tag, 1)
        self._tag_row.addWidget(self.browse_button)
        self.trigger = QComboBox()
        self.trigger.setObjectName("trigger")
        if not self._triggers:
            self.trigger.addItem(self.tr("No SQL trigger yet — make one in Triggers"), None)
        for trigger in self._triggers:
            self.trigger.addItem(trigger["name"], trigger["id"])

        self.condition = QComboBox()
        self.condition.setObjectName("condition")
        for value in logic.CONDITIONS:
            self.condition.addItem(self.tr(CONDITION_LABELS[value]) if value in CONDITION_LABELS
                                   else value, value)
        self.high = line_field("high", shown_number(config.get("high")), self.tr("e.g. 45"))
        self.low = line_field("low", shown_number(config.get("low")), self.tr("e.g. 10"))
        self.state_name = line_field("state_name", str(config.get("state_name") or ""),
                                     self.tr("The digital state that raises it, e.g. Tripped"))
        self.stale = QSpinBox()
        self.stale.setObjectName("stale_minutes")
        self.stale.setRange(1, 7 * 24 * 60)
        self.stale.setSuffix(self.tr(" min"))
        self.stale.setValue(int(float(config.get("stale_minutes") or 15)))
        self.deadband = QDoubleSpinBox()
        self.deadband.setObjectName("deadband")
        self.deadband.setRange(0, 1e9)
        self.deadband.setDecimals(3)
        self.deadband.setValue(float(config.get("deadband") or 0))
        self.deadband.setToolTip(self.tr(
            "How far back over the limit the value must go before the alarm clears, so a value "
            "hovering at the limit does not raise and clear again and again."))
        self.min_duration = QSpinBox()
        self.min_duration.setObjectName("min_duration")
        self.min_duration.setRange(0, 24 * 3600)
        self.min_duration.setSuffix(" s")
        self.min_duration.setSpecialValueText(self.tr("raise at once"))
        self.min_duration.setValue(int(float(config.get("min_duration_s") or 0)))
        self.min_duration.setToolTip(self.tr("The condition must hold this long before the alarm "
                                             "is raised; a short spike is ignored."))
        self.severity = QComboBox()
        self.severity.setObjectName("severity")
        for value in logic.SEVERITIES:
            self.severity.addItem(severity_label(value), value)
        self.units = line_field("units", str(config.get("units") or ""),
                                self.tr("Shown after the value when the tag has none, e.g. bar"))
        self.interval = QSpinBox()
        self.interval.setObjectName("interval")
        self.interval.setRange(alarm_service.MIN_INTERVAL_S, 24 * 3600)
        self.interval.setSuffix(" s")
        self.interval.setValue(int(float(config.get("interval_s")
                                         or alarm_service.DEFAULT_INTERVAL_S)))
        self.template = QPlainTextEdit(str(config.get("template") or ""))
        self.template.setObjectName("template")
        self.template.setPlaceholderText(self.tr(
            "Empty: the standard message, e.g. 🟠 #12 Drum pressure HIGH 46.2 bar > 45 since "
            "10:42 — reply *ack 12*"))
        self.template.setFixedHeight(64)
        # Not format(): the sentence itself names a field in braces.
        self.template.setToolTip(self.tr(
            "May use %1; {number} is required (people reply ack {number}).").replace(
                "%1", ", ".join(f"{{{f}}}" for f in logic.TEMPLATE_FIELDS)))

        levels = alarm["levels"] if alarm else []
        self.first = RecipientsEditor()
        self.first.setObjectName("level1")
        self.first.set_spec(levels[0] if levels else None)
        self.second_box = QGroupBox(self.tr("Then, if nobody acknowledges or it is not "
                                            "delivered, also tell"))
        self.second_box.setObjectName("level2")
        self.second_box.setCheckable(True)
        self.second_box.setChecked(len(levels) > 1)
        self.after = QSpinBox()
        self.after.setObjectName("after_min")
        self.after.setRange(1, 24 * 60)
        self.after.setSuffix(self.tr(" min"))
        after = levels[1]["after_min"] if len(levels) > 1 else 15
        waits_for_ack = math.isfinite(after)  # a level told only when not delivered: inf
        self.after.setValue(int(after) if waits_for_ack else 15)
        self.after_on = QCheckBox(self.tr("Not acknowledged within"))
        self.after_on.setObjectName("after_on")
        self.after_on.setChecked(waits_for_ack)
        self.after_on.toggled.connect(self.after.setEnabled)
        self.after.setEnabled(waits_for_ack)
        # Escalation on delivery: no phone of the first level reported the message delivered.
        undelivered = levels[1].get("undelivered_min") if len(levels) > 1 else None
        self.undelivered_on = QCheckBox(self.tr("Not delivered to any phone within"))
        self.undelivered_on.setObjectName("undelivered_on")
        self.undelivered_on.setToolTip(self.tr(
            "WhatsApp reports when a message reaches a phone. A phone that is off, or the bot's "
            "session being down, counts as not delivered; those people also get the alarm by "
            "e-mail when they have an address."))
        self.undelivered = QSpinBox()
        self.undelivered.setObjectName("undelivered_min")
        self.undelivered.setRange(1, 24 * 60)
        self.undelivered.setSuffix(self.tr(" min"))
        self.undelivered.setValue(int(undelivered) if undelivered else 5)
        self.undelivered_on.setChecked(bool(undelivered))
        self.undelivered_on.toggled.connect(self.undelivered.setEnabled)
        self.undelivered.setEnabled(bool(undelivered))
        self.second = RecipientsEditor()
        self.second.set_spec(levels[1] if len(levels) > 1 else None)
        second_layout = QFormLayout(self.second_box)
        second_layout.addRow(self.after_on, self.after)
        second_layout.addRow(self.undelivered_on, self.undelivered)
        second_layout.addRow(self.second)
        first_box = QGroupBox(self.tr("Who is told first *"))
        first_layout = QVBoxLayout(first_box)
        first_layout.addWidget(self.first)
        self.audience = line_field("audience", ", ".join(alarm["audience"]) if alarm else "",
                                   self.tr("Contact tags, comma-separated; empty = anyone it is "
                                           "sent to"))
        self.quiet = QuietHours(self.tr("Quiet hours"))
        self.quiet.setToolTip(self.tr(
            "A daily window (it may run past midnight): a raise in it is recorded, and people "
            "are told when the window ends. A critical alarm is always sent at once."))
        self.quiet.set_value(config.get("quiet_hours"))

        # Its own form layout: FormDialog's sits above the splitter and stays empty.
        self.fields = QFormLayout()
        self.fields.addRow(self.tr("Name *"), self.name)
        self.fields.addRow("", self.active)
        self.fields.addRow(self.tr("Description"), self.description)
        self.fields.addRow(self.tr("Watches"), self.kind)
        self.fields.addRow(self.tr("Connection *"), self.connection)
        self.fields.addRow(self.tr("Tag *"), self._tag_row)
        self.fields.addRow(self.tr("Trigger *"), self.trigger)
        self.fields.addRow(self.tr("Condition"), self.condition)
        self.fields.addRow(self.tr("High limit *"), self.high)
        self.fields.addRow(self.tr("Low limit *"), self.low)
        self.fields.addRow(self.tr("State *"), self.state_name)
        self.fields.addRow(self.tr("Stale after"), self.stale)
        self.fields.addRow(self.tr("Deadband"), self.deadband)
        self.fields.addRow(self.tr("Minimum duration"), self.min_duration)
        self.fields.addRow(self.tr("Severity"), self.severity)
        self.fields.addRow(self.tr("Units"), self.units)
        self.fields.addRow(self.tr("Check every"), self.interval)
        self.fields.addRow(self.tr("Message"), self.template)
        self.fields.addRow(first_box)
        self.fields.addRow(self.second_box)
        self.fields.addRow(self.tr("Who may acknowledge"), self.audience)
        self.fields.addRow("", self.quiet)
        left = QWidget()
        left.setLayout(self.fields)
        scroll = scrolled(left)

        # The test on the right.
        self.test_button = QPushButton(self.tr("Test against the current value"))
        self.test_button.setObjectName("test_alarm")
        self.test_button.clicked.connect(self.run_test)
        self.test_status = QLabel(self.tr(
            "Reads the value now and shows whether the condition holds and the exact message "
            "people would get. Nothing is sent and the alarm's state does not change."))
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
        self.test_text.setPlaceholderText(self.tr("The message people would get"))
        self.test_chart = QLabel()
        self.test_chart.setObjectName("test_chart")
        self.test_chart.setToolTip(self.tr("The tag over the last hours, with the alarm's "
                                           "limits as dashed lines."))
        self.test_chart.hide()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("<b>Test</b> of the form as it is now (nothing "
                                              "is saved)")))
        right_layout.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addWidget(self.test_status)
        right_layout.addWidget(self.test_value)
        right_layout.addWidget(self.test_text, 1)
        right_layout.addWidget(self.test_chart)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setSizes([680, 440])
        self.layout_.insertWidget(0, split, 1)

        self.kind.setCurrentIndex(max(self.kind.findData(alarm["kind"] if alarm else "pi"), 0))
        self._select(self.connection, alarm["data_source_id"] if alarm else None,
                     self.tr("(connection deleted) — choose another"))
        self._select(self.trigger, alarm["trigger_id"] if alarm else None,
                     self.tr("(trigger deleted) — choose another"))
        self.condition.setCurrentIndex(max(self.condition.findData(
            config.get("condition") or "above"), 0))
        self.severity.setCurrentIndex(max(self.severity.findData(
            config.get("severity") or "high"), 0))
        self.kind.currentIndexChanged.connect(self._update_rows)
        self.condition.currentIndexChanged.connect(self._update_rows)
        self._update_rows()
        self.submitted.connect(self.save)

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
            timing: dict[str, Any] = {}
            if self.after_on.isChecked() or not self.undelivered_on.isChecked():
                timing["after_min"] = self.after.value()
            if self.undelivered_on.isChecked():
                timing["undelivered_min"] = self.undelivered.value()
            levels.append({**timing, **self.second.spec()})
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
        state = self.alarm.get("state") or logic.AlarmState() if self.alarm else \
            logic.AlarmState()
        return {
            "id": self.alarm.get("id") if self.alarm else None,
            "name": values["name"] or self.tr("Test alarm"), "active": True,
            "kind": values["kind"],
            "data_source_id": values["data_source_id"],
            "data_source": source["name"] if source else "", "tag": values["tag"],
            "trigger_id": values["trigger_id"], "trigger": trigger["name"] if trigger else "",
            "config": config, "condition": config["condition"],
            "severity": config["severity"], "interval_s": config["interval_s"],
            "levels": alarm_service.levels_of(config),
            "audience": list(config.get("audience") or []),
            "quiet_hours": config.get("quiet_hours"), "template": config.get("template", ""),
            "state": state, "phase": state.phase,
            "event_id": self.alarm.get("event_id") if self.alarm else None,
            "last_value": "", "last_error": "",
        }

    def _test_problems(self, alarm: dict[str, Any]) -> list[str]:
        problems = []
        if alarm["kind"] == "pi":
            if not alarm["data_source_id"]:
                problems.append(self.tr("Choose the PI connection the tag is read from."))
            if not alarm["tag"]:
                problems.append(self.tr("Give the PI tag to watch."))
        elif not alarm["trigger_id"]:
            problems.append(self.tr("Choose the SQL trigger whose first value is watched."))
        config = alarm["config"]
        typed = [k for k in ("high", "low") if isinstance(config.get(k), str)]
        for key in typed:
            problems.append((self.tr("The high limit must be a number, not “{value}”.")
                             if key == "high" else
                             self.tr("The low limit must be a number, not “{value}”.")).format(
                                 value=config[key]))
        if not typed:
            problems += alarm_service.rule_of(alarm).problems()
        problems += logic.check_template(str(config.get("template") or ""))
        return problems

    # -- the test ---------------------------------------------------------------------------
    def _engine(self):
        engine = getattr(self.ctx.bot, "alarm_engine", None)
        if engine is None:
            from app.runtime.alarms.engine import AlarmEngine

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
            self._test_said(self.tr("The test cannot run yet:") + "\n" + "\n".join(
                f"  - {p}" for p in problems), True)
            return
        self._test_said(self.tr("Reading the current value…"))

        def done(result) -> None:
            self.show_test(result)

        def failed(exc: BaseException) -> None:
            self._test_said(describe(exc), True)

        self.run_async("alarm-test", self._engine().test_alarm(alarm), done, failed,
                       self.test_button)
        self.test_chart.hide()
        if alarm.get("kind") == "pi":
            # In the window's language: the chart sits in the editor, not in a WhatsApp reply.
            self.run_async("alarm-trend", alarm_trend(self.ctx.pool, alarm, None,
                                                      language.current()),
                           self.show_trend, lambda _exc: self.test_chart.hide())

    def show_trend(self, png: bytes | None) -> None:
        """The tag's last hours with the limits drawn, under the test's message."""
        pixmap = QPixmap()
        if png is None or not pixmap.loadFromData(png, "PNG"):
            self.test_chart.hide()
            return
        width = max(self.test_text.width(), 320)
        self.test_chart.setPixmap(pixmap.scaledToWidth(
            width, Qt.TransformationMode.SmoothTransformation))
        self.test_chart.show()

    def show_test(self, result) -> None:
        value = result.value or self.tr("no value")
        self.test_value.setText(self.tr("Current value: <b>{value}</b>").format(
            value=html.escape(value)))
        if result.error:
            self._test_said(result.error, True)
        elif result.holds:
            why = f" ({result.why})" if result.why else ""
            self._test_said(self.tr("The condition holds{why}: the alarm would be raised and "
                                    "people would get the message below.").format(why=why))
        else:
            self._test_said(self.tr(
                "The condition does not hold: the alarm stays normal. Below is the message "
                "people would get if it did, with an example value."))
        self.test_text.setPlainText(result.text or "")

    def _test_said(self, text: str, error: bool = False) -> None:
        self.test_status.setStyleSheet(f"color: {RED};" if error else "")
        self.test_status.setText(text)

    # -- tags -------------------------------------------------------------------------------
    def browse_tags(self) -> None:
        source = next((s for s in self._sources if s["id"] == self.connection.currentData()),
                      None)
        if source is None:
            self.fail(self.tr("Choose a PI or demo connection first; its tags are searched."))
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
                self.ctx.actor, self.alarm.get("id") if self.alarm else None, **values)
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.alarm_saved.emit(saved)

