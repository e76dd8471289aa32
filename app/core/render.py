"""WhatsApp replies: bold titles, one line per value, compact tables, numbered parts."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from app.core.i18n import months, tr
from app.core.values import PiSeries, PiValue

BULLET = "•"
BAD = "✖"
WARN = "⚠"
FENCE = "```"  # WhatsApp's monospace block

STALE_AFTER = timedelta(hours=1)
MAX_TABLE_ROWS = 20  # a sql trigger's max_rows defaults to 20
MAX_CELL = 24  # characters per table column; a phone shows about 35 monospace characters

Decimals = int | None | Mapping[str, int]

# PI summary types (PI Web API spelling) → the i18n key of the word people use.
_SUMMARY_KEYS = {
    "average": "summary_average",
    "minimum": "summary_minimum",
    "maximum": "summary_maximum",
    "total": "summary_total",
    "range": "summary_range_value",
    "stddev": "summary_stddev",
    "count": "summary_count",
    "delta": "summary_delta",
    "percentgood": "summary_percentgood",
}
# These summaries happen at a moment (PI returns when the extreme occurred): show its time.
_SUMMARIES_AT_A_MOMENT = {"minimum", "maximum"}


# -- numbers and times ---------------------------------------------------------------------


def format_number(value: float, decimals: int | None = None, *, significant: int = 4) -> str:
    """A number as plain digits with "." as the decimal point, never a thousands separator.

    `decimals` rounds to that many places. Without it: up to `significant` digits, trailing
    zeros dropped, but never fewer digits than the integer part has (12345.6 → "12346").
    """
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int) and decimals is None:
        return str(value)
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if decimals is not None:
        places = min(max(int(decimals), 0), 12)
    elif number == 0:
        return "0"
    else:
        magnitude = math.floor(math.log10(abs(number)))
        places = min(max(significant - 1 - magnitude, 0), 12)
    text = f"{number:.{places}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # rounding made it zero: "-0.0" would read as a negative reading
    return text


def _aware(moment: datetime) -> datetime:
    # Sources hand back aware times; a naive one from a careless source is taken as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    return _aware(moment).astimezone(zone)  # zone None: the workstation's own zone


def format_when(moment: datetime | None, zone: tzinfo | None, lang: str,
                now: datetime | None = None, *, with_date: bool = False) -> str:
    """When, as people read it: 10:42 today (in `zone`), 30 Oct 10:42 another day, the year if
    it is not this one."""
    if moment is None:
        return ""
    local = (moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)).astimezone(zone)
    today = _today(now or datetime.now(UTC), zone)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if not with_date and local.date() == today:
        return clock
    year = f" {local.year}" if local.year != today.year else ""
    return f"{local.day} {months(lang)[local.month - 1]}{year} {clock}"


_last_today: tuple[datetime, tzinfo | None, date] | None = None


def _today(now: datetime, zone: tzinfo | None) -> date:
    """The date of `now` in `zone`, worked out once for the many times of one reply."""
    global _last_today
    known = _last_today
    if known is not None and known[0] == now and known[1] is zone:
        return known[2]
    today = _local(now, zone).date()
    _last_today = (now, zone, today)
    return today


def is_stale(value: PiValue, now: datetime | None = None,
             stale_after: timedelta | None = STALE_AFTER) -> bool:
    if stale_after is None or value.timestamp is None:
        return False
    return (now or datetime.now(UTC)) - _aware(value.timestamp) > stale_after


# -- labels and titles ---------------------------------------------------------------------


def short_tag(tag: str) -> str:
    r"""A tag as people say it: \\PI01\BLR1.DRUM.PV → BLR1.DRUM.PV (AF: Element|Attribute)."""
    return tag.rstrip("\\").rsplit("\\", 1)[-1] or tag


def label_for(tag: str, labels: Mapping[str, str] | None) -> str:
    if labels:
        for key in (tag, short_tag(tag)):
            if labels.get(key):
                return labels[key]
    return short_tag(tag)


def _decimals_for(tag: str, decimals: Decimals) -> int | None:
    if decimals is None or type(decimals) is int:
        return decimals  # one setting for every tag, told apart without the Mapping check
    if isinstance(decimals, Mapping):
        found = decimals.get(tag, decimals.get(short_tag(tag)))
        return None if found is None else int(found)
    return decimals


def bold(text: str) -> str:
    """WhatsApp bold; asterisks inside would end it early, line breaks would break it."""
    clean = " ".join(text.replace("*", "").split())
    return f"*{clean}*" if clean else ""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _literal(text: str) -> str:
    """Text shown exactly: PI times such as *-8h would otherwise turn on WhatsApp's bold."""
    text = _one_line(text)
    return f"{FENCE}{text}{FENCE}" if any(c in text for c in "*_~`") else text


