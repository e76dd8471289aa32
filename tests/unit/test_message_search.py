"""The Messages tab's search: words through the full-text index, any typed text safe, pages
without gaps or repeats whichever index a filter walks, counts capped, the old rows found."""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from app.core.messages import Incoming
from app.db.database import close_database, open_database
from app.db.models import database_proxy
from app.services import contacts, events, message_search, messages
from app.services.messages import MessageFilter
from tests.legacy_db import build_legacy_db

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
PN = "6281234567890@s.whatsapp.net"


def incoming(text: str, sender: str = PN, when: datetime = T0, *, name: str = "Sari",
             message_id: str | None = None) -> str:
    msg = Incoming(message_id=message_id or "", chat=sender, sender=sender,
                   sender_phone=None, push_name=name, text=text, timestamp=when)
    return messages.record_incoming(msg, None)


def texts(flt: MessageFilter) -> list[str]:
    return [m["content"] for m in messages.page(flt, None, 100)]


# -- what people type -------------------------------------------------------------------------

TRICKY = ['"', "'", "*", "-", "^", "(", ")", ":", "%%", "...", "?!", "x", "a",
          "NEAR", "AND", "OR", "NOT", 'NEAR "AND" (*', "a OR b", "pump -valve", "^start",
          "content: pump", "(pump)", "pump*", '"pump', "'; DROP TABLE messages; --",
          "\\", "50%", "_", "NEAR(pump valve, 2)", "   ", "ü", "🔥"]


@pytest.mark.parametrize("typed", TRICKY)
def test_any_typed_text_searches_without_an_error(db, typed):
    for text in ("Pump AND valve (NEAR) -3 ^start", "pump NEAR valve", "50% load", "x-ray",
                 'say "pump" please', "drop table messages; --", "a OR b", "ü 🔥 café"):
        incoming(text)
    flt = MessageFilter(text=typed.strip() or None)
    found = texts(flt)
    assert messages.count(flt) == len(found)
    assert messages.count(flt, cap=1) == min(len(found), 2)
    assert messages.statuses()  # the log is still there


def test_query_syntax_is_searched_as_words(db):
    incoming("Pump AND valve (NEAR) -3 ^start")
    incoming("pump NEAR valve")
    incoming("valve pump")
    # AND, NEAR, -, ^ and parentheses are words and separators, never operators.
    assert texts(MessageFilter(text="AND valve")) == ["Pump AND valve (NEAR) -3 ^start"]
    assert texts(MessageFilter(text="NEAR")) == ["pump NEAR valve",
                                                 "Pump AND valve (NEAR) -3 ^start"]
    assert texts(MessageFilter(text="(NEAR) -3 ^start")) == [
        "Pump AND valve (NEAR) -3 ^start"]
    assert texts(MessageFilter(text='NEAR "AND" (*')) == []  # the words are not in that order
    assert texts(MessageFilter(text="pump valve")) == []  # nor these, one after the other
    assert texts(MessageFilter(text="valve pump")) == ["valve pump"]


def test_a_word_is_found_in_any_case_accent_and_as_the_start_of_a_longer_word(db):
    incoming("Café at the BOILER house")
    incoming("message 12")
    incoming("message 120")
    incoming("50% load")
    incoming("500 load")
    assert texts(MessageFilter(text="cafe")) == ["Café at the BOILER house"]
    assert texts(MessageFilter(text="boil")) == ["Café at the BOILER house"]
    assert texts(MessageFilter(text="message 12")) == ["message 120", "message 12"]
    # Ending in punctuation, the last word is whole: 50% is the number 50, not 500.
    assert texts(MessageFilter(text="50%")) == ["50% load"]
    assert message_search.fts_query("50%") == '"50%"'
    assert message_search.fts_query('say "hi"') == '"say ""hi"""'
    assert message_search.fts_query("boil") == '"boil"*'


