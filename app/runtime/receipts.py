"""Receipts from the bridge onto the outgoing rows, on the event loop (app/services/receipts.py).

A receipt may overtake the record of its own send: the bridge returns WhatsApp's id, and the
outbox writes it a moment later (or, while the database refuses writes, much later). A receipt
whose id no row has yet is therefore tried again a few times before it is let go, with a debug
line: it may just as well be for a message another program sent from the same number.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from app.core.messages import Receipt
from app.services import receipts
from app.services.writable import NotWritable

log = logging.getLogger(__name__)

RETRY_S = (0.2, 2.0, 10.0)  # pauses before the tries again of a receipt no row knows yet


class ReceiptRecorder:
    """The bridge's `on_receipt` for one channel's rows (whatsapp, or the simulator's)."""

    def __init__(self, channel: str = "whatsapp",
                 retry_s: tuple[float, ...] = RETRY_S) -> None:
        self.channel = channel
        self.retry_s = retry_s
        self._later: set[asyncio.Task[None]] = set()

    async def on_receipt(self, receipt: Receipt) -> None:
        unknown = self._record(receipt)
        if unknown and self.retry_s:
            task = asyncio.create_task(self._again(receipt, unknown), name="receipt-later")
            self._later.add(task)
            task.add_done_callback(self._later.discard)

    @property
    def waiting(self) -> int:
        """Receipts waiting to be tried again (their rows not known yet)."""
        return len(self._later)

    def stop(self) -> None:
        """Let go of the receipts still waiting (the bot stops)."""
        for task in list(self._later):
            task.cancel()

    def _record(self, receipt: Receipt) -> list[str]:
        try:
            return receipts.record_receipt(receipt, self.channel)
        except NotWritable:
            return list(receipt.message_ids)  # tried again like an id not known yet
        except Exception:  # noqa: BLE001 - a receipt must never stop the bot
            log.exception("A %s receipt could not be recorded", receipt.kind.value)
            return []

    async def _again(self, receipt: Receipt, ids: list[str]) -> None:
        for pause in self.retry_s:
            await asyncio.sleep(pause)
            ids = self._record(dataclasses.replace(receipt, message_ids=tuple(ids)))
            if not ids:
                return
        log.debug("Receipt for %s let go: no message the app sent has that id",
                  ", ".join(ids))
