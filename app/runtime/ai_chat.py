"""Answers to AI-prefixed questions: the AI service, read-only plant tools, short memory."""

from __future__ import annotations

import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from app.core.i18n import tr
from app.core.messages import Incoming
from app.core.values import PiValue
from app.errors import UserError, describe
from app.runtime import executor
from app.runtime.answers import Answer, ReplyPart, RunContext
from app.runtime.pipeline import Pipeline
from app.runtime.source_pool import SourcePool
from app.runtime.trigger_runner import TriggerRunner
from app.services import ai_prefixes, settings, sources
from app.services import triggers as trigger_service
from app.sources.base import SourceError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

TOOLS = [
    {"type": "function", "function": {
        "name": "read_current",
        "description": "Current values of PI tags (value, units, time, quality).",
        "parameters": {"type": "object", "properties": {
            "tags": {"type": "array", "items": {"type": "string"},
                     "description": "Tag names exactly as listed by list_data."}},
            "required": ["tags"]}}},
    {"type": "function", "function": {
        "name": "read_summary",
        "description": "Average, minimum and maximum of one PI tag over a time range.",
        "parameters": {"type": "object", "properties": {
            "tag": {"type": "string"},
            "start": {"type": "string", "description": "PI time, e.g. *-8h, t, y"},
            "end": {"type": "string", "description": "PI time, e.g. *"}},
            "required": ["tag", "start", "end"]}}},
    {"type": "function", "function": {
        "name": "run_trigger",
        "description": "Run one of the bot's commands and get its reply text.",
        "parameters": {"type": "object", "properties": {"name": {"type": "string"}},
                       "required": ["name"]}}},
    {"type": "function", "function": {
        "name": "list_data",
        "description": "The commands and PI tags this person may read, with descriptions.",
        "parameters": {"type": "object", "properties": {}}}},
]


@dataclass
class _Used:
    """What an answer was built from, named at its end."""

    tags: dict[str, str] = field(default_factory=dict)  # tag → time range
    triggers: list[str] = field(default_factory=list)

    def line(self, lang: str) -> str:
        parts = [f"{tag} ({span})" for tag, span in self.tags.items()] + [
            f"*{name}*" for name in self.triggers]
        return "" if not parts else "_" + tr(lang, "ai_sources", sources=", ".join(parts)) + "_"


