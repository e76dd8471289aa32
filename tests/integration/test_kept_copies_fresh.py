"""What the bot keeps between messages (the catalog, triggers, settings, who a sender is) is
never older than the last commit: a change made in the desktop app, or by another process
writing the same database file, is seen by the very next message."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from peewee import SQL

from app.bridge.loopback import LoopbackBridge
from app.composition import build_bot
from app.core.messages import Incoming
from app.core.timefmt import utc_now
from app.db.models import Contact, Message
from app.runtime.outbox import Throttle
from app.runtime.source_pool import SourcePool
from app.services import contacts, settings
from app.services import triggers as trigger_service

ROOT = Path(__file__).resolve().parents[2]
BUDI = "+6281234567890"
BUDI_JID = "6281234567890@s.whatsapp.net"
LID = "123456789012345@lid"


def _bot(data_dir):
    return build_bot(LoopbackBridge(), SourcePool(), data_dir / "media",
                     throttle=lambda: Throttle(0, 0, 10**6, 10**6))


def _setup(admin) -> str:
    contacts.save_from_file(admin, phone=BUDI, name="Budi", jid=None, allowed=True, tags=None)
    settings.update(admin, {"spam": {"max_commands": 100, "repeat_window_s": 0}})
    return trigger_service.save_trigger(admin, None, name="shift", kind="text", active=True,
                                        data_source_id=None,
                                        config={"text": "Shift A is on duty"})["id"]


def _another_process(data_dir: Path, code: str) -> None:
    """`code` run by a second Python process on the same database file."""
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "os.environ['WA_INTEGRATION_SECRETS'] = 'file'\n"
        "from pathlib import Path\n"
        "from app.db.database import close_database, open_database\n"
        "from app.services import contacts, secrets, settings, triggers\n"
        "from app.services.context import SYSTEM\n"
        f"folder = Path({str(data_dir)!r})\n"
        "secrets.configure(folder)\n"
        "opened = open_database(folder / 'app.db')\n"
        f"{code}\n"
        "close_database(opened.db)\n")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120, cwd=ROOT)


def test_changes_in_the_desktop_are_seen_by_the_very_next_message(db, admin, data_dir):
    trigger_id = _setup(admin)
    seen: list[str] = []

    async def main():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()

        async def ask(text: str) -> str:
            before = len(bridge.sent)
            await bridge.inject(text, sender=BUDI)
            await runtime.outbox.drain()
            return bridge.sent[-1].text.split("\n")[-1] if len(bridge.sent) > before else ""

        try:
            seen.append(await ask("shift"))
            seen.append(await ask("shift"))  # from the kept copies now
            # A trigger edited in the Triggers tab.
            trigger_service.save_trigger(admin, trigger_id, name="shift", kind="text",
                                         active=True, data_source_id=None,
                                         config={"text": "Shift B is on duty"})
            seen.append(await ask("shift"))
            # A setting changed in the Settings tab: the replies in Indonesian.
            settings.update(admin, {"general": {"language": "id"}})
            seen.append(await ask("frobnicate-0"))
            settings.update(admin, {"general": {"language": "en"}})
            # A trigger switched off: the word is no longer a command.
            trigger_service.set_active(admin, trigger_id, False)
            seen.append(await ask("shift"))
            trigger_service.set_active(admin, trigger_id, True)
            # The contact blocked in the Contacts tab: no answer at all.
            contacts.set_blocked(admin, contacts.find_contact(BUDI)["id"], True)
            seen.append(await ask("shift"))
            seen.append(Message.select().where(Message.type == "incoming")
                        .order_by(SQL("rowid").desc()).first().status)
        finally:
            await runtime.stop()

    asyncio.run(main())
    assert seen[0] == seen[1] == "Shift A is on duty"
    assert seen[2] == "Shift B is on duty"
    assert seen[3] == "Perintah tidak dikenal. Kirim *help* untuk daftar perintah."
    assert "Shift" not in seen[4]
    assert seen[5] == "" and seen[6] == "blocked"


def test_changes_by_another_process_on_the_same_file_are_seen_by_the_very_next_message(
        db, admin, data_dir):
    """The desktop app and `serve`, or `config import` from the command line, on one file:
    no change notice crosses between processes; SQLite's data_version tells the bot."""
    trigger_id = _setup(admin)
    seen: list[str] = []

    async def main():
        runtime = _bot(data_dir)
        bridge = runtime.bridge
        await runtime.start()

        async def ask(text: str) -> str:
            before = len(bridge.sent)
            await bridge.inject(text, sender=BUDI)
            await runtime.outbox.drain()
            return bridge.sent[-1].text.split("\n")[-1] if len(bridge.sent) > before else ""

        try:
            seen.append(await ask("shift"))
            seen.append(await ask("shift"))
            _another_process(data_dir, (
                f"triggers.save_trigger(SYSTEM, {trigger_id!r}, name='shift', kind='text', "
                "active=True, data_source_id=None, config={'text': 'Shift C is on duty'})"))
            seen.append(await ask("shift"))
            _another_process(data_dir, "settings.update(SYSTEM, {'general': {'language': 'id'}})")
            seen.append(await ask("frobnicate-1"))
            _another_process(data_dir, (
                f"contacts.set_blocked(SYSTEM, contacts.find_contact({BUDI!r})['id'], True)"))
            seen.append(await ask("shift"))
        finally:
            await runtime.stop()

    asyncio.run(main())
    assert seen[0] == seen[1] == "Shift A is on duty"
    assert seen[2] == "Shift C is on duty"
    assert seen[3] == "Perintah tidak dikenal. Kirim *help* untuk daftar perintah."
    assert seen[4] == ""


def _from(sender: str, phone: str = "", lid: str | None = None) -> Incoming:
    raw = {"chat": sender, "sender": sender}
    if lid:
        raw["lid"] = lid
    return Incoming(message_id=f"M-{sender}-{lid}", chat=sender, sender=sender,
                    sender_phone=phone, push_name="", text="demo", timestamp=utc_now(),
                    is_group=False, from_me=False, mentioned=False, message_type="chat",
                    raw_ids=raw)


def test_a_lid_another_process_learned_finds_the_same_person_here(db, admin, data_dir):
    """WhatsApp told `serve` that Budi's phone also goes by a LID; the desktop app, meeting a
    message from that LID alone, finds Budi rather than a new stranger."""
    contacts.save_from_file(admin, phone=BUDI, name="Budi", jid=None, allowed=True, tags=None)
    budi = contacts.upsert_from_message(_from(BUDI_JID, BUDI))  # known here, index read
    assert contacts.upsert_from_message(_from(BUDI_JID, BUDI))["id"] == budi["id"]
    _another_process(data_dir, (
        "from datetime import UTC, datetime\n"
        "from app.core.messages import Incoming\n"
        f"contacts.upsert_from_message(Incoming(message_id='X', chat={BUDI_JID!r}, "
        f"sender={BUDI_JID!r}, sender_phone={BUDI!r}, push_name='', text='demo', "
        "timestamp=datetime.now(UTC), is_group=False, from_me=False, mentioned=False, "
        f"message_type='chat', raw_ids={{'jid': {BUDI_JID!r}, 'lid': {LID!r}}}))"))
    found = contacts.upsert_from_message(_from(LID))
    assert found["id"] == budi["id"] and found["allowed"]
    assert Contact.select().count() == 1
