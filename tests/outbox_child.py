"""A child process that sends the outbox through a loopback WhatsApp whose phones keep a record.

Used by the crash tests: the parent kills it with SIGKILL in the middle of sending, then runs it
again. The record file plays the phones: one JSON line (WhatsApp's message id and the text) is
written, and flushed to disk, when a message "arrived". Like the real bridge, the loopback
chooses a new id for every send, so a message sent twice shows twice.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from pathlib import Path

from app.bridge.loopback import LoopbackBridge
from app.db.database import close_database, open_database
from app.runtime.outbox import Outbox, Throttle
from app.services import secrets


class PhoneLog(LoopbackBridge):
    def __init__(self, log: Path, delay: float) -> None:
        super().__init__(send_delay_s=delay)
        self.log = log

    async def _send(self, to, text, png, caption, quoted_id):
        message_id = await super()._send(to, text, png, caption, quoted_id)
        with self.log.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"id": message_id, "to": to, "text": text,
                                    "at": time.time()}) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return message_id


async def main(data_dir: Path, log: Path, delay: float) -> None:
    bridge = PhoneLog(log, delay)
    outbox = Outbox(bridge, throttle=lambda: Throttle(0, 0, 10**6, 10**6))
    outbox.recover()
    await bridge.start()
    await outbox.drain(timeout=120)


if __name__ == "__main__":
    folder = Path(sys.argv[1])
    secrets.configure(folder)
    opened = open_database(folder / "app.db")
    try:
        asyncio.run(main(folder, Path(sys.argv[2]), float(sys.argv[3])))
    finally:
        close_database(opened.db)
