"""User accounts: create, edit, reset password, activate, unlock, delete (admins only)."""

from __future__ import annotations

import re
from typing import Any

from app.core import permissions
from app.core.ids import new_uuid
from app.core.timefmt import format_ts, utc_now
from app.db.models import AuditLog, Session, User
from app.errors import UserError, ValidationError
from app.services import audit, auth, events
from app.services.context import Actor

_USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,50}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _plain(user: User) -> dict[str, Any]:
    now = utc_now()
    return {
        "id": user.id,
        "username": user.username,
        "full_name": user.full_name or "",
        "email": user.email or "",
        "role": user.role or "",
        "is_active": bool(user.is_active),
        "last_login": user.last_login,
        "created_at": user.created_at,
        "login_attempts": user.login_attempts or 0,
        "locked_until": user.locked_until,
        "locked": bool(user.locked_until and user.locked_until > now),
    }


def list_users() -> list[dict[str, Any]]:
    return [_plain(u) for u in User.select().order_by(User.username)]


def get_user(user_id: str) -> dict[str, Any]:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise UserError("That user no longer exists; the list has been refreshed.")
    return _plain(user)


def _check_fields(username: str | None, role: str | None, email: str | None) -> list[str]:
    problems = []
    if username is not None and not _USERNAME.match(username):
        problems.append(
            "The user name must be 3 to 50 letters or digits (dot, dash and underscore allowed)."
        )
    if role is not None and role not in permissions.ROLES:
        problems.append(f"The role must be one of {', '.join(permissions.ROLES)}.")
    if email and not _EMAIL.match(email):
        problems.append(f"{email!r} is not an e-mail address.")
    return problems


def _active_admins(excluding: str | None = None) -> int:
    query = User.select().where((User.role == "admin") & (User.is_active == True))  # noqa: E712
    if excluding:
        query = query.where(User.id != excluding)
    return query.count()


def create_user(
    actor: Actor | None,
    username: str,
    password: str,
    role: str = "user",
    full_name: str = "",
    email: str = "",
    password_hash: str | None = None,
) -> dict[str, Any]:
    """Create an account. `actor` None is only allowed for the first admin of an empty database."""
    if actor is None:
        if auth.has_users():
            raise UserError("An administrator already exists; log in to create more users.")
        role = "admin"
    else:
        actor.require(permissions.USERS_MANAGE)
    username = username.strip()
    problems = _check_fields(username, role, email.strip())
    if problems:
        raise ValidationError("The user cannot be saved:", problems)
    if User.select().where(User.username == username).exists():
        raise UserError(f"A user named {username} already exists. Choose another user name.")
    if password_hash is None:
        auth.validate_password(password)
        password_hash = auth.hash_password_blocking(password)
    user_id = new_uuid()
    with events.unit_of_work():
        User.insert(
            id=user_id, username=username, password_hash=password_hash,
            full_name=full_name.strip() or None, email=email.strip() or None, role=role,
            created_by=actor.user_id if actor else None, created_at=format_ts(),
            is_active=True, login_attempts=0,
        ).execute()
        audit.record(
            actor or Actor(user_id, username, role, "gui"), "user_created",
            {"user_id": user_id, "username": username, "role": role,
             "full_name": full_name.strip(), "email": email.strip()},
        )
        events.changed("users")
    return get_user(user_id)


