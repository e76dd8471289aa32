"""The Qt line of `--self-check`: the binding loads and a QApplication starts."""

from __future__ import annotations

import os


def qt_check() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import PySide6
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    return f"PySide6 {PySide6.__version__}, platform {app.platformName()}"
