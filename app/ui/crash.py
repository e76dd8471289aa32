"""Unexpected errors: logged with the traceback, shown once in a dialog, the app keeps running."""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox

from app.ui.language import translate

log = logging.getLogger(__name__)


class CrashHandler:
    def __init__(self, log_file: str | None) -> None:
        self._log_file = log_file
        self._dialog: QMessageBox | None = None

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        sys.excepthook = self.on_exception
        loop.set_exception_handler(self.on_loop_exception)

    def on_exception(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.critical("Unhandled error", exc_info=(exc_type, exc, tb))
        self._show("".join(traceback.format_exception(exc_type, exc, tb)))

    def on_loop_exception(self, loop, context: dict) -> None:
        exc = context.get("exception")
        if exc is None:
            log.error("Event loop: %s", context.get("message"))
            return
        self.on_exception(type(exc), exc, exc.__traceback__)

    def _show(self, details: str) -> None:
        if QApplication.instance() is None or self._dialog is not None:
            return
        where = " " + translate("CrashHandler", "The details are in {path}.").format(
            path=self._log_file) if self._log_file else ""
        box = QMessageBox(QMessageBox.Icon.Critical,
                          translate("CrashHandler", "WA-Integration — unexpected error"),
                          translate("CrashHandler", "Something went wrong inside the app. Your "
                                    "data is safe; the action you were doing may not have "
                                    "finished.") + where)
        box.setDetailedText(details)
        box.finished.connect(self._closed)
        self._dialog = box
        box.open()  # never exec(): it cannot run inside a coroutine

    def _closed(self, _result: int) -> None:
        self._dialog = None
