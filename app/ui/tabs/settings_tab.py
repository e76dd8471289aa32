"""Settings tab: every known setting as a typed field, validated and audited on save."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions, settings_spec
from app.errors import UserError
from app.services import secrets, settings
from app.ui.context import UiContext
from app.ui.widgets.common import follow, notice

CATEGORY_TITLES = {"general": "General", "security": "Security", "outbox": "Sending (outbox)",
                   "spam": "Spam protection", "whatsapp": "WhatsApp", "ai": "AI answers",
                   "alarms": "Alarms", "schedules": "Schedules"}
CHOICE_LABELS = {"id": "Bahasa Indonesia", "en": "English"}


class SettingsTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.fields: dict[str, QWidget] = {}
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        groups: dict[str, QFormLayout] = {}
        for spec in settings_spec.SETTINGS:
            if spec.category not in groups:
                box = QGroupBox(CATEGORY_TITLES.get(spec.category, spec.category.title()))
                groups[spec.category] = QFormLayout(box)
                inner_layout.addWidget(box)
            field = self._make_field(spec)
            field.setObjectName(spec.path)
            self.fields[spec.path] = field
            groups[spec.category].addRow(spec.label, field)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        self.unsaved = QLabel()
        self.unsaved.setObjectName("unsaved")
        self.unsaved.setStyleSheet("color: #8a6d00; font-weight: bold;")
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(self.load)
        bar = QHBoxLayout()
        bar.addWidget(self.unsaved)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        editable = ctx.can(permissions.SETTINGS_WRITE)
        if not editable:
            layout.addWidget(notice("Only administrators can change settings."))
        where_secrets = secrets.store().location_notice
        if where_secrets and editable:
            self.secrets_notice = notice(where_secrets)
            layout.addWidget(self.secrets_notice)
        layout.addWidget(scroll)
        layout.addLayout(bar)
        inner.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.revert_button.setEnabled(editable)
        self._loaded: dict[str, dict] = {}
        for field in self.fields.values():
            _changed_signal(field).connect(self._show_unsaved)
        follow(self, ("settings",), self.load)
        self.load()

    @staticmethod
    def _make_field(spec: settings_spec.SettingSpec) -> QWidget:
        if spec.kind is bool:
            return QCheckBox()
        if spec.choices:
            combo = QComboBox()
            for choice in spec.choices:
                combo.addItem(CHOICE_LABELS.get(choice, choice), choice)
            return combo
        if spec.kind is int:
            spin = QSpinBox()
            spin.setRange(int(spec.minimum or 0), int(spec.maximum or 1_000_000))
            return spin
        if spec.kind is float:
            dspin = QDoubleSpinBox()
            dspin.setDecimals(1)
            dspin.setRange(spec.minimum or 0.0, spec.maximum or 1e6)
            return dspin
        return QLineEdit()

    def load(self) -> None:
        values = settings.all_values()
        for spec in settings_spec.SETTINGS:
            value = values.get(spec.category, {}).get(spec.key, spec.default)
            field = self.fields[spec.path]
            if isinstance(field, QCheckBox):
                field.setChecked(bool(value))
            elif isinstance(field, QComboBox):
                field.setCurrentIndex(max(field.findData(value), 0))
            elif isinstance(field, (QSpinBox, QDoubleSpinBox)):
                field.setValue(value)
            else:
                field.setText(str(value))
        self._loaded = self.values()
        self._show_unsaved()

    def values(self) -> dict[str, dict]:
        result: dict[str, dict] = {}
        for spec in settings_spec.SETTINGS:
            field = self.fields[spec.path]
            if isinstance(field, QCheckBox):
                value = field.isChecked()
            elif isinstance(field, QComboBox):
                value = field.currentData()
            elif isinstance(field, (QSpinBox, QDoubleSpinBox)):
                value = field.value()
            else:
                value = field.text()
            result.setdefault(spec.category, {})[spec.key] = value
        return result

    def edited(self) -> dict[str, dict]:
        """Only what differs from what the tab last loaded: the settings the user changed."""
        result: dict[str, dict] = {}
        for category, keys in self.values().items():
            for key, value in keys.items():
                if self._loaded.get(category, {}).get(key) != value:
                    result.setdefault(category, {})[key] = value
        return result

    def is_dirty(self) -> bool:
        return bool(self.edited())

    def _show_unsaved(self, *_args) -> None:
        count = sum(len(keys) for keys in self.edited().values())
        self.unsaved.setText("" if not count else
                             "1 unsaved change" if count == 1 else f"{count} unsaved changes")

    def save(self) -> None:
        edited = self.edited()
        if not edited:
            self.ctx.messages.info("No setting changed.")
            return
        try:
            changed = settings.update(self.ctx.actor, edited)
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.load()
        self.ctx.messages.info(f"Settings saved ({len(changed)} changed)." if changed
                               else "No setting changed.")


def _changed_signal(field: QWidget):
    if isinstance(field, QCheckBox):
        return field.toggled
    if isinstance(field, QComboBox):
        return field.currentIndexChanged
    if isinstance(field, (QSpinBox, QDoubleSpinBox)):
        return field.valueChanged
    return field.textChanged
