"""An alarm's tag over the last hours, with its limits drawn: what the alarm editor shows
beside its test, so the engineer sees where the limit sits against the real line."""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from app.runtime import executor
from app.runtime.charts import Limit, render_trend_png
from app.runtime.source_pool import SourcePool

HOURS = 8
INTERVALS = 120  # points of the plot: enough for a smooth line, one read
TIMEOUT_S = 20.0


_WORDS = {"en": {"high": "High", "low": "Low", "clears": "clears at"},
          "id": {"high": "Atas", "low": "Bawah", "clears": "normal lagi di"}}


def limits_of(config: dict[str, Any], tag: str, units: str = "", lang: str = "en"
              ) -> list[Limit]:
    """The alarm's limits as lines: high and low, and where the alarm clears again when a
    deadband is set."""
    words = _WORDS.get(lang, _WORDS["en"])
    out: list[Limit] = []
    suffix = f" {units}" if units else ""
    deadband = float(config.get("deadband") or 0)
    for key, back in (("high", -deadband), ("low", deadband)):
        value = config.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            label = words[key]
            out.append(Limit(tag, float(value), f"{label} {value:g}{suffix}"))
            if back:
                out.append(Limit(tag, float(value) + back,
                                 f"{label}: {words['clears']} {float(value) + back:g}{suffix}"))
    return out


async def alarm_trend(pool: SourcePool, alarm: dict[str, Any], zone: tzinfo | None,
                      lang: str = "en") -> bytes | None:
    """A PNG of the alarm's PI tag over the last hours with its limits; None for an alarm
    on a SQL trigger's value, or when the tag gives nothing to draw."""
    if alarm.get("kind", "pi") != "pi" or not alarm.get("data_source_id") or \
            not alarm.get("tag"):
        return None
    historian = pool.historian(alarm["data_source_id"])
    tag = str(alarm["tag"])
    series = await executor.run_blocking(historian.plot_blocking, [tag], f"*-{HOURS}h", "*",
                                         INTERVALS, TIMEOUT_S, timeout=TIMEOUT_S + 5)
    if not any(s.values for s in series):
        return None
    config = dict(alarm.get("config") or {})
    units = str(config.get("units") or (series[0].units if series else "") or "")
    span = f"{HOURS} jam terakhir" if lang == "id" else f"last {HOURS} hours"
    title = f"{alarm.get('name') or tag} — {span}"
    return await executor.run_blocking(render_trend_png, series, {}, title, zone, lang,
                                       900, 520, limits_of(config, tag, units, lang),
                                       timeout=30)
