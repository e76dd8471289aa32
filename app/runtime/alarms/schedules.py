"""Schedule runs: a trigger or a group sent to its recipients at set times, each run recorded
(sent, skipped, missed or failed) together with the messages it queued."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.core import schedule_expr
from app.core.i18n import tr
from app.errors import UserError, describe
from app.runtime import answers
from app.runtime.alarms.outgoing import Queued, clock_text, lang, zone
from app.runtime.trigger_runner import Answer, TriggerRunner
from app.services import recipients, schedules, settings
from app.services import triggers as trigger_service
from app.services.recipients import Destination

if TYPE_CHECKING:
    from app.runtime.alarms.engine import AlarmEngine


class ScheduleRunner:
    def __init__(self, engine: AlarmEngine, runner: TriggerRunner) -> None:
        self.engine = engine  # its clock, and how it queues and announces messages
        self.runner = runner

    async def run_due(self) -> list[dict[str, Any]]:
        """Run every schedule that is due; returns what was done, one dict per schedule."""
        now = self.engine.clock()
        done = []
        for schedule in schedules.list_schedules():
            due = schedule["next_run_at"]
            if not schedule["active"] or due is None or due > now:
                continue
            done.append(await self._run(schedule, due, now))
        return done

    async def _run(self, schedule: dict[str, Any], due: datetime,
                   now: datetime) -> dict[str, Any]:
        where = zone()
        try:
            plan = schedule_expr.parse(schedule["expression"])
            next_at: datetime | None = schedule_expr.next_run(plan, max(now, due), where)
        except ValueError as exc:
            schedules.record_run(schedule["id"], due, "failed", str(exc), None, now)
            return {"schedule": schedule["name"], "status": "failed", "detail": str(exc)}
        status, detail = "sent", ""
        grace = timedelta(minutes=int(settings.get("schedules", "grace_minutes") or 30))
        local_day = due.astimezone(where).date()
        if schedules.already_ran(schedule["id"], due):
            status, detail = "skipped", "already ran (the clock went back)"
        elif now - due > grace:
            status = "missed"
            detail = (f"due at {due.astimezone(where):%d %b %H:%M}; the computer was off or "
                      f"asleep until {now.astimezone(where):%H:%M}")
        elif schedule["skip_holidays"] and local_day in schedules.holidays():
            status, detail = "skipped", f"{local_day.isoformat()} is a holiday"
        elif schedule_expr.in_window(now, schedule["quiet_hours"], where):
            status, detail = "skipped", "quiet hours"
        parts: list[tuple[str, bytes | None]] = []
        dests: list[Destination] = []
        if status == "sent":
            try:
                parts = await self.preview(schedule)
                audiences = self.audiences(schedule)
                dests, skipped = recipients.resolve(schedule["recipients"],
                                                    audiences=audiences)
                if not dests:  # recorded as such, not as sent: "Nobody can be told: …"
                    raise UserError(recipients.ReachCheck().schedule(schedule, audiences)
                                    or "Nobody can be told: " + " ".join(skipped))
                detail = f"sent to {', '.join(d.name for d in dests)}"
                if skipped:  # who did not get it, and why (a group not approved, …)
                    detail += ". " + " ".join(skipped)
            except Exception as exc:  # noqa: BLE001 - a failed run is recorded, not raised
                status, detail = "failed", describe(exc)
        caption = tr(lang(), "schedule_caption", name=schedule["name"],
                     time=clock_text(due, where))

        channels = set(schedule["recipients"].get("channels") or ["whatsapp"])

        def queue() -> list[Queued]:
            out = []
            for dest in dests if "whatsapp" in channels else []:
                for i, (text, image) in enumerate(parts):
                    body = f"{text}\n\n_{caption}_" if i == 0 and text else text
                    out.append(self.engine.queue(dest.chat, body, "schedule", image))
            if "email" in channels:  # app.runtime.alarms.delivery
                out += self.engine.delivery.schedule_emails(caption, dests, parts, now)
            return out

        status, detail, queued = schedules.record_run_with_messages(
            schedule["id"], due, status, detail, next_at, now, queue)
        self.engine.announce(queued)
        return {"schedule": schedule["name"], "status": status, "detail": detail,
                "queued": len(queued)}

    @staticmethod
    def audiences(schedule: dict[str, Any]) -> list[list[str]]:
        """The tags the schedule's trigger (or each member of its group) is limited to."""
        target = schedules.target_of(schedule)
        if target is None:
            return []
        if schedule["target_kind"] == "group":
            return recipients.audiences_of(group_id=target["id"])
        return recipients.audiences_of(trigger_id=target["id"])

    async def preview(self, schedule: dict[str, Any]) -> list[tuple[str, bytes | None]]:
        """The parts (text, image) recipients get when the schedule runs now."""
        target = schedules.target_of(schedule)
        if target is None:
            raise UserError(f"The {schedule['target_kind']} {schedule['target_name']} no "
                            "longer exists.")
        ctx = answers.reply_context()
        args = list(schedule.get("args") or [])
        answer: Answer
        if schedule["target_kind"] == "group":
            members = [trigger_service.get_trigger(i) for i in target["member_ids"]]
            answer = await self.runner.run_group(target, members, args, ctx)
        else:
            answer = await self.runner.run_trigger(target, args, ctx)
        return answers.whatsapp_messages(answer, ctx.lang)
