"""The command line as people run it: `python main.py ...` in a child process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from tests.helpers.privileges import without_file_override
from tests.legacy_db import build_legacy_db, dump_rows

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Pi-Svc-Pa55!word"
CONFIG = {
    "version": 1,
    "data_sources": [{"name": "PI Plant", "plugin": "pi",
                      "config": {"api": "piwebapi", "base_url": "https://pi.plant/piwebapi",
                                 "auth": "basic", "username": "svc"},
                      "secrets": {"password": PASSWORD}}],
    "triggers": [{"name": "drum", "type": "pi", "data_source": "PI Plant",
                  "config": {"tags": ["DRUM.PRESS"], "mode": "current"}},
                 {"name": "kontak", "type": "text", "config": {"text": "ext. 1234"}}],
    "trigger_groups": [{"name": "boiler", "members": ["drum", "kontak"]}],
}


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)  # keeps WA_INTEGRATION_SECRETS=file from conftest
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "wa-data"


@pytest.fixture
def cli(home):
    def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
            data_dir: bool = True) -> subprocess.CompletedProcess:
        prefix = ["--data-dir", str(home)] if data_dir else []
        return subprocess.run(
            [sys.executable, "main.py", *prefix, *args], cwd=ROOT, input=stdin,
            capture_output=True, text=True, env=env or _env(), timeout=60,
        )

    return run


def _one_line_error(result: subprocess.CompletedProcess, *phrases: str) -> str:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for phrase in phrases:
        assert phrase in lines[0]
    return lines[0]


def _write(path: Path, data) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, "utf-8")
    return path


def test_version(cli):
    result = cli("--version", data_dir=False)
    assert result.returncode == 0
    assert result.stdout.strip() == f"WA-Integration {__version__}"


def test_export_of_a_fresh_database(cli, home, tmp_path):
    result = cli("config", "export")
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert exported["version"] == 1
    assert (home / "app.db").exists()

    target = tmp_path / "out.json"
    result = cli("config", "export", "--output", str(target))
    assert result.returncode == 0
    assert f"Configuration written to {target}." in result.stderr
    assert json.loads(target.read_text()) == exported


def test_import_reports_what_changed_and_a_second_import_nothing(cli, home, tmp_path):
    path = _write(tmp_path / "config.json", CONFIG)
    first = cli("config", "import", str(path))
    assert first.returncode == 0, first.stderr
    assert "data_sources: 1 created (PI Plant)" in first.stdout
    assert "triggers: 2 created (drum, kontak)" in first.stdout
    assert "trigger_groups: 1 created (boiler)" in first.stdout

    second = cli("config", "import", str(path))
    assert second.returncode == 0
    assert second.stdout.startswith("Nothing changed")
    assert "4 entries unchanged" in second.stdout

    export = cli("config", "export")
    exported = json.loads(export.stdout)
    assert [t["name"] for t in exported["triggers"]] == ["demo", "demotrend", "drum", "kontak"]
    assert exported["trigger_groups"][0]["members"] == ["drum", "kontak"]
    # The password went to the secret store: not in the export, the database or the logs.
    assert PASSWORD not in export.stdout
    for file in home.rglob("*"):
        if file.is_file() and file.name not in ("secrets.json", "secrets.key"):
            assert PASSWORD.encode() not in file.read_bytes(), file
    assert (home / "logs" / "wa-integration.log").exists()


def test_bad_json_exits_1_with_one_sentence_and_imports_nothing(cli, tmp_path):
    path = _write(tmp_path / "config.json", '{"version": 1, "triggers": [\n')
    _one_line_error(cli("config", "import", str(path)), "is not valid JSON", "line 2",
                    "Nothing was imported")
    assert _trigger_names(cli) == ["demo", "demotrend"]  # the demo of every new database


def test_invalid_entries_are_each_named(cli, tmp_path):
    bad = json.loads(json.dumps(CONFIG))
    bad["triggers"].append({"name": "suhu", "type": "pi", "data_source": "Nowhere",
                            "config": {"tags": ["T"]}})
    bad["data_sources"].append({"name": "Oracle LIMS", "plugin": "oracel"})
    result = cli("config", "import", str(_write(tmp_path / "config.json", bad)))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Nothing was imported" in result.stderr
    assert "triggers[3] 'suhu'" in result.stderr
    assert "data_sources[2] 'Oracle LIMS'" in result.stderr
    assert _source_names(cli) == ["demo"]  # only the demo every new database starts with


def _trigger_names(cli) -> list[str]:
    return [t["name"] for t in json.loads(cli("config", "export").stdout)["triggers"]]


def _source_names(cli) -> list[str]:
    return [s["name"] for s in json.loads(cli("config", "export").stdout)["data_sources"]]


def test_a_missing_file_exits_1(cli, tmp_path):
    _one_line_error(cli("config", "import", str(tmp_path / "nope.json")), "does not exist")


def test_a_damaged_secret_store_is_a_sentence_not_a_crash(cli, home, tmp_path):
    home.mkdir()
    (home / "secrets.json").write_text("{damaged")
    path = _write(tmp_path / "config.json", CONFIG)
    _one_line_error(cli("config", "import", str(path)), "secrets.json is damaged")
    assert _source_names(cli) == ["demo"]  # only the demo every new database starts with


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return dump_rows(conn)
    finally:
        conn.close()


def _users(home: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(home / "app.db")
    try:
        return conn.execute("SELECT username, role, password_hash FROM users").fetchall()
    finally:
        conn.close()


def test_user_create_reads_the_password_from_stdin(cli, home):
    result = cli("user", "create", "--username", "budi", "--role", "user", "--full-name", "Budi",
                 "--password-stdin", stdin="budi-pass-1\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "User budi created with role user."
    ((username, role, password_hash),) = _users(home)
    assert (username, role) == ("budi", "user")
    assert password_hash.startswith("$2b$12$")

    again = cli("user", "create", "--username", "budi", "--password-stdin",
                stdin="other-pass-2\n")
    _one_line_error(again, "A user named budi already exists")
    assert _users(home) == [(username, role, password_hash)]


def test_user_create_refuses_an_empty_password(cli, home):
    _one_line_error(cli("user", "create", "--username", "budi", "--password-stdin", stdin="\n"),
                    "The password is empty")
    assert _users(home) == []


@pytest.mark.parametrize("args", [
    ["user", "create", "--password-stdin"],  # --username missing
    ["user", "create", "--username", "budi", "--role", "operator"],
    ["config"],
    ["frobnicate"],
    ["--log-level", "LOUD", "config", "export"],
])
def test_argument_errors_exit_2_with_usage(cli, home, args):
    result = cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not home.exists()  # nothing was opened or created


def test_without_a_display_the_window_is_not_attempted(cli):
    env = _env(DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    line = _one_line_error(cli(env=env), "No display is available")
    assert "serve" in line and "simulate" in line


def test_an_old_database_given_with_db_is_backed_up_and_exported(cli, home, tmp_path):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    result = cli("--db", str(old), "config", "export")
    assert result.returncode == 0, result.stderr
    assert "Backed up the database to" in result.stderr
    assert len(list(old.parent.glob("app-backup-*-v0.db"))) == 1
    exported = json.loads(result.stdout)
    assert "Tekanan Drum" in [t["name"] for t in exported["triggers"]]
    for plain_secret in ("S3cret!", "Orcl#2024", "sk-legacy-123"):
        assert plain_secret not in result.stdout

    rows = _dump(old)
    again = cli("--db", str(old), "config", "export")
    assert again.returncode == 0
    assert again.stdout == result.stdout
    assert "Backed up" not in again.stderr
    assert len(list(old.parent.glob("app-backup-*-v0.db"))) == 1
    assert _dump(old) == rows


def test_a_db_that_is_not_sqlite_exits_1(cli, tmp_path):
    path = _write(tmp_path / "app.db", CONFIG)
    content = path.read_bytes()
    _one_line_error(cli("--db", str(path), "config", "export"), "is not an SQLite database")
    assert path.read_bytes() == content


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_old_database_is_refused_and_left_alone(home, tmp_path, what):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    before = _dump(old)
    target = old if what == "file" else old.parent
    target.chmod(0o444 if what == "file" else 0o555)
    try:
        result = subprocess.run(
            [*without_file_override(), sys.executable, "main.py", "--data-dir", str(home),
             "--db", str(old), "config", "export"],
            cwd=ROOT, capture_output=True, text=True, env=_env(), timeout=60)
    finally:
        target.chmod(0o644 if what == "file" else 0o755)
    _one_line_error(result, "read-only")
    assert _dump(old) == before
    assert list(old.parent.glob("*backup*")) == []


def test_a_new_database_has_a_demo_source_that_tests_connected(cli):
    result = cli("source", "test", "demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("demo: Connected in ")
    assert "demo historian" in result.stdout


def test_testing_an_unknown_source_names_the_known_ones(cli):
    _one_line_error(cli("source", "test", "PI Plant"), "no data source called 'PI Plant'",
                    "known: demo")


def test_an_old_database_gets_no_demo_source(cli, tmp_path):
    old = tmp_path / "old" / "app.db"
    old.parent.mkdir()
    build_legacy_db(old)
    assert "demo" not in _source_names_of(cli, "--db", str(old))


def _source_names_of(cli, *args: str) -> list[str]:
    result = cli(*args, "config", "export")
    return [s["name"] for s in json.loads(result.stdout)["data_sources"]]


def test_self_check_reports_each_part_and_exits_0(cli):
    result = cli("--self-check", data_dir=False)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "All checks passed."
    checked = [line.split(":")[0] for line in lines[1:-1]]
    assert all(line.startswith("ok") for line in checked)
    assert any("WhatsApp" in line for line in checked) and any("Charts" in c for c in checked)


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    # `simulate demo demotrend | head -1`: the pipe closes after the first line.
    process = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(tmp_path), "simulate", "help", "demo",
         "demotrend"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()
    _out, err = process.communicate(timeout=120)
    assert first.startswith(b"*")
    assert process.returncode == 0
    assert b"Error" not in err and b"Traceback" not in err
