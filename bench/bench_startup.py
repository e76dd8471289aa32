"""Cold start to the main window (goal: under 1.5 s), measured in a fresh process.

Prints: process start → login window shown, and login accepted → main window shown.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import time
    t0 = time.perf_counter()
    import asyncio, sys
    from types import SimpleNamespace
    from PySide6.QtWidgets import QApplication
    import qasync
    from app import bootstrap
    from app.services import auth
    from app.ui.application import AppController

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    env = bootstrap.prepare(sys.argv[1], None, "WARNING", console=False)
    opened = bootstrap.open_db(env)
    controller = AppController(env, opened)
    marks = {}

    async def drive():
        controller.start()
        while not controller.login_dialog.isVisible():
            await asyncio.sleep(0)
        marks["login_shown"] = time.perf_counter() - t0
        session = auth.login("bench", "bench-password")
        t1 = time.perf_counter()
        controller.on_authenticated(session)
        while not controller.window.isVisible():
            await asyncio.sleep(0)
        await asyncio.sleep(0)
        marks["main_after_login"] = time.perf_counter() - t1
        controller.window.close()

    with loop:
        loop.run_until_complete(drive())
        loop.run_until_complete(controller.shutdown())
    print(f"{marks['login_shown']:.3f} {marks['main_after_login']:.3f}")
    """
)


def main(runs: int = 5) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               PYTHONPATH=str(ROOT))
    with tempfile.TemporaryDirectory() as data:
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--data-dir", data, "user", "create",
             "--username", "bench", "--password-stdin"],
            input="bench-password\n", text=True, check=True, env=env, capture_output=True)
        login, main_window = [], []
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", CHILD, data], env=env, text=True,
                                 capture_output=True, check=True, cwd=ROOT).stdout.split()
            login.append(float(out[0]))
            main_window.append(float(out[1]))
    print(f"cold start to login window: median {sorted(login)[runs // 2]:.3f} s "
          f"(min {min(login):.3f}, max {max(login):.3f}, {runs} runs)")
    print(f"login accepted to main window shown: median {sorted(main_window)[runs // 2]:.3f} s")
    total = sorted(a + b for a, b in zip(login, main_window, strict=True))[runs // 2]
    print(f"start to main window without the typing: median {total:.3f} s (budget 1.5 s)")


if __name__ == "__main__":
    main()
