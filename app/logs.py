"""Rotating log files in the per-user log folder, and a console handler for commands."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class _NoTraceback(logging.Formatter):
    """The terminal gets one line per record; tracebacks go to the log file only."""

    def format(self, record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text
        record.exc_info, record.exc_text = None, None
        try:
            return super().format(record)
        finally:
            record.exc_info, record.exc_text = saved


def configure(log_dir: Path, level: str = "INFO", console: bool = False) -> Path | None:
    root = logging.getLogger()
    numeric = getattr(logging, level.upper(), None)
    if not isinstance(numeric, int):
        numeric = logging.INFO
    root.setLevel(numeric)
    for handler in list(root.handlers):
        if getattr(handler, "_wa_integration", False):
            root.removeHandler(handler)
            handler.close()
    log_file: Path | None = log_dir / "wa-integration.log"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        file_handler.setFormatter(logging.Formatter(FORMAT))
        file_handler._wa_integration = True  # type: ignore[attr-defined]
        root.addHandler(file_handler)
    except OSError:
        log_file = None  # a read-only profile must not stop the app; the console still logs
    if console:
        stream = logging.StreamHandler(sys.stderr)
        stream.setFormatter(_NoTraceback("%(levelname)s %(name)s: %(message)s"))
        stream.setLevel(max(numeric, logging.WARNING))
        stream._wa_integration = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    return log_file