def test_one_letter_or_digit_finds_the_words_it_starts_newest_first(db):
    # As with longer text, the last (here the only) word also finds longer words: typing "b",
    # then "bo", then "boi" narrows the same list, never widens it.
    incoming("x-ray of the pump")
    incoming("boxes for unit 3")
    incoming("Boiler 30 bar")
    incoming("drum level 3.5 m")
    incoming("Ärger im Büro")
    assert texts(MessageFilter(text="b")) == ["Ärger im Büro", "Boiler 30 bar",
                                              "boxes for unit 3"]
    assert texts(MessageFilter(text="x")) == ["x-ray of the pump"]  # not "boxes"
    assert texts(MessageFilter(text="3")) == ["drum level 3.5 m", "Boiler 30 bar",
                                              "boxes for unit 3"]
    assert texts(MessageFilter(text="a")) == ["Ärger im Büro"]  # accents do not matter
    assert texts(MessageFilter(text="q")) == []
    assert texts(MessageFilter(text="bo")) == ["Boiler 30 bar", "boxes for unit 3"]
    assert texts(MessageFilter(text="B", party="81234")) == texts(MessageFilter(text="b"))
    assert messages.count(MessageFilter(text="3")) == 3
    assert message_search.searchable(MessageFilter(text="x"))


@pytest.mark.parametrize("typed", ["%", "%%", "...", '"', "-", "  *  ", "_", "()", "🔥"])
def test_punctuation_only_lists_nothing_and_the_tab_is_told_why(db, typed):
    incoming("100%% sure...")
    incoming('he said "no" - twice * (yes) _ok_ 🔥')
    for flt in (MessageFilter(text=typed.strip()),
                MessageFilter(text=typed.strip(), party="81234", status="received")):
        assert not message_search.searchable(flt)
        assert texts(flt) == [] and messages.count(flt) == 0
        assert messages.count(flt, cap=10) == 0
    assert message_search.searchable(MessageFilter(text="ok_"))
    assert texts(MessageFilter(text="_ok_")) == ['he said "no" - twice * (yes) _ok_ 🔥']


# Every character the full-text query language (or LIKE) would read as syntax.
METACHARACTERS = ['"', "*", "^", "-", ":", "(", ")", "%", "_", "+", "\\", "\'", ";", "."]


@pytest.mark.parametrize("meta", METACHARACTERS)
def test_each_metacharacter_between_words_is_a_separator_never_syntax(db, meta):
    incoming("pump valve open")
    incoming(f"pump{meta}valve shut")
    incoming("valve pump")
    incoming("pumpvalve")
    # "pump<meta>valve" is the two words one after the other, wherever the mark stands.
    assert texts(MessageFilter(text=f"pump{meta}valve")) == [f"pump{meta}valve shut",
                                                            "pump valve open"]
    assert texts(MessageFilter(text=f"{meta}pump {meta}")) == [
        "valve pump", f"pump{meta}valve shut", "pump valve open"]
    assert texts(MessageFilter(text=f"{meta}{meta}")) == []


@pytest.mark.parametrize("word", ["NEAR", "AND", "OR", "NOT"])
def test_query_words_are_words(db, word):
    incoming(f"pump {word} valve")
    incoming("pump valve")
    incoming(f"{word.lower()}by")
    assert texts(MessageFilter(text=f"pump {word} valve")) == [f"pump {word} valve"]
    assert texts(MessageFilter(text=word)) == [f"{word.lower()}by", f"pump {word} valve"]
    assert texts(MessageFilter(text=f"{word}(pump, valve)")) == []
    assert texts(MessageFilter(text=f"pump {word}")) == [f"pump {word} valve"]


