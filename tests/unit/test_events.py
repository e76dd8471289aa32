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


def test_work_outside_the_database_is_finished_after_the_commit_or_undone_on_rollback(db):
    done: list[str] = []
    with events.unit_of_work():
        events.on_rollback(lambda: done.append("undo kept"))
        with events.unit_of_work():
            events.after_commit(lambda: done.append("finish"))
            assert done == []
    assert done == ["finish"]

    done.clear()
    with pytest.raises(RuntimeError), events.unit_of_work():
        with events.unit_of_work():
            events.on_rollback(lambda: done.append("undo"))
            events.after_commit(lambda: done.append("finish"))
        raise RuntimeError("a later entry failed")
    assert done == ["undo"]


def test_a_failed_nested_unit_undoes_only_its_own_work(db):
    done: list[str] = []
    with events.unit_of_work():
        events.after_commit(lambda: done.append("outer"))
        with pytest.raises(RuntimeError), events.unit_of_work():
            events.on_rollback(lambda: done.append("inner undone"))
            events.after_commit(lambda: done.append("inner"))
            raise RuntimeError("refused")
    assert done == ["inner undone", "outer"]


def test_a_value_read_once_per_unit_is_read_again_after_its_table_changes(db):
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    assert events.unit_memo("k", read, table="triggers") == 1
    assert events.unit_memo("k", read, table="triggers") == 2  # no unit: never kept
    with events.unit_of_work():
        assert events.unit_memo("k", read, table="triggers") == 3
        with events.unit_of_work():
            assert events.unit_memo("k", read, table="triggers") == 3
            events.changed("contacts")
            assert events.unit_memo("k", read, table="triggers") == 3
            events.changed("triggers")
        assert events.unit_memo("k", read, table="triggers") == 4
        with pytest.raises(RuntimeError), events.unit_of_work():
            raise RuntimeError("refused")
        assert events.unit_memo("k", None) is None  # emptied by the rollback
    with events.unit_of_work():
        assert events.unit_memo("k", read, table="triggers") == 5  # a new unit reads again
