"""The Messages tab's Compose page: a message typed by a person, sent through the outbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.errors import UserError
from app.services import contacts, messages
from app.ui.context import UiContext
from app.ui.widgets.common import notice

RED = "#b00020"


class ComposePage(QWidget):
    """A message typed by a person, sent through the same outbox as the bot's replies."""

    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recipient = QComboBox()
        self.recipient.setObjectName("recipient")
        self.recipient.setEditable(True)
        self.recipient.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.recipient.lineEdit().setPlaceholderText(self.tr(
            "Pick a contact or type a number, e.g. +62 812 3456 7890"))
        self.text = QPlainTextEdit()
        self.text.setObjectName("compose_text")
        self.text.setPlaceholderText(self.tr("Message…"))
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.clicked.connect(self.send)
        self.result = QLabel()
        self.result.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("To"), self.recipient)
        form.addRow(self.tr("Message"), self.text)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        may = ctx.can(permissions.MESSAGES_SEND)
        if not may:
            layout.addWidget(notice(self.tr("Your role can read messages, not send them.")))
        layout.addWidget(notice(self.tr("Write only to people who wrote to the bot before: "
                                        "WhatsApp bans numbers that open chats with strangers.")))
        layout.addLayout(form, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        for widget in (self.recipient, self.text, self.send_button):
            widget.setEnabled(may)
        self._stale = True

    def fill_contacts(self) -> None:
        typed = self.recipient.currentText()
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for contact in contacts.list_contacts():
            if contact.get("blocked") or contact.get("kind") == "other":
                continue
            address = contact["phone"] or contact["id"]
            label = contact["name"] or address
            if contact["name"] and address:
                label = f"{contact['name']} ({address})"
            self.recipient.addItem(label, address)
        self.recipient.setCurrentIndex(-1)
        self.recipient.setEditText(typed)
        self.recipient.blockSignals(False)
        self._stale = False

    def address(self) -> str:
        typed = self.recipient.currentText().strip()
        index = self.recipient.findText(typed, Qt.MatchFlag.MatchExactly)
        return self.recipient.itemData(index) if index >= 0 else typed

    def send(self) -> None:
        to, text = self.address(), self.text.toPlainText()
        try:
            outbox_id = messages.compose(self.ctx.actor, to, text)
        except UserError as exc:
            self.result.setStyleSheet(f"color: {RED};")
            self.result.setText(str(exc))
            return
        self.result.setStyleSheet("")
        self.result.setText(self.tr("Queued for {to} (outbox #{id}); the Outbox shows when it "
                                    "is sent.").format(to=to, id=outbox_id))
        self.ctx.messages.info(self.tr("Message to {to} queued.").format(to=to))
        self.text.clear()

    def on_contacts_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.fill_contacts()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._stale:
            self.fill_contacts()
        super().showEvent(event)
