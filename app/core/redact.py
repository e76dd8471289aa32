"""Keeping secrets out of audit details, logs and exports."""

from __future__ import annotations

from typing import Any

SECRET_KEYS = frozenset(
    {"password", "passwd", "token", "api_key", "apikey", "secret", "client_secret",
     "access_token", "refresh_token", "password_hash", "token_hash", "private_key"}
)
MASK = "•••"


def is_secret_key(key: str) -> bool:
    return key.replace("-", "_").lower() in SECRET_KEYS or key.lower() in SECRET_KEYS


def redact(value: Any) -> Any:
    """A copy of `value` with every secret-named field masked, at any depth."""
    if isinstance(value, dict):
        return {k: (MASK if is_secret_key(str(k)) and v not in (None, "") else redact(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def without_secrets(value: Any) -> Any:
    """A copy of `value` with every secret-named field removed, at any depth (for exports)."""
    if isinstance(value, dict):
        return {k: without_secrets(v) for k, v in value.items() if not is_secret_key(str(k))}
    if isinstance(value, list):
        return [without_secrets(v) for v in value]
    return value


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    """{field: [old, new]} for the fields that changed, secrets masked."""
    before = redact(before or {})
    after = redact(after or {})
    changes: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [old, new]
    return changes
