"""The Dashboard says plainly when the database cannot be written and messages wait in memory,
and stops saying it once they are recorded."""

from __future__ import annotations

import pytest

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts
from app.ui.tabs.dashboard_tab import DashboardTab
from tests.helpers.waiting import until
from tests.integration.test_outbox_locked import Holder

pytestmark = pytest.mark.asyncio(loop_factories=["qasync"])

BUDI = "+6281234567890"


async def test_a_red_line_while_another_program_holds_the_database_locked(
        ui_ctx, data_dir, qtbot):
    contacts.save_from_file(ui_ctx.actor, phone=BUDI, name="Budi", jid=None, allowed=True,
                            tags=None)
    runtime = build_bot(LoopbackBridge(), SourcePool(), data_dir / "media",
                        throttle=lambda: Throttle(0, 0, 10**6, 10**6))
    bridge = runtime.bridge
    tab = DashboardTab(ui_ctx)
    qtbot.addWidget(tab)
    tab.show()
    holder = Holder(data_dir / "app.db")
    await runtime.start()
    try:
        await bridge.inject("hello", sender=BUDI, message_id="WARM")
        await until(lambda: len(bridge.sent) == 1, what="the first answer")
        await runtime.outbox.drain()
        assert tab.database_problem.isHidden()

        holder("lock")
        try:
            await bridge.inject("demo", sender=BUDI, message_id="LOCKED1")
            await until(lambda: tab.database_problem.isVisible(), what="the red line")
            assert tab.database_problem.text() == (
                "The database cannot be written: another program holds its lock (a backup, a "
                "second copy of this app or a database browser). 1 message waits in memory and "
                "will be recorded and answered when the database can be written again.")
            await bridge.inject("demo 1", sender=BUDI, message_id="LOCKED2")
            await until(lambda: "2 messages wait in memory" in tab.database_problem.text(),
                        what="the count")
            assert len(bridge.sent) == 1
        finally:
            holder("unlock")
        await until(lambda: tab.database_problem.isHidden(), timeout=20,
                    what="the red line to go")
        await until(lambda: len(bridge.sent) == 3, what="both answers")
    finally:
        await runtime.stop()
        holder.close()
