"""Reading the three timestamp forms found in old databases, and writing one form."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

# SQLite's CURRENT_TIMESTAMP: "2025-10-30 07:22:01" (UTC).
# The old code's JavaScript toISOString(): "2025-10-30T07:22:01.123Z".
# The old users.last_login: server local time with milliseconds, no zone.
_TS = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_ts(moment: datetime | None = None) -> str:
    """The form this app writes: SQLite's CURRENT_TIMESTAMP form, "YYYY-MM-DD HH:MM:SS" UTC."""
    moment = utc_now() if moment is None else moment
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    # isoformat is a fifth of strftime's cost; written several times for every message.
    return moment.astimezone(UTC).isoformat(" ", "seconds")[:19]


# The old users.last_login: local time, milliseconds, no zone ("2025-10-30 14:22:01.123").
_OLD_LOCAL = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}[.,]\d+\s*$")


def parse_login_ts(value: object) -> datetime | None:
    """users.last_login: the old server's local time with milliseconds, or this app's UTC form."""
    if isinstance(value, str) and _OLD_LOCAL.match(value):
        return parse_ts(value, None)
    return parse_ts(value)


def parse_ts(value: object, naive_zone: tzinfo | None = UTC) -> datetime | None:
    """Parse any stored timestamp into an aware datetime; None for empty or unreadable values.

    `naive_zone` is the zone of a value written without one: UTC for SQLite's defaults, the
    workstation's local zone for the old `users.last_login` column (pass None for local).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return _attach(value, naive_zone)
        return value
    if isinstance(value, (int, float)):
        # Epoch seconds, or milliseconds when the number is too large to be seconds.
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str) and len(value) == 19 and value[10] == " " and value[4] == "-":
        # The form this app writes (read back several times for every message), by the
        # C parser; anything it does not take goes through the pattern below.
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            return _attach(moment, naive_zone)
    match = _TS.match(str(value))
    if not match:
        return None
    year, month, day, hour, minute, second, frac, zone = match.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            micro,
        )
    except ValueError:
        return None
    if zone is None:
        return _attach(moment, naive_zone)
    if zone == "Z":
        return moment.replace(tzinfo=UTC)
    sign = 1 if zone[0] == "+" else -1
    digits = zone[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))

    return moment.replace(tzinfo=timezone(sign * offset))


def _attach(moment: datetime, zone: tzinfo | None) -> datetime:
    if zone is None:
        return moment.astimezone()  # interpreted as the machine's local time
    return moment.replace(tzinfo=zone)


def local_text(moment: datetime | None, with_date: bool = True) -> str:
    """Local time as shown to people: "2025-10-30 14:22" or "14:22"."""
    if moment is None:
        return ""
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")