def test_a_contact_and_a_word_list_that_contacts_messages_with_it_newest_first(db):
    senders = [f"6281300000{n:03d}@s.whatsapp.net" for n in range(3)]
    for name, jid in zip(("Ani", "Budi", "Citra"), senders, strict=True):
        contacts.upsert_from_message(Incoming(
            message_id=f"c{name}", chat=jid, sender=jid, sender_phone="+" + jid.split("@")[0],
            push_name=name, text="hi", timestamp=T0))
    expected = []
    for n in range(60):
        jid = senders[n % 3]  # Ani, Budi and Citra take turns
        text = ("feed pump tripped" if n % 2 else "boiler ok") + f" #{n}"
        incoming(text, jid, T0 + timedelta(minutes=n), message_id=f"P{n}")
        if n % 3 == 1 and n % 2:
            expected.append(text)
    expected.reverse()
    flt = MessageFilter(party="budi", text="pump")
    assert texts(flt) == expected and len(expected) == 10
    assert messages.count(flt) == 10 and messages.count(flt, cap=3) == 4
    # A page at a time: the next page starts below the last row shown.
    first = messages.page(flt, None, 4)
    rest = messages.page(flt, first[-1]["rowid"], 100)
    assert [m["content"] for m in first + rest] == expected
    assert texts(MessageFilter(party="budi", text="p")) == expected
    assert texts(MessageFilter(party="budi", text="tripped #1")) == [
        "feed pump tripped #19", "feed pump tripped #13", "feed pump tripped #1"]
    # The same, the contact's rows too many to index alone: the words' rows are read.
    message_search.SCRATCH_ROWS, saved = 0, message_search.SCRATCH_ROWS
    try:
        assert texts(flt) == expected and messages.count(flt) == 10
    finally:
        message_search.SCRATCH_ROWS = saved


@pytest.mark.parametrize("longer_words", [20, 1, 0])
def test_a_word_finds_every_longer_word_it_starts_however_many_there_are(
        db, monkeypatch, longer_words):
    # Spelled out as whole words when they are few, else asked of the index as a prefix.
    monkeypatch.setattr(message_search, "LONGER_WORDS", longer_words)
    for n, text in enumerate(("boil the water", "boiler 2 tripped", "Boilers on line",
                              "feed pump boiling", "café boil", "éboiler x", "boi")):
        incoming(text, when=T0 + timedelta(minutes=n))
    assert texts(MessageFilter(text="boil")) == [
        "café boil", "feed pump boiling", "Boilers on line", "boiler 2 tripped",
        "boil the water"]
    assert texts(MessageFilter(text="BOILER")) == ["Boilers on line", "boiler 2 tripped"]
    assert texts(MessageFilter(text="pump boil")) == ["feed pump boiling"]
    assert texts(MessageFilter(text='pump "boil')) == ["feed pump boiling"]
    assert texts(MessageFilter(text="éboil")) == ["éboiler x"]
    assert texts(MessageFilter(text="boiler 2 trip")) == ["boiler 2 tripped"]
    assert texts(MessageFilter(text="81234", party="81234")) == []
    assert texts(MessageFilter(text="boil", party="81234")) == texts(MessageFilter(text="boil"))
    assert messages.count(MessageFilter(text="boil")) == 5


def test_the_count_after_a_page_of_words_follows_new_messages(db, data_dir):
    for n in range(5):
        incoming(f"pump {n}", when=T0 + timedelta(minutes=n))
    flt = MessageFilter(text="pump")
    assert len(messages.page(flt, None, 2)) == 2
    assert messages.count(flt, cap=3) == 4 and messages.count(flt, cap=10) == 5
    incoming("pump 5", when=T0 + timedelta(minutes=5))  # this connection writes
    assert messages.count(flt, cap=10) == 6
    assert len(messages.page(flt, None, 2)) == 2
    conn = sqlite3.connect(data_dir / "app.db")  # another program writes
    with conn:
        conn.execute("INSERT INTO messages (id, type, content, sender, status, created_at) "
                     "VALUES ('OTHER', 'incoming', 'pump 6', ?, 'received', "
                     "'2026-03-02 07:00:00')", (PN,))
    conn.close()
    assert messages.count(flt, cap=10) == 7
    assert messages.count(MessageFilter(text="pump 1"), cap=10) == 1
    by_number = MessageFilter(party="81234")
    assert len(messages.page(by_number, None, 2)) == 2 and messages.count(by_number, cap=3) == 4
    incoming("valve shut", when=T0 + timedelta(minutes=9))
    assert messages.count(by_number, cap=10) == 8


# -- the full-text index follows the log ------------------------------------------------------

def _fts_in_step() -> None:
    # Raises when the index and the log differ (external content: compared row by row).
    database_proxy.execute_sql(
        "INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)")


