"""Reading the alarms' values: one batched read per PI source, one query per SQL trigger, all
at once, each failure a sentence instead of a value."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.values import PiValue
from app.core.variables import bind, parse_specs
from app.errors import UserError, describe
from app.runtime import executor
from app.runtime.alarms.outgoing import lang
from app.runtime.source_pool import SourcePool
from app.services import triggers as trigger_service

READ_TIMEOUT_S = 20.0


@dataclass
class ReadLog:
    requests: dict[str, int] = field(default_factory=dict)  # source name → batched reads
    errors: list[str] = field(default_factory=list)


class ValueReader:
    def __init__(self, pool: SourcePool, clock: Callable[[], datetime]) -> None:
        self.pool = pool
        self.clock = clock

    async def read(self, alarms: list[dict[str, Any]], log: ReadLog
                   ) -> dict[str, PiValue | str]:
        """Each alarm's value (or a sentence why it could not be read)."""
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
                # Making the source (its HTTP client, TLS context, secrets) the first time
                # takes a few hundred milliseconds: not on the event loop.
                historian = await executor.run_blocking(self.pool.historian, source_id,
                                                        timeout=READ_TIMEOUT_S)
                values = await executor.run_blocking(historian.current_blocking, tags,
                                                     READ_TIMEOUT_S, timeout=READ_TIMEOUT_S + 2)
                log.requests[name] = log.requests.get(name, 0) + 1
            except Exception as exc:  # noqa: BLE001 - one source down must not stop the rest
                reason = describe(exc) if not isinstance(exc, TimeoutError) else \
                    f"{name} did not answer within {READ_TIMEOUT_S:g} s."
                log.errors.append(f"{name}: {reason}")
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
                log.errors.append(f"{group[0]['trigger'] or 'a SQL trigger'}: {reason}")
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
                      {k: str(v) for k, v in (config.get("values") or {}).items()}, lang(),
                      trigger["name"])
        database = await executor.run_blocking(self.pool.database,
                                               trigger["data_source_id"] or "",
                                               timeout=READ_TIMEOUT_S)
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