# -- PI values -----------------------------------------------------------------------------


def _summary_name(kind: str, lang: str) -> str:
    key = _SUMMARY_KEYS.get(kind.lower())
    return tr(lang, key) if key else kind


def _shown_value(value: PiValue, decimals: int | None) -> str:
    """The value itself with its units; the caller has ruled out errors and bad states."""
    if isinstance(value.value, (int, float)) and not value.digital:
        number = format_number(value.value, decimals)
        units = value.units.strip()
        return f"{number} {units}" if units else number
    return _one_line(value.value)


def value_line(label: str, value: PiValue, decimals: int | None, zone: tzinfo | None,
               lang: str, *, now: datetime | None = None,
               stale_after: timedelta | None = STALE_AFTER, show_time: bool = True) -> str:
    """One bullet line: `• Drum pressure: *41.7 bar* · 10:42`, marked ✖ or ⚠ where it must be."""
    head = f"{BULLET} {label}: "
    if value.error:
        return head + f"{BAD} {_one_line(value.error)}"
    marks: list[str] = []
    with_date = False
    if value.system_state:
        body = f"{BAD} {value.system_state}"  # a system state is never shown as a number
    elif not value.good:
        state = value.value if isinstance(value.value, str) and value.value else None
        body = f"{BAD} {state or tr(lang, 'bad_state')}"
    elif value.value is None or value.value == "":
        body = tr(lang, "no_value")
    else:
        shown = _shown_value(value, decimals)
        body = f"*{shown}*" if "*" not in shown else shown
        if value.questionable:
            marks.append(tr(lang, "questionable"))
        if value.substituted:
            marks.append(tr(lang, "substituted"))
        # A digital state stays valid until it changes; an old timestamp there is normal.
        if not value.digital and is_stale(value, now, stale_after):
            marks.append(tr(lang, "stale"))
            with_date = True
    stamp = value.timestamp
    if show_time and stamp is not None:
        body += f" · {format_when(stamp, zone, lang, now, with_date=with_date)}"
    if marks:
        return f"{head}{body} {WARN} {', '.join(marks)}"
    return head + body


def render_current(title: str, values: Sequence[PiValue], labels: Mapping[str, str] | None,
                   decimals: Decimals, zone: tzinfo | None, lang: str,
                   now: datetime | None = None,
                   stale_after: timedelta | None = STALE_AFTER) -> str:
    """Current values: the bold title, then one line per value."""
    heading = bold(title)
    lines = [heading] if heading else []
    if not values:
        lines.append(tr(lang, "no_values"))
    now = now or datetime.now(UTC)  # one moment for every line: stale and today alike
    for value in values:
        lines.append(value_line(label_for(value.tag, labels), value,
                                _decimals_for(value.tag, decimals), zone, lang, now=now,
                                stale_after=stale_after))
    return "\n".join(lines)


