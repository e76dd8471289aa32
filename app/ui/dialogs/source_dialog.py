"""The connection form: fields drawn from the kind's field list, secrets in password boxes."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core import source_fields
from app.core.source_fields import FieldSpec, verify_setting
from app.errors import describe
from app.runtime.source_tests import try_unsaved
from app.ui.context import UiContext
from app.ui.dialogs.form import FormDialog, line_field, password_field
from app.ui.language import translate
from app.ui.widgets.common import notice


class PathField(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(browse)

    def _browse(self) -> None:
        dialog = QFileDialog(self, self.tr("Choose a file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.edit.setText)
        dialog.open()

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:  # noqa: N802 - mirrors QLineEdit
        self.edit.setText(text)


class TlsField(QWidget):
    """"Check the server certificate" as a tick box, with the plant CA's bundle file when the
    server's certificate comes from one. Its value: True, False, or the bundle's path."""

    def __init__(self, value: Any, parent=None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(self.tr("Check the server certificate"))
        self.bundle = PathField()
        self.bundle.edit.setPlaceholderText(self.tr("CA bundle file (.pem), if the plant has its "
                                                    "own CA"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.bundle)
        verify = verify_setting(value)
        self.check.setChecked(verify is not False)
        if isinstance(verify, str):
            self.bundle.setText(verify)
        self.check.toggled.connect(self.bundle.setEnabled)
        self.bundle.setEnabled(self.check.isChecked())

    def value(self) -> bool | str:
        if not self.check.isChecked():
            return False
        return self.bundle.text().strip() or True


class SourceDialog(FormDialog):
    def __init__(self, source: dict | None = None, preset: dict[str, Any] | None = None,
                 parent=None, ctx: UiContext | None = None) -> None:
        super().__init__(translate("SourceDialog", "Edit connection") if source
                         else translate("SourceDialog", "New connection"), parent)
        self.ctx = ctx
        self.source = source
        self.setMinimumWidth(560)
        config = dict(source["config"]) if source else {}
        config.update(preset or {})
        self._config = config
        self.name = line_field("name", source["name"] if source else "")
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for value, label in source_fields.KINDS.items():
            self.kind.addItem(translate("Labels", label), value)
        plugin = source["plugin"] if source else "pi"
        self.kind.setCurrentIndex(max(self.kind.findData(plugin), 0))
        self.active = QCheckBox(self.tr("Active (triggers may use it)"))
        self.active.setChecked(source["active"] if source else True)
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Kind"), self.kind)
        self.form.addRow("", self.active)
        if source and source["setup_missing"]:
            self.layout_.insertWidget(0, notice(
                self.tr("<b>Finish setup.</b>") + " " + " ".join(source["setup_missing"])))
        self.fields_form = QFormLayout()
        self.layout_.insertLayout(self.layout_.indexOf(self.error), self.fields_form)
        self.widgets: dict[str, QWidget] = {}
        self.rows: dict[str, tuple[QLabel, QWidget]] = {}
        self.kind.currentIndexChanged.connect(self._build_fields)
        self._build_fields()
        if ctx is not None:  # the form's own Test: the settings as typed, before saving
            self.test_button = QPushButton(self.tr("Test"))
            self.test_button.setObjectName("test")
            self.test_button.setToolTip(self.tr("Try these settings now; nothing is saved."))
            self.test_button.clicked.connect(self.run_test)
            self.stop_button = QPushButton(self.tr("Stop"))
            self.stop_button.setObjectName("stop_test")
            self.stop_button.setEnabled(False)
            self.stop_button.clicked.connect(self.stop_test)
            self.test_result = QLabel()
            self.test_result.setObjectName("test_result")
            self.test_result.setWordWrap(True)
            row = QHBoxLayout()
            row.addWidget(self.test_button)
            row.addWidget(self.stop_button)
            row.addWidget(self.test_result, 1)
            self.layout_.insertLayout(self.layout_.indexOf(self.error), row)

    # -- form building ------------------------------------------------------------------------
    def _build_fields(self) -> None:
        while self.fields_form.rowCount():
            self.fields_form.removeRow(0)
        self.widgets.clear()
        self.rows.clear()
        kind = self.kind.currentData()
        secrets_set = set(self.source["secrets_set"]) if self.source and \
            self.source["plugin"] == kind else set()
        for spec in source_fields.FIELDS.get(kind, ()):
            widget = self._widget_for(spec, secrets_set)
            widget.setObjectName(spec.key)
            if spec.help:
                widget.setToolTip(translate("Labels", spec.help))
            label = QLabel(translate("Labels", spec.label) + (" *" if spec.required else ""))
            self.fields_form.addRow(label, widget)
            self.widgets[spec.key] = widget
            self.rows[spec.key] = (label, widget)
            if spec.key == "api" or spec.key == "auth":
                widget.currentIndexChanged.connect(self._update_visibility)
        if kind == "email" and "security" in self.widgets:
            self._security = self.widgets["security"].currentData()
            self.widgets["security"].currentIndexChanged.connect(self._security_changed)
        if kind == "demo":
            self.fields_form.addRow(QLabel(self.tr("The demo historian needs no settings: it "
                                                   "simulates a handful of tags on this "
                                                   "computer.")))
        self._update_visibility()

    def _security_changed(self) -> None:
        """An e-mail connection's port follows its security while it is the usual one."""
        ports = source_fields.EMAIL_DEFAULT_PORTS
        new = self.widgets["security"].currentData()
        port = self.widgets.get("port")
        if isinstance(port, QSpinBox) and port.value() == ports.get(self._security):
            port.setValue(ports.get(new, port.value()))
        self._security = new

    def _widget_for(self, spec: FieldSpec, secrets_set: set[str]) -> QWidget:
        value = source_fields.get_path(self._config, spec.key)
        if value is None:
            value = spec.default
        if spec.kind == "tls":
            return TlsField(value)
        if spec.kind == "secret":
            field = password_field(spec.key)
            field.setPlaceholderText(self.tr("stored — leave empty to keep")
                                     if spec.key in secrets_set else self.tr("not set"))
            return field
        if spec.kind == "choice":
            combo = QComboBox()
            for choice, label in spec.choices:
                combo.addItem(translate("Labels", label), choice)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(spec.minimum or 0), int(spec.maximum or 10**9))
            spin.setValue(int(value or 0))
            return spin
        if spec.kind == "float":
            dspin = QDoubleSpinBox()
            dspin.setDecimals(1)
            dspin.setRange(spec.minimum or 0.0, spec.maximum or 1e9)
            dspin.setValue(float(value or 0))
            return dspin
        if spec.kind == "bool":
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if spec.kind == "multiline":
            text = QPlainTextEdit(str(value or ""))
            text.setMaximumHeight(90)
            return text
        if spec.kind == "path":
            path = PathField()
            path.setText(str(value or ""))
            return path
        edit = QLineEdit("" if value is None else str(value))
        if spec.help:
            edit.setPlaceholderText(translate("Labels", spec.help))
        return edit

    def _update_visibility(self, *_args) -> None:
        current = self.config_values()
        for spec in source_fields.FIELDS.get(self.kind.currentData(), ()):
            label, widget = self.rows[spec.key]
            shown = source_fields.applies(spec, current)
            label.setVisible(shown)
            widget.setVisible(shown)

    # -- values -------------------------------------------------------------------------------
    def config_values(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        for spec in source_fields.FIELDS.get(self.kind.currentData(), ()):
            if spec.kind == "secret":
                continue
            widget = self.widgets[spec.key]
            if isinstance(widget, TlsField):
                value: Any = widget.value()
            elif isinstance(widget, QComboBox):
                value: Any = widget.currentData()
            elif isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                value = widget.value()
            elif isinstance(widget, QCheckBox):
                value = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                value = widget.toPlainText().strip()
            else:
                value = widget.text().strip()
            source_fields.set_path(config, spec.key, value)
        return config

    def secret_values(self) -> dict[str, str | None]:
        values: dict[str, str | None] = {}
        for spec in source_fields.FIELDS.get(self.kind.currentData(), ()):
            if spec.kind == "secret":
                text = self.widgets[spec.key].text()
                values[spec.key] = text if text else None
        return values

    # -- the form's Test ----------------------------------------------------------------------
    def run_test(self) -> None:
        kind = self.kind.currentData()
        problems = source_fields.check(kind, self.config_values(), self._secrets_known(),
                                       secrets=True)
        if problems:
            self._show_test(False, " ".join(problems))
            return
        self._show_test(None, self.tr("Testing… (Stop ends the wait)"))
        self.stop_button.setEnabled(True)

        def done(result) -> None:
            self.stop_button.setEnabled(False)
            self._show_test(result.ok, result.message if result.ok else
                            result.message + (f" [{result.code}]" if result.code else ""))

        def failed(exc: BaseException) -> None:
            self.stop_button.setEnabled(False)
            self._show_test(False, describe(exc))

        work = try_unsaved(kind, self.config_values(), self.secret_values(),
                           self.source["id"] if self.source else None)
        self.run_async("test", work, done, failed, control=self.test_button)

    def stop_test(self) -> None:
        self.cancel_runs()
        self.stop_button.setEnabled(False)
        self.test_button.setEnabled(True)
        self._show_test(False, self.tr("Test stopped: no answer was waited for."))


    def _secrets_known(self) -> set[str]:
        """Secrets typed in the form, or stored for this connection (kept when left empty)."""
        typed = {k for k, v in self.secret_values().items() if v}
        stored = set(self.source["secrets_set"]) if self.source and \
            self.source["plugin"] == self.kind.currentData() else set()
        return typed | stored

    def _show_test(self, ok: bool | None, text: str) -> None:
        colour = {True: "#1b5e20", False: "#b00020", None: "#555"}[ok]
        self.test_result.setStyleSheet(f"color: {colour};")
        self.test_result.setText(text)

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "plugin": self.kind.currentData(),
                "active": self.active.isChecked(), "config": self.config_values(),
                "secrets": self.secret_values()}
