"""The message log and the outbox: every decision recorded, nothing queued lost, fast paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from peewee import SQL

from app.core import spam
from app.core.messages import Incoming
from app.core.timefmt import format_ts
from app.db.database import close_database, open_database
from app.db.models import AuditLog, Message, OutgoingMessage, database_proxy
from app.errors import PermissionDenied, UserError
from app.services import contacts, events, messages, settings, users
from app.services.context import Actor
from app.services.messages import MessageFilter, OutboxFilter
from tests.legacy_db import LEGACY_ADMIN_ID, build_legacy_db

T0 = datetime(2025, 11, 3, 7, 0, 0, tzinfo=UTC)
LID = "207383839879258@lid"
PN = "6281234567890@s.whatsapp.net"
VIEWER = Actor("v1", "vera", "viewer")

_counter = iter(range(1, 10**9))


def message(text: str = "demo", when: datetime = T0, sender: str = PN, *,
            phone: str | None = "+6281234567890", from_me: bool = False,
            chat: str | None = None, is_group: bool = False,
            message_id: str | None = None) -> Incoming:
    return Incoming(
        message_id=message_id or f"3EB0{next(_counter):016X}", chat=chat or sender,
        sender=sender, sender_phone=phone, push_name="Sari", text=text, timestamp=when,
        is_group=is_group, from_me=from_me, raw_ids={"jid": sender},
    )


def handle(msg: Incoming, now: datetime) -> spam.SpamVerdict:
    """Steps 1–3 of the pipeline with nothing but the services and the policy."""
    contact = contacts.upsert_from_message(msg)
    message_id = messages.record_incoming(msg, contact["id"])
    policy = spam.SpamSettings.from_settings(settings.all_values())
    recent = messages.sender_history(contact["sender_ids"],
                                     now - timedelta(seconds=policy.history_s),
                                     exclude_id=message_id)
    verdict = spam.check(msg.text, now, recent, contact["muted_until"], contact["blocked"],
                         policy, contact["notified"].get("spam"))
    if verdict.mute_until:
        contacts.set_muted(contact["id"], verdict.mute_until)
    if verdict.notify:
        messages.enqueue(msg.chat, policy.notice_text or "Please slow down.", kind="notice")
        contacts.mark_notified(contact["id"], "spam", now)
    messages.decide(message_id, "answered" if verdict.allowed else verdict.status,
                    reason=verdict.reason, route="test")
    return verdict


def _audit_since(mark: int) -> list[AuditLog]:
    return list(AuditLog.select().where(SQL("rowid") > mark).order_by(SQL("rowid")))


def _mark() -> int:
    return AuditLog.select(SQL("max(rowid)")).scalar() or 0


@pytest.fixture
def user(admin) -> Actor:
    """A plain user: may send messages, may not manage users."""
    created = users.create_user(admin, "budi", "budi-pass-1", role="user")
    return Actor(created["id"], created["username"], "user")


def _reopen(db, data_dir):
    close_database(db.db)
    return open_database(Path(db.path), data_dir / "backups")


@pytest.fixture
def legacy(data_dir):
    folder = data_dir.parent / "old-system"
    folder.mkdir()
    build_legacy_db(folder / "app.db")
    result = open_database(folder / "app.db", data_dir / "backups")
    yield result
    events.clear()
    close_database(result.db)


# --- incoming messages and decisions -----------------------------------------------------------


def test_an_incoming_message_is_logged_before_anything_is_decided(db):
    heard: list[dict] = []
    events.subscribe("messages", heard.append)
    msg = message("Tekanan Drum", chat="120363025246125486@g.us", is_group=True)
    message_id = messages.record_incoming(msg, PN)
    row = Message.get_by_id(message_id)
    assert (row.type, row.sender, row.recipient, row.status, row.content) == (
        "incoming", PN, None, "received", "Tekanan Drum")
    assert row.processed_at is None and row.created_at == T0
    assert row.metadata == {
        "chat": "120363025246125486@g.us", "is_group": True, "push_name": "Sari",
        "message_type": "chat", "from_me": False, "mentioned": False,
        "raw_ids": {"jid": PN}, "contact_id": PN, "sender_phone": "+6281234567890",
        "channel": "whatsapp"}
    assert heard


def test_a_decision_says_why_the_bot_did_not_answer(db):
    message_id = messages.record_incoming(message("demo"), PN)
    assert messages.decide(message_id, "unauthorized", reason="Waits for approval.",
                           route="trigger", trigger="demo", latency_ms=12.5)
    listed = messages.page(MessageFilter(), None, 10)[0]
    assert (listed["status"], listed["reason"], listed["route"], listed["trigger"],
            listed["latency_ms"]) == ("unauthorized", "Waits for approval.", "trigger", "demo",
                                      12.5)
    assert listed["processed_at"] is not None
    assert listed["metadata"]["push_name"] == "Sari"  # merged, not replaced
    assert messages.decide("no-such-id", "answered") is False


@pytest.mark.parametrize("held, kept", [
    (None, {}), ("", {}), ("a note from the old system", {"text": "a note from the old system"}),
    ("[1, 2]", {"value": [1, 2]}), ('{"push_name": "Sari", "reason": "older"}',
                                     {"push_name": "Sari"}),
])
def test_a_decision_keeps_what_an_old_row_held_beside_why(db, held, kept):
    # Rows of the old system hold anything in metadata: what they held stays readable beside
    # the decision, whose names win over the same names held before.
    database_proxy.execute_sql(
        "INSERT INTO messages (id, type, content, status, metadata, created_at) "
        "VALUES ('old-1', 'incoming', 'demo', 'received', ?, ?)", (held, T0))
    assert messages.decide("old-1", "failed", reason="PI did not answer", latency_ms=12.5,
                           route=None, steps={"tags": ["TI-101", "PI-201"]})
    row = Message.get_by_id("old-1")
    assert row.status == "failed" and row.processed_at is not None
    assert row.metadata == {**kept, "reason": "PI did not answer", "latency_ms": 12.5,
                            "route": None, "steps": {"tags": ["TI-101", "PI-201"]}}


def test_a_decision_whose_reason_is_not_a_number_sqlite_takes_is_kept_as_text(db):
    message_id = messages.record_incoming(message("demo"), PN)
    assert messages.decide(message_id, "answered", latency_ms=float("nan"), reason="ok")
    assert Message.get_by_id(message_id).metadata["latency_ms"] == "nan"


def test_a_message_delivered_twice_is_logged_once(db):
    msg = message("demo", message_id="3EB0DEADBEEF00000001")
    assert not messages.seen(msg.message_id)
    assert messages.record_incoming(msg, PN) == msg.message_id
    assert messages.seen(msg.message_id)
    assert messages.record_incoming(msg, PN) == msg.message_id
    assert Message.select().count() == 1


@pytest.mark.parametrize("text", [
    "🔥🔥 tekanan 🚒", "الضغط الحالي", "שלום\u200f עולם", "demo\u200b\u200c\u200d\ufeff",
    "a\u0301e\u0301 combining", "line one\nline two\ttab", "",
])
def test_any_text_is_stored_and_listed_intact(db, text):
    message_id = messages.record_incoming(message(text), PN)
    assert Message.get_by_id(message_id).content == text
    assert messages.page(MessageFilter(), None, 1)[0]["content"] == text


def test_a_message_from_the_bot_itself_is_logged_as_such(db):
    msg = message("status", from_me=True)
    contact = contacts.upsert_from_message(msg)
    messages.record_incoming(msg, contact["id"])
    listed = messages.page(MessageFilter(direction="incoming"), None, 5)
    assert listed[0]["from_me"] is True
    assert not contact["waiting"]


def test_sender_history_reads_only_that_sender_and_that_time(db):
    for i, sender in enumerate([PN, LID, PN, "6289999999999@s.whatsapp.net", PN]):
        messages.record_incoming(message(f"t{i}", T0 + timedelta(seconds=i * 10), sender), None)
    last = messages.record_incoming(message("now", T0 + timedelta(seconds=50)), None)
    history = messages.sender_history([PN, LID], T0 + timedelta(seconds=10), exclude_id=last)
    assert [(when - T0).seconds for when, _text, _status in history] == [10, 20, 40]
    assert [text for _when, text, _status in history] == ["t1", "t2", "t4"]
    assert {status for *_rest, status in history} == {"received"}
    assert messages.sender_history([], T0) == []


def test_sender_history_compares_moments_in_both_stored_forms_across_midnight(db):
    # The old system wrote "2025-10-30T07:22:01.123Z"; this app writes "2025-10-30 07:22:01".
    # As text a "T" sorts after a space: an old row from earlier that day must still be left
    # out, and rows of the day before the window's start kept when the window reaches back.
    rows = [("a", "2026-03-01T23:59:30.000Z"), ("b", "2026-03-02T00:00:10.000Z"),
            ("c", "2026-03-02 00:00:20"), ("d", "2026-03-02T05:00:00.000Z")]
    for message_id, stamp in rows:
        database_proxy.execute_sql(
            "INSERT INTO messages (id, type, content, sender, status, created_at) "
            "VALUES (?, 'incoming', ?, ?, 'answered', ?)", (message_id, message_id, PN, stamp))
    window = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
    assert [t for _w, t, _s in messages.sender_history([PN], window)] == ["a", "b", "c", "d"]
    later = datetime(2026, 3, 2, 0, 0, 15, tzinfo=UTC)
    assert [t for _w, t, _s in messages.sender_history([PN], later)] == ["c", "d"]
    assert [t for _w, t, _s in messages.sender_history(
        [PN], datetime(2026, 3, 2, 4, 0, tzinfo=UTC))] == ["d"]


def test_recent_from_reads_every_id_a_contact_wrote_under(db):
    lid_only = Incoming("first", message_id="3EB0LID0000000000001", chat=LID, sender=LID,
                        sender_phone=None, push_name="Sari", timestamp=T0, raw_ids={"lid": LID})
    contact = contacts.upsert_from_message(lid_only)
    messages.record_incoming(lid_only, contact["id"])
    linked = message("second", T0 + timedelta(seconds=5))
    linked = Incoming("second", message_id=linked.message_id, chat=PN, sender=PN,
                      sender_phone="+6281234567890", push_name="Sari",
                      timestamp=T0 + timedelta(seconds=5), raw_ids={"jid": PN, "lid": LID})
    assert contacts.upsert_from_message(linked)["id"] == LID
    last = messages.record_incoming(linked, LID)
    assert [t for _w, t, _s in messages.recent_from(LID, T0)] == ["first", "second"]
    assert [t for _w, t, _s in messages.recent_from(LID, T0, exclude=last)] == ["first"]
    assert [t for _w, t, _s in messages.recent_from(PN, T0)] == ["second"]  # no such contact


# --- spam verdicts across restarts -------------------------------------------------------------


def test_a_flood_is_muted_with_one_notice_and_stays_muted_after_a_restart(db, data_dir):
    verdicts = [handle(message(f"demo {i}", T0 + timedelta(seconds=i * 0.2)),
                       T0 + timedelta(seconds=i * 0.2)) for i in range(30)]
    assert [v.status for v in verdicts[:6]] == ["ok"] * 5 + ["spam"]
    assert messages.pending_count() == 1
    reopened = _reopen(db, data_dir)
    try:
        later = [handle(message(f"demo {i}", T0 + timedelta(seconds=6 + i)),
                        T0 + timedelta(seconds=6 + i)) for i in range(20)]
        assert {v.status for v in later} == {"muted"}
        assert messages.pending_count() == 1  # still exactly one notice
        assert messages.count(MessageFilter(status="muted")) == 44
        assert messages.count(MessageFilter(status="answered")) == 5
        after = T0 + timedelta(minutes=5, seconds=30)
        assert handle(message("demo", after), after).allowed
    finally:
        close_database(reopened.db)


def test_the_same_text_ten_times_is_answered_once_and_nobody_is_told(db):
    verdicts = [handle(message("demo", T0 + timedelta(seconds=i)), T0 + timedelta(seconds=i))
                for i in range(10)]
    assert [v.status for v in verdicts] == ["ok"] + ["repeat"] * 9
    assert messages.pending_count() == 0
    assert messages.count(MessageFilter(status="repeat")) == 9


def test_a_100_kb_message_is_refused_stored_whole_with_one_notice(db):
    huge = "🔥" + "x" * 100 * 1024
    first = handle(message(huge, T0), T0)
    second = handle(message(huge + "!", T0 + timedelta(seconds=15)), T0 + timedelta(seconds=15))
    assert (first.status, second.status) == ("too_long", "too_long")
    assert messages.pending_count() == 1
    stored = messages.page(MessageFilter(status="too_long"), None, 5)
    assert len(stored) == 2 and stored[1]["content"] == huge


# --- the outbox --------------------------------------------------------------------------------


def test_a_queued_reply_is_durable_with_its_image(db, data_dir):
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    outbox_id = messages.enqueue(PN, "Demo plant — last 8 hours", image_png=png,
                                 media_dir=data_dir / "media", reply_to="3EB0AAAA")
    row = OutgoingMessage.get_by_id(outbox_id)
    assert (row.status, row.type, row.recipient, row.reply_to, row.retry_count) == (
        "pending", "reply", PN, "3EB0AAAA", 0)
    assert Path(row.media_path).read_bytes() == png
    assert Path(row.media_path).parent == data_dir / "media"
    assert not list((data_dir / "media").glob("*.part"))
    with pytest.raises(ValueError):
        messages.enqueue(PN, "x", image_png=png)
    with pytest.raises(ValueError):
        messages.enqueue(" ", "x")


def test_the_outbox_walks_pending_in_flight_retry_sent(db):
    first = messages.enqueue(PN, "one")
    second = messages.enqueue("+628111", "two")
    third = messages.enqueue(PN, "three")
    assert [r["id"] for r in messages.next_due(T0, 10)] == [first, second, third]
    assert [r["id"] for r in messages.next_due(T0, 2)] == [first, second]

    assert messages.mark_in_flight(first, T0)
    assert not messages.mark_in_flight(first, T0)  # one send at a time
    assert [r["id"] for r in messages.next_due(T0, 10)] == [second, third]

    messages.mark_retry(first, "Connection reset", T0 + timedelta(seconds=30))
    row = messages.get_outgoing(first)
    assert (row["status"], row["retry_count"], row["error_message"], row["in_flight"]) == (
        "pending", 1, "Connection reset", False)
    assert first not in [r["id"] for r in messages.next_due(T0 + timedelta(seconds=29), 10)]
    assert first in [r["id"] for r in messages.next_due(T0 + timedelta(seconds=30), 10)]

    messages.mark_in_flight(first, T0 + timedelta(seconds=30))
    log_id = messages.mark_sent(first, "3EB0FEEDFACE00000001", T0 + timedelta(seconds=31))
    assert log_id == "3EB0FEEDFACE00000001"
    sent = messages.get_outgoing(first)
    assert (sent["status"], sent["whatsapp_id"], sent["in_flight"], sent["error_message"]) == (
        "sent", "3EB0FEEDFACE00000001", False, "")
    assert sent["sent_at"] == T0 + timedelta(seconds=31)
    logged = Message.get_by_id(log_id)
    assert (logged.type, logged.recipient, logged.content, logged.status) == (
        "outgoing", PN, "one", "sent")
    assert logged.metadata["outbox_id"] == first and logged.metadata["attempts"] == 2

    messages.mark_in_flight(second, T0)
    assert messages.mark_sent(second, None, T0) == f"out-{second}"
    messages.mark_in_flight(third, T0)
    messages.mark_failed(third, "WhatsApp says the number is not on WhatsApp.")
    failed = messages.get_outgoing(third)
    assert (failed["status"], failed["error_message"], failed["in_flight"]) == (
        "failed", "WhatsApp says the number is not on WhatsApp.", False)
    assert messages.next_due(T0 + timedelta(days=1), 10) == []
    assert messages.pending_count() == 0
    assert messages.count(MessageFilter(direction="outgoing")) == 2


def test_a_send_cut_short_by_a_crash_is_found_at_start(db, data_dir):
    cut = messages.enqueue(PN, "was being sent")
    waiting = messages.enqueue(PN, "still waiting")
    messages.mark_in_flight(cut, T0)
    reopened = _reopen(db, data_dir)
    try:
        assert [r["id"] for r in messages.interrupted_in_flight()] == [cut]
        assert messages.pending_count() == 2
        assert [r["id"] for r in messages.next_due(T0, 10)] == [waiting]
        messages.release(cut)
        assert messages.interrupted_in_flight() == []
        assert [r["id"] for r in messages.next_due(T0, 10)] == [cut, waiting]
        assert messages.get_outgoing(cut)["retry_count"] == 0
    finally:
        close_database(reopened.db)


def test_each_channel_sends_only_its_own_rows(db, data_dir):
    assert messages.channel_kind("whatsapp", "reply") == "reply"
    assert messages.channel_kind("simulator", "reply") == "simulator:reply"
    real = messages.enqueue(PN, "to a phone", kind=messages.channel_kind("whatsapp", "reply"))
    fake = messages.enqueue(PN, "to the simulator",
                            kind=messages.channel_kind("simulator", "notice"))
    old = messages.enqueue(PN, "an old manual row", kind="manual_send")
    assert [r["id"] for r in messages.next_due(T0, 10, channel="whatsapp")] == [real, old]
    assert [r["id"] for r in messages.next_due(T0, 10, channel="simulator")] == [fake]
    assert [r["id"] for r in messages.next_due(T0, 10)] == [real, fake, old]
    assert (messages.pending_count("whatsapp"), messages.pending_count("simulator"),
            messages.pending_count()) == (2, 1, 3)
    messages.mark_in_flight(fake, T0)
    messages.mark_in_flight(real, T0)
    assert [r["id"] for r in messages.interrupted_in_flight("simulator")] == [fake]
    assert [r["id"] for r in messages.interrupted_in_flight("whatsapp")] == [real]


def test_a_retry_for_a_lost_connection_spends_no_attempt(db):
    outbox_id = messages.enqueue(PN, "x")
    messages.mark_in_flight(outbox_id, T0)
    messages.mark_retry(outbox_id, "Not connected", T0, count=False)
    row = messages.get_outgoing(outbox_id)
    assert (row["status"], row["retry_count"], row["in_flight"]) == ("pending", 0, False)
    messages.mark_in_flight(outbox_id, T0)
    messages.mark_retry(outbox_id, "Timed out", T0)
    assert messages.get_outgoing(outbox_id)["retry_count"] == 1


def test_retry_cancel_and_compose_need_the_send_permission(db, admin):
    failed = messages.enqueue(PN, "x")
    messages.mark_failed(failed, "boom")
    pending = messages.enqueue(PN, "y")
    mark = _mark()
    for attempt in (lambda: messages.retry(VIEWER, failed),
                    lambda: messages.cancel(VIEWER, pending, "no"),
                    lambda: messages.compose(VIEWER, "+6281234567890", "hello")):
        with pytest.raises(PermissionDenied):
            attempt()
    assert _audit_since(mark) == []
    assert messages.get_outgoing(failed)["status"] == "failed"
    assert messages.get_outgoing(pending)["status"] == "pending"
    assert messages.outbox_count() == 2


def test_retry_puts_a_failed_message_back_now_and_is_audited(db, admin):
    outbox_id = messages.enqueue(PN, "x")
    messages.mark_retry(outbox_id, "timeout", T0)
    messages.mark_failed(outbox_id, "Gave up after 5 attempts: timeout")
    mark = _mark()
    again = messages.retry(admin, outbox_id)
    assert (again["status"], again["retry_count"], again["next_attempt_at"]) == (
        "pending", 0, None)
    assert outbox_id in [r["id"] for r in messages.next_due(T0, 10)]
    [entry] = _audit_since(mark)
    assert (entry.action, entry.user_id) == ("message_retried", admin.user_id)
    assert entry.details["previous_error"] == "Gave up after 5 attempts: timeout"
    with pytest.raises(UserError, match="Only a failed message"):
        messages.retry(admin, outbox_id)


def test_cancel_fails_a_pending_message_with_who_and_why(db, user):
    outbox_id = messages.enqueue(PN, "x")
    mark = _mark()
    cancelled = messages.cancel(user, outbox_id, "  wrong   number ")
    assert cancelled["status"] == "failed" and cancelled["cancelled"]
    assert cancelled["error_message"] == "cancelled by budi: wrong number"
    [entry] = _audit_since(mark)
    assert (entry.action, entry.details["reason"]) == ("message_cancelled", "wrong number")
    with pytest.raises(UserError, match="Only a waiting message"):
        messages.cancel(user, outbox_id, "again")
    busy = messages.enqueue(PN, "being sent")
    messages.mark_in_flight(busy, T0)
    with pytest.raises(UserError, match="being sent right now"):
        messages.cancel(user, busy, "")
    assert messages.get_outgoing(busy)["status"] == "pending"
    # A cancellation is no failure on the Dashboard.
    assert messages.today_counts(UTC)["failed"] == 0


def test_compose_queues_a_manual_message_and_audits_it(db, admin, user):
    mark = _mark()
    outbox_id = messages.compose(admin, "0812 3456 7890", "Mohon cek panel 3. 🔧")
    row = messages.get_outgoing(outbox_id)
    assert (row["recipient"], row["type"], row["status"], row["message"]) == (
        "+6281234567890", "manual", "pending", "Mohon cek panel 3. 🔧")
    [entry] = _audit_since(mark)
    assert (entry.action, entry.user_id) == ("message_sent", admin.user_id)
    assert entry.details["to"] == "+6281234567890" and entry.details["outbox_id"] == outbox_id
    assert messages.compose(user, "120363025246125486@g.us", "hi")
    for to, text, phrase in [("not a number", "x", "not a phone number"),
                             ("", "x", "not a phone number"),
                             (LID.replace("@lid", "@newsletter"), "x", "not a WhatsApp chat"),
                             ("+6281234567890", "   ", "empty"),
                             ("+6281234567890", "x" * 70000, "at most")]:
        with pytest.raises(UserError, match=phrase):
            messages.compose(admin, to, text)
    assert messages.outbox_count() == 2


def test_outbox_pages_newest_first_with_filters(db):
    ids = [messages.enqueue(PN if i % 2 else "+628111", f"m{i}") for i in range(25)]
    for outbox_id in ids[:5]:
        messages.mark_failed(outbox_id, "boom")
    seen: list[int] = []
    before = None
    while batch := messages.outbox_page(None, before, 7):
        seen += [r["id"] for r in batch]
        before = batch[-1]["id"]
    assert seen == sorted(ids, reverse=True)
    assert messages.outbox_count(OutboxFilter(status="failed")) == 5
    assert {r["recipient"] for r in messages.outbox_page(OutboxFilter(recipient="8111"), None,
                                                          50)} == {"+628111"}
    assert [r["message"] for r in messages.outbox_page(OutboxFilter(text="m24"), None, 5)] == [
        "m24"]


# --- the Messages tab --------------------------------------------------------------------------


def test_paging_10000_messages_newest_first_has_no_gaps_or_duplicates(db):
    rows = []
    for i in range(10_000):
        outgoing = i % 4 == 0
        rows.append((f"M{i:05d}", "outgoing" if outgoing else "incoming", f"text {i}",
                     None if outgoing else PN, PN if outgoing else None,
                     "sent" if outgoing else ("answered" if i % 3 else "spam"),
                     format_ts(T0 + timedelta(seconds=i))))
    with database_proxy.atomic():
        database_proxy.connection().executemany(
            "INSERT INTO messages (id, type, content, sender, recipient, status, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    assert messages.count(MessageFilter()) == 10_000

    seen: list[str] = []
    rowids: list[int] = []
    before = None
    while batch := messages.page(MessageFilter(), before, 333):
        seen += [r["id"] for r in batch]
        rowids += [r["rowid"] for r in batch]
        before = batch[-1]["rowid"]
        if len(seen) == 333:
            # A message arriving while the user scrolls must not shift the pages.
            messages.record_incoming(message("new"), PN)
    assert seen == [f"M{i:05d}" for i in reversed(range(10_000))]
    assert rowids == sorted(rowids, reverse=True) and len(set(rowids)) == 10_000

    flt = MessageFilter(direction="incoming", status="spam")
    expected = [f"M{i:05d}" for i in reversed(range(10_000)) if i % 4 and not i % 3]
    got: list[str] = []
    before = None
    while batch := messages.page(flt, before, 250):
        got += [r["id"] for r in batch]
        before = batch[-1]["rowid"]
    assert got == expected and messages.count(flt) == len(expected)


def test_filters_by_direction_status_party_text_and_time(db):
    for i, (text, sender) in enumerate([("50% load", PN), ("500 load", PN), ("halo", LID)]):
        incoming = message(text, T0 + timedelta(hours=i), sender)
        contact = contacts.upsert_from_message(incoming)  # as the bot does: name from push name
        messages.record_incoming(incoming, contact["id"])
    out = messages.enqueue(PN, "reply")
    messages.mark_in_flight(out, T0)
    messages.mark_sent(out, "3EB0OUT", T0)
    assert messages.count(MessageFilter(direction="incoming")) == 3
    assert messages.count(MessageFilter(direction="outgoing")) == 1
    # % and _ are letters people type, not wildcards.
    assert [m["content"] for m in messages.page(MessageFilter(text="50%"), None, 10)] == [
        "50% load"]
    assert messages.count(MessageFilter(party="207383")) == 1
    # Two in from the number, one in from the same person's LID, one out.
    assert messages.count(MessageFilter(party="6281234567890")) == 4
    assert messages.count(MessageFilter(party="sari")) == 4  # by the contact's name
    assert messages.count(MessageFilter(since=T0 + timedelta(minutes=30),
                                        until=T0 + timedelta(hours=2))) == 1
    assert "received" in messages.statuses() and "sent" in messages.statuses()


def test_old_messages_list_as_incoming(legacy):
    listed = messages.page(MessageFilter(), None, 50)
    assert len(listed) == 5 and {m["direction"] for m in listed} == {"incoming"}
    assert messages.count(MessageFilter(direction="incoming")) == 5
    by_id = {m["id"]: m for m in listed}
    budi = by_id["3EB0A1B2C3D4E5F60718"]
    assert (budi["type"], budi["status"], budi["stored_status"], budi["legacy"]) == (
        "chat", "received", "sent", True)
    assert budi["push_name"] == "Budi Santoso"
    assert budi["created_at"] == datetime(2025, 10, 30, 7, 15, 42, tzinfo=UTC)
    halo = by_id["3EB0AABBCCDDEEFF0011"]
    assert halo["status"] == "spam" and "2 messages in 6 seconds" in halo["reason"]
    assert by_id["3EB0123456789ABCDEF0"]["is_group"]
    assert by_id["3EB0F0E1D2C3B4A59687"]["type"] == "image"
    assert [m["id"] for m in messages.page(MessageFilter(status="spam"), None, 10)] == [
        "3EB0AABBCCDDEEFF0011"]
    # By the name of the contact row: the old rows of Budi's number (the third old message
    # came from an id no contact row holds, so only its number finds it).
    assert messages.count(MessageFilter(party="budi")) == 2
    assert messages.count(MessageFilter(since=datetime(2025, 10, 30, 7, 25, tzinfo=UTC))) == 3
    # Old rows still feed the spam check: they count as commands of that sender.
    history = messages.sender_history("628123456789@c.us", datetime(2025, 10, 30, tzinfo=UTC))
    assert [text for _w, text, _s in history] == ["Tekanan Drum", "halo"]


def test_the_old_queue_lists_and_its_failed_row_can_be_retried(legacy):
    admin = Actor(LEGACY_ADMIN_ID, "admin", "admin")
    queue = messages.outbox_page(None, None, 10)
    assert [r["type"] for r in queue] == ["manual", "auto_warning", "manual_send", "manual"]
    failed = next(r for r in queue if r["status"] == "failed")
    assert failed["retry_count"] == 1 and "invalid wid" in failed["error_message"]
    assert messages.pending_count() == 1
    assert messages.retry(admin, failed["id"])["status"] == "pending"
    assert messages.pending_count() == 2
    old_day = datetime(2025, 10, 30, 12, 0, tzinfo=UTC)
    counts = messages.today_counts(timezone(timedelta(hours=7)), now=old_day)
    # 23:00 UTC on the 29th is 06:00 WIB on the 30th: both old sends count for that day.
    assert counts == {"in": 5, "out": 2, "failed": 0, "pending": 2}


def test_today_starts_at_local_midnight(db):
    wib = timezone(timedelta(hours=7))
    now = datetime(2025, 11, 3, 10, 0, tzinfo=wib)
    yesterday_late = datetime(2025, 11, 2, 23, 30, tzinfo=wib)
    today_early = datetime(2025, 11, 3, 0, 30, tzinfo=wib)
    messages.record_incoming(message("late", yesterday_late), None)
    messages.record_incoming(message("early", today_early), None)
    sent = messages.enqueue(PN, "r")
    messages.mark_in_flight(sent, today_early)
    messages.mark_sent(sent, None, today_early)
    gone = messages.enqueue(PN, "r2")
    messages.mark_in_flight(gone, today_early)
    messages.mark_failed(gone, "not on WhatsApp")
    messages.enqueue(PN, "r3")
    assert messages.today_counts(wib, now=now) == {"in": 1, "out": 1, "failed": 1, "pending": 1}
    # In UTC, 23:30 WIB yesterday is 16:30 on the 2nd: still yesterday; 00:30 WIB is too.
    assert messages.today_counts(UTC, now=now)["in"] == 0


def test_recent_activity_mixes_the_log_and_the_queue_newest_first(db):
    messages.record_incoming(message("demo", T0), PN)
    waiting = messages.enqueue(PN, "queued")
    failed = messages.enqueue(PN, "bounced")
    messages.mark_in_flight(failed, T0 + timedelta(minutes=5))
    messages.mark_failed(failed, "not on WhatsApp")
    activity = messages.recent_activity(10)
    assert {a["outbox_id"] for a in activity} >= {waiting, failed}
    incoming = next(a for a in activity if a["message_id"])
    assert (incoming["direction"], incoming["who"], incoming["text"]) == ("in", "Sari", "demo")
    assert {a["direction"] for a in activity if a["outbox_id"]} == {"out"}
    stamps = [a["at"] for a in activity]
    assert stamps == sorted(stamps, reverse=True)
    assert len(messages.recent_activity(2)) == 2


def test_last_errors_name_failed_sends_and_failed_answers_but_not_cancellations(db, admin):
    bounced = messages.enqueue(PN, "bounced")
    messages.mark_in_flight(bounced, T0)
    messages.mark_failed(bounced, "WhatsApp says the number is not on WhatsApp.")
    messages.cancel(admin, messages.enqueue(PN, "oops"), "typo")
    broken = messages.record_incoming(message("demo", T0 + timedelta(minutes=1)), PN)
    messages.decide(broken, "failed", reason="The PI server did not answer within 10 s.")
    errors = messages.last_errors(10)
    # The answer failed just now; the send failed at its last attempt, T0: newest first.
    assert [e["what"] for e in errors] == ["The PI server did not answer within 10 s.",
                                           "WhatsApp says the number is not on WhatsApp."]
    assert {(e["outbox_id"], e["message_id"]) for e in errors} == {(bounced, None),
                                                                  (None, broken)}
    assert all(e["who"] for e in errors)
