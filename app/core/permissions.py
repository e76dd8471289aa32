"""Roles of the old database (admin, user, viewer) and what each may do."""

from __future__ import annotations

ROLES = ("admin", "user", "viewer")

READ = "read"
CONFIG_WRITE = "config.write"  # sources, triggers, groups, presets, AI prefixes, contacts
MESSAGES_SEND = "messages.send"
USERS_MANAGE = "users.manage"
SETTINGS_WRITE = "settings.write"

_GRANTS: dict[str, frozenset[str]] = {
    "admin": frozenset({READ, CONFIG_WRITE, MESSAGES_SEND, USERS_MANAGE, SETTINGS_WRITE}),
    "user": frozenset({READ, CONFIG_WRITE, MESSAGES_SEND}),
    "viewer": frozenset({READ}),
}

_WHAT = {
    CONFIG_WRITE: "change the configuration",
    MESSAGES_SEND: "send messages",
    USERS_MANAGE: "manage users",
    SETTINGS_WRITE: "change settings",
    READ: "read data",
}

ROLE_LABELS = {
    "admin": "Administrator — everything",
    "user": "User — everything but users and settings",
    "viewer": "Viewer — read only",
}


def can(role: str | None, permission: str) -> bool:
    return permission in _GRANTS.get(role or "", frozenset())


def refusal(role: str | None, permission: str) -> str:
    what = _WHAT.get(permission, permission)
    return f"Your role ({role or 'none'}) does not allow you to {what}."
