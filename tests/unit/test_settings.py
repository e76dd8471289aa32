"""Settings: typed values with defaults, old plain-string rows, validated and audited changes."""

from __future__ import annotations

import pytest

from app.db.models import AuditLog, SystemSetting
from app.errors import PermissionDenied, ValidationError
from app.services import settings, users
from app.services.context import Actor


def _stored() -> list[tuple[str, str, str]]:
    return [(r.category, r.key, r.value)
            for r in SystemSetting.select().order_by(SystemSetting.category, SystemSetting.key)]


def _store(category: str, key: str, value: str) -> None:
    SystemSetting.insert(id=f"{category}_{key}", category=category, key=key,
                         value=value).execute()


def test_defaults_until_something_is_stored(db):
    assert settings.get("outbox", "min_gap_s") == 2.0
    assert settings.get("spam", "max_commands") == 5
    assert settings.get("general", "language") == "en"
    assert settings.all_values()["spam"]["window_s"] == 60


def test_old_plain_string_values_are_read_by_the_declared_type(db):
    _store("outbox", "per_minute", "30")  # the old system stored every value as text
    _store("spam_detection", "enabled", "true")  # a key this app does not know
    _store("spam", "window_s", "soon")  # unreadable: the default applies
    assert settings.get("outbox", "per_minute") == 30
    assert settings.get("spam_detection", "enabled") == "true"
    assert settings.get("spam", "window_s") == 60
    assert settings.all_values()["spam_detection"] == {"enabled": "true"}


def test_admin_changes_settings_and_the_change_is_audited(db, admin):
    changed = settings.update(admin, {"outbox": {"min_gap_s": "3.5"}, "spam": {"max_commands": 8}})
    assert changed == {"outbox.min_gap_s": [None, "3.5"], "spam.max_commands": [None, "8"]}
    assert settings.get("outbox", "min_gap_s") == 3.5
    assert settings.get("spam", "max_commands") == 8
    entry = AuditLog.get(AuditLog.action == "settings_updated")
    assert entry.user_id == admin.user_id
    assert entry.details == {"changes": changed}

    again = settings.update(admin, {"spam": {"max_commands": 9}})
    assert again == {"spam.max_commands": ["8", "9"]}


def test_saving_the_same_values_changes_nothing(db, admin):
    settings.update(admin, {"spam": {"max_commands": 8}})
    count = AuditLog.select().count()
    assert settings.update(admin, {"spam": {"max_commands": "8"}}) == {}
    assert AuditLog.select().count() == count


def test_every_bad_value_is_named_and_nothing_is_saved(db, admin):
    before, count = _stored(), AuditLog.select().count()
    with pytest.raises(ValidationError) as caught:
        settings.update(admin, {
            "outbox": {"min_gap_s": -1, "per_minute": "lots", "jitter_s": 1.0},
            "spam": {"no_such_key": 1},
            "general": {"language": "fr"},
        })
    problems = caught.value.problems
    assert len(problems) == 4
    for name in ("outbox.min_gap_s", "outbox.per_minute", "spam.no_such_key", "general.language"):
        assert any(name in p for p in problems), name
    assert any("between 0 and 60" in p for p in problems)
    # The one valid entry (jitter_s) was not saved either.
    assert _stored() == before
    assert AuditLog.select().count() == count


def test_an_old_setting_this_app_does_not_know_can_still_be_edited(db, admin):
    _store("whatsapp", "maxReconnectAttempts", "4")
    settings.update(admin, {"whatsapp": {"maxReconnectAttempts": 6}})
    assert settings.get("whatsapp", "maxReconnectAttempts") == "6"


@pytest.mark.parametrize("role", ["user", "viewer"])
def test_only_admins_change_settings(db, admin, role):
    created = users.create_user(admin, f"{role}1", "some-pass-1", role=role)
    actor = Actor(created["id"], created["username"], role)
    before, count = _stored(), AuditLog.select().count()
    with pytest.raises(PermissionDenied, match="change settings"):
        settings.update(actor, {"outbox": {"min_gap_s": 5}})
    assert _stored() == before
    assert AuditLog.select().count() == count
