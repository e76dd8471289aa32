"""From an incoming message to the replies the bot sends: routing, triggers, rendering.

What a message asks for is decided once (`Pipeline.route`) and handed down; the answer becomes
WhatsApp messages in one place (app.runtime.answers.whatsapp_messages), addressed to the one
recipient the message names (Incoming.reply_to). docs/architecture.md, "One message's path".
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.core import access, alarm_commands
from app.core.alarm_commands import AlarmCommand
from app.core.help import HelpCatalog, HelpEntry, help_message
from app.core.i18n import tr
from app.core.messages import OPERATOR, Incoming
from app.core.render import format_when
from app.core.routing import GREETING_WORDS, LIST_WORDS, Catalog, Route, route
from app.core.timefmt import utc_now
from app.core.variables import parse_specs, usage
from app.runtime.answers import Answer, ReplyPart, RunContext, reply_context, whatsapp_messages
from app.runtime.trigger_runner import TriggerRunner
from app.services import ai_prefixes, settings
from app.services import triggers as trigger_service

# The alarm commands' answers (acknowledging, shelving: the alarm services behind them) load
# with the first message that is an alarm command, so that `simulate` and a bot answering
# triggers do not import them at start (tests/integration/test_startup_imports.py).

HINT_EVERY_S = 600
# A question that reaches the bot later than this after it was asked waited while the bot was
# offline (WhatsApp delivers what arrived meanwhile when it reconnects).
LATE_AFTER_S = 120
DATA_ROUTES = ("trigger", "group", "ai")  # answers with plant data, which would be current


@dataclass(frozen=True)
class Routed:
    """What one message asks for, decided once with the catalog of that moment."""

    route: Route
    catalog: Catalog
    command: AlarmCommand | None = None  # `ack 12`, `shelve …`, `alarms`


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

    late: str = ""  # why the answer differs for a question asked while the bot was offline

    @property
    def why(self) -> dict[str, str]:
        """For the message's row: the full reason an answer failed (the Messages tab's "why"),
        which the WhatsApp reply itself does not carry."""
        if self.answer is not None and not self.answer.ok and self.answer.detail:
            return {"reason": self.answer.detail}
        if self.late:
            return {"reason": self.late}
        return {}


@dataclass(frozen=True)
class Reply:
    to: str
    text: str
    image_png: bytes | None
    latency_ms: float


class Pipeline:
    def __init__(self, runner: TriggerRunner, ai=None) -> None:
        self.runner = runner
        self.ai = ai  # an AiResponder (app.runtime.ai_chat); None answers "not set up"
        self._hinted: dict[str, float] = {}
        self._catalog: tuple[tuple, Catalog] | None = None

    def catalog(self) -> Catalog:
        """What may be asked for now. One catalog serves every message until the names
        change, so its index of normalised names is built once, not for each message (a
        plant's thousand trigger names)."""
        names = trigger_service.catalog_names()
        kept = self._catalog
        if kept is None or (kept[0] is not names and kept[0] != names):
            triggers, groups, prefixes = names
            kept = self._catalog = (names, Catalog(triggers=triggers, groups=groups,
                                                   ai_prefixes=prefixes))
        return kept[1]

    def route(self, msg: Incoming, catalog: Catalog | None = None) -> Routed:
        """An alarm command first (unless a trigger or group of that name answers it), else
        what the router makes of the text."""
        catalog = catalog or self.catalog()
        command = None
        if alarm_commands.parse(msg.text) is not None:
            from app.runtime import alarm_replies

            command = alarm_replies.command_in(msg, catalog)
        if command is not None:
            return Routed(Route("alarm", command.verb, text=msg.text.strip()), catalog, command)
        return Routed(route(msg.text, catalog, group_chat=msg.is_group,
                            mentioned=msg.mentioned), catalog)

    async def handle(self, msg: Incoming) -> list[Reply]:
        return (await self.process(msg)).replies

    async def process(self, msg: Incoming, routed: Routed | None = None,
                      ctx: RunContext | None = None) -> Outcome:
        ctx = ctx or reply_context()
        routed = routed or self.route(msg)
        if routed.command is not None:
            from app.runtime import alarm_replies

            answer, notices = alarm_replies.answer(routed.command, msg, ctx)
            return Outcome(routed.route, answer, self._replies(answer, msg, ctx), notices)
        waited = self._waited(msg)
        late = ""
        if waited is not None and routed.route.kind in DATA_ROUTES:
            asked = format_when(msg.timestamp, ctx.zone, ctx.lang)
            minutes = round(waited / 60)
            limit = int(settings.get("whatsapp", "offline_question_minutes") or 30)
            if waited > limit * 60:
                # Hours-old values asked for hours ago help nobody; the asker decides.
                answer = Answer(routed.route.name, [ReplyPart(tr(
                    ctx.lang, "offline_too_old", time=asked))])
                return Outcome(routed.route, answer, self._replies(answer, msg, ctx), late=(
                    f"Asked at {asked}, {minutes} min before the bot could answer (more than "
                    f"{limit} min, Settings → WhatsApp): asked to send it again, no data sent."))
            late = f"Asked at {asked}, answered {minutes} min later with current values."
        answer = await self.answer(routed.route, msg, ctx, routed.catalog)
        if late and answer is not None and answer.parts:
            note = tr(ctx.lang, "offline_note", time=format_when(msg.timestamp, ctx.zone,
                                                                 ctx.lang))
            first = answer.parts[0]
            answer.parts[0] = ReplyPart(f"{note}\n\n{first.text}" if first.text else note,
                                        first.image_png)
        replies = [] if answer is None else self._replies(answer, msg, ctx)
        return Outcome(routed.route, answer, replies, late=late)

    @staticmethod
    def _waited(msg: Incoming) -> float | None:
        """Seconds the question waited before reaching the bot, when it waited while the bot
        was offline; None for a question that arrived as it was asked (or from the app)."""
        if msg.via == "simulator" or msg.timestamp is None:
            return None
        waited = (utc_now() - msg.timestamp).total_seconds()
        return waited if waited > LATE_AFTER_S else None

    @staticmethod
    def may_use(trigger_or_config: dict, tags: tuple[str, ...] | None,
                group_tags: tuple[str, ...] | None = None) -> bool:
        """Audience tags limit a trigger; no tags on it means every allowed contact. In a
        group chat the group must have one of them too (`group_tags`)."""
        return Pipeline.audience_check(trigger_or_config, tags, group_tags).allowed

    @staticmethod
    def audience_check(trigger_or_config: dict, tags: tuple[str, ...] | None,
                       group_tags: tuple[str, ...] | None = None) -> access.AudienceCheck:
        config = trigger_or_config.get("config", trigger_or_config)
        return access.check_audience(config.get("audience") or [], tags, group_tags)

    async def answer(self, decision: Route, msg: Incoming, ctx: RunContext,
                     catalog: Catalog | None = None) -> Answer | None:
        if decision.kind == "ignore":
            return None
        if decision.kind == "builtin":
            return Answer(decision.name, [ReplyPart(self.help_text(
                ctx, decision.name, msg.tags, catalog or self.catalog(), decision.args,
                group_tags=msg.group_tags))])
        if decision.kind == "ai":
            if self.ai is not None:
                return await self.ai.answer(decision.name, decision.question, msg, ctx)
            return Answer(decision.name, [ReplyPart(tr(ctx.lang, "ai_not_available"))],
                          ok=False)
        if decision.kind == "group":
            group = trigger_service.find_group(decision.name)
            if group is not None:
                members = self._members(group)
                # A member without an audience is open to everyone allowed: nothing to check.
                refusal = next((c for c in (self.audience_check(m, msg.tags, msg.group_tags)
                                            for m in members if m["config"].get("audience"))
                                if not c.allowed), None)
                if refusal is not None:
                    return self.refused(decision.name, ctx, refusal)
                return await self.runner.run_group(group, members, list(decision.args), ctx)
        if decision.kind in ("group", "trigger"):
            trigger = trigger_service.find_trigger(decision.name)
            if trigger is not None:
                check = self.audience_check(trigger, msg.tags, msg.group_tags)
                if not check.allowed:
                    return self.refused(trigger["name"], ctx, check)
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
    def _members(group: dict) -> list[dict]:
        """The group's triggers in its order, as kept by the triggers service and not copied:
        the runner and the audience check only read them (a hundred members, one message)."""
        kept = {t["id"]: t for t in trigger_service.read_triggers()}
        return [kept[i] if i in kept else trigger_service.get_trigger(i)  # gone: it says so
                for i in group["member_ids"]]

    @staticmethod
    def refused(name: str, ctx: RunContext, check: access.AudienceCheck | None = None,
                title: str | None = None) -> Answer:
        """The refusal the asker reads (in a group lacking the tags: that the group lacks
        them); the Messages tab gets the sentence of why."""
        if check is not None and check.refused_by == "group":
            text = tr(ctx.lang, "not_allowed_in_group", name=name, tags=check.wanted)
        else:
            text = tr(ctx.lang, "not_allowed", name=name)
        return Answer(title or name, [ReplyPart(text)], ok=False,
                      detail=check.reason if check is not None else "")

    def help_text(self, ctx: RunContext, word: str, tags: tuple[str, ...] | None = None,
                  catalog: Catalog | None = None, search: tuple[str, ...] = (),
                  group_tags: tuple[str, ...] | None = None) -> str:
        """What this sender may ask (in a group: what may be posted there too), at most a
        couple of WhatsApp messages long; `search` (the words after `help`) lists only what
        matches them."""
        active = [t for t in trigger_service.read_triggers()
                  if t["active"] and self.may_use(t, tags, group_tags)]
        usable = {t["id"] for t in active}
        groups = [HelpEntry(g["name"], g["name"], g["description"])
                  for g in trigger_service.read_groups()
                  if g["member_ids"] and set(g["member_ids"]) <= usable]
        triggers = [HelpEntry(t["name"], self._shown(t), t["description"]) for t in active]
        # Most useful first: triggers someone described for the people who use them.
        triggers.sort(key=lambda e: not e.description)
        prefixes = (catalog or self.catalog()).ai_prefixes
        described = {p["prefix"]: f"{p['name']} {p['description']}"
                     for p in ai_prefixes.list_prefixes()} if search else {}
        entries = HelpCatalog(groups, triggers,
                              [HelpEntry(p, p, described.get(p, "")) for p in prefixes],
                              self._alarms_for(tags))
        return help_message(ctx.lang, entries, greeting=word in GREETING_WORDS,
                            search=search if word in LIST_WORDS else ())

    @staticmethod
    def _shown(trigger: dict) -> str:
        try:
            specs = parse_specs(trigger["config"].get("variables") or [])
        except ValueError:
            specs = []
        return usage(trigger["name"], specs) if specs else trigger["name"]

    @staticmethod
    def _alarms_for(tags: tuple[str, ...] | None) -> bool:
        """Whether the alarm commands are worth listing: some alarm is switched on."""
        from app.services import alarms as alarm_service

        return alarm_service.any_active()

    def _replies(self, answer: Answer, msg: Incoming, ctx: RunContext) -> list[Reply]:
        latency = (time.perf_counter() - msg.received_at) * 1000
        return [Reply(msg.reply_to, text, image, latency)
                for text, image in whatsapp_messages(answer, ctx.lang)]
