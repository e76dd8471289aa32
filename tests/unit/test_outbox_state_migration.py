"""Migration 8 reads the state of old outbox rows out of their text once: channel, kind, the
alarms a message names, late, merged, sent again, cancelled. Afterwards the columns say it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.db.database import close_database, open_database
from app.db.models import OutgoingMessage
from app.services import outbox

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "databases"
GROUP = "120363111111111111@g.us"
PERSON = "6281234567890@s.whatsapp.net"
STAMP = "2026-03-01 10:10:00"

RAISED_3 = "🟠 #3 Drum pressure HIGH 46 bar > 45 since 10:00 — reply *ack 3*"
RAISED_5 = "🔴 #5 Boiler #1 drum level HIGH 91 % > 90 since 10:02 — reply *ack 5*"
SUMMARY = ("*While the bot was offline* (10:00–10:10)\n"
           "10:00 🟠 #3 Drum pressure HIGH 46 bar > 45 since 10:00\n"
           "10:05 ✅ #3 Drum pressure cleared (44 bar)\n"
           "🟠 #4 Drum level: now 85 % — *ack 4*")
COMBINED = ("🔔 *2 alarm messages*\n"
            "🟠 #6 Feed pump HIGH 3 bar > 2 since 09:00 — reply *ack 6*\n"
            "⏫ not acknowledged for 15 min\n"
            "✅ #7 Steam flow cleared (12 t/h)")

# (id, recipient, message, type, status, error_message, whatsapp_id), as version 7 wrote them.
OLD_ROWS = [
    (101, PERSON, "Drum pressure is 44 bar", "simulator:reply", "sent", None, None),
    (102, GROUP, RAISED_3, "alarm", "failed", "merged into the offline summary (#103)", None),
    (103, GROUP, SUMMARY, "alarm", "pending", None, None),
    (104, GROUP, RAISED_5, "alarm", "failed",
     "WhatsApp refused it. — sent again after reconnecting", None),
    (105, PERSON, "🟢 #9 Other chat's alarm — reply *ack 9*", "alarm", "pending", None, None),
    (106, GROUP, RAISED_5 + " (sent late: the bot was offline)", "alarm", "pending", None,
     None),
    (107, GROUP, RAISED_3, "alarm", "failed",
     "WhatsApp refused it. — not sent again: the alarm cleared meanwhile", None),
    (108, PERSON, "Please check panel 3", "manual", "failed", "cancelled by budi: wrong number",
     None),
    (109, GROUP, COMBINED, "alarm", "sent", None, "3EB0AAAA"),
    (110, GROUP, RAISED_3 + " (terkirim terlambat: bot sedang offline)", "simulator:alarm",
     "pending", None, None),
    (111, PERSON, "👍 #3 Drum pressure acknowledged by Budi", "simulator:alarm_ack", "sent",
     None, "LOOP1"),
    (112, PERSON, "Shift report", "schedule", "failed", "cancelled by sari", None),
]


@pytest.fixture
def old_db(tmp_path) -> Path:
    """The version-7 fixture with outbox rows of every old form, written with plain SQL."""
    path = tmp_path / "app.db"
    shutil.copyfile(FIXTURES / "plant-v7.db", path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 7
        for row in OLD_ROWS:
            conn.execute("INSERT INTO outgoing_messages (id, recipient, message, type, status, "
                         "error_message, whatsapp_id, retry_count, created_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)", (*row, STAMP))
        conn.execute("INSERT INTO messages (id, type, content, recipient, status, metadata, "
                     "created_at) VALUES ('out-101', 'outgoing', 'Drum pressure is 44 bar', ?, "
                     "'sent', ?, ?)",
                     (PERSON, json.dumps({"outbox_id": 101, "kind": "simulator:reply"}), STAMP))
    conn.close()
    return path


@pytest.fixture
def opened(old_db, data_dir):
    result = open_database(old_db, data_dir / "backups")
    yield result
    close_database(result.db)


def _row(outbox_id: int) -> OutgoingMessage:
    return OutgoingMessage.get_by_id(outbox_id)


def _lines(outbox_id: int) -> list[tuple[int, str, str]]:
    return [(a.event_id, a.what, a.line) for a in outbox.alarm_lines(outbox_id)]


def test_channel_and_kind_come_out_of_the_type(opened):
    assert opened.version_after >= 8
    assert [(_row(i).channel, _row(i).kind) for i in (101, 102, 108, 110, 111, 112)] == [
        ("simulator", "reply"), ("whatsapp", "alarm"), ("whatsapp", "manual"),
        ("simulator", "alarm"), ("simulator", "alarm_ack"), ("whatsapp", "schedule")]
    # An old reader still sees the old type and the old sentences.
    assert _row(101).type == "simulator:reply"
    assert _row(108).error_message == "cancelled by budi: wrong number"
    assert [r["id"] for r in outbox.next_due(datetime(2030, 1, 1, tzinfo=UTC), 50,
                                               channel="simulator")] == [110]


def test_merged_resent_not_resent_and_cancelled_become_columns(opened):
    merged, resent, not_resent = _row(102), _row(104), _row(107)
    assert (merged.merged_into_id, merged.resent, merged.not_resent) == (103, False, False)
    # The late copy queued right after it, to the same chat, is what sent it again.
    assert (resent.resent, resent.resent_as_id, resent.merged_into_id) == (True, 106, None)
    assert (not_resent.not_resent, not_resent.resent) == (True, False)
    assert (_row(108).cancelled_by, _row(112).cancelled_by) == ("budi", "sari")
    assert outbox.get_outgoing(108)["cancelled"] and not outbox.get_outgoing(104)[
        "cancelled"]
    # None of them is a failure still to deal with after a reconnect.
    since = datetime(2026, 3, 1, tzinfo=UTC)
    assert outbox.failed_of_kind("alarm", since) == []


def test_late_in_either_language_and_summaries_are_late(opened):
    assert [bool(_row(i).late) for i in (102, 103, 104, 105, 106, 110)] == [
        False, True, False, False, True, True]


def test_the_alarms_each_message_names_are_rows_in_the_order_of_its_text(opened):
    assert _lines(102) == [(3, "raised",
                            "🟠 #3 Drum pressure HIGH 46 bar > 45 since 10:00")]
    # The first number of a line is the alarm's; "#1" in its name is not.
    assert _lines(104) == [(5, "raised",
                            "🔴 #5 Boiler #1 drum level HIGH 91 % > 90 since 10:02")]
    assert _lines(103) == [
        (3, "raised", "10:00 🟠 #3 Drum pressure HIGH 46 bar > 45 since 10:00"),
        (3, "cleared", "10:05 ✅ #3 Drum pressure cleared (44 bar)"),
        (4, "now", "🟠 #4 Drum level: now 85 %")]
    assert _lines(109) == [
        (6, "escalated", "🟠 #6 Feed pump HIGH 3 bar > 2 since 09:00"),
        (7, "cleared", "✅ #7 Steam flow cleared (12 t/h)")]
    assert _lines(101) == [] and _lines(111) == []  # not alarm messages
    # "ack" quoting the message finds its alarms by WhatsApp's id, not by its text.
    assert outbox.quoted_alarm_numbers("3EB0AAAA") == [6, 7]
    assert outbox.quoted_alarm_numbers("LOOP1") == []


def test_the_message_log_names_the_kind_and_channel_apart(opened):
    [metadata] = opened.db.execute_sql(
        "SELECT metadata FROM messages WHERE id = 'out-101'").fetchone()
    assert json.loads(metadata) == {"outbox_id": 101, "kind": "reply", "channel": "simulator"}


def test_a_row_written_today_sets_the_columns_and_still_writes_the_old_type(opened):
    outbox_id = outbox.enqueue(PERSON, "hi", kind=outbox.channel_kind("simulator",
                                                                          "notice"))
    row = _row(outbox_id)
    assert (row.type, row.channel, row.kind, row.late) == (
        "simulator:notice", "simulator", "notice", False)