def test_the_index_follows_every_insert_change_and_delete(db):
    first = incoming("drum pressure high")
    incoming("feed pump tripped")
    assert texts(MessageFilter(text="drum")) == ["drum pressure high"]
    database_proxy.execute_sql("UPDATE messages SET content = 'drum level low' WHERE id = ?",
                               (first,))
    assert texts(MessageFilter(text="pressure")) == []
    assert texts(MessageFilter(text="level low")) == ["drum level low"]
    database_proxy.execute_sql("DELETE FROM messages WHERE id = ?", (first,))
    assert texts(MessageFilter(text="drum")) == []
    _fts_in_step()


def test_a_message_written_by_another_program_is_found_too(db, data_dir):
    # The old system (or any SQLite client) writing the log: the triggers index its rows.
    conn = sqlite3.connect(data_dir / "app.db")
    with conn:
        conn.execute("INSERT INTO messages (id, type, content, sender, status, created_at) "
                     "VALUES ('3EB0OLD', 'chat', 'Tekanan drum tinggi', ?, 'sent', "
                     "'2026-03-02T05:00:00.000Z')", (PN,))
    conn.close()
    assert texts(MessageFilter(text="tekanan")) == ["Tekanan drum tinggi"]
    assert texts(MessageFilter(party="6281234567890", status="received")) == [
        "Tekanan drum tinggi"]
    assert texts(MessageFilter(since=T0 - timedelta(hours=1), until=T0)) == [
        "Tekanan drum tinggi"]
    _fts_in_step()


def test_an_old_database_is_indexed_by_its_migration(data_dir):
    folder = data_dir.parent / "old-system"
    folder.mkdir()
    build_legacy_db(folder / "app.db")
    opened = open_database(folder / "app.db", data_dir / "backups")
    try:
        # The old rows: WhatsApp's types, ISO times, spam from the old detector's metadata.
        assert texts(MessageFilter(text="tekanan drum")) == ["Tekanan Drum"]
        assert [m["id"] for m in messages.page(MessageFilter(status="spam"), None, 10)] == [
            "3EB0AABBCCDDEEFF0011"]
        assert messages.count(MessageFilter(status="received")) == 4
        assert messages.count(MessageFilter(
            since=datetime(2025, 10, 30, 7, 25, tzinfo=UTC))) == 3
        assert messages.count(MessageFilter(party="budi")) == 2
        _fts_in_step()
    finally:
        events.clear()
        close_database(opened.db)


# -- pages and counts -------------------------------------------------------------------------

WORDS = ["boiler", "pump", "valve", "drum", "level", "trip", "ok", "demo", "status"]
STATUSES = ["answered", "answered", "answered", "spam", "ignored", "unauthorized"]


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[^\W_]+", text)]


def _has_phrase(content: str, typed: str) -> bool:
    """The full-text query's meaning, spelled out: the typed words one after the other, the
    last one also as the start of a longer word."""
    want, have = _words(typed), _words(content)
    for start in range(len(have) - len(want) + 1):
        got = have[start:start + len(want)]
        if got[:-1] == want[:-1] and got[-1].startswith(want[-1]):
            return True
    return False


def _operators() -> list[str]:
    """30 senders' ids; the first 10 are contacts named Operator 0 to 9."""
    senders = [f"62811000{n:04d}@s.whatsapp.net" for n in range(30)]
    for n, jid in enumerate(senders[:10]):
        contacts.upsert_from_message(Incoming(
            message_id=f"c{n}", chat=jid, sender=jid, sender_phone="+" + jid.split("@")[0],
            push_name=f"Operator {n}", text="hi", timestamp=T0))
    return senders


@pytest.fixture
def log(db):
    """600 messages from 30 senders (10 of them contacts with names), in and out, with
    statuses, over 50 hours, a few of them arriving late with an older time."""
    rng = random.Random(14)
    senders = _operators()
    rows = []
    for i in range(600):
        jid = rng.choice(senders)
        when = T0 + timedelta(minutes=5 * i - (300 if i % 97 == 0 else 0))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        if i % 5 == 4:
            out = messages.enqueue(jid, text)
            messages.mark_in_flight(out, when)
            messages.mark_sent(out, f"W{i}", when)
            database_proxy.execute_sql("UPDATE messages SET created_at = ? WHERE id = ?",
                                       (when.strftime("%Y-%m-%d %H:%M:%S"), f"W{i}"))
            rows.append({"id": f"W{i}", "out": True, "party": jid, "text": text,
                         "status": "sent", "at": when})
        else:
            status = rng.choice(STATUSES)
            message_id = incoming(text, jid, when, message_id=f"M{i}")
            messages.decide(message_id, status)
            rows.append({"id": message_id, "out": False, "party": jid, "text": text,
                         "status": status, "at": when})
    rows.reverse()  # newest logged first, as the tab lists them
    return rows


