"""The Qt binding itself: a long-running window must not wear out Python's None."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_the_reference_count_of_none(qapp):
    # PySide6 6.12.0 loses one reference to None per call of a method returning nothing; after
    # some hours of a Dashboard refreshing labels, CPython 3.11 aborts ("deallocating None").
    label, obj = QLabel(), QObject()
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("41.7 bar")
        obj.setObjectName("x")
    assert sys.getrefcount(None) - before > -50
