"""The bot speaks first: alarm evaluation, escalation, the offline summary and schedules.

One cycle reads every due alarm's value with one batched request per data source (never one
request per alarm), moves each alarm's state on (app.core.alarms), records events, and queues
what people must be told through the outbox: one message per recipient per cycle, whatever
number of alarms it names, so a plant upset is one message, not a burst.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from app.core import alarms as logic
from app.core import render, schedule_expr
from app.core.i18n import LANGUAGES, tr
from app.core.timefmt import utc_now
from app.core.values import PiValue
from app.core.variables import bind, parse_specs
from app.db.models import database_proxy
from app.errors import UserError, describe
from app.runtime import executor
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import Answer, RunContext, TriggerRunner
from app.services import alarms as store
from app.services import events, messages, recipients, schedules, settings
from app.services import triggers as trigger_service
from app.services.recipients import Destination

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 20.0
MERGED_PREFIX = store.MERGED_PREFIX
RESENT_MARK = store.RESENT_MARK
NOT_RESENT_MARK = store.NOT_RESENT_MARK
SUMMARY_LINES = 30
_NUMBER = re.compile(r"#(\d+)")


@dataclass
class Queued:
    to: str
    text: str
    kind: str  # alarm, schedule
    outbox_id: int
    image_png: bytes | None = None


@dataclass
class CycleReport:
    evaluated: int = 0
    requests: dict[str, int] = field(default_factory=dict)  # source name → batched reads
    errors: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    queued: list[Queued] = field(default_factory=list)
    duration_ms: float = 0.0
    catch_up: bool = False


@dataclass(frozen=True)
class AlarmTest:
    value: str
    holds: bool
    why: str
    text: str
    error: str = ""


def _zone() -> tzinfo:
    return schedules.zone()


def _lang() -> str:
    return str(settings.get("general", "language") or "en")


def _clock(moment: datetime | None, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M") if moment else "?"


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
        self._last_cycle: datetime | None = None
        self._offline_since: datetime | None = None  # a catch-up not yet summarised
        self._lock = asyncio.Lock()

    # -- reading ------------------------------------------------------------------------------
    async def read_values(self, alarms: list[dict[str, Any]], report: CycleReport
                          ) -> dict[str, PiValue | str]:
        """Each alarm's value (or a sentence why it could not be read): one batched read per
        PI source, one query per SQL trigger, all at once."""
        by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_trigger: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for alarm in alarms:
            if alarm["kind"] == "sql":
                by_trigger[alarm["trigger_id"] or ""].append(alarm)
            else:
                by_source[alarm["data_source_id"] or ""].append(alarm)
        out: dict[str, PiValue | str] = {}

        async def read_source(source_id: str, group: list[dict[str, Any]]) -> None:
            tags = list(dict.fromkeys(a["tag"] for a in group))
            name = group[0]["data_source"] or "?"
            try:
                historian = self.pool.historian(source_id)
                values = await executor.run_blocking(historian.current_blocking, tags,
                                                     READ_TIMEOUT_S, timeout=READ_TIMEOUT_S + 2)
                report.requests[name] = report.requests.get(name, 0) + 1
            except Exception as exc:  # noqa: BLE001 - one source down must not stop the rest
                reason = describe(exc) if not isinstance(exc, TimeoutError) else \
                    f"{name} did not answer within {READ_TIMEOUT_S:g} s."
                report.errors.append(f"{name}: {reason}")
                for alarm in group:
                    out[alarm["id"]] = reason
                return
            by_tag = dict(zip(tags, values, strict=True))
            for alarm in group:
                out[alarm["id"]] = by_tag[alarm["tag"]]

        async def read_trigger(trigger_id: str, group: list[dict[str, Any]]) -> None:
            try:
                value = await self._first_value(trigger_id)
            except Exception as exc:  # noqa: BLE001
                reason = describe(exc)
                report.errors.append(f"{group[0]['trigger'] or 'a SQL trigger'}: {reason}")
                for alarm in group:
                    out[alarm["id"]] = reason
                return
            for alarm in group:
                out[alarm["id"]] = value

        await asyncio.gather(*(read_source(s, g) for s, g in by_source.items()),
                             *(read_trigger(t, g) for t, g in by_trigger.items()))
        return out

    async def _first_value(self, trigger_id: str) -> PiValue:
        try:
            trigger = trigger_service.get_trigger(trigger_id)
        except Exception:  # noqa: BLE001
            raise UserError("The SQL trigger this alarm watches was deleted.") from None
        config = dict(trigger["config"])
        if trigger["type"] == "preset":
            preset = trigger_service.preset_by_name(str(config.get("preset")))
            if preset is None:
                raise UserError(f"The preset of {trigger['name']} is missing.")
            config["query"], config["variables"] = preset["query_template"], preset["variables"]
        params = bind(parse_specs(config.get("variables") or []), [],
                      {k: str(v) for k, v in (config.get("values") or {}).items()}, _lang(),
                      trigger["name"])
        database = self.pool.database(trigger["data_source_id"] or "")
        timeout = float(config.get("timeout_s") or READ_TIMEOUT_S)
        result = await executor.run_blocking(database.query_blocking, str(config["query"]),
                                             params, 1, timeout, timeout=timeout + 3)
        now = self.clock()
        if not result.rows or not result.rows[0]:
            return PiValue(trigger["name"], now, None, good=False, error="the query returned "
                           "no rows")
        first = result.rows[0][0]
        if isinstance(first, (int, float)) and not isinstance(first, bool):
            return PiValue(trigger["name"], now, float(first))
        try:
            return PiValue(trigger["name"], now, float(str(first).strip()))
        except ValueError:
            return PiValue(trigger["name"], now, str(first), digital=True)

    # -- one cycle ------------------------------------------------------------------------------
    async def run_cycle(self, force: bool = False) -> CycleReport:
        """Evaluate the alarms that are due (every active one with `force`), queue messages."""
        async with self._lock:
            return await self._cycle(force)

    async def _cycle(self, force: bool) -> CycleReport:
        started = time.perf_counter()
        report = CycleReport()
        now = self.clock()
        every = store.list_alarms()
        catch_up = self._offline_gap(now, every)
        report.catch_up = catch_up is not None
        due = [a for a in every if a["active"] and (force or self._due(a, now))]
        values = await self.read_values(due, report) if due else {}
        now = self.clock()  # after the reads: the moment the values describe
        lang, zone = _lang(), _zone()
        # (chat, not before) → lines: one message per recipient, a held one apart.
        outgoing: dict[tuple[str, datetime | None], list[str]] = defaultdict(list)
        destinations: dict[str, Destination] = {}
        everyone = None
        # New states, events and the messages about them commit together: a crash leaves
        # either all of them or none, so no alarm is recorded as told without its message.
        with database_proxy.atomic():
            # Read again now: an ack or a shelf may have landed while the values were read.
            current = store.current_states(due)
            unchanged: list[str] = []
            for alarm in due:
                value = values.get(alarm["id"])
                if value is None:
                    continue
                report.evaluated += 1
                if everyone is None:
                    from app.services import contacts

                    everyone = contacts.list_contacts()
                for dest, line, event in self._apply(alarm, value, now, lang, zone, everyone,
                                                     current, unchanged):
                    destinations[dest.chat] = dest
                    key = (dest.chat, (event or {}).get("not_before"))
                    if line not in outgoing[key]:
                        outgoing[key].append(line)
                    if event and event not in report.events:
                        report.events.append(event)
            # Escalation and messages held back (quiet hours, a shelf that ended) for every alarm
            # with an open event, due or not.
            for dest, line in self._escalate(now, lang, zone, everyone):
                destinations[dest.chat] = dest
                if line not in outgoing[(dest.chat, None)]:
                    outgoing[(dest.chat, None)].append(line)
            store.mark_evaluated(unchanged, now)
            for (chat, not_before), lines in outgoing.items():
                report.queued.append(self._queue(chat, self._combine(lines, lang), "alarm",
                                                 not_before=not_before))
        self._last_cycle = now
        if catch_up is not None:
            if self.connected():
                self.consolidate(since=catch_up)
            else:  # summarised when WhatsApp connects, as telling of the time offline
                self._offline_since = min(catch_up, self._offline_since or catch_up)
        self._announce(report.queued)
        if report.evaluated or report.queued:
            events.emit("alarms")  # the Alarms tab and the Dashboard follow
        report.duration_ms = (time.perf_counter() - started) * 1000
        return report

    def _due(self, alarm: dict[str, Any], now: datetime) -> bool:
        last = alarm["last_evaluated_at"]
        return last is None or last > now or \
            (now - last).total_seconds() >= alarm["interval_s"] - 0.5

    def _offline_gap(self, now: datetime, alarms: list[dict[str, Any]]) -> datetime | None:
        """When alarms were last evaluated, if so long ago that the bot counts as having been
        offline (the app was closed, the computer asleep)."""
        last = self._last_cycle
        if last is None:
            stamps = [a["last_evaluated_at"] for a in alarms
                      if a["active"] and a["last_evaluated_at"] is not None]
            last = max(stamps) if stamps else None
        if last is None:
            return None
        gap = (now - last).total_seconds()
        return last if gap > int(settings.get("alarms", "offline_after_s") or 300) else None

    def _announce(self, queued: list[Queued]) -> None:
        if not queued:
            return
        if self.on_queued:
            self.on_queued()
        if self.on_message:
            for item in queued:
                self.on_message(item)

    @staticmethod
    def _combine(lines: list[str], lang: str) -> str:
        if len(lines) == 1:
            return lines[0]
        return "\n".join([tr(lang, "alarm_many", count=len(lines)), *lines])

    def _queue(self, chat: str, text: str, kind: str, image: bytes | None = None,
               not_before: datetime | None = None) -> Queued:
        outbox_id = messages.enqueue(chat, text, image_png=image, media_dir=self.media_dir,
                                     kind=messages.channel_kind(self.channel, kind),
                                     created_at=self.clock(), not_before=not_before)
        return Queued(chat, text, kind, outbox_id, image)

    # -- one alarm --------------------------------------------------------------------------
    def _apply(self, alarm: dict[str, Any], value: PiValue | str, now: datetime, lang: str,
               zone: tzinfo, everyone: list[dict[str, Any]],
               current: dict[str, tuple[logic.AlarmState, int | None]], unchanged: list[str]
               ) -> list[tuple[Destination, str, dict[str, Any] | None]]:
        if alarm["id"] not in current:
            return []  # deleted while its value was read
        state, event_id = current[alarm["id"]]
        fresh = {**alarm, "state": state, "phase": state.phase, "event_id": event_id}
        if isinstance(value, str):  # the source could not be read: the state stays
            store.save_state(alarm["id"], state, event_id, last_error=value, evaluated_at=now)
            return []
        rule = store.rule_of(fresh)
        new_state, happened = logic.evaluate(rule, state, value, now, lang)
        out: list[tuple[Destination, str, dict[str, Any] | None]] = []
        shown = new_state.last_value
        if new_state.phase == "active" and state.phase != "active" and not happened:
            # Raised while shelved: on record, nobody is messaged.
            event_id = store.open_event(fresh, logic.AlarmEvent(
                "raised", rule, new_state.active_since or now, shown, ""), state="shelved")
        for event in happened:
            if event.kind == "raised":
                if event_id is None or state.phase != "active":
                    event_id = store.open_event(fresh, event)
                if self._quiet(fresh, now, zone):
                    new_state = replace(new_state, notified=False)
                    continue
                text = logic.raised_text(event, zone, number=event_id, lang=lang,
                                         template=fresh["template"])
                out += self._tell(fresh, event_id, 0, text, now, everyone)
            else:
                if event_id is not None:
                    store.close_event(event_id, now, shown)
                    shelved = state.shelved_until is not None and now < state.shelved_until
                    if not shelved:  # a shelved alarm clears in silence, as it raised
                        text = logic.cleared_text(event, number=event_id, lang=lang)
                        out += self._tell_cleared(fresh, event_id, text, everyone)
                    event_id = None
        if new_state.phase != "active" and event_id is not None and state.phase == "active":
            store.close_event(event_id, now, shown)  # cleared without anyone being told
            event_id = None
        # A tag PI does not know (or cannot read) is a setup fault: name it like a dead server.
        error = value.error or ""
        if (new_state, event_id, shown, error) == (state, fresh["event_id"],
                                                   alarm["last_value"], alarm["last_error"]):
            unchanged.append(alarm["id"])  # only the time of evaluation, written for all
        else:
            store.save_state(alarm["id"], new_state, event_id, last_value=shown,
                             last_error=error, evaluated_at=now)
        return out

    def _quiet(self, alarm: dict[str, Any], now: datetime, zone: tzinfo) -> bool:
        return alarm["severity"] != "critical" and schedule_expr.in_window(
            now, alarm["quiet_hours"], zone)

    def _tell(self, alarm: dict[str, Any], event_id: int, level: int, text: str,
              now: datetime, everyone: list[dict[str, Any]]
              ) -> list[tuple[Destination, str, dict[str, Any] | None]]:
        levels = alarm["levels"]
        if level >= len(levels):
            return []
        dests, skipped = recipients.resolve(levels[level], everyone)
        for sentence in skipped:
            log.info("Alarm %s: %s", alarm["name"], sentence)
        late = not self.connected()
        store.mark_notified(event_id, now, level, late, [d.name for d in dests])
        event = {"kind": "raised" if level == 0 else "escalated", "number": event_id,
                 "alarm": alarm["name"], "text": text, "to": [d.chat for d in dests]}
        return [(d, text, event) for d in dests]

    def _tell_cleared(self, alarm: dict[str, Any], event_id: int, text: str,
                      everyone: list[dict[str, Any]]
                      ) -> list[tuple[Destination, str, dict[str, Any] | None]]:
        row = store.get_event(event_id)
        if row is None or row["notified_at"] is None:
            return []
        told = range(min(row["escalation_level"], len(alarm["levels"]) - 1) + 1)
        dests: dict[str, Destination] = {}
        for level in told:
            for d in recipients.resolve(alarm["levels"][level], everyone)[0]:
                dests.setdefault(d.chat, d)
        event = {"kind": "cleared", "number": event_id, "alarm": alarm["name"], "text": text,
                 "to": list(dests)}
        if self._quiet(alarm, self.clock(), _zone()):
            # Nobody is woken to hear that all is well: it goes when the quiet hours end.
            event["not_before"] = schedule_expr.window_end(self.clock(), alarm["quiet_hours"],
                                                          _zone())
        return [(d, text, event) for d in dests.values()]

    def _escalate(self, now: datetime, lang: str, zone: tzinfo,
                  everyone: list[dict[str, Any]] | None
                  ) -> list[tuple[Destination, str]]:
        out: list[tuple[Destination, str]] = []
        open_events = store.list_events(limit=1000, open_only=True)
        if not open_events:
            return out
        alarms = {a["id"]: a for a in store.list_alarms()}
        if everyone is None:
            from app.services import contacts

            everyone = contacts.list_contacts()
        for event in open_events:
            alarm = alarms.get(event["alarm_id"])
            if alarm is None or not alarm["active"] or alarm["event_id"] != event["number"]:
                continue
            state = alarm["state"]
            if state.phase != "active" or state.shelved_until is not None:
                continue
            rule = store.rule_of(alarm)
            raised = logic.AlarmEvent("raised", rule, event["raised_at"] or now,
                                      event["value"], event["why"])
            if event["notified_at"] is None or not state.notified:
                # Held back by quiet hours (or a shelf that ended): tell now, if allowed.
                if self._quiet(alarm, now, zone):
                    continue
                text = logic.raised_text(raised, zone, number=event["number"], lang=lang,
                                         template=alarm["template"])
                out += [(d, t) for d, t, _ in self._tell(alarm, event["number"], 0, text, now,
                                                         everyone)]
                store.save_state(alarm["id"], replace(state, notified=True), event["number"])
                continue
            if event["acknowledged_by"] or self._quiet(alarm, now, zone):
                continue  # escalation waits for the quiet hours to end, too
            level = event["escalation_level"]
            nxt = level + 1
            if nxt >= len(alarm["levels"]):
                continue
            waited = (now - (event["notified_at"] or now)).total_seconds() / 60
            if waited < alarm["levels"][nxt]["after_min"]:
                continue
            text = (logic.raised_text(raised, zone, number=event["number"], lang=lang,
                                      template=alarm["template"])
                    + f"\n{tr(lang, 'alarm_escalated', minutes=int(waited))}")
            out += [(d, t) for d, t, _ in self._tell(alarm, event["number"], nxt, text, now,
                                                     everyone)]
        return out

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
        values = await self.read_values([alarm], report)
        value = values.get(alarm["id"])
        if value is None or isinstance(value, str):
            return AlarmTest("", False, "", "", value or "No value was read.")
        rule = store.rule_of(alarm)
        problems = rule.problems()
        if problems:
            return AlarmTest("", False, "", "", " ".join(problems))
        lang, zone, now = _lang(), _zone(), self.clock()
        holds, why = logic.condition(rule, value, now, False, lang)
        instant = replace(rule, min_duration_s=0)
        _, happened = logic.evaluate(instant, logic.AlarmState(), value, now, lang)
        shown_value = logic._shown(value, rule.units)
        if not happened:  # what people would get, with a value that raises it
            _, happened = logic.evaluate(instant, logic.AlarmState(),
                                         _raising_example(rule, value, now), now, lang)
        text = ""
        if happened:
            text = logic.raised_text(happened[0], zone, number=0, lang=lang,
                                     template=alarm["template"]).replace("#0", "#N")
            text = text.replace("ack 0", "ack N")
        return AlarmTest(shown_value, holds, why, text)

    # -- after being offline --------------------------------------------------------------------
    def consolidate(self, since: datetime | None = None) -> int:
        """Before the outbox sends after a disconnection or a closed app: per recipient, one
        "while the bot was offline" summary instead of a burst of old alarm messages; a single
        waiting message is marked late. Alarm messages that failed are sent again, late.
        Returns how many summaries were queued."""
        now = self.clock()
        since = since or self._offline_since
        self._offline_since = None
        kind = messages.channel_kind(self.channel, "alarm")
        waiting = messages.waiting_of_kind(kind)
        failed = []
        for row in messages.failed_of_kind(kind, now - timedelta(hours=24),
                                           exclude_prefix=MERGED_PREFIX,
                                           exclude_marks=(RESENT_MARK, NOT_RESENT_MARK)):
            if _is_late(row["message"]):
                continue  # a late copy or a summary that failed too: once is enough
            if _all_cleared(row["message"]):
                messages.mark_failed(row["id"], row["error_message"] + NOT_RESENT_MARK)
                continue
            failed.append(row)
        lang, zone = _lang(), _zone()
        by_chat: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in waiting + failed:
            by_chat[row["recipient"]].append(row)
        summaries = 0
        queued: list[Queued] = []
        fresh_after = now - timedelta(seconds=60)
        for chat, rows in by_chat.items():
            rows.sort(key=lambda r: (r["created_at"] or now, r["id"]))
            # After a closed app (`since`), even this cycle's messages tell of the past.
            old = [r for r in rows if since is not None or r["status"] == "failed"
                   or (r["created_at"] or now) < fresh_after]
            if not old:
                continue
            if len(rows) == 1:
                row = rows[0]
                if _is_late(row["message"]) and row["status"] == "pending":
                    continue  # marked at an earlier reconnect
                text = f"{row['message']} {tr(lang, 'alarm_late')}"
                if row["status"] == "failed":
                    messages.mark_failed(row["id"], row["error_message"] + RESENT_MARK)
                    queued.append(self._queue(chat, text, "alarm"))
                else:
                    messages.rewrite_pending(row["id"], text)
                continue
            start = since or min(r["created_at"] or now for r in rows)
            lines = [tr(lang, "offline_title", start=_clock(start, zone), end=_clock(now, zone))]
            numbers: list[int] = []
            for row in rows:
                stamp = _clock(row["created_at"], zone)
                for line in row["message"].split("\n"):
                    found = _NUMBER.search(line)
                    if found is None:
                        continue  # the "N alarm messages" heading of a combined message
                    line = line.split(" — ")[0]  # the reply hint comes once, at the end
                    lines.append(f"{stamp} {line}")
                    numbers.append(int(found.group(1)))
            if len(lines) > SUMMARY_LINES + 1:
                hidden = len(lines) - SUMMARY_LINES - 1
                lines = lines[:SUMMARY_LINES + 1] + [tr(lang, "offline_more", count=hidden)]
            lines += self._now_lines(numbers, now, lang)
            summary = self._queue(chat, "\n".join(lines), "alarm")
            queued.append(summary)
            for row in rows:
                reason = f"{MERGED_PREFIX} (#{summary.outbox_id})"
                if row["status"] == "failed":
                    messages.mark_failed(row["id"], row["error_message"] + RESENT_MARK)
                else:
                    messages.mark_failed(row["id"], reason)
            summaries += 1
        self._announce(queued)
        return summaries

    def _now_lines(self, numbers: list[int], now: datetime, lang: str) -> list[str]:
        """Where each alarm named stands now, its data marked when old."""
        out: list[str] = []
        seen: set[str] = set()
        for number in dict.fromkeys(numbers):
            event = store.get_event(number)
            if event is None or event["alarm_id"] in seen:
                continue
            seen.add(event["alarm_id"])
            try:
                alarm = store.get_alarm(event["alarm_id"])
            except Exception:  # noqa: BLE001 - deleted meanwhile
                continue
            if alarm["state"].phase != "active":
                continue
            shown = alarm["last_value"] or "?"
            last = alarm["last_evaluated_at"]
            age = (now - last).total_seconds() / 60 if last else None
            if age is not None and age > max(2 * alarm["interval_s"] / 60, 5):
                status = tr(lang, "offline_now_stale", value=shown, minutes=int(age))
            else:
                status = tr(lang, "offline_now", value=shown)
            icon = logic.SEVERITIES.get(alarm["severity"], "🔴")
            out.append(f"{icon} #{alarm['event_id']} {alarm['name']}: {status} — "
                       f"*ack {alarm['event_id']}*")
        return out

    # -- schedules ------------------------------------------------------------------------------
    async def run_schedules(self) -> list[dict[str, Any]]:
        """Run every schedule that is due; returns what was done, one dict per schedule."""
        now = self.clock()
        done = []
        for schedule in schedules.list_schedules():
            due = schedule["next_run_at"]
            if not schedule["active"] or due is None or due > now:
                continue
            done.append(await self._run_schedule(schedule, due, now))
        return done

    async def _run_schedule(self, schedule: dict[str, Any], due: datetime,
                            now: datetime) -> dict[str, Any]:
        zone = _zone()
        try:
            plan = schedule_expr.parse(schedule["expression"])
            next_at: datetime | None = schedule_expr.next_run(plan, max(now, due), zone)
        except ValueError as exc:
            schedules.record_run(schedule["id"], due, "failed", str(exc), None, now)
            return {"schedule": schedule["name"], "status": "failed", "detail": str(exc)}
        status, detail, queued = "sent", "", []
        grace = timedelta(minutes=int(settings.get("schedules", "grace_minutes") or 30))
        local_day = due.astimezone(zone).date()
        if schedules.already_ran(schedule["id"], due):
            status, detail = "skipped", "already ran (the clock went back)"
        elif now - due > grace:
            status = "missed"
            detail = (f"due at {due.astimezone(zone):%d %b %H:%M}; the computer was off or "
                      f"asleep until {now.astimezone(zone):%H:%M}")
        elif schedule["skip_holidays"] and local_day in schedules.holidays():
            status, detail = "skipped", f"{local_day.isoformat()} is a holiday"
        elif schedule_expr.in_window(now, schedule["quiet_hours"], zone):
            status, detail = "skipped", "quiet hours"
        parts: list[tuple[str, bytes | None]] = []
        dests: list[Destination] = []
        if status == "sent":
            try:
                parts = await self.preview_schedule(schedule)
                dests, skipped = recipients.resolve(schedule["recipients"])
                if not dests:
                    raise UserError("Nobody to send it to: " + " ".join(skipped))
                detail = f"sent to {', '.join(d.name for d in dests)}"
            except Exception as exc:  # noqa: BLE001 - a failed run is recorded, not raised
                status, detail = "failed", describe(exc)
        caption = tr(_lang(), "schedule_caption", name=schedule["name"], time=_clock(due, zone))
        # The messages and the record of the run commit together: a crash or a locked
        # database in between must not send the same digest again at the next tick.
        with database_proxy.atomic() as transaction:
            if status == "sent" and schedules.already_ran(schedule["id"], due):
                status, detail = "skipped", "already ran"
            if status == "sent":
                for dest in dests:
                    for i, (text, image) in enumerate(parts):
                        body = f"{text}\n\n_{caption}_" if i == 0 and text else text
                        queued.append(self._queue(dest.chat, body, "schedule", image))
            if not schedules.record_run(schedule["id"], due, status, detail, next_at, now):
                transaction.rollback()  # recorded meanwhile: its messages went out then
                status, queued = "skipped", []
        self._announce(queued)
        return {"schedule": schedule["name"], "status": status, "detail": detail,
                "queued": len(queued)}

    async def preview_schedule(self, schedule: dict[str, Any]) -> list[tuple[str, bytes | None]]:
        """The parts (text, image) recipients get when the schedule runs now."""
        target = schedules.target_of(schedule)
        if target is None:
            raise UserError(f"The {schedule['target_kind']} {schedule['target_name']} no "
                            "longer exists.")
        ctx = RunContext(_lang(), _zone())
        args = list(schedule.get("args") or [])
        answer: Answer
        if schedule["target_kind"] == "group":
            members = [trigger_service.get_trigger(i) for i in target["member_ids"]]
            answer = await self.runner.run_group(target, members, args, ctx)
        else:
            answer = await self.runner.run_trigger(target, args, ctx)
        out: list[tuple[str, bytes | None]] = []
        for part in answer.parts:
            chunks = render.split_message(part.text, ctx.lang) if part.text else [""]
            if part.image_png is not None:
                out.append((chunks[0], part.image_png))
                chunks = chunks[1:]
            out += [(c, None) for c in chunks]
        return out


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


class AlarmScheduler:
    """The loop: every few seconds, the alarms and schedules that are due."""

    def __init__(self, engine: AlarmEngine, tick_s: float = 5.0) -> None:
        self.engine = engine
        self.tick_s = tick_s
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.ensure_future(self._loop())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            try:
                await self.engine.run_cycle()
                await self.engine.run_schedules()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - the loop must outlive one bad cycle
                log.exception("An alarm cycle failed")
            await asyncio.sleep(self.tick_s)


def numbers_in(text: str) -> list[int]:
    """The alarm numbers a message names: the first "#12" of each line (a "#" in an alarm's
    name comes after its number)."""
    out = []
    for line in (text or "").split("\n"):
        found = _NUMBER.search(line)
        if found is not None:
            out.append(int(found.group(1)))
    return out


def _is_late(text: str) -> bool:
    return any(tr(lang, "alarm_late") in text or tr(lang, "offline_title", start="", end="")
               .split("(")[0] in text for lang in LANGUAGES)


def _all_cleared(text: str) -> bool:
    """A message of raised alarms that have all cleared since (no news worth sending late)."""
    if "✅" in text:
        return False
    numbers = numbers_in(text)
    events = [store.get_event(n) for n in numbers]
    return bool(numbers) and all(e is None or e["state"] == "cleared" for e in events)


def quoted_numbers(quoted_id: str | None) -> list[int]:
    """The alarm numbers of the bot's message a person replied to (quoted), if any."""
    if not quoted_id:
        return []
    row = messages.sent_by_whatsapp_id(quoted_id)
    if row is None or not str(row.get("type") or "").endswith("alarm"):
        return []
    return list(dict.fromkeys(numbers_in(row["message"])))

