"""Alarms by e-mail and escalation on delivery: the alarm engine's second way out.

A level of recipients says how it is told: `"channels": ["whatsapp"]` (the default, every
alarm before), `["email"]` or both. An e-mail goes to each person of the level who has an
address (app/services/emails.py); groups have none. E-mails are rows of the outbox with medium
"email" (app/services/email_queue.py), queued in the cycle's own unit of work, so none is lost
at a crash, and sent by `EmailSender` through the e-mail connection of the setting
alarms.email_connection, retried, a failure kept on the row with the mail server's sentence.
Quiet hours hold an e-mail as they hold a WhatsApp message: the engine does not tell a level
in quiet hours at all (a critical alarm goes through), and an all-clear waits for their end.

Escalation on delivery: a level with `"undelivered_min": 5` is told when none of the previous
level's WhatsApp messages of the event was reported delivered (receipts, migration 13) within
that many minutes of their telling. A session that is logged out or down sends nothing, so
nothing is delivered and it counts the same. The people of that level whose message was not
delivered get their copy by e-mail, when they have an address, marked as sent by e-mail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from app.core.i18n import tr
from app.runtime.alarms.outgoing import Queued
from app.runtime.executor import run_blocking
from app.runtime.mail import send_email
from app.runtime.source_pool import SourcePool
from app.services import alarm_delivery, contacts, email_queue, outbox, outbox_restart
from app.services.recipients import Destination
from app.sources.base import Fault, SourceError

log = logging.getLogger(__name__)

WHATSAPP, EMAIL = "whatsapp", "email"
MAX_TRIES = 5  # an e-mail the server keeps failing is given up after this many tries
BACKOFF_FIRST_S = 60.0
BACKOFF_MAX_S = 1800.0
MAX_INTERRUPTED = 3  # as the WhatsApp outbox: a row whose sends a crash cut short
_BETWEEN = "\n\n" + "—" * 24 + "\n\n"  # between the alarms of one e-mail
_REMEMBERED = 100_000  # (event, level) decisions kept in memory before they are read afresh


# The e-mail queue's database work may wait this long on a worker thread (another program's
# lock included) before the tick gives up and tries again at the next one.
DB_TIMEOUT_S = 30.0


async def _db(fn: Callable[..., Any], *args: Any) -> Any:
    return await run_blocking(fn, *args, timeout=DB_TIMEOUT_S)


def channels_of(level: dict[str, Any]) -> set[str]:
    """How a level is told: {"whatsapp"}, {"email"} or both; missing means WhatsApp."""
    raw = level.get("channels") or [WHATSAPP]
    found = {str(c).strip().lower() for c in (raw if isinstance(raw, list) else [raw])}
    return (found & {WHATSAPP, EMAIL}) or {WHATSAPP}


def _ack_hint(language: str, number: int) -> str:
    return tr(language, "email_ack_hint", number=number)


class AlarmDelivery:
    """The engine's hooks: which destinations go by WhatsApp, the e-mails of a telling, the
    delivery timeout and the stand-in copies. E-mails queued in a cycle are kept in `queued`
    until the cycle takes them into its report."""

    def __init__(self, channel: str, clock: Callable[[], datetime]) -> None:
        self.channel = channel
        self.clock = clock
        self.queued: list[Queued] = []
        # The cycle's e-mails until it ends: (address, not before, stands for) → the mails.
        self._mails: dict[tuple[str, datetime | None, int | None],
                          list[tuple[str, str, datetime]]] = {}
        self._about: set[tuple[str, int]] = set()  # (address, event) e-mailed in this cycle
        # (event, level) → when that level was told, read once; and the levels reported
        # delivered in time, which they stay (a receipt's time never moves): so a plant with
        # thousands of open events reads each event's history once, not every cycle.
        self._told: dict[tuple[int, int], alarm_delivery.LevelTold | None] = {}
        self._delivered: set[tuple[int, int]] = set()

    def take(self, language: str) -> list[Queued]:
        """Queue the cycle's e-mails (inside its unit of work) and hand them over: one e-mail
        per address per cycle, as on WhatsApp, however many alarms it tells of."""
        for (address, not_before, stands_for_id), mails in self._mails.items():
            subject, body, now = mails[0]
            if len(mails) > 1:
                subject = tr(language, "email_many_subject", count=len(mails))
                body = _BETWEEN.join(text for _subject, text, _now in mails)
            outbox_id = email_queue.enqueue_email(address, subject, body, kind="alarm",
                                                  channel=self.channel, created_at=now,
                                                  not_before=not_before,
                                                  stands_for_id=stands_for_id)
            self.queued.append(Queued(address, body, "alarm", outbox_id, channel=EMAIL))
        self._mails.clear()
        self._about.clear()
        taken, self.queued = self.queued, []
        return taken

    def _email(self, address: str, subject: str, body: str, now: datetime,
               not_before: datetime | None = None, stands_for_id: int | None = None,
               event_id: int | None = None) -> None:
        key = (address, not_before, stands_for_id)
        self._mails.setdefault(key, []).append((subject, body, now))
        if event_id is not None:
            self._about.add((address, event_id))

    def discard(self) -> None:
        """Forget what a cycle collected and did not queue: a cycle whose writes were undone
        (the database refused them) must not leave its e-mails for the next one to send."""
        self._mails.clear()
        self._about.clear()
        self.queued.clear()

    # -- a telling ------------------------------------------------------------------------
    def split(self, alarm: dict[str, Any], event_id: int, level: int, text: str,
              dests: list[Destination], now: datetime, everyone: list[dict[str, Any]],
              language: str) -> tuple[list[Destination], list[str], list[str]]:
        """(the destinations told by WhatsApp, the names and the addresses told by e-mail);
        the e-mails are queued."""
        channels = channels_of(alarm["levels"][level])
        by_whatsapp = dests if WHATSAPP in channels else []
        if EMAIL not in channels:
            return by_whatsapp, [], []
        people = alarm_delivery.addresses_of_chats([d.chat for d in dests if not d.is_group],
                                                   everyone)
        subject = tr(language, "email_alarm_subject", number=event_id, name=alarm["name"])
        body = f"{text}\n\n{_ack_hint(language, event_id)}"
        names, addresses = [], []
        for dest in dests:
            if dest.chat in people:
                name, address = people[dest.chat]
                self._email(address, subject, body, now, event_id=event_id)
                names.append(f"{name} <{address}>")
                addresses.append(address)
        return by_whatsapp, names, addresses

    def cleared(self, alarm: dict[str, Any], event_id: int, text: str,
                history: list[dict[str, Any]], language: str,
                not_before: datetime | None) -> None:
        """Everyone told by e-mail hears it cleared by e-mail (after quiet hours, if in them)."""
        subject = tr(language, "email_cleared_subject", number=event_id, name=alarm["name"])
        for address in alarm_delivery.told_emails(history):
            self._email(address, subject, text, self.clock(), not_before=not_before)

    def schedule_emails(self, caption: str, dests: list[Destination],
                        parts: list[tuple[str, bytes | None]], now: datetime) -> list[Queued]:
        """A schedule's run by e-mail to each person who has an address: its text parts (a
        chart goes by WhatsApp only), the caption as the subject."""
        people = alarm_delivery.addresses_of_chats([d.chat for d in dests if not d.is_group],
                                                   contacts.list_contacts())
        body = "\n\n".join(text for text, _image in parts if text)
        out = []
        for dest in dests:
            if dest.chat in people:
                _name, address = people[dest.chat]
                outbox_id = email_queue.enqueue_email(address, caption, body, kind="schedule",
                                                      channel=self.channel, created_at=now)
                out.append(Queued(address, body, "schedule", outbox_id, channel=EMAIL))
        return out

    # -- escalation on delivery -------------------------------------------------------------
    def undelivered(self, alarm: dict[str, Any], event: dict[str, Any], nxt: int,
                    now: datetime) -> tuple[float, list[dict[str, Any]]] | None:
        """(the timeout, the level's WhatsApp rows) when level `nxt` is due because none of the
        level before's WhatsApp messages was delivered in time; None otherwise."""
        minutes = alarm["levels"][nxt].get("undelivered_min")
        key = (event["number"], nxt - 1)
        if not minutes or key in self._delivered:
            return None
        if len(self._told) + len(self._delivered) > _REMEMBERED:
            self._told.clear()  # read again when needed: only a cost, never a wrong answer
            self._delivered.clear()
        if key not in self._told:
            told = alarm_delivery.level_told(event["number"])
            self._told[key] = told if told is not None and told.level == nxt - 1 else None
        told = self._told[key]
        if told is None:
            return None
        limit = told.at + timedelta(minutes=float(minutes))
        if now < limit:
            return None
        rows = alarm_delivery.whatsapp_rows(event["number"], told.at, told.chats)
        if not rows or any(r["delivered_at"] is not None and r["delivered_at"] <= limit
                           for r in rows):
            # Delivered in time, or told by e-mail only (no phone to wait for).
            self._delivered.add(key)
            return None
        self._told.pop(key, None)
        return float(minutes), rows

    def stand_ins(self, alarm: dict[str, Any], number: int, text: str,
                  rows: list[dict[str, Any]], minutes: float, now: datetime,
                  everyone: list[dict[str, Any]], language: str) -> None:
        """The undelivered people's copy by e-mail, marked so, and on the event's record."""
        people = alarm_delivery.addresses_of_chats([r["recipient"] for r in rows], everyone)
        subject = tr(language, "email_alarm_subject", number=number, name=alarm["name"])
        mark = tr(language, "email_stand_in", minutes=f"{minutes:g}")
        body = f"{mark}\n\n{text}\n\n{_ack_hint(language, number)}"
        names, addresses = [], []
        for row in rows:
            if row["delivered_at"] is None and row["recipient"] in people:
                name, address = people[row["recipient"]]
                if address in addresses or (address, number) in self._about:
                    continue  # one e-mail of this alarm each (the next level may be them)
                self._email(address, subject, body, now, stands_for_id=row["id"],
                            event_id=number)
                names.append(f"{name} <{address}>")
                addresses.append(address)
        if addresses:
            alarm_delivery.record_emailed(number, now, names, addresses,
                                          f"WhatsApp did not deliver it within {minutes:g} min")


class EmailSender:
    """Sends the e-mails that are due, one at a time, through the alarms' e-mail connection.

    Called on every tick of the alarm loop (and by tests, on their clock). A refusal of the
    recipient (a 5xx answer) fails that one e-mail at once, others go on; anything else (the
    sign-in refused, a server slow or gone) is tried again later, `MAX_TRIES` times in all.
    """

    def __init__(self, pool: SourcePool, channel: str, clock: Callable[[], datetime],
                 backoff_first_s: float = BACKOFF_FIRST_S) -> None:
        self.pool = pool
        self.channel = channel
        self.clock = clock
        self.backoff_first_s = backoff_first_s
        self._recovered = False

    def recover(self) -> int:
        """E-mails a crash caught mid-send are sent again (they may arrive twice)."""
        stuck = email_queue.interrupted(self.channel)
        for row in stuck:
            outbox_restart.send_again_after_interruption(row["id"], MAX_INTERRUPTED)
        return len(stuck)

    async def send_due(self) -> int:
        """Send every e-mail due now; returns how many the mail server took.

        The queue's reads and writes run on the executor, so a database another program has
        locked holds a worker thread, never the window; what could not be written is left as
        it is and tried at the next tick."""
        if not self._recovered:
            await _db(self.recover)
            self._recovered = True
        rows = await _db(email_queue.due, self.clock(), self.channel)
        if not rows:
            return 0
        connection, why = await _db(email_queue.connection)
        sent = 0
        for row in rows:
            if connection is None:
                await _db(self._failed, row, why, False)
                continue
            if not await _db(outbox.mark_in_flight, row["id"], self.clock()):
                continue
            try:
                await send_email(self.pool, connection["id"], row["recipient"],
                                 row["subject"] or "", row["message"])
            except SourceError as exc:
                permanent = exc.kind is Fault.REFUSED and str(exc.code or "").startswith("5")
                await _db(self._failed, row, exc.message, permanent)
            except Exception as exc:  # noqa: BLE001 - one e-mail must not stop the others
                log.exception("Sending e-mail #%s failed", row["id"])
                await _db(self._failed, row, str(exc) or type(exc).__name__, False)
            else:
                # Not written (the database locked past the limit): the row stays in flight
                # and is sent again at the next start, marked as possibly arriving twice.
                await _db(email_queue.mark_emailed, row["id"], self.clock())
                sent += 1
        return sent

    def _failed(self, row: dict[str, Any], reason: str, permanent: bool) -> None:
        tries = (row.get("retry_count") or 0) + 1
        if permanent:
            email_queue.mark_email_failed(row["id"], reason, self.clock())
        elif tries >= MAX_TRIES:
            email_queue.mark_email_failed(row["id"], f"Gave up after {MAX_TRIES} tries: {reason}",
                                          self.clock())
        else:
            delay = min(BACKOFF_MAX_S, self.backoff_first_s * 2 ** (tries - 1))
            outbox.mark_retry(row["id"], reason, self.clock() + timedelta(seconds=delay))
        log.warning("E-mail #%s to %s not sent: %s", row["id"], row["recipient"], reason)
