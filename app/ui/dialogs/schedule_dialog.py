"""The schedule form: what is sent, when (with the next run times as you type), to whom."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core import schedule_expr
from app.errors import UserError, describe
from app.runtime.trigger_runner import Answer, ReplyPart
from app.services import schedules as schedule_service
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog, line_field, scrolled
from app.ui.widgets.preview import ReplyPreview, reply_messages
from app.ui.widgets.recipients import QuietHours, RecipientsEditor

TARGET_LABELS = {"trigger": "A trigger's reply", "group": "A group's combined reply"}
RED = "#b00020"


def run_time_text(moment: datetime) -> str:
    """"Mon 24 Nov 06:00" in the zone the moment carries."""
    return moment.strftime("%a %d %b %H:%M")


def next_runs_text(expression: str, count: int = 5) -> tuple[str, bool]:
    """("Next runs: …", False) or (the sentence saying what is wrong, True)."""
    try:
        times = schedule_service.preview(expression, count)
    except ValueError as exc:
        return str(exc), True
    if not times:
        return "This schedule never runs.", True
    return "Next runs: " + ", ".join(run_time_text(t) for t in times), False


class ScheduleDialog(FormDialog):
    """New or edit; saves through services.schedules and emits `schedule_saved(schedule)`."""

    schedule_saved = Signal(dict)

    def __init__(self, ctx: UiContext, schedule: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__("Edit schedule" if schedule else "New schedule", parent)
        self.ctx = ctx
        self.schedule = schedule
        self.resize(1100, 700)
        config = dict(schedule["config"]) if schedule else {}

        self.name = line_field("name", schedule["name"] if schedule else "", "e.g. Shift handover")
        self.active = QCheckBox("Switched on (sends at the times below)")
        self.active.setObjectName("active")
        self.active.setChecked(schedule["active"] if schedule else True)
        self.description = line_field("description", str(config.get("description") or ""))
        self.target_kind = QComboBox()
        self.target_kind.setObjectName("target_kind")
        for value, label in TARGET_LABELS.items():
            self.target_kind.addItem(label, value)
        self.target = QComboBox()
        self.target.setObjectName("target")
        self.args = line_field("args", " ".join(schedule["args"]) if schedule else "",
                               "Words after the keyword, as people would type them, e.g. B2 t-8h")
        self.expression = line_field("expression",
                                     schedule["expression"] if schedule else "",
                                     schedule_expr.EXAMPLES[0])
        self.expression.setToolTip("For example: " + "; ".join(schedule_expr.EXAMPLES)
                                   + ". Times are the workstation's wall clock.")
        self.next_runs = QLabel()
        self.next_runs.setObjectName("next_runs")
        self.next_runs.setWordWrap(True)
        self.next_runs.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.expression.textChanged.connect(self.update_next_runs)
        self.skip_holidays = QCheckBox("Skip holidays (the dates listed in Settings)")
        self.skip_holidays.setObjectName("skip_holidays")
        self.skip_holidays.setChecked(bool(schedule and schedule["skip_holidays"]))
        self.quiet = QuietHours("Quiet hours")
        self.quiet.setToolTip("A daily window (it may run past midnight) in which this "
                              "schedule sends nothing; a run due then is recorded as skipped.")
        self.quiet.set_value(config.get("quiet_hours"))
        self.recipients = RecipientsEditor()
        self.recipients.setObjectName("recipients")
        self.recipients.set_spec(schedule["recipients"] if schedule else None)
        recipients_box = QGroupBox("Who gets it *")
        box_layout = QVBoxLayout(recipients_box)
        box_layout.addWidget(self.recipients)

        self.fields = QFormLayout()
        self.fields.addRow("Name *", self.name)
        self.fields.addRow("", self.active)
        self.fields.addRow("Description", self.description)
        self.fields.addRow("Sends", self.target_kind)
        self.fields.addRow("Which *", self.target)
        self.fields.addRow("Arguments", self.args)
        self.fields.addRow("When *", self.expression)
        self.fields.addRow("", self.next_runs)
        self.fields.addRow(recipients_box)
        self.fields.addRow("", self.skip_holidays)
        self.fields.addRow("", self.quiet)
        left = QWidget()
        left.setLayout(self.fields)
        scroll = scrolled(left)

        self.preview_button = QPushButton("Preview")
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.run_preview)
        self.reply = ReplyPreview()
        self.reply.button_name = "Preview"
        self.reply.clear("Press <b>Preview</b> to see what the recipients would get, exactly "
                         "as WhatsApp shows it. Nothing is sent.")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>Preview</b> of the form as it is now (nothing is "
                                      "saved or sent)"))
        right_layout.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        right_layout.addWidget(self.reply, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setSizes([600, 500])
        self.layout_.insertWidget(0, split, 1)

        self.target_kind.setCurrentIndex(max(self.target_kind.findData(
            schedule["target_kind"] if schedule else "trigger"), 0))
        self._fill_targets(schedule["target_name"] if schedule else None)
        self.target_kind.currentIndexChanged.connect(lambda _i: self._fill_targets(None))
        self.update_next_runs()
        self.submitted.connect(self.save)

    def _fill_targets(self, wanted: str | None) -> None:
        kind = self.target_kind.currentData()
        current = wanted or self.target.currentData()
        self.target.clear()
        items = trigger_service.list_groups() if kind == "group" else \
            trigger_service.list_triggers()
        if not items:
            self.target.addItem("No group yet — make one in Groups" if kind == "group" else
                                "No trigger yet — make one in Triggers", None)
        for item in items:
            suffix = " (switched off)" if kind == "trigger" and not item["active"] else ""
            self.target.addItem(item["name"] + suffix, item["name"])
        index = self.target.findData(current) if current else -1
        if wanted and index < 0:
            # The schedule's trigger or group is gone: say so instead of picking another.
            self.target.insertItem(0, f"{wanted} (no longer exists) — choose another", wanted)
            index = 0
        self.target.setCurrentIndex(max(index, 0))

    def update_next_runs(self, *_args) -> None:
        text, bad = next_runs_text(self.expression.text())
        if not self.expression.text().strip():  # nothing typed yet is a hint, not a mistake
            self.next_runs.setText(text)
            self.next_runs.setStyleSheet("color: #555;")
            return
        self.next_runs.setText(text)
        self.next_runs.setStyleSheet(f"color: {RED};" if bad else "color: #1b5e20;")

    # -- values -----------------------------------------------------------------------------
    def config_values(self) -> dict[str, Any]:
        config: dict[str, Any] = {"recipients": self.recipients.spec(),
                                  "skip_holidays": self.skip_holidays.isChecked()}
        if self.quiet.value():
            config["quiet_hours"] = self.quiet.value()
        if self.args.text().split():
            config["args"] = self.args.text().split()
        if self.description.text().strip():
            config["description"] = self.description.text().strip()
        return config

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "active": self.active.isChecked(),
                "target_kind": self.target_kind.currentData(),
                "target_name": self.target.currentData() or "",
                "expression": self.expression.text().strip(),
                "config": self.config_values()}

    def preview_schedule(self) -> dict[str, Any]:
        """The form shaped as services.schedules shapes a schedule, for the engine."""
        values = self.values()
        config = values["config"]
        try:
            plan = schedule_expr.parse(values["expression"]).describe()
        except ValueError:
            plan = ""
        return dict(values, id=self.schedule["id"] if self.schedule else None,
                    name=values["name"] or "Preview", plan=plan,
                    recipients=config["recipients"], skip_holidays=config["skip_holidays"],
                    quiet_hours=config.get("quiet_hours"), args=config.get("args", []),
                    next_run_at=None, last_run_at=None, last_status="", problem="")

    # -- preview ----------------------------------------------------------------------------
    def _engine(self):
        engine = getattr(self.ctx.bot, "alarm_engine", None)
        if engine is None:
            from app.runtime.alarms.engine import AlarmEngine

            engine = AlarmEngine(self.ctx.pool)
        return engine

    def run_preview(self) -> None:
        if not self.preview_button.isEnabled():
            return
        schedule = self.preview_schedule()
        if not schedule["target_name"]:
            self.reply.clear("Choose the trigger or group to send first.")
            return
        if schedule_service.target_of(schedule) is None:
            self.reply.clear(f"The {schedule['target_kind']} {schedule['target_name']} no "
                             "longer exists; choose another.")
            return
        self.reply.clear("Running…")

        def done(parts: list[tuple[str, bytes | None]]) -> None:
            answer = Answer(schedule["name"], [ReplyPart(text, image) for text, image in parts])
            self.reply.show_answer(answer, "en", 0.0)
            count = len(reply_messages(answer, "en")) if parts else 0
            self.reply.status.setText(
                f"Each recipient would get {count} message" + ("s" if count != 1 else "") + "."
                if count else "The recipients would get nothing.")

        def failed(exc: BaseException) -> None:
            self.reply.status.setStyleSheet(f"color: {RED};")
            self.reply.status.setText(describe(exc))

        self.run_async("schedule-preview", self._engine().preview_schedule(schedule), done,
                       failed, self.preview_button)

    # -- saving -----------------------------------------------------------------------------
    def save(self, values: dict) -> None:
        try:
            saved = schedule_service.save_schedule(
                self.ctx.actor, self.schedule["id"] if self.schedule else None, **values)
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.schedule_saved.emit(saved)
