"""Settings tab: every known setting as a typed field, validated and audited on save."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
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
from app.ui import language
from app.ui.context import UiContext
from app.ui.language import translate
from app.ui.widgets.common import follow, notice

# English source strings, shown translated (context "SettingsTab").
CATEGORY_TITLES = {"general": QT_TRANSLATE_NOOP("SettingsTab", "General"),
                   "security": QT_TRANSLATE_NOOP("SettingsTab", "Security"),
                   "outbox": QT_TRANSLATE_NOOP("SettingsTab", "Sending (outbox)"),
                   "spam": QT_TRANSLATE_NOOP("SettingsTab", "Spam protection"),
                   "whatsapp": QT_TRANSLATE_NOOP("SettingsTab", "WhatsApp"),
                   "ai": QT_TRANSLATE_NOOP("SettingsTab", "AI answers"),
                   "alarms": QT_TRANSLATE_NOOP("SettingsTab", "Alarms"),
                   "schedules": QT_TRANSLATE_NOOP("SettingsTab", "Schedules")}
# Languages are named in their own words, whatever the window speaks.
CHOICE_LABELS = dict(language.LANGUAGES)
WINDOW_LANGUAGE = "general.ui_language"


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
                box = QGroupBox(self.tr(CATEGORY_TITLES[spec.category])
                                if spec.category in CATEGORY_TITLES else spec.category.title())
                groups[spec.category] = QFormLayout(box)
                inner_layout.addWidget(box)
            field = self._make_field(spec)
            field.setObjectName(spec.path)
            if spec.path == WINDOW_LANGUAGE:
                field.setToolTip(self.tr("The language of the menus, tabs and forms of this "
                                         "app; it applies from the next log-in."))
            self.fields[spec.path] = field
            groups[spec.category].addRow(translate("Labels", spec.label), field)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        self.unsaved = QLabel()
        self.unsaved.setObjectName("unsaved")
        self.unsaved.setStyleSheet("color: #8a6d00; font-weight: bold;")
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.revert_button.clicked.connect(self.load)
        bar = QHBoxLayout()
        bar.addWidget(self.unsaved)
        bar.addStretch(1)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        editable = ctx.can(permissions.SETTINGS_WRITE)
        if not editable:
            layout.addWidget(notice(self.tr("Only administrators can change settings.")))
        files = secrets.store().files
        if files and editable:
            self.secrets_notice = notice(self.tr(
                "No system keyring is available, so passwords, tokens and API keys are kept "
                "encrypted in {file}, and the key that opens them is the file {key}. Only your "
                "user account can read them; back up both with the database, as without the key "
                "file every password must be typed again.").format(file=files[0], key=files[1]))
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
        if spec.path == WINDOW_LANGUAGE:  # every language with a translation file
            combo = QComboBox()
            for code, name in language.available().items():
                combo.addItem(name, code)
            return combo
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
                             self.tr("%n unsaved change(s)", "", count))

    def save(self) -> None:
        edited = self.edited()
        if not edited:
            self.ctx.messages.info(self.tr("No setting changed."))
            return
        try:
            changed = settings.update(self.ctx.actor, edited)
        except UserError as exc:
            self.ctx.messages.error(exc)
            return
        self.load()
        self.ctx.messages.info(self.tr("Settings saved (%n changed).", "", len(changed))
                               if changed else self.tr("No setting changed."))
        if WINDOW_LANGUAGE in changed:
            code = settings.window_language()
            self.ctx.messages.info(self.tr(
                "The windows speak {language} from the next log-in (log out and in again, or "
                "restart the app).").format(language=language.available().get(code, code)))



def _changed_signal(field: QWidget):
    if isinstance(field, QCheckBox):
        return field.toggled
    if isinstance(field, QComboBox):
        return field.currentIndexChanged
    if isinstance(field, (QSpinBox, QDoubleSpinBox)):
        return field.valueChanged
    return field.textChanged
