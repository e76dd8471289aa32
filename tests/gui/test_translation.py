"""The windows in Bahasa Indonesia: no English left in the main window's tabs and the common
dialogs, the catalogues current, the first start asking for the language, and a database
from the old system opening in Indonesian."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QCoreApplication, QModelIndex, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTableView,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from app import APP_NAME
from app.core import schedule_expr
from app.services import ai_prefixes, settings, sources
from app.services import triggers as trigger_service
from app.ui import language
from app.ui.dialogs.ai_prefix_dialog import AiPrefixDialog
from app.ui.dialogs.alarm_dialog import AlarmDialog
from app.ui.dialogs.group_dialog import GroupDialog
from app.ui.dialogs.login import LoginDialog
from app.ui.dialogs.migration_summary import MigrationSummaryDialog
from app.ui.dialogs.preset_dialog import PresetDialog
from app.ui.dialogs.schedule_dialog import ScheduleDialog
from app.ui.dialogs.source_dialog import SourceDialog
from app.ui.dialogs.trigger_dialog import TriggerDialog
from app.ui.dialogs.user_dialog import PasswordDialog, UserDialog
from app.ui.main_window import MainWindow
from app.ui.runner import AsyncRunner
from app.ui.window_state import WindowState
from tests.helpers.waiting import until

qasync = pytest.mark.asyncio(loop_factories=["qasync"])

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app" / "ui" / "translations" / "wa_integration_id.ts"
# Tabs and widgets left out of the check (none: every tab and widget is wrapped).
NOT_YET_WRAPPED: set[str] = set()
NOT_YET_WRAPPED_KINDS: tuple[str, ...] = ()


class MissRecorder(QTranslator):
    """Asked last, after the app's translator: whatever reaches it had no translation."""

    def __init__(self) -> None:
        super().__init__()
        self.misses: set[tuple[str, str]] = set()

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D401 - Qt's name
        self.misses.add((context, source))
        return None


def catalogue() -> tuple[set[str], set[str]]:
    """The contexts of the Indonesian catalogue, and the words it keeps the same on purpose
    (a product name, a unit, a word both languages share)."""
    root = ElementTree.parse(CATALOGUE).getroot()
    contexts = {c.findtext("name") for c in root.iter("context")}
    same = {m.findtext("source") for m in root.iter("message")
            if m.findtext("translation") == m.findtext("source")}
    return contexts, same


def texts_of(top: QWidget, skip: set[str] = frozenset()) -> list[str]:
    """Every text a person can read in `top`: titles, labels, buttons, group boxes, check
    boxes, placeholders, combo box items, tab titles, column headers, menus and tooltips."""
    found: list[str] = [top.windowTitle()]
    skipped = [w for w in top.findChildren(QWidget) if w.objectName() in skip
               or type(w).__name__ in NOT_YET_WRAPPED_KINDS]

    def inside_skipped(widget: QWidget) -> bool:
        return any(s is widget or s.isAncestorOf(widget) for s in skipped)

    for widget in [top, *top.findChildren(QWidget)]:
        if inside_skipped(widget):
            continue
        found.append(widget.toolTip())
        if isinstance(widget, QLabel):
            found.append(widget.text())
        elif isinstance(widget, QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QGroupBox):
            found.append(widget.title())
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            found.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            found += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QTabWidget):
            found += [widget.tabText(i) for i in range(widget.count())
                      if widget.widget(i).objectName() not in skip]
        if isinstance(widget, QTableWidget):
            found += [widget.horizontalHeaderItem(i).text()
                      for i in range(widget.columnCount()) if widget.horizontalHeaderItem(i)]
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            found += [str(model.headerData(i, _horizontal()) or "")
                      for i in range(model.columnCount(QModelIndex()))]
        if isinstance(widget, QMainWindow):
            for menu_action in widget.menuBar().actions():
                found.append(menu_action.text())
                if menu_action.menu() is not None:
                    found += [a.text() for a in menu_action.menu().actions()]
    return found


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def readable(text: str) -> str:
    """The words of a text: HTML tags and the & of a shortcut taken out."""
    text = re.sub(r"<[^>]+>", " ", text).replace("&", "")
    return re.sub(r"\s+", " ", text).strip()


def windows(ctx, db_path) -> dict[str, QWidget]:
    """The main window and the common dialogs, each new and (where there is one) editing."""
    demo = next(s for s in sources.list_sources() if s["plugin"] == "demo")
    trigger = trigger_service.get_trigger(
        next(t["id"] for t in trigger_service.list_triggers() if t["name"] == "demo"))
    built = {
        "main window": MainWindow(ctx, db_path, state=WindowState.beside(db_path)),
        "new trigger": TriggerDialog(ctx),
        "edit trigger": TriggerDialog(ctx, trigger),
        "group": GroupDialog(ctx),
        "alarm": AlarmDialog(ctx),
        "schedule": ScheduleDialog(ctx),
        "new connection": SourceDialog(ctx=ctx),
        "edit connection": SourceDialog(sources.get_source(demo["id"]), ctx=ctx),
        "user": UserDialog(),
        "password": PasswordDialog("admin"),
        "preset": PresetDialog(ctx),
        "AI prefix": AiPrefixDialog(ctx),
        "move from the old system": MigrationSummaryDialog(ctx),
        "first start": LoginDialog(AsyncRunner(), first_run=True),
        "log-in": LoginDialog(AsyncRunner(), first_run=False),
    }
    for pi_kind in ("pi", "mysql", "oracle", "ai", "email"):  # every kind's fields
        form = SourceDialog(ctx=ctx)
        form.kind.setCurrentIndex(form.kind.findData(pi_kind))
        built[f"{pi_kind} connection"] = form
    return built


