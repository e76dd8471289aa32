"""Start-up loads only what it needs: the login window and `simulate demo` in a child process,
with the heavy libraries (SQL parser, database drivers, charts, WhatsApp, HTTP, keyring) checked
in the child's sys.modules. How long start-up takes is bench/bench_startup.py's business."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHILD = ROOT / "tests" / "startup_child.py"
PASSWORD = "Start-up-Pa55word"


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    # The secret store is chosen on first use; with the file store forced, a keyring that
    # loads early would go unnoticed.
    env.pop("WA_INTEGRATION_SECRETS", None)
    return env


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], input=stdin, text=True, capture_output=True,
                          env=_env(), cwd=ROOT, timeout=120)


@pytest.fixture
def data_with_a_user(tmp_path) -> str:
    data = str(tmp_path / "data")
    made = _run(str(ROOT / "main.py"), "--data-dir", data, "user", "create", "--username",
                "bench", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    return data


def test_the_login_window_shows_before_any_heavy_library_loads(data_with_a_user):
    done = _run(str(CHILD), "desktop", data_with_a_user, PASSWORD)
    marks = {line.split(" ", 2)[0]: json.loads(line.split(" ", 2)[2])
             for line in done.stdout.splitlines() if line.startswith(("login ", "main "))}
    assert "login" in marks, done.stderr[-3000:]
    assert marks["login"] == []
    # Logging in still opens the main window over the bots loaded meanwhile, and opening it
    # loads no SQL parser, driver or WhatsApp either: they load when first used. (matplotlib
    # may be loading in the background by then on a first start, for the charts' font list.)
    assert "main" in marks, done.stderr[-3000:]
    assert [name for name in marks["main"]
            if name in ("sqlglot", "pymysql", "oracledb", "neonize")] == []


def test_closing_the_login_window_while_the_bots_load_ends_the_app_cleanly(data_with_a_user):
    done = _run(str(CHILD), "cancel", data_with_a_user)
    assert done.stdout.startswith("login ")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    # The database was closed: the next start opens it as usual.
    assert _run(str(CHILD), "desktop", data_with_a_user, PASSWORD).stdout.count("main ") == 1


def test_simulate_demo_answers_without_loading_any_heavy_library(tmp_path):
    done = _run(str(CHILD), "simulate", str(tmp_path / "data"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "*Demo plant*" in done.stdout
    loaded = [json.loads(line.split(" ", 1)[1]) for line in done.stdout.splitlines()
              if line.startswith("loaded ")]
    assert loaded == [[]]
    # Nor the bot, its outbox, the alarms, the alarm commands' services or the charts: the
    # operator's question needs only the pipeline, and those load when first used.
    deferred = [json.loads(line.split(" ", 1)[1]) for line in done.stdout.splitlines()
                if line.startswith("deferred ")]
    assert deferred == [[]]


def test_an_alarm_command_still_answers_when_its_code_loads_on_first_use(tmp_path):
    done = _run(str(ROOT / "main.py"), "--data-dir", str(tmp_path / "data"), "simulate",
                "alarms", "demo")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "No alarms are active." in done.stdout
    assert "*Demo plant*" in done.stdout
    assert "Traceback" not in done.stderr
