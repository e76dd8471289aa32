"""Dashboard, Messages, Contacts and Simulator tabs over the app's bots on loopback bridges."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from app.bridge.base import BridgeState, StateChange
from app.bridge.loopback import LoopbackBridge
from app.composition import bot_host, build_bot
from app.core.messages import Incoming
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, messages, wa_status
from app.services import contacts as contact_service
from app.ui.bot_host import BotHost
from app.ui.tabs.contacts_tab import ContactsTab
from app.ui.tabs.dashboard_tab import DashboardTab
from app.ui.tabs.messages_tab import PAGE_SIZE, MessagesTab
from app.ui.tabs.simulator_tab import SimulatorTab
from app.ui.widgets.table_model import ROW_ROLE
from tests.helpers.waiting import refreshed, until

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

STRANGER = "+628123456789"


def no_neonize(_path):
    raise AssertionError("a test must never start the real WhatsApp bridge")


@pytest.fixture
def host(data_dir, db):
    return bot_host(data_dir, bridge_factory=no_neonize)


@contextlib.asynccontextmanager
async def running(ui_ctx, host: BotHost):
    """The UI context with the app's bots, the Simulator's started on the test's own loop.

    Not an async fixture: pytest-asyncio runs those on a plain asyncio loop, not on qasync.
    """
    await host.start_simulator()
    try:
        yield dataclasses.replace(ui_ctx, bot=host)
    finally:
        await host.shutdown()


def bot_bubbles(tab: SimulatorTab) -> list:
    return [b for b in tab.chat.bubbles if not b.mine]


async def say(tab: SimulatorTab, qtbot, text: str, replies: int = 1) -> list:
    """Type `text`, press Enter, and wait for `replies` more answers from the bot."""
    before = len(bot_bubbles(tab))
    tab.message.setText(text)
    qtbot.keyClick(tab.message, Qt.Key.Key_Return)
    await until(lambda: len(bot_bubbles(tab)) >= before + replies, timeout=15,
                what=f"the bot's answer to {text!r}")
    return bot_bubbles(tab)[before:]


def pixmap_width(bubble) -> int:
    return bubble.image.pixmap().width()


def rows(model) -> list[dict]:
    return [model.index(r, 0).data(ROW_ROLE) for r in range(model.rowCount())]


def shown(model, column: int) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


async def test_simulator_answers_demo_with_text_and_demotrend_with_a_chart(ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        tab = SimulatorTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        tab.as_operator.setChecked(True)

        [reply] = await say(tab, qtbot, "demo")
        assert reply.text.startswith("*Demo plant*")
        assert "Boiler temperature" in reply.text and reply.image is None
        assert "<b>Demo plant</b>" in reply.label.text()  # WhatsApp's *bold* shown as bold

        tab.message.setText("demotrend")
        qtbot.keyClick(tab.message, Qt.Key.Key_Return)
        typing = tab.typing
        assert typing in tab.chat.findChildren(type(typing)) and not typing.mine
        assert typing.label.text() == "typing…", "the bot is seen working on it"
        await until(lambda: len(bot_bubbles(tab)) >= 2, timeout=15, what="the chart")
        chart = bot_bubbles(tab)[-1]
        await until(lambda: typing not in tab.chat.findChildren(type(typing)),
                    what="typing… gone once the bot answered")
        assert chart.image is not None
        chart.image.open_large()
        viewer = chart.image.viewer
        assert viewer.isVisible()
        large = viewer.findChild(QLabel, "chart_large").pixmap()
        assert large.width() > pixmap_width(chart), "double-clicked, the chart opens large"
        viewer.close()
        pixmap = chart.image.pixmap()
        assert not pixmap.isNull() and 200 <= pixmap.width() <= 420
        assert "last 8 hours" in chart.text  # the caption travels with the image
        # Mine on the right, the bot's on the left, in the order they were written.
        assert [b.mine for b in tab.chat.bubbles] == [True, False, True, False]
        mine, bots = tab.chat.bubbles[2], tab.chat.bubbles[1]
        await until(lambda: mine.x() > bots.x() + bots.width() // 2, what="the layout")
        # The conversation follows the newest message down.
        bar = tab.chat.verticalScrollBar()
        await until(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(),
                    what="the chat scrolled to the chart")


async def test_simulator_group_chat_answers_only_what_is_addressed_to_the_bot(
        ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        budi = contacts.upsert_from_message(Incoming(
            message_id="first", chat="628123456789@s.whatsapp.net",
            sender="628123456789@s.whatsapp.net", sender_phone=STRANGER, push_name="Budi",
            text="hi", timestamp=datetime.now(UTC)))
        contacts.approve(ctx.actor, budi["id"])
        tab = SimulatorTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        tab.group.setChecked(True)
        tab.message.setText("good morning everyone")
        qtbot.keyClick(tab.message, Qt.Key.Key_Return)
        await until(lambda: messages.page(messages.MessageFilter(status="ignored"), None, 5),
                    what="the chatter logged as ignored")
        # The bot answers only in a group approved in Contacts.
        contacts.approve(ctx.actor, host.loopback.default_group)
        [reply] = await say(tab, qtbot, "demo")
        assert reply.text.startswith("*Demo plant*")
        assert host.loopback.sent[-1].to.endswith("@g.us")  # answered in the group
        assert len(bot_bubbles(tab)) == 1


async def test_stranger_is_told_once_waits_in_contacts_and_is_answered_after_approval(
        ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        simulator = SimulatorTab(ctx)
        contacts_tab = ContactsTab(ctx)
        for widget in (simulator, contacts_tab):
            qtbot.addWidget(widget)
        simulator.show()
        assert simulator.sender.text() == STRANGER

        [notice] = await say(simulator, qtbot, "demo")
        assert "not authorised" in notice.text.lower()
        assert "Demo plant" not in notice.text

        contacts_tab.show()
        await until(lambda: rows(contacts_tab.model), what="the new contact")
        [row] = [r for r in rows(contacts_tab.model) if r["phone"] == STRANGER]
        assert row["waiting"] and row["name"] == "Test contact"
        index = contacts_tab.model.index(rows(contacts_tab.model).index(row), 2)
        assert index.data() == "Waiting for approval"
        assert index.data(Qt.ItemDataRole.BackgroundRole) is not None  # highlighted
        contacts_tab.waiting_only.setChecked(True)
        assert [r["phone"] for r in rows(contacts_tab.model)] == [STRANGER]

        contacts_tab.table.select_where("id", row["id"])
        assert contacts_tab.approve_button.isEnabled()
        qtbot.mouseClick(contacts_tab.approve_button, Qt.MouseButton.LeftButton)
        assert contacts.get_contact(row["id"])["allowed"]
        # Read again off the loop (the window is not held meanwhile): nobody waits any more.
        await until(lambda: rows(contacts_tab.model) == [], what="the list read again")
        contacts_tab.waiting_only.setChecked(False)
        assert shown(contacts_tab.model, 2) == ["Allowed"]

        # "!demo", not "demo" again: the spam rule ignores the same text within 10 s, even one
        # that was refused for access (reported to the owner of app/core/spam.py).
        [answer] = await say(simulator, qtbot, "!demo")
        assert answer.text.startswith("*Demo plant*")


async def test_messages_log_shows_statuses_and_why(ui_ctx, host, qtbot, qtmodeltester):
    async with running(ui_ctx, host) as ctx:
        simulator = SimulatorTab(ctx)
        tab = MessagesTab(ctx)
        for widget in (simulator, tab):
            qtbot.addWidget(widget)
        simulator.show()
        await say(simulator, qtbot, "demo")  # a stranger: refused
        contacts.approve(ctx.actor, contacts.find_contact(STRANGER)["id"])
        await say(simulator, qtbot, "!demo")  # now answered
        tab.show()
        log = tab.log
        await until(lambda: log.model.rowCount() >= 4, what="the log rows")
        incoming = [r for r in rows(log.model) if r["direction"] == "incoming"]
        # A stranger's first message is logged as waiting for approval, with the reason.
        assert [r["status"] for r in incoming] == ["answered", "waiting"]
        statuses = shown(log.model, 4)
        assert "Answered" in statuses and "Sent" in statuses
        assert "Waiting for approval" in statuses
        waiting = rows(log.model).index(incoming[1])
        assert "waits for approval in Contacts" in log.model.index(waiting, 5).data()
        answered = rows(log.model).index(incoming[0])
        assert log.model.index(answered, 5).data().startswith("trigger demo")
        assert log.model.index(answered, 4).data(Qt.ItemDataRole.ForegroundRole) is not None
        qtmodeltester.check(log.model)

        # The filters: only what came in, only what was refused.
        log.direction.setCurrentIndex(log.direction.findData("incoming"))
        log.reload()
        assert {r["direction"] for r in rows(log.model)} == {"incoming"}
        log.status.setCurrentIndex(log.status.findData(incoming[1]["status"]))
        log.reload()
        assert [r["id"] for r in rows(log.model)] == [incoming[1]["id"]]
        assert log.count_label.text() == "1 message"


async def test_messages_log_loads_page_by_page(ui_ctx, host, qtbot, qtmodeltester):
    async with running(ui_ctx, host) as ctx:
        total = PAGE_SIZE * 2 + 37
        start = datetime(2025, 1, 1, tzinfo=UTC)
        for number in range(total):
            messages.record_incoming(Incoming(
                message_id=f"bulk-{number}", chat="6281100000@s.whatsapp.net",
                sender="6281100000@s.whatsapp.net", sender_phone="+6281100000", push_name="Bulk",
                text=f"message {number}", timestamp=start + timedelta(seconds=number)), None)
        tab = MessagesTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        model = tab.log.model
        assert model.rowCount() == PAGE_SIZE
        assert model.index(0, 3).data() == f"message {total - 1}"  # newest first
        assert model.canFetchMore(QModelIndex())
        model.fetchMore(QModelIndex())
        assert model.rowCount() == 2 * PAGE_SIZE
        qtmodeltester.check(model)  # fetches the rest as a view would
        assert model.rowCount() == total and not model.canFetchMore(QModelIndex())
        assert model.index(total - 1, 3).data() == "message 0"
        assert tab.log.count_label.text() == f"{total:,} messages"

        # Searching waits for a pause in the typing, then counts once for that filter.
        tab.log.text.setText("message 12")
        assert model.rowCount() == total  # nothing reloaded on the keystroke itself
        await until(lambda: model.rowCount() < total, what="the filtered log")
        assert {r["content"] for r in rows(model)} == {"message 12", *(
            f"message {n}" for n in range(120, 130))}


async def test_failed_send_shows_in_outbox_and_retry_sends_it(ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        contacts_row = contacts.upsert_from_message(Incoming(
            message_id="first", chat="628123456789@s.whatsapp.net",
            sender="628123456789@s.whatsapp.net", sender_phone=STRANGER, push_name="Budi",
            text="hi", timestamp=datetime.now(UTC)))
        contacts.approve(ctx.actor, contacts_row["id"])
        simulator = SimulatorTab(ctx)
        tab = MessagesTab(ctx)
        for widget in (simulator, tab):
            qtbot.addWidget(widget)
        simulator.show()
        tab.show()
        tab.pages.setCurrentWidget(tab.outbox)
        outbox = tab.outbox

        host.loopback.fail_next(1, retry=False)
        simulator.message.setText("demo")
        qtbot.keyClick(simulator.message, Qt.Key.Key_Return)
        await until(lambda: any(r["status"] == "failed" for r in rows(outbox.model)),
                    timeout=15, what="the failed row")
        [failed] = [r for r in rows(outbox.model) if r["status"] == "failed"]
        line = rows(outbox.model).index(failed)
        assert outbox.model.index(line, 3).data() == "Failed"
        assert "simulated failure" in outbox.model.index(line, 7).data()
        assert outbox.model.index(line, 4).data() == "1"
        assert bot_bubbles(simulator) == []

        outbox.select_id(failed["id"])
        assert outbox.retry_button.isEnabled() and not outbox.cancel_button.isEnabled()
        qtbot.mouseClick(outbox.retry_button, Qt.MouseButton.LeftButton)
        await until(lambda: bot_bubbles(simulator), timeout=15, what="the retried reply")
        assert bot_bubbles(simulator)[0].text.startswith("*Demo plant*")
        # The bridge hands the reply over before the outbox records it as sent.
        await until(lambda: messages.get_outgoing(failed["id"])["status"] == "sent",
                    what="the row recorded as sent")
        await until(lambda: [r["status"] for r in rows(outbox.model) if r["id"] == failed["id"]]
                    == ["sent"], what="the outbox list to follow")


async def test_dashboard_shows_the_qr_code_and_says_what_to_do_after_a_logout(ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        tab = DashboardTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        assert tab.headline.text() == "Stopped"
        assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()
        assert tab.qr.isHidden()

        wa_status.set_qr("2@abcDEF123,xyz456,uvw789=,pairing-ref")
        assert tab.headline.text() == "Waiting to be paired"
        assert not tab.qr.isHidden()
        pixmap = tab.qr.pixmap()
        assert not pixmap.isNull() and pixmap.width() >= 200
        image = pixmap.toImage()
        assert image.pixelColor(0, 0).lightness() > 200  # the quiet zone around the code is white

        wa_status.apply(StateChange(BridgeState.LOGGED_OUT, "The phone removed this device."))
        assert tab.headline.text() == "Logged out"
        assert tab.advice.text().startswith("The phone removed this device.")
        assert "pair again" in tab.advice.text()
        assert tab.qr.isHidden()

        until_ = datetime.now(UTC) + timedelta(hours=3)
        wa_status.apply(StateChange(BridgeState.BANNED, "", until=until_))
        assert tab.headline.text().startswith("Temporarily banned until ")


async def test_dashboard_counts_today_and_lists_activity(ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        simulator = SimulatorTab(ctx)
        dashboard = DashboardTab(ctx)
        for widget in (simulator, dashboard):
            qtbot.addWidget(widget)
        simulator.show()
        simulator.as_operator.setChecked(True)
        await say(simulator, qtbot, "demo")
        simulator.as_operator.setChecked(False)
        await say(simulator, qtbot, "demo")
        # The Dashboard is about the WhatsApp number: the Simulator's talk is not counted.
        dashboard.show()
        dashboard.refresh_numbers()
        await refreshed(dashboard)
        assert [dashboard.counters[k].number.text() for k in ("in", "out", "pending")] == [
            "0", "0", "0"]
        failed = dashboard.counters["failed"].number
        assert failed.text() == "0" and "#b00020" not in failed.styleSheet(), \
            "nothing failed is not shown in red"
        assert dashboard.activity_model.rowCount() == 0
        # WhatsApp traffic is: a stranger asks, gets the notice, is approved, asks again.
        real = LoopbackBridge()
        runtime = build_bot(real, SourcePool(), ctx.bot.media_dir,
                             throttle=lambda: Throttle(0, 0, 100, 100))
        await runtime.start()
        try:
            await real.inject("demo", sender="+628111222333")
            await until(lambda: len(real.sent) == 1, what="the not-authorised notice")
            contact = contact_service.find_contact("+628111222333")
            contact_service.approve(ctx.actor, contact["id"])
            await real.inject("demo", sender="+628111222333")
            await until(lambda: len(real.sent) == 2, what="the WhatsApp reply")
            dashboard.refresh_numbers()
            await until(lambda: dashboard.counters["in"].number.text() == "2"
                        and dashboard.counters["out"].number.text() == "2",
                        what="today's counts")
            texts = shown(dashboard.activity_model, 3)
            assert any(t.startswith("*Demo plant*") for t in texts) and "demo" in texts
        finally:
            await runtime.stop()


async def test_start_and_stop_from_the_dashboard_keep_the_two_bots_apart(
        data_dir, db, ui_ctx, qtbot):
    real_bridges: list[LoopbackBridge] = []

    def fake_whatsapp(_path):
        real_bridges.append(LoopbackBridge())
        return real_bridges[-1]

    host = bot_host(data_dir, bridge_factory=fake_whatsapp)
    await host.start_simulator()
    ctx = dataclasses.replace(ui_ctx, bot=host)
    try:
        dashboard = DashboardTab(ctx)
        simulator = SimulatorTab(ctx)
        for widget in (dashboard, simulator):
            qtbot.addWidget(widget)
        dashboard.show()
        qtbot.mouseClick(dashboard.start_button, Qt.MouseButton.LeftButton)
        await until(lambda: dashboard.headline.text().startswith("Connected"),
                    what="the bot connected")
        assert dashboard.number.text() == "Bot number: +620000000000"
        assert dashboard.stop_button.isEnabled() and not dashboard.start_button.isEnabled()

        # A message to the real bot is answered by the real bot only, and the other way round.
        [real] = real_bridges
        await real.inject("help", sender="+628555000111")
        await until(lambda: real.sent, what="the real bot's notice")
        simulator.show()
        simulator.as_operator.setChecked(True)
        await say(simulator, qtbot, "demo")
        assert len(real.sent) == 1 and "not authorised" in real.sent[0].text.lower()
        assert len(host.loopback.sent) == 1
        assert host.loopback.sent[0].text.startswith("*Demo plant*")

        qtbot.mouseClick(dashboard.stop_button, Qt.MouseButton.LeftButton)
        await until(lambda: dashboard.headline.text() == "Stopped", what="the bot stopped")
        assert dashboard.start_button.isEnabled() and not host.running
    finally:
        await host.shutdown()


async def test_compose_queues_for_whatsapp_and_the_simulator_never_sends_it(
        ui_ctx, host, qtbot):
    async with running(ui_ctx, host) as ctx:
        budi = contacts.upsert_from_message(Incoming(
            message_id="first", chat="628123456789@s.whatsapp.net",
            sender="628123456789@s.whatsapp.net", sender_phone=STRANGER, push_name="Budi",
            text="hi", timestamp=datetime.now(UTC)))
        contacts.update(ctx.actor, budi["id"], "Budi Santoso", None)
        tab = MessagesTab(ctx)
        qtbot.addWidget(tab)
        tab.show()
        tab.pages.setCurrentWidget(tab.compose)
        page = tab.compose
        index = page.recipient.findText(f"Budi Santoso ({STRANGER})")
        assert index >= 0
        page.recipient.setCurrentIndex(index)
        page.text.setPlainText("Boiler 2 is back online.")
        qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
        assert page.result.text().startswith(f"Queued for {STRANGER}")
        assert page.text.toPlainText() == ""

        page.recipient.setEditText("not a number")
        page.text.setPlainText("hello")
        qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
        assert "is not a phone number" in page.result.text()

        tab.pages.setCurrentWidget(tab.outbox)
        await until(lambda: rows(tab.outbox.model), what="the queued message")
        [queued] = rows(tab.outbox.model)
        assert queued["message"] == "Boiler 2 is back online." and queued["status"] == "pending"
        assert tab.outbox.model.index(0, 1).data() == STRANGER  # WhatsApp's, not the Simulator's
        assert tab.outbox.model.index(0, 3).data() == "Waiting to send"
        # The Simulator's outbox, woken and given time, leaves WhatsApp's row alone.
        host.simulator.outbox.wake()
        await asyncio.sleep(0.3)
        assert host.loopback.sent == []
        assert messages.get_outgoing(queued["id"])["status"] == "pending"


async def test_pairing_code_and_log_out_from_the_dashboard(data_dir, db, ui_ctx, qtbot):
    host = bot_host(data_dir, bridge_factory=lambda _path: LoopbackBridge())
    ctx = dataclasses.replace(ui_ctx, bot=host)
    try:
        dashboard = DashboardTab(ctx)
        qtbot.addWidget(dashboard)
        dashboard.show()
        assert not dashboard.logout_button.isEnabled()  # nothing to log out of yet

        qtbot.keyClicks(dashboard.phone, "12")
        qtbot.mouseClick(dashboard.pair_button, Qt.MouseButton.LeftButton)
        assert "country code" in dashboard.code_hint.text() and not host.running
        dashboard.phone.setText("+62 812 0000 1111")
        qtbot.mouseClick(dashboard.pair_button, Qt.MouseButton.LeftButton)
        await until(lambda: dashboard.code.text() == "LOOP-BACK", what="the pairing code")
        assert "Link with phone number" in dashboard.code_hint.text()
        assert host.running  # asking for a code starts the bot

        await until(dashboard.logout_button.isEnabled, what="Log out to be offered")
        qtbot.mouseClick(dashboard.logout_button, Qt.MouseButton.LeftButton)
        [box] = dashboard.findChildren(QMessageBox)
        assert "Unlink this workstation" in box.text()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
        await until(lambda: not host.running, what="the bot stopped after the logout")
        assert dashboard.headline.text() == "Logged out"
        assert "pair again" in dashboard.advice.text()
        assert dashboard.start_button.isEnabled()
        assert wa_status.get()["state"] == "logged_out"  # stopping did not hide it
    finally:
        await host.shutdown()