def collected(ctx, db_path, qtbot) -> dict[str, list[str]]:
    result = {}
    for name, widget in windows(ctx, db_path).items():
        qtbot.addWidget(widget)
        widget.show()
        QApplication.processEvents()
        result[name] = [readable(t) for t in texts_of(widget, NOT_YET_WRAPPED) if t]
        widget.close()
    return result


def data_words() -> set[str]:
    """What the test database holds (names people gave) and the names that are the same in
    every language (the app's, the languages' own, the old system's default AI name)."""
    words = {t["name"] for t in trigger_service.list_triggers()}
    words |= {s["name"] for s in sources.list_sources()}
    return words | {"admin", "app.db", APP_NAME, ai_prefixes.DEFAULT_NAME,
                    *language.LANGUAGES.values()}


def is_data(text: str, data: set[str]) -> bool:
    """Numbers, names, addresses, paths, SQL and schedule expressions: not words to translate."""
    for word in sorted(data, key=len, reverse=True):
        text = text.replace(word, " ")
    text = re.sub(r"/\S+|[\w.\-]+@[\w.\-]+", " ", text)  # paths and addresses
    if text.strip().startswith("SELECT ") or text.strip() in schedule_expr.EXAMPLES:
        return True
    return not re.search(r"[A-Za-z]{3,}", text)


@qasync
async def test_indonesian_leaves_no_english_in_the_windows(ui_ctx, db, qtbot):
    english = collected(ui_ctx, db.path, qtbot)
    recorder = MissRecorder()
    app = QCoreApplication.instance()
    app.removeTranslator(language._installed[0])
    app.installTranslator(recorder)  # asked after the catalogue installed next
    try:
        assert language.install("id") == "id"
        indonesian = collected(ui_ctx, db.path, qtbot)
    finally:
        app.removeTranslator(recorder)
        language.install("en")

    contexts, same = catalogue()
    data = data_words()
    left: dict[str, list[str]] = {}
    for name, texts in indonesian.items():
        still_english = set(texts) & set(english[name])
        same_words = {readable(s) for s in same}
        left_here = sorted(t for t in still_english
                           if not is_data(t, data) and t not in same_words
                           and t.removesuffix(" *") not in same_words)
        if left_here:
            left[name] = left_here
    assert not left, f"English left in Bahasa Indonesia: {left}"
    # Every string of ours these windows asked for found its translation (a word kept the
    # same is looked up again in the base classes' contexts: not a miss).
    shown = {t for texts in english.values() for t in texts}
    missed = sorted((c, s) for c, s in recorder.misses
                    if c in contexts and s not in same and readable(s) in shown
                    and re.search("[A-Za-z]", s))
    assert not missed, f"asked for but not in the catalogue: {missed}"
    # And the windows really changed language (not a test that passes on nothing).
    main = indonesian["main window"]
    assert {"Pemicu", "Pengaturan", "Jadwal", "Koneksi"} <= set(main)
    assert "Simpan" in indonesian["alarm"] and "Batal" in indonesian["alarm"]


def test_catalogues_are_complete_and_compiled():
    """A string wrapped without its translation, or a catalogue not compiled, fails here."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "translations.py"),
                             "--check"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@qasync
async def test_first_start_offers_the_computers_language_and_keeps_the_choice(db, qtbot):
    dialog = LoginDialog(AsyncRunner(), first_run=True)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == language.current() == "en"
    try:
        dialog.language.setCurrentIndex(dialog.language.findData("id"))
        # The language change reaches the open dialog.
        await until(lambda: dialog.ok_button.text() == "Buat dan masuk", what="Indonesian")
        assert dialog.form.password_label.text() == "Kata sandi"
        dialog.form.username.setText("budi")
        dialog.form.full_name.setText("Budi Santoso")
        dialog.form.password.setText("shift-b-2025")
        dialog.form.confirm.setText("shift-b-2025")
        sessions = []
        dialog.authenticated.connect(sessions.append)
        dialog.submit()
        await until(lambda: sessions, timeout=30, what="the administrator")
        assert settings.window_language() == "id"
        # The next start reads it back: the log-in opens in Indonesian.
        assert LoginDialog.apply_window_language(first_run=False) == "id"
    finally:
        language.install("en")


def test_a_plant_moved_from_the_old_system_opens_in_indonesian(tmp_path):
    from app.db.database import close_database, open_database
    from tests.legacy_db import build_legacy_db

    path = tmp_path / "old" / "app.db"
    path.parent.mkdir()
    build_legacy_db(path)
    opened = open_database(path, tmp_path / "backups")
    try:
        assert opened.kind == "legacy"
        assert settings.window_language() == "id"  # nobody chose: the bot's language
        assert LoginDialog.apply_window_language(first_run=False,
                                                 moved_from_old_system=True) == "id"
        assert QCoreApplication.translate("MainWindow", "Triggers") == "Pemicu"
    finally:
        language.install("en")
        close_database(opened.db)


def test_the_computers_language_is_the_first_choice(monkeypatch):
    from PySide6.QtCore import QLocale

    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("id_ID")))
    assert language.system_language() == "id"
    monkeypatch.setattr(QLocale, "system", staticmethod(lambda: QLocale("de_DE")))
    assert language.system_language() == "en"  # no German catalogue: English
