"""The Messages tab says what the phone reported of each message the bot sent: delivered and
read times in the Log and the Outbox, from the loopback bridge's simulated phones."""

from __future__ import annotations

import re

import pytest

from app.bridge.loopback import LoopbackBridge, Phone
from app.composition import build_bot
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import outbox, receipts
from app.ui.tabs.messages_tab import LOG_COLUMNS, OUTBOX_COLUMNS, MessagesTab
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

SARI, TONO = "+6281111111111", "+6282222222222"
STAMP = r"\d\d:\d\d"


def column(model, columns, title: str) -> list[str]:
    at = [c.title for c in columns].index(title)
    return [model.index(r, at).data() for r in range(model.rowCount())]


async def test_log_and_outbox_show_delivered_and_read(ui_ctx, data_dir, qtbot):
    bridge = LoopbackBridge(phone=Phone.NEVER)
    bridge.set_phone(SARI, "read")
    runtime = build_bot(bridge, SourcePool(), data_dir / "media",
                        throttle=lambda: Throttle(0.0, 0.0, 10**6, 10**6))
    await runtime.start()
    try:
        sari = outbox.enqueue(SARI, "Drum pressure is 44 bar", kind="manual")
        outbox.enqueue(TONO, "Drum pressure is 44 bar", kind="manual")
        await runtime.outbox.drain()
        await bridge.receipts_reported()
        await until(lambda: receipts.delivery(sari).read_at is not None,
                    what="Sari's phone to report")
    finally:
        await runtime.stop()
    tab = MessagesTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    # Newest first: Tono's phone is off, Sari read hers.
    never, read = column(tab.log.model, LOG_COLUMNS, "Phone reported")
    assert never == "not delivered yet"
    assert re.fullmatch(f"delivered {STAMP}, read {STAMP}", read)
    tab.pages.setCurrentWidget(tab.outbox)
    await until(lambda: tab.outbox.model.rowCount() == 2, what="the outbox page")
    assert column(tab.outbox.model, OUTBOX_COLUMNS, "Phone reported") == [never, read]


@pytest.mark.parametrize("lang", ["en", "id"])
async def test_the_why_column_shows_its_longest_words_whole_at_1280_by_720(ui_ctx, qtbot, lang):
    from app.ui import language
    from app.ui.language import translate
    from app.ui.tabs.messages_tab import KIND_WORDS, kind_text

    language.install(lang)
    try:
        tab = MessagesTab(ui_ctx)
        qtbot.addWidget(tab)
        tab.resize(1280, 720)
        tab.show()
        view = tab.log.view
        at = [c.title for c in LOG_COLUMNS].index("Why")
        longest = max(view.fontMetrics().horizontalAdvance(kind_text(k)) for k in KIND_WORDS)
        assert view.columnWidth(at) >= longest + 12  # the words and the cell's margins
        # …and what the phone reported still fits in what is left, in this language.
        widths = sum(view.columnWidth(c) for c in range(len(LOG_COLUMNS) - 1))
        reported = view.fontMetrics().horizontalAdvance(
            translate("MessagesTab", "delivered {time}").format(time="16:55")
            + translate("MessagesTab", ", read {time}").format(time="16:55"))
        assert widths + reported + 12 <= view.viewport().width(), (widths, reported)
    finally:
        language.install("en")
