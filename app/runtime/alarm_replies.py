"""What the bot answers to `ack 12`, `ack` in reply to an alarm, `shelve 12 2h reason` and
`alarms`, and who else hears of an acknowledgement."""

from __future__ import annotations

from typing import Any

from app.core import alarm_commands
from app.core import alarms as logic
from app.core.alarm_commands import AlarmCommand
from app.core.i18n import tr
from app.core.messages import Incoming
from app.core.routing import Catalog, route
from app.core.timefmt import utc_now
from app.runtime.answers import Answer, ReplyPart, RunContext
from app.services import alarm_acks, contacts
from app.services import alarms as store
from app.services.outbox import quoted_alarm_numbers as quoted_numbers


def command_in(msg: Incoming, catalog: Catalog) -> AlarmCommand | None:
    """`ack 12`, `shelve 12 2h reason`, `alarms` — unless a trigger or group of the same
    name exists (what answered before keeps answering), or, in a group chat, it is talk
    among people rather than a command to the bot."""
    command = alarm_commands.parse(msg.text)
    if command is None:
        return None
    if route(msg.text, catalog, group_chat=False).kind in ("group", "trigger"):
        return None
    if msg.is_group and not alarm_commands.addressed_in_group(
            msg.text, command, msg.mentioned, bool(quoted_numbers(msg.quoted_id))):
        return None
    return command


def _contact(msg: Incoming) -> dict[str, Any] | None:
    return contacts.find_contact(msg.sender) if msg.sender else None


def _who(msg: Incoming, contact: dict[str, Any] | None) -> alarm_acks.Who:
    if msg.sender is None:
        return alarm_acks.Who(msg.push_name or "operator", None, "operator")
    name = (contact or {}).get("name") or msg.push_name or (contact or {}).get("display_name") \
        or msg.sender.split("@")[0]
    return alarm_acks.Who(name, (contact or {}).get("id"), msg.via)


def _text(answer_key: str, ctx: RunContext, ok: bool, **values: Any) -> Answer:
    return Answer("alarm", [ReplyPart(tr(ctx.lang, answer_key, **values))], ok=ok)


def answer(command: AlarmCommand, msg: Incoming, ctx: RunContext
           ) -> tuple[Answer, list[tuple[str, str]]]:
    contact = _contact(msg)
    chat = msg.chat if msg.is_group else None
    if command.verb == "list":
        return _list(contact, chat, ctx), []
    number = command.number
    if number is None:
        quoted = quoted_numbers(msg.quoted_id)
        if len(quoted) == 1:
            number = quoted[0]
        elif len(quoted) > 1:
            return _text("alarm_which_of", ctx, False,
                         numbers=", ".join(f"#{n}" for n in quoted), first=quoted[0]), []
        elif command.verb == "ack":
            return _text("alarm_which", ctx, False), []
    if command.verb == "shelve" and (command.usage_error or number is None):
        return _text("alarm_shelve_usage", ctx, False), []
    who = _who(msg, contact)
    if command.verb == "ack":
        outcome = alarm_acks.acknowledge(number, who, contact, chat, ctx.zone)
    else:
        outcome = alarm_acks.shelve(number, command.duration, command.reason, who, contact, chat,
                               ctx.zone)
    reply = _text(outcome.key, ctx, outcome.ok, **outcome.values)
    skip = [msg.reply_to, *(contact or {}).get("sender_ids", [])]
    notices = [(chat_id, reply.parts[0].text)
               for chat_id in alarm_acks.others_told(outcome, skip)]
    return reply, notices


def _list(contact: dict[str, Any] | None, chat: str | None, ctx: RunContext) -> Answer:
    alarms = {a["id"]: a for a in store.list_alarms()}
    lines = []
    for event in store.active_events():
        alarm = alarms.get(event["alarm_id"])
        if alarm is None or not alarm_acks.may_act(alarm, contact, chat):
            continue
        icon = logic.SEVERITIES.get(event["severity"], "🔴")
        since = event["raised_at"].astimezone(ctx.zone).strftime("%H:%M") \
            if event["raised_at"] else "?"
        status = ""
        if event["acknowledged_by"]:
            status += tr(ctx.lang, "alarm_by", who=event["acknowledged_by"])
        if event["shelved_until"] and event["shelved_until"] > utc_now():
            status += tr(ctx.lang, "alarm_shelved_until",
                         time=event["shelved_until"].astimezone(ctx.zone).strftime("%H:%M"))
        now = alarm["last_value"]
        value = f" · {now}" if now and now not in event["why"] else ""
        lines.append(f"{icon} #{event['number']} {alarm['name']} {event['why']} "
                     f"({since}){value}{status}")
    if not lines:
        return Answer("alarms", [ReplyPart(tr(ctx.lang, "alarms_none"))])
    return Answer("alarms", [ReplyPart("\n".join([f"*{tr(ctx.lang, 'alarms_title')}*",
                                                   *lines]))])
