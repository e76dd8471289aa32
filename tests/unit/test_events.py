"""Change notices: once per table, after the outermost unit of work commits, never on rollback."""

from __future__ import annotations

import pytest

from app.db.models import SystemSetting
from app.services import events


@pytest.fixture
def heard(db):
    got: list[tuple[str, dict]] = []
    for topic in ("triggers", "contacts"):
        events.subscribe(topic, lambda payload, topic=topic: got.append((topic, payload)))
    return got


def _write_setting(value: str) -> None:
    SystemSetting.insert(id="probe", category="probe", key="value",
                         value=value).on_conflict_replace().execute()


def test_a_unit_notifies_each_table_once_after_it_commits(heard):
    with events.unit_of_work():
        _write_setting("1")
        events.changed("triggers")
        events.changed("triggers", "contacts")
        with events.unit_of_work():
            events.changed("triggers")
        assert heard == []  # nothing is said before the commit
    assert sorted(topic for topic, _ in heard) == ["contacts", "triggers"]


def test_a_unit_that_fails_notifies_nobody_and_keeps_nothing(heard):
    with pytest.raises(RuntimeError), events.unit_of_work():
        _write_setting("2")
        events.changed("triggers")
        raise RuntimeError("the disk is full")
    assert heard == []
    assert SystemSetting.select().where(SystemSetting.id == "probe").count() == 0


def test_a_failed_nested_unit_leaves_the_outer_one_and_its_notices(heard):
    with events.unit_of_work():
        events.changed("contacts")
        with pytest.raises(RuntimeError), events.unit_of_work():
            events.changed("triggers")
            raise RuntimeError("refused")
    assert heard == [("contacts", {})]


def test_a_change_outside_a_unit_notifies_at_once(heard):
    events.changed("contacts", id="c1")
    assert heard == [("contacts", {"id": "c1"})]


def test_a_broken_listener_does_not_stop_the_others(heard, caplog):
    events.subscribe("contacts", lambda payload: 1 / 0)
    events.subscribe("contacts", lambda payload: heard.append(("again", payload)))
    events.changed("contacts")
    assert [topic for topic, _ in heard] == ["contacts", "again"]
    assert "Listener for contacts failed" in caplog.text
