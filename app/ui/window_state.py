"""How the desktop was left: the main window's size and place, its last tab, the splitters and
column widths of each tab, and the last user name offered by the log-in.

Kept in `window-state.json` beside the database (one per workstation and data folder), written
whole through a temporary file when the window closes or a user logs in, readable by its owner
only. A file that is missing or cannot be read is the same as a first start: nothing in it is
needed to work, so a damaged one is set aside silently and written again.
"""

from __future__ import annotations

import base64
import json
import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtWidgets import QAbstractItemView, QApplication, QSplitter, QTabWidget, QWidget

log = logging.getLogger(__name__)

FILE_NAME = "window-state.json"
DEFAULT_SIZE = (1180, 720)  # the main window's size on a first start, when the screen has room


def _encode(data: QByteArray) -> str:
    return base64.b64encode(bytes(data)).decode("ascii")


def _decode(text: Any) -> QByteArray | None:
    if not isinstance(text, str):
        return None
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except ValueError:
        return None


class WindowState:
    """The saved state, read once; `save()` writes it back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {}
        try:
            loaded = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.info("The saved window state in %s cannot be read (%s); starting afresh",
                     path, exc)
            return
        if isinstance(loaded, dict):
            self.data = loaded

    @classmethod
    def beside(cls, db_path: Path) -> WindowState:
        return cls(db_path.with_name(FILE_NAME))

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self.data, out, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except OSError as exc:  # a read-only or full disk: the layout is not worth an error
            log.warning("The window's layout could not be saved to %s: %s", self.path, exc)

    # -- the log-in -----------------------------------------------------------------------------
    @property
    def last_user(self) -> str:
        value = self.data.get("last_user")
        return value if isinstance(value, str) else ""

    @last_user.setter
    def last_user(self, username: str) -> None:
        self.data["last_user"] = username

    # -- the main window ------------------------------------------------------------------------
    def restore_place(self, window: QWidget) -> None:
        """Size and place as they were (Qt keeps them on a screen that exists), else a size
        that fits the screen. Once the window is shown, when its frame is known."""
        geometry = _decode(self.data.get("geometry"))
        if geometry is None or not window.restoreGeometry(geometry):
            fit_to_screen(window, *DEFAULT_SIZE)

    def restore_layout(self, tabs: QTabWidget) -> None:
        """The last tab; each tab's splitters and column widths."""
        names = [tabs.widget(i).objectName() for i in range(tabs.count())]
        last = self.data.get("tab")
        if isinstance(last, str) and last in names:
            tabs.setCurrentIndex(names.index(last))
        layouts = self.data.get("layouts")
        if isinstance(layouts, dict):
            for key, widget in _layout_widgets(tabs):
                state = _decode(layouts.get(key))
                if state is not None:
                    widget.restoreState(state)

    def restore_page(self, name: str, page: QWidget) -> None:
        """One tab's splitters and column widths, once it is built (after the window)."""
        layouts = self.data.get("layouts")
        if isinstance(layouts, dict):
            for key, widget in _page_widgets(name, page):
                state = _decode(layouts.get(key))
                if state is not None:
                    widget.restoreState(state)

    def remember_window(self, window: QWidget, tabs: QTabWidget) -> None:
        self.data["geometry"] = _encode(window.saveGeometry())
        current = tabs.currentWidget()
        if current is not None and current.objectName():
            self.data["tab"] = current.objectName()
        # A tab never built this time keeps the layout it was left with.
        before = self.data.get("layouts")
        layouts = dict(before) if isinstance(before, dict) else {}
        layouts.update({key: _encode(widget.saveState())
                        for key, widget in _layout_widgets(tabs)})
        self.data["layouts"] = layouts


def _layout_widgets(tabs: QTabWidget) -> list[tuple[str, Any]]:
    """Each tab's splitters and table headers, keyed by the tab's name and their order in it
    (the tabs build them in the same order every time)."""
    found: list[tuple[str, Any]] = []
    for index in range(tabs.count()):
        page = tabs.widget(index)
        if page.objectName():
            found += _page_widgets(page.objectName(), page)
    return found


def _page_widgets(name: str, page: QWidget) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for n, splitter in enumerate(page.findChildren(QSplitter)):
        found.append((f"{name}/splitter/{n}", splitter))
    for n, view in enumerate(page.findChildren(QAbstractItemView)):
        header = getattr(view, "horizontalHeader", None)
        if header is not None:
            found.append((f"{name}/columns/{n}", header()))
    return found


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """`width` × `height`, or less where the screen's free area (without task bars) is
    smaller, centred on that area."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free: QRect = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    w = min(width, free.width() - frame.width())
    h = min(height, free.height() - frame.height())
    window.resize(w, h)
    window.move(free.x() + (free.width() - w - frame.width()) // 2,
                free.y() + (free.height() - h - frame.height()) // 2)
