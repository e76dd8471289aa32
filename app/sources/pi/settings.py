"""A PI source's settings read from its form: time zone, time limit, certificate check, address.

Each reader turns what the engineer typed into the value the client needs, or raises a
SourceError that says what to correct.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.sources.base import Fault, SourceError

DEFAULT_TIMEOUT_S = 10.0
AUTH_MODES = ("anonymous", "basic", "kerberos", "ntlm", "bearer")
GATEWAY_WORKERS = 8  # the gateway has no batch call, so tags are read side by side


def zone_setting(name: Any) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(str(name).strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise SourceError(f"Unknown time zone '{name}': use a name such as Asia/Jakarta or UTC.",
                          code="config", kind=Fault.SETUP) from None


def positive_float(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def file_exists(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def _with_scheme(raw: Any, default_scheme: str) -> str:
    text = str(raw or "").strip()
    if not text:
        raise SourceError("The PI source has no address: enter its base URL in the source "
                          "settings.", code="config", kind=Fault.SETUP)
    return text if "://" in text else f"{default_scheme}://{text}"


def webapi_base(raw: Any) -> str:
    base = _with_scheme(raw, "https").rstrip("/")
    if not urlsplit(base).hostname:
        raise SourceError(f"'{raw}' is not a usable address: write it like "
                          "https://pi-server/piwebapi.", code="config", kind=Fault.SETUP)
    return base


def gateway_base(raw: Any) -> str:
    # Old rows hold the whole gateway URL with path and query; only scheme, host and port count.
    parts = urlsplit(_with_scheme(raw, "http"))
    if not parts.hostname:
        raise SourceError(f"'{raw}' is not a usable address: write it like "
                          "http://pi-gateway:6066.", code="config", kind=Fault.SETUP)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
