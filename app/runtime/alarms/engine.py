"""The alarm cycle and escalation.

One cycle reads every due alarm's value with one batched request per data source (never one
request per alarm), moves each alarm's state on (app.core.alarms), records events, and queues
what people must be told through the outbox: one message per recipient per cycle, whatever
number of alarms it names, so a plant upset is one message, not a burst. The offline summary,
the schedules and the alarms a cycle need not evaluate (steady.py) are their own modules;
AlarmEngine is the one object the bot holds. Over 500 lines (about 560): one alarm's decision
and escalation share the telling (_tell, _nobody, _tell_cleared) and the record of what went
out, written together (_record_told), which split apart would be passed the whole engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from app.core import alarms as logic
from app.core import schedule_expr
from app.core.i18n import tr
from app.core.timefmt import utc_now
from app.core.values import PiValue
from app.runtime import executor
from app.runtime.alarms.delivery import AlarmDelivery, EmailSender
from app.runtime.alarms.heap import LongLived
from app.runtime.alarms.offline_summary import OfflineSummary
from app.runtime.alarms.outgoing import Entry, Queued, entry, lang, zone
from app.runtime.alarms.reading import ReadLog, ValueReader
from app.runtime.alarms.schedules import ScheduleRunner
from app.runtime.alarms.steady import Steady
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import alarm_cycle as cycle_store
from app.services import alarm_told, contacts, groups, outbox, recipients, settings
from app.services import alarms as store
from app.services.outbox import AlarmLine
from app.services.recipients import Destination

log = logging.getLogger(__name__)
# A cycle's database work (reading the due alarms; deciding and writing) may take this long on
# a worker thread before the cycle gives up waiting for it.
CYCLE_TIMEOUT_S = 600.0

Told = tuple[Destination, Entry, dict[str, Any] | None]  # to whom, what, the event reported


@dataclass
class CycleReport(ReadLog):
    evaluated: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    queued: list[Queued] = field(default_factory=list)
    duration_ms: float = 0.0
    read_ms: float = 0.0  # of it, waiting for the sources' values (PI, SQL)
    catch_up: bool = False


@dataclass(frozen=True)
class AlarmTest:
    value: str
    holds: bool
    why: str
    text: str
    error: str = ""


class AlarmEngine:
    def __init__(self, pool: SourcePool, *, channel: str = "whatsapp",
                 connected: Callable[[], bool] = lambda: True, media_dir: Path | None = None,
                 clock: Callable[[], datetime] = utc_now,
                 on_queued: Callable[[], None] | None = None,
                 on_message: Callable[[Queued], None] | None = None) -> None:
        self.pool = pool
        self.channel = channel
        self.connected = connected
        self.media_dir = media_dir
        self.clock = clock
        self.on_queued = on_queued  # wakes the outbox
        self.on_message = on_message  # each message queued, once it is committed (the app)
        self.runner = TriggerRunner(pool)
        self.reader = ValueReader(pool, clock)
        self.summary = OfflineSummary(self)
        self.schedules = ScheduleRunner(self, self.runner)
        self.delivery = AlarmDelivery(channel, clock)  # e-mail and escalation on delivery
        self.emails = EmailSender(pool, channel, clock)
        self._last_cycle: datetime | None = None
        self._offline_since: datetime | None = None  # a catch-up not yet summarised
        self._lock = asyncio.Lock()
        self._upgrade_checked = False  # the groups of before group approval (once)
        # What holds the outbox while the offline summary is made (the bot's outbox.held).
        self.sending_held: Callable[[], contextlib.AbstractContextManager] = \
            contextlib.nullcontext
        self.steady = Steady()  # the alarms a cycle need not evaluate
        self.long_lived = LongLived()  # the kept copies, out of the garbage collector's walk
        # Contacts as a cycle read them, found by number (only when nobody can be told).
        self._directory: tuple[list[dict[str, Any]], recipients.Directory] | None = None
        # While a cycle decides: the messages that went out, not yet on the events' records
        # (written together, before anything reads or writes those records).
        self._told: list[alarm_told.Told] | None = None
        self._language = ""  # the cycle's language, read once

    # -- one cycle ------------------------------------------------------------------------------
    async def run_cycle(self, force: bool = False) -> CycleReport:
        """Evaluate the alarms that are due (every active one with `force`), queue messages."""
        async with self._lock:
            return await self._cycle(force)

    async def _groups_of_the_upgrade(self) -> None:
        """Once per database: the groups alarms and schedules went to before groups needed
        approval keep getting them (app.services.groups.approve_recipient_groups_once, on a
        worker thread like the cycle's reads)."""
        if self._upgrade_checked:
            return
        try:
            approved = await executor.run_blocking(groups.approve_recipient_groups_once,
                                                   timeout=CYCLE_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - tried again next cycle; alarms must go on
            log.exception("Approving the groups alarms already went to failed")
            return
        self._upgrade_checked = True
        if approved:
            log.warning("Groups now need approval in Contacts. These %d group(s) already got "
                        "alarms or schedules and were approved once: %s", len(approved),
                        ", ".join(approved))

    async def _cycle(self, force: bool) -> CycleReport:
        await self._groups_of_the_upgrade()
        started = time.perf_counter()
        report = CycleReport()
        now = self.clock()
        # The database work runs on a worker thread, so a cycle of 5,000 alarms never holds
        # the event loop (the window, the bot) while it reads, decides and writes.
        due, catch_up = await executor.run_blocking(self._read_due, now, force,
                                                    timeout=CYCLE_TIMEOUT_S)
        report.catch_up = catch_up is not None
        self.long_lived.settle()  # the definitions just read in full (the first cycle, an edit)
        reading = time.perf_counter()
        values = await self.reader.read(due, report) if due else {}
        report.read_ms = (time.perf_counter() - reading) * 1000
        now = self.clock()  # after the reads: the moment the values describe

        def decide() -> None:
            # Run again when a commit elsewhere refused its first write: it starts afresh.
            report.evaluated, report.events, report.queued = 0, [], []
            # Read again now: an ack or a shelf may have landed while the values were read.
            self._decide(due, values, cycle_store.current_states(due), now, report)

        # New states, events and the messages about them commit together.
        await executor.run_blocking(store.in_one_cycle, decide, timeout=CYCLE_TIMEOUT_S)
        self.long_lived.settle(clean=not report.errors)  # the states it kept
        self._last_cycle = now
        if catch_up is not None:
            if self.connected():
                await self.consolidate_off_loop(since=catch_up)
            else:  # summarised when WhatsApp connects, as telling of the time offline
                self._offline_since = min(catch_up, self._offline_since or catch_up)
        self.announce(report.queued)
        report.duration_ms = (time.perf_counter() - started) * 1000
        return report

    def _read_due(self, now: datetime, force: bool
                  ) -> tuple[list[dict[str, Any]], datetime | None]:
        """The alarms to evaluate now, read once (only the due ones, their definitions from
        the kept copies), and the start of the time the bot was offline, if it was."""
        catch_up = self._offline_gap(now)
        return cycle_store.due_definitions(now, force), catch_up

    def _decide(self, due: list[dict[str, Any]], values: dict[str, PiValue | str],
                current: dict[str, cycle_store.Current], now: datetime,
                report: CycleReport) -> None:
        self._told = []
        try:
            self._decide_all(due, values, current, now, report)
        finally:
            self._told = None

    def _record_told(self) -> None:
        """Put the messages that went out so far in this cycle on their events' records."""
        if self._told:
            told, self._told = self._told, []
            alarm_told.mark_all_notified(told)

    def _decide_all(self, due: list[dict[str, Any]], values: dict[str, PiValue | str],
                    current: dict[str, cycle_store.Current], now: datetime,
                    report: CycleReport) -> None:
        self.delivery.discard()  # nothing of a cycle whose writes were undone
        language, where = lang(), zone()
        self._language = language
        # (chat, not before) → entries: one message per recipient, a held one apart.
        outgoing: dict[tuple[str, datetime | None], list[Entry]] = defaultdict(list)
        texts: dict[tuple[str, datetime | None], set[str]] = defaultdict(set)
        reported: set[int] = set()
        everyone = None  # Contacts, read once, when someone is to be told
        unchanged: list[str] = []
        staged: list[tuple[str, logic.AlarmState, int | None, str, str, datetime]] = []
        unreadable: dict[str, list[str]] = {}  # why the value could not be read → alarms

        def add(key: tuple[str, datetime | None], item: Entry) -> None:
            if item.text not in texts[key]:
                texts[key].add(item.text)
                outgoing[key].append(item)

        for alarm in due:
            value = values.get(alarm["id"])
            if value is None:
                continue
            report.evaluated += 1
            found = current.get(alarm["id"])
            if found is None:
                continue  # switched off, edited or deleted while its value was read
            if isinstance(value, str):  # the source could not be read: the state stays
                unreadable.setdefault(value, []).append(alarm["id"])  # one write for all
                continue
            if self.steady.still(alarm, found, value, now):
                unchanged.append(alarm["id"])  # only the time of evaluation, written for all
                continue
            if everyone is None:
                everyone = contacts.list_contacts()
            for dest, item, event in self._apply(alarm, value, now, language, where, everyone,
                                                 found, unchanged, staged):
                add((dest.chat, (event or {}).get("not_before")), item)
                if event and id(event) not in reported:
                    reported.add(id(event))
                    report.events.append(event)
        self.steady.settle(due, values, staged, now, language)  # before escalation reads
        self._record_told()  # the raises told, on record before escalation reads them
        # Escalation and messages held back (quiet hours, a shelf that ended) for every alarm
        # with an open event, due or not.
        for dest, item, _event in self._escalate(now, language, where, everyone):
            add((dest.chat, None), item)
        self._record_told()
        cycle_store.mark_evaluated(unchanged, now)
        for reason, ids in unreadable.items():
            cycle_store.mark_unreadable(ids, reason, now)
        for (chat, not_before), items in outgoing.items():
            report.queued.append(self._queue_alarm(chat, items, language, not_before))
        report.queued += self.delivery.take(language)  # the cycle's e-mails

    def _offline_gap(self, now: datetime) -> datetime | None:
        """When alarms were last evaluated, if so long ago that the bot counts as having been
        offline (the app was closed, the computer asleep)."""
        last = self._last_cycle or cycle_store.last_evaluated()
        if last is None:
            return None
        gap = (now - last).total_seconds()
        return last if gap > int(settings.get("alarms", "offline_after_s") or 300) else None

    # -- queueing -----------------------------------------------------------------------------
    def announce(self, queued: list[Queued]) -> None:
        """Wake the outbox and tell the app of each message, once they are committed."""
        if not queued:
            return
        if self.on_queued:
            self.on_queued()
        if self.on_message:
            for item in queued:
                self.on_message(item)

    def queue(self, chat: str, text: str, kind: str, image: bytes | None = None,
              not_before: datetime | None = None,
              alarm_lines: list[AlarmLine] | None = None) -> Queued:
        outbox_id = outbox.enqueue(chat, text, image_png=image, media_dir=self.media_dir,
                                     kind=kind, channel=self.channel, created_at=self.clock(),
                                     not_before=not_before, alarm_lines=alarm_lines)
        return Queued(chat, text, kind, outbox_id, image, self.channel)

    def _queue_alarm(self, chat: str, items: list[Entry], language: str,
                     not_before: datetime | None) -> Queued:
        texts = [item.text for item in items]
        text = texts[0] if len(texts) == 1 else "\n".join(
            [tr(language, "alarm_many", count=len(texts)), *texts])
        return self.queue(chat, text, "alarm", not_before=not_before,
                          alarm_lines=[line for item in items for line in item.lines])

    # -- one alarm --------------------------------------------------------------------------
    def _apply(self, alarm: dict[str, Any], value: PiValue, now: datetime,
               language: str, where: tzinfo, everyone: list[dict[str, Any]],
               found: cycle_store.Current, unchanged: list[str],
               staged: list[tuple[str, logic.AlarmState, int | None, str, str, datetime]]
               ) -> list[Told]:
        state, event_id, last_value, last_error, _last = found
        fresh = {**alarm, "state": state, "phase": state.phase, "event_id": event_id,
                 "last_value": last_value, "last_error": last_error}
        rule = cycle_store.rule_for(alarm, event_id)
        new_state, happened = logic.evaluate(rule, state, value, now, language)
        out: list[Told] = []
        shown = new_state.last_value
        if new_state.phase == "active" and state.phase != "active" and not happened:
            # Raised while shelved: on record, nobody is messaged.
            event_id = store.open_event(fresh, logic.AlarmEvent(
                "raised", rule, new_state.active_since or now, shown, ""), state="shelved")
        for event in happened:
            if event.kind == "raised":
                if event_id is None or state.phase != "active":
                    event_id = store.open_event(fresh, event)
                if self._quiet(fresh, now, where):
                    new_state = replace(new_state, notified=False)
                    continue
                text = logic.raised_text(event, where, number=event_id, lang=language,
                                         template=fresh["template"])
                told = self._tell(fresh, event_id, 0, text, now, everyone)
                if told is None:  # nobody can be told yet: held, as in quiet hours
                    new_state = replace(new_state, notified=False)
                out += told or []
            else:
                if event_id is not None:
                    self._record_told()  # its raise, if told this cycle, is on record first
                    store.close_event(event_id, now, shown)
                    shelved = state.shelved_until is not None and now < state.shelved_until
                    if not shelved:  # a shelved alarm clears in silence, as it raised
                        text = logic.cleared_text(event, number=event_id, lang=language)
                        out += self._tell_cleared(fresh, event_id, text, everyone)
                    event_id = None
        if new_state.phase != "active" and event_id is not None and state.phase == "active":
            self._record_told()
            store.close_event(event_id, now, shown)  # cleared without anyone being told
            event_id = None
        # A tag PI does not know (or cannot read) is a setup fault: name it like a dead server.
        error = value.error or ""
        if (new_state, event_id, shown, error) == (state, fresh["event_id"], last_value,
                                                   last_error):
            unchanged.append(alarm["id"])  # only the time of evaluation, written for all
            if not happened:  # evaluated to the state it found: steady while nothing moves
                self.steady.remember(alarm["id"], rule, state, value, shown, error)
                return out
        else:  # written with the cycle's other new states, in one statement
            staged.append((alarm["id"], new_state, event_id, shown, error, now))
        self.steady.forget(alarm["id"])
        return out

    def _quiet(self, alarm: dict[str, Any], now: datetime, where: tzinfo) -> bool:
        return alarm["severity"] != "critical" and schedule_expr.in_window(
            now, alarm["quiet_hours"], where)

    def _tell(self, alarm: dict[str, Any], event_id: int, level: int, text: str,
              now: datetime, everyone: list[dict[str, Any]], because: str = ""
              ) -> list[Told] | None:
        """The WhatsApp messages for `level` (its e-mails are queued here); None when nobody
        on it can be told, by either channel."""
        levels = alarm["levels"]
        if level >= len(levels):
            return []
        dests, skipped = recipients.resolve(levels[level], everyone, self.audiences(alarm))
        for sentence in skipped:
            log.info("Alarm %s: %s", alarm["name"], sentence)
        late = not self.connected()
        emailed: list[str] = []
        addresses: list[str] = []
        if dests:
            dests, emailed, addresses = self.delivery.split(alarm, event_id, level, text, dests,
                                                            now, everyone,
                                                            self._language or lang())
        if not dests and not addresses:
            # Nobody on the level can be told: its history says so and why, not "sent". The
            # caller holds a raise back (the next cycle tells whoever can be told by then).
            self._nobody(alarm, event_id, level, now, everyone)
            return None
        told = alarm_told.Told(event_id, now, level, late, [d.name for d in dests] + emailed,
                               left_out=" ".join(skipped), chats=[d.chat for d in dests],
                               because=because, emails=addresses)
        if self._told is not None:  # in a cycle: on record with the others (_record_told)
            self._told.append(told)
        else:
            alarm_told.mark_all_notified([told])
        kind = "raised" if level == 0 else "escalated"
        event = {"kind": kind, "number": event_id, "alarm": alarm["name"], "text": text,
                 "to": [d.chat for d in dests]}
        item = entry(text, event_id, kind)
        return [(d, item, event) for d in dests]

    def _nobody(self, alarm: dict[str, Any], event_id: int, level: int, now: datetime,
                everyone: list[dict[str, Any]]) -> None:
        """Record in the event's history that nobody on `level` can be told, and why (once
        while the reasons stay the same); an escalation moves on to the level after it."""
        if self._directory is None or self._directory[0] is not everyone:
            self._directory = (everyone, recipients.Directory(everyone))  # once per cycle
        raw = recipients.raw_levels(alarm["config"])
        level_raw = raw[level] if level < len(raw) else alarm["levels"][level]
        spec, _ = recipients.clean_spec(level_raw, recipients.anyone)
        found = recipients.reach(spec, self._directory[1], self.audiences(alarm),
                                 recipients.channels_of(level_raw))
        why = "; ".join(found.reasons)
        if cycle_store.mark_unreachable(event_id, now, level, why, advance=level > 0):
            log.warning("Alarm %s: nobody on level %d can be told: %s", alarm["name"],
                        level + 1, why)

    def _tell_cleared(self, alarm: dict[str, Any], event_id: int, text: str,
                      everyone: list[dict[str, Any]]) -> list[Told]:
        row = store.get_event(event_id)
        if row is None or row["notified_at"] is None:
            return []
        told = range(min(row["escalation_level"], len(alarm["levels"]) - 1) + 1)
        dests: dict[str, Destination] = {}
        for level in told:
            for d in recipients.resolve(alarm["levels"][level], everyone,
                                        self.audiences(alarm))[0]:
                dests.setdefault(d.chat, d)
        # Only those who heard it was raised (a group approved since did not).
        heard = store.told_chats(row["history"])
        if heard is not None:
            dests = {chat: d for chat, d in dests.items() if chat in heard}
        event = {"kind": "cleared", "number": event_id, "alarm": alarm["name"], "text": text,
                 "to": list(dests)}
        if self._quiet(alarm, self.clock(), zone()):
            # Nobody is woken to hear that all is well: it goes when the quiet hours end.
            event["not_before"] = schedule_expr.window_end(self.clock(), alarm["quiet_hours"],
                                                          zone())
        self.delivery.cleared(alarm, event_id, text, row["history"], lang(),
                              event.get("not_before"))
        item = entry(text, event_id, "cleared")
        return [(d, item, event) for d in dests.values()]

    def _escalate(self, now: datetime, language: str, where: tzinfo,
                  everyone: list[dict[str, Any]] | None) -> list[Told]:
        out: list[Told] = []
        for event, alarm in cycle_store.open_events(now):  # all that may be due
            if alarm["event_id"] != event["number"]:
                continue
            state = alarm["state"]
            if state.phase != "active" or state.shelved_until is not None:
                continue
            held = event["notified_at"] is None or not state.notified
            if not held and (event["acknowledged_by"]
                             or event["escalation_level"] + 1 >= len(alarm["levels"])):
                continue  # told, and nobody further to tell
            if everyone is None:
                everyone = contacts.list_contacts()
            rule = cycle_store.rule_of(alarm)
            raised = logic.AlarmEvent("raised", rule, event["raised_at"] or now,
                                      event["value"], event["why"])
            if event["notified_at"] is None or not state.notified:
                # Held back by quiet hours (or a shelf that ended): tell now, if allowed.
                if self._quiet(alarm, now, where):
                    continue
                text = logic.raised_text(raised, where, number=event["number"], lang=language,
                                         template=alarm["template"])
                told = self._tell(alarm, event["number"], 0, text, now, everyone)
                if told is not None:  # else nobody can be told yet: tried again next cycle
                    store.save_state(alarm["id"], replace(state, notified=True),
                                     event["number"])
                out += told or []
                continue
            if event["acknowledged_by"] or self._quiet(alarm, now, where):
                continue  # escalation waits for the quiet hours to end, too
            level = event["escalation_level"]
            nxt = level + 1
            if nxt >= len(alarm["levels"]):
                continue
            waited = (now - (event["notified_at"] or now)).total_seconds() / 60
            by_ack = waited >= alarm["levels"][nxt]["after_min"]
            # ... or no phone of the level before reported it delivered in time.
            undelivered = None if by_ack else self.delivery.undelivered(alarm, event, nxt, now)
            if not by_ack and undelivered is None:
                continue
            text = logic.raised_text(raised, where, number=event["number"], lang=language,
                                     template=alarm["template"])
            if undelivered is None:
                out += self._tell(alarm, event["number"], nxt, text + "\n" + tr(
                    language, "alarm_escalated", minutes=int(waited)), now, everyone,
                    because="not acknowledged") or []
                continue
            minutes, rows = undelivered
            out += self._tell(alarm, event["number"], nxt, text + "\n" + tr(
                language, "alarm_not_delivered", minutes=f"{minutes:g}"), now, everyone,
                because="not delivered") or []
            self._record_told()  # the stand-ins' e-mails go on the same record, after it
            self.delivery.stand_ins(alarm, event["number"], text, rows, minutes, now,
                                    everyone, language)
        return out

    # -- the offline summary and the schedules ------------------------------------------------
    def consolidate(self, since: datetime | None = None) -> int:
        """Before the outbox sends after a disconnection or a closed app: per recipient, one
        "while the bot was offline" summary (app.runtime.alarms.offline_summary). Returns how
        many summaries were queued."""
        since = since or self._offline_since
        self._offline_since = None
        return self.summary.consolidate(since)

    async def consolidate_off_loop(self, since: datetime | None = None) -> int:
        """`consolidate` with its database work on a worker thread (what the bot and the
        cycle call, on the loop); the messages are announced back on the loop."""
        since = since or self._offline_since
        self._offline_since = None
        with self.sending_held():
            summaries, queued = await executor.run_blocking(self.summary.gather, since,
                                                            timeout=CYCLE_TIMEOUT_S)
        self.announce(queued)
        return summaries

    @staticmethod
    def audiences(alarm: dict[str, Any]) -> list[list[str]]:
        """The tags the alarm's trigger is limited to: a group must have them to be told."""
        return recipients.audiences_of(trigger_id=alarm.get("trigger_id"))

    async def send_emails(self) -> int:
        """Send the alarm e-mails that are due (app.runtime.alarms.delivery.EmailSender)."""
        return await self.emails.send_due()

    async def run_schedules(self) -> list[dict[str, Any]]:
        """Run every schedule that is due; returns what was done, one dict per schedule."""
        await self._groups_of_the_upgrade()
        return await self.schedules.run_due()

    async def preview_schedule(self, schedule: dict[str, Any]) -> list[tuple[str, bytes | None]]:
        """The parts (text, image) recipients get when the schedule runs now."""
        return await self.schedules.preview(schedule)

    # -- the app and the terminal --------------------------------------------------------------
    async def test_alarm(self, alarm: dict[str, Any]) -> AlarmTest:
        """The alarm's condition against the current value, without changing anything."""
        report = CycleReport()
        alarm = {"id": alarm.get("id") or "test", "kind": alarm.get("kind", "pi"),
                 "data_source_id": alarm.get("data_source_id"), "tag": alarm.get("tag", ""),
                 "trigger_id": alarm.get("trigger_id"), "trigger": alarm.get("trigger", ""),
                 "data_source": alarm.get("data_source", ""), "name": alarm.get("name", ""),
                 "config": dict(alarm.get("config") or {}),
                 "template": str((alarm.get("config") or {}).get("template") or "")}
        values = await self.reader.read([alarm], report)
        value = values.get(alarm["id"])
        if value is None or isinstance(value, str):
            return AlarmTest("", False, "", "", value or "No value was read.")
        rule = store.rule_of(alarm)
        problems = rule.problems()
        if problems:
            return AlarmTest("", False, "", "", " ".join(problems))
        language, where, now = lang(), zone(), self.clock()
        holds, why = logic.condition(rule, value, now, False, language)
        instant = replace(rule, min_duration_s=0)
        _, happened = logic.evaluate(instant, logic.AlarmState(), value, now, language)
        shown_value = logic._shown(value, rule.units)
        if not happened:  # what people would get, with a value that raises it
            _, happened = logic.evaluate(instant, logic.AlarmState(),
                                         _raising_example(rule, value, now), now, language)
        text = ""
        if happened:
            text = logic.raised_text(happened[0], where, number=0, lang=language,
                                     template=alarm["template"]).replace("#0", "#N")
            text = text.replace("ack 0", "ack N")
        return AlarmTest(shown_value, holds, why, text)


def _raising_example(rule: logic.AlarmRule, value: PiValue, now: datetime) -> PiValue:
    """A value of the same tag that would raise the alarm (for the test's sample message)."""
    units = value.units or rule.units
    step = max(abs(rule.high or rule.low or 0.0) * 0.02, rule.deadband, 0.1)
    if rule.condition in ("above", "outside") and rule.high is not None:
        return PiValue(value.tag, now, round(rule.high + step, 2), units)
    if rule.condition == "below" and rule.low is not None:
        return PiValue(value.tag, now, round(rule.low - step, 2), units)
    if rule.condition == "equals":
        return PiValue(value.tag, now, rule.state_name, units, digital=True)
    if rule.condition == "stale":
        return replace(value, timestamp=now - timedelta(minutes=rule.stale_minutes + 5))
    return PiValue(value.tag, now, None, units, good=False, system_state="I/O Timeout")
