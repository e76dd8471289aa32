"""The Messages tab's search box and count, offscreen, over a real database."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from app.core.messages import Incoming
from app.services import messages
from app.ui.tabs.messages_tab import PAGE_SIZE, MessagesTab

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
SPECIAL = ['Pump AND valve (NEAR) -3 ^start', 'say "NEAR" AND (* now', "x-ray done",
           "100% sure", "valve open"]


def _log(count: int) -> list[str]:
    texts = [f"boiler {n} ok" for n in range(count)] + SPECIAL
    for n, text in enumerate(texts):
        sender = f"62811000{n % 7:04d}@s.whatsapp.net"
        messages.record_incoming(Incoming(
            message_id=f"M{n:04d}", chat=sender, sender=sender, sender_phone=None,
            push_name="Sari", text=text, timestamp=T0 + timedelta(seconds=n)), None)
    return texts


def _listed(log) -> list[str]:
    return [log.model.row_at(r)["content"] for r in range(log.model.rowCount())]


def _search(qtbot, log, typed: str) -> None:
    before = log._filter
    log.text.setText(typed)  # as typed: the tab reloads once the typing pauses
    qtbot.waitUntil(lambda: log._filter != before, timeout=3000)
    assert log.model.load_error is None


def test_words_are_searched_and_typed_syntax_is_harmless(ui_ctx, qtbot):
    _log(20)
    tab = MessagesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    log = tab.log
    assert log.text.placeholderText() == "Words in the text…"

    _search(qtbot, log, "boiler 1")
    assert _listed(log) == [f"boiler {n} ok" for n in (19, 18, 17, 16, 15, 14, 13, 12, 11,
                                                       10, 1)]
    assert log.count_label.text() == "11 messages" and log.search_note.isHidden()

    _search(qtbot, log, 'NEAR" AND (*')
    assert _listed(log) == ['say "NEAR" AND (* now']
    _search(qtbot, log, "(NEAR) -3 ^")
    assert _listed(log) == ["Pump AND valve (NEAR) -3 ^start"]
    assert log.search_note.isHidden()

    # One letter or digit: the words it starts, from the index, newest first.
    _search(qtbot, log, "x")
    assert _listed(log) == ["x-ray done"]
    assert log.search_note.isHidden()
    _search(qtbot, log, "v")
    assert _listed(log) == ["valve open", "Pump AND valve (NEAR) -3 ^start"]
    # Punctuation only: nothing listed, and the tab says in a sentence what a search needs.
    _search(qtbot, log, "%")
    assert _listed(log) == [] and log.search_note.isVisible()
    assert log.search_note.text().startswith(
        "Nothing is listed: a search needs a letter or a digit.")
    _search(qtbot, log, "(*)")
    assert _listed(log) == [] and log.search_note.isVisible()
    _search(qtbot, log, "valve")
    assert _listed(log) == ["valve open", "Pump AND valve (NEAR) -3 ^start"]
    assert log.search_note.isHidden()


def test_the_count_stops_at_the_cap_and_counts_all_when_asked(ui_ctx, qtbot, monkeypatch):
    texts = _log(PAGE_SIZE + 40)
    monkeypatch.setattr(messages, "COUNT_CAP", 100)
    tab = MessagesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    log = tab.log
    assert log.model.rowCount() == PAGE_SIZE
    assert log.count_label.text() == "100+ messages"
    assert log.count_all.isVisible()
    qtbot.mouseClick(log.count_all, Qt.MouseButton.LeftButton)
    assert log.count_label.text() == f"{len(texts):,} messages"
    assert log.count_all.isHidden()

    # A filter with fewer rows than the cap is counted exactly at once.
    _search(qtbot, log, "boiler 12")
    assert log.count_label.text() == "11 messages" and log.count_all.isHidden()


@pytest.mark.asyncio(loop_factories=["qasync"])
async def test_count_all_counts_off_the_loop_and_says_so_meanwhile(ui_ctx, qtbot, monkeypatch):
    texts = _log(PAGE_SIZE + 40)
    monkeypatch.setattr(messages, "COUNT_CAP", 100)
    counting_thread = []
    real_count = messages.count

    def count(*args, **kwargs):
        counting_thread.append(threading.get_ident())
        return real_count(*args, **kwargs)

    monkeypatch.setattr(messages, "count", count)
    tab = MessagesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    log = tab.log
    assert log.count_label.text() == "100+ messages"
    counting_thread.clear()
    qtbot.mouseClick(log.count_all, Qt.MouseButton.LeftButton)
    # While the worker counts, the label says so and the button waits.
    assert log.count_label.text() == "Counting every message…"
    assert not log.count_all.isEnabled()
    await log.counter.idle()
    await asyncio.sleep(0)
    qtbot.waitUntil(lambda: log.count_label.text() == f"{len(texts):,} messages", timeout=5000)
    assert log.count_all.isHidden() and log.count_all.isEnabled()
    assert counting_thread and threading.get_ident() not in counting_thread