def render_summary(title: str, summaries: Mapping[str, Mapping[str, PiValue]],
                   labels: Mapping[str, str] | None, decimals: Decimals, zone: tzinfo | None,
                   lang: str, start_label: str, end_label: str,
                   now: datetime | None = None) -> str:
    """Summaries per tag over a time range; one line per tag when there is one summary type."""
    lines = [bold(title)] if bold(title) else []
    lines.append(tr(lang, "summary_range", start=_literal(start_label), end=_literal(end_label)))
    if not summaries:
        lines.append(tr(lang, "no_values"))
    single = all(len(per_type) <= 1 for per_type in summaries.values())
    for tag, per_type in summaries.items():
        label = label_for(tag, labels)
        places = _decimals_for(tag, decimals)
        errors = {v.error for v in per_type.values()}
        if not per_type:
            lines.append(f"{BULLET} {label}: {tr(lang, 'no_value')}")
        elif None not in errors and len(errors) == 1:
            # The tag could not be read at all: one error line, not one per summary type.
            lines.append(value_line(label, next(iter(per_type.values())), places, zone, lang))
        elif single:
            kind, value = next(iter(per_type.items()))
            lines.append(_summary_line(f"{label} ({_summary_name(kind, lang)})", kind, value,
                                       places, zone, lang, now))
        else:
            lines.append(bold(label))
            lines.extend(_summary_line(_summary_name(kind, lang), kind, value, places, zone,
                                       lang, now) for kind, value in per_type.items())
    return "\n".join(lines)


def _summary_line(label: str, kind: str, value: PiValue, decimals: int | None,
                  zone: tzinfo | None, lang: str, now: datetime | None) -> str:
    # A summary's timestamp is the range's, so it is never stale; only an extreme has a moment.
    return value_line(label, value, decimals, zone, lang, now=now, stale_after=None,
                      show_time=kind.lower() in _SUMMARIES_AT_A_MOMENT)


def _point_text(value: PiValue, decimals: int | None, lang: str) -> str:
    """A value inside a monospace list: no bold, units in the heading, marks kept short."""
    if value.error:
        return f"{BAD} {_one_line(value.error)}"
    if value.system_state:
        return f"{BAD} {value.system_state}"
    if not value.good:  # as in value_line: a bad number is not shown as if it were a reading
        state = value.value if isinstance(value.value, str) and value.value else None
        return f"{BAD} {state or tr(lang, 'bad_state')}"
    if value.value is None:
        return "-"
    if isinstance(value.value, (int, float)) and not value.digital:
        text = format_number(value.value, decimals)
    else:
        text = _one_line(value.value)
    return text + (f" {WARN}" if value.questionable or value.substituted else "")


def render_series(title: str, series: Sequence[PiSeries], labels: Mapping[str, str] | None,
                  decimals: Decimals, zone: tzinfo | None, lang: str, max_points: int = 12,
                  now: datetime | None = None) -> str:
    """Recorded or interpolated values without a chart: per tag the newest points, newest first."""
    blocks = [bold(title)] if bold(title) else []
    if not series:
        blocks.append(tr(lang, "no_values"))
    for item in series:
        label = label_for(item.tag, labels)
        if item.error:
            blocks.append(f"{BULLET} {label}: {BAD} {_one_line(item.error)}")
            continue
        if not item.values:
            blocks.append(f"{BULLET} {label}: {tr(lang, 'no_values')}")
            continue
        places = _decimals_for(item.tag, decimals)
        newest_first = sorted(item.values, reverse=True,
                              key=lambda v: _aware(v.timestamp) if v.timestamp
                              else datetime.min.replace(tzinfo=UTC))
        shown = newest_first[:max(max_points, 1)]
        points = [(format_when(v.timestamp, zone, lang, now), _point_text(v, places, lang))
                  for v in shown]
        when_width = max(len(w) for w, _ in points)
        value_width = max(len(t) for _, t in points)
        heading = bold(label) + (f" ({item.units.strip()})" if item.units.strip() else "")
        lines = [heading, FENCE]
        lines += [f"{w.ljust(when_width)}  {t.rjust(value_width)}".rstrip() for w, t in points]
        lines.append(FENCE)
        hidden = len(item.values) - len(shown)
        if hidden > 0:
            lines.append(tr(lang, "and_more", count=hidden))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# -- SQL rows ------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _cell(value: Any, zone: tzinfo | None, seconds: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # Database times without a zone are the database's own wall clock: shown as they are.
        moment = value.astimezone(zone) if value.tzinfo is not None else value
        return moment.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if seconds or value.second else "%H:%M")
    if isinstance(value, Decimal):
        return format(value, "f")  # the column's own scale, never scientific notation
    if _is_number(value):
        return format_number(value, None, significant=6)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    # A ``` inside a cell would end the monospace block early.
    return _one_line(value).replace(FENCE, "'''")


