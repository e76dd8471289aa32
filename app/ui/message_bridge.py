"""How non-GUI code and background tasks reach the user: logged, queued until a window listens."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.errors import describe

log = logging.getLogger(__name__)


class MessageBridge(QObject):
    shown = Signal(str, str)  # level ("info", "warning", "error"), sentence

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[tuple[str, str]] = []
        self._listening = False

    def listen(self, slot) -> None:
        self.shown.connect(slot)
        self._listening = True
        for level, text in self._pending:
            self.shown.emit(level, text)
        self._pending.clear()

    def _send(self, level: str, text: str) -> None:
        if self._listening:
            self.shown.emit(level, text)
        else:
            self._pending.append((level, text))

    def info(self, text: str) -> None:
        log.info("%s", text)
        self._send("info", text)

    def warning(self, text: str) -> None:
        log.warning("%s", text)
        self._send("warning", text)

    def error(self, exc_or_text: BaseException | str) -> None:
        if isinstance(exc_or_text, BaseException):
            text = describe(exc_or_text)
            log.error("%s", text, exc_info=exc_or_text)
        else:
            text = exc_or_text
            log.error("%s", text)
        self._send("error", text)


bridge = MessageBridge()
