"""The Alarms tab's summary as a control-room operator uses it: the alarms needing someone
first, coloured by severity, who was told and what their phones reported; acknowledging from
the desk with a comment, heard on the phone of the person the alarm went to."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from app.bridge.loopback import LoopbackBridge, Phone
from app.composition import build_bot
from app.core.messages import Incoming
from app.db.models import AlarmAck
from app.runtime.alarms.engine import AlarmEngine
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import alarm_acks, alarms, contacts, sources
from app.ui.tabs.alarm_summary import SEVERITY_BACKGROUND
from app.ui.tabs.alarms_tab import AlarmsTab
from tests.helpers.waiting import refreshed, until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

BUDI_JID = "628123456789@s.whatsapp.net"
HHMM = r"\d\d:\d\d"


def operator(actor) -> None:
    budi = contacts.upsert_from_message(Incoming(
        message_id="first", chat=BUDI_JID, sender=BUDI_JID, sender_phone="+628123456789",
        push_name="Budi", text="hi", timestamp=datetime.now(UTC)))
    contacts.approve(actor, budi["id"])
    contacts.update(actor, budi["id"], "Budi", ["operators"])


async def raise_alarms(actor, *named: tuple[str, str, str]) -> dict[str, int]:
    """Alarms always in alarm on the demo historian, each raised (and told) on its own."""
    demo = sources.find_by_name("demo")["id"]
    engine = AlarmEngine(SourcePool())
    for name, severity, tag in named:
        alarms.save_alarm(actor, None, name=name, active=True, kind="pi", data_source_id=demo,
                          tag=tag, trigger_id=None,
                          config={"condition": "above", "high": -1000, "severity": severity,
                                  "recipients": [{"tags": ["operators"]}]})
        await engine.run_cycle(force=True)
    return {a["name"]: a["event_id"] for a in alarms.list_alarms()}


def shown(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in range(model.columnCount())]


def background(model, row: int) -> str:
    return model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).color().name()


def select(summary, number: int) -> None:
    summary.table.select_where("number", number)
    assert summary.selected()["number"] == number


class Phones:
    """The bot on the WhatsApp channel over the loopback bridge; Budi's phone reads all."""

    def __init__(self, data_dir) -> None:
        self.bridge = LoopbackBridge(phone=Phone.READ)
        self.runtime = build_bot(self.bridge, SourcePool(), data_dir / "media",
                                 throttle=lambda: Throttle(0.0, 0.0, 10**6, 10**6))

    async def received(self) -> list[str]:
        await self.runtime.outbox.drain()
        await self.bridge.receipts_reported()
        texts = []
        while not self.bridge.outgoing.empty():
            item = self.bridge.outgoing.get_nowait()
            assert item.to == BUDI_JID
            texts.append(item.text)
        return texts


async def test_active_then_acknowledged_then_shelved_each_in_its_colour(ui_ctx, qtbot):
    operator(ui_ctx.actor)
    numbers = await raise_alarms(ui_ctx.actor, ("Drum pressure", "critical", "DEMO.DRUM.PRESS"),
                                 ("Boiler temperature", "high", "DEMO.BOILER.TEMP"),
                                 ("Tank level", "low", "DEMO.TANK.LEVEL"))
    alarm_acks.shelve(numbers["Drum pressure"], timedelta(hours=2), "maintenance",
                      alarm_acks.Who("Budi"))
    alarm_acks.acknowledge(numbers["Boiler temperature"], alarm_acks.Who("Budi"))
    tab = AlarmsTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 720)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    summary = tab.summary
    assert tab.lower_tabs.currentWidget() is summary  # the summary is what the tab opens on
    model = summary.table.proxy
    assert model.rowCount() == 3
    tank, boiler, drum = (shown(model, r) for r in range(3))
    # Active first even though least severe, then acknowledged, then shelved.
    assert tank[:4] == [f"#{numbers['Tank level']}", "🔵 Low", "Tank level",
                        "ACTIVE, not acknowledged"]
    assert boiler[1:3] == ["🟠 High", "Boiler temperature"]
    assert re.fullmatch(f"acknowledged by Budi {HHMM}", boiler[3])
    assert drum[1:3] == ["🔴 Critical", "Drum pressure"]
    assert re.fullmatch(f"shelved until {HHMM}", drum[3])
    # Coloured by severity, and the word says it too; the alarm nobody has in bold.
    assert [background(model, r) for r in range(3)] == [
        SEVERITY_BACKGROUND["low"], SEVERITY_BACKGROUND["high"],
        SEVERITY_BACKGROUND["critical"]]
    assert model.index(0, 2).data(Qt.ItemDataRole.FontRole).weight() == QFont.Weight.Bold
    assert model.index(1, 2).data(Qt.ItemDataRole.FontRole) is None
    assert tank[4] == "0 min" and tank[5].endswith("%")  # in alarm since a moment; its value
    assert all(re.fullmatch(f"Budi: sent {HHMM}, not delivered", row[6]) is None
               for row in (tank, boiler, drum))  # not sent at all: no bot running
    assert tank[6] == "Budi: waiting to be sent"
    assert "3 open: 1 active, 1 acknowledged, 1 shelved" in summary.counts.text()
    # What may be done with each.
    select(summary, numbers["Tank level"])
    assert summary.ack_button.isEnabled() and summary.shelve_button.isEnabled()
    assert not summary.unshelve_button.isEnabled()
    select(summary, numbers["Drum pressure"])
    assert summary.unshelve_button.isEnabled() and not summary.shelve_button.isEnabled()
    # Unshelved from the desk: needing someone again, it moves up among the active ones.
    qtbot.mouseClick(summary.unshelve_button, Qt.MouseButton.LeftButton)
    await refreshed(summary)
    assert [shown(model, r)[2] for r in range(3)] == [
        "Drum pressure", "Tank level", "Boiler temperature"]
    assert shown(model, 0)[3] == "ACTIVE, not acknowledged"
    assert background(model, 0) == SEVERITY_BACKGROUND["critical"]


