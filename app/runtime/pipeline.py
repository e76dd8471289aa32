"""From an incoming message to the replies the bot sends: routing, triggers, rendering."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.core import access, alarm_commands, render
from app.core.i18n import tr
from app.core.routing import Catalog, Route, route
from app.core.variables import parse_specs, usage
from app.runtime.trigger_runner import Answer, ReplyPart, RunContext, TriggerRunner
from app.services import settings
from app.services import triggers as trigger_service

OPERATOR = "operator"  # who `simulate` speaks as when no --sender is given
HINT_EVERY_S = 600


@dataclass(frozen=True)
class Incoming:
    text: str
    sender: str | None = None  # a phone number or WhatsApp id; None is the workstation operator
    name: str = ""
    chat_id: str | None = None  # the group's id in a group chat
    is_group: bool = False
    mentioned: bool = False
    message_id: str | None = None
    received_at: float = field(default_factory=time.perf_counter)
    tags: tuple[str, ...] | None = None  # the contact's tags; None: the operator, allowed all
    quoted_id: str | None = None  # WhatsApp's id of the message this one replies to
    via: str = "whatsapp"  # whatsapp or simulator: who acknowledged an alarm, and how


@dataclass
class Outcome:
    """What the pipeline decided, for the message's row in the Messages tab."""

    route: Route
    answer: Answer | None
    replies: list[Reply]
    # Messages to other chats: the people an alarm went to hear who acknowledged it.
    notices: list[tuple[str, str]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.route.kind == "ignore":
            return "ignored"
        if self.route.kind == "unknown" or (self.answer and self.answer.title == "unknown"):
            return "unknown_command"
        if self.answer is not None and not self.answer.ok:
            return "answered_with_error"
        return "answered"


@dataclass(frozen=True)
class Reply:
    to: str
    text: str
    image_png: bytes | None
    latency_ms: float


def _zone(name: str) -> tzinfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class Pipeline:
    def __init__(self, runner: TriggerRunner, ai=None) -> None:
        self.runner = runner
        self.ai = ai  # an AiResponder (app.runtime.ai_chat); None answers "not set up"
        self._hinted: dict[str, float] = {}

    def context(self) -> RunContext:
        return RunContext(str(settings.get("general", "language") or "en"),
                          _zone(str(settings.get("general", "time_zone") or "")))

    def catalog(self) -> Catalog:
        triggers, groups, prefixes = trigger_service.catalog_names()
        return Catalog(triggers=triggers, groups=groups, ai_prefixes=prefixes)

    async def handle(self, msg: Incoming) -> list[Reply]:
        return (await self.process(msg)).replies

    async def process(self, msg: Incoming) -> Outcome:
        ctx = self.context()
        catalog = self.catalog()
        command = self.alarm_command(msg.text, catalog, msg.is_group, msg.mentioned,
                                     msg.quoted_id)
        if command is not None:
            from app.runtime import alarm_replies

            answer, notices = alarm_replies.answer(command, msg, ctx)
            decision = Route("alarm", command.verb, text=msg.text.strip())
            return Outcome(decision, answer, self._replies(answer, msg, ctx), notices)
        decision = route(msg.text, catalog, group_chat=msg.is_group, mentioned=msg.mentioned)
        answer = await self.answer(decision, msg, ctx)
        replies = [] if answer is None else self._replies(answer, msg, ctx)
        return Outcome(decision, answer, replies)

    @staticmethod
    def alarm_command(text: str, catalog: Catalog, is_group: bool = False,
                      mentioned: bool = False, quoted_id: str | None = None
                      ) -> alarm_commands.AlarmCommand | None:
        """`ack 12`, `shelve 12 2h reason`, `alarms` — unless a trigger or group of the same
        name exists (what answered before keeps answering), or, in a group chat, it is talk
        among people rather than a command to the bot."""
        command = alarm_commands.parse(text)
        if command is None:
            return None
        decision = route(text, catalog, group_chat=False)
        if decision.kind in ("group", "trigger"):
            return None
        if is_group:
            from app.services.outbox import quoted_alarm_numbers as quoted_numbers

            if not alarm_commands.addressed_in_group(text, command, mentioned,
                                                     bool(quoted_numbers(quoted_id))):
                return None
        return command

    @staticmethod
    def may_use(trigger_or_config: dict, tags: tuple[str, ...] | None) -> bool:
        """Audience tags limit a trigger; no tags on it means every allowed contact."""
        config = trigger_or_config.get("config", trigger_or_config)
        return tags is None or access.may_use(tags, config.get("audience") or [])

    async def answer(self, decision: Route, msg: Incoming, ctx: RunContext) -> Answer | None:
        if decision.kind == "ignore":
            return None
        if decision.kind == "builtin":
            return Answer(decision.name, [ReplyPart(self.help_text(ctx, decision.name,
                                                                   msg.tags))])
        if decision.kind == "ai":
            if self.ai is not None:
                return await self.ai.answer(decision.name, decision.question, msg, ctx)
            return Answer(decision.name, [ReplyPart(tr(ctx.lang, "ai_not_available"))],
                          ok=False)
        if decision.kind == "group":
            group = trigger_service.find_group(decision.name)
            if group is not None:
                members = [trigger_service.get_trigger(i) for i in group["member_ids"]]
                if not all(self.may_use(m, msg.tags) for m in members):
                    return self._refused(decision.name, ctx)
                return await self.runner.run_group(group, members, list(decision.args), ctx)
        if decision.kind in ("group", "trigger"):
            trigger = trigger_service.find_trigger(decision.name)
            if trigger is not None:
                if not self.may_use(trigger, msg.tags):
                    return self._refused(trigger["name"], ctx)
                return await self.runner.run_trigger(trigger, list(decision.args), ctx)
        if msg.is_group:
            return None
        who = msg.sender or OPERATOR
        now = time.monotonic()
        if now - self._hinted.get(who, -HINT_EVERY_S) < HINT_EVERY_S:
            return None
        self._hinted[who] = now
        return Answer("unknown", [ReplyPart(tr(ctx.lang, "unknown_hint"))], ok=False)

    @staticmethod
    def _refused(name: str, ctx: RunContext) -> Answer:
        return Answer(name, [ReplyPart(tr(ctx.lang, "not_allowed", name=name))], ok=False)

    def help_text(self, ctx: RunContext, word: str, tags: tuple[str, ...] | None = None) -> str:
        lang = ctx.lang
        lines = [f"*{tr(lang, 'help_title')}*"]
        if word == "halo":
            lines.insert(0, tr(lang, "greeting"))
        lines.append(tr(lang, "help_intro"))
        active = [t for t in trigger_service.list_triggers()
                  if t["active"] and self.may_use(t, tags)]
        usable = {t["id"] for t in active}
        groups = [g for g in trigger_service.list_groups()
                  if g["member_ids"] and set(g["member_ids"]) <= usable]
        triggers, _, prefixes = trigger_service.catalog_names()
        if groups:
            lines += ["", f"*{tr(lang, 'help_groups_heading')}*"]
            lines += [f"• *{g['name']}*" + (f" — {g['description']}" if g["description"] else "")
                      for g in groups]
        if active:
            lines += ["", f"*{tr(lang, 'help_triggers_heading')}*"]
            for t in active:
                try:
                    specs = parse_specs(t["config"].get("variables") or [])
                except ValueError:
                    specs = []
                shown = usage(t["name"], specs) if specs else t["name"]
                lines.append(f"• *{shown}*" + (f" — {t['description']}" if t["description"]
                                               else ""))
        if prefixes:
            lines += ["", f"*{tr(lang, 'help_ai_heading')}*"]
            lines += [f"• {p} …" for p in prefixes]
        if self._alarms_for(tags):
            lines += ["", tr(lang, "help_alarms")]
        if not active and not groups and not prefixes:
            lines += ["", tr(lang, "help_empty")]
        return "\n".join(lines)

    @staticmethod
    def _alarms_for(tags: tuple[str, ...] | None) -> bool:
        """Whether the alarm commands are worth listing: some alarm is switched on."""
        from app.db.models import Alarm

        return Alarm.select().where(Alarm.active == True).exists()  # noqa: E712

    def _replies(self, answer: Answer, msg: Incoming, ctx: RunContext) -> list[Reply]:
        to = msg.chat_id or msg.sender or OPERATOR
        out: list[Reply] = []
        for part in answer.parts:
            chunks = render.split_message(part.text, ctx.lang) if part.text else [""]
            if part.image_png is not None:
                out.append(self._reply(to, chunks[0], part.image_png, msg))
                chunks = chunks[1:]
            out += [self._reply(to, chunk, None, msg) for chunk in chunks]
        return out

    @staticmethod
    def _reply(to: str, text: str, image: bytes | None, msg: Incoming) -> Reply:
        return Reply(to, text, image, (time.perf_counter() - msg.received_at) * 1000)