def _align_decimals(rows: list[tuple[Any, ...]], cells: list[list[str]], column: int) -> None:
    """Give a number column's non-integers one count of decimals, so the points line up."""
    places = max((len(cell.partition(".")[2]) for cell in (row[column] for row in cells)),
                 default=0)
    if places == 0:
        return
    for row, cell_row in zip(rows, cells, strict=True):
        value = row[column]
        if value is not None:
            cell_row[column] = f"{value:.{min(places, 6)}f}"


def render_rows(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                truncated: bool, total_hint: int | None, lang: str, *,
                zone: tzinfo | None = None, max_rows: int = MAX_TABLE_ROWS,
                max_width: int = MAX_CELL) -> str:
    """SQL results as a compact aligned table; "…and N more" below when rows were left out.

    However many rows are passed, at most `max_rows` are shown, so the reply stays short.
    One row is shown as "• column: value" lines, which reads better on a phone.
    """
    lines = [bold(title)] if bold(title) else []
    if not rows:
        lines.append(tr(lang, "no_rows"))
        return "\n".join(lines)
    shown = [tuple(row) for row in rows[: max(max_rows, 1)]]
    width = max(len(columns), *(len(row) for row in shown))
    names = [str(c) for c in columns] + [""] * (width - len(columns))
    shown = [row + (None,) * (width - len(row)) for row in shown]
    seconds = [any(isinstance(row[i], (datetime, time)) and row[i].second for row in shown)
               for i in range(width)]
    cells = [[_cell(row[i], zone, seconds[i]) for i in range(width)] for row in shown]

    if len(shown) == 1:
        lines += [f"{BULLET} {_one_line(name) or '?'}: {_cut(cell, 200) or '-'}"
                  for name, cell in zip(names, cells[0], strict=True)]
    else:
        numeric = [all(_is_number(row[i]) for row in shown if row[i] is not None)
                   and any(row[i] is not None for row in shown) for i in range(width)]
        for i in range(width):
            if numeric[i]:
                _align_decimals(shown, cells, i)
        header = [_cut(_one_line(n), max_width) for n in names]
        cells = [[_cut(c, max_width) for c in row] for row in cells]
        widths = [max(len(header[i]), *(len(row[i]) for row in cells)) for i in range(width)]

        def line(values: list[str]) -> str:
            return "  ".join(v.rjust(w) if numeric[i] else v.ljust(w)
                             for i, (v, w) in enumerate(zip(values, widths, strict=True))
                             ).rstrip()

        lines += [FENCE, line(header), "  ".join("-" * w for w in widths)]
        lines += [line(row) for row in cells]
        lines.append(FENCE)

    left_out = len(rows) - len(shown)
    more: int | None
    if total_hint is not None:
        more = max(total_hint - len(shown), left_out)
    elif truncated:
        more = None  # the source stopped reading: there are more, how many is unknown
    else:
        more = left_out
    if more is None:
        lines.append(tr(lang, "and_more_unknown"))
    elif more > 0:
        lines.append(tr(lang, "and_more", count=more))
    return "\n".join(lines)


# -- text, errors, groups ------------------------------------------------------------------


def render_text(title: str, text: str) -> str:
    heading = bold(title)
    if not heading:
        return text
    return f"{heading}\n{text}" if text else heading


def error_line(label: str, sentence: str) -> str:
    """The line for a trigger or group member that could not answer: ✖ label: sentence."""
    return f"{BAD} {label}: {sentence}" if label else f"{BAD} {sentence}"


def render_group(title: str, parts: Sequence[str], ok: int, total: int, lang: str) -> str:
    """One reply for a group: members' parts in member order, then how many answered."""
    blocks = [bold(title)] if bold(title) else []
    blocks += [part.strip("\n") for part in parts if part.strip()]
    blocks.append(f"_{tr(lang, 'group_summary', ok=ok, total=total)}_")
    return "\n\n".join(blocks)


# -- long replies --------------------------------------------------------------------------