def _expected(rows, flt: MessageFilter) -> list[str]:
    ids = set(message_search.party_ids(flt.party)) if flt.party else None
    return [r["id"] for r in rows if
            (flt.direction is None or (flt.direction == "outgoing") == r["out"])
            and (flt.status is None or r["status"] == flt.status)
            and (ids is None or r["party"] in ids)
            and (flt.text is None or _has_phrase(r["text"], flt.text))
            and (flt.since is None or r["at"] >= flt.since)
            and (flt.until is None or r["at"] < flt.until)]


FILTERS = [
    MessageFilter(),
    MessageFilter(text="boiler"),
    MessageFilter(text="pump valve"),
    MessageFilter(text="st"),
    MessageFilter(party="Operator 3"),
    MessageFilter(party="6281100000"),
    MessageFilter(party="0000", direction="outgoing"),
    MessageFilter(status="spam"),
    MessageFilter(status="sent", text="drum"),
    MessageFilter(party="Operator 1", text="pump"),
    MessageFilter(status="answered", text="level", direction="incoming"),
    MessageFilter(since=T0 + timedelta(hours=10), until=T0 + timedelta(hours=20)),
    MessageFilter(since=T0 + timedelta(hours=40), party="Operator 2"),
    MessageFilter(until=T0 + timedelta(hours=5), text="trip", status="ignored"),
]


def test_pages_of_every_filter_have_no_gaps_or_repeats(log, monkeypatch):
    for flt in FILTERS:
        expected = _expected(log, flt)
        assert expected or flt.party == "0000", flt
        # Each way of reading: contacts walked or read in order, words alone or against a set.
        for max_ids, walk_set, scratch in ((100, 50_000, 2_000), (100, 50_000, 0),
                                           (1, 50_000, 2_000), (100, 1, 0)):
            monkeypatch.setattr(message_search, "MAX_PARTY_IDS", max_ids)
            monkeypatch.setattr(message_search, "WALK_SET_ROWS", walk_set)
            monkeypatch.setattr(message_search, "SCRATCH_ROWS", scratch)
            got: list[str] = []
            before = None
            while len(got) <= len(expected) and (batch := messages.page(flt, before, 7)):
                got += [m["id"] for m in batch]
                before = batch[-1]["rowid"]
            assert got == expected, (flt, max_ids, walk_set, scratch)
            assert messages.count(flt) == len(expected), flt
            assert messages.count(flt, cap=10) == min(len(expected), 11), flt


def test_a_contact_found_by_sqlite_has_the_ids_the_contacts_service_gives(db):
    _operators()
    lid = "207383839879258@lid"
    contacts.upsert_from_message(Incoming(
        message_id="l1", chat=lid, sender=lid, sender_phone="+6281299990000",
        push_name="Budi Santoso", text="hi", timestamp=T0,
        raw_ids={"lid": lid, "jid": "6281299990000@s.whatsapp.net"}))
    database_proxy.execute_sql(
        "INSERT INTO contacts (id, name, phone, metadata) VALUES "
        "('6281277770000@c.us', 'Old Row', '6281277770000', '{\"allowed\": true}'), "
        "('120363000000000001@g.us', 'Shift group', '120363000000000001', '{}')")
    for typed in ("budi", "Operator", "operator 7", "62812", "0000", "Shift", "old row",
                  "+62 812 9999", "nobody"):
        assert message_search._contact_ids(typed) == contacts.ids_matching(typed), typed


def test_a_contact_nobody_is_lists_nothing_at_once(log):
    assert messages.page(MessageFilter(party="Nobody at all"), None, 10) == []
    assert messages.count(MessageFilter(party="Nobody at all")) == 0
    assert messages.page(MessageFilter(since=T0 + timedelta(days=30)), None, 10) == []
