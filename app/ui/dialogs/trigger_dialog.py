"""The trigger form (a page per type, no raw JSON) and the reply preview shared by the tabs."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationError, describe
from app.runtime.pipeline import Pipeline
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import sources
from app.services import triggers as trigger_service
from app.sources.base import SourceError
from app.sources.sql_gate import bind_names
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.widgets.common import notice

# Which connection kinds each trigger type can run on (docs/architecture.md, "Trigger types").
PLUGINS_FOR = {"pi": ("pi", "demo"), "sql": ("mysql", "oracle"), "preset": ("mysql", "oracle"),
               "text": ()}
MODE_LABELS = {"current": "Current values", "summary": "Summary over a period",
               "recorded": "Recorded values", "interpolated": "Values at a fixed interval",
               "chart": "Trend chart"}
COMMON_KEYS = ("description", "audience", "timeout_s")
TYPE_KEYS = {
    "pi": ("tags", "mode", "start", "end", "interval", "summary_types", "decimals", "labels",
           "chart"),
    "sql": ("query", "variables", "max_rows"),
    "preset": ("preset", "values"),
    "text": ("text",),
}
CHART_WIDTH = 560


def fixed_font():
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def run_context(ctx: UiContext) -> RunContext:
    """Language and time zone exactly as the bot answers with them."""
    return dataclasses.replace(Pipeline(TriggerRunner(ctx.pool)).context(), preview=True)


def split_args(text: str) -> list[str]:
    return text.split()


# -- the reply preview ----------------------------------------------------------------------


def reply_messages(answer: Answer, lang: str) -> list[tuple[str, bytes | None]]:
    """The messages WhatsApp would receive, split as the pipeline splits them."""
    from app.core import render

    out: list[tuple[str, bytes | None]] = []
    for part in answer.parts:
        chunks = render.split_message(part.text, lang) if part.text else [""]
        if part.image_png is not None:
            out.append((chunks[0], part.image_png))
            chunks = chunks[1:]
        out += [(chunk, None) for chunk in chunks]
    return out


class ChartArea(QScrollArea):
    """Scrolls charts vertically only; tells its owner when its width changes."""

    def __init__(self, resized: Callable[[], None], parent=None) -> None:
        super().__init__(parent)
        self._resized = resized
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._resized()


class ReplyPreview(QWidget):
    """The exact reply text in a monospace box, and each chart image under it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.button_name = "Run preview"
        self.status = QLabel(self.hint())
        self.status.setObjectName("preview_status")
        self.status.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("reply")
        self.text.setReadOnly(True)
        self.text.setFont(fixed_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.charts = QWidget()
        self.charts_layout = QVBoxLayout(self.charts)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.chart_labels: list[QLabel] = []
        self._originals: dict[QLabel, QPixmap] = {}
        self.charts_area = ChartArea(self._scale_charts)
        self.charts_area.setWidget(self.charts)
        self.charts_area.hide()
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.text)
        self.split.addWidget(self.charts_area)
        self.split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.split, 1)
        self._task: asyncio.Task | None = None

    def hint(self) -> str:
        return (f"Press <b>{self.button_name}</b> to see the reply exactly as WhatsApp "
                "receives it.")

    def clear(self, status: str | None = None) -> None:
        self.text.clear()
        for label in self.chart_labels:
            label.deleteLater()
        self.chart_labels = []
        self._originals = {}
        self.charts_area.hide()
        self._set_status(self.hint() if status is None else status)

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text)

    def show_answer(self, answer: Answer, lang: str, elapsed_s: float) -> None:
        self.clear()
        messages = reply_messages(answer, lang)
        if len(messages) == 1:
            self.text.setPlainText(messages[0][0])
        else:
            blocks = []
            for number, (text, image) in enumerate(messages, 1):
                what = "image with this caption" if image else "text"
                blocks.append(f"── message {number} of {len(messages)} ({what}) ──\n{text}")
            self.text.setPlainText("\n\n".join(blocks))
        for _text, image in messages:
            if image:
                self._add_chart(image)
        if self.chart_labels:
            # The text gets the room its lines need; the charts get the rest.
            lines = self.text.document().blockCount()
            wanted = lines * self.text.fontMetrics().lineSpacing() + 16
            total = sum(self.split.sizes()) or self.split.height()
            text_height = max(60, min(wanted, total // 2))
            self.split.setSizes([text_height, max(1, total - text_height)])
        charts = sum(1 for _t, image in messages if image)
        count = f"{len(messages)} message" + ("s" if len(messages) != 1 else "")
        if charts and len(messages) == 1:
            extra = ", with a chart"
        else:
            extra = f", {charts} of them with a chart" if charts else ""
        if answer.ok:
            self._set_status(f"The bot would answer in {elapsed_s:.1f} s with {count}{extra}.")
        else:
            self._set_status(f"The bot would answer with an error ({count}{extra}); see the "
                             "text below.", error=True)

    def _add_chart(self, png: bytes) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(png, "PNG"):
            self._set_status("The chart image could not be read.", error=True)
            return
        label = QLabel()
        label.setObjectName("chart")
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        label.setToolTip(f"The image WhatsApp receives ({pixmap.width()} × {pixmap.height()} "
                         "pixels), shown smaller.")
        self.charts_layout.addWidget(label)
        self.chart_labels.append(label)
        self._originals[label] = pixmap
        self.charts_area.show()
        self._scale_charts()

    def _scale_charts(self) -> None:
        # The full-size PNG is kept; what is shown fits the pane's width, up to CHART_WIDTH.
        # The scroll bar's width is always set aside, so its appearing cannot start a loop.
        area = self.charts_area
        room = area.width() - area.verticalScrollBar().sizeHint().width() - 2 * area.frameWidth()
        width = max(160, min(CHART_WIDTH, room - 4))
        for label, pixmap in self._originals.items():
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pixmap)

    def run(self, ctx: UiContext, coro: Awaitable[Answer], lang: str, key: str,
            control: QWidget | None = None) -> None:
        self.clear("Running…")
        started = time.perf_counter()

        def done(answer: Answer) -> None:
            self.show_answer(answer, lang, time.perf_counter() - started)

        def failed(exc: BaseException) -> None:
            self._set_status(describe(exc), error=True)

        self._task = ctx.runner.run(coro, done, failed, key=key, control=control)

    def cancel(self) -> None:
        """Stops a preview still running, so its result never reaches a closed window."""
        if self._task is not None and not self._task.done():
            self._task.cancel()


class PreviewPane(QWidget):
    """Arguments, a Run preview button and the reply; `build` makes the run (or says why not)."""

    def __init__(self, ctx: UiContext, key: str,
                 build: Callable[[list[str], RunContext], Awaitable[Answer] | None],
                 parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.key = key
        self.build = build
        self.title = QLabel("<b>Preview</b>")
        self.title.setObjectName("preview_title")
        self.args = QLineEdit()
        self.args.setObjectName("args")
        self.args.setPlaceholderText("Words after the keyword, e.g. B2 t-1d")
        self.run_button = QPushButton("Run preview")
        self.run_button.setObjectName("run_preview")
        self.run_button.clicked.connect(self.run)
        self.args.returnPressed.connect(self.run)
        self.reply = ReplyPreview()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Arguments"))
        bar.addWidget(self.args, 1)
        bar.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.reply, 1)

    def name_button(self, text: str) -> None:
        self.run_button.setText(text)
        self.reply.button_name = text
        self.reply.clear()

    def run(self) -> None:
        if not self.run_button.isEnabled():
            return
        run_ctx = run_context(self.ctx)
        coro = self.build(split_args(self.args.text()), run_ctx)
        if coro is None:
            self.reply.clear()
            return
        self.reply.run(self.ctx, coro, run_ctx.lang, self.key, self.run_button)


# -- variable specs as rows -----------------------------------------------------------------


def _cell(text: str) -> QTableWidgetItem:
    return QTableWidgetItem(text)


def _table(headers: list[str], height: int = 130) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setMinimumHeight(height)
    return table


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item else ""


class VariablesTable(QWidget):
    """Variable specs (core/variables.py) as rows; "Detect from query" adds a row per new :name."""

    HEADERS = ["Name", "Pattern (regular expression)", "Default", "Description"]
    KEYS = ("name", "pattern", "default", "description")

    def __init__(self, query: Callable[[], tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.query = query  # → (SQL text, dialect)
        self.table = _table(self.HEADERS)
        self.table.setObjectName("variables")
        self.add_button = QPushButton("Add row")
        self.remove_button = QPushButton("Remove row")
        self.detect_button = QPushButton("Detect from query")
        self.detect_button.setObjectName("detect")
        self.add_button.clicked.connect(lambda: self.add({}))
        self.remove_button.clicked.connect(self.remove_selected)
        self.detect_button.clicked.connect(self.detect)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        bar = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.detect_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        layout.addWidget(self.status)

    def set_specs(self, specs: list[Any]) -> None:
        self.table.setRowCount(0)
        for spec in specs or []:
            # The old system stored bare names (docs/old-system.md §7): ["tag"].
            self.add({"name": spec} if isinstance(spec, str) else dict(spec))

    def add(self, spec: dict[str, Any]) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, key in enumerate(self.KEYS):
            value = spec.get(key)
            self.table.setItem(row, column, _cell("" if value is None else str(value)))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def names(self) -> list[str]:
        return [_text(self.table, r, 0) for r in range(self.table.rowCount())]

    def specs(self) -> list[dict[str, str]]:
        """Rows with a name; empty optional fields are left out, as the old system had them."""
        out = []
        for row in range(self.table.rowCount()):
            spec = {key: _text(self.table, row, c) for c, key in enumerate(self.KEYS)}
            if not spec["name"]:
                continue
            out.append({k: v for k, v in spec.items() if v or k == "name"})
        return out

    def detect(self) -> None:
        sql, dialect = self.query()
        try:
            found = bind_names(sql, dialect)
        except SourceError as exc:
            self.status.setText(exc.message)
            return
        known = set(self.names())
        new = [name for name in found if name not in known]
        for name in new:
            self.add({"name": name})
        unused = [name for name in known if name and name not in found]
        parts = []
        if new:
            parts.append("Added " + ", ".join(f":{n}" for n in new) + ".")
        elif found:
            parts.append("Every :name of the query already has a row.")
        else:
            parts.append("The query has no :name variables.")
        if unused:
            parts.append("Not in the query: " + ", ".join(unused) + ".")
        self.status.setText(" ".join(parts))


# -- the trigger form -----------------------------------------------------------------------


class TriggerDialog(FormDialog):
    """New or edit; saves through services.triggers and emits `trigger_saved(trigger)`."""

    trigger_saved = Signal(dict)

    def __init__(self, ctx: UiContext, trigger: dict[str, Any] | None = None,
                 parent=None) -> None:
        super().__init__("Edit trigger" if trigger and trigger.get("id") else "New trigger",
                         parent)
        self.ctx = ctx
        self.trigger = trigger
        self.trigger_id: str | None = trigger.get("id") if trigger else None
        self._base = dict(trigger["config"]) if trigger else {}
        self._kind0 = trigger["type"] if trigger else "pi"
        self.resize(1180, 760)
        self._sources = sources.list_sources()
        self._presets = trigger_service.list_presets()
        config = self._base

        self.keyword = QLineEdit(trigger["name"] if trigger else "")
        self.keyword.setObjectName("keyword")
        self.keyword.setPlaceholderText("The word people send, e.g. drum")
        self.description = QLineEdit(str(config.get("description") or ""))
        self.description.setObjectName("description")
        self.description.setPlaceholderText("Shown by help and used as the reply's title")
        self.type = QComboBox()
        self.type.setObjectName("type")
        for value, label in trigger_service.TYPES.items():
            self.type.addItem(label, value)
        if self._kind0 not in trigger_service.TYPES:
            # A migrated row may keep the old system's type until someone chooses a new one.
            self.type.addItem(f"Old type {self._kind0} — choose another", self._kind0)
        self.connection = QComboBox()
        self.connection.setObjectName("connection")
        self.active = QCheckBox("Active (the bot answers this keyword)")
        self.active.setObjectName("active")
        self.active.setChecked(trigger["active"] if trigger else True)
        self.audience = QLineEdit(", ".join(config.get("audience") or []))
        self.audience.setObjectName("audience")
        self.audience.setPlaceholderText("Contact tags, comma-separated; empty = every allowed "
                                         "contact")
        self.timeout = QSpinBox()
        self.timeout.setObjectName("timeout")
        self.timeout.setRange(0, 300)
        self.timeout.setSuffix(" s")
        self.timeout.setSpecialValueText("default (20 s)")
        timeout = config.get("timeout_s")
        self.timeout.setValue(int(timeout) if isinstance(timeout, (int, float)) else 0)

        # Its own form layout: FormDialog's sits above the splitter and stays empty.
        self.fields = QFormLayout()
        self.fields.addRow("Keyword *", self.keyword)
        self.fields.addRow("Description", self.description)
        self.fields.addRow("Type", self.type)
        self.fields.addRow("Connection", self.connection)
        self.fields.addRow("", self.active)
        self.fields.addRow("Audience", self.audience)
        self.fields.addRow("Time limit", self.timeout)

        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.page_index: dict[str, int] = {}
        for kind, page in (("pi", self._pi_page(config)), ("sql", self._sql_page(config)),
                           ("preset", self._preset_page(config)),
                           ("text", self._text_page(config))):
            self.page_index[kind] = self.pages.addWidget(page)
        self._old_page = self.pages.addWidget(notice(
            "This trigger still has the old system's type. Choose PI values, SQL query, saved "
            "query or fixed text above and fill in the page that appears."))

        # The form and its page on the left, the preview on the right.
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        if trigger and trigger.get("setup_missing"):
            left_layout.addWidget(notice("<b>Finish setup.</b> "
                                         + " ".join(trigger["setup_missing"])))
        left_layout.addLayout(self.fields)
        left_layout.addWidget(self.pages, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)
        self.preview = PreviewPane(ctx, f"trigger-form-{id(self)}", self._build_preview)
        self.preview.name_button("Preview")
        self.preview.title.setText("<b>Preview</b> of the form as it is now (nothing is saved)")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(self.preview)
        split.setSizes([640, 520])
        self.layout_.insertWidget(0, split, 1)

        self.type.setCurrentIndex(max(self.type.findData(self._kind0), 0))
        self.type.currentIndexChanged.connect(self._type_changed)
        self._type_changed()
        self._select_source(trigger["data_source_id"] if trigger else None)
        self._mode_changed()
        self.submitted.connect(self.save)
        self.finished.connect(lambda _r: self.preview.reply.cancel())

    # -- pages ------------------------------------------------------------------------------
    def _pi_page(self, config: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.tags = QListWidget()
        self.tags.setObjectName("tags")
        self.tags.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tags.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tags.setMinimumHeight(110)
        self.tag_entry = QLineEdit()
        self.tag_entry.setObjectName("tag_entry")
        self.tag_entry.setPlaceholderText("\\\\SERVER\\TAG, a bare tag name or an AF path")
        self.add_tag_button = QPushButton("Add")
        self.remove_tag_button = QPushButton("Remove")
        self.search_pi_button = QPushButton("Search PI…")
        self.search_pi_button.setObjectName("search_pi")
        self.add_tag_button.clicked.connect(self._add_typed_tag)
        self.tag_entry.returnPressed.connect(self._add_typed_tag)
        self.remove_tag_button.clicked.connect(self._remove_tags)
        self.search_pi_button.clicked.connect(self.search_pi)
        entry = QHBoxLayout()
        entry.addWidget(self.tag_entry, 1)
        entry.addWidget(self.add_tag_button)
        tools = QHBoxLayout()
        tools.addWidget(self.search_pi_button)
        tools.addWidget(self.remove_tag_button)
        tools.addStretch(1)
        tags_box = QWidget()
        tags_layout = QVBoxLayout(tags_box)
        tags_layout.setContentsMargins(0, 0, 0, 0)
        tags_layout.addWidget(self.tags)
        tags_layout.addLayout(entry)
        tags_layout.addLayout(tools)

        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for mode in trigger_service.PI_MODES:
            self.mode.addItem(MODE_LABELS.get(mode, mode), mode)
        self.mode.setCurrentIndex(max(self.mode.findData(config.get("mode", "current")), 0))
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.start = QLineEdit(str(config.get("start") or ""))
        self.start.setObjectName("start")
        self.start.setPlaceholderText("*-8h")
        self.end = QLineEdit(str(config.get("end") or ""))
        self.end.setObjectName("end")
        self.end.setPlaceholderText("*")
        self.interval = QLineEdit(str(config.get("interval") or ""))
        self.interval.setObjectName("interval")
        self.interval.setPlaceholderText("1h")
        self.summary_checks: dict[str, QCheckBox] = {}
        summary_box = QWidget()
        grid = QGridLayout(summary_box)
        grid.setContentsMargins(0, 0, 0, 0)
        chosen = config.get("summary_types") or []
        for i, name in enumerate(trigger_service.SUMMARY_TYPES):
            check = QCheckBox(name)
            check.setChecked(name in chosen)
            self.summary_checks[name] = check
            grid.addWidget(check, i // 4, i % 4)
        self.decimals = QSpinBox()
        self.decimals.setObjectName("decimals")
        self.decimals.setRange(-1, 10)
        self.decimals.setSpecialValueText("auto")
        decimals = config.get("decimals")
        self.decimals.setValue(decimals if isinstance(decimals, int) else -1)
        self.labels = _table(["Tag", "Name shown in the reply"], 110)
        self.labels.setObjectName("labels")
        self.chart = QCheckBox("Attach a trend chart")
        self.chart.setObjectName("chart")
        self.chart.setChecked(bool(config.get("chart")))
        self.chart.toggled.connect(self._mode_changed)

        # Labels keyed by something that is not one of the tags stay as they were.
        tags = [str(t) for t in config.get("tags") or []]
        labels = config.get("labels") if isinstance(config.get("labels"), dict) else {}
        self._labels_extra = {k: v for k, v in labels.items() if k not in tags}
        self._label_names = {k: str(v) for k, v in labels.items()}
        for tag in tags:
            self.tags.addItem(tag)
        # A drag inside the list may arrive as remove + insert before the item has its text,
        # so the display-name table follows one event-loop turn later.
        self._labels_timer = QTimer(self)
        self._labels_timer.setSingleShot(True)
        self._labels_timer.setInterval(0)
        self._labels_timer.timeout.connect(self._sync_labels)
        model = self.tags.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.rowsMoved):
            signal.connect(self._labels_timer.start)
        self._sync_labels()

        form.addRow("Tags *", tags_box)
        form.addRow("Read", self.mode)
        form.addRow("From", self.start)
        form.addRow("To", self.end)
        form.addRow("Interval", self.interval)
        form.addRow("Summaries", summary_box)
        form.addRow("Decimals", self.decimals)
        form.addRow("Display names", self.labels)
        form.addRow("", self.chart)
        return page

    def _sql_page(self, config: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.sql = QPlainTextEdit(str(config.get("query") or ""))
        self.sql.setObjectName("sql")
        self.sql.setFont(fixed_font())
        self.sql.setPlaceholderText("SELECT sample_id, result FROM lab_results\n"
                                    "WHERE unit = :unit ORDER BY sampled_at DESC")
        self.sql.setMinimumHeight(150)
        self.variables = VariablesTable(lambda: (self.sql.toPlainText(), self._dialect()))
        self.variables.set_specs(config.get("variables") or [])
        self.max_rows = QSpinBox()
        self.max_rows.setObjectName("max_rows")
        self.max_rows.setRange(1, 1000)
        max_rows = config.get("max_rows")
        self.max_rows.setValue(max_rows if isinstance(max_rows, int) and max_rows > 0 else 20)
        form.addRow("Query *", self.sql)
        form.addRow("Variables", self.variables)
        form.addRow("Rows at most", self.max_rows)
        hint = QLabel("Only one read-only SELECT may run; the words after the keyword fill the "
                      "variables in order and reach the database as bound values.")
        hint.setWordWrap(True)
        form.addRow(hint)
        return page

    def _preset_page(self, config: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        for preset in self._presets:
            self.preset.addItem(preset["name"], preset["name"])
        wanted = config.get("preset") or next(
            (p["name"] for p in self._presets if p["is_default"]), None)
        if wanted and self.preset.findData(wanted) < 0:
            self.preset.addItem(f"{wanted} (missing)", wanted)
        self.preset.setCurrentIndex(max(self.preset.findData(wanted), 0))
        self.preset_query = QLabel()
        self.preset_query.setWordWrap(True)
        self.preset_query.setFont(fixed_font())
        self.preset_query.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fixed_values = _table(["Variable", "Fixed value (empty = taken from the message)"])
        self.fixed_values.setObjectName("fixed_values")
        self._fixed = {str(k): str(v) for k, v in (config.get("values") or {}).items()}
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self._preset_changed()
        form.addRow("Preset *", self.preset)
        form.addRow("Query", self.preset_query)
        form.addRow("Fixed values", self.fixed_values)
        if not self._presets:
            empty = QLabel("No preset yet: make one in the Presets tab.")
            empty.setWordWrap(True)
            form.addRow(empty)
        return page

    def _text_page(self, config: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.text = QPlainTextEdit(str(config.get("text") or ""))
        self.text.setObjectName("text")
        self.text.setPlaceholderText("The reply, e.g. the shift roster or a phone list. "
                                     "*bold* and _italic_ work as in WhatsApp.")
        form.addRow("Reply *", self.text)
        return page

    # -- reactions ----------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.type.currentData())

    def _type_changed(self, *_args) -> None:
        kind = self.kind()
        self.pages.setCurrentIndex(self.page_index.get(kind, self._old_page))
        current = self.connection.currentData()
        self.connection.clear()
        plugins = PLUGINS_FOR.get(kind)
        if plugins == ():
            self.connection.addItem("None needed", None)
            self.connection.setEnabled(False)
            return
        self.connection.setEnabled(True)
        fitting = [s for s in self._sources if plugins is None or s["plugin"] in plugins]
        if not fitting:
            wanted = {"pi": "PI or demo", "sql": "MySQL or Oracle",
                      "preset": "MySQL or Oracle"}.get(kind, "suitable")
            self.connection.addItem(f"No {wanted} connection yet — add one in Connections",
                                    None)
        if self.trigger is not None and current is None:
            # Editing a trigger whose connection is gone: never swap in another one silently.
            self.connection.addItem("Choose a connection…", None)
        for source in fitting:
            suffix = "" if source["active"] else " (switched off)"
            self.connection.addItem(f"{source['name']} — {source['kind_label']}{suffix}",
                                    source["id"])
        self._select_source(current)

    def _select_source(self, source_id: str | None) -> None:
        index = self.connection.findData(source_id) if source_id else -1
        if index >= 0:
            self.connection.setCurrentIndex(index)

    def _mode_changed(self, *_args) -> None:
        mode = self.mode.currentData()
        if mode == "chart":
            self.chart.setChecked(True)
        self.chart.setEnabled(mode != "chart")
        ranged = mode != "current" or self.chart.isChecked()
        self.start.setEnabled(ranged)
        self.end.setEnabled(ranged)
        self.interval.setEnabled(mode == "interpolated")
        for check in self.summary_checks.values():
            check.setEnabled(mode == "summary")

    def _dialect(self) -> str:
        source = self._source()
        return "oracle" if source and source["plugin"] == "oracle" else "mysql"

    def _source(self) -> dict[str, Any] | None:
        source_id = self.connection.currentData()
        return next((s for s in self._sources if s["id"] == source_id), None)

    # -- tags -------------------------------------------------------------------------------
    def tag_list(self) -> list[str]:
        return [self.tags.item(i).text() for i in range(self.tags.count())]

    def add_tags(self, tags: list[str]) -> None:
        have = set(self.tag_list())
        for tag in tags:
            tag = tag.strip()
            if tag and tag not in have:
                self.tags.addItem(QListWidgetItem(tag))
                have.add(tag)

    def _add_typed_tag(self) -> None:
        self.add_tags([self.tag_entry.text()])
        self.tag_entry.clear()

    def _remove_tags(self) -> None:
        for item in self.tags.selectedItems():
            self.tags.takeItem(self.tags.row(item))

    def search_pi(self) -> None:
        source = self._source()
        if source is None or source["plugin"] not in ("pi", "demo"):
            self.fail("Choose a PI or demo connection first; its tags are searched.")
            return
        dialog = TagBrowserDialog(self.ctx, source, picking=True, parent=self)
        dialog.tags_picked.connect(self.add_tags)
        dialog.open()
        dialog.search()

    def _label_rows(self) -> dict[str, str]:
        return {_text(self.labels, r, 0): _text(self.labels, r, 1)
                for r in range(self.labels.rowCount())}

    def _sync_labels(self, *_args) -> None:
        # The display-name table follows the tag list row for row; typed names are kept.
        self._label_names.update(self._label_rows())
        self.labels.setRowCount(0)
        for tag in self.tag_list():
            row = self.labels.rowCount()
            self.labels.insertRow(row)
            tag_item = _cell(tag)
            tag_item.setFlags(tag_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.labels.setItem(row, 0, tag_item)
            self.labels.setItem(row, 1, _cell(self._label_names.get(tag, "")))

    # -- presets ----------------------------------------------------------------------------
    def _preset_changed(self, *_args) -> None:
        for row in range(self.fixed_values.rowCount()):
            self._fixed[_text(self.fixed_values, row, 0)] = _text(self.fixed_values, row, 1)
        preset = next((p for p in self._presets if p["name"] == self.preset.currentData()),
                      None)
        names = [v if isinstance(v, str) else str(v.get("name", ""))
                 for v in (preset["variables"] if preset else [])]
        names += [n for n, v in self._fixed.items() if v and n not in names]
        self.preset_query.setText(preset["query_template"] if preset else "")
        self.fixed_values.setRowCount(0)
        for name in names:
            row = self.fixed_values.rowCount()
            self.fixed_values.insertRow(row)
            name_item = _cell(name)
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.fixed_values.setItem(row, 0, name_item)
            self.fixed_values.setItem(row, 1, _cell(self._fixed.get(name, "")))

    # -- values -----------------------------------------------------------------------------
    def config_values(self) -> dict[str, Any]:
        kind = self.kind()
        managed = set(COMMON_KEYS).union(*TYPE_KEYS.values())
        # Keys this form does not edit (a title, a PI trigger's variables) are kept.
        config = {k: v for k, v in self._base.items() if k not in managed}
        if kind == "pi" and self._kind0 == "pi" and "variables" in self._base:
            config["variables"] = self._base["variables"]
        if self.description.text().strip():
            config["description"] = self.description.text().strip()
        audience = [t.strip() for t in self.audience.text().split(",") if t.strip()]
        if audience:
            config["audience"] = audience
        if self.timeout.value():
            config["timeout_s"] = self.timeout.value()
        if kind == "pi":
            tags = self.tag_list()
            config["tags"] = tags
            config["mode"] = self.mode.currentData()
            for key, edit in (("start", self.start), ("end", self.end),
                              ("interval", self.interval)):
                if edit.isEnabled() and edit.text().strip():
                    config[key] = edit.text().strip()
            if self.mode.currentData() == "summary":
                chosen = [n for n, c in self.summary_checks.items() if c.isChecked()]
                if chosen:
                    config["summary_types"] = chosen
            if self.decimals.value() >= 0:
                config["decimals"] = self.decimals.value()
            labels = dict(self._labels_extra)
            labels.update({t: n for t, n in self._label_rows().items() if n and t in tags})
            if labels:
                config["labels"] = labels
            if self.chart.isChecked() and self.mode.currentData() != "chart":
                config["chart"] = True
        elif kind == "sql":
            config["query"] = self.sql.toPlainText().strip()
            config["variables"] = self.variables.specs()
            config["max_rows"] = self.max_rows.value()
        elif kind == "preset":
            config["preset"] = self.preset.currentData()
            values = {_text(self.fixed_values, r, 0): _text(self.fixed_values, r, 1)
                      for r in range(self.fixed_values.rowCount())}
            config["values"] = {k: v for k, v in values.items() if k and v}
        elif kind == "text":
            config["text"] = self.text.toPlainText().strip()
        else:
            config.update({k: v for k, v in self._base.items() if k in managed})
        return config

    def values(self) -> dict:
        kind = self.kind()
        needs_source = PLUGINS_FOR.get(kind) != ()
        return {"name": self.keyword.text().strip(), "kind": kind,
                "active": self.active.isChecked(),
                "data_source_id": self.connection.currentData() if needs_source else None,
                "config": self.config_values()}

    def preview_trigger(self) -> dict[str, Any]:
        """The form as services.triggers.get_trigger shapes a trigger, for TriggerRunner."""
        values = self.values()
        source = self._source()
        return {"id": None, "name": values["name"] or "preview", "type": values["kind"],
                "active": True, "data_source_id": values["data_source_id"],
                "data_source": source["name"] if source else "",
                "source_plugin": source["plugin"] if source else None,
                "source_active": bool(source and source["active"]),
                "description": values["config"].get("description", ""),
                "config": values["config"], "legacy": None, "setup_missing": []}

    # -- actions ----------------------------------------------------------------------------
    def _build_preview(self, args: list[str], run_ctx: RunContext) -> Awaitable[Answer] | None:
        trigger = self.preview_trigger()
        source = self._source()
        problems = trigger_service.check_config(
            trigger["type"], trigger["config"], source["plugin"] if source else None,
            {p["name"] for p in self._presets})
        if problems:
            self.fail("The preview cannot run yet:\n" + "\n".join(f"  - {p}" for p in problems))
            return None
        self.error.hide()
        return TriggerRunner(self.ctx.pool).run_trigger(trigger, args, run_ctx)

    def save(self, values: dict) -> None:
        try:
            saved = trigger_service.save_trigger(
                self.ctx.actor, self.trigger_id, name=values["name"], kind=values["kind"],
                active=values["active"], data_source_id=values["data_source_id"],
                config=values["config"])
        except ValidationError as exc:
            self.fail(str(exc))
            return
        except UserError as exc:
            self.fail(str(exc))
            return
        self.accept()
        self.trigger_saved.emit(saved)
