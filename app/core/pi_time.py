"""PI time strings (`*-8h`, `t`, `y+6h`, ISO dates) and PI intervals: checked before they leave."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.core.sources import SourceError

_TIME_HINT = "use *-8h, t, y or 2025-10-30T06:00"
_INTERVAL_HINT = "use 30s, 15m, 1h or 1d"

# PI's own unit words: abbreviation, full and plural forms (PI DataLink "PI time abbreviations").
_UNITS: dict[str, str] = {}
for _canon, _words in {
    "s": ("s", "sec", "secs", "second", "seconds"),
    "m": ("m", "min", "mins", "minute", "minutes"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "d": ("d", "day", "days"),
    "w": ("w", "week", "weeks"),
    "mo": ("mo", "month", "months"),
    "y": ("y", "year", "years"),
}.items():
    for _word in _words:
        _UNITS[_word] = _canon

_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0}
_FRACTIONAL_UNITS = {"s", "m", "h"}

_WEEKDAYS = {name: i for i, name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_WEEKDAYS.update({name[:3]: i for name, i in list(_WEEKDAYS.items())})
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})

_OFFSET_TAIL = re.compile(r"([+-])\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]*)\s*$")
_TIME_OF_DAY = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.:](\d{1,7}))?)?\s*(am|pm)?"
_CLOCK = re.compile(rf"^{_TIME_OF_DAY}$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(\d{{1,2}})[\s/-]+([a-z]+)\.?[\s/-]+(\d{{2}}|\d{{4}})(?:[\s:]+{_TIME_OF_DAY})?$")
_MONTH_DAY_YEAR = re.compile(
    rf"^([a-z]+)\.?\s+(\d{{1,2}})(?:,?\s+(\d{{4}}))?(?:\s+{_TIME_OF_DAY})?$")
_YEAR_FIRST = re.compile(rf"^(\d{{4}})/(\d{{1,2}})/(\d{{1,2}})(?:\s+{_TIME_OF_DAY})?$")
_NUMERIC_SLASHED = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")


@dataclass(frozen=True)
class Offset:
    sign: int  # +1 or -1
    amount: float
    unit: str  # s m h d w mo y


@dataclass(frozen=True)
class PiTime:
    """A parsed PI time: a reference point and zero or more offsets applied in order."""

    kind: str  # now, today, yesterday, weekday, month, day, year, clock, absolute
    offsets: tuple[Offset, ...] = ()
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None
    clock: time | None = None
    absolute: datetime | None = None  # naive means "in the PI server's or the given zone"


def check_pi_time(text: str) -> None:
    """Return None for a PI time string PI accepts; raise SourceError naming it otherwise."""
    parse_pi_time(text)


def parse_pi_time(text: str) -> PiTime:
    """Parse a PI time string; a null or empty string means now, as in PI."""
    if text is None:
        return PiTime("now")
    if not isinstance(text, str):
        raise SourceError(f"'{text}' is not a PI time: {_TIME_HINT}")
    raw = text.strip()
    body = raw.lower()
    offsets: list[Offset] = []
    while True:
        base = _parse_base(raw, body)
        if base is not None:
            return _with_offsets(base, tuple(reversed(offsets)))
        match = _OFFSET_TAIL.search(body)
        if match is None or not match.group(3):
            break  # "2025-13-45" ends in "-45": a broken date, not an offset without a unit
        offsets.append(_offset(text, match))
        cut = match.start()
        raw, body = raw[:cut].rstrip(), body[:cut].rstrip()
    if _NUMERIC_SLASHED.match(body):
        raise SourceError(
            f"'{text}' is ambiguous: the PI server's language decides which number is the day; "
            "write the date as 2025-10-30 or 30-Oct-2025")
    if body in ("now", "current", "today-now"):
        raise SourceError(f"'{text}' is not a PI time: PI writes now as *, so {_TIME_HINT}")
    raise SourceError(f"'{text}' is not a PI time: {_TIME_HINT}")


def resolve_pi_time(text: str, now: datetime | None = None, zone: tzinfo | None = None) -> datetime:
    """The moment a PI time string names, as an aware datetime.

    `zone` plays the role of PI Web API's `timeZone` parameter: it gives `t`, `y`, day names and
    dates without an offset their meaning (UTC when not given).
    """
    zone = zone or UTC
    now = (now or datetime.now(UTC)).astimezone(zone)
    parsed = parse_pi_time(text)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if parsed.kind == "now":
        moment = now
    elif parsed.kind == "today":
        moment = midnight
    elif parsed.kind == "yesterday":
        moment = _wall(midnight.replace(tzinfo=None) - timedelta(days=1), zone)
    elif parsed.kind == "weekday":
        back = (now.weekday() - (parsed.weekday or 0)) % 7
        moment = _wall(midnight.replace(tzinfo=None) - timedelta(days=back), zone)
    elif parsed.kind == "month":
        month = parsed.month or now.month
        day = parsed.day or now.day
        moment = _wall(datetime(now.year, month, min(day, _days_in(now.year, month))), zone)
    elif parsed.kind == "day":
        day = parsed.day or now.day
        moment = _wall(datetime(now.year, now.month, min(day, _days_in(now.year, now.month))),
                       zone)
    elif parsed.kind == "year":
        year = parsed.year or now.year
        moment = _wall(datetime(year, now.month, min(now.day, _days_in(year, now.month))), zone)
    elif parsed.kind == "clock":
        moment = _wall(datetime.combine(now.date(), parsed.clock or time()), zone)
    else:
        absolute = parsed.absolute or now
        moment = absolute if absolute.tzinfo else _wall(absolute, zone)
    for offset in parsed.offsets:
        moment = _shift(moment, offset, zone)
    return moment


def parse_interval(text: str) -> float:
    """A PI interval such as `30m`, `1h`, `15s`, `1.5h` or `2 days` in seconds (> 0).

    Months and years have no fixed length, so they are refused here; `check_interval` allows them.
    """
    amount, unit = _interval_parts(text)
    if unit not in _UNIT_SECONDS:
        raise SourceError(f"'{text}' has no fixed length in seconds: use days or weeks (30d, 1w)")
    return amount * _UNIT_SECONDS[unit]


def check_interval(text: str) -> None:
    """Return None for an interval PI accepts (months and years included); raise otherwise."""
    _interval_parts(text)


def parse_timestamp_text(text: str, zone: tzinfo | None = None) -> datetime | None:
    """A timestamp written as text by some server (ISO, `30-Oct-25 06:00:00`, …), or None.

    Text without a zone is read in `zone` (UTC when not given).
    """
    if not isinstance(text, str) or not text.strip():
        return None
    absolute = _parse_absolute(text.strip(), text.strip().lower())
    if absolute is None:
        return None
    return absolute if absolute.tzinfo else _wall(absolute, zone or UTC)


def _interval_parts(text: str) -> tuple[float, str]:
    body = text.strip().lower() if isinstance(text, str) else ""
    match = re.fullmatch(r"\+?\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)", body)
    unit = _UNITS.get(match.group(2)) if match else None
    if match is None or unit is None:
        raise SourceError(f"'{text}' is not a PI interval: {_INTERVAL_HINT}")
    amount = float(match.group(1))
    if amount <= 0:
        raise SourceError(f"'{text}' is not a PI interval: it must be longer than zero")
    if unit not in _FRACTIONAL_UNITS and amount != int(amount):
        raise SourceError(f"'{text}' is not a PI interval: fractions are allowed only for "
                          "seconds, minutes and hours")
    return amount, unit


def _offset(text: str, match: re.Match[str]) -> Offset:
    sign, number, word = match.groups()
    unit = _UNITS.get(word)
    if unit is None:
        raise SourceError(f"'{text}' is not a PI time: '{word}' is not a time unit "
                          "(use s, m, h, d, w, mo or y, as in *-8h)")
    amount = float(number)
    if unit not in _FRACTIONAL_UNITS and amount != int(amount):
        raise SourceError(f"'{text}' is not a PI time: fractions are allowed only for "
                          "seconds, minutes and hours (write *-36h, not *-1.5d)")
    return Offset(1 if sign == "+" else -1, amount, unit)


def _with_offsets(base: PiTime, offsets: tuple[Offset, ...]) -> PiTime:
    if not offsets:
        return base
    return PiTime(base.kind, offsets, base.weekday, base.month, base.day, base.year, base.clock,
                  base.absolute)


def _parse_base(raw: str, body: str) -> PiTime | None:
    # An absolute date may be quoted when it holds spaces; PI accepts both quote characters.
    if len(body) >= 2 and body[0] == body[-1] and body[0] in "'\"":
        raw, body = raw[1:-1].strip(), body[1:-1].strip()
        absolute = _parse_absolute(raw, body)
        return PiTime("absolute", absolute=absolute) if absolute else None
    if body in ("", "*"):
        return PiTime("now")
    if body in ("t", "today"):
        return PiTime("today")
    if body in ("y", "yesterday"):
        return PiTime("yesterday")
    if body in _WEEKDAYS:
        return PiTime("weekday", weekday=_WEEKDAYS[body])
    if body in _MONTHS:
        return PiTime("month", month=_MONTHS[body])
    month_day = re.fullmatch(r"([a-z]+)\s+(\d{1,2})", body)
    if month_day and month_day.group(1) in _MONTHS:
        day = int(month_day.group(2))
        if not 1 <= day <= 31:
            return None
        return PiTime("month", month=_MONTHS[month_day.group(1)], day=day)
    if body.isdigit():
        number = int(body)
        if len(body) <= 2 and 1 <= number <= 31:
            return PiTime("day", day=number)
        if len(body) == 4 and number >= 1970:
            return PiTime("year", year=number)
        return None
    clock = _CLOCK.fullmatch(body)
    if clock:
        moment = _clock(clock.groups())
        return PiTime("clock", clock=moment) if moment else None
    absolute = _parse_absolute(raw, body)
    return PiTime("absolute", absolute=absolute) if absolute else None


def _parse_absolute(raw: str, body: str) -> datetime | None:
    iso = raw.upper()
    if re.match(r"^\d{4}-\d{2}-\d{2}", iso):
        try:
            return datetime.fromisoformat(_trim_fraction(iso))
        except ValueError:
            return None
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = pattern.fullmatch(body)
        if not match:
            continue
        parts = match.groups()
        day_text, month_text, year_text = (
            (parts[0], parts[1], parts[2]) if order == "dmy" else (parts[1], parts[0], parts[2]))
        month = _MONTHS.get(month_text)
        if month is None:
            return None
        year = int(year_text) if year_text else datetime.now(UTC).year
        if year_text and len(year_text) == 2:
            year += 2000 if year < 70 else 1900  # .NET's two-digit-year window
        return _combine(year, month, int(day_text), parts[3:])
    match = _YEAR_FIRST.fullmatch(body)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
        return _combine(year, month, day, match.groups()[3:])
    return None


def _combine(year: int, month: int, day: int,
             clock_parts: tuple[str | None, ...]) -> datetime | None:
    try:
        day_value = date(year, month, day)
    except ValueError:
        return None
    clock = _clock(clock_parts) if clock_parts and clock_parts[0] is not None else time()
    return datetime.combine(day_value, clock) if clock is not None else None


def _clock(parts: tuple[str | None, ...]) -> time | None:
    hour_text, minute_text, second_text, fraction_text, meridiem = (list(parts) + [None] * 5)[:5]
    hour, minute = int(hour_text or 0), int(minute_text or 0)
    second = int(second_text or 0)
    micro = int((fraction_text or "0")[:6].ljust(6, "0"))
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second, micro)


def _trim_fraction(iso: str) -> str:
    # PI and .NET write up to seven fractional digits; Python reads at most six.
    return re.sub(r"(\.\d{6})\d+", r"\1", iso)


def _days_in(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _wall(naive: datetime, zone: tzinfo) -> datetime:
    return naive.replace(tzinfo=zone)


def _shift(moment: datetime, offset: Offset, zone: tzinfo) -> datetime:
    if offset.unit in ("mo", "y"):
        months = int(offset.amount) * (12 if offset.unit == "y" else 1) * offset.sign
        local = moment.astimezone(zone)
        index = local.year * 12 + local.month - 1 + months
        year, month = divmod(index, 12)
        month += 1
        return local.replace(year=year, month=month, day=min(local.day, _days_in(year, month)))
    if offset.unit in ("d", "w"):
        # Days follow the wall clock, so t+1d is midnight tomorrow even across a DST change.
        days = offset.amount * (7 if offset.unit == "w" else 1) * offset.sign
        local = moment.astimezone(zone)
        return _wall(local.replace(tzinfo=None) + timedelta(days=days), zone)
    seconds = offset.amount * _UNIT_SECONDS[offset.unit] * offset.sign
    return (moment.astimezone(UTC) + timedelta(seconds=seconds)).astimezone(zone)
