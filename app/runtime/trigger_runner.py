"""Running triggers and groups: data from the sources, a formatted answer, optionally a chart."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import Any

from app.core import render
from app.core.i18n import tr
from app.core.values import PiValue
from app.core.variables import VariableError, bind, parse_specs
from app.errors import UserError, describe
from app.runtime import executor
from app.runtime.answers import Answer, ReplyPart, RunContext
from app.runtime.source_pool import SourcePool
from app.services import sources
from app.services import triggers as trigger_service
from app.sources.base import SourceError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 20.0
DEFAULT_RANGE = ("*-8h", "*")
CHART_INTERVALS = 300


def _title(trigger: dict[str, Any]) -> str:
    config = trigger["config"]
    return str(config.get("title") or config.get("description") or trigger["name"])


def _substitute(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


class TriggerRunner:
    """Turns a trigger (plain data from the services) into an Answer, never raising for users."""

    def __init__(self, pool: SourcePool) -> None:
        self.pool = pool

    # -- one trigger ------------------------------------------------------------------------
    async def run_trigger(self, trigger: dict[str, Any], args: list[str], ctx: RunContext,
                          prefetched: dict[str, PiValue] | None = None,
                          known_sources: dict[str, dict[str, Any]] | None = None) -> Answer:
        """`known_sources`: the connections' settings read for this message so far (a group's
        members share them), filled in as they are read."""
        title = _title(trigger)
        timeout = float(trigger["config"].get("timeout_s") or DEFAULT_TIMEOUT_S)
        try:
            return await asyncio.wait_for(
                self._run(trigger, args, ctx, title, timeout, prefetched, known_sources),
                timeout + 2)
        except Exception as exc:  # noqa: BLE001 - every failure becomes the sender's sentence
            return self._failure(trigger, title, timeout, exc, ctx)

    def _failure(self, trigger: dict[str, Any], title: str, timeout: float, exc: Exception,
                 ctx: RunContext) -> Answer:
        """The answer of a trigger that raised: a sentence for the sender, never a traceback."""
        if isinstance(exc, TimeoutError):
            return self._failed(title, tr(ctx.lang, "timeout", what=title,
                                          seconds=f"{timeout:g}"),
                                tr("en", "timeout", what=title, seconds=f"{timeout:g}"))
        if isinstance(exc, VariableError):
            return self._failed(title, str(exc))
        if isinstance(exc, SourceError):
            return self.fault(title, exc, self._source_name(trigger), ctx.lang,
                              trigger.get("name"))
        if isinstance(exc, UserError):  # our own sentences, already in the reply language
            return self._failed(title, tr(ctx.lang, "failed", what=title, reason=str(exc)),
                                f"{exc} ({exc.details})" if exc.details else str(exc))
        # A bug must still give the sender a sentence.
        log.error("Trigger %s failed", trigger.get("name"), exc_info=exc)
        return self._failed(title, tr(ctx.lang, "unexpected", what=title), describe(exc))

    @staticmethod
    def fault(title: str, exc: SourceError, source: str, lang: str,
              name: str | None = None) -> Answer:
        """The answer for a connection's failure: a sentence chosen by its kind alone, in the
        reply language, naming the trigger and the connection but no address, path, SQL or
        driver text; the full sentence goes to the answer's detail and the log
        (docs/architecture.md, "One message's path")."""
        log.warning("%s failed (%s): %s", name or title, exc.kind, exc)
        sentence = tr(lang, f"fault_{exc.kind}", source=source or title)
        return TriggerRunner._failed(title, sentence, f"{title}: {exc}")

    @staticmethod
    def _source_name(trigger: dict[str, Any]) -> str:
        """The name the engineer gave the trigger's connection ("" when there is none)."""
        if not trigger.get("data_source_id"):
            return ""
        try:
            return str(sources.get_source(trigger["data_source_id"])["name"])
        except UserError:
            return ""

    @staticmethod
    def _failed(title: str, sentence: str, detail: str = "") -> Answer:
        return Answer(title, [ReplyPart(render.error_line(title, sentence))], ok=False,
                      detail=detail or sentence)

    async def _run(self, trigger: dict[str, Any], args: list[str], ctx: RunContext, title: str,
                   timeout: float, prefetched: dict[str, PiValue] | None,
                   known_sources: dict[str, dict[str, Any]] | None = None) -> Answer:
        config = trigger["config"]
        kind = trigger["type"]
        if not trigger["active"]:
            return self._failed(title, tr(ctx.lang, "trigger_inactive", name=trigger["name"]))
        if kind == "text" or kind not in ("pi", "sql", "preset"):
            if args:
                raise VariableError(tr(ctx.lang, "too_many_args_none", name=trigger["name"]))
            text = config.get("text") or config.get("description") or trigger["name"]
            return Answer(title, [ReplyPart(render.render_text(title, str(text)))])
        source = self._source_state(trigger, ctx, known_sources)
        if kind == "pi":
            return await self._run_pi(trigger, args, ctx, title, timeout, source, prefetched)
        return await self._run_sql(trigger, args, ctx, title, timeout, source)

    def _source_state(self, trigger: dict[str, Any], ctx: RunContext,
                      known: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
        if not trigger["data_source_id"]:
            raise UserError(tr(ctx.lang, "source_missing", name=trigger["name"]))
        source = known.get(trigger["data_source_id"]) if known is not None else None
        if source is None:
            try:
                source = sources.get_source(trigger["data_source_id"])
            except UserError:
                raise UserError(tr(ctx.lang, "source_missing", name=trigger["name"])) from None
            if known is not None:
                known[source["id"]] = source
        if not source["active"]:
            raise UserError(tr(ctx.lang, "source_inactive", source=source["name"]))
        if source["setup_missing"]:
            raise UserError(tr(ctx.lang, "source_not_ready", source=source["name"]))
        return source

    async def _run_pi(self, trigger, args, ctx, title, timeout, source, prefetched) -> Answer:
        config = trigger["config"]
        specs = parse_specs(config.get("variables") or [])
        if args and not specs:
            raise VariableError(tr(ctx.lang, "too_many_args_none", name=trigger["name"]))
        values = bind(specs, args, None, ctx.lang, trigger["name"]) if specs else {}
        tags = [_substitute(t, values) for t in config.get("tags") or []]
        if not tags and source["config"].get("default_tag"):
            tags = [source["config"]["default_tag"]]
        labels = {_substitute(k, values): v for k, v in (config.get("labels") or {}).items()}
        decimals = config.get("decimals")
        mode = config.get("mode", "current")
        start = _substitute(str(config.get("start") or DEFAULT_RANGE[0]), values)
        end = _substitute(str(config.get("end") or DEFAULT_RANGE[1]), values)
        historian = self.pool.historian(source["id"], source)  # settings read just now
        call = executor.run_blocking
        parts: list[ReplyPart] = []
        if mode == "current":
            if prefetched is not None and all(t in prefetched for t in tags):
                current = [prefetched[t] for t in tags]
            else:
                current = await call(historian.current_blocking, tags, timeout, timeout=timeout)
            if not config.get("chart"):
                return self._current_answer(title, current, labels, decimals, ctx)
            text = render.render_current(title, current, labels, decimals, ctx.zone, ctx.lang)
        elif mode == "summary":
            kinds = config.get("summary_types") or ["Average", "Minimum", "Maximum"]
            summaries = await call(historian.summary_blocking, tags, start, end, kinds, timeout,
                                   timeout=timeout)
            text = render.render_summary(title, summaries, labels, decimals, ctx.zone, ctx.lang,
                                         start, end)
        elif mode in ("recorded", "interpolated"):
            if mode == "recorded":
                series = await call(historian.recorded_blocking, tags, start, end,
                                    int(config.get("max_count") or 1000), timeout,
                                    timeout=timeout)
            else:
                series = await call(historian.interpolated_blocking, tags, start, end,
                                    str(config.get("interval") or "1h"), timeout,
                                    timeout=timeout)
            text = render.render_series(title, series, labels, decimals, ctx.zone, ctx.lang)
            if config.get("chart"):
                parts.append(await self._chart(series, labels, title, ctx, text))
                return Answer(title, parts)
        else:  # chart
            series = await call(historian.plot_blocking, tags, start, end, CHART_INTERVALS,
                                timeout, timeout=timeout)
            latest = [s.values[-1] if s.values else PiValue(s.tag, None, None, s.units,
                                                             good=False, error=s.error)
                      for s in series]
            caption = render.render_current(title, latest, labels, decimals, ctx.zone, ctx.lang)
            return Answer(title, [await self._chart(series, labels, title, ctx, caption)])
        if config.get("chart") and mode in ("current", "summary"):
            series = await call(historian.plot_blocking, tags, start, end, CHART_INTERVALS,
                                timeout, timeout=timeout)
            return Answer(title, [await self._chart(series, labels, title, ctx, text)])
        return Answer(title, [ReplyPart(text)])

    @staticmethod
    def _current_answer(title: str, current: list[PiValue], labels: dict[str, str] | None,
                        decimals: Any, ctx: RunContext, now: datetime | None = None) -> Answer:
        """Current values as the answer: failed when not one tag could be read."""
        text = render.render_current(title, current, labels, decimals, ctx.zone, ctx.lang,
                                     now=now)
        return Answer(title, [ReplyPart(text)], ok=not all(v.error for v in current))

    async def _chart(self, series, labels, title, ctx: RunContext, caption: str) -> ReplyPart:
        if not any(s.values for s in series):
            # Nothing to draw: the caption says why (an unknown tag, no data), with no empty image.
            return ReplyPart(caption)
        # The chart module loads with the first chart, not with every start of `simulate`.
        from app.runtime.charts import render_trend_png

        png = await executor.run_blocking(render_trend_png, series, labels, title, ctx.zone,
                                          ctx.lang, timeout=30)
        return ReplyPart(caption, png)

    async def _run_sql(self, trigger, args, ctx, title, timeout, source) -> Answer:
        config = dict(trigger["config"])
        fixed: dict[str, str] = {}
        if trigger["type"] == "preset":
            preset = trigger_service.preset_by_name(str(config.get("preset")))
            if preset is None:
                raise UserError(tr(ctx.lang, "preset_missing", name=trigger["name"]),
                                f"preset {config.get('preset')!r} is missing")
            config["query"] = preset["query_template"]
            config["variables"] = preset["variables"]
            fixed = {k: str(v) for k, v in (config.get("values") or {}).items()}
            if not ctx.preview:
                trigger_service.count_preset_use(preset["name"])
        specs = parse_specs(config.get("variables") or [])
        params = bind(specs, args, fixed, ctx.lang, trigger["name"])
        max_rows = int(config.get("max_rows") or 20)
        database = self.pool.database(source["id"], source)
        result = await executor.run_blocking(database.query_blocking, str(config["query"]),
                                             params, max_rows, timeout, timeout=timeout + 3)
        text = render.render_rows(title, result.columns, result.rows, result.truncated, None,
                                  ctx.lang, zone=ctx.zone, max_rows=max_rows)
        return Answer(title, [ReplyPart(text)])

    # -- groups -----------------------------------------------------------------------------
    async def run_group(self, group: dict[str, Any], members: list[dict[str, Any]],
                        args: list[str], ctx: RunContext) -> Answer:
        title = group["description"] or group["name"].upper()
        if not members:
            return self._failed(title, tr(ctx.lang, "member_missing", name=group["name"]))
        started = time.perf_counter()
        if group["execution_mode"] == "sequential":
            answers = [await self.run_trigger(m, args, ctx) for m in members]
        else:
            answers = await self._run_parallel(members, args, ctx)
        log.debug("Group %s answered in %.0f ms", group["name"],
                  (time.perf_counter() - started) * 1000)
        ok = sum(1 for a in answers if a.ok)
        text = render.render_group(title, [a.text for a in answers], ok, len(answers), ctx.lang)
        parts = [ReplyPart(text)]
        parts += [ReplyPart(p.text.split("\n", 1)[0], p.image_png)
                  for a in answers for p in a.parts if p.image_png]
        detail = " · ".join(a.detail for a in answers if a.detail)
        return Answer(title, parts, ok=ok == len(answers), detail=detail)

    async def _run_parallel(self, members: list[dict[str, Any]], args: list[str],
                            ctx: RunContext) -> list[Answer]:
        """Every member at once, in member order. Members asking only for current values
        that one shared read per connection brought are answered from it there and then, one
        moment for all their lines; the others run side by side."""
        known: dict[str, dict[str, Any]] = {}  # each connection's settings read once
        current = [_reads_current(m) for m in members]
        prefetched = await self._prefetch_current(members, known, current)
        now = datetime.now(UTC)
        answers: list[Answer | None] = []
        waiting: list[int] = []
        for number, member in enumerate(members):
            read = prefetched.get(member["data_source_id"] or "")
            tags = member["config"].get("tags") or []
            if read is None or args or not current[number] or member["config"].get(
                    "chart") or not all(t in read for t in tags):
                answers.append(None)
                waiting.append(number)
                continue
            answers.append(self._answer_prefetched(member, ctx, read, tags, known, now))
        ran = await asyncio.gather(*(self.run_trigger(members[n], args, ctx, prefetched.get(
            members[n]["data_source_id"] or ""), known) for n in waiting))
        for number, answer in zip(waiting, ran, strict=True):
            answers[number] = answer
        return [a for a in answers if a is not None]

    def _answer_prefetched(self, trigger: dict[str, Any], ctx: RunContext,
                           read: dict[str, PiValue], tags: list[str],
                           known: dict[str, dict[str, Any]], now: datetime) -> Answer:
        """A current-values member answered from its group's shared read, as `run_trigger`
        would answer it from that read."""
        title = _title(trigger)
        config = trigger["config"]
        try:
            self._source_state(trigger, ctx, known)
            return self._current_answer(title, [read[t] for t in tags], config.get("labels"),
                                        config.get("decimals"), ctx, now)
        except Exception as exc:  # noqa: BLE001 - every failure becomes the sender's sentence
            return self._failure(trigger, title,
                                 float(config.get("timeout_s") or DEFAULT_TIMEOUT_S), exc, ctx)

    async def _prefetch_current(self, members: list[dict[str, Any]],
                                known: dict[str, dict[str, Any]],
                                current: list[bool]) -> dict[str, dict[str, PiValue]]:
        """One read per source for every member of a parallel group asking for current values
        (`current`: which do); `known` gets each connection's settings as read for it."""
        wanted: dict[str, dict[str, None]] = {}  # per source its tags, each once, in order
        for member, reads in zip(members, current, strict=True):
            if reads:
                wanted.setdefault(member["data_source_id"], {}).update(
                    dict.fromkeys(member["config"]["tags"]))
        found: dict[str, dict[str, PiValue]] = {}

        async def read(source_id: str, tags: list[str]) -> None:
            try:
                source = known.get(source_id)
                if source is None:
                    source = known[source_id] = sources.get_source(source_id)
                historian = self.pool.historian(source_id, source)
                values = await executor.run_blocking(historian.current_blocking, tags,
                                                     DEFAULT_TIMEOUT_S,
                                                     timeout=DEFAULT_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - members then read (and report) on their own
                log.debug("Prefetch from %s failed", source_id, exc_info=True)
                return
            found[source_id] = {v.tag: v for v in values}

        await asyncio.gather(*(read(s, list(t)) for s, t in wanted.items() if len(t) > 1))
        return found


def _reads_current(member: dict[str, Any]) -> bool:
    """A PI member asking for the current values of fixed tags: what a group reads at once."""
    config = member["config"]
    return bool(member["type"] == "pi" and member["active"] and member["data_source_id"]
                and config.get("mode", "current") == "current" and not config.get("variables")
                and config.get("tags"))
