"""`source test NAME --send-to ADDRESS` as people run it (a child process): the e-mail
connection is tested, then a test message really arrives at the local mail server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.smtp_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Sandi-Surel-2026"


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "main.py", "--data-dir", str(home), *args], cwd=ROOT,
                          capture_output=True, text=True, env=dict(os.environ), timeout=60)


def test_a_test_message_is_sent_after_the_connection_test(tmp_path):
    home = tmp_path / "wa-data"
    with SmtpServer(users={"wa-bot": PASSWORD}) as server:
        config = tmp_path / "mail.json"
        config.write_text(json.dumps({"version": 1, "data_sources": [
            {"name": "Plant mail", "plugin": "email",
             "config": server.config(username="wa-bot"), "secrets": {"password": PASSWORD}}]}),
            "utf-8")
        imported = _cli(home, "config", "import", str(config))
        assert imported.returncode == 0, imported.stderr

        sent = _cli(home, "source", "test", "Plant mail", "--send-to", "sari@plant.example.com")
        bad = _cli(home, "source", "test", "Plant mail", "--send-to", "sari@plant")
        demo = _cli(home, "source", "test", "demo", "--send-to", "sari@plant.example.com")

    assert sent.returncode == 0, sent.stderr
    lines = sent.stdout.splitlines()
    assert lines[0].startswith("Plant mail: Connected, signed in as wa-bot in ")
    assert lines[1].startswith("Plant mail: test message sent to sari@plant.example.com (<")
    (got,) = server.received
    assert got.rcpt_tos == ["sari@plant.example.com"]
    assert got.message["Subject"] == "WA-Integration: test message from Plant mail"
    assert got.message["Message-ID"] in lines[1]

    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines()[-1] == (
        "Error: The e-mail was not sent: 'sari@plant' is not an e-mail address: the domain "
        "after the @ must be like plant.example.com (letters, digits and hyphens between dots).")
    assert demo.returncode == 1
    assert "demo is not an e-mail connection" in demo.stderr
    for result in (imported, sent, bad, demo):
        assert PASSWORD not in result.stdout + result.stderr
