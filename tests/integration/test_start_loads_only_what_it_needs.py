"""What a start loads of the app's own code, in child processes: `simulate demo` on a database
already at the latest version loads no migration code, the login window's module loads neither
the charts nor the summary of the move from the old system, and a database that needs an upgrade
is still upgraded. (tests/integration/test_startup_imports.py checks the heavy libraries; how
long a start takes is bench/bench_startup.py's business.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.db import migrations
from tests.helpers.databases import user_version
from tests.legacy_db import build_legacy_db

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")
# The migration ladder and the old system's trigger converter it alone uses at start.
MIGRATION_CODE = ("app.db.migrations", "app.core.legacy_triggers")
# Loaded with the bots while the login window is shown, not before it.
AFTER_LOGIN = ("app.runtime.charts", "app.services.migration_summary", "app.db.migrations")

# Runs main.py as `python main.py ARGS…` would, then prints which of WATCHED it loaded.
CHILD = """
import json, runpy, sys
main, watched, args = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
sys.path[0] = str(__import__("pathlib").Path(main).parent)
sys.argv = [main, *args]
try:
    runpy.run_path(main, run_name="__main__")
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("loaded", json.dumps([name for name in watched if name in sys.modules]), flush=True)
sys.exit(code)
"""


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))


def _main(watched: tuple[str, ...], *args: str) -> tuple[subprocess.CompletedProcess, list]:
    done = subprocess.run([sys.executable, "-c", CHILD, MAIN, json.dumps(watched), *args],
                          text=True, capture_output=True, env=_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("loaded ")]
    return done, json.loads(lines[-1].split(" ", 1)[1])


def test_simulate_demo_on_a_current_database_loads_no_migration_code(tmp_path):
    data = str(tmp_path / "data")
    first, loaded = _main(MIGRATION_CODE, "--data-dir", data, "simulate", "demo")
    assert "*Demo plant*" in first.stdout
    assert loaded == list(MIGRATION_CODE)  # a new database is made by the ladder
    assert user_version(tmp_path / "data" / "app.db") == migrations.LATEST

    again, loaded = _main(MIGRATION_CODE, "--data-dir", data, "simulate", "demo")
    assert loaded == []
    # The same answer as before: the demo plant's five tags, each with its value or error.
    assert again.stdout.split("\n", 1)[0] == "*Demo plant*"
    for label in ("Boiler temperature", "Drum pressure", "Feed tank level", "Feed pump",
                  "Steam flow"):
        assert f"• {label}: " in again.stdout
    assert again.stderr == ""


def test_a_database_of_an_older_version_is_still_upgraded_by_a_command(tmp_path):
    old = tmp_path / "old.db"
    build_legacy_db(old)
    done, loaded = _main(MIGRATION_CODE, "--data-dir", str(tmp_path / "data"), "--db",
                         str(old), "config", "export")
    assert loaded == list(MIGRATION_CODE)
    assert user_version(old) == migrations.LATEST
    assert json.loads(done.stdout.split("\nloaded ", 1)[0])["version"] == 1


def test_the_login_windows_module_loads_neither_the_charts_nor_the_move_summary():
    done = subprocess.run(
        [sys.executable, "-c",
         "import json, sys; import app.cli, app.bootstrap, app.ui.application; "
         f"print(json.dumps([n for n in {list(AFTER_LOGIN)!r} if n in sys.modules]))"],
        text=True, capture_output=True, env=_env(), cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout) == []


def test_a_command_closes_every_connection_it_opened_before_the_process_ends(tmp_path):
    """Collecting is off while a command starts: what the bot opens afterwards (a connection
    on each worker thread) is still collected and closed when the process ends, so SQLite's
    write-ahead log is folded back into app.db and its two side files are gone."""
    data = tmp_path / "data"
    for args in (("simulate", "demo"), ("simulate", "--sender", "+6281234567", "demo")):
        done, _ = _main((), "--data-dir", str(data), *args)
        assert done.stdout.strip(), done.stderr[-3000:]
        assert sorted(p.name for p in data.glob("app.db*")) == ["app.db"]
