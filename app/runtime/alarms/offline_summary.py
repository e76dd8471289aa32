"""After a disconnection or a closed app: per recipient, one "while the bot was offline"
summary instead of a burst of old alarm messages. What each message said of which alarm comes
from its typed alarm lines (app.services.outbox.AlarmLine), never from its text."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.core import alarms as logic
from app.core.i18n import tr
from app.runtime.alarms.outgoing import Queued, clock_text, lang, zone
from app.services import alarm_cycle as cycle_store
from app.services import alarms as store
from app.services import outbox
from app.services.outbox import AlarmLine

if TYPE_CHECKING:
    from app.runtime.alarms.engine import AlarmEngine

SUMMARY_LINES = 30


class OfflineSummary:
    def __init__(self, engine: AlarmEngine) -> None:
        self.engine = engine  # its channel, its clock, and how it announces messages

    def consolidate(self, since: datetime | None) -> int:
        """`gather`, then the messages it queued announced. Returns how many summaries."""
        summaries, queued = self.gather(since)
        self.engine.announce(queued)
        return summaries

    def gather(self, since: datetime | None) -> tuple[int, list[Queued]]:
        """Before the outbox sends: per recipient, one summary of the alarm messages waiting
        (and of those that failed); a single waiting message is marked late. Alarm messages
        that failed are sent again, late. `since`: when the app was closed, if it was.
        Database work only, so that it can run on a worker thread: returns how many
        summaries were queued and the messages queued, to be announced on the loop."""
        engine = self.engine
        now = engine.clock()
        channel = engine.channel
        waiting = outbox.waiting_of_kind("alarm", channel)
        failed = []
        for row in outbox.failed_of_kind("alarm", now - timedelta(hours=24), channel):
            if row["late"]:
                continue  # a late copy or a summary that failed too: once is enough
            lines = outbox.alarm_lines(row["id"])
            if _all_cleared(lines):
                outbox.mark_not_resent(row["id"], row["error_message"])
                continue
            failed.append(row)
        language, where = lang(), zone()
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
                if row["late"] and row["status"] == "pending":
                    continue  # marked at an earlier reconnect
                text = f"{row['message']} {tr(language, 'alarm_late')}"
                if row["status"] == "failed":
                    copy_id = outbox.resend_late(row, text, now)
                    queued.append(Queued(chat, text, "alarm", copy_id, channel=channel))
                else:
                    outbox.rewrite_pending(row["id"], text, late=True)
                continue
            start = since or min(r["created_at"] or now for r in rows)
            lines = [tr(language, "offline_title", start=clock_text(start, where),
                        end=clock_text(now, where))]
            carried: list[AlarmLine] = []
            numbers: list[int] = []
            for row in rows:
                stamp = clock_text(row["created_at"], where)
                for item in outbox.alarm_lines(row["id"]):
                    for said in item.line.split("\n"):
                        lines.append(f"{stamp} {said}")
                        carried.append(AlarmLine(item.event_id, item.what, f"{stamp} {said}"))
                        numbers.append(item.event_id)
            if len(lines) > SUMMARY_LINES + 1:
                hidden = len(lines) - SUMMARY_LINES - 1
                lines = lines[:SUMMARY_LINES + 1] + [tr(language, "offline_more", count=hidden)]
                carried = carried[:SUMMARY_LINES]
            for number, line, brief in self._now_lines(numbers, now, language):
                lines.append(line)
                carried.append(AlarmLine(number, "now", brief))
            text = "\n".join(lines)
            summary_id = outbox.queue_offline_summary(chat, text, channel, carried, rows,
                                                        created_at=now)
            queued.append(Queued(chat, text, "alarm", summary_id, channel=channel))
            summaries += 1
        return summaries, queued

    @staticmethod
    def _now_lines(numbers: list[int], now: datetime, language: str
                   ) -> list[tuple[int, str, str]]:
        """Where each alarm named stands now, its data marked when old: (number, the line,
        the line without its reply hint)."""
        out: list[tuple[int, str, str]] = []
        seen: set[str] = set()
        alarms = cycle_store.alarms_of_events(numbers)  # a few reads for all of them
        for number in dict.fromkeys(numbers):
            alarm = alarms.get(number)  # None: the event or its alarm deleted meanwhile
            if alarm is None or alarm["id"] in seen:
                continue
            seen.add(alarm["id"])
            if alarm["state"].phase != "active":
                continue
            shown = alarm["last_value"] or "?"
            last = alarm["last_evaluated_at"]
            age = (now - last).total_seconds() / 60 if last else None
            if age is not None and age > max(2 * alarm["interval_s"] / 60, 5):
                status = tr(language, "offline_now_stale", value=shown, minutes=int(age))
            else:
                status = tr(language, "offline_now", value=shown)
            icon = logic.SEVERITIES.get(alarm["severity"], "🔴")
            brief = f"{icon} #{alarm['event_id']} {alarm['name']}: {status}"
            out.append((alarm["event_id"], f"{brief} — *ack {alarm['event_id']}*", brief))
        return out


def _all_cleared(lines: list[AlarmLine]) -> bool:
    """A message of raised alarms that have all cleared since (no news worth sending late)."""
    if any(line.what == "cleared" for line in lines):
        return False
    found = [store.get_event(line.event_id) for line in lines]
    return bool(lines) and all(e is None or e["state"] == "cleared" for e in found)
