"""Logins: bcrypt, lockout after five failures, one hashed session per user, all audited."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from peewee import SQL

from app.core.timefmt import format_ts, utc_now
from app.db.models import AuditLog, Session, User
from app.services import auth, users
from tests.legacy_db import LEGACY_TABLES

PASSWORD = "budi-pass-1"
WRONG = "budi-pass-2"


@pytest.fixture
def budi(admin) -> str:
    return users.create_user(admin, "budi", PASSWORD, role="user", full_name="Budi")["id"]


def _entries(*actions: str) -> list[tuple[str, str | None, dict]]:
    """(action, user_id, details) of the audit log, oldest first."""
    rows = AuditLog.select().order_by(SQL("rowid"))
    return [(e.action, e.user_id, e.details) for e in rows if not actions or e.action in actions]


def _refusal(username: str, password: str) -> str:
    with pytest.raises(auth.LoginRefused) as caught:
        auth.login(username, password)
    return str(caught.value)


def _all_text(db) -> str:
    """Every value of every row of every table, as one text."""
    parts = []
    for table in LEGACY_TABLES:
        for row in db.db.execute_sql(f"SELECT * FROM {table}"):
            parts += [str(v) for v in row]
    return "\n".join(parts)


def test_new_password_hashes_are_bcrypt_cost_12(db, admin, monkeypatch):
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 12)
    created = users.create_user(admin, "budi", PASSWORD, role="user")
    stored = User.get_by_id(created["id"]).password_hash
    assert stored.startswith("$2b$12$")
    assert len(stored) == 60
    assert auth.login("budi", PASSWORD).actor.user_id == created["id"]


def test_login_opens_a_session_and_is_audited(db, budi, local_zone):
    local_zone("WIB-7")  # a new last_login must not be misread as local time, as old ones are
    before = utc_now()
    info = auth.login("budi", PASSWORD)
    after = utc_now()
    assert (info.actor.user_id, info.actor.username, info.actor.role) == (budi, "budi", "user")
    assert info.full_name == "Budi"
    assert auth.session_valid(info)
    user = User.get_by_id(budi)
    assert before - timedelta(seconds=1) <= user.last_login <= after
    assert _entries("login_success") == [("login_success", budi, {"username": "budi"})]


def test_unknown_user_is_refused_without_saying_which_part_was_wrong(db, budi):
    assert _refusal("nobody", PASSWORD) == auth.REFUSED
    assert auth.REFUSED.startswith("Wrong user name or password.")
    assert _entries("login_failed") == [
        ("login_failed", None, {"username": "nobody", "reason": "invalid_credentials"})]


def test_a_typed_password_is_never_stored(db, budi):
    _refusal("budi", "my-real-password-typo")
    auth.login("budi", PASSWORD)
    text = _all_text(db)
    assert "my-real-password-typo" not in text
    assert PASSWORD not in text


def test_five_wrong_passwords_lock_the_account_for_15_minutes(db, admin, budi, local_zone):
    local_zone("WIB-7")
    countdown = [_refusal("budi", WRONG) for _ in range(4)]
    # The same sentence as for a name that does not exist: no count of tries left.
    assert countdown == [auth.REFUSED] * 4
    assert "locked for 15 minutes" in auth.REFUSED
    assert [u.login_attempts for u in [User.get_by_id(budi)]] == [4]
    assert User.get_by_id(budi).locked_until is None

    started = utc_now()
    locked = _refusal("budi", WRONG)
    until = User.get_by_id(budi).locked_until
    assert timedelta(minutes=14, seconds=58) <= until - started <= timedelta(minutes=15, seconds=2)
    assert locked == auth.REFUSED

    # While locked, even the right password is refused, in the same words (a lock would
    # otherwise show that the name exists, and which password is right).
    still = _refusal("budi", PASSWORD)
    assert still == auth.REFUSED
    assert "administrator" in still

    users.unlock(admin, budi)
    assert auth.login("budi", PASSWORD).actor.user_id == budi

    failed = _entries("login_failed")
    assert [d["reason"] for _a, _u, d in failed] == ["invalid_credentials"] * 5 + ["account_locked"]
    assert {u for _a, u, _d in failed} == {budi}
    assert _entries("account_locked") == [("account_locked", budi, {
        "username": "budi", "failed_logins": 5, "locked_until": format_ts(until)})]
    assert _entries("account_unlocked") == [("account_unlocked", admin.user_id, {
        "user_id": budi, "username": "budi", "failed_logins": 5})]
    assert [u for _a, u, _d in _entries("login_success")] == [budi]


def test_the_lock_ends_by_itself_after_15_minutes(db, budi):
    for _ in range(5):
        _refusal("budi", WRONG)
    # Fifteen minutes pass.
    User.update(locked_until=format_ts(utc_now() - timedelta(seconds=1))).where(
        User.id == budi).execute()
    assert auth.login("budi", PASSWORD).actor.user_id == budi
    assert User.get_by_id(budi).login_attempts == 0
    # A new failure starts a new count.
    assert _refusal("budi", WRONG) == auth.REFUSED
    assert User.get_by_id(budi).login_attempts == 1


def test_a_good_login_resets_the_count(db, budi):
    for _ in range(3):
        _refusal("budi", WRONG)
    auth.login("budi", PASSWORD)
    assert _refusal("budi", WRONG) == auth.REFUSED
    assert User.get_by_id(budi).login_attempts == 1


def test_a_deactivated_account_is_refused(db, admin, budi):
    users.set_active(admin, budi, False)
    message = _refusal("budi", PASSWORD)
    assert "deactivated" in message
    assert _entries("login_failed")[-1] == (
        "login_failed", budi, {"username": "budi", "reason": "account_disabled"})


def test_one_session_row_per_user_holding_only_a_hash_of_the_token(db, budi):
    infos = [auth.login("budi", PASSWORD) for _ in range(3)]
    rows = list(Session.select().where(Session.user == budi))
    assert len(rows) == 1
    latest = infos[-1]
    assert rows[0].token_hash == hashlib.sha256(latest.token.encode("ascii")).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0].token_hash)
    text = _all_text(db)
    assert not any(info.token in text for info in infos)
    # Logging in again ends the earlier session.
    assert auth.session_valid(latest)
    assert not auth.session_valid(infos[0])
    assert rows[0].expires_at > datetime.now(UTC) + timedelta(hours=auth.SESSION_HOURS - 1)


def test_logout_ends_the_session_and_is_audited(db, budi):
    info = auth.login("budi", PASSWORD)
    auth.logout(info)
    assert Session.get(Session.user == budi).is_active is False
    assert not auth.session_valid(info)
    assert _entries("logout") == [("logout", budi, {"username": "budi"})]


def test_an_expired_session_is_not_valid(db, budi):
    info = auth.login("budi", PASSWORD)
    Session.update(expires_at=format_ts(utc_now() - timedelta(seconds=1))).where(
        Session.user == budi).execute()
    assert not auth.session_valid(info)


def test_current_actor_reflects_role_and_activity_changes(db, admin, budi):
    auth.login("budi", PASSWORD)
    users.update_user(admin, budi, role="viewer")
    assert auth.current_actor(budi).role == "viewer"
    users.set_active(admin, budi, False)
    assert auth.current_actor(budi) is None


def test_a_real_name_and_an_unknown_one_are_refused_in_the_same_words(db, admin, budi):
    """Nobody can find out which user names exist: not from the count of tries left, not from
    a lock, not from a deactivated account (unless they know its password)."""
    for _ in range(7):  # past the lock
        assert _refusal("budi", WRONG) == _refusal("nobody-here", WRONG) == auth.REFUSED
    assert User.get_by_id(budi).locked_until is not None
    assert _refusal("budi", PASSWORD) == auth.REFUSED
    users.unlock(admin, budi)
    users.set_active(admin, budi, False)
    assert _refusal("budi", WRONG) == auth.REFUSED
    assert "deactivated" in _refusal("budi", PASSWORD)
