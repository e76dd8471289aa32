"""Messages' database steps written together in one transaction (a burst pays one commit for
many messages): each step still gets its own outcome, a bug in one loses none of the others,
a lock held by another program refuses them all in order, and a step reads what an earlier
step of the same transaction wrote."""

from __future__ import annotations

import time

import pytest

from app.db.models import OutgoingMessage
from app.services import messages, settings, triggers, writable
from tests.integration.test_outbox_locked import Holder

PN = "+628111000001"


def _queued() -> list[str]:
    return [o.message for o in OutgoingMessage.select().order_by(OutgoingMessage.id)]


def _broken() -> None:
    raise ValueError("a bug in one message's step")


def test_a_step_that_fails_loses_none_of_the_others(db):
    outcomes = writable.together([lambda: messages.enqueue(PN, "first"), _broken,
                                  lambda: messages.enqueue(PN, "third")])
    assert [ok for ok, _ in outcomes] == [True, False, True]
    assert isinstance(outcomes[1][1], ValueError)
    assert _queued() == ["first", "third"]  # written once each, in their order
    assert [value for ok, value in outcomes if ok] == [
        o.id for o in OutgoingMessage.select().order_by(OutgoingMessage.id)]


def test_a_lock_held_by_another_program_refuses_every_step_and_writes_nothing(db, data_dir):
    holder = Holder(data_dir / "app.db")
    try:
        holder("lock")
        with writable.without_waiting():
            outcomes = writable.together(
                [lambda n=n: messages.enqueue(PN, f"reply {n}") for n in range(5)])
        holder("unlock")
    finally:
        holder.close()
    assert [ok for ok, _ in outcomes] == [False] * 5
    assert all(isinstance(value, writable.NotWritable) for _, value in outcomes)
    assert "another program holds its lock" in str(outcomes[0][1])
    assert _queued() == []


def test_a_step_reads_what_an_earlier_step_of_the_transaction_changed(db, admin):
    assert settings.get("spam", "max_commands") != 7  # read, and kept, before
    outcomes = writable.together([
        lambda: settings.update(admin, {"spam": {"max_commands": 7}}),
        lambda: settings.get("spam", "max_commands"),
    ])
    assert outcomes[1] == (True, 7)
    assert settings.get("spam", "max_commands") == 7  # and after it is committed


def test_a_trigger_switched_off_by_one_step_is_not_routed_to_by_the_next(db, admin):
    demo = next(t for t in triggers.list_triggers() if t["name"] == "demo")
    assert "demo" in triggers.catalog_names()[0]  # read, and kept, before
    outcomes = writable.together([
        lambda: triggers.set_active(admin, demo["id"], False),
        lambda: triggers.catalog_names()[0],
    ])
    assert outcomes[1][0] and "demo" not in outcomes[1][1]
    assert "demo" not in triggers.catalog_names()[0]


def test_a_step_that_failed_leaves_nothing_kept_of_what_it_changed(db, admin):
    before = settings.get("spam", "max_commands")

    def change_then_fail() -> None:
        settings.update(admin, {"spam": {"max_commands": before + 3}})
        assert settings.get("spam", "max_commands") == before + 3
        raise ValueError("a bug after the change")

    outcomes = writable.together([change_then_fail, lambda: settings.get("spam",
                                                                         "max_commands")])
    # Run again on its own, the change is its own transaction's and stays; the step after it
    # reads what is committed, not a copy kept from the undone transaction.
    assert outcomes[0][0] is False
    assert outcomes[1] == (True, settings.get("spam", "max_commands"))


@pytest.mark.parametrize("budget_s", [0.01])
def test_no_step_begins_once_the_time_given_is_spent(db, budget_s):
    def slow() -> int:
        time.sleep(budget_s * 2)
        return messages.enqueue(PN, "slow")

    outcomes = writable.together([slow, lambda: messages.enqueue(PN, "later")], budget_s)
    assert len(outcomes) == 1 and outcomes[0][0]
    assert _queued() == ["slow"]  # the caller runs "later" in its next turn