class AiResponder:
    def __init__(self, pool: SourcePool, runner: TriggerRunner) -> None:
        self.pool = pool
        self.runner = runner
        self._memory: dict[str, deque[dict[str, str]]] = {}

    # -- what the sender may read -----------------------------------------------------------
    @staticmethod
    def _allowed(tags: tuple[str, ...] | None, group_tags: tuple[str, ...] | None = None
                 ) -> tuple[list[dict], dict[str, str]]:
        """The sender's active triggers (in a group chat: those the group may read too), and
        tag → source id of every PI tag in them."""
        usable = [t for t in trigger_service.list_triggers()
                  if t["active"] and Pipeline.may_use(t, tags, group_tags)]
        tag_sources: dict[str, str] = {}
        for t in usable:
            if t["type"] == "pi" and t["data_source_id"] and not t["config"].get("variables"):
                for tag in t["config"].get("tags") or []:
                    tag_sources.setdefault(tag, t["data_source_id"])
        return usable, tag_sources

    # -- the question -----------------------------------------------------------------------
    async def answer(self, prefix: str, question: str, msg: Incoming,
                     ctx: RunContext) -> Answer:
        row = ai_prefixes.find_by_prefix(prefix)
        title = row["name"] if row else prefix
        if row is None or not row["enabled"]:
            return Answer(title, [ReplyPart(tr(ctx.lang, "ai_not_available"))], ok=False)
        check = Pipeline.audience_check({"audience": row.get("audience") or []}, msg.tags,
                                        msg.group_tags)
        if not check.allowed:
            return Pipeline.refused(prefix, ctx, check, title=title)
        who = msg.sender or "operator"
        if not question:
            return Answer(title, [ReplyPart(tr(ctx.lang, "ai_empty", prefix=prefix))],
                          ok=False)
        if question.strip().lower() in ("reset", "lupakan", "ulang"):
            self._memory.pop(who, None)
            return Answer(title, [ReplyPart(tr(ctx.lang, "ai_reset"))])
        if not row["data_source_id"]:
            return Answer(title, [ReplyPart(tr(ctx.lang, "ai_not_available"))], ok=False)
        try:
            text, used = await self._converse(row, question, msg, ctx, who)
        except SourceError as exc:
            return TriggerRunner.fault(title, exc, self._source_name(row), ctx.lang, prefix)
        except UserError as exc:  # our own sentences, already in the reply language
            return Answer(title, [ReplyPart(f"✖ {title}: {exc}")], ok=False, detail=str(exc))
        except TimeoutError:
            return Answer(title, [ReplyPart(tr(ctx.lang, "timeout", what=title,
                                                seconds=f"{self._timeout(row):g}"))],
                          ok=False)
        ai_prefixes.record_use(row["id"])
        footer = used.line(ctx.lang)
        return Answer(title, [ReplyPart(text + ("\n\n" + footer if footer else ""))])

    @staticmethod
    def _source_name(row: dict) -> str:
        try:
            return str(sources.get_source(row["data_source_id"])["name"])
        except UserError:
            return ""

    def _timeout(self, row: dict) -> float:
        try:
            return float(sources.get_source(row["data_source_id"])["config"].get("timeout_s")
                         or DEFAULT_TIMEOUT_S)
        except UserError:
            return DEFAULT_TIMEOUT_S

    async def _converse(self, row: dict, question: str, msg: Incoming, ctx: RunContext,
                        who: str) -> tuple[str, _Used]:
        from app.sources.ai import assistant_message, tool_result_message

        service = self.pool.get(row["data_source_id"])
        if not hasattr(service, "chat_blocking"):
            raise UserError(tr(ctx.lang, "ai_not_available"))
        kind = getattr(service, "kind", "openai")
        timeout = self._timeout(row)
        memory = self._memory.setdefault(who, deque())
        turns = int(settings.get("ai", "memory_turns"))
        system = row.get("system_prompt") or tr(
            ctx.lang, "ai_system", language=LANGUAGES.get(ctx.lang, "English"))
        messages: list[dict[str, Any]] = [{"role": "system", "content": system}]
        messages += list(memory)[-2 * turns:] if turns else []
        messages.append({"role": "user", "content": question})
        tools = TOOLS if getattr(service, "supports_tools", False) else None
        usable, tag_sources = self._allowed(msg.tags, msg.group_tags)
        used = _Used()
        rounds = int(settings.get("ai", "max_tool_rounds"))
        text = ""
        for round_ in range(rounds + 1):
            reply = await executor.run_blocking(service.chat_blocking, messages,
                                                tools if round_ < rounds else None, timeout,
                                                timeout=timeout + 5)
            if not reply.tool_calls:
                text = reply.text.strip()
                break
            messages.append(assistant_message(kind, reply))
            for call in reply.tool_calls:
                result = await self._tool(call, usable, tag_sources, used, ctx)
                messages.append(tool_result_message(kind, call, result))
        else:
            text = tr(ctx.lang, "ai_too_many_rounds")
        if not text:
            text = tr(ctx.lang, "ai_no_answer")
        memory.append({"role": "user", "content": question})
        memory.append({"role": "assistant", "content": text})
        while turns and len(memory) > 2 * turns:
            memory.popleft()
        if not turns:
            memory.clear()
        return text, used

    async def _tool(self, call, usable: list[dict], tag_sources: dict[str, str], used: _Used,
                    ctx: RunContext) -> str:
        """Run one tool call for the model; every refusal is a sentence the model can read."""
        if call.error or call.arguments is None:
            return f"Error: the arguments were not valid JSON ({call.error or 'missing'})."
        args = call.arguments
        try:
            if call.name == "list_data":
                return json.dumps({
                    "commands": [{"name": t["name"], "description": t["description"]}
                                 for t in usable],
                    "tags": sorted(tag_sources)}, ensure_ascii=False)
            if call.name == "read_current":
                tags = args.get("tags")
                if isinstance(tags, str):
                    tags = [tags]
                if not isinstance(tags, list) or not tags:
                    return "Error: give tags as a list of names."
                return await self._read(tags, tag_sources, used, "current", ctx)
            if call.name == "read_summary":
                tag, start, end = args.get("tag"), args.get("start"), args.get("end")
                if not all(isinstance(v, str) and v for v in (tag, start, end)):
                    return "Error: give tag, start and end."
                return await self._read([tag], tag_sources, used, (start, end), ctx)
            if call.name == "run_trigger":
                name = str(args.get("name") or "")
                trigger = next((t for t in usable if t["name"].lower() == name.lower()), None)
                if trigger is None:
                    return f"Error: {name!r} is not a command this person may use."
                answer = await self.runner.run_trigger(trigger, [], ctx)
                used.triggers.append(trigger["name"])
                return answer.text
            return f"Error: there is no tool called {call.name!r}."
        except SourceError as exc:  # the model may repeat it: no address, only the kind
            log.warning("AI tool %s failed (%s): %s", call.name, exc.kind, exc)
            return f"Error: the data could not be read ({exc.kind.value.replace('_', ' ')})."
        except UserError as exc:
            return f"Error: {exc}"
        except Exception as exc:  # noqa: BLE001 - the model hears a sentence, the log the bug
            log.exception("AI tool %s failed", call.name)
            return f"Error: {describe(exc)}"

    async def _read(self, tags: list[str], tag_sources: dict[str, str], used: _Used, span,
                    ctx: RunContext) -> str:
        refused = [t for t in tags if t not in tag_sources]
        if refused:
            return (f"Error: this person may not read {', '.join(refused)}. "
                    "Use list_data to see what they may read.")
        out: list[dict[str, Any]] = []
        by_source: dict[str, list[str]] = {}
        for tag in tags:
            by_source.setdefault(tag_sources[tag], []).append(tag)
        for source_id, group in by_source.items():
            historian = self.pool.historian(source_id)
            if span == "current":
                values = await executor.run_blocking(historian.current_blocking, group, 20.0,
                                                     timeout=25)
                out += [_value_dict(v) for v in values]
                for tag in group:
                    used.tags[tag] = tr(ctx.lang, "ai_now")
            else:
                start, end = span
                result = await executor.run_blocking(
                    historian.summary_blocking, group, start, end,
                    ["Average", "Minimum", "Maximum"], 20.0, timeout=25)
                for tag, per_type in result.items():
                    out.append({"tag": tag, "start": start, "end": end,
                                **{k: _value_dict(v) for k, v in per_type.items()}})
                    used.tags[tag] = f"{start} → {end}"
        return json.dumps(out, ensure_ascii=False, default=str)


def _value_dict(value: PiValue) -> dict[str, Any]:
    if value.error:
        return {"tag": value.tag, "error": value.error}
    if value.system_state:
        return {"tag": value.tag, "bad": value.system_state,
                "time": value.timestamp.isoformat() if value.timestamp else None}
    return {"tag": value.tag, "value": value.value, "units": value.units,
            "time": value.timestamp.isoformat() if value.timestamp else None,
            "questionable": value.questionable or value.substituted or None}
