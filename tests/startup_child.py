"""Runs the app's own `main.py` in this process and reports which heavy libraries it loaded.

    python tests/startup_child.py desktop DATA_DIR PASSWORD
        The desktop app, unchanged but for a hook that notes when the login window is shown,
        logs in as "bench" with PASSWORD, notes when the main window is shown, then ends the
        process. Prints one line per window: `login|main <wall clock> <heavy modules as JSON>`.
    python tests/startup_child.py cancel DATA_DIR
        The desktop app, its login window closed (Cancel) the moment it shows, while the bots
        are still loading; the process ends with the app's own exit code.
    python tests/startup_child.py simulate DATA_DIR
        `main.py --data-dir DATA_DIR simulate demo`; then prints `loaded <heavy modules as JSON>`
        and `deferred <the DEFERRED modules it loaded, as JSON>`.

The hook patches the two windows' classes as their modules are first imported, wherever that
happens, and imports nothing of the app itself beforehand. Used by
tests/integration/test_startup_imports.py and bench/bench_startup.py.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = str(ROOT / "main.py")
# Libraries that take from 0.1 s to seconds to import and that neither the login window nor
# `simulate demo` needs: they load when first used (a SQL query, a chart, WhatsApp, PI).
HEAVY = ("sqlglot", "pymysql", "oracledb", "matplotlib", "neonize", "requests", "cryptography",
         "keyring", "numpy", "PIL", "phonenumbers")
# The app's own modules that `simulate demo` (a trigger answered as the operator) does not
# need: the bot and its outbox, the alarms and the alarm commands' services, the charts.
DEFERRED = ("app.runtime.bot", "app.runtime.outbox", "app.runtime.alarms.engine",
            "app.runtime.alarm_replies", "app.services.alarm_acks", "app.services.alarms",
            "app.services.recipients", "app.runtime.charts", "statistics")
WINDOWS = ("app.ui.dialogs.login", "app.ui.main_window")


def heavy_loaded() -> list[str]:
    return [name for name in HEAVY if name in sys.modules]


def _note(what: str) -> None:
    print(what, repr(time.time()), json.dumps(heavy_loaded()), flush=True)


def _on_first_show(what: str, then):
    def show_event(self, event) -> None:
        type(self).__mro__[1].showEvent(self, event)
        if not getattr(self, "_startup_child_seen", False):
            self._startup_child_seen = True
            _note(what)
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: then(self))
    return show_event


def _patch(module, password: str | None) -> None:
    def log_in(dialog) -> None:
        if password is None:
            dialog.reject()
            return
        from app.services import auth

        dialog.authenticated.emit(auth.login("bench", password))

    if module.__name__ == "app.ui.dialogs.login":
        module.LoginDialog.showEvent = _on_first_show("login", log_in)
    else:
        module.MainWindow.showEvent = _on_first_show("main", lambda _window: os._exit(0))


class _Hook(importlib.abc.MetaPathFinder):
    def __init__(self, password: str | None) -> None:
        self.password = password

    def find_spec(self, name, path=None, target=None):
        if name not in WINDOWS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run = spec.loader.exec_module

        def exec_module(module) -> None:
            run(module)
            _patch(module, self.password)

        spec.loader.exec_module = exec_module
        return spec


def main() -> None:
    mode, data_dir = sys.argv[1], sys.argv[2]
    sys.path[0] = str(ROOT)  # this checkout's app, as `python main.py` would find it
    if mode in ("desktop", "cancel"):
        sys.meta_path.insert(0, _Hook(sys.argv[3] if mode == "desktop" else None))
        sys.argv = [MAIN, "--data-dir", data_dir, "--log-level", "WARNING"]
    else:
        sys.argv = [MAIN, "--data-dir", data_dir, "simulate", "demo"]
    try:
        runpy.run_path(MAIN, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if mode == "simulate":
        print("loaded", json.dumps(heavy_loaded()), flush=True)
        print("deferred", json.dumps([name for name in DEFERRED if name in sys.modules]),
              flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
