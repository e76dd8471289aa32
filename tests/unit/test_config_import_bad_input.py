"""`python main.py config import FILE` with files that are valid JSON but cannot be stored:
nested too deeply, a lone surrogate escape, a NUL inside a name. Each is refused with a sentence
naming the entry, exit code 1, and the database is left as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from app.services import config_check, config_io

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"name": "kontak", "type": "text", "config": {"text": "ext. 1234"}}


@pytest.fixture
def home(tmp_path) -> Path:
    return tmp_path / "wa-data"


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)  # keeps WA_INTEGRATION_SECRETS=file from conftest
    return subprocess.run([sys.executable, "main.py", "--data-dir", str(home), *args],
                          cwd=ROOT, capture_output=True, text=True, env=env, timeout=60)


def _dump(home: Path) -> dict[str, list]:
    with closing(sqlite3.connect(home / "app.db")) as conn:
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall()
                for t in ("triggers", "data_sources", "system_settings", "contacts")}


def _refused(home: Path, file: Path) -> list[str]:
    """The import of `file` fails plainly and changes nothing; returns the lines of stderr."""
    assert _cli(home, "config", "export").returncode == 0  # the database exists
    before = _dump(home)
    result = _cli(home, "config", "import", str(file))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Unexpected error" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Error: ")
    assert result.stdout == ""
    assert _dump(home) == before
    return lines


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.json"
    path.write_text(text, "utf-8")
    return path


def test_a_file_nested_thousands_deep_is_refused_in_one_sentence(home, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    text = ('{"version": 1,\n "triggers": [{"name": "t", "type": "text", "config": {"x": '
            + deep + '}}]}')
    lines = _refused(home, _file(tmp_path, text))
    assert len(lines) == 1
    assert "is nested too deeply to be a configuration file" in lines[0]
    assert "line 2" in lines[0]
    assert "Nothing was imported" in lines[0]


def test_a_file_nested_hundreds_deep_names_the_entry(home, tmp_path):
    deep = "[" * 500 + "]" * 500
    text = (json.dumps({"version": 1, "triggers": [GOOD]})[:-2]
            + ', {"name": "deep", "type": "text", "config": {"text": "x", "x": ' + deep + '}}]}')
    lines = _refused(home, _file(tmp_path, text))
    assert lines[0] == "Error: Nothing was imported: 1 entry is invalid."
    assert lines[1:] == ["  - triggers[2] 'deep': config.x[…] is nested too deeply: more than "
                         "32 levels of brackets inside brackets."]


def test_a_lone_surrogate_escape_is_refused_naming_each_entry(home, tmp_path):
    text = ('{"version": 1, "triggers": ['
            '{"name": "Tekanan \\ud800", "type": "text", "config": {"text": "x"}},'
            '{"name": "kontak", "type": "text", "config": {"text": "ext. \\udfff"}}]}')
    lines = _refused(home, _file(tmp_path, text))
    assert lines[0] == "Error: Nothing was imported: 2 entries are invalid."
    assert "triggers[1] 'Tekanan \ufffd': name holds an invalid character: a lone surrogate" \
        in lines[1]
    assert "triggers[2] 'kontak': config.text holds an invalid character" in lines[2]


def test_a_nul_inside_a_name_is_refused_naming_the_entry(home, tmp_path):
    text = json.dumps({"version": 1, "triggers": [
        GOOD, {"name": "Tekanan\u0000Drum", "type": "text", "config": {"text": "x"}}],
        "contacts": [{"name": "Budi\u0000", "phone": "+6281234567890"}]})
    lines = _refused(home, _file(tmp_path, text))
    assert lines[0] == "Error: Nothing was imported: 2 entries are invalid."
    assert lines[1] == ("  - triggers[2] 'Tekanan\u2400Drum': name holds a NUL character "
                        "(\\u0000), which no name or text may hold.")
    assert lines[2].startswith("  - contacts[1] 'Budi\u2400': name holds a NUL character")


def test_every_other_problem_is_still_named_beside_the_bad_characters(db, admin):
    data = {"version": 1, "triggers": [
        {"name": "a\u0000", "type": "text", "config": {"text": "x"}},
        {"name": "b", "type": "nope", "config": {}}],
        "settings": {"general": {"language\ud800": "en"}}}
    problems = config_check.validate(data)
    assert problems[0].startswith("triggers[1] 'a\u2400': name holds a NUL character")
    assert problems[1].startswith("the key 'language\ufffd' of settings.general holds an "
                                  "invalid character")
    assert any(p.startswith("triggers[2] 'b': type must be one of") for p in problems)
    with pytest.raises(config_io.ValidationError):
        config_io.import_config(admin, data)


def test_an_export_is_far_from_the_depth_limit(db, admin):
    def depth(value, level=1):
        if isinstance(value, dict):
            return max([depth(v, level + 1) for v in value.values()] or [level])
        if isinstance(value, list):
            return max([depth(v, level + 1) for v in value] or [level])
        return level

    assert depth(config_io.export_config()) < config_check.MAX_DEPTH // 2
