"""No reply lost across crashes: the sending process is killed again and again mid-send.

A reply caught mid-send is sent again at the next start. WhatsApp's message id is chosen by the
bridge, not by the app, so the phone may show such a reply twice (when the kill fell after
WhatsApp took it and before the app recorded that); every such reply is marked on its row.
"""

from __future__ import annotations

import collections
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.services import messages
from app.services.outbox import MAY_REPEAT_TEXT

ROOT = Path(__file__).resolve().parents[2]
REPLIES = 300
KILLS = 10
SEND_S = 0.1  # how long the simulated WhatsApp takes to accept a message

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _arrivals(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line]


def _count(log: Path) -> int:
    return log.read_bytes().count(b"\n") if log.exists() else 0


def _child(data_dir: Path, log: Path, delay: float) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "tests.outbox_child", str(data_dir), str(log),
                             str(delay)], cwd=ROOT, env=env)


def test_300_replies_through_ten_kills_all_arrive_and_every_repeat_is_marked(
        db, data_dir, tmp_path, capsys):
    texts = [f"reply {n:03d}" for n in range(REPLIES)]
    for n, text in enumerate(texts):
        messages.enqueue(f"+6281100000{n % 7:02d}", text)
    db.db.close()
    log = tmp_path / "phones.log"
    started = time.monotonic()
    for kill in range(KILLS):
        target = _count(log) + 12 + kill  # a few new arrivals each time, then the kill
        child = _child(data_dir, log, SEND_S)
        deadline = time.monotonic() + 30
        while _count(log) < target:
            assert child.poll() is None, "the child stopped before it was killed"
            assert time.monotonic() < deadline, "the child sends nothing"
            time.sleep(0.002)
        if kill % 2:
            # Odd kills fall in the next send's wait (after the bookkeeping of the last one,
            # some 25 ms, more on a busy machine; the send then takes SEND_S): the phone has
            # not got it yet. Even kills fall right after an arrival, before the app has
            # recorded it as sent.
            time.sleep(SEND_S * 0.75)
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert _count(log) < REPLIES, "every kill must fall in the middle of sending"
    final = _child(data_dir, log, 0)
    assert final.wait(timeout=60) == 0
    elapsed = time.monotonic() - started

    shown = collections.Counter(item["text"] for item in _arrivals(log))
    arrived = sum(1 for text in texts if shown[text] >= 1)
    twice = sum(1 for text in texts if shown[text] >= 2)
    never = sum(1 for text in texts if shown[text] == 0)
    conn = sqlite3.connect(data_dir / "app.db")
    rows = {text: (status, interrupted, error, whatsapp_id) for text, status, interrupted, error,
            whatsapp_id in conn.execute("SELECT message, status, interrupted_sends, "
                                        "error_message, whatsapp_id FROM outgoing_messages")}
    conn.close()
    interrupted = sum(1 for row in rows.values() if row[1])
    with capsys.disabled():
        print(f"\n{REPLIES} replies, {KILLS} kills, {elapsed:.1f} s: arrived {arrived}, "
              f"twice {twice}, never {never}; {interrupted} sends were cut short and sent again")

    assert never == 0 and arrived == REPLIES
    assert {row[0] for row in rows.values()} == {"sent"}
    assert 1 <= interrupted <= KILLS  # one send at a time: a kill cuts short at most one
    assert max(shown.values()) <= 2
    assert twice >= 1, "some kill must fall after WhatsApp took a reply, before it was recorded"
    assert interrupted - twice >= 1, "some kill must fall before the phone got the reply"
    ids = collections.defaultdict(list)
    for item in _arrivals(log):
        ids[item["text"]].append(item["id"])
    for text in texts:
        status, cut_short, error, whatsapp_id = rows[text]
        # The id recorded is the one WhatsApp gave the send that was recorded: the last one.
        assert whatsapp_id == ids[text][-1]
        if shown[text] == 2:
            assert cut_short == 1 and error == MAY_REPEAT_TEXT, text  # a reader is told
        if not cut_short:
            assert shown[text] == 1 and error is None, text
