"""The trigger form's pages: one per trigger type (PI values, SQL query, saved query, fixed
text), with the tag list and the preset's fixed values; TriggerDialog mixes them in."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services import triggers as trigger_service
from app.ui.dialogs.tag_browser import TagBrowserDialog
from app.ui.language import translate
from app.ui.widgets.common import fixed_font
from app.ui.widgets.variables import VariablesTable, cell, cell_text, make_grid

# English source strings, shown translated (context "TriggerPages").
MODE_LABELS = {"current": QT_TRANSLATE_NOOP("TriggerPages", "Current values"),
               "summary": QT_TRANSLATE_NOOP("TriggerPages", "Summary over a period"),
               "recorded": QT_TRANSLATE_NOOP("TriggerPages", "Recorded values"),
               "interpolated": QT_TRANSLATE_NOOP("TriggerPages", "Values at a fixed interval"),
               "chart": QT_TRANSLATE_NOOP("TriggerPages", "Trend chart")}
# PI's summary types: the names PI takes stay in the configuration, the words shown translate.
SUMMARY_LABELS = {"Average": QT_TRANSLATE_NOOP("TriggerPages", "Average"),
                  "Minimum": QT_TRANSLATE_NOOP("TriggerPages", "Minimum"),
                  "Maximum": QT_TRANSLATE_NOOP("TriggerPages", "Maximum"),
                  "Total": QT_TRANSLATE_NOOP("TriggerPages", "Total"),
                  "Range": QT_TRANSLATE_NOOP("TriggerPages", "Range"),
                  "StdDev": QT_TRANSLATE_NOOP("TriggerPages", "StdDev"),
                  "Count": QT_TRANSLATE_NOOP("TriggerPages", "Count")}


def _label(labels: dict[str, str], key: str) -> str:
    return translate("TriggerPages", labels[key]) if key in labels else key


class TriggerPages:
    """The pages and their helpers; the attributes they use are the form's (TriggerDialog)."""

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
        self.tag_entry.setPlaceholderText(
            translate("TriggerPages", "\\\\SERVER\\TAG, a bare tag name or an AF path"))
        self.add_tag_button = QPushButton(translate("TriggerPages", "Add"))
        self.remove_tag_button = QPushButton(translate("TriggerPages", "Remove"))
        self.search_pi_button = QPushButton(translate("TriggerPages", "Search PI…"))
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
            self.mode.addItem(_label(MODE_LABELS, mode), mode)
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
            check = QCheckBox(_label(SUMMARY_LABELS, name))
            check.setChecked(name in chosen)
            self.summary_checks[name] = check
            grid.addWidget(check, i // 4, i % 4)
        self.decimals = QSpinBox()
        self.decimals.setObjectName("decimals")
        self.decimals.setRange(-1, 10)
        self.decimals.setSpecialValueText(translate("TriggerPages", "auto"))
        decimals = config.get("decimals")
        self.decimals.setValue(decimals if isinstance(decimals, int) else -1)
        self.labels = make_grid([translate("TriggerPages", "Tag"),
                                 translate("TriggerPages", "Name shown in the reply")], 110)
        self.labels.setObjectName("labels")
        self.chart = QCheckBox(translate("TriggerPages", "Attach a trend chart"))
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

        form.addRow(translate("TriggerPages", "Tags *"), tags_box)
        form.addRow(translate("TriggerPages", "Read"), self.mode)
        form.addRow(translate("TriggerPages", "From"), self.start)
        form.addRow(translate("TriggerPages", "To"), self.end)
        form.addRow(translate("TriggerPages", "Interval"), self.interval)
        form.addRow(translate("TriggerPages", "Summaries"), summary_box)
        form.addRow(translate("TriggerPages", "Decimals"), self.decimals)
        form.addRow(translate("TriggerPages", "Display names"), self.labels)
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
        form.addRow(translate("TriggerPages", "Query *"), self.sql)
        form.addRow(translate("TriggerPages", "Variables"), self.variables)
        form.addRow(translate("TriggerPages", "Rows at most"), self.max_rows)
        hint = QLabel(translate(
            "TriggerPages", "Only one read-only SELECT may run; the words after the keyword "
            "fill the variables in order and reach the database as bound values."))
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
            self.preset.addItem(
                translate("TriggerPages", "{name} (missing)").format(name=wanted), wanted)
        self.preset.setCurrentIndex(max(self.preset.findData(wanted), 0))
        self.preset_query = QLabel()
        self.preset_query.setWordWrap(True)
        self.preset_query.setFont(fixed_font())
        self.preset_query.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fixed_values = make_grid([translate("TriggerPages", "Variable"),
                                       translate("TriggerPages",
                                               "Fixed value (empty = taken from the message)")])
        self.fixed_values.setObjectName("fixed_values")
        self._fixed = {str(k): str(v) for k, v in (config.get("values") or {}).items()}
        self.preset.currentIndexChanged.connect(self._preset_changed)
        self._preset_changed()
        form.addRow(translate("TriggerPages", "Preset *"), self.preset)
        form.addRow(translate("TriggerPages", "Query"), self.preset_query)
        form.addRow(translate("TriggerPages", "Fixed values"), self.fixed_values)
        if not self._presets:
            empty = QLabel(translate("TriggerPages", "No preset yet: make one in the Presets tab."))
            empty.setWordWrap(True)
            form.addRow(empty)
        return page

    def _text_page(self, config: dict[str, Any]) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.text = QPlainTextEdit(str(config.get("text") or ""))
        self.text.setObjectName("text")
        self.text.setPlaceholderText(
            translate("TriggerPages", "The reply, e.g. the shift roster or a phone list. "
                                      "*bold* and _italic_ work as in WhatsApp."))
        form.addRow(translate("TriggerPages", "Reply *"), self.text)
        return page

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
            self.fail(
                translate("TriggerPages", "Choose a PI or demo connection first; its tags are "
                                          "searched."))
            return
        dialog = TagBrowserDialog(self.ctx, source, picking=True, parent=self)
        dialog.tags_picked.connect(self.add_tags)
        dialog.open()
        dialog.search()

    def _label_rows(self) -> dict[str, str]:
        return {cell_text(self.labels, r, 0): cell_text(self.labels, r, 1)
                for r in range(self.labels.rowCount())}

    def _sync_labels(self, *_args) -> None:
        # The display-name table follows the tag list row for row; typed names are kept.
        self._label_names.update(self._label_rows())
        self.labels.setRowCount(0)
        for tag in self.tag_list():
            row = self.labels.rowCount()
            self.labels.insertRow(row)
            tag_item = cell(tag)
            tag_item.setFlags(tag_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.labels.setItem(row, 0, tag_item)
            self.labels.setItem(row, 1, cell(self._label_names.get(tag, "")))

    # -- presets ----------------------------------------------------------------------------
    def _preset_changed(self, *_args) -> None:
        for row in range(self.fixed_values.rowCount()):
            self._fixed[cell_text(self.fixed_values, row, 0)] = cell_text(self.fixed_values, row, 1)
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
            name_item = cell(name)
            name_item.setFlags(name_item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.fixed_values.setItem(row, 0, name_item)
            self.fixed_values.setItem(row, 1, cell(self._fixed.get(name, "")))
