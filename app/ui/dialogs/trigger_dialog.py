"""The trigger form: a page per type (no raw JSON) and a preview of the exact reply."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError, ValidationError
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import sources
from app.services import triggers as trigger_service
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog, line_field, scrolled
from app.ui.dialogs.trigger_pages import TriggerPages
from app.ui.widgets.common import notice
from app.ui.widgets.preview import PreviewPane
from app.ui.widgets.variables import cell_text

# Which connection kinds each trigger type can run on (docs/architecture.md, "Trigger types").
PLUGINS_FOR = {"pi": ("pi", "demo"), "sql": ("mysql", "oracle"), "preset": ("mysql", "oracle"),
               "text": ()}
COMMON_KEYS = ("description", "audience", "timeout_s")
TYPE_KEYS = {
    "pi": ("tags", "mode", "start", "end", "interval", "summary_types", "decimals", "labels",
           "chart"),
    "sql": ("query", "variables", "max_rows"),
    "preset": ("preset", "values"),
    "text": ("text",),
}


# -- the trigger form -----------------------------------------------------------------------


class TriggerDialog(TriggerPages, FormDialog):
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

        self.keyword = line_field("keyword", trigger["name"] if trigger else "",
                                  "The word people send, e.g. drum")
        self.first_field = self.keyword
        self.description = line_field("description", str(config.get("description") or ""),
                                      "Shown by help and used as the reply's title")
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
        self.audience = line_field("audience", ", ".join(config.get("audience") or []),
                                   "Contact tags, comma-separated; empty = every allowed contact")
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
        scroll = scrolled(left)
        self.preview = PreviewPane(ctx, "trigger-form", self._build_preview, form=self)
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
        fitting = sources.by_readiness(
            [s for s in self._sources if plugins is None or s["plugin"] in plugins])
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
            values = {cell_text(self.fixed_values, r, 0): cell_text(self.fixed_values, r, 1)
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
