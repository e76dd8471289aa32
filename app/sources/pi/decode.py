"""PI's answers as plain values: numbers, strings, digital and system states, qualities, times.

PI Web API sends TimedValues (`Value`, `Timestamp`, `Good`, …) inside `Items` lists and batch
answers; the old gateway sends rows of time text and value.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, tzinfo
from typing import Any

from app.core.pi_time import parse_timestamp_text
from app.sources.base import PiValue
from app.sources.pi.status import ERROR_FIELDS, error_text, value_error_sentence

# Names of PI's system digital states; the gateway sends them as plain text. Names a plant's
# own digital sets also use ("Manual", "Failed", "Configure") are left out on purpose.
_SYSTEM_STATES = {name.lower() for name in (
    "I/O Timeout", "Shutdown", "Pt Created", "Bad Input", "Bad Data", "Bad Output",
    "Calc Failed", "Calc Off", "Comm Fail", "Scan Off", "Scan Timeout", "Under Range",
    "Over Range", "Out of Serv", "Intf Shut", "No Sample", "No Result", "Arc Off-line",
    "Invalid Data")}
_NO_DATA = "no data"
_PI_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{7})?Z")


def decode_value(tag: str, timed: Any, units: str = "") -> PiValue:
    """A PI Web API TimedValue as a PiValue: numbers, strings, digital and system states."""
    if type(timed) is dict:
        raw = timed.get("Value")
        kind = type(raw)
        if (kind is int or kind is float and math.isfinite(raw)) \
                and not timed.keys() & ERROR_FIELDS:
            # Most values: a number with no error, read without the checks below.
            return PiValue(tag, parse_pi_timestamp(timed.get("Timestamp")), raw,
                           str(timed.get("UnitsAbbreviation") or "") or units,
                           _flag(timed.get("Good"), True),
                           _flag(timed.get("Questionable"), False),
                           _flag(timed.get("Substituted"), False))
    if not isinstance(timed, dict):
        return failed_value(tag, f"PI Web API sent no value for '{tag}'.")
    stamp = parse_pi_timestamp(timed.get("Timestamp"))
    units = str(timed.get("UnitsAbbreviation") or "") or units
    good = _flag(timed.get("Good"), True)
    questionable = _flag(timed.get("Questionable"), False)
    substituted = _flag(timed.get("Substituted"), False)
    raw = timed.get("Value")
    errors = error_text(timed)
    if errors and raw is None:
        return PiValue(tag, stamp, None, units, good=False,
                       error=value_error_sentence(tag, errors))
    if isinstance(raw, dict):
        if "Name" not in raw:
            return PiValue(tag, stamp, None, units, good=False,
                           error=f"PI Web API sent a value for '{tag}' that cannot be shown.")
        name = str(raw.get("Name"))
        if _flag(raw.get("IsSystem"), False):
            return PiValue(tag, stamp, None, units, False, questionable, substituted,
                           system_state=name)
        return PiValue(tag, stamp, name, units, good, questionable, substituted, digital=True)
    if raw is None:
        return PiValue(tag, stamp, None, units, good=False,
                       error=f"PI Web API sent an empty value for '{tag}'.")
    if isinstance(raw, bool):
        raw = int(raw)
    if isinstance(raw, float) and not math.isfinite(raw):
        return PiValue(tag, stamp, None, units, good=False,
                       error=f"PI Web API sent a value for '{tag}' that is not a number.")
    if not isinstance(raw, (int, float, str)):
        raw = json.dumps(raw)
    return PiValue(tag, stamp, raw, units, good, questionable, substituted)


def decode_gateway_row(tag: str, row: Any, zone: tzinfo) -> PiValue | None:
    """One gateway row (`v0` time text, `v1` value); None for a `No Data` row."""
    if isinstance(row, dict):
        stamp_text = row.get("v0", row.get("V0"))
        raw = row.get("v1", row.get("V1"))
    elif isinstance(row, (list, tuple)) and len(row) >= 2:
        stamp_text, raw = row[0], row[1]
    else:
        return None
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", _NO_DATA)):
        return None
    stamp = _gateway_time(stamp_text, zone)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return PiValue(tag, stamp, raw)
    text = str(raw).strip()
    try:
        number = float(text)
    except ValueError:
        if text.lower() in _SYSTEM_STATES:
            return PiValue(tag, stamp, None, good=False, system_state=text)
        return PiValue(tag, stamp, text)
    if not math.isfinite(number):
        return PiValue(tag, stamp, None, good=False, system_state=text)
    return PiValue(tag, stamp, int(number) if number.is_integer() and "." not in text else number)


def parse_pi_timestamp(text: Any) -> datetime | None:
    """PI Web API's ISO 8601 UTC timestamps (up to seven fractional digits) as aware datetimes."""
    if not isinstance(text, str) or not text:
        return None
    known = _read_stamps.get(text)
    if known is not None:
        return known
    moment = _parse_pi_timestamp(text)
    if moment is not None:
        if len(_read_stamps) >= _READ_STAMPS_KEPT:
            _read_stamps.clear()
        _read_stamps[text] = moment
    return moment


# Times already read: a tag's snapshot keeps its time until it changes, and many tags of one
# answer share a time, so most of a hundred values' times were read a moment ago.
_READ_STAMPS_KEPT = 4096
_read_stamps: dict[str, datetime] = {}


def _parse_pi_timestamp(text: str) -> datetime | None:
    # PI Web API's own form, 2025-10-30T06:00:00.1234567Z or without the fraction, read at
    # once (a hundred tags' values each have one); any other text the general way, which
    # gives the same moment for these two forms.
    if _PI_STAMP.fullmatch(text):
        try:
            return datetime.fromisoformat(text[:26] + "Z" if len(text) == 28 else text)
        except ValueError:  # a day or hour out of range: the general way says so
            pass
    return parse_timestamp_text(text, UTC)


def _gateway_time(value: Any, zone: tzinfo) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value  # JavaScript milliseconds
        return datetime.fromtimestamp(seconds, UTC)
    return parse_timestamp_text(str(value), zone) if value is not None else None




def failed_value(tag: str, error: str) -> PiValue:
    return PiValue(tag, None, None, good=False, error=error)




def body_items(body: Any) -> list[Any]:
    items = body.get("Items") if isinstance(body, dict) else None
    return items if isinstance(items, list) else []


def answer_status(answer: Any) -> int:
    try:
        return int(answer.get("Status", 0)) if isinstance(answer, dict) else 0
    except (TypeError, ValueError):
        return 0


def answer_content(answer: Any) -> Any:
    content = answer.get("Content") if isinstance(answer, dict) else None
    if isinstance(content, str) and content[:1] in "{[":
        try:
            return json.loads(content)
        except ValueError:
            return content
    return content


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() == "true"  # the docs show "true" as a string; accept both
    return bool(value)
