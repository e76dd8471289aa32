"""Managing users: admins only; bad input refused with a sentence; the last admin is protected."""

from __future__ import annotations

import pytest
from peewee import SQL

from app.db.models import AuditLog, Session, User
from app.errors import PermissionDenied, UserError, ValidationError
from app.services import auth, users
from app.services.context import Actor, cli_actor


def _audit_count() -> int:
    return AuditLog.select().count()


def _last_entry() -> AuditLog:
    return AuditLog.select().order_by(SQL("rowid DESC")).first()


def _snapshot() -> list[dict]:
    return users.list_users()


@pytest.fixture
def budi(admin) -> dict:
    return users.create_user(admin, "budi", "budi-pass-1", role="user", full_name="Budi Santoso",
                             email="budi@plant.local")


@pytest.fixture
def viewer(admin) -> Actor:
    created = users.create_user(admin, "vera", "vera-pass-1", role="viewer")
    return Actor(created["id"], "vera", "viewer")


@pytest.fixture
def plain_user(budi) -> Actor:
    return Actor(budi["id"], "budi", "user")


# -- create --------------------------------------------------------------------------------


def test_admin_creates_a_user_who_can_log_in(db, admin, budi):
    listed = {u["username"]: u for u in users.list_users()}
    assert listed["budi"]["role"] == "user"
    assert listed["budi"]["full_name"] == "Budi Santoso"
    assert listed["budi"]["email"] == "budi@plant.local"
    assert listed["budi"]["is_active"] is True
    assert User.get_by_id(budi["id"]).created_by_id == admin.user_id
    assert auth.login("budi", "budi-pass-1").actor.role == "user"


def test_the_first_admin_needs_no_login_but_later_users_do(db, admin):
    assert users.get_user(admin.user_id)["role"] == "admin"
    with pytest.raises(UserError, match="already exists; log in"):
        users.create_user(None, "mallory", "mallory-pass-1")
    assert [u["username"] for u in users.list_users()] == ["admin"]


@pytest.mark.parametrize("password", ["", "   ", "\t"])
def test_an_empty_password_is_refused(db, admin, password):
    count = _audit_count()
    with pytest.raises(UserError, match="password is empty"):
        users.create_user(admin, "budi", password)
    assert [u["username"] for u in users.list_users()] == ["admin"]
    assert _audit_count() == count


def test_a_short_password_is_refused(db, admin):
    with pytest.raises(UserError, match="at least 8 characters"):
        users.create_user(admin, "budi", "short")
    assert [u["username"] for u in users.list_users()] == ["admin"]


def test_a_duplicate_user_name_is_refused(db, admin, budi):
    before, count = _snapshot(), _audit_count()
    with pytest.raises(UserError) as caught:
        users.create_user(admin, "budi", "other-pass-1", role="viewer")
    assert str(caught.value) == "A user named budi already exists. Choose another user name."
    assert _snapshot() == before
    assert _audit_count() == count
    assert auth.login("budi", "budi-pass-1")  # the first budi's password still works


def test_every_bad_field_is_named(db, admin):
    with pytest.raises(ValidationError) as caught:
        users.create_user(admin, "b!", "budi-pass-1", role="operator", email="not-an-address")
    problems = caught.value.problems
    assert len(problems) == 3
    assert any("user name" in p for p in problems)
    assert any("admin, user, viewer" in p for p in problems)
    assert any("not-an-address" in p for p in problems)
    assert [u["username"] for u in users.list_users()] == ["admin"]


# -- edit, reset, deactivate, unlock, delete -----------------------------------------------


def test_edit_changes_what_the_list_shows_and_audits_the_difference(db, admin, budi):
    after = users.update_user(admin, budi["id"], full_name="Budi S.", email="b@plant.local",
                              role="viewer")
    assert (after["full_name"], after["email"], after["role"]) == (
        "Budi S.", "b@plant.local", "viewer")
    entry = _last_entry()
    assert (entry.action, entry.user_id) == ("user_updated", admin.user_id)
    assert entry.details == {"user_id": budi["id"], "username": "budi", "changes": {
        "full_name": ["Budi Santoso", "Budi S."],
        "email": ["budi@plant.local", "b@plant.local"],
        "role": ["user", "viewer"]}}


def test_saving_without_a_change_writes_no_audit_entry(db, admin, budi):
    count = _audit_count()
    users.update_user(admin, budi["id"], full_name="Budi Santoso", email="budi@plant.local",
                      role="user")
    assert _audit_count() == count


def test_reset_password_replaces_the_old_one_and_ends_sessions(db, admin, budi):
    info = auth.login("budi", "budi-pass-1")
    users.reset_password(admin, budi["id"], "new-secret-9")
    assert not auth.session_valid(info)
    with pytest.raises(auth.LoginRefused):
        auth.login("budi", "budi-pass-1")
    assert auth.login("budi", "new-secret-9").actor.user_id == budi["id"]


