"""Simulator tab: chat with the bot as a contact would, through the loopback bridge, no phone."""

from __future__ import annotations

import html
import re
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core import permissions
from app.core.timefmt import local_text
from app.errors import describe
from app.ui.bot_host import loopback_jid
from app.ui.context import UiContext
from app.ui.language import translate
from app.ui.widgets.common import notice

DEFAULT_SENDER = "+628123456789"
DEFAULT_NAME = QT_TRANSLATE_NOOP("SimulatorTab", "Test contact")  # shown translated
IMAGE_WIDTH = 420  # wide enough to read a trend chart's axis labels
TEXT_WIDTH = 520
MINE, THEIRS, ERROR, ALARM, TYPING = "#dcf8c6", "#ffffff", "#fde7e9", "#fff4d6", "#f4f4f4"
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


def whatsapp_html(text: str) -> str:
    """WhatsApp's *bold* as rich text; everything else exactly as typed."""
    escaped = html.escape(text)
    return _BOLD.sub(r"<b>\1</b>", escaped).replace("\n", "<br>")


class ChartLabel(QLabel):
    """A reply's image in its bubble; a double click opens it large."""

    def __init__(self, png: bytes, parent=None) -> None:
        super().__init__(parent)
        self.png = png
        self.viewer: QDialog | None = None
        self.setToolTip(self.tr("Double-click to see the chart large."))
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt override
        self.open_large()

    def open_large(self) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(self.png, "PNG"):
            return
        dialog = QDialog(self.window())
        dialog.setObjectName("chart_viewer")
        dialog.setWindowTitle(self.tr("Chart"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        screen = (self.screen() or QApplication.primaryScreen()).availableGeometry()
        room_w, room_h = screen.width() - 80, screen.height() - 120
        if pixmap.width() > room_w or pixmap.height() > room_h:
            pixmap = pixmap.scaled(room_w, room_h, Qt.AspectRatioMode.KeepAspectRatio,
                                   Qt.TransformationMode.SmoothTransformation)
        picture = QLabel()
        picture.setObjectName("chart_large")
        picture.setPixmap(pixmap)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(picture)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        dialog.open()
        self.viewer = dialog


class Bubble(QFrame):
    """One message: text and/or an image, with who and when in small print under it."""

    def __init__(self, text: str, meta: str, mine: bool, image_png: bytes | None = None,
                 color: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("bubble_mine" if mine else "bubble_bot")
        self.mine = mine
        self.text = text
        background = color or (MINE if mine else THEIRS)
        self.setStyleSheet(f"#{self.objectName()} {{ background: {background}; "
                           "border: 1px solid #d0d0d0; border-radius: 8px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.image: QLabel | None = None
        if image_png is not None:
            pixmap = QPixmap()
            self.image = ChartLabel(image_png)
            self.image.setObjectName("reply_image")
            if pixmap.loadFromData(image_png, "PNG"):
                if pixmap.width() > IMAGE_WIDTH:
                    pixmap = pixmap.scaledToWidth(IMAGE_WIDTH,
                                                  Qt.TransformationMode.SmoothTransformation)
                self.image.setPixmap(pixmap)
            else:
                self.image.setText(self.tr("(an image that could not be read)"))
            layout.addWidget(self.image)
        self.label = QLabel(whatsapp_html(text))
        self.label.setObjectName("bubble_text")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setVisible(bool(text))
        # A wrapping label in a stretched row is squeezed to a narrow column; ask for the width
        # of the longest line (bold is wider: a tenth more), up to the bubble's limit.
        longest = max((self.label.fontMetrics().horizontalAdvance(line)
                       for line in text.split("\n")), default=0)
        self.label.setMinimumWidth(min(int(longest * 1.1) + 4, TEXT_WIDTH))
        layout.addWidget(self.label)
        small = QLabel(html.escape(meta))
        small.setStyleSheet("color: #777; font-size: 9pt;")
        small.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(small)
        self.setMaximumWidth(max(IMAGE_WIDTH, TEXT_WIDTH) + 40)


class ChatView(QScrollArea):
    """The conversation, oldest at the top; it follows new messages down."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("chat")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget()
        inner.setObjectName("chat_inner")
        inner.setStyleSheet("#chat_inner { background: #ece5dd; }")
        self.column = QVBoxLayout(inner)
        self.column.addStretch(1)
        self.setWidget(inner)
        self.bubbles: list[Bubble] = []
        self.verticalScrollBar().rangeChanged.connect(self._follow)

    def add(self, bubble: Bubble, listed: bool = True) -> None:
        """`listed=False` for a passing bubble ("typing…"), not part of the conversation."""
        row = QHBoxLayout()
        if bubble.mine:
            row.addStretch(1)
        row.addWidget(bubble)
        if not bubble.mine:
            row.addStretch(1)
        self.column.addLayout(row)
        if listed:
            self.bubbles.append(bubble)

    def clear(self) -> None:
        while self.column.count() > 1:
            item = self.column.takeAt(1)
            layout = item.layout()
            if layout is not None:
                while layout.count():
                    widget = layout.takeAt(0).widget()
                    if widget is not None:
                        widget.deleteLater()
                layout.deleteLater()
        self.bubbles = []

    def remove(self, bubble: Bubble) -> None:
        for index in range(1, self.column.count()):
            layout = self.column.itemAt(index).layout()
            if layout is not None and layout.indexOf(bubble) >= 0:
                self.column.takeAt(index)
                bubble.deleteLater()
                layout.deleteLater()
                break
        if bubble in self.bubbles:
            self.bubbles.remove(bubble)

    def _follow(self, _minimum: int, maximum: int) -> None:
        self.verticalScrollBar().setValue(maximum)


class SimulatorTab(QWidget):
    def __init__(self, ctx: UiContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bot = ctx.bot
        self.chat = ChatView()
        self.sender = QLineEdit(DEFAULT_SENDER)
        self.sender.setObjectName("sender")
        self.sender.setToolTip(self.tr(
            "The phone number the message comes from. A number the bot does not know yet gets "
            "the 'not authorised' notice and waits for approval in Contacts, as on WhatsApp."))
        self.name = QLineEdit(self.tr(DEFAULT_NAME))
        self.name.setObjectName("push_name")
        self.name.setToolTip(self.tr("The WhatsApp name the contact shows."))
        self.as_operator = QCheckBox(self.tr("As operator"))
        self.as_operator.setObjectName("as_operator")
        self.as_operator.setToolTip(self.tr(
            "Speak as the workstation's operator, who is always allowed: access and spam rules "
            "do not apply and nothing is logged as a message from a contact."))
        self.group = QCheckBox(self.tr("In a group chat"))
        self.group.setObjectName("group_chat")
        self.group.setToolTip(self.tr("In a group the bot answers only a message that starts "
                                      "with a trigger name, ! or /, or an AI prefix."))
        self.message = QLineEdit()
        self.message.setObjectName("message")
        self.message.setPlaceholderText(self.tr("Type a message and press Enter, e.g. help, "
                                                "demo, demotrend"))
        self.message.returnPressed.connect(self.send)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.clicked.connect(self.send)
        clear = QPushButton(self.tr("Clear"))
        clear.clicked.connect(self.chat.clear)
        self.check_alarms_button = QPushButton(self.tr("Check alarms now"))
        self.check_alarms_button.setObjectName("check_alarms")
        self.check_alarms_button.setToolTip(
            self.tr("Checks every alarm once now, as the app does by itself every few seconds. "
                    "Alarm messages go to their recipients on WhatsApp (they wait while it is not "
                    "connected); they also appear here, so you can answer them as the contact "
                    "above."))
        self.check_alarms_button.clicked.connect(self.check_alarms)
        self.check_status = QLabel()
        self.check_status.setObjectName("check_status")

        who = QHBoxLayout()
        for widget in (QLabel(self.tr("From")), self.sender, QLabel(self.tr("Name")), self.name,
                       self.as_operator, self.group):
            who.addWidget(widget)
        who.addStretch(1)
        who.addWidget(self.check_status)
        who.addWidget(self.check_alarms_button)
        who.addWidget(clear)
        typing = QHBoxLayout()
        typing.addWidget(self.message, 1)
        typing.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Talk to the bot as a contact would. Replies come through the bot's own outbox, "
            "without the pause WhatsApp needs, and the Messages tab logs them; nothing you send "
            "here reaches WhatsApp. Alarm messages shown here (yellow) do go to their "
            "recipients on WhatsApp."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        usable = self.bot is not None and ctx.can(permissions.MESSAGES_SEND)
        if self.bot is None:
            layout.addWidget(notice(self.tr("The Simulator's bot is not running in this window.")))
        elif not ctx.can(permissions.MESSAGES_SEND):
            layout.addWidget(notice(self.tr("Your role can read messages, not send them, so the "
                                            "Simulator is off.")))
        layout.addLayout(who)
        layout.addWidget(self.chat, 1)
        layout.addLayout(typing)
        for widget in (self.sender, self.name, self.as_operator, self.group, self.message,
                       self.send_button, self.check_alarms_button):
            widget.setEnabled(usable)
        self._sent = 0
        if self.bot is not None:
            self.bot.simulator_reply.connect(self.on_bot_simulator_reply)
            self.bot.alarm_message.connect(self.on_alarm_message)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self.message.isEnabled():
            self.message.setFocus()
        super().showEvent(event)

    def send(self) -> None:
        text = self.message.text().strip()
        if not text or self.bot is None or not self.send_button.isEnabled():
            return
        sender = self.sender.text().strip() or DEFAULT_SENDER
        operator = self.as_operator.isChecked()
        who = self.tr("operator") if operator else \
            f"{self.name.text().strip() or sender} ({sender})"
        if self.group.isChecked():
            who = self.tr("{who} in the group").format(who=who)
        now = local_text(datetime.now().astimezone(), with_date=False)
        self.chat.add(Bubble(text, f"{who} · {now}", mine=True))
        self.message.clear()
        self._sent += 1
        # "typing…" while the bot works on it (a trend or an AI answer takes a while).
        typing = Bubble("typing…", "bot", mine=False, color=TYPING)
        typing.setObjectName("typing")
        typing.label.setStyleSheet("color: #777; font-style: italic;")
        self.chat.add(typing, listed=False)
        self.typing = typing

        def done(_result) -> None:
            self.chat.remove(typing)

        def failed(exc: BaseException) -> None:
            self.chat.remove(typing)
            self.chat.add(Bubble(describe(exc), translate("SimulatorTab", "not delivered"),
                                 mine=False, color=ERROR))

        self.ctx.runner.run(
            self.bot.simulate(text, sender, self.name.text().strip(), self.group.isChecked(),
                              operator),
            done, failed, key=f"simulate-{self._sent}")

    def check_alarms(self) -> None:
        if self.bot is None or not self.check_alarms_button.isEnabled():
            return
        self.check_status.setText(self.tr("Checking the alarms…"))

        def done(queued: int) -> None:
            said = self.tr("%n alarm message(s) were queued for WhatsApp; they appear here.", "",
                           queued) if queued else self.tr("No alarm messages.")
            self.check_status.setText(said)
            self.ctx.messages.info(self.tr("Alarm check: {result}").format(result=said))

        def failed(exc: BaseException) -> None:
            self.check_status.setText(translate("SimulatorTab", "The alarm check failed."))
            self.ctx.messages.error(exc)

        self.ctx.runner.run(self.bot.check_alarms(), done, failed, key="simulator-alarms",
                            control=self.check_alarms_button)

    def on_alarm_message(self, item) -> None:
        """An alarm or schedule message the bot queued for WhatsApp, shown with its address."""
        when = local_text(datetime.now().astimezone(), with_date=False)
        if item.channel == "email":  # an alarm e-mail: the address as it is
            self.chat.add(Bubble(item.text, self.tr("bot → {to} (e-mail) · {time}").format(
                to=item.to, time=when), mine=False, color=ALARM))
            return
        if item.to.endswith("@g.us"):
            to = self.tr("WhatsApp group {id}").format(id=item.to.split("@")[0])
        else:
            to = "+" + item.to.split("@")[0]
        when = local_text(datetime.now().astimezone(), with_date=False)
        text = item.text
        self.chat.add(Bubble(text, self.tr("bot → {to} (WhatsApp) · {time}").format(
            to=to, time=when), mine=False, image_png=item.image_png, color=ALARM))

    def on_bot_simulator_reply(self, item) -> None:
        when = local_text(item.at, with_date=False)
        current = loopback_jid(self.sender.text().strip() or DEFAULT_SENDER)
        # A reply to someone other than the sender shown now (an earlier sender) says so.
        here = item.to == current or (item.to.endswith("@g.us") and self.group.isChecked())
        to = "" if here else f" → {item.to.split('@')[0]}"
        text = item.caption if item.image_png is not None else item.text
        self.chat.add(Bubble(text, self.tr("bot{to} · {time}").format(to=to, time=when),
                             mine=False, image_png=item.image_png))