async def test_acknowledged_from_the_desk_with_a_comment_reaches_the_phone(
        ui_ctx, data_dir, qtbot):
    operator(ui_ctx.actor)
    numbers = await raise_alarms(ui_ctx.actor, ("Drum pressure", "critical", "DEMO.DRUM.PRESS"))
    number = numbers["Drum pressure"]
    phones = Phones(data_dir)
    await phones.runtime.start()
    try:
        [alarm_text] = await phones.received()
        assert f"#{number} Drum pressure" in alarm_text
        tab = AlarmsTab(ui_ctx)
        qtbot.addWidget(tab)
        tab.show()
        await refreshed(tab, tab.summary)  # the first fill, read off the loop
        summary = tab.summary
        # Budi's phone reported the alarm delivered and read.
        await until(lambda: (summary.refresh() or True) and re.fullmatch(
            f"Budi: read {HHMM}", shown(summary.table.proxy, 0)[6]) is not None,
            what="the read receipt in the summary")
        select(summary, number)
        summary.comment.setText("checked on site, valve closed")
        qtbot.mouseClick(summary.ack_button, Qt.MouseButton.LeftButton)
        [ack] = AlarmAck.select().where(AlarmAck.event == number)
        assert (ack.action, ack.by_name, ack.via, ack.reason) == (
            "ack", "admin", "gui", "checked on site, valve closed")
        assert summary.comment.text() == ""
        await refreshed(summary)
        assert re.fullmatch(f"acknowledged by admin {HHMM}", shown(summary.table.proxy, 0)[3])
        assert not summary.ack_button.isEnabled()
        # The phone the alarm went to hears who acknowledged it, with the comment.
        assert await phones.received() == [
            f"👍 #{number} Drum pressure acknowledged by admin: checked on site, valve closed"]
        # The event's history says who was told, delivered and read.
        qtbot.mouseClick(summary.history_button, Qt.MouseButton.LeftButton)
        history = summary.history_dialog.text.toPlainText()
        assert re.search(f"delivered to Budi {HHMM}, read {HHMM}", history)
        assert "acknowledged by admin (via gui)" in history
        assert "checked on site, valve closed" in history
        summary.history_dialog.close()
    finally:
        await phones.runtime.stop()


async def test_a_viewer_sees_the_summary_but_cannot_act(ui_ctx, qtbot):
    import dataclasses

    from app.services.context import Actor

    operator(ui_ctx.actor)
    numbers = await raise_alarms(ui_ctx.actor, ("Drum pressure", "critical", "DEMO.DRUM.PRESS"))
    viewer = dataclasses.replace(ui_ctx, session=dataclasses.replace(
        ui_ctx.session, actor=Actor(None, "vera", "viewer")))
    tab = AlarmsTab(viewer)
    qtbot.addWidget(tab)
    tab.show()
    await refreshed(tab, tab.summary)  # the first fill, read off the loop
    select(tab.summary, numbers["Drum pressure"])
    assert not tab.summary.ack_button.isEnabled() and not tab.summary.shelve_button.isEnabled()
    assert not tab.summary.comment.isEnabled() and tab.summary.history_button.isEnabled()
