"""Logins: bcrypt (cost 12), lockout after five failures, one session row per user.

A refused login says the same sentence (REFUSED) for an unknown name, a wrong password and a
locked account, so that nobody can find out which user names exist by trying them: a count of
tries left, or "is locked", would only ever be said about a real name. The lock itself is kept
and recorded in the audit log, where an administrator sees it. Only someone who typed the right
password of an account that is not locked learns that it is deactivated.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import bcrypt

from app.core.ids import new_uuid
from app.core.timefmt import format_ts, utc_now
from app.db.models import Session, User
from app.errors import UserError
from app.services import audit, events
from app.services.context import Actor

BCRYPT_ROUNDS = 12
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
_dummy_hash: bytes | None = None
REFUSED = (
    f"Wrong user name or password. After {MAX_FAILED_LOGINS} wrong tries in a row an account "
    f"is locked for {LOCK_MINUTES} minutes: wait, or ask an administrator to unlock it."
)


class LoginRefused(UserError):
    """Wrong password, unknown user, disabled or locked account."""


@dataclass(frozen=True)
class SessionInfo:
    actor: Actor
    token: str
    expires_at: datetime
    full_name: str


@dataclass(frozen=True)
class LoginAttempt:
    username: str
    user_id: str | None
    password_hash: str | None


def hash_password_blocking(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def check_password_blocking(password: str, password_hash: str | None) -> bool:
    """True when `password` matches; accepts the old system's $2a$ and $2b$ hashes."""
    candidate = password.encode("utf-8")
    if not password_hash:
        # An unknown user name costs as long as a wrong password, so timing does not tell names.
        global _dummy_hash
        if _dummy_hash is None:
            _dummy_hash = bcrypt.hashpw(b"unknown", bcrypt.gensalt(BCRYPT_ROUNDS))
        bcrypt.checkpw(candidate, _dummy_hash)
        return False
    stored = password_hash.encode("ascii", "replace")
    if stored.startswith(b"$2y$"):
        stored = b"$2b$" + stored[4:]
    try:
        return bcrypt.checkpw(candidate, stored)
    except ValueError:
        return False


def validate_password(password: str) -> None:
    if not password or not password.strip():
        raise UserError("The password is empty. Type a password of at least 8 characters.")
    if len(password) < 8:
        raise UserError("The password is too short: use at least 8 characters.")
    if len(password.encode("utf-8")) > 72:
        raise UserError("The password is too long: use at most 72 bytes.")


def has_users() -> bool:
    return User.select().exists()


def prepare_login(username: str) -> LoginAttempt:
    """Look the user up (ORM, main thread); the password check itself runs elsewhere."""
    user = User.get_or_none(User.username == username.strip())
    if user is None:
        return LoginAttempt(username.strip(), None, None)
    return LoginAttempt(user.username, user.id, user.password_hash)


def finish_login(attempt: LoginAttempt, password_ok: bool) -> SessionInfo:
    """Apply the outcome of a password check: lockout bookkeeping, session, audit."""
    now = utc_now()
    user = User.get_or_none(User.id == attempt.user_id) if attempt.user_id else None
    if user is None:
        _refuse(None, attempt.username, "invalid_credentials")
        raise LoginRefused(REFUSED)
    if user.locked_until and user.locked_until > now:
        # Even the right password is refused, and in the same words as a wrong one: a lock
        # says nothing, so trying passwords while it lasts tells nothing either.
        _refuse(user, attempt.username, "account_locked")
        raise LoginRefused(REFUSED)
    if not password_ok:
        return _count_failure(user, now)
    if not user.is_active:
        _refuse(user, attempt.username, "account_disabled")
        raise LoginRefused(
            f"The account {user.username} is deactivated. Ask an administrator to activate it."
        )

    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=SESSION_HOURS)
    with events.unit_of_work():
        User.update(login_attempts=0, locked_until=None, last_login=format_ts(now)).where(
            User.id == user.id
        ).execute()
        _store_session(user.id, token, expires)
        actor = Actor(user.id, user.username, user.role or "viewer")
        audit.record(actor, "login_success", {"username": user.username})
        events.changed("users")
    return SessionInfo(actor, token, expires, user.full_name or "")


def login(username: str, password: str) -> SessionInfo:
    """The whole login on the calling thread (command line and tests)."""
    attempt = prepare_login(username)
    return finish_login(attempt, check_password_blocking(password, attempt.password_hash))


def _count_failure(user: User, now: datetime) -> SessionInfo:
    attempts = 0 if (user.locked_until and user.locked_until <= now) else (user.login_attempts or 0)
    attempts += 1
    with events.unit_of_work():
        if attempts >= MAX_FAILED_LOGINS:
            until = now + timedelta(minutes=LOCK_MINUTES)
            User.update(login_attempts=attempts, locked_until=format_ts(until)).where(
                User.id == user.id
            ).execute()
            _refuse(user, user.username, "invalid_credentials")
            audit.record(None, "account_locked",
                         {"username": user.username, "failed_logins": attempts,
                          "locked_until": format_ts(until)}, user_id=user.id)
        else:
            User.update(login_attempts=attempts, locked_until=None).where(
                User.id == user.id).execute()
            _refuse(user, user.username, "invalid_credentials")
        events.changed("users")
    raise LoginRefused(REFUSED)


def _refuse(user: User | None, username: str, reason: str) -> None:
    audit.record(None, "login_failed", {"username": username, "reason": reason},
                 user_id=user.id if user else None)


def _store_session(user_id: str, token: str, expires: datetime) -> None:
    token_hash = hashlib.sha256(token.encode("ascii")).hexdigest()
    existing = Session.get_or_none(Session.user == user_id)
    if existing is None:
        Session.insert(id=new_uuid(), user=user_id, token_hash=token_hash,
                       expires_at=format_ts(expires), created_at=format_ts(),
                       user_agent="WA-Integration desktop", is_active=True).execute()
    else:
        Session.update(token_hash=token_hash, expires_at=format_ts(expires),
                       created_at=format_ts(), user_agent="WA-Integration desktop",
                       is_active=True).where(Session.id == existing.id).execute()


def session_valid(info: SessionInfo) -> bool:
    row = Session.get_or_none(Session.user == info.actor.user_id)
    if row is None or not row.is_active or row.expires_at is None:
        return False
    token_hash = hashlib.sha256(info.token.encode("ascii")).hexdigest()
    return secrets.compare_digest(row.token_hash or "", token_hash) and row.expires_at > utc_now()


def logout(info: SessionInfo, reason: str = "logout") -> None:
    with events.unit_of_work():
        Session.update(is_active=False).where(Session.user == info.actor.user_id).execute()
        audit.record(info.actor, "session_expired" if reason == "expired" else "logout",
                     {"username": info.actor.username})


def current_actor(user_id: str) -> Actor | None:
    """The actor as the database says now (role or activity may have changed since login)."""
    user = User.get_or_none(User.id == user_id)
    if user is None or not user.is_active:
        return None
    return Actor(user.id, user.username, user.role or "viewer")