def update_user(
    actor: Actor, user_id: str, *, full_name: str | None = None, email: str | None = None,
    role: str | None = None,
) -> dict[str, Any]:
    actor.require(permissions.USERS_MANAGE)
    before = get_user(user_id)
    problems = _check_fields(None, role, email.strip() if email else None)
    if problems:
        raise ValidationError("The user cannot be saved:", problems)
    changes: dict[str, Any] = {}
    if full_name is not None:
        changes["full_name"] = full_name.strip() or None
    if email is not None:
        changes["email"] = email.strip() or None
    # Fields given but equal to the stored value are no change (the edit dialog sends all).
    changes = {k: v for k, v in changes.items() if (v or "") != before[k]}
    if role is not None and role != before["role"]:
        if before["role"] == "admin" and before["is_active"] and _active_admins(user_id) == 0:
            raise UserError(
                f"{before['username']} is the last active administrator; make another user an "
                "administrator first."
            )
        changes["role"] = role
    if not changes:
        return before
    with events.unit_of_work():
        User.update(**changes).where(User.id == user_id).execute()
        after = get_user(user_id)
        audit.record(actor, "user_updated", {
            "user_id": user_id, "username": before["username"],
            "changes": _changes(before, after, ("full_name", "email", "role")),
        })
        events.changed("users")
    return after


def _changes(before: dict, after: dict, fields: tuple[str, ...]) -> dict[str, list]:
    return {f: [before[f], after[f]] for f in fields if before[f] != after[f]}


def reset_password(actor: Actor, user_id: str, new_password: str,
                   password_hash: str | None = None) -> None:
    """Set a new password; `password_hash` lets the GUI hash it off the main thread first."""
    if actor.user_id != user_id:
        actor.require(permissions.USERS_MANAGE)
    target = get_user(user_id)
    auth.validate_password(new_password)
    new_hash = password_hash or auth.hash_password_blocking(new_password)
    with events.unit_of_work():
        User.update(password_hash=new_hash, login_attempts=0, locked_until=None).where(
            User.id == user_id).execute()
        Session.update(is_active=False).where(Session.user == user_id).execute()
        audit.record(actor, "password_changed",
                     {"user_id": user_id, "username": target["username"]})
        events.changed("users")


def set_active(actor: Actor, user_id: str, active: bool) -> dict[str, Any]:
    actor.require(permissions.USERS_MANAGE)
    before = get_user(user_id)
    if before["is_active"] == active:
        return before
    if not active:
        if user_id == actor.user_id:
            raise UserError("You cannot deactivate your own account while logged in with it.")
        if before["role"] == "admin" and _active_admins(user_id) == 0:
            raise UserError(
                f"{before['username']} is the last active administrator and cannot be "
                "deactivated."
            )
    with events.unit_of_work():
        User.update(is_active=active).where(User.id == user_id).execute()
        if not active:
            Session.update(is_active=False).where(Session.user == user_id).execute()
        audit.record(actor, "user_enabled" if active else "user_disabled",
                     {"user_id": user_id, "username": before["username"]})
        events.changed("users")
    return get_user(user_id)


def unlock(actor: Actor, user_id: str) -> dict[str, Any]:
    actor.require(permissions.USERS_MANAGE)
    before = get_user(user_id)
    with events.unit_of_work():
        User.update(login_attempts=0, locked_until=None).where(User.id == user_id).execute()
        audit.record(actor, "account_unlocked", {
            "user_id": user_id, "username": before["username"],
            "failed_logins": before["login_attempts"],
        })
        events.changed("users")
    return get_user(user_id)


def delete_user(actor: Actor, user_id: str) -> None:
    """Delete an account that has no history; one with history can only be deactivated."""
    actor.require(permissions.USERS_MANAGE)
    before = get_user(user_id)
    if user_id == actor.user_id:
        raise UserError("You cannot delete your own account.")
    if before["role"] == "admin" and before["is_active"] and _active_admins(user_id) == 0:
        raise UserError(
            f"{before['username']} is the last active administrator and cannot be deleted."
        )
    referenced = (
        AuditLog.select().where(AuditLog.user == user_id).exists()
        or User.select().where(User.created_by == user_id).exists()
    )
    if referenced:
        raise UserError(
            f"{before['username']} has entries in the audit log, which must keep naming them. "
            "Deactivate the account instead."
        )
    with events.unit_of_work():
        Session.delete().where(Session.user == user_id).execute()
        User.delete().where(User.id == user_id).execute()
        audit.record(actor, "user_deleted",
                     {"user_id": user_id, "username": before["username"]})
        events.changed("users")