def test_a_reset_to_an_empty_password_is_refused(db, admin, budi):
    with pytest.raises(UserError, match="password is empty"):
        users.reset_password(admin, budi["id"], "")
    assert auth.login("budi", "budi-pass-1")


def test_anyone_may_change_their_own_password_but_not_others(db, admin, viewer):
    users.reset_password(viewer, viewer.user_id, "vera-pass-2")
    assert auth.login("vera", "vera-pass-2")
    with pytest.raises(PermissionDenied):
        users.reset_password(viewer, admin.user_id, "taken-over-1")
    assert auth.login("admin", "admin-pass-1")


def test_deactivate_and_activate(db, admin, budi):
    users.set_active(admin, budi["id"], False)
    assert users.get_user(budi["id"])["is_active"] is False
    with pytest.raises(auth.LoginRefused, match="deactivated"):
        auth.login("budi", "budi-pass-1")
    disabled = AuditLog.get(AuditLog.action == "user_disabled")
    assert (disabled.user_id, disabled.details["username"]) == (admin.user_id, "budi")

    users.set_active(admin, budi["id"], True)
    assert auth.login("budi", "budi-pass-1")
    enabled = AuditLog.get(AuditLog.action == "user_enabled")
    assert (enabled.user_id, enabled.details["user_id"]) == (admin.user_id, budi["id"])


def test_deactivating_a_user_ends_their_session(db, admin, budi):
    info = auth.login("budi", "budi-pass-1")
    users.set_active(admin, budi["id"], False)
    assert not auth.session_valid(info)


def test_delete_a_user_without_history(db, admin, budi):
    users.delete_user(admin, budi["id"])
    assert [u["username"] for u in users.list_users()] == ["admin"]
    entry = _last_entry()
    assert (entry.action, entry.user_id, entry.details["username"]) == (
        "user_deleted", admin.user_id, "budi")


def test_a_user_with_history_can_only_be_deactivated(db, admin, budi):
    auth.login("budi", "budi-pass-1")
    with pytest.raises(UserError, match="Deactivate the account instead"):
        users.delete_user(admin, budi["id"])
    assert users.get_user(budi["id"])["is_active"] is True
    assert Session.select().where(Session.user == budi["id"]).exists()


# -- the last active administrator ---------------------------------------------------------


def _unchanged(action, *args, match: str, **kwargs) -> None:
    before, count = _snapshot(), _audit_count()
    with pytest.raises(UserError, match=match):
        action(*args, **kwargs)
    assert _snapshot() == before
    assert _audit_count() == count


def test_the_last_admin_cannot_be_demoted(db, admin, budi):
    _unchanged(users.update_user, admin, admin.user_id, role="user",
               match="last active administrator")


def test_the_last_admin_cannot_be_deactivated(db, admin, budi):
    _unchanged(users.set_active, admin, admin.user_id, False, match="your own account")
    # Not even from the command line, where the operator is not one of the users.
    _unchanged(users.set_active, cli_actor(), admin.user_id, False,
               match="last active administrator")


def test_the_last_admin_cannot_be_deleted(db, admin, budi):
    _unchanged(users.delete_user, admin, admin.user_id, match="your own account")
    _unchanged(users.delete_user, cli_actor(), admin.user_id, match="last active administrator")


def test_with_a_second_admin_the_first_may_step_down(db, admin, budi):
    users.update_user(admin, budi["id"], role="admin")
    users.update_user(admin, admin.user_id, role="user")
    assert users.get_user(admin.user_id)["role"] == "user"
    # Now budi is the last one.
    budi_admin = Actor(budi["id"], "budi", "admin")
    _unchanged(users.update_user, budi_admin, budi["id"], role="viewer",
               match="last active administrator")


def test_a_deactivated_admin_does_not_count(db, admin, budi):
    second = users.create_user(admin, "siti", "siti-pass-1", role="admin")
    users.set_active(admin, second["id"], False)
    _unchanged(users.set_active, cli_actor(), admin.user_id, False,
               match="last active administrator")


# -- roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "plain_user"])
def test_only_admins_manage_users(db, admin, budi, who, request):
    actor = request.getfixturevalue(who)
    target = budi["id"] if who == "viewer" else admin.user_id
    attempts = [
        lambda: users.create_user(actor, "eve", "eve-pass-1", role="admin"),
        lambda: users.update_user(actor, target, role="admin"),
        lambda: users.update_user(actor, actor.user_id, role="admin"),
        lambda: users.set_active(actor, target, False),
        lambda: users.unlock(actor, target),
        lambda: users.delete_user(actor, target),
        lambda: users.reset_password(actor, target, "taken-over-1"),
    ]
    before, count = _snapshot(), _audit_count()
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="does not allow you to manage users"):
            attempt()
    assert _snapshot() == before
    assert _audit_count() == count
