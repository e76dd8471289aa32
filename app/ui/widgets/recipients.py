"""Who is told: contacts, contact tags and WhatsApp groups, typed or picked, how (WhatsApp,
e-mail or both), and quiet hours.

Used by the alarm and schedule forms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.services import contacts, recipients
from app.ui import language
from app.ui.language import translate

WARNING_STYLE = "background: #fff7e0; border: 1px solid #e8d49a; padding: 4px;"
ID_ROLE = Qt.ItemDataRole.UserRole
WHATSAPP_ONLY = ["whatsapp"]


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


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
    return [(translate("RecipientsEditor", "{tag} ({count})").format(
        tag=names[k], count=language.counts().people(n)), names[k])
            for k, n in sorted(counts.items())]


def group_choices() -> list[tuple[str, str]]:
    out = []
    for c in contacts.list_contacts():
        if c["kind"] != "group":
            continue
        label = f"{c['display_name']} ({c['id']})" if c["display_name"] != c["id"] else c["id"]
        if c["blocked"]:
            label += translate("RecipientsEditor", " — blocked in Contacts")
        elif not c["allowed"]:
            label += translate("RecipientsEditor", " — not approved in Contacts yet")
        out.append((label, c["id"]))
    return out


class RecipientsEditor(QWidget):
    """Contacts, contact tags and WhatsApp groups, typed or picked, with the crowd warning."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.contacts = QLineEdit()
        self.contacts.setObjectName("contacts")
        self.contacts.setPlaceholderText(self.tr("Phone numbers of approved contacts, "
                                                 "comma-separated"))
        self.tags = QLineEdit()
        self.tags.setObjectName("tags")
        self.tags.setPlaceholderText(
            self.tr("Contact tags, e.g. operators, shift leads"))
        self.groups = QLineEdit()
        self.groups.setObjectName("groups")
        self.groups.setPlaceholderText(
            self.tr("WhatsApp group ids (…@g.us) the bot is in"))
        # How the level is told; e-mail goes to the people who have an address in Contacts.
        self.channels = QComboBox()
        self.channels.setObjectName("channels")
        for label, value in ((self.tr("WhatsApp"), WHATSAPP_ONLY),
                             (self.tr("E-mail"), ["email"]),
                             (self.tr("WhatsApp and e-mail"), ["whatsapp", "email"])):
            self.channels.addItem(label, value)
        self.channels.setToolTip(self.tr(
            "E-mail goes to each person who has an e-mail address in Contacts (a group has "
            "none), through the e-mail connection chosen in Settings."))
        self.channels.currentIndexChanged.connect(self._edited)
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
                (self.tr("Contacts"), self.contacts, self.tr("Choose contacts"),
                 contact_choices,
                 self.tr("No approved contact yet: approve people in Contacts first.")),
                (
                    self.tr(
                            "Tags"), self.tags,
                                self.tr("Choose contact tags"), tag_choices,
                 self.tr(
                         "No approved contact has a tag yet: give contacts tags in Contacts.")),
                (self.tr("Groups"), self.groups, self.tr("Choose WhatsApp groups"),
                 group_choices,
                 self.tr(
                         "The bot knows no WhatsApp group yet: add it to a group and let "
                         "someone write there once."))):
            button = QPushButton(self.tr("Choose…"))
            button.setObjectName(f"choose_{edit.objectName()}")
            button.clicked.connect(lambda _c=False, e=edit, t=title, f=choices, m=empty:
                                   self._pick(e, t, f(), m))
            edit.textChanged.connect(self._edited)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button)
            form.addRow(label, row)
        form.addRow(self.tr("Send by"), self.channels)
        form.addRow(self.warning)

    def spec(self) -> dict[str, list[str]]:
        """The level; "channels" only when it is not WhatsApp alone (the default)."""
        out = {"contacts": split_list(self.contacts.text()),
               "tags": split_list(self.tags.text()),
               "groups": split_list(self.groups.text())}
        channels = list(self.channels.currentData() or WHATSAPP_ONLY)
        if channels != WHATSAPP_ONLY:
            out["channels"] = channels
        return out

    def set_spec(self, spec: dict[str, Any] | None) -> None:
        spec = spec or {}
        for key, edit in (("contacts", self.contacts), ("tags", self.tags),
                          ("groups", self.groups)):
            edit.setText(", ".join(str(v) for v in spec.get(key) or []))
        wanted = sorted(spec.get("channels") or WHATSAPP_ONLY)
        for i in range(self.channels.count()):
            if sorted(self.channels.itemData(i)) == wanted:
                self.channels.setCurrentIndex(i)
        self.update_warning()

    def is_empty(self) -> bool:
        return recipients.is_empty(self.spec())

    def _edited(self, *_args) -> None:
        self._timer.start()
        self.changed.emit()

    def update_warning(self) -> None:
        spec, _problems = recipients.clean_spec(self.spec())
        text = " ".join(t for t in (recipients.group_warning(spec),
                                    recipients.crowd_warning(spec)) if t)
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
        row.addWidget(QLabel(self.tr("from")))
        row.addWidget(self.start)
        row.addWidget(QLabel(self.tr("to")))

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
