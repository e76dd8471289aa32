"""`simulate --sender … --json` shows what the simulated phone reported of each reply."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUDI = "+6281234567890"


def simulate(home: Path, *args: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "main.py", "--data-dir", str(home), "simulate", "--sender", BUDI,
         "--json", *args, "demo"], cwd=ROOT, capture_output=True, text=True,
        env=dict(os.environ), timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def home(tmp_path) -> Path:
    """A data folder where Budi is an approved contact, so `demo` answers with values (one per
    test: the same question twice in a row would be taken for spam)."""
    folder = tmp_path / "simulate"
    folder.mkdir()
    contacts = folder / "contacts.json"
    contacts.write_text(json.dumps({"version": 1, "contacts": [
        {"name": "Budi", "phone": BUDI, "allowed": True, "tags": ["ops"]}]}), "utf-8")
    done = subprocess.run([sys.executable, "main.py", "--data-dir", str(folder), "config",
                           "import", str(contacts)], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ), timeout=120)
    assert done.returncode == 0, done.stderr
    return folder


def test_a_phone_that_reads_shows_delivered_and_read(home):
    [reply] = simulate(home)  # the simulated phone reads by default
    assert "Boiler temperature" in reply["text"]
    got = reply["receipts"]
    assert got["sent_at"] and got["delivered_at"] and got["read_at"]
    assert got["sent_at"] <= got["delivered_at"] <= got["read_at"]
    assert got["text"].startswith("delivered ") and ", read " in got["text"]


def test_a_phone_that_only_receives_shows_delivered(home):
    [reply] = simulate(home, "--phone", "delivered")
    assert reply["receipts"]["delivered_at"] and reply["receipts"]["read_at"] is None


def test_a_phone_that_is_off_shows_sent_and_not_delivered(home):
    [reply] = simulate(home, "--phone", "never")
    got = reply["receipts"]
    assert got["sent_at"] and got["delivered_at"] is None and got["read_at"] is None
    assert got["text"].endswith("not delivered yet")
