"""What the HTTP-based sources (PI Web API, AI services) share: waiting out 429s, root causes."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests


def retry_pause(response: requests.Response, attempt: int, first_s: float = 0.2) -> float:
    """Seconds to wait before trying again: the server's Retry-After, else a doubling pause."""
    header = response.headers.get("Retry-After", "").strip()
    if header:
        try:
            return max(0.0, float(header))
        except ValueError:
            try:
                moment = parsedate_to_datetime(header)
                return max(0.0, (moment - datetime.now(UTC)).total_seconds())
            except (TypeError, ValueError):
                pass
    return min(4.0, first_s * 2 ** attempt)


def root_cause(exc: BaseException) -> BaseException:
    """The innermost error under requests' and urllib3's wrappers (refused, DNS, TLS…)."""
    seen: set[int] = set()
    current: BaseException = exc
    while id(current) not in seen:
        seen.add(id(current))
        reason = getattr(current, "reason", None)
        following = reason if isinstance(reason, BaseException) else None
        following = following or current.__cause__ or current.__context__
        if following is None and current.args and isinstance(current.args[0], BaseException):
            following = current.args[0]
        if following is None:
            break
        current = following
    return current
